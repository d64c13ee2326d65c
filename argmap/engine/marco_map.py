"""MARCO's map: the sets of literals not yet explored, as clauses over one selector per literal.

MARCO (Liffiton et al., argmap/engine/logic.py) asks the map for a *seed*, a set of literals
that no earlier answer rules out; checks whether the seed entails the goal; and adds one
clause: no superset of a support it found, or some literal outside a counter-model. The map
holds nothing else, so it is a small SAT problem that grows by one clause per call.

On Z3 every call paid for a model object and read each selector through the API: on the wide
600 benchmark map (a verdict whose cut sets pass Blake's term cap), 5,000 calls took 19.7 s,
of which the map's checks, models and reads were about half. MiniSat (python-sat, a
dependency) answers such a problem in microseconds and hands its model back as a list. An
environment without python-sat gets the same map on Z3's SAT core.

Unconstrained selectors come out false (MiniSat's default phase, and Z3's), so seeds start
small: MARCO then meets supports, which are small on real maps, before the large
counter-models.
"""

from __future__ import annotations

Literal = tuple[str, bool]


class MarcoMap:
    """Unexplored sets of literals over ``universe`` (at most one literal per assumption)."""

    def __init__(self, universe: list[str], ctx=None, use_pysat: bool = True):
        self.keys: list[Literal] = [(a, v) for a in universe for v in (True, False)]
        self.index = {k: i + 1 for i, k in enumerate(self.keys)}
        self.closed = False             # an empty clause was added: nothing is left to explore
        if use_pysat:
            from pysat.solvers import Minisat22
            self._sat = Minisat22()
            self._z3 = None
        else:
            import z3
            from argmap.engine.z3solver import qf_fd_solver
            self._sat = None
            self._z3 = qf_fd_solver(ctx)
            self._vars = [z3.Bool(f"sel{i}", ctx) for i in range(len(self.keys) + 1)]
        for a in universe:
            self._clause([-self.index[(a, True)], -self.index[(a, False)]])

    def require(self, lit: Literal) -> None:
        """Only sets containing ``lit`` (``what-breaks``: supports that use one assumption)."""
        self._clause([self.index[lit]])

    def no_superset(self, lits: list[Literal]) -> None:
        """Never again a superset of ``lits`` (a support found, or a nogood)."""
        self._clause([-self.index[l] for l in lits])

    def some_of(self, lits: list[Literal]) -> None:
        """Every later set holds one of ``lits`` (those outside a counter-model: its subsets are done)."""
        self._clause([self.index[l] for l in lits])

    def seed(self) -> list[Literal] | None:
        """An unexplored set, or None when every set has been explored."""
        if self.closed:
            return None
        keys = self.keys
        if self._sat is not None:
            if not self._sat.solve():
                return None
            return [keys[v - 1] for v in self._sat.get_model() if 0 < v <= len(keys)]
        import z3
        result = self._z3.check()
        if result == z3.unknown:
            # never "explored": an undecided map must not end the enumeration as if complete
            from argmap.language.diagnostics import InconclusiveError
            raise InconclusiveError(f"the solver could not decide ({self._z3.reason_unknown()})")
        if result != z3.sat:
            return None
        m = self._z3.model()
        return [k for k, x in zip(keys, self._vars[1:]) if z3.is_true(m.eval(x, model_completion=True))]

    def _clause(self, lits: list[int]) -> None:
        if not lits:
            self.closed = True
        elif self._sat is not None:
            self._sat.add_clause(lits)
        else:
            import z3
            self._z3.add(z3.Or([self._vars[v] if v > 0 else z3.Not(self._vars[-v]) for v in lits]))

    def close(self) -> None:
        if self._sat is not None:
            self._sat.delete()
