#!/usr/bin/env bash
# Set up argmap and run the main job on the bundled corpus: check it, then show the verdict
# matrix, the authors' worldviews and the cruxes. Extra arguments go to every argmap call.
set -euo pipefail
cd "$(dirname "$0")/.."
export PIP_DISABLE_PIP_VERSION_CHECK=1
bash scripts/system-deps.sh || echo "(continuing without Graphviz: diagrams will be unavailable)" >&2
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/pip install -q -e . >.venv/pip.log 2>&1 || { cat .venv/pip.log >&2; exit 1; }
A=.venv/bin/argmap
$A check
if [ -n "${ARGMAP_SOURCES:-}" ]; then $A sources verify        # reads the texts from $ARGMAP_SOURCES
else echo "(quote check skipped: ARGMAP_SOURCES is not set)"; $A sources list; fi
echo; $A verdicts
for w in hubinger2020_leanings greenblatt2026_leanings; do echo; $A verdicts --worldview "$w"; done
echo; $A cruxes --top 10
