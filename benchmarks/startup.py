"""Start-up of the commands people run on the bundled corpus, against the bare imports (issue 13 goal 2).

    python3 benchmarks/startup.py                  # medians of 5, the table in docs/performance.md
    python3 benchmarks/startup.py --reps 9 --json out.json
    python3 benchmarks/startup.py --no-bytecode    # keep PYTHONDONTWRITEBYTECODE as it is set
    python3 benchmarks/startup.py --root /tmp/old  # another checkout's code and corpus (e.g. `git archive`)
    python3 benchmarks/startup.py --before /tmp/old  # this checkout and another, in the same round-robin

Run it with the interpreter argmap is installed in (``.venv/bin/python``).

Every number is a whole fresh process, timed from outside (``time.perf_counter`` around
``subprocess.run``), on the corpus in ``claims/``. The runs go round-robin over the commands, so a
burst of load from other users of the machine falls on all of them alike; the load average
(``os.getloadavg``) is printed before and after. The reference is
``python -c "import argmap, z3, lark, pydantic, click"``; the goal is every command ≤ 2× it.

Caches (argmap's, in ``${XDG_CACHE_HOME:-~/.cache}/argmap/``) are pointed at a fresh temporary
folder. "cold cache" rows run with ``ARGMAP_NO_CACHE=1`` (a first run: nothing cached at all);
"after an edit" rows run on a copy of the corpus to one file of which every run first adds an
assumption, so that file is parsed again and everything computed from the map is new, as in a
session of editing the map; the others after one warm-up run that fills the cache, as every run
after the first on an unchanged map does. Python's own bytecode
cache (``__pycache__``) is allowed, as for an installed package, unless ``--no-bytecode``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BARE = ["-c", "import argmap, z3, lark, pydantic, click"]
COMMANDS = {
    "argmap --help": ["--help"],
    "check": ["check"],
    "verdicts": ["verdicts"],
    "why deference.inner": ["why", "deference.inner"],
    "what-breaks myopia_verification": ["what-breaks", "myopia_verification"],
}


def run_once(args: list[str], env: dict, root: Path = ROOT) -> float:
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, *args], cwd=root, env=env, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1):          # 1: `check` found a failed expectation; still timed
        raise SystemExit(f"{args} exited {proc.returncode}: {proc.stderr[-500:]}")
    return elapsed


def measure(reps: int, bytecode: bool, root: Path = ROOT, before: Path | None = None) -> dict:
    cache = tempfile.mkdtemp(prefix="argmap-startup-")
    try:
        return _measure(reps, bytecode, root, cache, before)
    finally:
        shutil.rmtree(cache, ignore_errors=True)


class _Edit:
    """Called before each run of an "after an edit" row: adds one assumption (a new id each time)
    to one file of a copy of ``root``'s corpus."""

    def __init__(self, root: Path, folder: str):
        self.claims = Path(folder) / "claims"
        if not self.claims.exists():
            shutil.copytree(root / "claims", self.claims)
        self.target = sorted(self.claims.rglob("*.argmap"))[0]
        self.count = 0

    def __call__(self) -> None:
        self.count += 1
        with self.target.open("a", encoding="utf-8") as f:
            f.write(f'\nassumption startup_edit_{self.count}: "one more assumption, added by benchmarks/startup.py"\n')


class _SupportEdit:
    """Called before each run of an "after a claim's edit" row: adds a support line to (odd runs)
    or removes it from (even runs) the claim that the most `expect` slices contain, in a copy of
    ``root``'s corpus, so each run's map differs from the last one's in meaning, not just in an
    unused line: the expectations whose slice holds that claim are decided again."""

    def __init__(self, root: Path, folder: str):
        self.claims = Path(folder) / "claims"
        if not self.claims.exists():
            shutil.copytree(root / "claims", self.claims)
        claim, assumption, where = _busiest_claim(self.claims)
        self.path = Path(where.file)
        self.lines = self.path.read_text(encoding="utf-8").split("\n")
        end = where.line                     # the claim's last line: the next statement starts at column 0
        while end < len(self.lines) and (not self.lines[end].strip() or self.lines[end][0] in " \t"):
            end += 1
        while not self.lines[end - 1].strip():
            end -= 1
        self.edited = self.lines[:end] + [f"  if {assumption}"] + self.lines[end:]
        self.count = 0

    def __call__(self) -> None:
        self.count += 1
        self.path.write_text("\n".join(self.edited if self.count % 2 else self.lines), encoding="utf-8")


def _busiest_claim(folder: Path):
    """The claim in the most expectations' slices, an assumption it does not depend on yet, and
    its place (computed once, in this process: the edit rows then time only the command)."""
    import argmap
    from argmap.analysis.queries import engine
    amap = argmap.load(str(folder))
    slicer = engine(amap).slicer
    counts: dict[str, int] = {}
    for ex in amap.expects:
        if ex.target is not None:
            for i in slicer.slice_shard(ex.target).ids:
                if i in amap.claims:
                    counts[i] = counts.get(i, 0) + 1
    claim = max(counts, key=lambda c: (counts[c], c))
    other = next(a for a in amap.assumptions if a not in slicer.cone(claim))
    return claim, other, amap.claims[claim].span


def _cases(root: Path, cache: str, bytecode: bool, suffix: str = "") -> dict[str, tuple]:
    env = {**os.environ, "XDG_CACHE_HOME": cache}
    if root != ROOT:
        env["PYTHONPATH"] = str(root)          # ahead of the editable install's path entry
    if bytecode:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
    no_cache = {**env, "ARGMAP_NO_CACHE": "1"}
    cases: dict[str, tuple[list[str], dict, Path]] = {} if suffix else {"bare imports": (BARE, env, root)}
    for name, args in COMMANDS.items():
        cases[name + suffix] = (["-m", "argmap", *args], env, root)
    cases["check, cold cache" + suffix] = (["-m", "argmap", "check"], no_cache, root)
    cases["verdicts, cold cache" + suffix] = (["-m", "argmap", "verdicts"], no_cache, root)
    edit = _Edit(root, os.path.join(cache, "edited" + suffix.strip(" ()")))
    for name in ("check", "verdicts"):
        cases[f"{name}, after an edit{suffix}"] = (["-m", "argmap", "--map", str(edit.claims), name], env, root, edit)
    claim_edit = _SupportEdit(root, os.path.join(cache, "claim-edited" + suffix.strip(" ()")))
    cases[f"check, after a claim's edit{suffix}"] = (["-m", "argmap", "--map", str(claim_edit.claims), "check"],
                                                    env, root, claim_edit)
    return cases


def _measure(reps: int, bytecode: bool, root: Path, cache: str, before: Path | None = None) -> dict:
    cases = _cases(root, cache, bytecode)
    if before is not None:                  # its own cache folder: other front-end code, other entries
        cases.update(_cases(before, os.path.join(cache, "before"), bytecode, suffix=" (before)"))
    for args, case_env, case_root, *_ in cases.values():   # warm-up: bytecode, OS file cache, argmap's caches
        run_once(args, case_env, case_root)
    load_before = os.getloadavg()
    times: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(reps):
        for name, (args, case_env, case_root, *edit) in cases.items():
            for change in edit:
                change()
            times[name].append(run_once(args, case_env, case_root))
    load_after = os.getloadavg()
    bare = statistics.median(times["bare imports"])
    return {
        "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "reps": reps, "bytecode": bytecode, "cpus": os.cpu_count(), "root": str(root),
        "before": None if before is None else str(before),
        "load_before": [round(x, 2) for x in load_before], "load_after": [round(x, 2) for x in load_after],
        "rows": [{"case": name, "median": statistics.median(ts), "min": min(ts), "max": max(ts),
                  "ratio": statistics.median(ts) / bare} for name, ts in times.items()],
    }


def markdown(result: dict) -> str:
    lines = [f"Median of {result['reps']} whole-process runs, {result['when']}, {result['cpus']} CPUs, "
             f"load {result['load_before'][0]} before and {result['load_after'][0]} after"
             f"{'' if result['bytecode'] else ', no bytecode cache'}"
             f"{'' if result['root'] == str(ROOT) else ', code of ' + result['root']}"
             f"{'' if not result.get('before') else ', (before) = code of ' + result['before']}:", "",
             "| command | median | min | max | × bare imports |", "|---|---|---|---|---|"]
    for row in result["rows"]:
        lines.append(f"| {row['case']} | {row['median'] * 1000:.0f} ms | {row['min'] * 1000:.0f} ms | "
                     f"{row['max'] * 1000:.0f} ms | {row['ratio']:.2f}× |")
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--no-bytecode", action="store_true", help="leave PYTHONDONTWRITEBYTECODE as set")
    ap.add_argument("--json", type=Path, help="also write the numbers here")
    ap.add_argument("--root", type=Path, default=ROOT, help="the checkout whose code and claims/ to run")
    ap.add_argument("--before", type=Path, help="also run this checkout's code and claims/, in the same "
                    "round-robin (rows marked '(before)'; ratios to the one bare-imports row)")
    args = ap.parse_args(argv)
    result = measure(args.reps, bytecode=not args.no_bytecode, root=args.root.resolve(),
                     before=args.before.resolve() if args.before else None)
    print(markdown(result))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
