"""Timing of `argmap prob` / importance / `argmap crux` on the corpus and on synthetic layered maps.

Usage: python3 benchmarks/bench_analysis.py [SIZES...]   (default 100 300 1000 3000 statements)
Synthetic maps: 30% assumptions; claims in layers, each with 1-2 supports of 2-3 references to
earlier nodes (one in five negated as `unless`); 4 verdicts per proposal; one conflict per 40
nodes; two worldviews fixing 10% of the assumptions each. Seeded: same sizes → same maps.
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import argmap  # noqa: E402
from argmap.analysis.probability import Compiled, credences, importance, probabilities  # noqa: E402


def synthetic(n: int, seed: int = 1) -> str:
    rnd = random.Random(seed)
    na = max(4, int(n * 0.3))
    assumptions = [f"a{i}" for i in range(na)]
    out = [f'assumption {a}: "assumption {a}"' for a in assumptions]
    nodes = list(assumptions)
    nclaims = max(2, int(n * 0.6))
    for i in range(nclaims):
        cid = f"c{i}"
        out.append(f'claim {cid}: "claim {cid}"')
        window = nodes[-60:]                     # local structure, like sections of a paper
        for _ in range(rnd.choice([1, 1, 2])):
            refs = rnd.sample(window, min(len(window), rnd.choice([2, 2, 3])))
            line = "  if " + " and ".join(refs)
            if rnd.random() < 0.2:
                line += f" unless {rnd.choice(assumptions)}"
            out.append(line)
        nodes.append(cid)
    nprop = max(1, int(n * 0.1) // 4)
    for p in range(nprop):
        out.append(f'proposal p{p}: "proposal {p}"')
        for comp in ("outer", "inner", "training", "performance"):
            refs = rnd.sample(nodes[-80:], 2)
            out.append(f"  {comp}: {refs[0]} and {refs[1]}")
    for k in range(max(1, n // 40)):
        x, y = rnd.sample(assumptions, 2)
        out.append(f"conflict k{k}: {x} and {y}")
    for w in ("w1", "w2"):
        out.append(f'worldview {w}: "{w}"')
        chosen = rnd.sample(assumptions, min(na, 2 * max(1, na // 10)))
        half = len(chosen) // 2
        for a in chosen[:half]:
            out.append(f"  {'assume' if rnd.random() < 0.5 else 'deny'} {a}")
        for a in chosen[half:]:
            out.append(f"  credence {a} {rnd.choice([0.2, 0.4, 0.6, 0.8])}")
    return "\n".join(out) + "\n"


def measure(amap, label: str) -> None:
    t0 = time.perf_counter()
    comp = Compiled(amap)
    amap._cache["bdd1"] = comp
    t1 = time.perf_counter()
    worldview = next((w for w in amap.worldviews if amap.worldviews[w].credences()), None)
    cred = credences(amap, worldview)
    try:
        probabilities(amap, cred)
    except Exception as exc:  # an inconsistent synthetic worldview: measure without it
        print("  (worldview inconsistent; using none)", exc)
        cred = credences(amap)
    res = probabilities(amap, cred)
    t2 = time.perf_counter()
    if res.consistent:
        for v in amap.verdicts:
            importance(amap, v, cred)
    t3 = time.perf_counter()
    crux_t = None
    ws = list(amap.worldviews)
    if len(ws) >= 2:
        from argmap.analysis.double_crux import double_crux
        from argmap.analysis.queries import engine
        eng = engine(amap)
        pair = [w for w in ws if eng.consistent(amap.worldviews[w].fixed())][:2]
        if len(pair) == 2:
            t4 = time.perf_counter()
            double_crux(amap, pair[0], pair[1])
            crux_t = time.perf_counter() - t4
    print(f"{label:>22}: {len(amap.assumptions):5d} assumptions {len(amap.claims):5d} claims "
          f"{len(amap.verdicts):4d} verdicts | BDD build {1000 * (t1 - t0):8.1f} ms, "
          f"{len(comp.bdd):7d} nodes | P all verdicts {1000 * (t2 - t1):7.1f} ms | "
          f"importance all verdicts {1000 * (t3 - t2):8.1f} ms | crux one pair "
          + (f"{1000 * crux_t:8.1f} ms" if crux_t is not None else "-"))


def main() -> None:
    sizes = [int(x) for x in sys.argv[1:]] or [100, 300, 1000, 3000]
    root = Path(__file__).resolve().parent.parent
    if (root / "claims").is_dir():
        measure(argmap.load(str(root / "claims")), "corpus (claims/)")
    for n in sizes:
        d = Path(tempfile.mkdtemp())
        (d / "s.argmap").write_text(synthetic(n), encoding="utf-8")
        amap, diags = argmap.read_map(str(d))
        errors = [x for x in diags if x.severity == "error"]
        if errors:
            print("synthetic map has errors:", errors[:3])
            continue
        measure(amap, f"synthetic {n} stmts")


if __name__ == "__main__":
    main()
