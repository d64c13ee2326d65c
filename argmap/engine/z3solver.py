"""How the engine makes its Z3 solvers (for the map, its shards, and MARCO's map without python-sat)."""

from __future__ import annotations

import z3


def qf_fd_solver(ctx=None):
    """A Z3 solver for QF_FD in ``ctx``. (``z3.SolverFor(logic, ctx=ctx)`` makes the logic's name
    in Z3's global context, which creates that context: ~6 ms of every process that solves.)"""
    ctx = ctx or z3.main_ctx()
    return z3.Solver(z3.Z3_mk_solver_for_logic(ctx.ref(), z3.to_symbol("QF_FD", ctx)), ctx)
