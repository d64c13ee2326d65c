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
        # the class too: `a and b` and `a or b` have the same fields (And and Or hold only `args`)
        return {"__class__": type(obj).__name__,
                **{f.name: _content(getattr(obj, f.name)) for f in dataclasses.fields(obj) if f.name != "span"}}
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
def _supports(amap: ArgumentMap, verdict: str, fixed: dict[str, bool], status: str, limit: int) -> dict:
    """The minimal supports, as `argmap why` gives them (none for a verdict that fails)."""
    from argmap.analysis.queries import engine
    if status == "fails":
        return {"supports": [], "truncated": False}
    found, truncated = engine(amap).supports(verdict, fixed, limit=limit)
    # Sorted so that two maps listing the same supports in another order compare equal.
    supports = sorted((dict(sorted(s.items())) for s in found), key=lambda s: sorted(s.items()))
    return {"supports": supports, "truncated": truncated}


def _needs(amap: ArgumentMap, verdict: str, fixed: dict[str, bool], status: str, limit: int) -> dict:
    """The clauses the verdict needs (its cut sets negated), as `argmap why` gives them."""
    from argmap.analysis.queries import cut_sets, negated
    found, truncated = cut_sets(amap, verdict, fixed, status, limit)
    needs = sorted((dict(sorted(negated(c).items())) for c in found), key=lambda s: sorted(s.items()))
    return {"needs": needs, "needs_truncated": truncated}


# name → function(map, verdict, the worldview's fixed assumptions, status, limit) → fields of VerdictState
ASPECTS: dict[str, Callable[[ArgumentMap, str, dict, str, int], dict]] = {"supports": _supports, "needs": _needs}


def _statuses(amap: ArgumentMap, worldview: str | None, verdicts: list[str]) -> tuple[dict[str, str], dict]:
    """Every verdict's status (or ABSENT, INCONSISTENT) under the worldview, and its fixed literals."""
    from argmap.analysis.queries import Scenario, statuses
    if worldview is not None and worldview not in amap.worldviews:
        return dict.fromkeys(verdicts, ABSENT), {}
    present = [v for v in verdicts if v in amap.verdicts]
    scenario = Scenario(worldview=worldview)
    try:
        status = statuses(amap, scenario, nodes=present)      # one call for all: it shares the solver work
    except InconsistentError:
        status = dict.fromkeys(present, INCONSISTENT)
    return {v: status.get(v, ABSENT) for v in verdicts}, scenario.fixed(amap)


def _aspects(amap: ArgumentMap, verdict: str, fixed: dict, status: str, limit: int) -> VerdictState:
    state = {"status": status}
    if status not in (ABSENT, INCONSISTENT):
        for aspect in ASPECTS.values():
            state.update(aspect(amap, verdict, fixed, status, limit))
    return VerdictState(**state)


def _slice(amap: ArgumentMap, verdict: str) -> tuple:
    """The verdict's slice shard and what its status, supports and needs are functions of (docs/
    semantics.md, "How it is computed", 3): the definitions in the slice and the conflicts of the
    components it touches, by content, without places or texts. The same under every worldview,
    so computed once per map (the worldview's literals on it are compared by the caller)."""
    from argmap.analysis.queries import engine
    known = amap._cache.setdefault("diff-slices", {})
    if verdict not in known:
        slicer = engine(amap).slicer
        shard = slicer.slice_shard(verdict)
        definitions = {i: _content([s.formula for s in amap.derived(i).supports])
                       for i in shard.ids if amap.derived(i) is not None}
        conflicts = {c: _content(amap.conflicts[c].formula) for g in shard.groups for c in slicer.group_conflicts(g)}
        known[verdict] = shard, (frozenset(shard.ids), definitions, conflicts)
    return known[verdict]


def _same_slice(old: ArgumentMap, new: ArgumentMap, verdict: str, f_old: dict, f_new: dict) -> bool:
    (s_old, c_old), (s_new, c_new) = _slice(old, verdict), _slice(new, verdict)
    return c_old == c_new and {a: v for a, v in f_old.items() if a in s_old.ids} == \
        {a: v for a, v in f_new.items() if a in s_new.ids}


def _same_meaning(old: ArgumentMap, new: ArgumentMap, verdict: str, f_old: dict, f_new: dict) -> bool:
    """Whether the verdict means the same in both maps: over the assumptions of both slices (by
    id) and under the worldview's literals, the conflicts K the slices assert agree, and so does
    the verdict wherever K holds. Then g = not K or V and K are the same functions, so the
    status, the minimal supports (the prime implicants of g consistent with K) and the cut sets
    are the same. One solver call on both slices side by side (a miter)."""
    from argmap.analysis.queries import engine
    from argmap.engine.definitions import slice_text
    e_old, e_new = engine(old), engine(new)
    s_old, s_new = _slice(old, verdict)[0], _slice(new, verdict)[0]
    universe = sorted({a for a in s_old.ids | s_new.ids if a in old.assumptions or a in new.assumptions})
    if {a: v for a, v in f_old.items() if a in universe} != {a: v for a, v in f_new.items() if a in universe}:
        return False
    shared = {a: f"x{k}" for k, a in enumerate(universe)}
    text = [f"(declare-const {n} Bool)" for n in shared.values()]
    k_old, v_old = slice_text(e_old, s_old, verdict, "o_", shared, text)
    k_new, v_new = slice_text(e_new, s_new, verdict, "n_", shared, text)
    text.append(f"(assert (or (xor {k_old} {k_new}) (and {k_old} (xor {v_old} {v_new}))))")
    for a, v in sorted(f_old.items()):
        if a in shared:
            text.append(f"(assert {shared[a] if v else f'(not {shared[a]})'})")
    return not e_old._check(e_old._new_solver("\n".join(text)), [])


def map_diff(old: ArgumentMap, new: ArgumentMap, old_name: str = "old", new_name: str = "new",
             everything: bool = False, limit: int | None = None) -> MapDiff:
    """Compare two loaded maps (both without errors). ``everything`` lists unchanged verdicts too;
    ``limit``: the supports and needs listed per side (default ``DEFAULT_SUPPORT_LIMIT``, as `why`).

    A verdict whose slice is the same in both maps (and both scenarios consistent), or whose
    meaning a solver call proves the same (``_same_meaning``), has the same status, supports and
    needs: it is counted unchanged without listing them (once, for both sides, with ``everything``). Listing supports is exponential on wide slices: a one-line edit
    of the generated wide 1k map ran out of the 60 s budget listing 64 verdicts' supports under
    3 worldviews, twice."""
    from argmap.analysis.queries import DEFAULT_SUPPORT_LIMIT
    limit = DEFAULT_SUPPORT_LIMIT if limit is None else limit
    verdicts = list(dict.fromkeys([*old.verdicts, *new.verdicts]))
    worldviews = [None, *dict.fromkeys([*old.worldviews, *new.worldviews])]
    changes: list[VerdictChange] = []
    unchanged = status_changes = 0
    for w in worldviews:
        (s_old, f_old), (s_new, f_new) = _statuses(old, w, verdicts), _statuses(new, w, verdicts)
        for v in verdicts:
            same = (s_old[v] == s_new[v] and s_old[v] not in (ABSENT, INCONSISTENT)
                    and (_same_slice(old, new, v, f_old, f_new) or _same_meaning(old, new, v, f_old, f_new)))
            if same and not everything:
                unchanged += 1
                continue
            b = _aspects(old, v, f_old, s_old[v], limit)
            a = b if same else _aspects(new, v, f_new, s_new[v], limit)
            status_changed = ABSENT not in (b.status, a.status) and b.status != a.status
            status_changes += status_changed
            cut = not same and any(x.truncated or x.needs_truncated for x in (b, a))
            if b == a and not cut:      # (lists cut alike prove nothing: the meaning differs)
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


def _list_changes(word: str, text, before: list, after: list, cut: bool, verdict: str, command: str) -> list[str]:
    """The entries one side lists and the other does not; none when a list was cut (at the limit
    or by the budget): two partial lists differ by which entries each search found first."""
    if cut:
        plural = "supports" if word == "support" else word
        return [f"      {plural}: too many to compare here (a list was cut); `argmap {command} {verdict}` "
                f"lists them on each side"]
    b = {repr(sorted(x.items())): x for x in before}
    a = {repr(sorted(x.items())): x for x in after}
    return ([f"      - {word} {text(x)}" for k, x in b.items() if k not in a]
            + [f"      + {word} {text(x)}" for k, x in a.items() if k not in b])


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
        out += _list_changes("support", _support_text, c.before.supports, c.after.supports,
                             c.before.truncated or c.after.truncated, c.verdict, "why")
        out += _list_changes("needs", _clause_text, c.before.needs, c.after.needs,
                             c.before.needs_truncated or c.after.needs_truncated, c.verdict, "cuts")
    out.append(f"\n{count(d.status_changes, 'status change')}; "
               f"{count(len(d.verdicts), 'verdict/worldview pair differs', 'verdict/worldview pairs differ')}, "
               f"{d.unchanged} unchanged (worldviews compared: empty"
               + "".join(f", {w}" for w in d.worldviews if w) + ")")
    return "\n".join(out)
