#!/usr/bin/env bash
# Lighthouse (mobile) on the home page, a handbook page and a module page of each language, against the built
# site served on 127.0.0.1 by Debian's nginx with deploy/nginx.conf, as in production (scripts/serve.py; with
# --python, Python's server with gzip). Needs Node 18+ and npm; installs lighthouse 12.2.3 into .lighthouse/ (not committed;
# later versions need Node 22). Prints the four scores per page and writes the JSON reports to
# build/lighthouse/.
#     bash scripts/lighthouse.sh [languages…]      (default: every language built, as in content/languages.yaml)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
[ -d build/site ] || { echo "build the site first: bash scripts/build.sh" >&2; exit 1; }
if [ ! -x .lighthouse/node_modules/.bin/lighthouse ]; then
  mkdir -p .lighthouse
  echo '{"name": "outreach-lighthouse", "private": true}' > .lighthouse/package.json
  (cd .lighthouse && npm i -E --no-audit --no-fund lighthouse@12.2.3 >/dev/null)
fi
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 scripts/serve.py --port "$port" build/site >/dev/null 2>&1 &
server=$!
trap 'kill $server' EXIT
sleep 2
mkdir -p build/lighthouse
languages=("$@")
[ ${#languages[@]} -gt 0 ] || read -ra languages <<< "$(.venv/bin/python -c \
  'from outreach import languages; print(" ".join(lang.code for lang in languages.configure("content")))')"
printf '%-42s %5s %5s %5s %5s\n' page perf a11y best seo
for lang in "${languages[@]}"; do
  for page in "" handbooks/so-tay/vao-dang/ courses/awareness/awareness-1/; do
    name=$(echo "$lang-${page:-home}" | tr '/' '-' | sed 's/-$//')
    CHROME_PATH=/usr/bin/chromium .lighthouse/node_modules/.bin/lighthouse \
      "http://127.0.0.1:$port/$lang/$page" --quiet --output=json --output-path="build/lighthouse/$name.json" \
      --only-categories=performance,accessibility,best-practices,seo --form-factor=mobile \
      --chrome-flags="--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync" \
      >/dev/null 2>&1 || true
    python3 - "$lang/$page" "build/lighthouse/$name.json" <<'PY'
import json, sys
page, path = sys.argv[1], sys.argv[2]
try:
    report = json.load(open(path))
    scores = [round(report["categories"][c]["score"] * 100) for c in
              ("performance", "accessibility", "best-practices", "seo")]
    print(f"{page:<42} " + " ".join(f"{s:>5}" for s in scores))
except Exception as exc:  # a failed run is reported, not hidden
    print(f"{page:<42} failed: {exc}")
PY
  done
done
