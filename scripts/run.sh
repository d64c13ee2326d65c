#!/usr/bin/env bash
# Set up argmap and run the main job on the bundled corpus: check it, then show the verdict
# matrix, the authors' worldviews and the cruxes. Extra arguments go to every argmap call.
set -euo pipefail
cd "$(dirname "$0")/.."
export PIP_DISABLE_PIP_VERSION_CHECK=1
bash scripts/system-deps.sh || echo "(continuing without Graphviz: diagrams will be unavailable)" >&2
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/pip install -q -e .
A=.venv/bin/argmap
$A check
$A sources verify --sources ../shared/sources
echo; $A verdicts
for w in hubinger2020_leanings greenblatt2026_leanings; do echo; $A verdicts --worldview "$w"; done
echo; $A cruxes --top 10
