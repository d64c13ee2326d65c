"""What a change to a map means: statements added, removed or changed, and every verdict's status
and minimal supports under every worldview, before and after.

Text that moves (other lines, other files, another layout) is no change: statements are compared
by id and content, never by place. A verdict is compared under the empty worldview and under each
worldview of either map; one the other map lacks is reported as ``absent`` there.

Each compared aspect of a verdict is one entry of ``ASPECTS`` (name → function of the map, the
verdict, the worldview's fixed assumptions and the verdict's status), so another aspect (e.g.
the clauses a verdict needs) is one more entry there and one more field of ``VerdictState``.
"""

from __future__ import annotations

import dataclasses
from typing import Callable

from pydantic import BaseModel, Field

from argmap.errors import InconsistentError
from argmap.language.model import ArgumentMap
from argmap.words import count

STATEMENT_TABLES = (("source", "sources"), ("assumption", "assumptions"), ("claim", "claims"),
                    ("proposal", "proposals"), ("verdict", "verdicts"), ("conflict", "conflicts"),
                    ("worldview", "worldviews"))
ABSENT = "absent"                 # the verdict, or the worldview, is not in this map
INCONSISTENT = "inconsistent"     # the worldview is inconsistent with this map


# ---- results ----------------------------------------------------------------------------------
class StatementRef(BaseModel):
    kind: str
    id: str
    file: str
    line: int


class ChangedStatement(StatementRef):
    fields: list[str]             # which parts changed: text, supports, provenance, ...


class StatementChanges(BaseModel):
    added: list[StatementRef] = Field(default_factory=list)
    removed: list[StatementRef] = Field(default_factory=list)
    changed: list[ChangedStatement] = Field(default_factory=list)


class ExpectChanges(BaseModel):
    added: list[str] = Field(default_factory=list)
    removed: list[str] = Field(default_factory=list)


class VerdictState(BaseModel):
    status: str                                   # holds | fails | open | inconsistent | absent
    supports: list[dict[str, bool]] = Field(default_factory=list)
    truncated: bool = False
    needs: list[dict[str, bool]] = Field(default_factory=list)    # clauses, as `argmap why` gives them
    needs_truncated: bool = False


class VerdictChange(BaseModel):
    verdict: str
    worldview: str | None                          # None: the empty worldview
    before: VerdictState
    after: VerdictState
    status_changed: bool


class MapDiff(BaseModel):
    old: str
    new: str
    statements: StatementChanges
    expects: ExpectChanges
    worldviews: list[str | None]                   # the worldviews compared (None: the empty one)
    verdicts: list[VerdictChange]                  # every compared pair that differs (all with everything=True)
    unchanged: int                                 # pairs (verdict, worldview) with nothing different
    status_changes: int                            # pairs whose status differs (the exit code is 1 if any)


# ---- statements -------------------------------------------------------------------------------
def _content(obj):
    """A statement as plain data without its place, so that moving text is not a change."""
    if dataclasses.is_dataclass(obj):
        return {f.name: _content(getattr(obj, f.name)) for f in dataclasses.fields(obj) if f.name != "span"}
    if isinstance(obj, (list, tuple)):
        return [_content(x) for x in obj]
    if isinstance(obj, dict):
        return {k: _content(v) for k, v in obj.items()}
    return obj


def _ref(kind: str, stmt) -> dict:
    return {"kind": kind, "id": stmt.id, "file": stmt.span.file, "line": stmt.span.line}


def statement_changes(old: ArgumentMap, new: ArgumentMap) -> StatementChanges:
    out = StatementChanges()
    for kind, table in STATEMENT_TABLES:
        before, after = getattr(old, table), getattr(new, table)
        out.removed += [StatementRef(**_ref(kind, before[i])) for i in before if i not in after]
        out.added += [StatementRef(**_ref(kind, after[i])) for i in after if i not in before]
        for i in before.keys() & after.keys():
            a, b = _content(before[i]), _content(after[i])
            fields = [f for f in a if a[f] != b[f]]
            if fields:
                out.changed.append(ChangedStatement(**_ref(kind, after[i]), fields=fields))
    out.changed.sort(key=lambda c: (c.file, c.line))
    return out


def _expect_key(ex) -> str:
    """An expectation by what it asks (its text, re-spaced, is only for showing)."""
    content = _content(ex)
    content.pop("text")
    return repr(sorted(content.items()))


def expect_changes(old: ArgumentMap, new: ArgumentMap) -> ExpectChanges:
    before = {_expect_key(e): e for e in old.expects}
    after = {_expect_key(e): e for e in new.expects}
    return ExpectChanges(added=[" ".join(after[k].text.split()) for k in after if k not in before],
                         removed=[" ".join(before[k].text.split()) for k in before if k not in after])


# ---- verdicts ---------------------------------------------------------------------------------
def _supports(amap: ArgumentMap, verdict: str, fixed: dict[str, bool], status: str) -> dict:
    """The minimal supports, as `argmap why` gives them (none for a verdict that fails)."""
    from argmap.analysis.queries import DEFAULT_SUPPORT_LIMIT, engine
    if status == "fails":
        return {"supports": [], "truncated": False}
    found, truncated = engine(amap).supports(verdict, fixed, limit=DEFAULT_SUPPORT_LIMIT)
    # Sorted so that two maps listing the same supports in another order compare equal.
    supports = sorted((dict(sorted(s.items())) for s in found), key=lambda s: sorted(s.items()))
    return {"supports": supports, "truncated": truncated}


def _needs(amap: ArgumentMap, verdict: str, fixed: dict[str, bool], status: str) -> dict:
    """The clauses the verdict needs (its cut sets negated), as `argmap why` gives them."""
    from argmap.analysis.queries import DEFAULT_SUPPORT_LIMIT, cut_sets, negated
    found, truncated = cut_sets(amap, verdict, fixed, status, DEFAULT_SUPPORT_LIMIT)
    needs = sorted((dict(sorted(negated(c).items())) for c in found), key=lambda s: sorted(s.items()))
    return {"needs": needs, "needs_truncated": truncated}


# name → function(map, verdict, the worldview's fixed assumptions, status) → fields of VerdictState
ASPECTS: dict[str, Callable[[ArgumentMap, str, dict, str], dict]] = {"supports": _supports, "needs": _needs}


def _states(amap: ArgumentMap, worldview: str | None, verdicts: list[str]) -> dict[str, VerdictState]:
    from argmap.analysis.queries import Scenario, statuses
    if worldview is not None and worldview not in amap.worldviews:
        return {v: VerdictState(status=ABSENT) for v in verdicts}
    present = [v for v in verdicts if v in amap.verdicts]
    scenario = Scenario(worldview=worldview)
    try:
        status = statuses(amap, scenario, nodes=present)      # one call for all: it shares the solver work
    except InconsistentError:
        status = dict.fromkeys(present, INCONSISTENT)
    fixed = scenario.fixed(amap)
    out = {}
    for v in verdicts:
        if v not in amap.verdicts:
            out[v] = VerdictState(status=ABSENT)
            continue
        state = {"status": status[v]}
        if status[v] != INCONSISTENT:
            for aspect in ASPECTS.values():
                state.update(aspect(amap, v, fixed, status[v]))
        out[v] = VerdictState(**state)
    return out


def map_diff(old: ArgumentMap, new: ArgumentMap, old_name: str = "old", new_name: str = "new",
             everything: bool = False) -> MapDiff:
    """Compare two loaded maps (both without errors). ``everything`` lists unchanged verdicts too."""
    verdicts = list(dict.fromkeys([*old.verdicts, *new.verdicts]))
    worldviews = [None, *dict.fromkeys([*old.worldviews, *new.worldviews])]
    changes: list[VerdictChange] = []
    unchanged = status_changes = 0
    for w in worldviews:
        before, after = _states(old, w, verdicts), _states(new, w, verdicts)
        for v in verdicts:
            b, a = before[v], after[v]
            status_changed = ABSENT not in (b.status, a.status) and b.status != a.status
            status_changes += status_changed
            if b == a:
                unchanged += 1
                if not everything:
                    continue
            changes.append(VerdictChange(verdict=v, worldview=w, before=b, after=a, status_changed=status_changed))
    return MapDiff(old=old_name, new=new_name, statements=statement_changes(old, new),
                   expects=expect_changes(old, new), worldviews=worldviews, verdicts=changes,
                   unchanged=unchanged, status_changes=status_changes)


# ---- text -------------------------------------------------------------------------------------
def _support_text(support: dict[str, bool]) -> str:
    return " and ".join(a if v else f"not {a}" for a, v in support.items()) or "(nothing: it holds outright)"


def _clause_text(clause: dict[str, bool]) -> str:
    words = [a if v else f"not {a}" for a, v in clause.items()]
    return words[0] if len(words) == 1 else "one of: " + ", ".join(words)


def diff_text(d: MapDiff) -> str:
    """The terminal form: statements first, then each verdict that differs, grouped by worldview."""
    from argmap.language.source import shown_name      # the sides are paths the user typed
    out = [f"--- {shown_name(d.old)}", f"+++ {shown_name(d.new)}"]
    s = d.statements
    if s.added or s.removed or s.changed or d.expects.added or d.expects.removed:
        out.append("\nstatements:")
        out += [f"  + {x.kind} {x.id}  ({x.file}:{x.line})" for x in s.added]
        out += [f"  - {x.kind} {x.id}  ({x.file}:{x.line})" for x in s.removed]
        out += [f"  ~ {x.kind} {x.id}: {', '.join(x.fields)}  ({x.file}:{x.line})" for x in s.changed]
        out += [f"  + {e}" for e in d.expects.added] + [f"  - {e}" for e in d.expects.removed]
    else:
        out.append("\nstatements: no change in meaning")
    worldview = object()
    for c in d.verdicts:
        if c.worldview != worldview:
            worldview = c.worldview
            out.append(f"\nunder {'worldview ' + worldview if worldview else 'the empty worldview'}:")
        mark = "!" if c.status_changed else " "
        out.append(f"{mark} {c.verdict}: {c.before.status} -> {c.after.status}")
        before = {repr(sorted(x.items())): x for x in c.before.supports}
        after = {repr(sorted(x.items())): x for x in c.after.supports}
        out += [f"      - support {_support_text(x)}" for k, x in before.items() if k not in after]
        out += [f"      + support {_support_text(x)}" for k, x in after.items() if k not in before]
        before = {repr(sorted(x.items())): x for x in c.before.needs}
        after = {repr(sorted(x.items())): x for x in c.after.needs}
        out += [f"      - needs {_clause_text(x)}" for k, x in before.items() if k not in after]
        out += [f"      + needs {_clause_text(x)}" for k, x in after.items() if k not in before]
    out.append(f"\n{count(d.status_changes, 'status change')}; "
               f"{count(len(d.verdicts), 'verdict/worldview pair differs', 'verdict/worldview pairs differ')}, "
               f"{d.unchanged} unchanged (worldviews compared: empty"
               + "".join(f", {w}" for w in d.worldviews if w) + ")")
    return "\n".join(out)
