"""A solver `unknown` is never a verdict: it is reported as inconclusive with exit 3."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT


def pigeonhole_map(pigeons: int = 11, holes: int = 10) -> str:
    """11 pigeons in 10 holes: unsatisfiable, and hard for resolution-based solvers (seconds)."""
    lines = [f'assumption p{i}_{j}: "pigeon {i} in hole {j}"' for i in range(pigeons) for j in range(holes)]
    for i in range(pigeons):
        lines.append(f'claim placed{i}: "pigeon {i} has a hole"')
        lines.append("  if " + " or ".join(f"p{i}_{j}" for j in range(holes)))
        lines.append(f"conflict unplaced{i}: not placed{i}")
    k = 0
    for j in range(holes):
        for a in range(pigeons):
            for b in range(a + 1, pigeons):
                lines.append(f"conflict shared{k}: p{a}_{j} and p{b}_{j}")
                k += 1
    return "\n".join(lines) + "\n"


def test_solver_timeout_exits_3_and_says_inconclusive(tmp_path):
    (tmp_path / "php.argmap").write_text(pigeonhole_map(), encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "argmap", "--map", str(tmp_path), "--timeout", "0.2", "verdicts"],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 3, proc.stderr
    # --timeout is the whole command's budget: 0.2 s may run out inside Z3 or before a call
    assert ("could not decide" in proc.stderr or "time budget of 0.2 s ran out" in proc.stderr), proc.stderr
    assert "--timeout" in proc.stderr and "Traceback" not in proc.stderr
    assert proc.stdout == ""          # no verdict table was printed


def test_a_sharded_engine_reports_unknown_too(tmp_path):
    """Large maps ask one solver per conflict component (and per shard): `unknown` still raises."""
    import pytest
    import argmap
    from argmap.language.diagnostics import InconclusiveError
    from argmap.engine.logic import Engine
    (tmp_path / "php.argmap").write_text(pigeonhole_map(), encoding="utf-8")
    amap, _ = argmap.read_map(str(tmp_path))
    eng = Engine(amap, timeout_ms=200, shard_size=0)
    assert eng.sharded
    with pytest.raises(InconclusiveError, match="could not decide"):
        eng.consistent({})
