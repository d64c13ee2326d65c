"""Keep benchmarks/ from rotting: the generator's promises and the `--quick` path (no timings asserted)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import argmap
from argmap.analysis import queries

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import generate  # noqa: E402
from baseline import Propagation  # noqa: E402


def test_generator_is_deterministic_and_seeded():
    assert generate.generate(300, seed=3) == generate.generate(300, seed=3)
    assert generate.generate(300, seed=3) != generate.generate(300, seed=4)


def test_generated_map_has_the_promised_shape_and_is_consistent(tmp_path):
    path = generate.write(400, tmp_path, seed=1)
    amap, diags = argmap.read_map(str(path))
    assert not [d for d in diags if d.severity == "error"]
    n = len(amap.assumptions) + len(amap.claims) + len(amap.proposals) + len(amap.conflicts) + len(amap.worldviews)
    assert abs(n - 400) <= 4
    assert 0.25 <= len(amap.assumptions) / n <= 0.35
    assert any(len(c.supports) > 1 for c in amap.claims.values())          # alternatives
    text = "".join(generate.generate(400, seed=1).values())
    assert " unless " in text and " not " in text and amap.conflicts and len(amap.worldviews) == 2
    assert len(amap.verdicts) == 4 * len(amap.proposals)                   # all four components
    report = queries.check(str(path))
    assert report.ok                                                       # map and worldviews consistent


def test_sequence_shapes_have_the_promised_structure(tmp_path):
    """`wide`: claims cite up to 200 statements back, conflicts pair two assumptions; `chain`:
    claims cite only the last few statements, so dependency paths grow with the map."""
    import re
    from argmap.language.model import refs
    from argmap.language.validate import dependencies
    for shape, window in (("wide", 200), ("chain", 6)):
        path = generate.write(1200, tmp_path / shape, seed=1, shape=shape)
        amap, diags = argmap.read_map(str(path))
        assert not [d for d in diags if d.severity == "error"], shape
        n = len(amap.assumptions) + len(amap.claims) + len(amap.proposals) + len(amap.conflicts) + len(amap.worldviews)
        assert abs(n - 1200) <= 4 and 0.25 <= len(amap.assumptions) / n <= 0.35, shape
        position = {i: int(re.match(r"s(\d+)_", i).group(1)) for i in [*amap.assumptions, *amap.claims]}
        gaps = [position[c] - position[d] for c in amap.claims for d in dependencies(amap)[c]]
        assert max(gaps) <= window and max(gaps) > window // 2, shape
        assert all(all(r.name in amap.assumptions for r in refs(k.formula)) for k in amap.conflicts.values())
        assert " unless " in "".join(generate.generate(1200, seed=1, shape=shape).values())
        assert queries.check(str(path)).ok, shape                      # consistent, worldviews too
        depth: dict[str, int] = {}
        for c in sorted(amap.claims, key=position.__getitem__):
            depth[c] = 1 + max((depth.get(d, 0) for d in dependencies(amap)[c]), default=0)
        if shape == "chain":
            assert max(depth.values()) >= 1200 // 20                   # deep: about n/10
    try:
        generate.generate(100, shape="round")
    except ValueError as exc:
        assert "topics, wide, chain" in str(exc)
    else:
        raise AssertionError("an unknown shape must be refused")


def test_kleene_baseline_is_sound_against_the_engine(tmp_path):
    # the baseline decides a subset of what the exact engine decides, and never disagrees
    path = generate.write(300, tmp_path, seed=2)
    amap = argmap.load(str(path))
    for worldview in [None, *amap.worldviews]:
        fixed = queries.Scenario(worldview=worldview).fixed(amap)
        exact = queries.statuses(amap, queries.Scenario(worldview=worldview))
        for v, value in Propagation(amap).run(fixed).items():
            if value is not None:
                assert exact[v] == ("holds" if value else "fails"), v


def test_quick_run_prints_every_table(tmp_path):
    out = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "run.py"), "--quick", "--help-runs", "1",
                          "--shapes", "topics,wide", "--json", str(tmp_path / "r.json")],
                         capture_output=True, text=True, timeout=240, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    for op in ("read_map", "check", "verdicts", "what-breaks", "why", "kleene baseline", "argmap --help",
               "cli verdicts", "cli verdicts peak memory", "verdicts / baseline", "cold verdicts / cold baseline",
               "verdicts cold growth / baseline compile growth", "cli why", "cli what-breaks"):
        assert f"| {op}" in out.stdout or f"`{op}`" in out.stdout, op
    import json
    for rows in json.loads((tmp_path / "r.json").read_text())["tables"].values():
        for r in rows:
            # the user's questions as whole processes: answered (exit 0), not cut short (exit 3)
            assert r["cli why exit"] == 0 and r["cli what-breaks exit"] == 0, r
            assert r["cli why"] > 0 and r["cli what-breaks"] > 0      # issue 13's goal: cold verdicts against the baseline's compile plus run
            cold = r["verdicts cold"] / (r["baseline compile"] + r["kleene baseline"])
            assert abs(r["cold verdicts / cold baseline"] - cold) <= 1e-9 * cold
        # the growth against the floor's, as the table prints it
        small, large = rows[0], rows[1]
        expected = (large["verdicts cold"] / small["verdicts cold"]) / (large["baseline compile"] / small["baseline compile"])
        printed = out.stdout.split(f"### shape `{small['shape']}`")[1].split("| verdicts cold growth / baseline compile growth |")[1]
        assert printed.split("\n")[0].split("|")[-2].strip() == f"{expected:.2f}"
    assert "### shape `topics`" in out.stdout and "### shape `wide`" in out.stdout
    assert "z3 imported by `import argmap.cli`: False" in out.stdout


def test_sharded_engine_agrees_with_the_whole_map_engine(tmp_path):
    """Large maps are decided shard by shard; on a generated map (deeper than the oracle's) with
    tiny shards, every status, consistency answer and what-breaks equals the one-solver engine's."""
    import random
    from argmap.engine.logic import Engine
    amap, _ = argmap.read_map(str(generate.write(1500, tmp_path, seed=2)))
    whole, sharded = Engine(amap, shard_size=None), Engine(amap, shard_size=150)
    assert sharded.sharded and not whole.sharded
    rng = random.Random(0)
    assumptions = list(amap.assumptions)
    conflicted = sorted({a for cone in whole.conflict_cones() for a in cone})
    scenarios = [{}] + [wv.fixed() for wv in amap.worldviews.values()]
    scenarios += [{a: rng.random() < 0.5 for a in rng.sample(conflicted, 12)} for _ in range(12)]
    scenarios += [{**{a: rng.random() < 0.5 for a in rng.sample(conflicted, 4)}, **ng}
                  for ng in whole.nogoods(limit=6)[0]]          # each contains a nogood: inconsistent
    nodes = list(amap.claims) + list(amap.verdicts)
    inconsistent = 0
    for fixed in scenarios:
        ok = whole.consistent(fixed)
        assert sharded.consistent(fixed) == ok
        if not ok:
            inconsistent += 1
            assert sharded.conflict(fixed)          # an explanation (its minimality: test_engine_oracle)
            continue
        assert sharded.values(fixed, nodes) == whole.values(fixed, nodes)
    assert 0 < inconsistent < len(scenarios)
    for a in rng.sample(assumptions, 15):
        results = []
        for eng in (whole, sharded):
            amap._cache["engine"] = eng
            results.append(queries.what_breaks(amap, a).model_dump())
        assert results[0] == results[1]


def test_sharded_answers_are_byte_identical_across_processes(tmp_path):
    """A map above SHARD_SIZE ids (shards, component solvers, a core from one component) prints
    the same bytes under different hash seeds: nothing depends on set order."""
    from argmap.engine.logic import Engine
    path = generate.write(3000, tmp_path / "map", seed=5)
    amap, _ = argmap.read_map(str(path))
    eng = Engine(amap)
    assert eng.sharded
    nogood = eng.nogoods(limit=1)[0][0]
    lines = [f"  {'assume' if v else 'deny'} {a}" for a, v in sorted(nogood.items())]
    (path / "zz_clash.argmap").write_text('worldview clash: "a nogood"\n' + "\n".join(lines) + "\n")
    verdict = next(iter(amap.verdicts))
    outs = {}
    for seed in ("1", "2"):
        for args in (["verdicts", "--json"], ["what-breaks", sorted(eng.cone(verdict))[0], "--json"],
                     ["verdicts", "--worldview", "clash", "--json"]):
            proc = subprocess.run([sys.executable, "-m", "argmap", "--map", str(path), *args],
                                  capture_output=True, env={"PYTHONHASHSEED": seed, "PATH": "/usr/bin:/bin",
                                                            "XDG_CACHE_HOME": str(tmp_path / "cache")},
                                  cwd=ROOT, timeout=120)
            outs.setdefault(tuple(args), set()).add((proc.returncode, proc.stdout, proc.stderr))
    assert all(len(v) == 1 for v in outs.values())
    clash = next(iter(outs[("verdicts", "--worldview", "clash", "--json")]))
    assert clash[0] == 1 and b"conflict" in clash[1] + clash[2]       # explained, not a crash


def test_startup_times_every_command_and_the_run_after_an_edit(tmp_path):
    """benchmarks/startup.py (issue 13's goal 2): one round gives every row; the "after an edit"
    rows really edit the corpus copy before each run, so its parse cache cannot answer."""
    import json

    import startup
    out = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "startup.py"), "--reps", "1",
                          "--json", str(tmp_path / "s.json")], capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    rows = {r["case"]: r for r in json.loads((tmp_path / "s.json").read_text())["rows"]}
    assert set(rows) == {"bare imports", *startup.COMMANDS, "check, cold cache", "verdicts, cold cache",
                         "check, after an edit", "verdicts, after an edit", "check, after a claim's edit"}
    assert all(r["median"] > 0 and f"| {name} |" in out.stdout for name, r in rows.items())
    edit = startup._Edit(ROOT, str(tmp_path / "copy"))
    before = edit.target.read_text(encoding="utf-8")
    edit()
    edit()
    added = edit.target.read_text(encoding="utf-8")[len(before):]
    assert added.count("\nassumption startup_edit_") == 2
    assert argmap.read_map(str(edit.claims))[0].assumptions.keys() >= {"startup_edit_1", "startup_edit_2"}
    claim_edit = startup._SupportEdit(ROOT, str(tmp_path / "copy2"))
    original = argmap.read_map(str(claim_edit.claims))[0]
    claim_edit()
    edited, diags = argmap.read_map(str(claim_edit.claims))
    assert not [d for d in diags if d.severity == "error"], diags
    def meaning(claim):
        return [s.formula for s in claim.supports]      # (spans move with the inserted line)
    changed = [c for c in original.claims if meaning(original.claims[c]) != meaning(edited.claims[c])]
    assert len(changed) == 1 and len(edited.claims[changed[0]].supports) == len(original.claims[changed[0]].supports) + 1
    claim_edit()
    assert claim_edit.path.read_text(encoding="utf-8") == "\n".join(claim_edit.lines)


def _read_aiger(path: Path) -> tuple[int, list[int], list[tuple[int, int]]]:
    """Inputs, outputs and AND gates of a binary AIGER file (what ABC reads)."""
    data = path.read_bytes()
    header, rest = data.split(b"\n", 1)
    _, _, inputs, latches, n_out, n_and = header.split()
    assert latches == b"0"
    outputs = []
    for _ in range(int(n_out)):
        line, rest = rest.split(b"\n", 1)
        outputs.append(int(line))
    ands, pos = [], 0

    def number() -> int:
        nonlocal pos
        x, shift = 0, 0
        while True:
            byte = rest[pos]
            pos += 1
            x |= (byte & 0x7F) << shift
            shift += 7
            if not byte & 0x80:
                return x
    for k in range(int(n_and)):
        lhs = 2 * (int(inputs) + k + 1)
        hi = lhs - number()
        ands.append((hi, hi - number()))
    assert pos == len(rest)
    return int(inputs), outputs, ands


def test_root_miter_outputs_are_the_what_breaks_tests(tmp_path):
    """benchmarks/root_miter.py's AIGER file, read back and evaluated on random inputs, gives
    each verdict's "yes" test K0 ∧ K1 ∧ V(A=1) ∧ ¬V(A=0) and "no" test K0 ∧ (¬K1 ∨ V(A=1)) ∧
    ¬V(A=0), as the engine's own circuit computes them."""
    import random

    import root_miter
    from argmap.language.model import refs
    path = generate.write(600, tmp_path / "map", seed=5, shape="wide")
    amap = argmap.load(str(path))
    eng = queries.engine(amap)
    circuit = eng.circuit
    # an assumption of a conflict, so that K differs between the worlds, with the widest cone
    in_conflicts = sorted({r.name for c in amap.conflicts.values() for r in refs(c.formula)})
    a = max(in_conflicts, key=lambda x: (len(eng.slicer.forward({x})), x))
    verdicts = list(amap.verdicts)
    # built first, on an engine that has compiled nothing yet: the miter compiles what it reads
    miters = {test: root_miter.miter(eng, a, verdicts, test) for test in ("yes", "no")}
    entries = circuit.nodes                     # every node and conflict compiled before the
    for cid in amap.conflicts:                  # lanes' lists are sized
        circuit.conflict_range(cid)
    lanes = 256
    mask = (1 << lanes) - 1
    rng = random.Random(0)
    free = [x for x in amap.assumptions if x != a]
    drawn = {x: rng.getrandbits(lanes) for x in free}

    def world(value: bool) -> list[int]:
        bits = [0] * circuit.size
        for x, b in drawn.items():
            bits[circuit.slot[x]] = b
        bits[circuit.slot[a]] = mask if value else 0
        circuit.evaluate_bits(bits, mask, entries)
        return bits
    w0, w1 = world(False), world(True)
    k0 = k1 = mask
    for cid in amap.conflicts:
        k0 &= ~circuit.conflict_bits(cid, w0, mask)
        k1 &= ~circuit.conflict_bits(cid, w1, mask)
    seen_true = 0
    for test in ("yes", "no"):
        aig, outputs = miters[test]
        aig.write(tmp_path / f"{test}.aig", outputs)
        inputs, outs, ands = _read_aiger(tmp_path / f"{test}.aig")
        assert inputs == len(free) and len(outs) == len(verdicts)
        value = [0, mask] + [0] * (2 * (inputs + len(ands)))
        for k, x in enumerate(free):            # the miter numbers the other assumptions in map order
            value[2 * (k + 1)], value[2 * (k + 1) + 1] = drawn[x], mask ^ drawn[x]
        for k, (p, q) in enumerate(ands):
            lit = 2 * (inputs + k + 1)
            value[lit] = value[p] & value[q]
            value[lit + 1] = mask ^ value[lit]
        for v, out in zip(verdicts, outs):
            s = circuit.slot[v]
            if test == "yes":
                expected = k0 & k1 & w1[s] & ~w0[s]
            else:
                expected = k0 & ((mask ^ k1) | w1[s]) & ~w0[s]
            assert value[out] == expected & mask, (test, v)
            seen_true |= value[out]
    assert seen_true        # some lane makes some output true: the comparison is not vacuous
