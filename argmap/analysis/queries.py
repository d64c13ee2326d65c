"""Questions a user asks of a map, answered as result dataclasses (the CLI prints the same objects).

The results dump as pydantic models would (``model_dump``, ``model_dump_json``: argmap.dumpable),
but import pydantic only when dumped, so that a command printing text never pays for it.

Every function takes a loaded :class:`ArgumentMap` and a scenario (a worldview plus ``assume`` /
``deny`` literals). One :class:`argmap.engine.logic.Engine` is built per map and reused by every query.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Literal as Lit

from argmap.analysis import checkcache
from argmap.dumpable import Dumpable
from argmap.language.diagnostics import Diagnostic, InconclusiveError, InconsistentError, UsageError
from argmap.language.model import ArgumentMap, Expect
from argmap.language.validate import suggest

Status = Lit["holds", "fails", "open", "inconsistent"]
Stopped = Lit["limit", "budget", "calls", "shown"]
DEFAULT_SUPPORT_LIMIT = 1000


# ---- scenarios --------------------------------------------------------------------------------
@dataclass(slots=True, kw_only=True)
class Scenario(Dumpable):
    """A worldview plus literals from the command line; later literals override the worldview's."""

    worldview: str | None = None
    assume: list[str] = field(default_factory=list)
    deny: list[str] = field(default_factory=list)

    def fixed(self, amap: ArgumentMap) -> dict[str, bool]:
        out: dict[str, bool] = {}
        if self.worldview is not None:
            if self.worldview not in amap.worldviews:
                raise UsageError(f"unknown worldview `{self.worldview}`",
                                 hint=suggest(self.worldview, amap.worldviews)
                                 or _choices("worldviews", amap.worldviews))
            out.update(amap.worldviews[self.worldview].fixed())
        for names, value in ((self.assume, True), (self.deny, False)):
            for name in names:
                require_assumption(amap, name)
                if name in out and out[name] != value and (name in self.assume and name in self.deny):
                    raise UsageError(f"`{name}` is both assumed and denied")
                out[name] = value
        return out

    def describe(self) -> str:
        parts = [f"worldview {self.worldview}"] if self.worldview else []
        parts += [f"assume {a}" for a in self.assume] + [f"deny {d}" for d in self.deny]
        return ", ".join(parts) or "the empty worldview"


def _choices(what: str, names) -> str:
    names = list(names)
    return f"the map's {what}: " + (", ".join(names[:12]) + (" ..." if len(names) > 12 else "") if names else "none")


def require_assumption(amap: ArgumentMap, name: str) -> None:
    if name not in amap.assumptions:
        kind = amap.kind_of(name)
        if kind:
            raise UsageError(f"`{name}` is a {kind}, not an assumption",
                             hint="only assumptions can be assumed, denied or broken")
        raise UsageError(f"unknown assumption `{name}`",
                         hint=suggest(name, amap.assumptions) or _choices("assumptions", amap.assumptions))


def require_node(amap: ArgumentMap, name: str) -> None:
    if name not in amap.verdicts and name not in amap.claims:
        kind = amap.kind_of(name)
        if kind == "assumption":
            raise UsageError(f"`{name}` is an assumption: it holds only if assumed",
                             hint="ask about a claim or a verdict (`proposal.component`)")
        if kind == "proposal":
            own = amap.proposals[name].verdicts
            raise UsageError(f"`{name}` is a proposal, not a verdict; its verdicts are "
                             + ", ".join(f"`{v}`" for v in own),
                             hint="ask about one of them, e.g. `" + (own[0] if own else f"{name}.outer") + "`")
        raise UsageError(f"unknown verdict or claim `{name}`",
                         hint=suggest(name, list(amap.verdicts) + list(amap.claims))
                         or _choices("verdicts", amap.verdicts))


def engine(amap: ArgumentMap, timeout_ms: int | None = None):
    """The map's engine, compiled on first use and cached on the map (one encoding per map)."""
    from argmap.engine.logic import DEFAULT_TIMEOUT_MS, Engine
    if "engine" not in amap._cache:
        amap._cache["engine"] = Engine(amap, timeout_ms or DEFAULT_TIMEOUT_MS)
    return amap._cache["engine"]


# ---- inconsistency ----------------------------------------------------------------------------
@dataclass(slots=True, kw_only=True)
class ConflictItem(Dumpable):
    kind: str
    id: str
    file: str | None = None
    line: int | None = None
    text: str


def explain_conflict(amap: ArgumentMap, fixed: dict[str, bool], scenario: Scenario | None = None,
                     keep: tuple[str, bool] | None = None) -> list[ConflictItem]:
    """The minimal set of statements behind an inconsistency, each with its place and text."""
    from argmap.language.model import show
    wv = amap.worldviews.get(scenario.worldview) if scenario and scenario.worldview else None
    items = []
    for t in engine(amap).conflict(fixed, keep=keep):
        if t.kind == "conflict":
            c = amap.conflicts[t.id]
            items.append(ConflictItem(kind="conflict", id=t.id, file=c.span.file, line=c.span.line,
                                      text=f"never: {show(c.formula)}"))
        elif t.kind == "fixed":
            from_cli = scenario is not None and (t.id in scenario.assume or t.id in scenario.deny)
            line = None if from_cli or wv is None else next((ln for ln in wv.lines if ln.assumption == t.id), None)
            verb = "assume" if t.value else "deny"
            origin = f"worldview {wv.id}" if line is not None else "command line"
            items.append(ConflictItem(kind="fixed", id=t.id, file=line.span.file if line else None,
                                      line=line.span.line if line else None,
                                      text=f"{verb} {t.id} ({origin}): {amap.text_of(t.id)}"))
        else:
            node = amap.derived(t.id)
            items.append(ConflictItem(kind=t.kind, id=t.id, file=node.span.file, line=node.span.line,
                                      text=_definition(node)))
    return items


def _definition(node) -> str:
    from argmap.language.model import show
    supports = [show(s.formula) for s in node.supports]
    body = " or ".join(f"({s})" if len(supports) > 1 else s for s in supports) or "false"
    return f"{node.id} holds exactly when {body}"


def _require_consistent(amap, fixed, scenario) -> None:
    if not engine(amap).consistent(fixed):
        raise InconsistentError(f"{scenario.describe()} is inconsistent with the map",
                                explain_conflict(amap, fixed, scenario))


# ---- statuses ---------------------------------------------------------------------------------
def statuses(amap: ArgumentMap, scenario: Scenario | None = None, nodes=None) -> dict[str, Status]:
    """Status of each node (default: every verdict). Raises InconsistentError for a bad scenario."""
    scenario = scenario or Scenario()
    fixed = scenario.fixed(amap)
    _require_consistent(amap, fixed, scenario)
    nodes = list(amap.verdicts) if nodes is None else list(nodes)
    return _statuses(amap, fixed, nodes)


def _statuses(amap, fixed, nodes) -> dict[str, Status]:
    values = engine(amap).values(fixed, nodes)
    return {n: ("open" if v is None else "holds" if v else "fails") for n, v in values.items()}


@dataclass(slots=True, kw_only=True)
class Verdicts(Dumpable):
    verdicts: dict[str, Status]


def verdicts(amap: ArgumentMap, worldview: str | None = None, assume=(), deny=()) -> Verdicts:
    """Every verdict's status under a scenario (the 12×4 matrix for the bundled corpus)."""
    scenario = Scenario(worldview=worldview, assume=list(assume), deny=list(deny))
    return Verdicts(verdicts=statuses(amap, scenario))


@dataclass(slots=True, kw_only=True)
class VerdictNeeds(Dumpable):
    """`verdicts --needs`: the matrix plus, for each open verdict, its single points of failure
    (its cut sets of size 1, e.g. ``{"a": false}``: a failing alone makes the verdict fail) and how
    many cut sets it has in all."""

    verdicts: dict[str, Status]
    single_points_of_failure: dict[str, list[dict[str, bool]]]
    cut_sets: dict[str, int]            # how many cut sets were found (at least this many if truncated)
    truncated: dict[str, bool]
    stopped_by: dict[str, Stopped] = field(default_factory=dict)   # the truncated ones: which bound
    # verdicts whose single points of failure may be incomplete: the budget ran out before the
    # solver call that completes a truncated list (empty unless --timeout is short for the map)
    single_points_partial: list[str] = field(default_factory=list)


def verdict_needs(amap: ArgumentMap, worldview: str | None = None, assume=(), deny=(),
                  limit: int = DEFAULT_SUPPORT_LIMIT, cheap: bool = False) -> VerdictNeeds:
    """Every verdict's status, and what each open one hangs on.

    The count of the cut sets may be partial (``truncated``, with the bound in ``stopped_by``);
    the single points of failure are complete, unless the budget ran out before the solver call
    that completes a truncated list (``single_points_partial``). Under a command budget each open
    verdict's enumeration gets an equal part of half the time left, so that one verdict with many
    cut sets cannot use up the budget of all the others (the chain 10k map: 9 of 482 verdicts
    took 3-10 s each, and `verdicts --needs` exited 3 at the 60 s budget); the completing calls
    get the other half (wide 10k: ~50 ms a verdict). ``cheap`` (the terminal's count): a list that
    Blake's form does not give cheaply (Engine.cheap_supports) is not counted, ``stopped_by``
    "shown"; its single points of failure are still complete (wide 1k: 13.5 s to print counts
    such as "999+"; wide 10k: 33 s, every count stopped by the budget)."""
    from argmap.engine import budget
    scenario = Scenario(worldview=worldview, assume=list(assume), deny=list(deny))
    found = statuses(amap, scenario)
    fixed = scenario.fixed(amap)
    eng = engine(amap)
    found_sets, cut, stopped = {}, {}, {}
    todo = [v for v, status in found.items() if status == "open"]
    with budget.share(0.5):         # the rest: the single points of failure of truncated lists
        for k, v in enumerate(todo):
            try:
                with budget.share(1 / (len(todo) - k)):
                    listed = eng.cheap_supports(v, fixed, value=False, limit=limit) if cheap else \
                        eng.supports(v, fixed, limit=limit, value=False)
                if listed is None:
                    found_sets[v], cut[v], stopped[v] = [], True, "shown"
                    continue
                found_sets[v], cut[v] = listed
                if cut[v]:
                    stopped[v] = eng.stopped_by if not cheap else "limit"
            except InconclusiveError:
                if budget.active() is None:
                    raise               # a solver timeout in library use: no part to blame
                # its part ran out before the first cut set (a solver call stopped by that
                # deadline says `unknown`): the count is unknown, not the singles (below)
                found_sets[v], cut[v], stopped[v] = [], True, "budget"
    singles, counts, partial = {}, {}, []
    for v in todo:
        sets = found_sets[v]
        if cut[v] and not partial:
            # a truncated list need not hold every set of size one (MARCO keeps the first found)
            try:
                sets = eng.single_supports(v, fixed, value=False) + [c for c in sets if len(c) > 1]
            except InconclusiveError:
                if budget.active() is None:
                    raise
                partial.append(v)       # the budget is gone: this and every later truncated list
        elif cut[v]:
            partial.append(v)
        singles[v] = [c for c in sets if len(c) == 1]
        counts[v] = len(sets)
    return VerdictNeeds(verdicts=found, single_points_of_failure=singles, cut_sets=counts, truncated=cut,
                        stopped_by=stopped, single_points_partial=partial)


def _node_under(amap: ArgumentMap, node: str, worldview, assume, deny) -> tuple[dict[str, bool], Status]:
    """The scenario's fixed assumptions and ``node``'s status under them (after the checks every
    single-node query makes: a known node, a consistent scenario)."""
    require_node(amap, node)
    scenario = Scenario(worldview=worldview, assume=list(assume), deny=list(deny))
    fixed = scenario.fixed(amap)
    _require_consistent(amap, fixed, scenario)
    return fixed, _statuses(amap, fixed, [node])[node]


# ---- why --------------------------------------------------------------------------------------
@dataclass(slots=True, kw_only=True)
class Why(Dumpable):
    verdict: str
    status: Status
    supports: list[dict[str, bool]]
    truncated: bool = False
    needs: list[dict[str, bool]] = field(default_factory=list)   # clauses: at least one literal must hold
    needs_truncated: bool = False
    # which bound stopped a truncated answer: "limit" (--limit), "budget" (--timeout) or
    # "calls" (the enumeration's cap of solver rounds, engine.logic); the supports' and the
    # needs' own, as each list has its own enumeration and its own share of the budget
    stopped_by: Stopped | None = None
    needs_stopped_by: Stopped | None = None


def why(amap: ArgumentMap, node: str, worldview: str | None = None, assume=(), deny=(),
        limit: int = DEFAULT_SUPPORT_LIMIT, shown: tuple[int, int] | None = None) -> Why:
    """Status, every minimal support set of a verdict or claim, and what it needs.

    A support maps assumptions to the values that, together with the scenario, entail the node.
    A need is a clause (one of its literals must hold) that the node implies: one cut set negated.
    A list cut short still holds every single need (one solver call finds them all).

    ``shown`` = (needs, supports): the terminal's `why` prints at most that many of each (a
    count beyond); where a list is not cheap to compute (Blake's form gives up and MARCO streams
    it) it stops there, ``stopped_by`` "shown". On a wide map's verdict, listing 1,000 of each
    took 19 s (10k statements) to print 20 needs and a count.
    """
    from argmap.engine import budget
    fixed, status = _node_under(amap, node, worldview, assume, deny)
    eng = engine(amap)
    # the needs get half of the time left, so that a wide verdict whose cut sets alone could fill
    # the budget (wide 100k) still leaves time for its supports: both partial, both marked
    with budget.share(0.5):
        needs, cut_truncated, needs_stopped_by = node_needs(amap, node, fixed, status, limit,
                                                            shown=shown[0] if shown else None)
    if status == "fails":
        return Why(verdict=node, status=status, supports=[], needs=needs)
    found, truncated = eng.supports(node, fixed, limit=limit, stream_limit=shown[1] if shown else None)
    return Why(verdict=node, status=status, supports=found, truncated=truncated,
               stopped_by=eng.stopped_by if truncated else None, needs=needs, needs_truncated=cut_truncated,
               needs_stopped_by=needs_stopped_by)


def node_needs(amap: ArgumentMap, node: str, fixed: dict[str, bool], status: Status, limit: int,
               shown: int | None = None) -> tuple[list[dict[str, bool]], bool, Stopped | None]:
    """What ``node`` needs under ``fixed`` (its cut sets negated, as clauses): (needs, truncated,
    stopped_by). ``shown``: stop a list MARCO streams after that many (stopped_by "shown"); a list
    cut short holds every single need."""
    from argmap.engine.logic import sorted_supports
    found, truncated, stopped_by = _cuts_listed(amap, node, fixed, status, limit, shown)
    return sorted_supports(negated(c) for c in found), truncated, stopped_by


def _cuts_listed(amap, node, fixed, status, limit, shown) -> tuple[list[dict[str, bool]], bool, Stopped | None]:
    """``cut_sets``, stopped after ``shown`` where MARCO streams them; (cut sets, truncated,
    stopped_by), a list cut short completed with every cut set of one literal."""
    eng = engine(amap)
    found, truncated = cut_sets(amap, node, fixed, status, limit, shown)
    stopped_by = eng.stopped_by if truncated else None
    if truncated:
        found = _with_single_cuts(eng, node, fixed, found)
    return found, truncated, stopped_by


def _with_single_cuts(eng, node, fixed, found: list[dict[str, bool]]) -> list[dict[str, bool]]:
    """``found`` (minimal cut sets, cut short) plus every cut set of one literal: an enumeration
    stopped early need not have met them, and they are a verdict's single points of failure.
    Unchanged if the budget runs out first."""
    try:
        singles = eng.single_supports(node, fixed, value=False)
    except InconclusiveError:
        return found
    return found + [c for c in singles if c not in found]


# ---- cut sets and needs -----------------------------------------------------------------------
def negated(literals: dict[str, bool]) -> dict[str, bool]:
    """A cut set read as the clause it forbids (and back): every literal flipped."""
    return {a: not v for a, v in literals.items()}


def cut_sets(amap, node, fixed, status, limit, shown: int | None = None) -> tuple[list[dict[str, bool]], bool]:
    """Minimal supports of ``not node`` under ``fixed`` (smallest first): none if it holds.
    ``shown``: Engine.supports' ``stream_limit``."""
    if status == "holds":
        return [], False
    if status == "fails":
        return [{}], False          # it fails already: the empty set is its only minimal cut
    return engine(amap).supports(node, fixed, limit=limit, value=False, stream_limit=shown)


@dataclass(slots=True, kw_only=True)
class Cuts(Dumpable):
    """Every minimal way a verdict (or claim) can fail under a scenario, ranked.

    ``cuts[i]`` maps assumptions to the values that, with the scenario, make the node fail
    (``{"a": false}``: "a fails"). ``takes_down[i]`` lists the other verdicts that the same cut
    set makes fail and that do not fail under the scenario alone; ``probabilities[i]`` is
    P(cut set | conflicts) under the worldview's credences (present only when asked for).
    """

    verdict: str
    status: Status
    cuts: list[dict[str, bool]]
    truncated: bool = False
    stopped_by: Stopped | None = None            # as in Why: which bound cut a truncated list
    takes_down: list[list[str]] = field(default_factory=list)
    probabilities: list[float] | None = None
    ranked_by: list[str] = field(default_factory=lambda: ["size", "takes_down"])


def cuts(amap: ArgumentMap, node: str, worldview: str | None = None, assume=(), deny=(),
         limit: int = DEFAULT_SUPPORT_LIMIT, weigh=None, rank: str = "size", shown: int | None = None) -> Cuts:
    """The cut sets of ``node``: minimal sets of assumption literals, consistent with the map and
    the scenario, that make it fail (the minimal supports of its negation).

    Ranked as fault-tree tools rank minimal cut sets: smaller first, then the one that takes down
    more other verdicts, then by literal. ``weigh`` (cut sets → probabilities) attaches a probability
    to each; argmap.analysis.probability.cuts_with_probabilities passes P(cut | conflicts) under the
    worldview's credences. ``rank="probability"`` then orders by size, then most probable first.
    With more than ``limit`` cut sets the smallest ``limit`` are ranked and ``truncated`` is set
    (see Engine.supports for when "smallest" is not guaranteed). ``shown``: the terminal prints
    at most that many; where the list is not cheap (MARCO streams it) it stops there, with
    ``stopped_by`` "shown", as `why`'s needs do. A list cut short holds every cut set of one
    literal (the single points of failure).
    """
    from argmap.engine import budget
    fixed, status = _node_under(amap, node, worldview, assume, deny)
    eng = engine(amap)
    # half of the budget left for the enumeration, as for `why`'s needs: a list cut by the budget
    # still needs solver calls to be ranked (takes_down), which used to find no time left (exit 3)
    with budget.share(0.5):
        found, truncated, stopped_by = _cuts_listed(amap, node, fixed, status, limit, shown)
    others = [v for v in amap.verdicts if v != node] if any(found) else []
    before = _statuses(amap, fixed, others) if others else {}
    standing = [v for v in others if before[v] != "fails"]
    # Both the scenario and scenario + cut are consistent, so only verdicts whose slice holds one of
    # the cut's assumptions can change status (argmap/slicing.py); deciding just those keeps the
    # ranking proportional to the cut's reach, not to the map (a 55-cut verdict of a 10k map:
    # 2.2 s → 0.44 s). Which verdicts' slices hold an assumption: one walk forward from it (and its
    # conflict component), where asking each verdict's slice walked every verdict's cone (wide
    # 100k: 176 s of closures).
    from argmap.engine.relevance import affected
    inside: dict[str, set[str]] = {}
    takes_down = []
    for cut in found:
        for a in cut:
            if a not in inside:
                inside[a] = affected(eng, a)
        reach = [v for v in standing if any(v in inside[a] for a in cut)]
        after = _statuses(amap, {**fixed, **cut}, reach) if reach else {}
        takes_down.append([v for v in standing if after.get(v) == "fails"])
    probs = None if weigh is None else list(weigh(found))
    order = list(range(len(found)))
    literal_key = [sorted((k, not v) for k, v in c.items()) for c in found]
    if rank == "probability" and probs is not None:
        order.sort(key=lambda i: (len(found[i]), -probs[i], -len(takes_down[i]), literal_key[i]))
        ranked_by = ["size", "probability", "takes_down"]
    else:
        order.sort(key=lambda i: (len(found[i]), -len(takes_down[i]), literal_key[i]))
        ranked_by = ["size", "takes_down"]
    return Cuts(verdict=node, status=status, cuts=[found[i] for i in order], truncated=truncated, stopped_by=stopped_by,
                takes_down=[takes_down[i] for i in order],
                probabilities=None if probs is None else [probs[i] for i in order], ranked_by=ranked_by)


# ---- what breaks ------------------------------------------------------------------------------
@dataclass(slots=True, kw_only=True)
class Remaining(Dumpable):
    """What a weakened verdict keeps once the assumption fails: its supports and needs then.

    Counted from Blake's forms where they are cheap (narrow slices: the whole answer, exact). On a
    wide slice a count is None (not counted) and ``needs`` holds the single needs only (exact: one
    solver call), with ``needs_truncated``: listing the rest could take the whole budget."""

    supports: int | None          # minimal supports under the scenario plus `not A` (None: not counted)
    of: int | None                # minimal supports under the scenario (None: not counted)
    needs: list[dict[str, bool]]  # its needs under the scenario plus `not A` (clauses, as in `why`)
    truncated: bool = False       # some part is partial or not counted (any of the three below, or a None)
    supports_truncated: bool = False    # `supports` is a lower bound (the enumeration stopped)
    of_truncated: bool = False          # `of` is a lower bound
    needs_truncated: bool = False       # `needs` holds every single need but perhaps not every larger one


@dataclass(slots=True, kw_only=True)
class WhatBreaks(Dumpable):
    """The what-breaks lists (LANGUAGE.md); ``completes`` / ``remaining`` only with ``explain``."""

    assumption: str
    breaks: list[str]
    loses: list[str]
    weakens: list[str]
    unaffected: list[str]
    forced: bool = False
    forced_by: list[ConflictItem] = field(default_factory=list)
    # open verdicts that do not break, for which the budget ran out before argmap could tell
    # whether a minimal support holds the assumption (weakens or unaffected: not known)
    undecided: list[str] = field(default_factory=list)
    completes: dict[str, dict[str, bool]] | None = None       # with explain: breaks -> the cut set
    remaining: dict[str, Remaining] | None = None            # with explain: loses, weakens -> what is left


def what_breaks(amap: ArgumentMap, assumption: str, worldview: str | None = None, assume=(), deny=(),
                nodes=None, explain: bool = False, limit: int = DEFAULT_SUPPORT_LIMIT,
                explain_first: int | None = None) -> WhatBreaks:
    """Compare the scenario with the scenario plus ``not assumption``, verdict by verdict.

    With ``explain``: for each verdict it breaks, the cut set that the assumption's failure
    completes (a minimal subset of the scenario's literals plus ``not assumption`` that makes it
    fail, itself a cut set of the verdict under the empty worldview); for each verdict it loses or
    weakens, how many minimal supports remain and what the verdict then needs. ``explain_first``:
    only the first N verdicts of ``breaks`` and the first N of ``loses`` + ``weakens`` (the
    terminal shows no more; the lists themselves stay complete).
    """
    require_assumption(amap, assumption)
    scenario = Scenario(worldview=worldview, assume=list(assume), deny=list(deny))
    fixed = scenario.fixed(amap)
    _require_consistent(amap, fixed, scenario)
    nodes = list(amap.verdicts) if nodes is None else list(nodes)
    if not explain:
        return _what_breaks(amap, assumption, fixed, nodes, scenario)
    # The explanation needs the weakened verdicts' supports and their statuses after `not A`;
    # deciding `weakens` and the lists has already found both, so they are kept, not asked again.
    supports = _Supports(limit)
    after: dict[str, Status] = {}
    result = _what_breaks(amap, assumption, fixed, nodes, scenario, supports=supports, after_out=after)
    if not result.forced:
        _explain_breaks(amap, assumption, fixed, result, limit, supports, after, first=explain_first)
    return result


class _Supports(dict):
    """Minimal supports (``Engine.supports(node, fixed, limit)``) under one scenario, filled by
    ``_uses`` as it needs them, so that what-breaks' explanation does not enumerate them again."""

    def __init__(self, limit: int):
        super().__init__()
        self.limit = limit


def _explain_breaks(amap, assumption, fixed, result: WhatBreaks, limit: int, supports=None, after_status=None,
                    first: int | None = None) -> None:
    from argmap.engine import budget
    supports = {} if supports is None else supports
    after_status = {} if after_status is None else after_status
    eng = engine(amap)
    failed = (assumption, False)
    result.completes = {}
    for v in result.breaks[:first]:
        # deletion: drop every scenario literal whose absence still lets `not A` make V fail
        kept = dict(sorted({**fixed, assumption: False}.items()))
        for a in [k for k in kept if (k, kept[k]) != failed]:
            trial = {k: x for k, x in kept.items() if k != a}
            if _statuses(amap, trial, [v])[v] == "fails":
                kept = trial
        result.completes[v] = kept
    result.remaining = {}
    after = {**fixed, assumption: False}
    nogoods: dict = {}              # conflict components -> their nogoods, shared by the verdicts
    todo = (result.loses + result.weakens)[:first]
    # Only cheap answers (Blake's forms on narrow slices, single needs by one solver call): MARCO
    # could list a wide slice's supports for the whole budget (wide 1k: 15 s for one verdict, wide
    # 10k: 16 s for 7 of 337). The quarter of the time left, each verdict an equal part of what
    # remains of it, stays as a bound: a verdict whose part runs out has no entry.
    with budget.share(0.25):
        for k, v in enumerate(todo):
            try:
                with budget.share(1 / (len(todo) - k)):
                    result.remaining[v] = _remaining(amap, eng, v, assumption, fixed, after, limit,
                                                     supports, after_status, nogoods)
            except InconclusiveError:
                # its part of the budget ran out (a solver call stopped by that deadline reports
                # `unknown` a moment before the deadline counts as passed)
                continue


def _remaining(amap, eng, v, assumption, fixed, after, limit, supports, after_status, nogoods: dict) -> Remaining:
    """One weakened (or lost) verdict's explanation: supports before and after, needs after."""
    from argmap.engine.logic import sorted_supports
    before = supports[v] if v in supports else eng.cheap_supports(v, fixed, limit=limit)
    left = None
    if before is not None and not before[1] and assumption not in fixed:
        # the nogoods of the conflict components in v's slice: all that its supports can meet
        # (Engine.nogoods); remembered by those components, which verdicts often share
        key = frozenset(eng.slicer.touched_groups(v))
        found = nogoods.get(key)
        if found is None:
            found = nogoods[key] = eng.nogoods(limit, among=eng.slice(v))
        if not found[1]:
            left = (_supports_left(before[0], assumption, fixed, found[0]), False)
    if left is None:
        found = eng.cheap_supports(v, after, limit=limit)
        left = (len(found[0]), found[1]) if found is not None else None
    status = after_status[v] if v in after_status else _statuses(amap, after, [v])[v]
    if status in ("holds", "fails"):
        cuts = cut_sets(amap, v, after, status, limit)
    else:
        cuts = eng.cheap_supports(v, after, value=False, limit=limit)
    if cuts is not None:
        needs, needs_cut = sorted_supports(negated(c) for c in cuts[0]), cuts[1]
    else:
        # a wide slice: the single needs, every one, from the solver that decided the status
        needs, needs_cut = sorted_supports(negated(c) for c in eng.single_supports(v, after, value=False)), True
    out = Remaining(supports=left[0] if left else None, of=len(before[0]) if before else None, needs=needs,
                    supports_truncated=bool(left and left[1]), of_truncated=bool(before and before[1]),
                    needs_truncated=needs_cut)
    out.truncated = (out.supports is None or out.of is None or out.supports_truncated or out.of_truncated
                     or out.needs_truncated)
    return out


def _supports_left(found: list[dict[str, bool]], assumption: str, fixed: dict[str, bool],
                   nogoods: list[dict[str, bool]]) -> int:
    """How many minimal supports a node keeps once ``assumption`` fails, counted from all its
    minimal supports under ``fixed`` and all the map's nogoods, without enumerating them again.

    They are exactly the minimal sets among ``P - {not A}`` for the supports P without A whose
    ``P + {not A} + fixed`` contains no nogood (is consistent with the map). Each support S under
    ``fixed + not A``, with ``not A`` added, is a consistent implicant under ``fixed``, so it
    contains a minimal support P, and S = P - {not A} by S's minimality; conversely a minimal set
    of that family is a consistent implicant under ``fixed + not A`` containing such an S, so it is
    S. (what-breaks asked the engine for a second Blake form per weakened verdict instead.)
    """
    from argmap.engine.implicants import minimize
    index: dict[str, int] = {}

    def term(literals) -> tuple[int, int]:
        pos = neg = 0
        for name, value in literals:
            bit = 1 << index.setdefault(name, len(index))
            if value:
                pos |= bit
            else:
                neg |= bit
        return pos, neg

    bad = [term(g.items()) for g in nogoods]
    base_pos, base_neg = term([*fixed.items(), (assumption, False)])
    left = []
    for s in found:
        if s.get(assumption) is True:
            continue
        pos, neg = term(s.items())
        pos, neg = pos | base_pos, neg | base_neg
        if any(not (gp & ~pos) and not (gn & ~neg) for gp, gn in bad):
            continue                    # inconsistent with the map once A fails
        left.append(term((a, x) for a, x in s.items() if a != assumption))
    return len(minimize(left))


def _what_breaks(amap, assumption, fixed, nodes, scenario, before=None, supports=None,
                 affected=None, after_out: dict | None = None) -> WhatBreaks:
    """The lists; ``supports`` (node → Engine.supports answer) are used where present, and a
    ``_Supports`` is filled as well; ``after_out`` receives the statuses decided under ``not A``."""
    eng = engine(amap)
    after_fixed = {**fixed, assumption: False}
    if fixed.get(assumption) is True or not eng.consistent(after_fixed):
        # W ∧ ¬A is unsatisfiable (the dict update above would silently drop W's `assume A`)
        forced_by = explain_conflict(amap, fixed, scenario, keep=(assumption, False))
        return WhatBreaks(assumption=assumption, breaks=[], loses=[], weakens=[], unaffected=list(nodes),
                          forced=True, forced_by=forced_by)
    before = before or _statuses(amap, fixed, nodes)
    # Both scenarios are consistent, so a node whose slice lacks the assumption keeps its status
    # (argmap/slicing.py); only the others are decided again.
    if affected is None:
        from argmap.engine.relevance import affected as reached
        reached_ids = reached(eng, assumption)
        affected = [n for n in nodes if n in reached_ids]
    # (outside its slice the assumption is in no minimal support either: such a verdict is
    # unaffected without a question; cruxes asks 3,000 assumptions about 664 verdicts on topics 10k)
    inside = set(affected)
    after = {**before, **_statuses(amap, after_fixed, affected)} if affected else before
    if after_out is not None:
        after_out.update((n, after[n]) for n in affected)
    out = WhatBreaks(assumption=assumption, breaks=[], loses=[], weakens=[], unaffected=[])
    # the `weakens` questions, answered together: on wide slices one consequences() call decides
    # nearly all of them (argmap/engine/relevance.py)
    from argmap.engine.relevance import uses_many
    from argmap.engine import budget
    asked = [n for n in affected if before[n] == "open" and after[n] != "fails" and not _listed(n, supports)]
    with budget.share(0.8):         # the rest: the narrow slices' enumerations below
        known = uses_many(eng, fixed, assumption, asked, inside=inside) if asked and assumption not in fixed else {}
    for n in nodes:
        if n not in inside:
            out.unaffected.append(n)        # its status and supports are those of before
        elif before[n] != "fails" and after[n] == "fails":
            out.breaks.append(n)
        elif before[n] == "holds" and after[n] != "holds":
            out.loses.append(n)
        elif before[n] == "open" and assumption not in fixed:
            used = known[n] if n in known else _uses_within_budget(eng, n, fixed, (assumption, True), supports)
            # (an open verdict that does not fail after keeps a support without A, so "not every")
            (out.undecided if used is None else out.weakens if used else out.unaffected).append(n)
        else:
            out.unaffected.append(n)
    return out


def _each_within_budget(free: list[str], ask) -> dict[str, WhatBreaks]:
    """``ask(a)`` for every assumption, each within an equal part of the budget left, so that a
    hard one leaves verdicts undecided instead of taking the others' time; then, with a command
    budget, a second round gives what the quick ones left over to those whose part ran out or left
    verdicts undecided (wide 3k map, --timeout 120: 21,430 undecided pairs and 55 s unused after
    one round; 1,015 after two). Raises BudgetExceeded, saying how far it got, if any assumption
    is still unexamined: a ranking needs them all."""
    from argmap.engine import budget
    found: dict[str, WhatBreaks] = {}
    started = time.monotonic()
    for second in (False, True):
        if second and budget.active() is None:
            break                       # (without a budget nothing was cut short)
        todo = [a for a in free if a not in found or found[a].undecided] if second else free
        # the second round: half of what is left when every assumption has an answer, or a few
        # verdicts no budget decides would always take all of it (wide 1k: 10 s -> 113 s for 2 of 10)
        with budget.share(0.5 if second and all(a in found for a in free) else 1.0):
            for k, a in enumerate(todo):
                if budget.expired():
                    break
                try:
                    # at least 1/200 of what is left: an assumption with a twin solver of its own
                    # (~0.5 s on the wide 10k map) is not cut off at 20 ms when there are thousands
                    with budget.share(max(1 / (len(todo) - k), 0.005)):
                        wb = ask(a)
                except InconclusiveError:
                    if budget.active() is None:
                        raise
                    continue            # its part ran out before its statuses: the next round
                if a not in found or len(wb.undecided) < len(found[a].undecided):
                    found[a] = wb
    missing = [a for a in free if a not in found]
    if missing:
        per = (time.monotonic() - started) / len(found) if found else 0.0
        each = f" (about {per:.1f} s each here, so about {per * len(free):,.0f} s for all)" if found else ""
        raise budget.BudgetExceeded(
            f"the time budget ran out after examining {len(found)} of {len(free)} assumptions{each}; "
            f"cruxes needs every one to rank them. Raise it with --timeout SECONDS, or ask for the "
            f"first few only with --top N")
    return found


def _uses_within_budget(eng, node, fixed, lit, supports) -> bool | None:
    """``_uses``, or None when the command's budget runs out first (without one: raises) or, in
    library use, when the enumeration stops at MARCO's call cap before it finds a support."""
    from argmap.engine import budget
    try:
        return _uses(eng, node, fixed, lit, supports)
    except InconclusiveError:
        if budget.active() is None:
            raise
        return None


def _listed(node, supports) -> bool:
    """Whether ``supports`` (cruxes' precomputed lists) holds every minimal support of ``node``."""
    return supports is not None and node in supports and not supports[node][1]


def _uses(eng, node, fixed, lit, supports=None) -> bool | None:
    """Whether some minimal support of ``node`` under ``fixed`` contains ``lit``; None when the
    enumeration stopped at MARCO's call cap first (library use; see ``in_some_support``)."""
    if isinstance(supports, _Supports) and node not in supports and lit[0] not in fixed and lit[0] in eng.slice(node):
        # (outside the slice the literal is in no support: Engine.supports says so without work)
        supports[node] = eng.supports(node, fixed, limit=supports.limit)
    if supports is not None and node in supports:
        found, truncated = supports[node]
        if not truncated:
            return any(s.get(lit[0]) is lit[1] for s in found)
    # wide slices: one or two solver calls instead of an exponential enumeration
    from argmap.engine.relevance import in_some_support
    return in_some_support(eng, node, fixed, lit)


# ---- cruxes -----------------------------------------------------------------------------------
@dataclass(slots=True, kw_only=True)
class Crux(Dumpable):
    assumption: str
    breaks: list[str]
    loses: list[str]
    weakens: list[str]
    score: int
    undecided: list[str] = field(default_factory=list)     # see WhatBreaks.undecided


@dataclass(slots=True, kw_only=True)
class Cruxes(Dumpable):
    cruxes: list[Crux]


def cruxes(amap: ArgumentMap, worldview: str | None = None, assume=(), deny=(),
           limit: int = DEFAULT_SUPPORT_LIMIT, top: int | None = None) -> Cruxes:
    """Free assumptions ranked by what their failure breaks, then weakens; ties by id.

    ``score = breaks·(V+1) + weakens`` for V verdicts, so that ordering by score is exactly that
    lexicographic order. ``loses`` is always empty (docs/semantics.md), so the score ignores it.
    ``top``: only the first N of that ranking, the same cruxes with the same lists, found without
    asking every assumption (``_top_cruxes``).
    """
    scenario = Scenario(worldview=worldview, assume=list(assume), deny=list(deny))
    fixed = scenario.fixed(amap)
    _require_consistent(amap, fixed, scenario)
    nodes = list(amap.verdicts)
    from argmap.engine import budget
    before = _statuses(amap, fixed, nodes)
    eng = engine(amap)
    if top is not None:
        return _top_cruxes(amap, eng, fixed, scenario, nodes, before, limit, top)
    # Supports listed once serve every assumption's `weakens` test (chain 10k: 9.5 s; asking each
    # assumption's batch test instead, > 60 s). On a wide slice the list can be exponential (wide
    # 1k map: one verdict's enumeration took a whole 120 s budget and cruxes exited 3), so the
    # lists get half of the budget, each at most a twentieth of what is left of it (or its equal
    # part, if larger); one cut short is not used (`_listed`): that verdict's batch test decides.
    supports: dict[str, tuple] = {}
    listed = [n for n in nodes if before[n] == "open"]
    with budget.share(0.5):
        for k, n in enumerate(listed):
            try:
                with budget.share(max(1 / (len(listed) - k), 0.05)):
                    supports[n] = eng.supports(n, fixed, limit=limit)
            except InconclusiveError:
                if budget.active() is None:
                    raise
    affected: dict[str, list[str]] = {}         # assumption -> the verdicts whose slice holds it
    for n in nodes:
        for a in eng.slice(n):
            affected.setdefault(a, []).append(n)
    base = len(nodes) + 1
    out = []
    free = [a for a in amap.assumptions if a not in fixed]
    found = _each_within_budget(free, lambda a: _what_breaks(
        amap, a, fixed, nodes, scenario, before=before, supports=supports, affected=affected.get(a, [])))
    for a in free:
        wb = found[a]
        if wb.forced:
            continue
        score = len(wb.breaks) * base + len(wb.weakens)
        out.append(Crux(assumption=a, breaks=wb.breaks, loses=wb.loses, weakens=wb.weakens, score=score,
                        undecided=wb.undecided))
    out.sort(key=lambda c: (-c.score, c.assumption))
    return Cruxes(cruxes=out)


def _top_cruxes(amap, eng, fixed, scenario, nodes, before, limit: int, top: int) -> Cruxes:
    """The first ``top`` cruxes of the full ranking, by bounds: an assumption's failure breaks an
    open verdict V exactly when ``{not A}`` is one of V's single cut sets (one solver call per open
    verdict gives them all, ``Engine.single_supports``), so every assumption's ``breaks`` count is
    known first; it can weaken at most the other open verdicts (a loose bound, the same for all),
    and at most those whose slice holds it (a tight one: a walk forward from it). Assumptions are
    examined in order of the loose bound; one whose tight bound cannot reach the ``top``-th score
    found is skipped, and the search ends where the loose bound cannot. On a wide 10k map the
    full ranking asks 2,930 assumptions (about 530 s); the first 5 need a few dozen."""
    from argmap.engine.relevance import affected
    base = len(nodes) + 1
    opened = [n for n in nodes if before[n] == "open"]
    breaks: dict[str, int] = {}
    for n in opened:
        for cut in eng.single_supports(n, fixed, value=False):
            ((a, value),) = cut.items()
            if value is False:
                breaks[a] = breaks.get(a, 0) + 1
    free = [a for a in amap.assumptions if a not in fixed]
    loose = {a: breaks.get(a, 0) * base + len(opened) - breaks.get(a, 0) for a in free}
    supports = _Supports(limit)
    found: list[Crux] = []

    def beaten(score: int, a: str) -> bool:
        """Whether an assumption whose score is at most ``score`` cannot enter the first ``top``."""
        return len(found) >= top and (-score, a) > (-found[top - 1].score, found[top - 1].assumption)
    opened_set = set(opened)
    for a in sorted(free, key=lambda a: (-loose[a], a)):
        if beaten(loose[a], a):
            break                               # neither it nor any later one can enter the first N
        reach = len(affected(eng, a) & opened_set)
        if beaten(breaks.get(a, 0) * base + reach - breaks.get(a, 0), a):
            continue
        wb = _what_breaks(amap, a, fixed, nodes, scenario, before=before, supports=supports)
        if wb.forced:
            continue
        found.append(Crux(assumption=a, breaks=wb.breaks, loses=wb.loses, weakens=wb.weakens,
                          score=len(wb.breaks) * base + len(wb.weakens), undecided=wb.undecided))
        found.sort(key=lambda c: (-c.score, c.assumption))
    return Cruxes(cruxes=found[:top])


# ---- expectations -----------------------------------------------------------------------------
@dataclass(slots=True, kw_only=True)
class FailedExpect(Dumpable):
    expect: str
    file: str
    line: int
    why: str


@dataclass(slots=True, kw_only=True)
class TestReport(Dumpable):
    passed: int
    failed: list[FailedExpect]


class Answers:
    """What the expectations of one run ask the engine, each asked once (`check`, `test`).

    The corpus's 195 expectations ask about 90 (scenario, node) pairs, and each `uses`,
    `requires` or `independent_of` asked the engine for supports, statuses and consistency again
    (140 `consequences()` calls, 53 sampling passes, ~0.14 s). Here each scenario's consistency is
    asked once, the statuses its expectations name in one ``Engine.values`` call, and each node's
    first ``SUPPORTS_ASKED`` minimal supports once, grouped by scenario so that the engine's
    sample cache (the last few passes) is filled once per scenario. These answers only recognise an
    expectation that holds; one that does not is decided and explained by ``check_expect`` as
    without them, so every message is the same (tests/test_expect_answers.py compares the two).
    """

    SUPPORTS_ASKED = 50         # the most any expectation asks for (requires); bounds MARCO's work

    def __init__(self, amap: ArgumentMap, remembered: checkcache.RememberedAnswers | None = None):
        self.amap = amap
        self.remembered = remembered
        self._fixed: dict[str | None, dict[str, bool]] = {}
        self._consistent: dict[tuple, bool] = {}
        self._status: dict[tuple, Status] = {}
        self._supports: dict[tuple, tuple[list[dict[str, bool]], bool]] = {}

    def fixed(self, worldview: str | None) -> dict[str, bool]:
        if worldview not in self._fixed:
            self._fixed[worldview] = Scenario(worldview=worldview).fixed(self.amap)
        return self._fixed[worldview]

    @property
    def eng(self):
        # built on first use: answers remembered from earlier runs need no engine (nor Z3's import)
        return engine(self.amap)

    def consistent(self, fixed: dict[str, bool]) -> bool:
        key = tuple(sorted(fixed.items()))
        if key not in self._consistent:
            if self.remembered is None:
                self._consistent[key] = self.eng.consistent(fixed)
            else:
                self._consistent[key] = self.remembered.consistent(fixed, lambda f: self.eng.consistent(f))
        return self._consistent[key]

    def outcomes(self, expects) -> list[tuple[Expect, str | None]]:
        """Each expectation with why it fails (None: it holds), deciding only those not remembered."""
        remembered = self.remembered
        known = set() if remembered is None else {
            id(ex) for ex in expects
            if self.consistent(self.fixed(ex.under)) and remembered.passed(ex, self.fixed(ex.under))}
        self.prepare([ex for ex in expects if id(ex) not in known])
        out: list[tuple[Expect, str | None]] = []
        for ex in expects:
            problem = None if id(ex) in known else _problem(self.amap, ex, self)
            if problem is None and remembered is not None and id(ex) not in known:
                remembered.note_passed(ex, self.fixed(ex.under))
            out.append((ex, problem))
        if remembered is not None:
            remembered.save()
        return out

    def statuses(self, fixed: dict[str, bool], nodes) -> dict[str, Status]:
        key = tuple(sorted(fixed.items()))
        missing = [n for n in dict.fromkeys(nodes) if (key, n) not in self._status]
        if missing:
            for n, status in _statuses(self.amap, fixed, missing).items():
                self._status[(key, n)] = status
        return {n: self._status[(key, n)] for n in nodes}

    def supports(self, node: str, fixed: dict[str, bool]) -> tuple[list[dict[str, bool]], bool]:
        key = (tuple(sorted(fixed.items())), node)
        if key not in self._supports:
            self._supports[key] = self.eng.supports(node, fixed, limit=self.SUPPORTS_ASKED)
        return self._supports[key]

    def prepare(self, expects) -> None:
        """Ask everything ``expects`` will need, scenario by scenario."""
        by_scenario: dict[str | None, list[Expect]] = {}
        for ex in expects:
            by_scenario.setdefault(ex.under, []).append(ex)
        for under, group in by_scenario.items():
            fixed = self.fixed(under)
            if not self.consistent(fixed):
                continue
            asked = [ex.target for ex in group
                     if ex.kind in ("uses", "requires", "independent_of") and self._can_occur(ex, fixed)]
            # Engine.supports first asks each node's value; deciding them with the statuses in
            # one batch (one solver call) spares one call per node (corpus: 45 calls, ~9 ms)
            self.statuses(fixed, [ex.target for ex in group if ex.kind == "status"] + asked)
            for node in dict.fromkeys(asked):
                self.supports(node, fixed)

    def _can_occur(self, ex: Expect, fixed: dict[str, bool]) -> bool:
        """Whether ``ex``'s assumption can be in a minimal support of its node at all (outside the
        node's slice, or fixed by the scenario, it is in none: Engine.supports answers so at once)."""
        return ex.assumption not in fixed and ex.assumption in self.eng.slice(ex.target)

    def holds(self, ex: Expect) -> bool:
        """True when the remembered answers show that ``ex`` holds; False when ``check_expect``
        must decide (it fails, or the remembered supports were cut off before they could tell)."""
        fixed = self.fixed(ex.under)
        if not self.consistent(fixed):
            return False
        if ex.kind == "consistent":
            return True
        if ex.kind == "status":
            return self.statuses(fixed, [ex.target])[ex.target] == ex.status
        if not self._can_occur(ex, fixed):
            return ex.kind == "independent_of"
        found, truncated = self.supports(ex.target, fixed)
        name, value = ex.assumption, ex.positive
        if ex.kind == "uses":           # (a found support is one, truncated or not)
            return any(s.get(name) is value for s in found)
        if truncated:
            return False
        if ex.kind == "requires":
            return bool(found) and all(s.get(name) is value for s in found)
        return not any(name in s for s in found)      # independent_of: in neither polarity


def _problem(amap: ArgumentMap, ex: Expect, answers: Answers | None) -> str | None:
    if answers is not None and answers.holds(ex):
        return None
    return check_expect(amap, ex)


def run_tests(amap: ArgumentMap, remember: bool = True) -> TestReport:
    """Run every `expect` statement of the map (``remember=False``: each on its own, as
    ``check_expect`` alone decides it; the answers are the same, only slower)."""
    if remember:
        outcomes = Answers(amap, checkcache.remembered(amap)).outcomes(amap.expects)
    else:
        outcomes = [(ex, check_expect(amap, ex)) for ex in amap.expects]
    passed, failed = 0, []
    for ex, problem in outcomes:
        if problem is None:
            passed += 1
        else:
            failed.append(FailedExpect(expect=ex.text, file=ex.span.file, line=ex.span.line, why=problem))
    return TestReport(passed=passed, failed=failed)


def _fmt_support(s: dict[str, bool]) -> str:
    return "{" + ", ".join(k if v else f"not {k}" for k, v in sorted(s.items())) + "}"


def _fmt_assignment(amap, assignment: dict[str, bool], node: str | None) -> str:
    eng = engine(amap)
    keys = sorted(eng.cone(node)) if node else sorted(assignment)
    return ", ".join(f"{k}={'true' if assignment[k] else 'false'}" for k in keys) or "(no assumptions)"


def check_expect(amap: ArgumentMap, ex: Expect) -> str | None:
    """None if the expectation holds, else why not (in words, with supports or a counter-example)."""
    scenario = Scenario(worldview=ex.under)
    fixed = scenario.fixed(amap)
    eng = engine(amap)
    where = f"under worldview {ex.under}" if ex.under else "in the map"
    if not eng.consistent(fixed):
        if ex.kind == "consistent":
            return f"{where} is inconsistent: " + "; ".join(
                f"{c.text} [{c.file}:{c.line}]" if c.file else c.text for c in explain_conflict(amap, fixed, scenario))
        return f"{where.capitalize()}, the scenario is inconsistent, so nothing can be tested"
    if ex.kind == "consistent":
        return None
    node = ex.target
    if ex.kind == "status":
        status = _statuses(amap, fixed, [node])[node]
        if status == ex.status:
            return None
        detail = ""
        if ex.status in ("holds", "open") and status != "holds":
            cm = eng.counterexample(fixed, node, False)
            detail = f"; it fails with {_fmt_assignment(amap, cm, node)}" if cm else ""
        if ex.status in ("fails", "open") and status != "fails":
            cm = eng.counterexample(fixed, node, True)
            found, _ = eng.supports(node, fixed, limit=3)
            detail += f"; it holds with {_fmt_assignment(amap, cm, node)}" if cm else ""
            if found:
                detail += "; minimal supports include " + ", ".join(_fmt_support(s) for s in found)
        return f"{node} is {status} {where}, not {ex.status}{detail}"
    lit = (ex.assumption, ex.positive)
    shown = ex.assumption if ex.positive else f"not {ex.assumption}"
    if ex.kind == "uses":
        used = _uses(eng, node, fixed, lit)
        if used is None:
            raise _undecided_expect(ex, f"whether some minimal support of {node} {where} contains {shown}")
        if used:
            return None
        found, truncated = eng.supports(node, fixed, limit=5)
        listing = ", ".join(_fmt_support(s) for s in found) or "none (it cannot hold)"
        return f"no minimal support of {node} {where} contains {shown}; supports: {listing}" + (" ..." if truncated else "")
    if ex.kind == "requires":
        found, truncated = eng.supports(node, fixed, limit=50)
        if not found and truncated:
            raise _undecided_expect(ex, f"whether {node} has a minimal support {where} without {shown}")
        if not found:
            return f"{node} has no minimal support {where} (it cannot hold), so it requires nothing"
        lacking = [s for s in found if s.get(lit[0]) is not lit[1]]
        if not lacking and truncated:
            other = {**fixed, lit[0]: not lit[1]}
            if eng.consistent(other) and _statuses(amap, other, [node])[node] != "fails":
                lacking = eng.supports(node, other, limit=1)[0]
        if not lacking:
            return None
        return f"{node} has a minimal support {where} without {shown}: {_fmt_support(lacking[0])}"
    # independent_of
    for value in (True, False):
        found, truncated = eng.supports(node, fixed, must=(ex.assumption, value))
        if found:
            return f"the minimal support {_fmt_support(found[0])} of {node} {where} contains {ex.assumption}"
        if truncated:
            raise _undecided_expect(ex, f"whether some minimal support of {node} {where} contains {ex.assumption}")
    return None


def _undecided_expect(ex: Expect, question: str) -> InconclusiveError:
    """An expectation whose enumeration stopped at MARCO's call cap (library use, no command
    budget) before finding the support that would decide it: no answer, never a guessed one."""
    from argmap.engine.logic import MARCO_BUDGET
    return InconclusiveError(
        f"{ex.span.file}:{ex.span.line}: could not decide {question} within {MARCO_BUDGET:,} solver "
        f"calls (expectation `{ex.text}`); run it from the command line, whose --timeout bounds the "
        "search instead")


# ---- check ------------------------------------------------------------------------------------
@dataclass(slots=True, kw_only=True)
class CheckReport(Dumpable):
    ok: bool
    diagnostics: list[Diagnostic]


def semantic_diagnostics(amap: ArgumentMap, remember: bool = True,
                         keys: checkcache.MemoryKeys | None = None) -> list[Diagnostic]:
    """Problems that need the solver: inconsistent map or worldviews, failed expectations
    (``remember=False``: each expectation decided on its own, as in ``run_tests``). ``keys``: a
    long-lived process's memory of passed expectations (argmap/analysis/checkcache.py); without
    it the command line's cache on disk is used, where the program asked for disk caches."""
    out: list[Diagnostic] = []
    answers = Answers(amap, checkcache.remembered(amap, keys)) if remember else None
    consistent = engine(amap).consistent if answers is None else answers.consistent
    if not consistent({}):
        items = explain_conflict(amap, {})
        first = next((i for i in items if i.file), None)
        out.append(Diagnostic(severity="error", code="E301", file=first.file if first else amap.files[0],
                              line=first.line if first else 1, column=1,
                              message="the map is inconsistent: " + "; ".join(
                                  f"{i.text} [{i.file}:{i.line}]" for i in items),
                              hint="a conflict can never be true; relax it or the claims that force it"))
        return out
    for wv in amap.worldviews.values():
        fixed = wv.fixed()
        if not consistent(fixed):
            items = explain_conflict(amap, fixed, Scenario(worldview=wv.id))
            out.append(Diagnostic(severity="error", code="E302", file=wv.span.file, line=wv.span.line,
                                  column=wv.span.column,
                                  message=f"worldview `{wv.id}` is inconsistent: " + "; ".join(
                                      f"{i.text} [{i.file}:{i.line}]" if i.file else i.text for i in items),
                                  hint="drop or change one of the listed lines"))
    if answers is not None:
        outcomes = answers.outcomes(amap.expects)
    else:
        outcomes = [(ex, check_expect(amap, ex)) for ex in amap.expects]
    for ex, problem in outcomes:
        if problem:
            out.append(Diagnostic(severity="error", code="E401", file=ex.span.file, line=ex.span.line,
                                  column=ex.span.column, message=f"expectation failed: {ex.text}: {problem}"))
    return out


def check(paths="claims") -> CheckReport:
    """Everything `argmap check` reports: syntax, names, consistency, expectations."""
    from argmap.language.diagnostics import sort_diagnostics
    from argmap.language.loader import read_map
    amap, diags = read_map(paths)
    if not any(d.severity == "error" for d in diags):
        diags = sort_diagnostics(diags + semantic_diagnostics(amap))
    return CheckReport(ok=not any(d.severity == "error" for d in diags), diagnostics=diags)
