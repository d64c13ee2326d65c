"""Before/after of BDD sifting (issue 15) on the adversarial pairs map and the corpus.

Usage: python3 benchmarks/bench_reorder.py [--before DIR] [PAIRS...]   (default 22 30 40)
Each case runs in a fresh process under /usr/bin/time (peak RSS): ``argmap prob -w w`` on the
adversarial map of n pairs (conflicts ``x_i and y_i``, a claim over all x, one over any y; the
static order puts every x before every y), then in process the diagram's node count. ``--before
DIR`` runs the same with DIR (a checkout of argmap without sifting) first on PYTHONPATH.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from test_reorder import adversarial  # noqa: E402

NODES = """
import json, sys, time
import argmap
from argmap.engine import budget
from argmap.analysis.probability import compiled, credences, probabilities
budget.start(60)
t = time.perf_counter()
amap = argmap.load(sys.argv[1])
try:
    probabilities(amap, credences(amap, sys.argv[2]))
    comp = compiled(amap)
    print(json.dumps({"nodes": len(comp.bdd), "reorderings": getattr(comp.bdd, "reorderings", 0),
                      "seconds": round(time.perf_counter() - t, 2)}))
except Exception as e:
    print(json.dumps({"error": str(e)[:80], "seconds": round(time.perf_counter() - t, 2)}))
print(argmap.__file__, file=sys.stderr)
"""


def measure(mapdir: str, worldview: str, pythonpath: str | None) -> dict:
    env = dict(os.environ, PYTHONHASHSEED="0")
    if pythonpath:
        env["PYTHONPATH"] = pythonpath
    t = time.perf_counter()
    proc = subprocess.run(["/usr/bin/time", "-f", "%M", sys.executable, "-m", "argmap", "--map", mapdir,
                           "--timeout", "60", "prob", "-w", worldview], capture_output=True, text=True, env=env,
                          cwd=tempfile.gettempdir())         # not ROOT: `-m` puts the cwd first on sys.path
    wall = time.perf_counter() - t
    rss = int(proc.stderr.strip().splitlines()[-1]) // 1024
    inner = subprocess.run([sys.executable, "-c", NODES, mapdir, worldview], capture_output=True, text=True, env=env,
                           cwd=tempfile.gettempdir())
    return {"exit": proc.returncode, "cli_seconds": round(wall, 2), "peak_mb": rss,
            **json.loads(inner.stdout.strip().splitlines()[-1])}


def main(argv: list[str]) -> None:
    before = None
    if argv[:1] == ["--before"]:
        before, argv = argv[1], argv[2:]
    sizes = [int(a) for a in argv] or [22, 30, 40]
    cases = [("corpus", str(ROOT / "claims"), "illustrative_credences")]
    for n in sizes:
        d = tempfile.mkdtemp()
        Path(d, "m.argmap").write_text(adversarial(n), encoding="utf-8")
        cases.append((f"pairs {n}", d, "w"))
    for name, mapdir, wv in cases:
        for label, path in ([("before", before)] if before else []) + [("after", None)]:
            print(name, label, measure(mapdir, wv, path), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
