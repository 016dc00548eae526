#!/usr/bin/env bash
# Set up everything the build (and, with --test, the tests) need:
# Debian packages (fonts, HarfBuzz subsetting, poppler, gettext) and a
# virtual environment in .venv with the pinned dependencies of
# requirements.lock. Running it again skips whatever is already in place.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

packages=(fonts-noto-core fonts-noto-cjk libharfbuzz-subset0 libgs-common poppler-utils python3-venv)
if [ "${1:-}" = "--test" ]; then
  packages+=(gettext qpdf chromium nginx libnginx-mod-http-brotli-static)
fi

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
if [ ${#missing[@]} -gt 0 ]; then
  install=(apt-get install -y --no-install-recommends "${missing[@]}")
  if [ "$(id -u)" -eq 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${install[@]}"
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    sudo apt-get update -qq
    sudo DEBIAN_FRONTEND=noninteractive "${install[@]}"
  else
    echo "setup: these Debian packages are missing: ${missing[*]}" >&2
    echo "setup: install them as root, then run this again:" >&2
    echo "    sudo apt-get update && sudo ${install[*]}" >&2
    exit 1
  fi
fi

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
stamp=.venv/.outreach-lock
want=$(cat requirements.lock pyproject.toml | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
  echo "$want" > "$stamp"
fi
