"""The map as one BDD over its assumptions, and exact minimal supports read off it.

Why not embed the engine's supports and nogoods, as first planned: on the corpus they do not fit.
``Engine.supports`` (MARCO over Z3) took 27 s for the first three supports of one claim with a
17-assumption slice, and ``queries.what_breaks`` for one assumption did not finish in 400 s; the
exact sets, computed here, run to 8,820 nogoods and 35,883 minimal supports for a single claim
(measured on claims/ while writing this; see docs/explorer.md). A BDD of the whole map has under
2,000 nodes, and the page decides any toggle state exactly by walking it (``status`` in
explorer.js): consistent iff ``R`` restricted to the toggles is not false, holds iff moreover
``R ∧ ¬V`` restricted is false, fails iff ``R ∧ V`` restricted is false.

Minimal supports (used by the page for "what breaks … weakens" and listed in the node panel) are
computed per verdict here, as the prime implicants of ``¬OFF`` (OFF = R ∧ ¬V) that meet ON = R ∧ V,
by the Shannon recursion of Coudert & Madre (1992) on the pair (OFF, ON):

    P(off, on) = P(off0 ∨ off1, on0 ∨ on1)                    (primes without x)
               ∪ ¬x·{p ∈ P(off0, on0) : p meets off1}          (with ¬x: x is needed)
               ∪  x·{p ∈ P(off1, on1) : p meets off0}

Keeping only cubes that meet ON drops the nogoods on the way (they lie outside R), which is what
keeps the corpus' verdicts small. Definitions are functional, so R is just the conjunction of
``not conflict``. Tests compare statuses and supports with the brute-force oracle and the engine.
"""

from __future__ import annotations

from ..bdd import BDD, FALSE, TRUE
from ..model import And, ArgumentMap, Formula, Not, Ref

Term = frozenset[int]          # literals: +(i+1) for assumption i true, -(i+1) for false


class TooBig(Exception):
    """A prime-implicant set grew past the limit."""


class Labels:
    """One compiled map. ``fn[id]`` is the BDD of each assumption, claim and verdict; ``r`` is R."""

    def __init__(self, amap: ArgumentMap):
        from ..logic import topological_order      # plain graph code (logic.py is imported anyway)
        self.amap = amap
        self.ids = list(amap.assumptions)
        self.bdd = BDD(len(self.ids))
        self.fn: dict[str, int] = {a: self.bdd.var(i) for i, a in enumerate(self.ids)}
        for d in topological_order(amap):
            u = FALSE
            for s in amap.derived(d).supports:
                u = self.bdd.disj(u, self._formula(s.formula))
            self.fn[d] = u
        r = TRUE
        for c in amap.conflicts.values():
            r = self.bdd.conj(r, self.bdd.neg(self._formula(c.formula)))
        self.r = r
        self._memo: dict[tuple[int, int], list[Term]] = {}

    def _formula(self, f: Formula) -> int:
        b = self.bdd
        if isinstance(f, Ref):
            return self.fn[f.name]
        if isinstance(f, Not):
            return b.neg(self._formula(f.arg))
        u = TRUE if isinstance(f, And) else FALSE
        for a in f.args:
            v = self._formula(a)
            u = b.conj(u, v) if isinstance(f, And) else b.disj(u, v)
        return u

    # ---- checks on the diagram ------------------------------------------------------------------
    def meets(self, term: Term, u: int) -> bool:
        """Is ``u`` satisfiable together with the literals of ``term``? (iterative: no recursion)"""
        b = self.bdd
        fixed = {abs(l) - 1: l > 0 for l in term}
        seen: set[int] = set()
        stack = [u]
        while stack:
            v = stack.pop()
            if v == TRUE:
                return True
            if v == FALSE or v in seen:
                continue
            seen.add(v)
            lvl = b.level[v]
            if lvl in fixed:
                stack.append(b.high[v] if fixed[lvl] else b.low[v])
            else:
                stack.extend((b.low[v], b.high[v]))
        return False

    def status(self, node: str, fixed: dict[str, bool]) -> str:
        """The status the page shows (same rule as explorer.js), for tests and the CLI summary."""
        term = frozenset((i + 1) * (1 if fixed[a] else -1) for i, a in enumerate(self.ids) if a in fixed)
        if not self.meets(term, self.r):
            return "inconsistent"
        b, v = self.bdd, self.fn[node]
        if not self.meets(term, b.conj(self.r, b.neg(v))):
            return "holds"
        if not self.meets(term, b.conj(self.r, v)):
            return "fails"
        return "open"

    # ---- minimal supports -----------------------------------------------------------------------
    def _primes(self, off: int, on: int, limit: int) -> list[Term]:
        if on == FALSE or off == TRUE:
            return []
        if off == FALSE:
            return [frozenset()]
        key = (off, on)
        got = self._memo.get(key)
        if got is not None:
            return got
        b = self.bdd
        top = min(b.level[off], b.level[on])
        off0, off1 = (b.low[off], b.high[off]) if b.level[off] == top else (off, off)
        on0, on1 = (b.low[on], b.high[on]) if b.level[on] == top else (on, on)
        x = top + 1
        out = list(self._primes(b.disj(off0, off1), b.disj(on0, on1), limit))
        out += [p | {-x} for p in self._primes(off0, on0, limit) if self.meets(p, off1)]
        out += [p | {x} for p in self._primes(off1, on1, limit) if self.meets(p, off0)]
        if len(out) > limit:
            raise TooBig(f"more than {limit} minimal supports")
        self._memo[key] = out
        return out

    def supports(self, node: str, value: bool = True, limit: int = 2000) -> tuple[list[dict[str, bool]], bool]:
        """Minimal supports of ``node`` (``value=False``: of its negation) under the empty worldview,
        sorted like ``Engine.supports``; ``([], True)`` when there are more than ``limit``."""
        b = self.bdd
        v = self.fn[node] if value else b.neg(self.fn[node])
        try:
            terms = self._primes(b.conj(self.r, b.neg(v)), b.conj(self.r, v), limit)
        except TooBig:
            return [], True
        out = [{self.ids[abs(l) - 1]: l > 0 for l in t} for t in terms]
        out.sort(key=lambda s: (len(s), sorted((k, not v) for k, v in s.items())))
        return out, False

    # ---- the diagram as data --------------------------------------------------------------------
    def export(self, roots: dict[str, int]) -> tuple[list[list[int]], dict[str, int]]:
        """The nodes reachable from ``roots`` renumbered 2, 3, … (0/1 stay the terminals), as
        ``[level, low, high]`` rows, children before parents; and the renumbered roots."""
        b = self.bdd
        reach: set[int] = set()
        for u in roots.values():
            reach.update(b.reachable(u))
        order = sorted(reach, key=lambda u: (-b.level[u], u))       # deepest level first
        new = {FALSE: 0, TRUE: 1}
        rows = []
        for u in order:
            new[u] = len(rows) + 2
            rows.append([b.level[u], new[b.low[u]], new[b.high[u]]])
        return rows, {k: new[u] for k, u in roots.items()}
