#!/usr/bin/env bash
# Set up (if needed), then build the site and the PDFs into build/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
exec .venv/bin/outreach build "$@"
