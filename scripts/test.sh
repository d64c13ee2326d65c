#!/usr/bin/env bash
# Set up a virtual environment (once) and run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/pip install -q -e '.[dev,browser-tests]'
set +e
.venv/bin/python -m pytest -q -p no:cacheprovider --timeout=600 "$@"
rc=$?
set -e
if [ "$rc" -eq 5 ]; then echo "no tests collected" >&2; exit 1; fi
exit "$rc"
