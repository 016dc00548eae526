#!/usr/bin/env bash
# Set up everything the build (and, with --test, the tests) need:
# Debian packages (fonts, HarfBuzz subsetting, poppler, Fogra's characterisation
# data and ArgyllCMS for the press files' output profiles, zbar to read QR codes
# back at release, gettext) and a
# virtual environment in .venv with the pinned dependencies of
# requirements.lock. Running it again skips whatever is already in place.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# The interpreter first: everything below is wasted on one that is too old.
python=${PYTHON:-python3}
if ! command -v "$python" >/dev/null; then
  echo "setup: no $python on this machine; install Python 3.11 or newer (Debian/Ubuntu: sudo apt-get install python3)" >&2
  exit 1
fi
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "setup: $("$python" --version 2>&1) is too old: outreach needs Python 3.11 or newer" >&2
  echo "setup: Debian 12 and Ubuntu 24.04 ship one (python3); elsewhere install python3.11 and run:" >&2
  echo "    PYTHON=python3.11 bash ${BASH_SOURCE[0]}" >&2
  exit 1
fi

packages=(fonts-noto-core fonts-noto-cjk libharfbuzz-subset0 libgs-common poppler-utils python3-venv
          icc-profiles-free argyll zbar-tools)
if [ "${1:-}" = "--test" ]; then
  packages+=(gettext qpdf chromium libatomic1 nginx libnginx-mod-http-brotli-static)
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

if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
# the build's pins, and for --test the test tools' pins too; each is installed again only when it changed
locks=(requirements.lock)
[ "${1:-}" = "--test" ] && locks+=(requirements-test.lock)
for lock in "${locks[@]}"; do
  stamp=.venv/.outreach-$lock
  want=$(cat "$lock" pyproject.toml | sha256sum | cut -d' ' -f1)
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$lock"
    .venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
    echo "$want" > "$stamp"
  fi
done
