"""A small reduced ordered binary decision diagram (ROBDD) with weighted model counting.

Why our own: the corpus needs a few thousand nodes, the only BDD package installable without a
compiler (``dd.autoref``) is pure Python as well and brings networkx, and what argmap needs beyond
``and/or/not`` — a weighted count and its gradient in one reverse pass — is a few lines over our
own arrays but awkward through another library's node API.

Size and time: the diagram holds at most ``budget.MAX_BDD_NODES`` nodes and watches the command's
deadline (argmap/engine/budget.py); past either it raises ``BudgetExceeded`` (exit 3). The
variable order is fixed (argmap/analysis/probability.py); there is no dynamic reordering.

Nodes are integers: 0 is false, 1 is true, every other node ``u`` tests the variable at level
``level[u]`` and goes to ``low[u]`` if it is false and to ``high[u]`` if it is true. A unique table
keeps the diagram reduced (no node with ``low == high``, no two equal nodes), so equal functions are
equal integers. Operations are memoised; their recursion depth is bounded by the number of levels.
"""

from __future__ import annotations

import sys

from argmap.engine import budget

FALSE, TRUE = 0, 1


class BDD:
    def __init__(self, nvars: int):
        self.nvars = nvars
        self.level = [nvars, nvars]         # terminals sit below every variable
        self.low = [0, 1]
        self.high = [0, 1]
        self.unique: dict[tuple[int, int, int], int] = {}
        self._and: dict[tuple[int, int], int] = {}
        self._not: dict[int, int] = {FALSE: TRUE, TRUE: FALSE}
        # apply recurses once per level; leave room above Python's default limit of 1000
        sys.setrecursionlimit(max(sys.getrecursionlimit(), 4 * nvars + 2000))

    def __len__(self) -> int:
        return len(self.level)

    def node(self, level: int, low: int, high: int) -> int:
        if low == high:
            return low
        key = (level, low, high)
        u = self.unique.get(key)
        if u is None:
            u = len(self.level)
            if u & 4095 == 0:
                # the size cap stands in for a memory limit (RLIMIT_AS would also kill Z3)
                if u >= budget.MAX_BDD_NODES:
                    raise budget.BudgetExceeded(
                        f"the problem is too large within the budget: the decision diagram passed "
                        f"{budget.MAX_BDD_NODES:,} nodes")
                if budget.expired():
                    raise budget.exceeded("while building a decision diagram")
            self.level.append(level)
            self.low.append(low)
            self.high.append(high)
            self.unique[key] = u
        return u

    def var(self, level: int) -> int:
        return self.node(level, FALSE, TRUE)

    def neg(self, u: int) -> int:
        r = self._not.get(u)
        if r is None:
            r = self.node(self.level[u], self.neg(self.low[u]), self.neg(self.high[u]))
            self._not[u] = r
            self._not[r] = u
        return r

    def conj(self, u: int, v: int) -> int:
        if u == FALSE or v == FALSE:
            return FALSE
        if u == TRUE or u == v:
            return v
        if v == TRUE:
            return u
        if u > v:
            u, v = v, u
        key = (u, v)
        r = self._and.get(key)
        if r is not None:
            return r
        lu, lv = self.level[u], self.level[v]
        top = min(lu, lv)
        u0, u1 = (self.low[u], self.high[u]) if lu == top else (u, u)
        v0, v1 = (self.low[v], self.high[v]) if lv == top else (v, v)
        r = self.node(top, self.conj(u0, v0), self.conj(u1, v1))
        self._and[key] = r
        return r

    def disj(self, u: int, v: int) -> int:
        # De Morgan keeps one memo table; `neg` is memoised in both directions
        return self.neg(self.conj(self.neg(u), self.neg(v)))

    def exists(self, u: int, levels: frozenset[int], memo: dict[int, int] | None = None) -> int:
        """∃ over the variables at ``levels``: the disjunction of both cofactors, level by level."""
        if u <= TRUE:
            return u
        memo = {} if memo is None else memo
        r = memo.get(u)
        if r is None:
            lo = self.exists(self.low[u], levels, memo)
            hi = self.exists(self.high[u], levels, memo)
            r = self.disj(lo, hi) if self.level[u] in levels else self.node(self.level[u], lo, hi)
            memo[u] = r
        return r

    def minimal_models(self, u: int, memo: dict | None = None) -> list[frozenset[int]]:
        """The inclusion-minimal sets of levels whose variables, set true with all others false,
        satisfy ``u`` (for a function over selector variables: its minimal true points).

        X ∋ x is minimal iff X∖{x} is minimal for the high cofactor and contains no minimal set
        of the low cofactor; minimal sets without x are those of the low cofactor.
        """
        if u == FALSE:
            return []
        if u == TRUE:
            return [frozenset()]
        memo = {} if memo is None else memo
        if u in memo:
            return memo[u]
        budget.tick("while listing minimal cruxes")
        lows = self.minimal_models(self.low[u], memo)
        highs = self.minimal_models(self.high[u], memo)
        x = self.level[u]
        out = list(lows)
        for m in highs:
            budget.tick("while listing minimal cruxes")
            if not any(l <= m for l in lows):
                out.append(m | {x})
        memo[u] = out
        return out

    def reachable(self, root: int) -> list[int]:
        """Internal nodes reachable from ``root``, by level (a topological order: parents first)."""
        seen = {root}
        stack = [root]
        while stack:
            u = stack.pop()
            if u > TRUE:
                for w in (self.low[u], self.high[u]):
                    if w not in seen:
                        seen.add(w)
                        stack.append(w)
        return sorted((u for u in seen if u > TRUE), key=lambda u: (self.level[u], u))

    def size(self, root: int) -> int:
        return len(self.reachable(root))

    def probability(self, root: int, weights: list[float]) -> float:
        """P(root) when variable ``level`` is true with probability ``weights[level]``, independently."""
        prob, _ = self.gradient(root, weights, need_gradient=False)
        return prob

    def gradient(self, root: int, weights: list[float], need_gradient: bool = True) -> tuple[float, dict[int, float]]:
        """P(root) and, for every level, ∂P(root)/∂weights[level] = P(root | x) − P(root | ¬x).

        One bottom-up pass for P, one top-down (adjoint) pass for all derivatives: O(size), instead
        of two counts per variable. Levels the diagram does not test have derivative 0 (absent).
        """
        nodes = self.reachable(root)
        prob = {FALSE: 0.0, TRUE: 1.0}
        for u in reversed(nodes):
            p = weights[self.level[u]]
            prob[u] = (1.0 - p) * prob[self.low[u]] + p * prob[self.high[u]]
        if not need_gradient:
            return prob[root], {}
        adj = dict.fromkeys(nodes, 0.0)
        adj[FALSE] = adj[TRUE] = 0.0
        adj[root] = 1.0
        grad: dict[int, float] = {}
        for u in nodes:
            a = adj[u]
            if a == 0.0:
                continue
            lvl = self.level[u]
            p = weights[lvl]
            lo, hi = self.low[u], self.high[u]
            adj[lo] += a * (1.0 - p)
            adj[hi] += a * p
            grad[lvl] = grad.get(lvl, 0.0) + a * (prob[hi] - prob[lo])
        return prob[root], grad
