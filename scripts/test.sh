#!/usr/bin/env bash
# Set up (if needed, with the test tools), then run the tests.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh --test
exec .venv/bin/python -m pytest "$@"
