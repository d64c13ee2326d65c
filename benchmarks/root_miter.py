"""How hard `what-breaks A`'s questions are, asked of a native circuit solver instead of Z3.

    python3 benchmarks/generate.py --shape wide 100000 /tmp/wide100k
    python3 benchmarks/root_miter.py /tmp/wide100k s0_myopia_a [--test yes|no] [--conflicts 100]

`what-breaks A` decides, for every verdict V whose slice holds A, two tests (docs/semantics.md
item 5; argmap/engine/relevance.py): "yes" (some x has K(x1) ∧ V(x1) ∧ K(x0) ∧ ¬V(x0)) and "no"
(no x has K(x0) ∧ g(x1) ∧ ¬V(x0), g = ¬K ∨ V). This script writes one of them as a binary AIGER
miter, one output per verdict (world 0: the map with A false; world 1: a copy, with A true, of
every gate that depends on A), and runs Debian's ABC (`berkeley-abc`, not a dependency of argmap)
on it with `&sat -a`, which solves every output over its own cone with a conflict limit per
output. ABC's statistics then say how many outputs are satisfiable, unsatisfiable, or undecided
at that limit: "yes" is proved by a satisfiable output, "no" by an unsatisfiable one.

Why it exists: for a root assumption of the wide 100k map argmap's `what-breaks` leaves ~3,340
verdicts undecided within its 60 s budget, and this measures whether a solver that works on
circuits in C would do better (docs/performance.md, "Thirteenth session"). Nothing in argmap
imports it.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from argmap.engine.circuit import AND, NOT, OR  # noqa: E402


class Aig:
    """An and-inverter graph: literal 2v is variable v, 2v+1 its negation, 0 false, 1 true."""

    def __init__(self, inputs: int):
        self.inputs = inputs
        self.ands: list[tuple[int, int]] = []

    def and2(self, a: int, b: int) -> int:
        if a == 0 or b == 0:
            return 0
        if a == 1:
            return b
        if b == 1:
            return a
        self.ands.append((a, b))
        return 2 * (self.inputs + len(self.ands))

    def all(self, lits) -> int:
        out = 1
        for lit in lits:
            out = self.and2(out, lit)
        return out

    def write(self, path: Path, outputs: list[int]) -> None:
        """Binary AIGER 1.9 (ABC reads only the binary form): each AND's inputs as deltas."""
        def number(x: int) -> bytes:
            out = bytearray()
            while x & ~0x7F:
                out.append((x & 0x7F) | 0x80)
                x >>= 7
            out.append(x)
            return bytes(out)
        body = bytearray()
        for k, (a, b) in enumerate(self.ands):
            lhs, hi, lo = 2 * (self.inputs + k + 1), max(a, b), min(a, b)
            body += number(lhs - hi) + number(hi - lo)
        header = f"aig {self.inputs + len(self.ands)} {self.inputs} 0 {len(outputs)} {len(self.ands)}\n"
        path.write_bytes(header.encode() + "".join(f"{o}\n" for o in outputs).encode() + bytes(body))


def miter(eng, assumption: str, verdicts: list[str], test: str) -> tuple[Aig, list[int]]:
    """Both worlds of the map as one AIG, and one output per verdict for ``test``."""
    from argmap.engine.relevance import reach
    circuit = eng.circuit
    entries = circuit.nodes                     # every node and conflict compiled before lit0
    for cid in eng.amap.conflicts:              # is sized
        circuit.conflict_range(cid)
    own = circuit.slot[assumption]
    na, base, gates = circuit.n_assumptions, circuit.base, circuit.gates
    aig = Aig(na - 1)
    lit0: list[int] = [0] * circuit.size          # world 0 (A false)
    for k in range(na):
        lit0[k] = 0 if k == own else 2 * (k + 1 - (k > own))
    lit1: dict[int, int] = {own: 1}                # world 1, only where it differs from world 0

    def gate(lits, op: int, args) -> int:
        if op == NOT:
            return lits(args[0]) ^ 1
        if op == AND:
            return aig.all(lits(x) for x in args)
        if op == OR:
            return aig.all(lits(x) ^ 1 for x in args) ^ 1
        return 0

    def world0(x: int) -> int:
        return lit0[x]

    def world1(x: int) -> int:
        return lit1.get(x, lit0[x])

    def compile_range(lo: int, hi: int, copy: bool) -> None:
        for gi in range(lo, hi + 1):
            op, args = gates[gi]
            lit0[base + gi] = gate(world0, op, args)
        if copy:
            for gi in range(lo, hi + 1):
                op, args = gates[gi]
                if any(x in lit1 for x in args):
                    lit1[base + gi] = gate(world1, op, args)

    forward = reach(eng, {assumption})
    for node_slot, lo, hi in entries:
        copy = circuit.order[node_slot - na] in forward
        compile_range(lo, hi, copy)
        lit0[node_slot] = lit0[base + hi]
        if copy and base + hi in lit1:
            lit1[node_slot] = lit1[base + hi]
    ends = []
    for cid in eng.amap.conflicts:
        lo, hi = circuit.conflict_range(cid)
        compile_range(lo, hi, True)
        ends.append(base + hi)
    k0 = aig.all(world0(e) ^ 1 for e in ends)
    k1 = aig.all(world1(e) ^ 1 for e in ends)
    outputs = []
    for v in verdicts:
        s = circuit.slot[v]
        if test == "yes":
            outputs.append(aig.all((k0, k1, world1(s), world0(s) ^ 1)))
        else:
            g1 = aig.and2(k1, world1(s) ^ 1) ^ 1
            outputs.append(aig.all((k0, g1, world0(s) ^ 1)))
    return aig, outputs


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("map", help="a map directory, e.g. from benchmarks/generate.py")
    ap.add_argument("assumption")
    ap.add_argument("--test", choices=("yes", "no"), default="yes")
    ap.add_argument("--conflicts", type=int, default=100, help="ABC's conflict limit per output (-C)")
    ap.add_argument("--keep", metavar="FILE", help="write the AIGER file here and keep it")
    args = ap.parse_args(argv)
    import argmap
    from argmap.analysis.queries import engine
    from argmap.engine.relevance import SLICE_MIN, affected, wide
    amap = argmap.load(args.map)
    eng = engine(amap)
    t = time.perf_counter()
    inside = affected(eng, args.assumption)
    after = eng.values({args.assumption: False}, [v for v in amap.verdicts if v in inside])
    # what `what-breaks` asks these tests about: open after `not A`, slice holds A, cone wide
    verdicts = [v for v, value in after.items() if value is None and wide(eng, v)]
    aig, outputs = miter(eng, args.assumption, verdicts, args.test)
    path = Path(args.keep) if args.keep else Path(tempfile.mkdtemp()) / "miter.aig"
    aig.write(path, outputs)
    print(f"{len(verdicts)} verdicts (open after `not {args.assumption}`, cone of {SLICE_MIN}+ assumptions), "
          f"{len(aig.ands)} AND gates, written in {time.perf_counter() - t:.2f} s: {path}")
    abc = shutil.which("berkeley-abc") or shutil.which("abc")
    if abc is None:
        print("berkeley-abc not found (Debian: apt-get install berkeley-abc); the miter is written")
        return 0
    command = f"read_aiger {path}; &get; &sat -a -v -C {args.conflicts}"
    t = time.perf_counter()
    run = subprocess.run([abc, "-c", command], capture_output=True, text=True)
    print(f"$ {Path(abc).name} -c \"{command}\"   ({time.perf_counter() - t:.1f} s)")
    for line in run.stdout.splitlines():
        if "calls" in line or "Total time" in line:
            print("  " + line.strip())
    proving = "a satisfiable" if args.test == "yes" else "an unsatisfiable"
    print(f"(the `{args.test}` test is proved for a verdict by {proving} output)")
    return run.returncode


if __name__ == "__main__":
    raise SystemExit(main())
