"""Timing of `argmap render` on the corpus and on synthetic maps (not a test; numbers for docs/rendering.md).

    python3 tests/perf_render.py [claims] [--sizes 300,1000,3000]

A synthetic map of N statements has N/3 assumptions and 2N/3 claims; each claim has 1-2 supports of
1-3 earlier statements (sometimes `not`, sometimes `unless`), and 12 proposals x 4 components rest on
the last claims. It prints, per map: view building (Python), DOT size, and the Graphviz layout
(auto = dot with limits, falling back to sfdp; and sfdp alone) in seconds.
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import argmap  # noqa: E402
from argmap.analysis.queries import Scenario  # noqa: E402
from argmap.render import graphviz_run  # noqa: E402
from argmap.render.dot import to_dot  # noqa: E402
from argmap.render.view import map_view, verdict_view  # noqa: E402

COMPONENTS = ("outer", "inner", "training", "performance")


def synthetic(n: int, seed: int = 7) -> str:
    rnd = random.Random(seed)
    na = max(n // 3, 4)
    out = [f'assumption a{i}: "Synthetic assumption number {i}, with some words to wrap like a real one."'
           for i in range(na)]
    names = [f"a{i}" for i in range(na)]
    for j in range(n - na):
        out.append(f'claim c{j}: "Synthetic claim {j}: a sentence of typical length that the diagram must wrap."')
        for _ in range(rnd.choice((1, 1, 2))):
            picks = rnd.sample(names[-60:] if rnd.random() < 0.7 else names, k=min(rnd.choice((1, 2, 3)), len(names)))
            expr = " and ".join(("not " if rnd.random() < 0.1 else "") + p for p in picks)
            if rnd.random() < 0.2:
                expr += f" unless a{rnd.randrange(na)}"
            out.append(f"  if {expr}")
        names.append(f"c{j}")
    claims = [x for x in names if x.startswith("c")]
    for p in range(12):
        out.append(f'proposal p{p}: "Synthetic proposal {p}"')
        for c in COMPONENTS:
            out.append(f"  {c}: {rnd.choice(claims[-200:])}")
    return "\n".join(out) + "\n"


def measure(amap, label: str) -> None:
    t = time.perf_counter()
    view = map_view(amap, Scenario())
    src = to_dot(view)
    t_view = time.perf_counter() - t
    row = [label, str(len(view.nodes)), str(len(view.edges)), f"{t_view:.2f}", f"{len(src) / 1e3:.0f} kB"]
    for engine in ("auto", "sfdp"):
        t = time.perf_counter()
        try:
            out = graphviz_run.render(src, "svg", engine=engine, timeout=60, edges=len(view.edges))
            row.append(f"{time.perf_counter() - t:.2f} ({out.engine}{', after ' + '; '.join(out.attempts) if out.attempts else ''})")
        except graphviz_run.LayoutError as exc:
            row.append(f"failed: {exc}")
    print(" | ".join(row), flush=True)
    v = next(iter(amap.verdicts))
    t = time.perf_counter()
    vv = verdict_view(amap, v, Scenario())
    out = graphviz_run.render(to_dot(vv), "svg", timeout=60, edges=len(vv.edges))
    print(f"   --verdict {v}: {len(vv.nodes)} nodes, {time.perf_counter() - t:.2f} s ({out.engine})", flush=True)


def main() -> None:
    args = sys.argv[1:]
    sizes = [300, 1000, 3000]
    if "--sizes" in args:
        i = args.index("--sizes")
        sizes = [int(x) for x in args[i + 1].split(",")]
        del args[i:i + 2]
    print("map | nodes | edges | view+DOT s | DOT size | auto layout s | sfdp s")
    for path in args:
        measure(argmap.load(path), path)
    for n in sizes:
        d = Path(tempfile.mkdtemp())
        (d / "synthetic.argmap").write_text(synthetic(n))
        t = time.perf_counter()
        amap = argmap.load(str(d))
        print(f"   (synthetic {n}: loaded in {time.perf_counter() - t:.2f} s)", flush=True)
        measure(amap, f"synthetic {n}")


if __name__ == "__main__":
    main()
