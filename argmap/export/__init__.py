"""Whole-map exports: one module per format, registered in one table.

Each format module defines ``export(amap, scenario, title) -> Exported``. Modules are imported
only when their format is used, so listing the formats (``argmap export --help``) stays fast.
Add a format with one module and one entry in ``EXPORTERS``.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field

# format name → (module, one-line description for `argmap export --help`)
EXPORTERS: dict[str, tuple[str, str]] = {
    "json": ("argmap.export.to_json", "The whole map and every verdict's status (under the scenario and under each worldview)."),
    "dot": ("argmap.export.to_dot", "The whole-map DOT (the same as `render -o map.dot` with no focus flag)."),
    "html": ("argmap.export.to_html", "The interactive explorer: one self-contained HTML file (no server, no network)."),
    "graphml": ("argmap.export.to_graphml", "GraphML for graph tools: nodes with kind, text and status; support, defeat and conflict edges."),
    "argdown": ("argmap.export.to_argdown", "Argdown: statements titled by id, one argument per `if` line, undercuts, contradictions."),
}


@dataclass
class Exported:
    text: str
    notes: list[str] = field(default_factory=list)     # one line each, for standard error


def exporter(name: str):
    """The ``export`` function of format ``name`` (a KeyError for an unknown one)."""
    module, _ = EXPORTERS[name]
    return importlib.import_module(module).export
