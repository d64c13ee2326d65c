"""argmap/engine/relevance.py against the brute-force oracle: the one-call "yes" and "no" tests,
their batch form (what-breaks on wide slices) and the enumeration they fall back to, each forced
on the same random maps, plus one map per path showing that the path really runs."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

import argmap
from argmap.analysis.queries import engine
from argmap.engine import pair_search, relevance

from oracle import Oracle, SmallMap
from test_engine_oracle import load_small, small_maps


def _contains(oracle: Oracle, node: str, fixed: dict, lit: tuple[str, bool], value: bool) -> bool:
    return any(s.get(lit[0]) is lit[1] for s in oracle.supports(node, fixed, value))


def _scenarios(m: SmallMap, oracle: Oracle):
    return [f for f in ({}, m.worldviews["w"]) if oracle.models(f)]


@settings(max_examples=50)
@given(small_maps(max_conflicts=2))
def test_each_quick_test_is_sound_and_every_path_is_exact(m):
    """`quick` may say "don't know", never the wrong answer; forced through the quick tests
    (falling back when they don't decide) or through the enumeration alone, the answer is the
    oracle's, for both polarities of the literal and for supports of `not V` too. "search" is
    Blake's list or else the searches of argmap/engine/pair_search.py: "worlds" (the expansion
    over A's conflict component) and "pairs" (the counter-example guided search), each also
    asked directly, where each must decide every question (on these maps neither gives up)."""
    amap = load_small(m)
    oracle = Oracle(m)
    eng = engine(amap)
    for fixed in _scenarios(m, oracle):
        for node in oracle.nodes:
            for a in m.assumptions:
                if a in fixed:
                    continue
                for lit in ((a, True), (a, False)):
                    for value in (True, False):
                        want = _contains(oracle, node, fixed, lit, value)
                        got = relevance.quick(eng, node, fixed, lit, value)
                        assert got is None or got == want, (m.text(), fixed, node, lit, value, got)
                        assert pair_search.in_some_support(eng, node, fixed, lit, value) == want, \
                            (m.text(), fixed, node, lit, value)
                        # components here have at most 3 other assumptions: the worlds decide
                        assert pair_search.by_worlds(eng, node, fixed, lit, value) == want, \
                            (m.text(), fixed, node, lit, value)
                        for force in ("quick", "search", "pairs", "enumerate"):
                            assert relevance.in_some_support(eng, node, fixed, lit, value, force=force) == want, \
                                (m.text(), fixed, node, lit, value, force)


def _node_values(m: SmallMap, env: dict[str, bool]) -> dict[str, bool]:
    from oracle import evaluate
    env = dict(env)
    for nid, sups in list(m.claims.items()) + list(m.verdicts.items()):
        env[nid] = any(evaluate(w, env) and not (u and evaluate(u, env)) for w, u in sups)
    return env


@settings(max_examples=60)
@given(small_maps(max_conflicts=2), st.sampled_from([0, 1, 256]), st.sampled_from([0, 1, 32]))
def test_the_sweep_keeps_a_copy_of_every_node_that_can_differ(m, lanes, give_up):
    """Twin._sweep (forced on these small cones) leaves out of the copied nodes only those
    equal to the original in every model of the map with A false (A true in the copy): checked
    on every world of the truth table. With no random lane, or one, most differences are left
    to the sweep's solver calls; ``give_up``: how many of those may find one before it stops."""
    from unittest.mock import patch
    amap = load_small(m)
    oracle = Oracle(m)
    eng = engine(amap)
    with patch.object(relevance, "SWEEP_LANES", lanes), patch.object(relevance, "SWEEP_MIN", 0), \
            patch.object(relevance, "SWEEP_GIVE_UP", give_up):
        for a in m.assumptions:
            tw = relevance.Twin(eng, a)
            merged = relevance.reach(eng, {a}) - tw.forward
            for world in oracle.models({a: False}):
                flipped = _node_values(m, {**{x: world[x] for x in m.assumptions}, a: True})
                for n in merged:
                    assert world[n] == flipped[n], (m.text(), a, n, world)


@settings(max_examples=50)
@given(small_maps(max_conflicts=2), st.sampled_from([1, 256]))
def test_the_batch_agrees_with_the_oracle(m, lanes):
    """Twin.uses decides many nodes in one consequences() call, or one at a time when that call
    runs out: each answer either gives is the oracle's, and uses_many (batch, then enumeration
    where the batch cannot tell) is exact; with every twin swept, its lanes cut to one as well."""
    from unittest.mock import patch
    patch.object(relevance, "SWEEP_LANES", lanes).start()
    patch.object(relevance, "SWEEP_MIN", 0).start()
    try:
        _the_batch_agrees_with_the_oracle(m)
    finally:
        patch.stopall()


def _the_batch_agrees_with_the_oracle(m):
    amap = load_small(m)
    oracle = Oracle(m)
    eng = engine(amap)
    for fixed in _scenarios(m, oracle):
        for a in m.assumptions:
            if a in fixed:
                continue
            tw = relevance.twin(eng, a)
            batch = tw.uses(fixed, oracle.nodes)
            # the path taken when the batch's consequences() call runs out of its part of the
            # budget: two check() calls per node (no budget here, so none is left undecided)
            single = tw._one_by_one(eng._lits(fixed) + [eng.lit(a, False)], oracle.nodes)
            assert not tw.undecided
            many = relevance.uses_many(eng, fixed, a, oracle.nodes, force="quick")
            for node in oracle.nodes:
                want = _contains(oracle, node, fixed, (a, True), True)
                assert batch[node] is None or batch[node] == want, (m.text(), fixed, node, a, batch[node])
                assert (single[node] is None) == (batch[node] is None) and single[node] in (None, want)
                assert many[node] == want, (m.text(), fixed, node, a)


@settings(max_examples=40)
@given(small_maps(max_conflicts=2), st.sampled_from([None, "w"]))
def test_what_breaks_through_the_batch_matches_oracle(m, worldview):
    """what-breaks with every slice treated as wide (SLICE_MIN = 0), as on the wide 10k map."""
    saved = relevance.SLICE_MIN
    relevance.SLICE_MIN = 0
    try:
        amap = load_small(m)
        oracle = Oracle(m)
        fixed = m.worldviews["w"] if worldview else {}
        if not oracle.models(fixed):
            return
        for a in m.assumptions:
            got = argmap.what_breaks(amap, a, worldview=worldview)
            want = oracle.what_breaks(a, fixed, list(m.verdicts))
            assert got.forced == want["forced"]
            for key in ("breaks", "loses", "weakens", "unaffected"):
                assert getattr(got, key) == want[key], (m.text(), a, key)
    finally:
        relevance.SLICE_MIN = saved


@settings(max_examples=50)
@given(small_maps(max_conflicts=3, max_assumptions=7))
def test_affected_is_exactly_the_nodes_whose_slice_holds_the_assumption(m):
    """what-breaks finds the verdicts to decide again in one pass (`affected`) instead of one
    slice per verdict; it must be the same set, and `wide` must count cones correctly."""
    amap = load_small(m)
    eng = engine(amap)
    nodes = list(amap.claims) + list(amap.verdicts)
    for a in m.assumptions:
        assert relevance.affected(eng, a) == {n for n in nodes if eng.slicer.in_slice(n, a)}, (m.text(), a)
        # the walk forward along reversed dependencies finds exactly the nodes whose closure holds a
        assert relevance.reach(eng, {a}) == {n for n in nodes if a in eng.slicer.closure(n)}, (m.text(), a)
    saved = relevance.SLICE_MIN
    try:
        for relevance.SLICE_MIN in (1, 2, 3, 4):
            for n in nodes:
                assert relevance.wide(eng, n) == (len(eng.cone(n)) >= relevance.SLICE_MIN), (m.text(), n)
    finally:
        relevance.SLICE_MIN = saved


def _map(text: str):
    import tempfile
    from pathlib import Path
    d = Path(tempfile.mkdtemp())
    (d / "m.argmap").write_text(text, encoding="utf-8")
    amap, diags = argmap.read_map(str(d))
    assert not [x for x in diags if x.severity == "error"], diags
    return amap


def test_each_path_decides_its_own_example():
    """One map per path: "yes" (a in `a and b`), "no" (b in `a unless b`), and the lead's
    example that neither test decides: K = not (a and e), V = a or not e, where {a} is a minimal
    support (the pair search decides it; the enumeration only past its cap of rounds). Each
    answer is checked against the supports the engine lists."""
    amap = _map('assumption a: "a"\nassumption b: "b"\nassumption e: "e"\n'
                'claim both: "both"\n  if a and b\n'
                'claim other: "other"\n  if a or not e\n'
                'claim guarded: "guarded"\n  if a unless b\n'
                'conflict k: a and e\n')
    eng = engine(amap)
    assert relevance.quick(eng, "both", {}, ("a", True)) is True
    assert relevance.quick(eng, "both", {}, ("b", False)) is False
    assert relevance.quick(eng, "guarded", {}, ("b", True)) is False
    assert relevance.quick(eng, "guarded", {}, ("b", False)) is True
    assert relevance.quick(eng, "other", {}, ("a", True)) is None
    eng.paths_used.clear()
    assert relevance.uses_many(eng, {}, "a", ["both", "other"], force="quick") == {"both": True, "other": True}
    assert {"relevance-yes", "relevance-listed"} <= eng.paths_used      # Blake's list is small here
    assert {"a": True} in eng.supports("other", {})[0]
    paths = {"relevance-worlds", "relevance-pairs", "relevance-fallback", "relevance-listed"}
    for force in ("worlds", "pairs"):
        eng.paths_used.clear()
        assert relevance.in_some_support(eng, "other", {}, ("a", True), force=force) is True
        assert eng.paths_used & paths == {f"relevance-{force}"}
    # a component past COMPONENT_MAX is left to the pair search
    saved = pair_search.COMPONENT_MAX
    pair_search.COMPONENT_MAX = 0
    try:
        assert pair_search.by_worlds(eng, "other", {}, ("a", True)) is None
        eng.paths_used.clear()
        assert relevance.in_some_support(eng, "other", {}, ("a", True), force="worlds") is True
        assert eng.paths_used & paths == {"relevance-pairs"}
    finally:
        pair_search.COMPONENT_MAX = saved
    # the pair search alone, both answers: other's supports are {a} and {not e}
    assert pair_search.in_some_support(eng, "other", {}, ("e", False)) is True
    assert pair_search.in_some_support(eng, "other", {}, ("e", True)) is False
    assert pair_search.in_some_support(eng, "other", {}, ("a", True), max_rounds=0) is None
    # past its cap of rounds the enumeration answers
    eng.paths_used.clear()
    saved = pair_search.MAX_ROUNDS
    pair_search.MAX_ROUNDS = 0
    try:
        assert relevance.in_some_support(eng, "other", {}, ("a", True), force="pairs") is True
    finally:
        pair_search.MAX_ROUNDS = saved
    assert "relevance-fallback" in eng.paths_used and "relevance-pairs" not in eng.paths_used
    eng.paths_used.clear()
    assert relevance.uses_many(eng, {}, "b", ["other", "guarded"], force="quick") == {"other": False, "guarded": False}
    assert "relevance-no" in eng.paths_used


def test_a_wide_generated_map_takes_the_batch(tmp_path):
    """On a generated wide map, what-breaks answers `weakens` through the batch (no enumeration of
    a wide slice), and gives the same lists as the enumeration on the verdicts both can afford."""
    import sys
    from pathlib import Path
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    import generate
    path = generate.write(600, tmp_path / "wide", seed=1, shape="wide")
    amap = argmap.read_map(str(path))[0]
    eng = engine(amap)
    a = next(iter(amap.assumptions))
    result = argmap.what_breaks(amap, a)
    wide = [v for v in amap.verdicts if len(eng.slice(v)) >= relevance.SLICE_MIN and eng.slicer.in_slice(v, a)]
    assert wide, "the generated map must have wide slices holding the assumption"
    assert eng.paths_used & {"relevance-yes", "relevance-no"}
    for v in result.weakens + result.unaffected:
        if len(eng.slice(v)) < 24:          # small enough for Blake: compare with the listed supports
            found, truncated = eng.supports(v, {})
            if not truncated and argmap.verdicts(amap).verdicts[v] == "open":
                assert (v in result.weakens) == any(s.get(a) is True for s in found), v
