"""A small reduced ordered binary decision diagram (ROBDD) with weighted model counting and
dynamic variable reordering (Rudell's sifting).

Why our own: the corpus needs a few thousand nodes, the only BDD package installable without a
compiler (``dd.autoref``) is pure Python as well and brings networkx, and what argmap needs beyond
``and/or/not`` — a weighted count and its gradient in one reverse pass — is a few lines over our
own arrays but awkward through another library's node API.

Size and time: the diagram holds at most ``budget.MAX_BDD_NODES`` nodes and watches the command's
deadline (argmap/engine/budget.py); past either it raises ``BudgetExceeded`` (exit 3), also while
reordering.

Variables and levels. Callers speak of *variables* (0 … nvars−1: weights, ``var``, ``exists``,
``minimal_models`` and ``gradient`` all use variable indices); nodes are stored by *level*, the
variable's current position in the order (``var_at[level]``, ``pos[var]``). Nodes are integers: 0 is
false, 1 is true, every other node ``u`` tests the variable at level ``level[u]`` and goes to
``low[u]`` if it is false and to ``high[u]`` if it is true. A unique table keeps the diagram reduced
(no node with ``low == high``, no two equal nodes), so equal functions are equal integers.
Operations are memoised; their recursion depth is bounded by the number of levels.

Reordering (:meth:`reorder`) swaps adjacent levels in place, so every live node keeps its integer
and its function; only nodes unreachable from the given roots are freed (their integers are reused
later) and the operation memos are dropped. A caller must therefore pass as roots every node it
still holds. Sifting moves one *block* of ``block`` adjacent levels at a time (double_crux keeps a
selector right above each assumption: block 2), so blocks stay contiguous and in the same
internal order.
"""

from __future__ import annotations

import sys

from argmap.engine import budget

FALSE, TRUE = 0, 1
MAX_GROWTH = 1.2       # a sifting direction stops once the diagram is 20 % above the best size seen
FREE = -1              # level of a freed node slot


class BDD:
    def __init__(self, nvars: int):
        self.nvars = nvars
        self.level = [nvars, nvars]         # terminals sit below every variable
        self.low = [0, 1]
        self.high = [0, 1]
        self.var_at = list(range(nvars))    # level -> variable
        self.pos = list(range(nvars))       # variable -> level
        self.unique: dict[tuple[int, int, int], int] = {}
        self.free: list[int] = []
        self.made = 0                       # nodes created (for the cap and clock checks)
        self.reorderings = 0
        self._and: dict[tuple[int, int], int] = {}
        self._not: dict[int, int] = {FALSE: TRUE, TRUE: FALSE}
        # set only while reordering: per-level node sets and reference counts
        self._at: list[set[int]] | None = None
        self._ref: list[int] | None = None
        # apply recurses once per level; leave room above Python's default limit of 1000
        sys.setrecursionlimit(max(sys.getrecursionlimit(), 4 * nvars + 2000))

    def __len__(self) -> int:
        """Node slots in use, terminals included (garbage too until the next reordering)."""
        return len(self.level) - len(self.free)

    def _new(self, level: int, low: int, high: int) -> int:
        self.made += 1
        if self.made & 4095 == 0:
            # the size cap stands in for a memory limit (RLIMIT_AS would also kill Z3)
            if len(self) >= budget.MAX_BDD_NODES:
                raise budget.BudgetExceeded(
                    f"the problem is too large within the budget: the decision diagram passed "
                    f"{budget.MAX_BDD_NODES:,} nodes")
            if budget.expired():
                raise budget.exceeded("while building a decision diagram")
        if self.free:
            u = self.free.pop()
            self.level[u], self.low[u], self.high[u] = level, low, high
        else:
            u = len(self.level)
            self.level.append(level)
            self.low.append(low)
            self.high.append(high)
        self.unique[(level, low, high)] = u
        return u

    def node(self, level: int, low: int, high: int) -> int:
        if low == high:
            return low
        u = self.unique.get((level, low, high))
        if u is None:
            u = self._new(level, low, high)
        return u

    def var(self, v: int) -> int:
        return self.node(self.pos[v], FALSE, TRUE)

    def var_of(self, u: int) -> int:
        """The variable an internal node tests."""
        return self.var_at[self.level[u]]

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

    def exists(self, u: int, variables) -> int:
        """∃ over ``variables``: the disjunction of both cofactors, level by level."""
        levels = frozenset(self.pos[v] for v in variables)
        return self._exists(u, levels, {})

    def _exists(self, u: int, levels: frozenset[int], memo: dict[int, int]) -> int:
        if u <= TRUE:
            return u
        r = memo.get(u)
        if r is None:
            lo = self._exists(self.low[u], levels, memo)
            hi = self._exists(self.high[u], levels, memo)
            r = self.disj(lo, hi) if self.level[u] in levels else self.node(self.level[u], lo, hi)
            memo[u] = r
        return r

    def minimal_models(self, u: int, memo: dict | None = None) -> list[frozenset[int]]:
        """The inclusion-minimal sets of variables which, set true with all others false,
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
        x = self.var_of(u)
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
        """P(root) when variable ``v`` is true with probability ``weights[v]``, independently."""
        prob, _ = self.gradient(root, weights, need_gradient=False)
        return prob

    def gradient(self, root: int, weights: list[float], need_gradient: bool = True) -> tuple[float, dict[int, float]]:
        """P(root) and, for every variable, ∂P(root)/∂weights[v] = P(root | v) − P(root | ¬v).

        One bottom-up pass for P, one top-down (adjoint) pass for all derivatives: O(size), instead
        of two counts per variable. Variables the diagram does not test have derivative 0 (absent).
        """
        nodes = self.reachable(root)
        var_at = self.var_at
        prob = {FALSE: 0.0, TRUE: 1.0}
        for u in reversed(nodes):
            p = weights[var_at[self.level[u]]]
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
            v = var_at[self.level[u]]
            p = weights[v]
            lo, hi = self.low[u], self.high[u]
            adj[lo] += a * (1.0 - p)
            adj[hi] += a * p
            grad[v] = grad.get(v, 0.0) + a * (prob[hi] - prob[lo])
        return prob[root], grad

    # ---- dynamic reordering ----------------------------------------------------------------
    def reorder(self, roots, block: int = 1, sift: bool = True, max_work: float | None = None) -> int:
        """Sift the variable order to shrink the diagram of ``roots``; return the live node count.

        Every node reachable from ``roots`` keeps its integer and its function; every other node
        is freed (``sift=False``: only that). Each block of ``block`` levels (the order is a
        sequence of such blocks) is moved through every position by adjacent swaps and left where
        the diagram was smallest (Rudell 1993); blocks are taken largest first, ties by position,
        so the result is deterministic. ``max_work`` bounds the nodes the swaps may touch (the
        block being moved is still put back at its best position), so one reordering costs a few
        passes over the diagram, not one pass per level pair.
        """
        self._collect(roots)
        try:
            if not sift:
                return self._live
            self._work, self._max_work = 0, max_work
            nblocks = self.nvars // block
            weight = [sum(len(self._at[lvl]) for lvl in range(b * block, (b + 1) * block)) for b in range(nblocks)]
            largest = sorted((b for b in range(nblocks) if weight[b]), key=lambda b: -weight[b])
            order = [self.var_at[b * block] for b in largest]
            for v in order:
                if self._spent():
                    break
                self._sift(v, block, nblocks)
            self.reorderings += 1
            return self._live
        finally:
            self._at = self._ref = None
            self._and.clear()
            self._not = {FALSE: TRUE, TRUE: FALSE}

    def _spent(self) -> bool:
        return self._max_work is not None and self._work >= self._max_work

    def _collect(self, roots) -> None:
        """Free every node unreachable from ``roots``; count references of the rest by level."""
        ref = [0] * len(self.level)
        at: list[set[int]] = [set() for _ in range(self.nvars)]
        stack = []
        for r in roots:
            ref[r] += 1                      # an external reference keeps a root alive
            if r > TRUE and r not in at[self.level[r]]:
                at[self.level[r]].add(r)
                stack.append(r)
        while stack:
            u = stack.pop()
            for w in (self.low[u], self.high[u]):
                ref[w] += 1
                if w > TRUE and w not in at[self.level[w]]:
                    at[self.level[w]].add(w)
                    stack.append(w)
        dead = [u for u in range(2, len(self.level)) if ref[u] == 0 and self.level[u] != FREE]
        for u in dead:
            del self.unique[(self.level[u], self.low[u], self.high[u])]
            self.level[u] = FREE
        # pop() reuses the smallest integers first, so the reuse order does not depend on history
        self.free = sorted(set(self.free) | set(dead), reverse=True)
        self._and.clear()
        self._not = {FALSE: TRUE, TRUE: FALSE}
        self._ref, self._at = ref, at
        self._live = sum(len(s) for s in at)

    def _make(self, level: int, low: int, high: int) -> int:
        """``node`` while reordering: one more reference to the result."""
        if low == high:
            self._ref[low] += 1
            return low
        u = self.unique.get((level, low, high))
        if u is None:
            u = self._new(level, low, high)
            if u >= len(self._ref):
                self._ref.append(0)
            self._ref[u] = 0
            self._ref[low] += 1
            self._ref[high] += 1
            self._at[level].add(u)
            self._live += 1
        self._ref[u] += 1
        return u

    def _deref(self, u: int) -> None:
        stack = [u]
        while stack:
            u = stack.pop()
            self._ref[u] -= 1
            if u > TRUE and self._ref[u] == 0:
                lvl = self.level[u]
                del self.unique[(lvl, self.low[u], self.high[u])]
                self._at[lvl].discard(u)
                self.level[u] = FREE
                self.free.append(u)
                self._live -= 1
                stack.append(self.low[u])
                stack.append(self.high[u])

    def _swap(self, i: int) -> None:
        """Exchange the variables at levels i and i+1; every live node keeps its function."""
        budget.tick("while reordering a decision diagram")
        j = i + 1
        xs, ys = self._at[i], self._at[j]
        self._work += len(xs) + len(ys)
        self.var_at[i], self.var_at[j] = self.var_at[j], self.var_at[i]
        self.pos[self.var_at[i]], self.pos[self.var_at[j]] = i, j
        if not xs and not ys:
            return
        level, low, high, unique = self.level, self.low, self.high, self.unique
        dependent = sorted(u for u in xs if level[low[u]] == j or level[high[u]] == j)
        for u in xs:
            del unique[(i, low[u], high[u])]
        for u in ys:
            del unique[(j, low[u], high[u])]
        for u in ys:                         # y-nodes do not test x: they move up unchanged
            level[u] = i
            unique[(i, low[u], high[u])] = u
        dep = set(dependent)
        moved = {u for u in xs if u not in dep}
        for u in moved:                      # x-nodes that do not test y move down unchanged
            level[u] = j
            unique[(j, low[u], high[u])] = u
        self._at[i], self._at[j] = set(ys), moved
        for u in dependent:                  # x ? (y ? f11 : f10) : (y ? f01 : f00) → y ? (x ..) : (x ..)
            f0, f1 = low[u], high[u]
            f00, f01 = (low[f0], high[f0]) if f0 in ys else (f0, f0)
            f10, f11 = (low[f1], high[f1]) if f1 in ys else (f1, f1)
            n0 = self._make(j, f00, f10)
            n1 = self._make(j, f01, f11)
            low[u], high[u] = n0, n1
            unique[(i, n0, n1)] = u
            self._at[i].add(u)
            self._deref(f0)
            self._deref(f1)

    def _move_block(self, b: int, block: int) -> None:
        """Exchange blocks b and b+1 (each ``block`` levels), keeping each block's inner order."""
        start = b * block
        for k in range(block):               # lift each level of block b+1 over block b
            for lvl in range(start + block + k - 1, start + k - 1, -1):
                self._swap(lvl)

    def _sift(self, v: int, block: int, nblocks: int) -> None:
        b = self.pos[v] // block
        best, best_at = self._live, b
        # toward the nearer end first, then the other way (Rudell)
        first = 1 if nblocks - 1 - b < b else -1
        for direction in (first, -first):
            while 0 <= b + direction < nblocks:
                if direction == 1:
                    self._move_block(b, block)
                else:
                    self._move_block(b - 1, block)
                b += direction
                if self._live < best:
                    best, best_at = self._live, b
                elif self._live > MAX_GROWTH * best or self._spent():
                    break
        while b < best_at:
            self._move_block(b, block)
            b += 1
        while b > best_at:
            self._move_block(b - 1, block)
            b -= 1
