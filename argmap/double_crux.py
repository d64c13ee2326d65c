"""Worldview cruxes (a formal double crux): on which assumptions do two worldviews really differ?

Definitions (docs/analysis.md gives them with examples). Let ``f1``, ``f2`` be the assumptions
fixed by worldviews W1 and W2 (``assume`` → true, ``deny`` → false). The *differences* are
``D = {a : f1.get(a) != f2.get(a)}``: assumptions the two fix to opposite values, or that one fixes
and the other leaves free. For ``S ⊆ D`` let ``W1[S←W2]`` be W1 with W2's value on every ``a ∈ S``
(W2's value may be "free": then ``a`` is released). ``S`` is a *crux* for a verdict V if
``status(V | W1[S←W2]) = status(V | W2)``; we report the inclusion-minimal cruxes of every verdict
whose status differs between W1 and W2. ``S = D`` is always a crux, because ``W1[D←W2] = W2``.

Being a crux is not monotone (adding W2's value on one more assumption can undo the change, or
make the scenario inconsistent), so minimal cruxes are found by enumerating subsets of D in order of
size and skipping supersets of cruxes already found: every set reported is minimal, because all its
proper subsets were examined before it.

Only ``D ∩ slice(V)`` matters (``slice``: V's cone plus every conflict transitively sharing an
assumption with it, as in :meth:`argmap.logic.Engine.slice`). Proof sketch: the constraints split
into a part over the slice and a part over the other assumptions, on disjoint variables. Outside the
slice ``W1[S←W2]`` can only be inconsistent if it differs from W1 there — and W1 is consistent —
so for a crux ``S`` the set ``S ∩ slice(V)`` gives the same slice part, is consistent, gives V the
same status and is therefore a crux too; a minimal crux lies inside the slice. (The Hypothesis tests
check this against enumeration over all of D.) The enumeration is still exponential in
``|D ∩ slice(V)|``; it stops after ``max_checks`` scenarios and says so (``truncated``).
"""

from __future__ import annotations

import itertools

from pydantic import BaseModel

from .model import ArgumentMap
from .queries import Scenario, Status, _require_consistent, engine

DEFAULT_MAX_CHECKS = 20_000


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
    checked: int                   # scenarios examined for this verdict
    truncated: bool = False


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


class _Evaluator:
    """Statuses of a fixed set of verdicts under many scenarios, one solver call per scenario."""

    def __init__(self, amap: ArgumentMap, nodes: list[str]):
        self.eng = engine(amap)
        self.nodes = nodes
        self.cache: dict[frozenset, dict[str, Status] | None] = {}

    def statuses(self, fixed: dict[str, bool]) -> dict[str, Status] | None:
        key = frozenset(fixed.items())
        if key not in self.cache:
            if not self.eng.consistent(fixed):
                self.cache[key] = None
            else:
                values = self.eng.values(fixed, self.nodes)
                self.cache[key] = {n: ("open" if v is None else "holds" if v else "fails")
                                   for n, v in values.items()}
        return self.cache[key]

    def status(self, fixed: dict[str, bool], node: str) -> Status:
        got = self.statuses(fixed)
        return "inconsistent" if got is None else got[node]


def minimal_cruxes(evaluate, node: str, first: dict[str, bool], second: dict[str, bool],
                   candidates: list[str], target: Status, max_checks: int) -> tuple[list[list[str]], int, bool]:
    """Inclusion-minimal S ⊆ candidates with status(node | W1[S←W2]) == target, by increasing size."""
    found: list[frozenset] = []
    out: list[list[str]] = []
    checked = 0
    for size in range(1, len(candidates) + 1):
        for combo in itertools.combinations(candidates, size):
            s = frozenset(combo)
            if any(f <= s for f in found):
                continue
            if checked >= max_checks:
                return out, checked, True
            checked += 1
            if evaluate(shift(first, second, combo), node) == target:
                found.append(s)
                out.append(list(combo))
    return out, checked, False


def double_crux(amap: ArgumentMap, first: str, second: str, verdict: str | None = None,
                max_checks: int = DEFAULT_MAX_CHECKS) -> DoubleCrux:
    """The minimal cruxes between worldviews ``first`` and ``second`` for every verdict (or one)."""
    from .queries import require_node
    s1, s2 = Scenario(worldview=first), Scenario(worldview=second)
    f1, f2 = s1.fixed(amap), s2.fixed(amap)        # raises UsageError for unknown worldviews
    if verdict is not None:
        require_node(amap, verdict)
    _require_consistent(amap, f1, s1)
    _require_consistent(amap, f2, s2)
    nodes = [verdict] if verdict is not None else list(amap.verdicts)
    ev = _Evaluator(amap, nodes)
    st1, st2 = ev.statuses(f1), ev.statuses(f2)
    order = list(amap.assumptions)
    diff = differences(f1, f2, order)
    result = DoubleCrux(first=first, second=second,
                        differences=[Difference(assumption=a, first=f1.get(a), second=f2.get(a)) for a in diff],
                        verdicts=[])
    eng = ev.eng
    for node in nodes:
        if st1[node] == st2[node]:
            continue
        relevant = set(eng.slice(node))
        candidates = [a for a in diff if a in relevant]
        cruxes, checked, truncated = minimal_cruxes(ev.status, node, f1, f2, candidates, st2[node], max_checks)
        result.verdicts.append(VerdictCruxes(verdict=node, first=st1[node], second=st2[node],
                                             relevant=candidates, cruxes=cruxes, checked=checked,
                                             truncated=truncated))
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
        if v.truncated:
            out.append(f"  (stopped after {v.checked} scenarios; larger cruxes may exist: raise --max-checks)")
    used = sorted({a for v in result.verdicts for c in v.cruxes for a in c}, key=list(amap.assumptions).index)
    if used:
        out.append("\nwhere:")
        out += [f"  {a}: {amap.text_of(a)}" for a in used]
    return "\n".join(out)
