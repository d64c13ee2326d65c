"""Cost of the cut-set answers (`cuts`, needs in `why`, `verdicts --needs`, `what-breaks` reasons)
on a map, by default the bundled corpus; prints a Markdown table for docs/performance.md.

    python3 benchmarks/cuts.py [--map claims] [--reps 3]

Warm numbers reuse one loaded map and its engine (as a library, daemon or notebook would); the
cold ones run the CLI in a fresh interpreter. Medians of ``--reps`` runs, wall clock.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def median_time(fn, reps: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(reps):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--map", default=str(ROOT / "claims"))
    ap.add_argument("--reps", type=int, default=3)
    args = ap.parse_args(argv)
    import argmap
    from argmap.analysis.probability import cuts_with_probabilities
    from argmap.analysis.queries import cuts, engine, verdict_needs
    amap = argmap.load(args.map)
    engine(amap)
    verdicts = list(amap.verdicts)
    rows = []
    for wv in [None, *amap.worldviews]:
        fixed = amap.worldviews[wv].fixed() if wv else {}
        try:
            argmap.verdicts(amap, worldview=wv)
        except argmap.InconsistentError:
            continue
        t_cuts, found = median_time(lambda: [cuts(amap, v, worldview=wv) for v in verdicts], args.reps)
        sizes = [len(r.cuts) for r in found]
        t_why, _ = median_time(lambda: [argmap.why(amap, v, worldview=wv) for v in verdicts], args.reps)
        t_needs, _ = median_time(lambda: verdict_needs(amap, worldview=wv), args.reps)
        t_prob = None
        if wv and amap.worldviews[wv].credences():
            t_prob, _ = median_time(lambda: [cuts_with_probabilities(amap, v, worldview=wv) for v in verdicts],
                                    args.reps)
        free = [a for a in amap.assumptions if a not in fixed]
        t_wb, _ = median_time(lambda: [argmap.what_breaks(amap, a, worldview=wv, explain=True) for a in free[:20]],
                              args.reps)
        rows.append((wv or "(empty)", sum(sizes), max(sizes), any(r.truncated for r in found),
                     t_cuts, t_cuts / len(verdicts), t_why, t_needs, t_prob, t_wb / 20))
    print("| worldview | cut sets (all 48) | max per verdict | truncated | `cuts` × 48, warm | per verdict "
          "| `why` × 48 | `verdicts --needs` | `cuts` with P × 48 | `what-breaks` explained, per assumption |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for r in rows:
        prob = "—" if r[8] is None else f"{r[8]:.2f} s"
        print(f"| {r[0]} | {r[1]} | {r[2]} | {'yes' if r[3] else 'no'} | {r[4]:.2f} s | {r[5] * 1000:.0f} ms "
              f"| {r[6]:.2f} s | {r[7]:.2f} s | {prob} | {r[9] * 1000:.0f} ms |")
    exe = [sys.executable, "-m", "argmap", "--map", args.map]
    target = max(verdicts, key=lambda v: len(cuts(amap, v).cuts))
    print(f"\ncold CLI (fresh interpreter, includes loading the map), the verdict with most cut sets = {target}:\n")
    for label, cmd in (("argmap cuts V", ["cuts", target]), ("argmap why V", ["why", target]),
                       ("argmap verdicts --needs", ["verdicts", "--needs"]),
                       ("argmap verdicts", ["verdicts"])):
        t, _ = median_time(lambda: subprocess.run(exe + cmd, capture_output=True, check=True), args.reps)
        print(f"- `{label}`: {t:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
