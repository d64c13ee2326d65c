"""Measure argmap on synthetic maps of 1k, 10k and 100k statements; print Markdown tables.

    python3 benchmarks/run.py                 # the full run recorded in docs/performance.md
    python3 benchmarks/run.py --quick         # a smoke run (small maps, one repetition)
    python3 benchmarks/run.py --sizes 1000,10000 --reps 5 --json out.json
    python3 benchmarks/run.py --shapes topics,wide,chain --sizes 1000,10000   # one table per shape

Every number is the median of ``--reps`` repetitions (wall clock, ``time.perf_counter``), each
started after a full garbage collection so that no operation pays for the previous one's garbage.
Operations, each on a fresh map from benchmarks/generate.py (seed 0; ``--shapes`` picks the
generator's shapes, one table each):

* ``read_map``        parse + build + validate every file (the front half of every command);
* ``check``           ``argmap.analysis.queries.check(path)``: read_map again + consistency + worldviews +
                      expectations, i.e. what `argmap check` does minus printing;
* ``engine``          building the engine and checking the empty scenario's consistency, which
                      compiles the whole-map solver (maps up to SHARD_SIZE ids) or every conflict
                      component's (larger maps): what the first query of a run pays;
* ``verdicts``        every verdict's status under the empty worldview, engine already compiled
                      and its cache of statuses per scenario emptied (``verdicts cold`` includes
                      the compile);
* ``what-breaks``     one assumption (the first one in the cone of the `why` verdict), warm;
* ``why``             minimal supports of one open verdict of the middle proposal, warm, default
                      cap of 1000 supports;
* ``kleene baseline`` benchmarks/baseline.py: the linear three-valued propagation floor;
                      ``verdicts / baseline`` divides warm by warm, ``cold verdicts / cold
                      baseline`` divides ``verdicts cold`` by the baseline's compile plus its run;
* ``cli verdicts``     a fresh interpreter running ``argmap verdicts --json`` on the map (whole
                      process, cold), with its peak resident memory (``wait4``'s ``ru_maxrss``);
* ``cli why``, ``cli what-breaks``  the same two questions as a user asks them after `argmap verdicts`:
                      a fresh interpreter, text output (what-breaks explains each entry), the
                      parse cache warm, ``--timeout`` the per-call limit; exit 3 is noted;
* ``argmap --help``   a fresh interpreter running ``python -m argmap --help`` (size-independent).

Below each table's rows: ``verdicts cold growth / baseline compile growth`` between sizes (how
much faster `verdicts cold` grew than the floor did, on this host and run), the ratios of verdicts
to the baseline, peak memory and load.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT), str(HERE)]

import generate  # noqa: E402
from baseline import Propagation  # noqa: E402


OP_TIMEOUT = 300          # seconds one call may take before the table says "> 300 s" (--op-timeout)
SKIP: set[str] = set()    # operations not measured (--skip), shown as "skipped"


class OpTimeout(Exception):
    pass


_FIRED = [False]


def _alarm(signum, frame):
    _FIRED[0] = True
    raise OpTimeout()


def timed(fn, reps: int) -> tuple[float, object]:
    """Median wall time of ``reps`` calls, and the last result; inf if a call exceeds OP_TIMEOUT."""
    import signal
    times, result = [], None
    previous = signal.signal(signal.SIGALRM, _alarm)
    try:
        for _ in range(reps):
            gc.collect()        # garbage left by the previous operation is not this one's cost
            t0 = time.perf_counter()
            _FIRED[0] = False
            signal.alarm(OP_TIMEOUT)
            try:
                result = fn()
            except Exception:
                # raised inside a ctypes call into Z3, the alarm's exception arrives wrapped
                # (ctypes.ArgumentError), or re-raised by the engine's own handlers
                if _FIRED[0]:
                    return float("inf"), None
                raise
            finally:
                signal.alarm(0)
            times.append(time.perf_counter() - t0)
    finally:
        signal.signal(signal.SIGALRM, previous)
    return statistics.median(times), result


def pick_targets(amap, engine) -> tuple[str, str]:
    """The `why` verdict (first open verdict from the middle proposal on) and the `what-breaks` assumption."""
    verdicts = list(amap.verdicts)
    values = engine.values({}, verdicts)
    middle = len(verdicts) // 2 - (len(verdicts) // 2) % 4
    ordered = verdicts[middle:] + verdicts[:middle]
    verdict = next((v for v in ordered if values[v] is None), ordered[0])
    cone = sorted(engine.cone(verdict)) or list(amap.assumptions)
    return verdict, cone[0]


def cli_run(path: Path, args: list[str]) -> tuple[float, int]:
    """Wall time and peak resident memory (bytes) of one fresh `argmap` process.

    The peak comes from GNU time (``%M``), whose child is forked from a small process: a child
    forked from this one would count this process's pages (the maps already loaded) as its own."""
    command = [sys.executable, "-m", "argmap", "--map", str(path), *args]
    timer = ["/usr/bin/time", "-f", "%M"] if os.path.exists("/usr/bin/time") else []
    t0 = time.perf_counter()
    # ARGMAP_NO_CACHE: every repetition parses the map, as the first run after an edit does (the
    # parse cache's hits are measured by benchmarks/startup.py)
    proc = subprocess.run(timer + command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                          env={**os.environ, "ARGMAP_NO_CACHE": "1"})
    elapsed = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"argmap {' '.join(args)} failed on {path} (exit {proc.returncode}): {proc.stderr[-300:]}")
    peak = int(proc.stderr.strip().splitlines()[-1]) * 1024 if timer else 0
    return elapsed, peak


def cli_session(path: Path, commands: list[list[str]], reps: int) -> list[tuple[float, int]]:
    """Median wall time and exit code of each command as a user runs it after `argmap verdicts`:
    a fresh process, text output, the parse cache warm (a private cache folder), the command's
    own ``--timeout`` set to the benchmark's per-call limit."""
    cache = tempfile.mkdtemp(prefix="argmap-bench-cache-")
    env = {**os.environ, "XDG_CACHE_HOME": cache}
    base = [sys.executable, "-m", "argmap", "--map", str(path), "--timeout", str(OP_TIMEOUT)]
    out = []
    try:
        subprocess.run(base + ["verdicts"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for command in commands:
            times, code = [], 0
            for _ in range(reps):
                t0 = time.perf_counter()
                proc = subprocess.run(base + command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                                      stderr=subprocess.DEVNULL)
                times.append(time.perf_counter() - t0)
                code = max(code, proc.returncode)
            out.append((statistics.median(times), code))
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    return out


def measure_size(size: int, reps: int, workdir: Path, shape: str = "topics") -> dict:
    from argmap.analysis import queries
    from argmap.language.loader import read_map

    path = generate.write(size, workdir / f"{shape}{size}", seed=0, shape=shape)
    row: dict = {"size": size, "shape": shape}
    row["read_map"], (amap, diags) = timed(lambda: read_map(str(path)), reps)
    if any(d.severity == "error" for d in diags):
        raise SystemExit(f"generated map of size {size} has errors: {[d for d in diags if d.severity == 'error'][:3]}")
    row["statements"] = {"assumptions": len(amap.assumptions), "claims": len(amap.claims),
                         "verdicts": len(amap.verdicts), "conflicts": len(amap.conflicts)}
    row["check"], report = timed(lambda: queries.check(str(path)), reps)
    assert report.ok, "the generated map must check clean"

    def cold_verdicts():
        amap._cache.pop("engine", None)
        return queries.verdicts(amap)
    row["verdicts cold"], _ = timed(cold_verdicts, reps)

    def compile_engine():
        amap._cache.pop("engine", None)
        eng = queries.engine(amap)
        eng.consistent({})          # compiles the solver(s) the first query needs
        return eng
    row["engine"], engine = timed(compile_engine, reps)

    def warm_verdicts():
        engine._values_cache.clear()    # decide again: this row measures deciding, not the cache
        return queries.verdicts(amap)
    row["verdicts"], result = timed(warm_verdicts, reps)
    decided_exact = sum(s != "open" for s in result.verdicts.values())

    verdict, assumption = pick_targets(amap, engine)
    row["what-breaks"], wb = timed(lambda: queries.what_breaks(amap, assumption), reps) \
        if "what-breaks" not in SKIP else (float("nan"), None)
    row["why"], why = timed(lambda: queries.why(amap, verdict), reps) if "why" not in SKIP else (float("nan"), None)
    row["targets"] = {"why": verdict, "supports": len(why.supports) if why else "?",
                      "truncated": bool(why and why.truncated), "what_breaks": assumption,
                      "breaks": len(wb.breaks) if wb else "?", "loses": len(wb.loses) if wb else "?",
                      "weakens": len(wb.weakens) if wb else "?"}

    row["baseline compile"], prop = timed(lambda: Propagation(amap), reps)
    row["kleene baseline"], kv = timed(lambda: prop.run({}), max(reps, 5))
    row["decided"] = {"exact": decided_exact, "kleene": sum(v is not None for v in kv.values())}
    row["verdicts / baseline"] = row["verdicts"] / row["kleene baseline"]
    # issue 13's goal compares *cold* verdicts with the baseline: a cold engine compiles its gate
    # list, so the fair floor is the baseline's compile plus its run
    row["cold verdicts / cold baseline"] = row["verdicts cold"] / (row["baseline compile"] + row["kleene baseline"])
    runs = [cli_run(path, ["verdicts", "--json"]) for _ in range(min(reps, 3))]
    row["cli verdicts"] = statistics.median(t for t, _ in runs)
    row["cli peak memory"] = max(m for _, m in runs)
    (row["cli why"], row["cli why exit"]), (row["cli what-breaks"], row["cli what-breaks exit"]) = cli_session(
        path, [["why", verdict], ["what-breaks", assumption]], min(reps, 3))
    row["load"] = os.getloadavg()[0]
    return row


def measure_help(runs: int) -> dict:
    def run(args):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, *args], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        return time.perf_counter() - t0
    out = {}
    for label, args in (("python -c pass", ["-c", "pass"]), ("argmap --help", ["-m", "argmap", "--help"]),
                        ("import z3 (reference)", ["-c", "import z3"])):
        times = [run(args) for _ in range(runs)]
        out[label] = {"median": statistics.median(times), "min": min(times), "max": max(times)}
    check = subprocess.run([sys.executable, "-c", "import sys, argmap.cli; print('z3' in sys.modules)"],
                           cwd=ROOT, capture_output=True, text=True, check=True)
    out["z3 imported by the CLI module"] = check.stdout.strip() == "True"
    return out


OPS = ("read_map", "check", "engine", "verdicts cold", "verdicts", "what-breaks", "why",
       "baseline compile", "kleene baseline", "cli verdicts", "cli why", "cli what-breaks")


def fmt(seconds: float) -> str:
    if seconds == float("inf"):
        return f"> {OP_TIMEOUT} s (timeout)"
    if seconds != seconds:
        return "skipped"
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


def markdown(rows: list[dict]) -> str:
    """One shape's table: every operation at every size, ratios between sizes, memory, load."""
    sizes = [r["size"] for r in rows]
    lines = [f"### shape `{rows[0]['shape']}`", "", "| operation | " + " | ".join(f"{s:,}" for s in sizes) + " | "
             + " | ".join(f"{b:,}/{a:,}" for a, b in zip(sizes, sizes[1:])) + " |",
             "|---" * (1 + len(sizes) + max(0, len(sizes) - 1)) + "|"]
    for op in OPS:
        vals = [r[op] for r in rows]
        ratios = [f"{b / a:.1f}×" if b != float("inf") and b == b and a == a else "—" for a, b in zip(vals, vals[1:])]
        cells = [fmt(v) + (f" (exit {r[op + ' exit']})" if r.get(op + " exit") else "") for v, r in zip(vals, rows)]
        lines.append(f"| {op} | " + " | ".join(cells) + " | " + " | ".join(ratios) + " |")
    # issue 13's 12× per decade, read against the floor's own growth on this host and run: the
    # baseline's compile grew 10.9-17.4× from 10k to 100k on the hosts measured (cache sizes)
    lines.append("| verdicts cold growth / baseline compile growth | " + " | " * len(sizes)
                 + " | ".join(_relative_growth(a, b) for a, b in zip(rows, rows[1:])) + " |")
    lines.append("| verdicts / baseline | " + " | ".join(f"{r['verdicts / baseline']:.1f}×" for r in rows)
                 + " |" + " |" * max(0, len(sizes) - 1))
    lines.append("| cold verdicts / cold baseline | "
                 + " | ".join(f"{r['cold verdicts / cold baseline']:.1f}×" for r in rows)
                 + " |" + " |" * max(0, len(sizes) - 1))
    lines.append("| cli verdicts peak memory | " + " | ".join(f"{r['cli peak memory'] / 2**20:.0f} MB" for r in rows)
                 + " |" + " |" * max(0, len(sizes) - 1))
    lines.append("| load average after | " + " | ".join(f"{r['load']:.1f}" for r in rows)
                 + " |" + " |" * max(0, len(sizes) - 1))
    lines.append("")
    lines.append("| size | assumptions | claims | verdicts | conflicts | decided exactly / by Kleene "
                 "| why: verdict, supports | what-breaks: assumption, breaks/loses/weakens |")
    lines.append("|---|---|---|---|---|---|---|---|")
    for r in rows:
        s, t, d = r["statements"], r["targets"], r["decided"]
        lines.append(f"| {r['size']:,} | {s['assumptions']:,} | {s['claims']:,} | {s['verdicts']:,} | "
                     f"{s['conflicts']:,} | {d['exact']:,} / {d['kleene']:,} | `{t['why']}`, {t['supports']}"
                     f"{' (truncated)' if t['truncated'] else ''} | `{t['what_breaks']}`, "
                     f"{t['breaks']}/{t['loses']}/{t['weakens']} |")
    return "\n".join(lines)


def _relative_growth(small: dict, large: dict) -> str:
    """How much faster `verdicts` cold grew between two sizes than the baseline's compile did
    (1.0: as fast as the floor; below 1: slower than it)."""
    values = (small["verdicts cold"], large["verdicts cold"], small["baseline compile"], large["baseline compile"])
    if any(v != v or v == float("inf") or v <= 0 for v in values):
        return "—"
    return f"{(values[1] / values[0]) / (values[3] / values[2]):.2f}"


def startup_markdown(help_times: dict) -> str:
    lines = ["| start-up (fresh interpreter) | median | min | max |"]
    lines.append("|---|---|---|---|")
    for label, v in help_times.items():
        if isinstance(v, dict):
            lines.append(f"| `{label}` | {fmt(v['median'])} | {fmt(v['min'])} | {fmt(v['max'])} |")
    lines.append(f"\nz3 imported by `import argmap.cli`: {help_times['z3 imported by the CLI module']}")
    return "\n".join(lines)


def machine() -> str:
    try:
        model = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo")
                     if line.startswith("model name"))
    except (OSError, StopIteration):
        model = platform.processor() or "unknown CPU"
    load = os.getloadavg() if hasattr(os, "getloadavg") else ("?",)
    return (f"{model}, {os.cpu_count()} logical CPUs, Python {platform.python_version()}, "
            f"{platform.system()} {platform.release()}, load average at start {load[0]:.2f}")


def main(argv=None) -> int:
    global OP_TIMEOUT, SKIP
    ap = argparse.ArgumentParser(description="Measure argmap on synthetic maps.")
    ap.add_argument("--quick", action="store_true", help="smoke run: maps of 200 and 600 statements, 1 repetition")
    ap.add_argument("--sizes", help="comma-separated statement counts (default 1000,10000,100000)")
    ap.add_argument("--reps", type=int, help="repetitions per operation (default 5; 3 at 100k)")
    ap.add_argument("--help-runs", type=int, help="fresh interpreters for the start-up timing (default 7)")
    ap.add_argument("--json", metavar="FILE", help="also write the raw numbers as JSON")
    ap.add_argument("--op-timeout", type=int, default=300, help="seconds per call before giving up")
    ap.add_argument("--skip", default="", help="comma-separated operations not to measure (what-breaks, why)")
    ap.add_argument("--shapes", default="topics",
                    help=f"comma-separated map shapes, one table each ({', '.join(generate.SHAPES)})")
    args = ap.parse_args(argv)
    OP_TIMEOUT = args.op_timeout
    SKIP = {s for s in args.skip.split(",") if s}
    sizes = [int(s) for s in args.sizes.split(",")] if args.sizes else (
        [200, 600] if args.quick else [1000, 10000, 100000])
    print(f"# argmap benchmarks — {time.strftime('%Y-%m-%d %H:%M')}\n{machine()}\n", flush=True)
    shapes = args.shapes.split(",")
    unknown = [s for s in shapes if s not in generate.SHAPES]
    if unknown:
        ap.error(f"unknown shape(s) {', '.join(unknown)}; choose from {', '.join(generate.SHAPES)}")
    tables: dict[str, list[dict]] = {}
    with tempfile.TemporaryDirectory(prefix="argmap-bench-") as tmp:
        for shape in shapes:
            rows = tables[shape] = []
            for size in sizes:
                reps = args.reps or (1 if args.quick else 3 if size >= 100_000 else 5)
                t0 = time.perf_counter()
                rows.append(measure_size(size, reps, Path(tmp), shape))
                print(f"{shape} {size:,}: measured in {time.perf_counter() - t0:.1f} s ({reps} repetitions, "
                      f"load {os.getloadavg()[0]:.1f})", file=sys.stderr, flush=True)
            print(markdown(rows) + "\n", flush=True)
    help_times = measure_help(args.help_runs or (2 if args.quick else 7))
    print(startup_markdown(help_times))
    if args.json:
        Path(args.json).write_text(json.dumps({"machine": machine(), "tables": tables, "startup": help_times},
                                              indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
