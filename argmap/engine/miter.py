"""Which verdicts mean the same in two versions of a map, decided for all of them in one solver.

`argmap diff` counts a verdict unchanged when its status, minimal supports and cut sets cannot
differ. Comparing each verdict's slices side by side (argmap/analysis/diff.py, ``_same_meaning``)
costs one solver built from both slices per verdict: after a one-line edit of the generated wide
10k map, 1,512 verdict/worldview pairs had a changed slice and each such miter took about 1.1 s.

When the two maps have the same conflicts and none of them reads a node whose definition
changed, K (the conflicts) is one function of the assumptions in both maps, and a verdict V means
the same exactly when K ∧ W ⊨ (V_old ↔ V_new): then ¬K ∨ V is the same function in both maps,
so are its prime implicants and their consistency with K, and so are the status and the cut sets
(docs/semantics.md). The miter holds the old map as its engine compiles it, conflicts asserted,
plus a copy of every node of the new map that depends on a changed definition, reading every
other node and every assumption under the old map's names (those nodes are the same statements in
both maps). From 2,000 such nodes on, the copies are swept first (relevance.sweep): a copy
proved equal to its original is left out, and so is every verdict whose copy is. One
``consequences()`` call then decides "V_old xor V_new" for every remaining verdict at once, as
relevance's twin decides `weakens` (argmap/engine/relevance.py).
"""

from __future__ import annotations

from argmap.engine import budget

COPY = "n_"         # prefix of the new map's copies (the engine's names are a<i> and d<j>)


class Miter:
    """The old map plus the new map's copies of ``affected`` (its nodes that depend on a change)."""

    def __init__(self, e_old, e_new, affected: set[str], changed: set[str]):
        """``affected``: the new map's nodes that depend on a changed definition (``changed``)."""
        import random

        import z3
        from argmap.engine import relevance
        self.e_old, self.e_new = e_old, e_new
        old_names, circuit = e_old.names, e_new.circuit
        of_slot = {k: i for i, k in circuit.slot.items()}
        fresh = [COPY + e_new.names[a] for a in e_new.amap.assumptions if a not in old_names]
        self._solver = e_old._new_solver("\n".join([e_old._map_smt(tracked=False),
                                                    *[f"(declare-const {n} Bool)" for n in fresh]]))
        order = [d for d in e_new.order if d in affected]
        if len(order) < relevance.SWEEP_MIN:
            differs = set(order)
            if order:
                self._solver.from_string("\n".join(self._copy(d, differs, of_slot) for d in order))
        else:
            # random lanes, the same values for an assumption of either map (by id)
            rnd, width = random.Random(0), relevance.SWEEP_LANES
            mask = (1 << width) - 1
            values = {a: rnd.getrandbits(width) for a in sorted({*e_old.amap.assumptions, *e_new.amap.assumptions})}
            bits = []
            for eng in (e_old, e_new):
                c = eng.circuit
                entries = c.nodes           # (compiles every node first: the gate list grows)
                lane = [0] * c.size
                for a, k in c.slot.items():
                    if k < c.n_assumptions:
                        lane[k] = values[a]
                c.evaluate_bits(lane, mask, entries)
                bits.append(lane)
            slot_old = e_old.circuit.slot
            differs = relevance.sweep(
                self._solver, order,
                must_copy=lambda d, differs: d in changed or any(x in differs for x in e_new.slicer.deps[d]),
                lanes_differ=lambda d: d not in slot_old or bits[0][slot_old[d]] != bits[1][circuit.slot[d]],
                copy_text=lambda d, differs: self._copy(d, differs, of_slot),
                same=lambda d: z3.Bool(COPY + e_new.names[d], e_old.ctx) == e_old.var(d),
                lits=[], written=set())
        self.affected = differs     # the verdicts outside it are proved the same
        self._defined: set[str] = set()

    def _copy(self, d: str, differs: set[str], of_slot: dict[int, str]) -> str:
        """The new map's definition of ``d`` under COPY, reading the copies of ``differs`` and the
        old map's names for everything else (an assumption only the new map has: its own name)."""
        e_old, e_new = self.e_old, self.e_new
        circuit = e_new.circuit

        def leaf(k: int) -> str:
            node = of_slot[k]
            if node in differs:
                return COPY + e_new.names[node]
            return e_old.names.get(node) or COPY + e_new.names[node]
        return (f"(declare-const {COPY}{e_new.names[d]} Bool)"
                f"(assert (= {COPY}{e_new.names[d]} {circuit.text(circuit.base + circuit.entry(d)[2], leaf)}))")

    def differs(self, fixed: dict[str, bool], verdicts: list[str]) -> dict[str, bool | None]:
        """For each of ``verdicts`` (in both maps, consistent under ``fixed`` in both): False when
        it means the same in both maps under ``fixed``, True when some assignment satisfying the
        conflicts and ``fixed`` tells them apart, None when the solver ran out of its time."""
        import z3
        e_old, e_new = self.e_old, self.e_new
        todo = [v for v in verdicts if v in self.affected]
        out: dict[str, bool | None] = {v: False for v in verdicts if v not in self.affected}
        text = []
        for v in todo:
            if v not in self._defined:
                text.append(f"(declare-const x_{COPY}{e_new.names[v]} Bool)"
                            f"(assert (= x_{COPY}{e_new.names[v]} (xor {e_old.names[v]} {COPY}{e_new.names[v]})))")
                self._defined.add(v)
        if text:
            self._solver.from_string("\n".join(text))
        if not todo:
            return out
        lits = [e_old.lit(a, value) for a, value in sorted(fixed.items()) if a in e_old.names]
        xs = {z3.Bool(f"x_{COPY}{e_new.names[v]}", e_old.ctx): v for v in todo}
        try:
            with budget.share(0.25):
                e_old._timed(self._solver)
                result, implied = self._solver.consequences(lits, list(xs))
        except budget.BudgetExceeded:
            result = z3.unknown
        if result != z3.sat:
            # unknown: each is left to the caller; unsat cannot happen for a consistent scenario
            out.update({v: None for v in todo})
            return out
        by_name = {x.decl().name(): v for x, v in xs.items()}
        same = set()
        for imp in implied:
            consequent = imp.arg(1) if z3.is_implies(imp) else imp
            if z3.is_not(consequent):
                same.add(by_name[consequent.arg(0).decl().name()])
        out.update({v: v not in same for v in todo})
        return out
