"""`argmap show ID` and `argmap list KIND`: any statement of the map, as a reader looks it up.

``show`` answers for an assumption, claim, verdict, proposal, worldview, conflict or source: its
text, every ``cite`` with its quote, ``note``s, where it is defined, what it uses and what uses it
(direct references), the verdicts that depend on it, and its status and needs under the scenario.
``list`` gives the ids and texts of one kind (or every kind), in the map's order.
"""

from __future__ import annotations

from typing import Literal as Lit

from pydantic import BaseModel, Field

from argmap.language.diagnostics import UsageError
from argmap.language.model import ArgumentMap, Provenance, refs, show as show_formula
from argmap.language.validate import dependencies, suggest

KINDS = ("assumptions", "claims", "verdicts", "proposals", "worldviews", "conflicts", "sources")


class Cite(BaseModel):
    source: str
    locator: str
    quote: str
    file: str
    line: int


class Shown(BaseModel):
    id: str
    kind: str
    text: str
    file: str
    line: int
    definition: list[str] = Field(default_factory=list)   # support lines, conflict, worldview lines
    cites: list[Cite] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    uses: list[str] = Field(default_factory=list)          # ids its own lines mention
    used_by: list[str] = Field(default_factory=list)       # statements whose lines mention it
    verdicts: list[str] = Field(default_factory=list)       # verdicts that depend on it (through claims)
    scenario: str = "the empty worldview"
    status: Lit["holds", "fails", "open", "inconsistent"] | None = None
    needs: list[dict[str, bool]] | None = None             # claims and verdicts: as in `why`
    needs_truncated: bool = False
    needs_stopped_by: Lit["limit", "budget", "calls", "shown"] | None = None     # as in `why`
    statuses: dict[str, str] | None = None                 # proposals: their verdicts
    single_point_of_failure_for: list[str] | None = None   # assumptions: open verdicts it alone can fail
    single_point_values: dict[str, bool] | None = None      # ... and the value that fails each


def _cites(p: Provenance) -> list[Cite]:
    return [Cite(source=c.source, locator=c.locator, quote=c.quote, file=c.span.file, line=c.span.line)
            for c in p.citations]


def _referrers(amap: ArgumentMap) -> dict[str, list[str]]:
    """id → the claims, verdicts, conflicts and worldviews whose lines mention it (map order)."""
    key = "describe.referrers"
    if key not in amap._cache:
        out: dict[str, dict[str, None]] = {}
        for node, deps in dependencies(amap).items():
            for d in deps:
                out.setdefault(d, {})[node] = None
        for c in amap.conflicts.values():
            for r in refs(c.formula):
                out.setdefault(r.name, {})[c.id] = None
        for w in amap.worldviews.values():
            for ln in w.lines:
                out.setdefault(ln.assumption, {})[w.id] = None
        amap._cache[key] = {k: list(v) for k, v in out.items()}
    return amap._cache[key]


def _dependent_verdicts(amap: ArgumentMap, name: str) -> list[str]:
    """The verdicts whose value is computed from ``name``, in map order: one walk forward from it,
    where asking each verdict's closure was quadratic (wide 100k: 234 s of a 241 s `show`)."""
    from argmap.analysis.queries import engine
    reached = engine(amap).slicer.forward({name})
    return [v for v in amap.verdicts if v != name and v in reached]


def _support_line(s) -> str:
    return show_formula(s.when) + (f" unless {show_formula(s.unless)}" if s.unless is not None else "")


def show(amap: ArgumentMap, name: str, worldview: str | None = None, assume=(), deny=(),
         limit: int = 1000, shown: int | None = None) -> Shown:
    """Everything the map says about one id, and where it stands under the scenario. ``shown``:
    the terminal prints at most that many needs; a list that is not cheap stops there (as `why`)."""
    from argmap.analysis.queries import Scenario, _node_under, engine, node_needs, statuses
    kind = amap.kind_of(name)
    if kind is None:
        every = [n for table in (amap.assumptions, amap.claims, amap.verdicts, amap.proposals,
                                 amap.worldviews, amap.conflicts, amap.sources) for n in table]
        raise UsageError(f"unknown id `{name}`", hint=suggest(name, every) or "`argmap list` shows every id")
    scenario = Scenario(worldview=worldview, assume=list(assume), deny=list(deny))
    span = amap.span_of(name)
    base = dict(id=name, kind=kind, file=span.file, line=span.line, scenario=scenario.describe(),
                used_by=_referrers(amap).get(name, []))
    if kind == "assumption":
        a = amap.assumptions[name]
        fixed = scenario.fixed(amap)
        statuses(amap, scenario, nodes=[])              # raises for an inconsistent scenario
        eng = engine(amap)
        if name in fixed:
            status = "holds" if fixed[name] else "fails"
        elif not eng.consistent({**fixed, name: False}):
            status = "holds"
        elif not eng.consistent({**fixed, name: True}):
            status = "fails"
        else:
            status = "open"
        # Only the open verdicts whose slice holds the assumption can hang on it alone. The
        # assumption at a value is a cut set of one open verdict iff that verdict fails under the
        # scenario plus that value (which must be consistent): two status questions for all of
        # them, where asking each verdict for its single points of failure cost one solver call a
        # verdict (wide 10k: 403 calls, 7.8 s), and every list of cut sets more still.
        from argmap.analysis.queries import _statuses
        from argmap.engine.relevance import affected
        inside = affected(eng, name) if name not in fixed else set()
        asked = [v for v in amap.verdicts if v in inside]
        found = statuses(amap, scenario, nodes=asked) if asked else {}
        open_ = [v for v in asked if found[v] == "open"]
        hangs: dict[str, bool] = {}
        for value in (False, True):
            if open_ and eng.consistent({**fixed, name: value}):
                after = _statuses(amap, {**fixed, name: value}, open_)
                hangs.update((v, value) for v in open_ if after[v] == "fails")
        return Shown(**base, text=a.text, cites=_cites(a.provenance), notes=list(a.provenance.notes),
                     verdicts=_dependent_verdicts(amap, name), status=status,
                     single_point_of_failure_for=[v for v in open_ if v in hangs],
                     single_point_values={v: hangs[v] for v in open_ if v in hangs})
    if kind in ("claim", "verdict"):
        node = amap.derived(name)
        # only the needs: `why`'s supports as well took half of `show`'s time (wide 10k: 19.8 s)
        fixed, status = _node_under(amap, name, worldview, assume, deny)
        needs, truncated, stopped_by = node_needs(amap, name, fixed, status, limit, shown=shown)
        prov = node.provenance if kind == "claim" else Provenance()
        return Shown(**base, text=node.text, definition=[_support_line(s) for s in node.supports],
                     cites=_cites(prov), notes=list(prov.notes), uses=dependencies(amap)[name],
                     verdicts=_dependent_verdicts(amap, name), status=status, needs=needs,
                     needs_truncated=truncated, needs_stopped_by=stopped_by)
    if kind == "proposal":
        p = amap.proposals[name]
        found = statuses(amap, scenario, nodes=list(p.verdicts))
        return Shown(**base, text=p.title, definition=[f"{v}: {_support_line(s)}" for v in p.verdicts
                                                       for s in amap.verdicts[v].supports],
                     cites=_cites(p.provenance), notes=list(p.provenance.notes),
                     uses=list(dict.fromkeys(d for v in p.verdicts for d in dependencies(amap)[v])),
                     verdicts=list(p.verdicts), statuses=found)
    if kind == "conflict":
        c = amap.conflicts[name]
        return Shown(**base, text=f"never: {show_formula(c.formula)}", definition=[show_formula(c.formula)],
                     cites=_cites(c.provenance), notes=list(c.provenance.notes),
                     uses=list(dict.fromkeys(r.name for r in refs(c.formula))))
    if kind == "worldview":
        wv = amap.worldviews[name]
        cites = _cites(wv.provenance) + [c for ln in wv.lines for c in _cites(ln.provenance)]
        notes = list(wv.provenance.notes) + [n for ln in wv.lines for n in ln.provenance.notes]
        lines = [f"{ln.kind} {ln.assumption}" + (f" {ln.credence:g}" if ln.credence is not None else "")
                 for ln in wv.lines]
        return Shown(**base, text=wv.text, definition=lines, cites=cites, notes=notes,
                     uses=list(dict.fromkeys(ln.assumption for ln in wv.lines)))
    src = amap.sources[name]
    users = [n for table in (amap.assumptions, amap.claims, amap.proposals, amap.conflicts, amap.worldviews)
             for n, x in table.items()
             if any(c.source == name for c in x.provenance.citations)
             or any(c.source == name for ln in getattr(x, "lines", ()) for c in ln.provenance.citations)]
    about = [x for x in (f"by {src.by}" if src.by else None, f"year {src.year}" if src.year else None,
                         f"text file {src.file}" if src.file else None) if x]
    return Shown(**base | {"used_by": users}, text=src.title, definition=about)


class Listing(BaseModel):
    kind: str
    items: list[dict[str, str]]          # [{"id", "kind", "text"}] in the map's order


def listing(amap: ArgumentMap, kind: str | None = None) -> Listing:
    """The ids and texts of one kind of statement (every kind when ``kind`` is None)."""
    tables = {
        "assumptions": ("assumption", {k: v.text for k, v in amap.assumptions.items()}),
        "claims": ("claim", {k: v.text for k, v in amap.claims.items()}),
        "verdicts": ("verdict", {k: v.text for k, v in amap.verdicts.items()}),
        "proposals": ("proposal", {k: v.title for k, v in amap.proposals.items()}),
        "worldviews": ("worldview", {k: v.text for k, v in amap.worldviews.items()}),
        "conflicts": ("conflict", {k: f"never: {show_formula(v.formula)}" for k, v in amap.conflicts.items()}),
        "sources": ("source", {k: v.title for k, v in amap.sources.items()}),
    }
    chosen = KINDS if kind is None else (kind,)
    items = [{"id": i, "kind": tables[k][0], "text": t} for k in chosen for i, t in tables[k][1].items()]
    return Listing(kind=kind or "all", items=items)


def shown_text(amap: ArgumentMap, s: Shown) -> str:
    """`argmap show` for a terminal."""
    from argmap.analysis.needstext import needs_lines
    out = [f"{s.kind} {s.id}: {s.text}", f"defined at {s.file}:{s.line}"]
    if s.definition:
        head = {"claim": "holds exactly when one of", "verdict": "holds exactly when one of",
                "proposal": "verdicts", "conflict": "never true", "worldview": "fixes",
                "source": "about"}[s.kind]
        if s.kind in ("claim", "verdict") and len(s.definition) == 1:
            head = "holds exactly when"
        out.append(f"{head}:")
        out += [f"  {d}" for d in s.definition]
    for c in s.cites:
        out.append(f"cite {c.source} {c.locator} ({c.file}:{c.line}):")
        out.append(f"  \u201c{c.quote}\u201d")
    out += [f"note: {n}" for n in s.notes]
    if s.uses:
        out.append("uses: " + ", ".join(s.uses))
    if s.used_by:
        out.append("used by: " + ", ".join(s.used_by))
    if s.verdicts and s.kind != "proposal":
        out.append(f"verdicts that depend on it ({len(s.verdicts)}): " + ", ".join(s.verdicts))
    if s.status is not None:
        out.append(f"status under {s.scenario}: {s.status}")
    if s.single_point_of_failure_for:
        out.append("a single point of failure of: " + ", ".join(
            f"{v} (fails if {s.id} is {'true' if s.single_point_values[v] else 'false'})"
            for v in s.single_point_of_failure_for))
    if s.statuses is not None:
        out.append(f"under {s.scenario}: " + ", ".join(f"{v} {st}" for v, st in s.statuses.items()))
    if s.needs is not None:
        out += needs_lines(s.id, s.status, s.needs, s.needs_truncated, stopped_by=s.needs_stopped_by)
    return "\n".join(out)


def listing_text(result: Listing) -> str:
    if not result.items:
        return f"no {result.kind}"
    width = max(len(i["id"]) for i in result.items)
    show_kind = result.kind == "all"
    return "\n".join((f"{i['kind']:<10} " if show_kind else "") + f"{i['id'].ljust(width)}  {i['text']}"
                     for i in result.items)
