"""Cost of error recovery: one statement with N broken attribute lines among N good ones.

    python3 benchmarks/bench_recovery.py            # N = 1000, 4000, 16000; median of 3

Each broken line is reported (one diagnostic each) and the good ones kept; recovery parses each
attribute line alone under its header, so the cost should grow linearly with N.
"""

from __future__ import annotations

import gc
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from argmap.language.loader import read_map  # noqa: E402


def one_statement(n: int) -> str:
    return 'assumption a: "A"\nclaim c: "C"\n' + "  if a\n  if a &\n" * n


def main(sizes=(1000, 4000, 16000), reps: int = 3) -> None:
    print("| broken + good lines in one statement | read_map (median of 3) | diagnostics |")
    print("| --- | --- | --- |")
    for n in sizes:
        d = Path(tempfile.mkdtemp())
        (d / "m.argmap").write_text(one_statement(n), encoding="utf-8")
        times, errors = [], 0
        for _ in range(reps):
            gc.collect()
            t = time.perf_counter()
            _, diags = read_map(d)
            times.append(time.perf_counter() - t)
            errors = sum(x.severity == "error" for x in diags)
        print(f"| {n:,} + {n:,} | {statistics.median(times):.2f} s | {errors:,} errors |")


if __name__ == "__main__":
    main()
