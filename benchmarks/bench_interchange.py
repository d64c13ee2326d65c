"""Timing of `argmap fmt`, `argmap diff` and the GraphML/Argdown/JSON exports.

    python3 benchmarks/bench_interchange.py [SIZES...]     (default: the corpus, then 1000 10000)

Maps: the bundled corpus (claims/) and synthetic ones from benchmarks/generate.py (seed 0). Each
number is the median of 3 runs (wall clock), started after a full garbage collection:

* ``fmt``            format_source on every file (parse to validate + re-space), no writing;
* ``diff (same)``    map_diff of the map with itself (statuses and minimal supports of every
                     verdict under every worldview, in both maps), once, after both maps were
                     loaded and their engines compiled (loading is `read_map` in run.py's table);
* ``diff (edited)``  the same against a copy without the second `if` line of the last claim
                     that has two;
* ``json``, ``graphml``, ``argdown``  the exporter alone, map loaded and engine warm.
"""

from __future__ import annotations

import gc
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from argmap.analysis.diff import map_diff  # noqa: E402
from argmap.analysis.queries import Scenario, engine  # noqa: E402
from argmap.export import exporter  # noqa: E402
from argmap.language.format import format_source  # noqa: E402
from argmap.language.loader import load  # noqa: E402
from argmap.language.source import collect_paths, read_source  # noqa: E402


def timed(fn, reps: int = 3) -> float:
    times = []
    for _ in range(reps):
        gc.collect()
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def edited_copy(src: Path, dst: Path) -> Path:
    """A copy of the map without the second `if` line of the last claim that has two."""
    files = collect_paths([str(src)])
    copies = []
    for f in files:
        target = dst / Path(f).resolve().relative_to(src.resolve())
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(Path(f).read_text(encoding="utf-8"), encoding="utf-8")
        copies.append(target)
    for target in reversed(copies):
        lines = target.read_text(encoding="utf-8").split("\n")
        for i in range(len(lines) - 1, 0, -1):
            if lines[i].lstrip().startswith("if ") and lines[i - 1].lstrip().startswith("if "):
                del lines[i]
                target.write_text("\n".join(lines), encoding="utf-8")
                return dst
    raise ValueError("no claim with two `if` lines")


def _diff_time(old: Path, new: Path) -> float:
    """map_diff alone: both maps loaded and their engines compiled first (read_map is timed in run.py)."""
    a, b = load(str(old)), load(str(new))
    engine(a)
    engine(b)
    gc.collect()
    t = time.perf_counter()
    map_diff(a, b)
    return time.perf_counter() - t


def measure(name: str, path: Path) -> list[str]:
    files = collect_paths([str(path)])
    sources = [read_source(f)[0] for f in files]
    amap = load(str(path))
    engine(amap)
    row = [name, f"{amap.statement_count():,}", f"{sum(len(s.text) for s in sources) / 1e6:.2f}"]
    row.append(f"{timed(lambda: [format_source(s) for s in sources]):.2f}")

    with tempfile.TemporaryDirectory() as tmp:
        other = edited_copy(path, Path(tmp))
        for new in (path, other):
            row.append(f"{_diff_time(path, new):.2f}")
    for fmt in ("json", "graphml", "argdown"):
        row.append(f"{timed(lambda: exporter(fmt)(amap, Scenario())):.2f}")
    return row


def main(argv: list[str]) -> None:
    import generate
    sizes = [int(a) for a in argv] or [1000, 10000]
    rows = [measure("corpus (claims/)", ROOT / "claims")]
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            rows.append(measure(f"synthetic {n:,}", generate.write(n, tmp)))
    head = ["map", "statements", "MB", "fmt", "diff (same)", "diff (edited)", "json", "graphml", "argdown"]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for r in rows:
        print("| " + " | ".join(r) + " |")


if __name__ == "__main__":
    main(sys.argv[1:])
