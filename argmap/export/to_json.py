"""The whole map as one JSON document: every statement (with its place) and every verdict's status.

Shape (stable; documented in docs/rendering.md, JSON Schema in docs/export.schema.json):
``{"argmap_export": 2, "files", "sources", "assumptions", "claims", "proposals", "verdicts",
"conflicts", "worldviews", "statuses": {"scenario", "verdicts", "worldviews": {W: {...} | "inconsistent"}}}``.
Formulas are written in the language's own syntax (``model.show``) and, since version 2, also as
parsed trees next to them (``if_tree``, ``unless_tree``, ``never_tree``), so that other tools need
no parser: ``{"ref": ID}``, ``{"not": TREE}``, ``{"and": [TREE, ...]}``, ``{"or": [TREE, ...]}``.
Lists keep the map's order.
"""

from __future__ import annotations

import json

from argmap.export import Exported
from argmap.language.model import And, ArgumentMap, Not, Provenance, Ref, show

EXPORT_VERSION = 2


def _place(span) -> dict:
    return {"file": span.file, "line": span.line}


def _prov(p: Provenance) -> dict:
    return {"cite": [{"source": c.source, "locator": c.locator, "quote": c.quote} for c in p.citations],
            "notes": list(p.notes)}


def formula_tree(formula) -> dict:
    """A formula as nested JSON objects (formulas are at most 64 levels deep: build.MAX_DEPTH)."""
    if isinstance(formula, Ref):
        return {"ref": formula.name}
    if isinstance(formula, Not):
        return {"not": formula_tree(formula.arg)}
    return {"and" if isinstance(formula, And) else "or": [formula_tree(a) for a in formula.args]}


def _supports(node) -> list[dict]:
    return [{"if": show(s.when), "unless": show(s.unless) if s.unless is not None else None,
             "if_tree": formula_tree(s.when),
             "unless_tree": formula_tree(s.unless) if s.unless is not None else None}
            for s in node.supports]


def map_document(amap: ArgumentMap, scenario) -> dict:
    from argmap.errors import InconsistentError
    from argmap.analysis.queries import Scenario, statuses
    per_worldview: dict[str, object] = {}
    for w in amap.worldviews:
        try:
            per_worldview[w] = statuses(amap, Scenario(worldview=w))
        except InconsistentError:
            per_worldview[w] = "inconsistent"
    return {
        "argmap_export": EXPORT_VERSION,
        "files": list(amap.files),
        "sources": [{"id": s.id, "title": s.title, "by": s.by, "year": s.year, **_place(s.span), "text_file": s.file}
                    for s in amap.sources.values()],
        "assumptions": [{"id": a.id, "text": a.text, **_place(a.span), **_prov(a.provenance)}
                        for a in amap.assumptions.values()],
        "claims": [{"id": c.id, "text": c.text, "supports": _supports(c), **_place(c.span), **_prov(c.provenance)}
                   for c in amap.claims.values()],
        "proposals": [{"id": p.id, "title": p.title, "verdicts": list(p.verdicts), **_place(p.span),
                       **_prov(p.provenance)} for p in amap.proposals.values()],
        "verdicts": [{"id": v.id, "proposal": v.proposal, "component": v.component, "text": v.text,
                      "supports": _supports(v), **_place(v.span)} for v in amap.verdicts.values()],
        "conflicts": [{"id": c.id, "never": show(c.formula), "never_tree": formula_tree(c.formula), **_place(c.span), **_prov(c.provenance)}
                      for c in amap.conflicts.values()],
        "worldviews": [{"id": w.id, "text": w.text, "fixed": w.fixed(), **_place(w.span)}
                       for w in amap.worldviews.values()],
        "statuses": {"scenario": scenario.describe(), "verdicts": statuses(amap, scenario),
                     "worldviews": per_worldview},
    }


def export(amap: ArgumentMap, scenario, title=None) -> Exported:
    return Exported(json.dumps(map_document(amap, scenario), indent=2, ensure_ascii=False) + "\n")
