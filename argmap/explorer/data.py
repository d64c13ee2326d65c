"""The data the explorer page embeds: everything it shows and everything it needs to decide statuses.

Statuses in the page are exact and need no solver: for every claim and verdict the page carries
the engine's minimal supports of the node and of its negation (``Engine.supports`` under the empty
worldview: the prime implicants of ``¬R ∨ V`` / ``¬R ∨ ¬V`` that are consistent with the map), and
the map's minimal conflicts (``Engine.nogoods``: the prime implicants of ``¬R``). For a partial
assignment T of the assumptions (the toggles), with R the conjunction of ``not conflict``:

* T ∧ R is unsatisfiable iff T contains a prime implicant of ¬R, i.e. some nogood ⊆ T;
* a consistent T entails V under R iff T contains a prime implicant P of ¬R ∨ V, and that P is
  consistent with R (a P containing a nogood would make T inconsistent), i.e. some support ⊆ T;
  likewise for ¬V with the ``against`` supports.

So: ``inconsistent`` if a nogood ⊆ T, else ``holds`` if a support ⊆ T, else ``fails`` if an
``against`` support ⊆ T, else ``open`` (explorer.js ``status``). Assumptions need no lists: A
holds under a consistent T iff T sets A true or T ∪ {¬A} contains a nogood.

Shape (``"argmap_explorer": 2``), all lists in the map's order. A literal is ``+(i+1)`` (assumption
``i`` true) or ``-(i+1)`` (false), ``i`` the index in ``assumptions``; a support or nogood is a list
of literals sorted by absolute value:

* ``assumptions``: ``[{id, text, file, line, cite: [{source, locator, quote}], notes}]``.
* ``nodes``: claims and verdicts, ``{id: {kind, text, proposal?, component?, lines: [formula as
  written], file, line, cite, notes}}``; ``proposals``, ``components``, ``sources``, ``worldviews``
  (``{id, text, fixed: {assumption: bool}}``).
* ``supports`` / ``against``: ``{id: [[literal, ...], ...]}``, the minimal supports of each node and of
  its negation, as ``Engine.supports`` orders them; ``nogoods``: ``[[literal, ...], ...]``.
* ``stopped_by``: for each cut list, the bound that cut it: "limit" (``support_limit``), "budget"
  (``--timeout``) or "calls" (the enumeration's cap of solver rounds).
* ``truncated``: ``{"supports": [ids], "against": [ids], "nogoods": bool}``: enumerations cut at
  ``support_limit`` (the page and ``argmap export`` say so; statuses of those nodes may then show
  ``open`` where they hold or fail, and a cut nogood list can hide an inconsistency).
* ``diagram``: ``{svg_node: map id}`` for the nodes of the embedded SVG (``n0``… from dot.py).
"""

from __future__ import annotations

from argmap.errors import InconclusiveError
from argmap.language.model import COMPONENTS, ArgumentMap, Provenance, show

SUPPORT_LIMIT = 5000


def _prov(p: Provenance) -> dict:
    out: dict = {}
    if p.citations:
        out["cite"] = [{"source": c.source, "locator": c.locator, "quote": c.quote} for c in p.citations]
    if p.notes:
        out["notes"] = list(p.notes)
    return out


def _support_text(s) -> str:
    return show(s.when) + (f" unless {show(s.unless)}" if s.unless is not None else "")


def _listed(enumerate_, eng) -> tuple[list[dict[str, bool]], bool]:
    """An enumeration's (sets, truncated); one whose part of the command budget ran out before
    its first set is an empty, truncated list (stopped by the budget) instead of an error."""
    from argmap.engine import budget
    if budget.expired():
        # (the part of a list that comes after the budget: calling would cost each list a pass
        # over its slice before the first budget check, minutes on a wide 10k map)
        eng.stopped_by = "budget"
        return [], True
    try:
        return enumerate_()
    except InconclusiveError:
        if budget.active() is None:
            raise                   # a solver timeout in library use: nothing to blame on a budget
        eng.stopped_by = "budget"
        return [], True


def explorer_data(amap: ArgumentMap, limit: int | None = None) -> dict:
    """The page's data; ``limit`` caps each enumeration (default ``SUPPORT_LIMIT``, read at call time)."""
    from argmap.analysis.queries import engine
    from argmap.engine import budget
    limit = SUPPORT_LIMIT if limit is None else limit
    eng = engine(amap)
    index = {a: i + 1 for i, a in enumerate(amap.assumptions)}

    def encode(sets: list[dict[str, bool]]) -> list[list[int]]:
        return [sorted((index[a] if v else -index[a] for a, v in s.items()), key=abs) for s in sets]

    nodes: dict[str, dict] = {}
    lists: dict[str, dict[str, list[list[int]]]] = {"supports": {}, "against": {}}
    truncated: dict = {"supports": [], "against": [], "nogoods": False}
    stopped_by: dict = {"supports": {}, "against": {}, "nogoods": None}
    # Under a command budget the nogoods get a quarter of it, then every list an equal part of
    # what is left when its turn comes (within 80% of it: the diagram's layout comes after), so
    # that a node with thousands of supports cannot take the time of all the others: on the
    # chain 10k map one such node used to end `export --format html` with exit 3 at the budget.
    with budget.share(0.25):
        nogoods, cut = _listed(lambda: eng.nogoods(limit=limit), eng)
    truncated["nogoods"] = cut
    stopped_by["nogoods"] = (eng.stopped_by or "limit") if cut else None
    ids = list(amap.claims) + list(amap.verdicts)
    if ids and not budget.expired():
        # Every list first asks its node's status (Engine.supports' cheap answer); one batch
        # decides them all, where one query per node costs a pass over its slice each.
        try:
            if eng.consistent({}):
                eng.values({}, ids)
        except InconclusiveError:
            if budget.active() is None:
                raise               # (under a budget the lists below say what was cut)
    todo = [(kind, nid, node) for kind, table in (("claim", amap.claims), ("verdict", amap.verdicts))
            for nid, node in table.items()]
    with budget.share(0.8):
        for k, (kind, nid, node) in enumerate(todo):
            entry = {"kind": kind, "text": node.text, "file": node.span.file, "line": node.span.line,
                     "lines": [_support_text(s) for s in node.supports]}
            if kind == "verdict":
                entry.update(proposal=node.proposal, component=node.component)
            else:
                entry.update(_prov(node.provenance))
            nodes[nid] = entry
            for i, (key, value) in enumerate((("supports", True), ("against", False))):
                with budget.share(1 / (2 * (len(todo) - k) - i)):
                    found, cut = _listed(lambda: eng.supports(nid, {}, limit=limit, value=value), eng)
                lists[key][nid] = encode(found)
                if cut:
                    truncated[key].append(nid)
                    stopped_by[key][nid] = eng.stopped_by or "limit"
    return {
        "argmap_explorer": 2,
        "components": list(COMPONENTS),
        "sources": {s.id: {"title": s.title, "by": s.by, "year": s.year} for s in amap.sources.values()},
        "assumptions": [{"id": a.id, "text": a.text, "file": a.span.file, "line": a.span.line, **_prov(a.provenance)}
                        for a in amap.assumptions.values()],
        "nodes": nodes,
        "proposals": [{"id": p.id, "title": p.title, "verdicts": list(p.verdicts), **_prov(p.provenance)}
                      for p in amap.proposals.values()],
        "worldviews": [{"id": w.id, "text": w.text, "fixed": w.fixed(), **_prov(w.provenance)}
                       for w in amap.worldviews.values()],
        "supports": lists["supports"],
        "against": lists["against"],
        "nogoods": encode(nogoods),
        "truncated": truncated,
        "stopped_by": stopped_by,
        "support_limit": limit,
    }


def truncation_summary(truncated: dict) -> list[str]:
    """The cut enumerations in words: ``id`` (supports), ``not id`` (against), ``nogoods``."""
    return (list(truncated["supports"]) + [f"not {n}" for n in truncated["against"]]
            + (["nogoods"] if truncated["nogoods"] else []))
