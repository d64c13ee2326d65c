"""The linear-time floor for `verdicts`: three-valued (Kleene) propagation in plain Python.

Deliberately independent of argmap.engine.logic: it reads the same graph from the ArgumentMap, sorts it
itself (Kahn's algorithm) and flattens every formula into a list of gates in post-order, so that
one pass over a flat list evaluates the whole map. Each gate costs O(its fan-in), hence the pass is
linear in the size of the map. It is *sound* but not complete: with `not`, `unless` and conflicts
it leaves open some nodes that the exact engine decides (the report says how many).
"""

from __future__ import annotations

from collections import deque

from argmap.language.model import And, ArgumentMap, Not, Or, Ref

REF, NOT, AND, OR, FALSE = range(5)


class Propagation:
    """The map compiled once into gates; :meth:`run` evaluates them under a scenario."""

    def __init__(self, amap: ArgumentMap):
        derived = {**{c: amap.claims[c] for c in amap.claims}, **{v: amap.verdicts[v] for v in amap.verdicts}}
        self.slot: dict[str, int] = {a: i for i, a in enumerate(amap.assumptions)}
        self.n_assumptions = len(self.slot)
        order = self._toposort(derived)
        self.gates: list[tuple[int, tuple[int, ...]]] = []   # (op, child gate/slot indices)
        # node slots come first so that a Ref can point at a node by index; gates follow
        for name in order:
            self.slot[name] = len(self.slot)
        self.node_gate: list[tuple[int, int]] = []            # (node slot, gate index)
        self.base = len(self.slot)
        for name in order:
            supports = [s.formula for s in derived[name].supports]
            g = self._compile(Or(tuple(supports))) if supports else self._gate(FALSE, ())
            self.node_gate.append((self.slot[name], g))
        self.verdicts = list(amap.verdicts)

    @staticmethod
    def _toposort(derived) -> list[str]:
        from argmap.language.model import refs
        users: dict[str, list[str]] = {n: [] for n in derived}
        missing: dict[str, int] = {}
        for n, node in derived.items():
            deps = {r.name for s in node.supports for r in refs(s.formula) if r.name in derived}
            missing[n] = len(deps)
            for d in deps:
                users[d].append(n)
        ready = deque(n for n, k in missing.items() if k == 0)
        order = []
        while ready:
            n = ready.popleft()
            order.append(n)
            for u in users[n]:
                missing[u] -= 1
                if missing[u] == 0:
                    ready.append(u)
        return order

    def _gate(self, op: int, args: tuple[int, ...]) -> int:
        self.gates.append((op, args))
        return self.base + len(self.gates) - 1

    def _compile(self, formula) -> int:
        # iterative post-order: formulas can be wide, and recursion depth must not depend on input
        stack = [(formula, False)]
        result: list[int] = []
        while stack:
            f, expanded = stack.pop()
            if isinstance(f, Ref):
                result.append(self.slot[f.name])
            elif not expanded:
                stack.append((f, True))
                children = (f.arg,) if isinstance(f, Not) else f.args
                stack.extend((c, False) for c in reversed(children))
            else:
                k = 1 if isinstance(f, Not) else len(f.args)
                args = tuple(result[len(result) - k:])
                del result[len(result) - k:]
                op = NOT if isinstance(f, Not) else AND if isinstance(f, And) else OR
                result.append(self._gate(op, args))
        return result[0]

    def run(self, fixed: dict[str, bool]) -> dict[str, bool | None]:
        """Kleene values of every verdict (None = undecided by propagation)."""
        val: list[bool | None] = [None] * (self.base + len(self.gates))
        for a, v in fixed.items():
            val[self.slot[a]] = v
        gates, base = self.gates, self.base
        # a node's gates were appended contiguously (ending with the node's own gate) after the
        # gates of every node it depends on: one pass in list order sees every input decided
        lo = 0
        for node_slot, last in self.node_gate:
            hi = last - base
            for gi in range(lo, hi + 1):
                op, args = gates[gi]
                if op == OR or op == AND:
                    decisive = op == OR         # True decides an `or`, False decides an `and`
                    out, unknown = decisive, False
                    for i in args:
                        x = val[i]
                        if x is decisive:
                            break
                        if x is None:
                            unknown = True
                    else:
                        out = None if unknown else not decisive
                elif op == NOT:
                    x = val[args[0]]
                    out = None if x is None else not x
                else:
                    out = False
                val[base + gi] = out
            val[node_slot] = val[last]
            lo = hi + 1
        return {v: val[self.slot[v]] for v in self.verdicts}
