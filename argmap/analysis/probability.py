"""Exact probabilities of verdicts from credences in the assumptions, and importance measures.

Semantics (docs/analysis.md, docs/importance.md). Assumptions are independent Boolean variables,
true with their credence (``credence A p`` in the worldview; ``assume``/``deny``/``--assume``/
``--deny`` mean 1/0; anything else gets ``default``, 0.5 unless told). Claims and verdicts are
the functions of the assumptions given by their completions; conflicts exclude assignments. So

    P(V) = P(V ∧ C) / P(C),        C = the conjunction of ``not EXPR`` over every conflict,

the weighted model count of V among the assignments the map allows. It is computed exactly with
reduced ordered BDDs (argmap.engine.bdd) built from the map's formulas in topological order — no sampling
and no solver (this module must not import z3).

Conflicts are grouped into components that share assumptions; components over disjoint variables
are independent, so ``P(V | C) = P(V ∧ C_V) / P(C_V)`` where ``C_V`` holds only the components
that touch V's cone. This keeps each diagram to the verdict's slice.

Importance (fault-tree analysis). The *top event* is "V fails" (¬V) and the *basic event* of an
assumption A is "A fails" (A is false) — the same direction as ``what-breaks``. With
``Q = P(¬V | C)``, ``Q⁺ = P(¬V | C, A)`` (A works) and ``Q⁻ = P(¬V | C, ¬A)`` (A fails):
Birnbaum ``Q⁻ − Q⁺``, Fussell–Vesely ``(Q − Q⁺)/Q``, RAW ``Q⁻/Q``, RRW ``Q/Q⁺``. The conditional
probabilities come from one gradient pass per diagram: for a multilinear ``P(g)``,
``P(g | A) = P(g) + (1 − p)·∂P(g)/∂p`` and ``P(g | ¬A) = P(g) − p·∂P(g)/∂p``.
"""

from __future__ import annotations

from pydantic import BaseModel

from argmap.engine.bdd import BDD, FALSE, TRUE
from argmap.language.diagnostics import UsageError
from argmap.language.model import And, ArgumentMap, Formula, Not, Or, Ref, refs
from argmap.language.validate import dependencies, topological_order

DEFAULT_CREDENCE = 0.5
REORDER_MIN_NODES = 4096     # below this a diagram is never reordered (the corpus needs ~2,500)
SIFT_WORK = 100              # one sifting may touch at most this many nodes per live node
SIFT_WORK_MAX = 1_000_000    # ... and at most this many in all (about 1.5 s of swaps)
EPS = 1e-12


# ---- the map as BDDs --------------------------------------------------------------------------
def variable_order(amap: ArgumentMap) -> list[str]:
    """Assumptions in the order a depth-first walk from the verdicts (then the conflicts) meets them.

    A static heuristic for circuits: variables that feed the same gate end up next to each other,
    which keeps conjunction-heavy diagrams small; sifting (Compiled.checkpoint) repairs the rest.
    """
    seen: dict[str, None] = {}
    visited: set[str] = set()

    def walk(formula: Formula) -> None:
        stack = [formula]
        while stack:
            f = stack.pop()
            if isinstance(f, Ref):
                name = f.name
                if name in amap.assumptions:
                    seen.setdefault(name)
                elif name not in visited:
                    visited.add(name)
                    node = amap.derived(name)
                    if node is not None:
                        stack.extend(reversed([s.formula for s in node.supports]))
            elif isinstance(f, Not):
                stack.append(f.arg)
            else:
                stack.extend(reversed(f.args))

    for v in amap.verdicts:
        walk(Ref(v, None))
    for c in amap.conflicts.values():
        walk(c.formula)
    for a in amap.assumptions:
        seen.setdefault(a)
    return list(seen)


class Compiled:
    """Every claim, verdict and conflict component of one map as a node of one shared BDD.

    The diagram is reordered by sifting (argmap.engine.bdd) whenever it has doubled since the
    last reordering (and has at least ``REORDER_MIN_NODES`` nodes), checked between two
    operations of the build and of :meth:`constraint`, and once at the end of the build. Only
    the nodes this object holds survive a reordering (``nodes``, ``components``, the work in
    progress); a caller that builds its own nodes must do so after its last ``constraint`` call.
    """

    def __init__(self, amap: ArgumentMap, stride: int = 1):
        # stride 2 gives every assumption a free variable right before it (argmap.analysis.double_crux
        # puts a selector there); the assumption itself is variable ``stride·i + stride − 1``.
        # Sifting moves such pairs as one block, so the selector stays right above its assumption.
        self.amap = amap
        self.order = variable_order(amap)
        self.stride = stride
        self.var = {a: stride * i + stride - 1 for i, a in enumerate(self.order)}
        self.bdd = BDD(stride * len(self.order))
        self.nodes: dict[str, int] = {a: self.bdd.var(self.var[a]) for a in self.order}
        self.components: list[tuple[frozenset[str], int]] = []
        self._sifted = self._next_check = 0       # live nodes after the last sifting / collection
        self._growth = 2
        self._constraints: dict[tuple[int, ...], int] = {}
        for d in topological_order(amap):
            node = amap.derived(d)
            acc = FALSE
            for s in node.supports:
                acc = self.bdd.disj(acc, self.formula(s.formula))
                self.checkpoint([acc])
            self.nodes[d] = acc
        self._cones: dict[str, frozenset[str]] = {}
        self.components = self._components()
        self.checkpoint([], final=True)

    def checkpoint(self, held: list[int], final: bool = False) -> None:
        """Reorder if the diagram has doubled since the last time; ``held``: nodes in progress
        that must survive.

        The BDD does not count references, so "doubled" is first judged on all nodes made, then,
        after freeing the unreachable ones, on the live nodes: sifting runs when the live diagram
        is ``_growth`` times the size it had after the last sifting, and at the end of the build.
        Sifting costs about 2 µs per node a swap touches in Python, so one touches at most
        ``SIFT_WORK`` nodes per live node and ``SIFT_WORK_MAX`` in all, and when one gains less than a
        third, the next waits for 8 times as much growth (and the end of the build is skipped):
        random maps gain 5–25 % per sifting, the orders sifting is for gain 90 %."""
        if len(self.bdd) < max(REORDER_MIN_NODES, self._next_check):
            return
        roots = [*self.nodes.values(), *(n for _, n in self.components), *self._constraints.values(), *held]
        try:
            live = self.bdd.reorder(roots, sift=False)
            due = live >= self._growth * self._sifted
            if live >= REORDER_MIN_NODES and (due or (final and self._growth == 2)):
                after = self.bdd.reorder(roots, block=self.stride, max_work=min(SIFT_WORK * live, SIFT_WORK_MAX))
                self._growth = 2 if after < live * 2 / 3 else 8 * self._growth
                live = self._sifted = after
        except BaseException:
            # the budget or the node cap can stop a swap halfway: never reuse this diagram
            self.amap._cache.pop(f"bdd{self.stride}", None)
            raise
        self._next_check = 2 * live

    def formula(self, f: Formula) -> int:
        b = self.bdd
        if isinstance(f, Ref):
            return self.nodes[f.name]
        if isinstance(f, Not):
            return b.neg(self.formula(f.arg))
        parts = [self.formula(a) for a in f.args]
        acc = TRUE if isinstance(f, And) else FALSE
        for p in parts:
            acc = b.conj(acc, p) if isinstance(f, And) else b.disj(acc, p)
        return acc

    def cone(self, name: str) -> frozenset[str]:
        """Assumptions a node depends on (read off the diagram's support would miss none but
        could drop vacuous ones; the syntactic cone is what the rest of argmap uses)."""
        if name in self._cones:
            return self._cones[name]
        if name in self.amap.assumptions:
            out = frozenset([name])
        else:
            node = self.amap.derived(name)
            acc: set[str] = set()
            for s in node.supports:
                for r in refs(s.formula):
                    acc |= self.cone(r.name)
            out = frozenset(acc)
        self._cones[name] = out
        return out

    def _components(self) -> list[tuple[frozenset[str], int]]:
        """Conflicts merged into groups over disjoint assumptions: (assumptions, BDD of ``C_group``)."""
        groups: list[tuple[set[str], int]] = []
        for c in self.amap.conflicts.values():
            cone: set[str] = set()
            for r in refs(c.formula):
                cone |= self.cone(r.name)
            node = self.bdd.neg(self.formula(c.formula))
            touching = [g for g in groups if g[0] & cone]
            for g in touching:
                groups.remove(g)
                cone |= g[0]
                node = self.bdd.conj(node, g[1])
                self.checkpoint([node, *(n for _, n in groups), *(n for _, n in touching)])
            groups.append((cone, node))
        return [(frozenset(a), n) for a, n in groups]

    def constraint(self, name: str) -> int:
        """``C_V``: the conflict components that share an assumption with the node's cone.

        May reorder the diagram: nodes the caller built before this call (other than ``nodes``
        and ``components``) are no longer valid afterwards."""
        cone = self.cone(name)
        key = tuple(i for i, (assumptions, _) in enumerate(self.components) if assumptions & cone)
        if key not in self._constraints:
            # kept (a root of every reordering): verdicts of one conflict group share it, and a
            # collection in between would otherwise clear the memo and rebuild it per verdict
            acc = TRUE
            for i in key:
                acc = self.bdd.conj(acc, self.components[i][1])
                self.checkpoint([acc])
            self._constraints[key] = acc
        return self._constraints[key]


def compiled(amap: ArgumentMap, stride: int = 1) -> Compiled:
    key = f"bdd{stride}"
    if key not in amap._cache:
        amap._cache[key] = Compiled(amap, stride)
    return amap._cache[key]


# ---- credences ---------------------------------------------------------------------------------
class Credences(BaseModel):
    worldview: str | None
    default: float
    fixed: dict[str, bool]             # assume/deny (worldview and command line), credence 1/0
    given: dict[str, float]            # credence lines strictly between 0 and 1
    defaulted: list[str]               # assumptions that got the default

    def of(self, a: str) -> float:
        if a in self.fixed:
            return 1.0 if self.fixed[a] else 0.0
        return self.given.get(a, self.default)


def credences(amap: ArgumentMap, worldview: str | None = None, assume=(), deny=(),
              default: float = DEFAULT_CREDENCE) -> Credences:
    from argmap.analysis.queries import Scenario              # pydantic only; no solver
    if not 0.0 <= default <= 1.0:
        raise UsageError(f"the default credence {default} is not between 0 and 1")
    scenario = Scenario(worldview=worldview, assume=list(assume), deny=list(deny))
    fixed = scenario.fixed(amap)
    given = {}
    if worldview is not None:
        given = {a: p for a, p in amap.worldviews[worldview].credences().items() if a not in fixed}
    defaulted = [a for a in amap.assumptions if a not in fixed and a not in given]
    return Credences(worldview=worldview, default=default, fixed=fixed, given=given, defaulted=defaulted)


# ---- probabilities -----------------------------------------------------------------------------
class Probabilities(BaseModel):
    worldview: str | None
    default_credence: float
    defaulted: list[str]
    consistent: bool
    verdicts: dict[str, float | None]          # P(V | conflicts, scenario); None if inconsistent


def _weights(comp: Compiled, cred: Credences) -> list[float]:
    return [cred.of(a) for a in comp.order]     # stride 1: variable i is assumption i


def _consistent(comp: Compiled, weights: list[float]) -> bool:
    return all(comp.bdd.probability(node, weights) > 0.0 for _, node in comp.components)


def probabilities(amap: ArgumentMap, cred: Credences, nodes=None) -> Probabilities:
    """P(V | C) for every verdict (or ``nodes``), exactly."""
    comp = compiled(amap)
    w = _weights(comp, cred)
    nodes = list(amap.verdicts) if nodes is None else list(nodes)
    ok = _consistent(comp, w)
    out: dict[str, float | None] = {}
    for v in nodes:
        if not ok:
            out[v] = None
            continue
        c = comp.constraint(v)
        pc = comp.bdd.probability(c, w)
        out[v] = comp.bdd.probability(comp.bdd.conj(comp.nodes[v], c), w) / pc
    return Probabilities(worldview=cred.worldview, default_credence=cred.default, defaulted=cred.defaulted,
                         consistent=ok, verdicts=out)


# ---- importance --------------------------------------------------------------------------------
class Importance(BaseModel):
    assumption: str
    credence: float
    fixed: bool
    p_if_true: float | None            # P(V | C, A); None if A is impossible here
    p_if_false: float | None           # P(V | C, ¬A); None if ¬A is impossible here
    birnbaum: float | None             # Q⁻ − Q⁺ = P(V | A) − P(V | ¬A)
    fussell_vesely: float | None       # (Q − Q⁺)/Q; None if Q = 0
    raw: float | None                  # Q⁻/Q; None if Q = 0
    rrw: float | None                  # Q/Q⁺; None if Q⁺ = 0 (infinite) or undefined


class ImportanceTable(BaseModel):
    verdict: str
    probability: float
    top_event: str
    basic_event: str
    assumptions: list[Importance]      # the verdict's slice, by |Birnbaum| then RAW, then id


def _ratio(a: float | None, b: float | None) -> float | None:
    if a is None or b is None or b <= 0.0:
        return None
    return a / b


def _zero(q: float) -> float:
    """A failure probability within rounding noise of 0 is 0 (so RRW is infinite, not 10¹⁶)."""
    return 0.0 if q < EPS else q


def _clean(x: float | None) -> float | None:
    # rounding noise of the gradient identities (1e-17) must not show up as "-0.0" or 1.0000000000000002
    if x is None:
        return None
    r = round(x, 12)
    return 0.0 if r == 0 else r


def importance(amap: ArgumentMap, verdict: str, cred: Credences) -> ImportanceTable:
    """Birnbaum, Fussell–Vesely, RAW and RRW of every assumption in the verdict's slice."""
    comp = compiled(amap)
    b = comp.bdd
    w = _weights(comp, cred)
    c = comp.constraint(verdict)
    g = b.conj(comp.nodes[verdict], c)
    pg, dg = b.gradient(g, w)
    pc, dc = b.gradient(c, w)
    pv = pg / pc
    q = _zero(1.0 - pv)
    relevant = set(comp.cone(verdict))
    for assumptions, _ in comp.components:
        if assumptions & relevant:
            relevant |= assumptions
    rows = []
    for a in amap.assumptions:
        if a not in relevant:
            continue
        lvl = comp.var[a]
        p = w[lvl]
        d_g, d_c = dg.get(lvl, 0.0), dc.get(lvl, 0.0)
        # cofactors from the derivative of a multilinear polynomial (see module docstring)
        g1, c1 = pg + (1.0 - p) * d_g, pc + (1.0 - p) * d_c
        g0, c0 = pg - p * d_g, pc - p * d_c
        if min(c1, c0) < 1e-9 * pc:
            # the subtraction may have cancelled: recount both cofactors directly (no subtraction,
            # so an impossible value of A gives exactly 0)
            g1, c1, g0, c0 = (b.probability(x, w[:lvl] + [value] + w[lvl + 1:])
                              for value in (1.0, 0.0) for x in (g, c))
        v1 = g1 / c1 if c1 > 0.0 else None
        v0 = g0 / c0 if c0 > 0.0 else None
        q1 = None if v1 is None else _zero(1.0 - v1)
        q0 = None if v0 is None else _zero(1.0 - v0)
        birnbaum = None if v1 is None or v0 is None else v1 - v0
        fv = None if q1 is None or q <= 0.0 else (q - q1) / q
        rows.append(Importance(assumption=a, credence=p, fixed=a in cred.fixed,
                               p_if_true=_clean(v1), p_if_false=_clean(v0), birnbaum=_clean(birnbaum),
                               fussell_vesely=_clean(fv), raw=_clean(_ratio(q0, q)), rrw=_clean(_ratio(q, q1))))
    rows.sort(key=lambda r: (-(abs(r.birnbaum) if r.birnbaum is not None else -1.0),
                             -(r.raw if r.raw is not None else 0.0), r.assumption))
    return ImportanceTable(verdict=verdict, probability=_clean(pv), top_event=f"{verdict} fails",
                           basic_event="the assumption is false", assumptions=rows)


# ---- sets of literals (cut sets) ---------------------------------------------------------------
def literal_probabilities(amap: ArgumentMap, cred: Credences, sets: list[dict[str, bool]]) -> list[float]:
    """P(S | C) for each set S of assumption literals: the probability that every literal of S
    holds, among the assignments the conflicts allow, exactly (not the product of the literal
    credences, which ignores the conflicts). Components that share no assumption with S cancel.
    """
    comp = compiled(amap)
    b = comp.bdd
    w = _weights(comp, cred)
    out = []
    for s in sets:
        term, c = TRUE, TRUE
        for a, v in s.items():
            x = comp.nodes[a]
            term = b.conj(term, x if v else b.neg(x))
        for assumptions, node in comp.components:
            if assumptions & s.keys():
                c = b.conj(c, node)
        pc = b.probability(c, w)
        out.append(_clean(b.probability(b.conj(term, c), w) / pc) if pc > 0.0 else 0.0)
    return out


def cuts_with_probabilities(amap: ArgumentMap, node: str, worldview: str | None = None, assume=(), deny=(),
                            limit: int = 1000, rank: str = "size", shown: int | None = None):
    """`argmap cuts` with each cut set's P(cut | conflicts) under the worldview's credences."""
    from argmap.analysis.queries import cuts
    cred = credences(amap, worldview, assume, deny)
    return cuts(amap, node, worldview, assume, deny, limit=limit, rank=rank, shown=shown,
                weigh=lambda sets: literal_probabilities(amap, cred, sets))
