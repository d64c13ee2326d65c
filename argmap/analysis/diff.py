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
    stopped_by: str | None = None                 # what cut a list, as in `why --json` ("budget": its
    needs_stopped_by: str | None = None           # part of the time ran out; "limit", "calls", ...)


class VerdictChange(BaseModel):
    verdict: str
    worldview: str | None                          # None: the empty worldview
    before: VerdictState
    after: VerdictState
    status_changed: bool
    meaning_changed: bool | None = True           # None: not decided within the time budget


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
    eng = engine(amap)
    found, truncated = eng.supports(verdict, fixed, limit=limit)
    # Sorted so that two maps listing the same supports in another order compare equal.
    supports = sorted((dict(sorted(s.items())) for s in found), key=lambda s: sorted(s.items()))
    return {"supports": supports, "truncated": truncated, "stopped_by": eng.stopped_by if truncated else None}


def _needs(amap: ArgumentMap, verdict: str, fixed: dict[str, bool], status: str, limit: int) -> dict:
    """The clauses the verdict needs (its cut sets negated), as `argmap why` gives them."""
    from argmap.analysis.queries import cut_sets, engine, negated
    found, truncated = cut_sets(amap, verdict, fixed, status, limit)
    needs = sorted((dict(sorted(negated(c).items())) for c in found), key=lambda s: sorted(s.items()))
    return {"needs": needs, "needs_truncated": truncated,
            "needs_stopped_by": engine(amap).stopped_by if truncated else None}


# name → function(map, verdict, the worldview's fixed assumptions, status, limit) → fields of VerdictState
ASPECTS: dict[str, Callable[[ArgumentMap, str, dict, str, int], dict]] = {"supports": _supports, "needs": _needs}
CUT = {"supports": {"supports": [], "truncated": True, "stopped_by": "budget"},
       "needs": {"needs": [], "needs_truncated": True, "needs_stopped_by": "budget"}}


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


def _aspects(amap: ArgumentMap, verdict: str, fixed: dict, status: str, limit: int,
             lists: int) -> tuple[VerdictState, int]:
    """The verdict's state, each list within 1/``lists`` of the time left (``lists``: how many are
    still to come, this verdict's included); returns it and how many are left after it. A list
    whose part runs out before it finds anything is empty and cut."""
    from argmap.engine import budget
    state = {"status": status}
    for name, aspect in ASPECTS.items():
        if status not in (ABSENT, INCONSISTENT):
            try:
                with budget.share(1 / max(1, lists)):
                    state.update(aspect(amap, verdict, fixed, status, limit))
            except budget.BudgetExceeded:
                state.update(CUT[name])     # (so are the lists after it once the whole budget is spent)
        lists -= 1
    return VerdictState(**state), lists


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
        content = _contents(amap)       # (each statement's content once per map, not per slice)
        definitions = {i: content[("d", i)] for i in shard.ids if ("d", i) in content}
        conflicts = {c: content[("c", c)] for g in shard.groups for c in slicer.group_conflicts(g)}
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


def _contents(amap: ArgumentMap) -> dict[tuple[str, str], object]:
    """Every derived node's and conflict's meaning-bearing content, by id (computed once per map)."""
    known = amap._cache.get("diff-contents")
    if known is None:
        known = {("d", i): _content([s.formula for s in d.supports])
                 for table in (amap.claims, amap.verdicts) for i, d in table.items()}
        known.update({("c", c): _content(x.formula) for c, x in amap.conflicts.items()})
        amap._cache["diff-contents"] = known
    return known


def _changed(old: ArgumentMap, new: ArgumentMap) -> tuple[set[str], bool]:
    """The derived nodes whose definition differs between the maps (or that one map lacks), and
    whether any conflict does."""
    a, b = _contents(old), _contents(new)
    keys = {k for k in a.keys() | b.keys() if a.get(k) != b.get(k)}
    return {i for kind, i in keys if kind == "d"}, any(kind == "c" for kind, _ in keys)


def _affected(amap: ArgumentMap, changed: set[str]) -> set[str]:
    """The derived nodes of ``amap`` whose definition changed or that depend on one that did."""
    from argmap.analysis.queries import engine
    here = {i for i in changed if amap.derived(i) is not None}
    return here | engine(amap).slicer.forward(here)


class _Sameness:
    """Whether a verdict means the same in both maps under a worldview, for many at once.

    When no conflict changed or reads a changed node, a verdict that depends on no changed
    definition is the same statement over the same slice (no solver), and the others are
    decided together by one miter (argmap/engine/miter.py). Otherwise each verdict's slices
    are compared by content and, if they differ, by a miter of its own (``_same_meaning``)."""

    def __init__(self, old: ArgumentMap, new: ArgumentMap):
        from argmap.language.model import refs
        self.old, self.new = old, new
        changed, conflicts_changed = _changed(old, new)
        self.changed = changed
        self.affected_new = _affected(new, changed)
        self.affected = _affected(old, changed) | self.affected_new
        reads = {r.name for amap in (old, new) for c in amap.conflicts.values() for r in refs(c.formula)}
        self.whole = not conflicts_changed and not (reads & self.affected)
        self._miter = None

    def same(self, verdicts: list[str], f_old: dict, f_new: dict) -> dict[str, bool | None]:
        """``verdicts``: in both maps, the same status there, both scenarios consistent. True:
        the same meaning; False: a different one; None: the miter ran out of its time."""
        from argmap.analysis.queries import engine
        from argmap.engine.miter import Miter
        old, new = self.old, self.new
        if not (self.whole and f_old == f_new):
            return {v: _same_slice(old, new, v, f_old, f_new) or _same_meaning(old, new, v, f_old, f_new)
                    for v in verdicts}
        out = {v: v not in self.affected for v in verdicts}
        asked = [v for v in verdicts if not out[v]]
        if asked:
            if self._miter is None:
                self._miter = Miter(engine(old), engine(new), self.affected_new, self.changed)
            for v, differs in self._miter.differs(f_old, asked).items():
                out[v] = None if differs is None else not differs
        return out


def map_diff(old: ArgumentMap, new: ArgumentMap, old_name: str = "old", new_name: str = "new",
             everything: bool = False, limit: int | None = None) -> MapDiff:
    """Compare two loaded maps (both without errors). ``everything`` lists unchanged verdicts too;
    ``limit``: the supports and needs listed per side (default ``DEFAULT_SUPPORT_LIMIT``, as `why`).

    A verdict whose meaning is the same in both maps (``_Sameness``) has the same status,
    supports and needs: it is counted unchanged without listing them (once, for both sides, with
    ``everything``). Listing supports is exponential on wide slices, so each list gets an equal
    part of the time left; one that runs out of it is cut (``truncated``, or empty and cut when
    nothing was found), which the terminal reports instead of a comparison. Before, a one-line
    edit of the generated wide 1k map ran out of the 60 s budget listing 64 verdicts' supports
    under 3 worldviews, twice, and the wide 10k one before any list (1,512 miters of ~1 s)."""
    from argmap.analysis.queries import DEFAULT_SUPPORT_LIMIT
    limit = DEFAULT_SUPPORT_LIMIT if limit is None else limit
    verdicts = list(dict.fromkeys([*old.verdicts, *new.verdicts]))
    worldviews = [None, *dict.fromkeys([*old.worldviews, *new.worldviews])]
    sameness = _Sameness(old, new)
    pairs = []
    for w in worldviews:
        (s_old, f_old), (s_new, f_new) = _statuses(old, w, verdicts), _statuses(new, w, verdicts)
        comparable = [v for v in verdicts if s_old[v] == s_new[v] and s_old[v] not in (ABSENT, INCONSISTENT)]
        same = sameness.same(comparable, f_old, f_new)
        for v in verdicts:
            if same.get(v) and not everything:
                continue
            # (the same status outside `comparable`: inconsistent in both, nothing to list)
            known = same[v] if v in same else s_old[v] == s_new[v]
            pairs.append((w, v, known, (s_old[v], f_old), (s_new[v], f_new)))
    changes: list[VerdictChange] = []
    unchanged = sum(len(verdicts) for _ in worldviews) - len(pairs)
    status_changes = 0
    lists = sum(2 if same else 4 for _, _, same, _, _ in pairs)
    for w, v, same, (st_old, f_old), (st_new, f_new) in pairs:
        meaning_changed = None if same is None else not same
        b, lists = _aspects(old, v, f_old, st_old, limit, lists)
        if same:
            a = b
        else:
            a, lists = _aspects(new, v, f_new, st_new, limit, lists)
        status_changed = ABSENT not in (b.status, a.status) and b.status != a.status
        status_changes += status_changed
        cut = not same and any(x.truncated or x.needs_truncated for x in (b, a))
        if b == a and not cut:      # (lists cut alike prove nothing: the meaning differs)
            unchanged += 1
            if not everything:
                continue
        if status_changed or any(x.status in (ABSENT, INCONSISTENT) for x in (b, a)) and b.status != a.status:
            meaning_changed = True
        elif meaning_changed is None and b != a and not cut:
            meaning_changed = True      # the complete lists differ
        changes.append(VerdictChange(verdict=v, worldview=w, before=b, after=a, status_changed=status_changed,
                                     meaning_changed=meaning_changed))
    return MapDiff(old=old_name, new=new_name, statements=statement_changes(old, new),
                   expects=expect_changes(old, new), worldviews=worldviews, verdicts=changes,
                   unchanged=unchanged, status_changes=status_changes)


# ---- text -------------------------------------------------------------------------------------
def _support_text(support: dict[str, bool]) -> str:
    return " and ".join(a if v else f"not {a}" for a, v in support.items()) or "(nothing: it holds outright)"


def _clause_text(clause: dict[str, bool]) -> str:
    words = [a if v else f"not {a}" for a, v in clause.items()]
    return words[0] if len(words) == 1 else "one of: " + ", ".join(words)


def _list_changes(word: str, text, before: list, after: list, cut: bool, verdict: str, command: str,
                  stopped: set) -> list[str]:
    """The entries one side lists and the other does not; none when a list was cut (at the limit
    or by the budget, ``stopped`` the reasons): two partial lists differ by which entries each
    search found first."""
    if cut:
        plural = "supports" if word == "support" else word
        why = ("not compared: the time budget ran out while listing them (raise it with --timeout)"
               if "budget" in stopped else "too many to compare here (a list was cut)")
        return [f"      {plural}: {why}; `argmap {command} {verdict}` lists them on each side"]
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
        undecided = "  (its meaning may not have changed: not decided within the time budget)"
        out.append(f"{mark} {c.verdict}: {c.before.status} -> {c.after.status}"
                   + (undecided if c.meaning_changed is None else ""))
        out += _list_changes("support", _support_text, c.before.supports, c.after.supports,
                             c.before.truncated or c.after.truncated, c.verdict, "why",
                             {c.before.stopped_by, c.after.stopped_by})
        out += _list_changes("needs", _clause_text, c.before.needs, c.after.needs,
                             c.before.needs_truncated or c.after.needs_truncated, c.verdict, "cuts",
                             {c.before.needs_stopped_by, c.after.needs_stopped_by})
    undecided = sum(c.meaning_changed is None for c in d.verdicts)
    out.append(f"\n{count(d.status_changes, 'status change')}; "
               f"{count(len(d.verdicts), 'verdict/worldview pair differs', 'verdict/worldview pairs differ')}"
               + (f" ({undecided} of them perhaps: not decided within the time budget)" if undecided else "") + ", "
               f"{d.unchanged} unchanged (worldviews compared: empty"
               + "".join(f", {w}" for w in d.worldviews if w) + ")")
    return "\n".join(out)
