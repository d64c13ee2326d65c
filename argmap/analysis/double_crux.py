"""Worldview cruxes (a formal double crux): on which assumptions do two worldviews really differ?

Definitions (docs/analysis.md gives them with examples). Let ``f1``, ``f2`` be the assumptions
fixed by worldviews W1 and W2 (``assume`` → true, ``deny`` → false). The *differences* are
``D = {a : f1.get(a) != f2.get(a)}``: assumptions the two fix to opposite values, or that one fixes
and the other leaves free. For ``S ⊆ D`` let ``W1[S←W2]`` be W1 with W2's value on every ``a ∈ S``
(W2's value may be "free": then ``a`` is released). ``S`` is a *crux* for a verdict V if
``status(V | W1[S←W2]) = status(V | W2)``; we report the inclusion-minimal cruxes of every verdict
whose status differs between W1 and W2. ``S = D`` is always a crux, because ``W1[D←W2] = W2``.

Being a crux is not monotone (adding W2's value on one more assumption can undo the change, or
make the scenario inconsistent), so minimal cruxes cannot be found by shrinking D. When the subsets
of every differing verdict's candidates make at most ``ENUMERATE_SCENARIOS`` scenarios, each is
asked of the engine, smallest first (:func:`enumerated_cruxes`); otherwise the cruxes are computed
symbolically (:func:`minimal_cruxes`): a selector variable per candidate assumption, the
assumptions quantified out of the verdict's BDD, and the minimal true points of what remains. The BDD covers the whole map, so on maps with wide
cones it costs far more than a few hundred scenarios (a generated wide map of 1,000 statements:
14 s, where the subsets take 0.3 s).

Only ``D ∩ slice(V)`` matters (``slice``: V's cone plus every conflict transitively sharing an
assumption with it, as in :meth:`argmap.engine.logic.Engine.slice`). Proof sketch: the constraints split
into a part over the slice and a part over the other assumptions, on disjoint variables. Outside the
slice ``W1[S←W2]`` can only be inconsistent if it differs from W1 there — and W1 is consistent —
so for a crux ``S`` the set ``S ∩ slice(V)`` gives the same slice part, is consistent, gives V the
same status and is therefore a crux too; a minimal crux lies inside the slice. (The Hypothesis tests
check this against enumeration over all of D.)
"""

from __future__ import annotations

import itertools

from pydantic import BaseModel

from argmap.engine.bdd import TRUE
from argmap.language.model import ArgumentMap
from argmap.analysis.queries import Scenario, Status, _require_consistent, engine


# When every subset of every differing verdict's candidates makes at most this many scenarios in
# all, the engine is asked about each (enumerated_cruxes); otherwise the decision diagram answers
# (minimal_cruxes), whose cost does not grow with 2^n but covers the whole map. Measured: a
# generated wide map of 1,000 statements, 204 scenarios, 14 s -> 0.3 s; the corpus's 72 ordered
# pairs of worldviews, thousands of scenarios each, 0.31 s in all with the diagram and 3.5 s
# with subsets of at most 10 candidates.
ENUMERATE_SCENARIOS = 256


class Difference(BaseModel):
    """An assumption the worldviews fix differently; ``None`` means "left free"."""

    assumption: str
    first: bool | None
    second: bool | None


class VerdictCruxes(BaseModel):
    verdict: str
    first: Status                  # status under W1
    second: Status                 # status under W2
    relevant: list[str]            # D ∩ slice(V), the only differences that can matter for V
    cruxes: list[list[str]]        # minimal sets S, by size then declaration order


class DoubleCrux(BaseModel):
    first: str
    second: str
    differences: list[Difference]
    verdicts: list[VerdictCruxes]  # only verdicts whose status differs, in declaration order


def shift(first: dict[str, bool], second: dict[str, bool], subset) -> dict[str, bool]:
    """``W1[S←W2]``: W1's literals with W2's value (or freedom) on every assumption of ``subset``."""
    out = dict(first)
    for a in subset:
        if a in second:
            out[a] = second[a]
        else:
            out.pop(a, None)
    return out


def differences(first: dict[str, bool], second: dict[str, bool], order) -> list[str]:
    return [a for a in order if first.get(a) != second.get(a)]


def _statuses(amap: ArgumentMap, fixed: dict[str, bool], nodes: list[str]) -> dict[str, Status]:
    values = engine(amap).values(fixed, nodes)
    return {n: ("open" if v is None else "holds" if v else "fails") for n, v in values.items()}


def minimal_cruxes(amap: ArgumentMap, node: str, first: dict[str, bool], second: dict[str, bool],
                   candidates: list[str], target: Status) -> list[list[str]]:
    """Inclusion-minimal S ⊆ candidates with status(node | W1[S←W2]) == target, symbolically.

    One selector variable ``s_a`` per candidate, placed right above ``a`` in the BDD order:
    ``s_a`` true means "a takes W2's value". With ``F(s, x)`` = "x agrees with W1[S←W2]" ∧ C_V,
    the scenario is consistent iff ∃x F, V holds iff also ¬∃x (F ∧ ¬V), fails iff ¬∃x (F ∧ V).
    Quantifying the assumptions out leaves a function of the selectors whose minimal true points
    are the minimal cruxes (BDD.minimal_models).
    """
    from argmap.analysis.probability import compiled
    comp = compiled(amap, stride=2)
    b = comp.bdd
    c = comp.constraint(node)       # first: it may reorder, which frees nodes not yet held by comp
    lit = {a: (comp.nodes[a] if v else b.neg(comp.nodes[a])) for a, v in first.items()}
    chosen = set(candidates)
    agree = TRUE
    for a in comp.order:
        if a in chosen:
            sel = b.var(comp.var[a] - 1)
            on = (comp.nodes[a] if second[a] else b.neg(comp.nodes[a])) if a in second else TRUE
            off = lit.get(a, TRUE)
            agree = b.conj(agree, b.disj(b.conj(sel, on), b.conj(b.neg(sel), off)))
        elif a in lit:
            agree = b.conj(agree, lit[a])
    f = b.conj(agree, c)
    xs = frozenset(comp.var.values())
    v = comp.nodes[node]
    consistent = b.exists(f, xs)
    can_hold = b.exists(b.conj(f, v), xs)
    can_fail = b.exists(b.conj(f, b.neg(v)), xs)
    if target == "holds":
        goal = b.conj(consistent, b.neg(can_fail))
    elif target == "fails":
        goal = b.conj(consistent, b.neg(can_hold))
    else:
        goal = b.conj(can_hold, can_fail)
    name = {comp.var[a] - 1: a for a in candidates}
    rank = {a: i for i, a in enumerate(amap.assumptions)}
    out = [sorted((name[x] for x in m), key=rank.__getitem__) for m in b.minimal_models(goal)]
    return sorted(out, key=lambda c: (len(c), [rank[a] for a in c]))


class _Scenarios:
    """Statuses of the differing verdicts under ``W1[S←W2]``, each subset S asked once (one
    solver-backed ``values`` call decides every verdict; None: the scenario is inconsistent)."""

    def __init__(self, amap: ArgumentMap, first: dict[str, bool], second: dict[str, bool], nodes: list[str]):
        self.amap, self.first, self.second, self.nodes = amap, first, second, nodes
        self.known: dict[frozenset[str], dict[str, Status] | None] = {}

    def status(self, subset: frozenset[str], node: str) -> Status | None:
        if subset not in self.known:
            fixed = shift(self.first, self.second, subset)
            self.known[subset] = (_statuses(self.amap, fixed, self.nodes)
                                  if engine(self.amap).consistent(fixed) else None)
        found = self.known[subset]
        return None if found is None else found[node]


def enumerated_cruxes(amap: ArgumentMap, node: str, candidates: list[str], target: Status,
                      asked: _Scenarios) -> list[list[str]]:
    """The minimal cruxes of ``minimal_cruxes``, by asking the engine about every subset of the
    candidates, smallest first, skipping supersets of cruxes found (exact: statuses are). For a
    few candidates this beats the decision diagram, whose build and sifting cover the whole map
    (a generated wide map of 1,000 statements: 14 s for 15 verdicts with 1 to 7 candidates)."""
    rank = {a: i for i, a in enumerate(amap.assumptions)}
    found: list[frozenset[str]] = []
    for k in range(len(candidates) + 1):
        for subset in itertools.combinations(candidates, k):
            s = frozenset(subset)
            if any(c <= s for c in found):
                continue
            if asked.status(s, node) == target:
                found.append(s)
    out = [sorted(c, key=rank.__getitem__) for c in found]
    return sorted(out, key=lambda c: (len(c), [rank[a] for a in c]))


def double_crux(amap: ArgumentMap, first: str, second: str, verdict: str | None = None,
                extra: tuple[list[str], list[str]] = ([], [])) -> DoubleCrux:
    """The minimal cruxes between worldviews ``first`` and ``second`` for every verdict (or one);
    ``extra`` = (assume, deny) literals added to both worldviews (`render --compare --assume`)."""
    from argmap.analysis.queries import require_node
    s1 = Scenario(worldview=first, assume=list(extra[0]), deny=list(extra[1]))
    s2 = Scenario(worldview=second, assume=list(extra[0]), deny=list(extra[1]))
    f1, f2 = s1.fixed(amap), s2.fixed(amap)        # raises UsageError for unknown worldviews
    if verdict is not None:
        require_node(amap, verdict)
    _require_consistent(amap, f1, s1)
    _require_consistent(amap, f2, s2)
    nodes = [verdict] if verdict is not None else list(amap.verdicts)
    st1, st2 = _statuses(amap, f1, nodes), _statuses(amap, f2, nodes)
    diff = differences(f1, f2, list(amap.assumptions))
    result = DoubleCrux(first=first, second=second,
                        differences=[Difference(assumption=a, first=f1.get(a), second=f2.get(a)) for a in diff],
                        verdicts=[])
    eng = engine(amap)
    differing = [n for n in nodes if st1[n] != st2[n]]
    candidates_of = {}
    for n in differing:
        relevant = set(eng.slice(n))
        candidates_of[n] = [a for a in diff if a in relevant]
    # every subset for each verdict, or the decision diagram for all: by the scenarios the
    # subsets would take (the corpus's pairs: thousands, where the diagram is cheap)
    enumerate_all = sum(2 ** len(c) for c in candidates_of.values()) <= ENUMERATE_SCENARIOS
    asked = _Scenarios(amap, f1, f2, differing)
    for node in differing:
        candidates = candidates_of[node]
        if enumerate_all:
            cruxes = enumerated_cruxes(amap, node, candidates, st2[node], asked)
        else:
            cruxes = minimal_cruxes(amap, node, f1, f2, candidates, st2[node])
        result.verdicts.append(VerdictCruxes(verdict=node, first=st1[node], second=st2[node],
                                             relevant=candidates, cruxes=cruxes))
    return result


def _value(v: bool | None) -> str:
    return "free" if v is None else "assume" if v else "deny"


def double_crux_text(amap: ArgumentMap, result: DoubleCrux) -> str:
    """The readable form: what differs, then per verdict the minimal changes that carry W1 to W2."""
    w1, w2 = result.first, result.second
    out = [f"Double crux from worldview {w1} to worldview {w2}."]
    if not result.differences:
        out.append("The two worldviews fix every assumption alike: no verdict can differ.")
        return "\n".join(out)
    out.append(f"\nAssumptions they fix differently ({len(result.differences)}):")
    width = max(len(d.assumption) for d in result.differences)
    for d in result.differences:
        out.append(f"  {d.assumption.ljust(width)}  {w1}: {_value(d.first):6}  {w2}: {_value(d.second)}")
    if not result.verdicts:
        out.append("\nNo verdict has a different status under the two worldviews.")
        return "\n".join(out)
    values = {d.assumption: d.second for d in result.differences}
    out.append(f"\nVerdicts whose status differs: {len(result.verdicts)}. Each numbered line is a crux, a minimal\n"
               f"set of changes to {w1} (taking {w2}'s values) that gives the verdict its status under {w2}.")
    for v in result.verdicts:
        out.append(f"\n{v.verdict}: {v.first} under {w1}, {v.second} under {w2}")
        for i, crux in enumerate(v.cruxes, 1):
            changes = ", ".join(f"{_value(values[a])} {a}" for a in crux)
            out.append(f"  {i:>2}. {changes}")
    used = sorted({a for v in result.verdicts for c in v.cruxes for a in c}, key=list(amap.assumptions).index)
    if used:
        out.append("\nwhere:")
        out += [f"  {a}: {amap.text_of(a)}" for a in used]
    return "\n".join(out)
