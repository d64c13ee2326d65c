"""The map compiled once into a flat list of gates over integer slots (plain Python, no solver).

Both linear passes of the engine run over it: the three-valued (Kleene) propagation that decides
most statuses, and the bit-parallel evaluation of random models (argmap/engine/sampling.py).
Walking the formula objects instead (a recursive call, an ``isinstance`` chain and a dict lookup
per reference) made those passes 4–6× slower than a plain gate list: on a 10k-statement map with
wide cones the propagation alone took 20 ms of a 55 ms ``verdicts``, against 6 ms for the whole
Kleene baseline of benchmarks/baseline.py, which is built the same way as this module.

Slots: the assumptions first (in map order), then every derived node in topological order, then
the gates. A node's gates are contiguous and read only slots of assumptions, of nodes and of its
own earlier gates, so evaluating a node means evaluating its own gate range once the nodes it
reads are evaluated: any subset of nodes closed under dependencies can be evaluated alone, in
topological order. Nodes and conflicts are compiled when first asked for, so the gate list is in
the order of first use, not in topological order.
"""

from __future__ import annotations

from argmap.language.model import And, ArgumentMap, Formula, Not, Ref

AND, OR, NOT, FALSE = range(4)


class Circuit:
    def __init__(self, amap: ArgumentMap, order: list[str], assumption_ids: list[str]):
        self.amap = amap
        self.order = order
        self.slot: dict[str, int] = {a: i for i, a in enumerate(assumption_ids)}
        self.n_assumptions = len(self.slot)
        for d in order:
            self.slot[d] = len(self.slot)
        self.base = len(self.slot)
        self.gates: list[tuple[int, tuple[int, ...]]] = []
        # Nodes are compiled when first asked for: a question about a few nodes of a large map
        # (why, what-breaks, one shard's text) must not pay for compiling the whole map.
        self._entries: dict[str, tuple[int, int, int]] = {}   # node -> (its slot, first gate, last gate)
        self._by_slot: list[tuple[int, int, int] | None] = [None] * len(order)
        self._all: list[tuple[int, int, int]] | None = None
        self._conflicts: dict[str, tuple[int, int]] = {}      # conflict id -> (first gate, last gate)

    @property
    def size(self) -> int:
        """Slots compiled so far (assumptions, nodes, gates): the length of an evaluation's list."""
        return self.base + len(self.gates)

    def entry(self, d: str) -> tuple[int, int, int]:
        """Derived node ``d``'s (slot, first gate, last gate), compiling it on first use."""
        found = self._entries.get(d)
        if found is None:
            first = len(self.gates)
            supports = self.amap.derived(d).supports
            if not supports:
                self._gate(FALSE, ())
            elif len(supports) == 1:
                self._compile(supports[0].formula)
            else:
                self._gate(OR, tuple(self._expr(s.formula) for s in supports))
            found = self._entries[d] = (self.slot[d], first, len(self.gates) - 1)
            self._by_slot[found[0] - self.n_assumptions] = found
        return found

    def entry_of_slot(self, k: int) -> tuple[int, int, int]:
        """The entry of the derived node in slot ``k`` (walks over gate arguments meet slots)."""
        found = self._by_slot[k - self.n_assumptions]
        return found if found is not None else self.entry(self.order[k - self.n_assumptions])

    @property
    def nodes(self) -> list[tuple[int, int, int]]:
        """Every derived node's entry, in topological order."""
        if self._all is None:
            entry = self.entry
            self._all = [entry(d) for d in self.order]
        return self._all

    def conflict_range(self, cid: str) -> tuple[int, int]:
        found = self._conflicts.get(cid)
        if found is None:
            first = len(self.gates)
            self._compile(self.amap.conflicts[cid].formula)
            found = self._conflicts[cid] = (first, len(self.gates) - 1)
        return found

    def _gate(self, op: int, args: tuple[int, ...]) -> int:
        self.gates.append((op, args))
        return self.base + len(self.gates) - 1

    def _compile(self, formula: Formula) -> int:
        out = self._expr(formula)
        if out < self.base:
            # a bare reference (`if a`): the node still needs a gate of its own to copy from
            return self._gate(AND, (out,))
        return out

    def _expr(self, f: Formula) -> int:
        # recursion only as deep as the formula's nesting, as in every other pass over formulas
        kind = type(f)
        if kind is Ref:
            return self.slot[f.name]
        if kind is Not:
            return self._gate(NOT, (self._expr(f.arg),))
        slot, expr = self.slot, self._expr
        args = tuple(slot[a.name] if type(a) is Ref else expr(a) for a in f.args)
        self.gates.append((AND if kind is And else OR, args))
        return self.base + len(self.gates) - 1

    def text(self, k: int, leaf=None) -> str:
        """Slot ``k`` as an SMT-LIB term over the engine's names (``a<i>`` for the i-th assumption,
        ``d<j>`` for the j-th derived node in topological order: exactly the slot numbering), or
        over ``leaf(slot)`` for the slots of assumptions and nodes when given (relevance's twin)."""
        if k < self.base:
            if leaf is not None:
                return leaf(k)
            na = self.n_assumptions
            return f"a{k}" if k < na else f"d{k - na}"
        op, args = self.gates[k - self.base]
        if op == NOT:
            return f"(not {self.text(args[0], leaf)})"
        if op == FALSE:
            return "false"
        if len(args) == 1:
            return self.text(args[0], leaf)     # the gate of a bare reference (`if a`)
        inner = " ".join([self.text(a, leaf) for a in args])
        return f"(and {inner})" if op == AND else f"(or {inner})"

    def selection(self, derived: list[str]) -> list[tuple[int, int, int]]:
        """The entries of ``derived`` (closed under dependencies), in topological order (slots
        are numbered in that order)."""
        entry = self.entry
        return [entry(d) for d in sorted(derived, key=self.slot.__getitem__)]

    # ---- three-valued propagation -------------------------------------------------------------
    def kleene(self, fixed: dict[str, bool], nodes: list[tuple[int, int, int]] | None = None) -> list:
        """Every slot's Kleene value (None = not decided) after evaluating ``nodes`` (default: all)."""
        entries = self.nodes if nodes is None else nodes     # (compiles before sizing the list)
        val: list[bool | None] = [None] * self.size
        slot = self.slot
        for a, v in fixed.items():
            val[slot[a]] = v
        gates, base = self.gates, self.base
        for node_slot, lo, hi in entries:
            for gi in range(lo, hi + 1):
                op, args = gates[gi]
                if op == AND or op == OR:
                    decisive = op == OR             # True decides an `or`, False decides an `and`
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
            val[node_slot] = val[base + hi]
        return val

    # ---- bit-parallel evaluation --------------------------------------------------------------
    def evaluate_bits(self, bits: list[int], mask: int, nodes: list[tuple[int, int, int]]) -> None:
        """Fill ``bits`` (one int per slot, one bit per lane) for ``nodes``, assumptions given."""
        gates, base = self.gates, self.base
        for node_slot, lo, hi in nodes:
            for gi in range(lo, hi + 1):
                op, args = gates[gi]
                if op == AND:
                    out = mask
                    for i in args:
                        out &= bits[i]
                        if not out:
                            break
                elif op == OR:
                    out = 0
                    for i in args:
                        out |= bits[i]
                        if out == mask:
                            break
                elif op == NOT:
                    out = mask ^ bits[args[0]]
                else:
                    out = 0
                bits[base + gi] = out
            bits[node_slot] = bits[base + hi]

    def conflict_bits(self, cid: str, bits: list[int], mask: int) -> int:
        """The lanes in which conflict ``cid``'s expression is true (its nodes already evaluated)."""
        lo, hi = self.conflict_range(cid)
        self.evaluate_bits(bits, mask, [(self.base + hi, lo, hi)])
        return bits[self.base + hi]
