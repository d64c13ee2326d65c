#!/usr/bin/env bash
# Everything the tests need, then the whole suite: system packages, a virtual environment, pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
export PYTHONHASHSEED=0 PIP_DISABLE_PIP_VERSION_CHECK=1
bash scripts/system-deps.sh --browser
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/pip install -q -e '.[dev,browser-tests]' >.venv/pip.log 2>&1 || { cat .venv/pip.log >&2; exit 1; }
# The Argdown export is checked by the real Argdown parser (tests/test_exports.py finds it here).
if [ ! -x .cache/argdown/node_modules/.bin/argdown ] && command -v npm >/dev/null; then
  mkdir -p .cache
  npm install --no-audit --no-fund --prefix .cache/argdown @argdown/cli@1.7.5 >.cache/argdown-npm.log 2>&1 \
    || { cat .cache/argdown-npm.log >&2; exit 1; }
fi
# One pytest worker per CPU, at most 4 (pytest-xdist): on the 2-vCPU machines the suite took
# 8-9 min in one process and 4.4 min in two. More workers than cores only add contention.
workers=$(nproc 2>/dev/null || echo 1)
[ "$workers" -gt 4 ] && workers=4
set +e
.venv/bin/python -m pytest -q -p no:cacheprovider --timeout=600 -n "$workers" "$@"
rc=$?
set -e
if [ "$rc" -eq 5 ]; then echo "no tests collected" >&2; exit 1; fi
exit "$rc"
