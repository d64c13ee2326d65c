"""The data the explorer page embeds: everything it shows and everything it needs to decide statuses.

Shape (``"argmap_explorer": 1``), all lists in the map's order:

* ``assumptions``: ``[{id, text, file, line, cite: [{source, locator, quote}], notes}]``; the
  position in this list is the assumption's BDD level and its index in supports and fragments.
* ``nodes``: claims and verdicts, ``{id: {kind, text, proposal?, component?, supports: [formula],
  file, line, cite, notes}}``; ``proposals``, ``components``, ``sources``, ``worldviews``
  (``{id, text, fixed: {assumption: bool}}``).
* ``bdd``: ``{nodes: [[level, low, high], ...], roots: {id: node}, r: node}``; node 0 is false and
  1 is true, row ``k`` is node ``k + 2``. ``roots`` has every assumption, claim and verdict.
* ``minimal``: ``{id: [[±(index+1), ...], ...]}``: every minimal support of each claim and verdict
  under the empty worldview (see labels.py); ``truncated``: ids whose supports exceeded the limit
  (their lists are empty and the page says that "weakens" is unknown for them).
* ``diagram``: ``{svg_node: map id}`` for the nodes of the embedded SVG (``n0``… from dot.py).
"""

from __future__ import annotations

from ..model import COMPONENTS, ArgumentMap, Provenance, show
from .labels import Labels

SUPPORT_LIMIT = 2000


def _prov(p: Provenance) -> dict:
    out: dict = {}
    if p.citations:
        out["cite"] = [{"source": c.source, "locator": c.locator, "quote": c.quote} for c in p.citations]
    if p.notes:
        out["notes"] = list(p.notes)
    return out


def _support_text(s) -> str:
    return show(s.when) + (f" unless {show(s.unless)}" if s.unless is not None else "")


def explorer_data(amap: ArgumentMap, limit: int = SUPPORT_LIMIT) -> dict:
    labels = Labels(amap)
    index = {a: i + 1 for i, a in enumerate(labels.ids)}
    nodes: dict[str, dict] = {}
    minimal: dict[str, list[list[int]]] = {}
    truncated: list[str] = []
    for kind, table in (("claim", amap.claims), ("verdict", amap.verdicts)):
        for nid, node in table.items():
            entry = {"kind": kind, "text": node.text, "file": node.span.file, "line": node.span.line,
                     "supports": [_support_text(s) for s in node.supports]}
            if kind == "verdict":
                entry.update(proposal=node.proposal, component=node.component)
            else:
                entry.update(_prov(node.provenance))
            nodes[nid] = entry
            found, cut = labels.supports(nid, True, limit)
            if cut:
                truncated.append(nid)
            minimal[nid] = [sorted((index[a] if v else -index[a]) for a, v in s.items()) for s in found]
    rows, roots = labels.export({**{a: labels.fn[a] for a in labels.ids},
                                 **{n: labels.fn[n] for n in nodes}, "$R": labels.r})
    r = roots.pop("$R")
    return {
        "argmap_explorer": 1,
        "components": list(COMPONENTS),
        "sources": {s.id: {"title": s.title, "by": s.by, "year": s.year} for s in amap.sources.values()},
        "assumptions": [{"id": a.id, "text": a.text, "file": a.span.file, "line": a.span.line, **_prov(a.provenance)}
                        for a in amap.assumptions.values()],
        "nodes": nodes,
        "proposals": [{"id": p.id, "title": p.title, "verdicts": list(p.verdicts), **_prov(p.provenance)}
                      for p in amap.proposals.values()],
        "worldviews": [{"id": w.id, "text": w.text, "fixed": w.fixed(), **_prov(w.provenance)}
                       for w in amap.worldviews.values()],
        "bdd": {"nodes": rows, "roots": roots, "r": r},
        "minimal": minimal,
        "truncated": truncated,
        "support_limit": limit,
    }
