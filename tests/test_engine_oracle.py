"""The engine against the brute-force oracle on random small maps (statuses, supports,
what-breaks, cruxes, expectations), and unsat cores checked by property."""

from __future__ import annotations

import itertools
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

import argmap
from argmap.analysis.queries import Scenario, check_expect, engine, explain_conflict
from argmap.language.model import Expect, Span

from oracle import Oracle, SmallMap


@st.composite
def expressions(draw, names: list[str], depth: int = 2) -> str:
    if depth == 0 or draw(st.integers(0, 2)) == 0:
        return draw(st.sampled_from(names))
    op = draw(st.sampled_from(["and", "or", "not"]))
    if op == "not":
        return f"not ({draw(expressions(names, depth - 1))})"
    parts = draw(st.lists(expressions(names, depth - 1), min_size=2, max_size=3))
    return "(" + f" {op} ".join(parts) + ")"


@st.composite
def small_maps(draw, max_conflicts: int = 1, max_assumptions: int = 5) -> SmallMap:
    n = draw(st.integers(2, max_assumptions))
    assumptions = [f"a{i}" for i in range(n)]
    m = SmallMap(assumptions)
    available = list(assumptions)
    for i in range(draw(st.integers(0, 3))):
        cid = f"c{i}"
        m.claims[cid] = [(draw(expressions(available)),
                          draw(st.one_of(st.none(), expressions(available, 1))))
                         for _ in range(draw(st.integers(1, 2)))]
        available.append(cid)
    for i in range(draw(st.integers(1, 3))):
        vid = f"p{i // 2}.{['outer', 'inner'][i % 2]}"
        m.verdicts[vid] = [(draw(expressions(available)),
                            draw(st.one_of(st.none(), expressions(available, 1))))
                           for _ in range(draw(st.integers(1, 2)))]
    for _ in range(draw(st.integers(0, max_conflicts))):
        m.conflicts.append(draw(expressions(available + list(m.verdicts), 1 if max_conflicts == 1 else 2)))
    fixed = draw(st.dictionaries(st.sampled_from(assumptions), st.booleans(), max_size=2))
    m.worldviews["w"] = fixed
    return m


def load_small(m: SmallMap):
    d = Path(tempfile.mkdtemp())
    (d / "m.argmap").write_text(m.text(), encoding="utf-8")
    amap, diags = argmap.read_map(str(d))
    assert not [x for x in diags if x.severity == "error"], (m.text(), diags)
    return amap


@settings(max_examples=150)
@given(small_maps(), st.sampled_from([None, "w"]))
def test_statuses_and_supports_match_oracle(m, worldview):
    amap = load_small(m)
    oracle = Oracle(m)
    fixed = m.worldviews["w"] if worldview else {}
    consistent = bool(oracle.models(fixed))
    assert engine(amap).consistent(fixed) == consistent
    if not consistent:
        try:
            argmap.verdicts(amap, worldview=worldview)
        except argmap.InconsistentError:
            return
        raise AssertionError("an inconsistent scenario must raise InconsistentError")
    got = argmap.verdicts(amap, worldview=worldview).verdicts
    assert got == {v: oracle.status(v, fixed) for v in m.verdicts}
    claims = argmap.statuses(amap, Scenario(worldview=worldview), nodes=list(m.claims))
    assert claims == {c: oracle.status(c, fixed) for c in m.claims}
    for node in oracle.nodes:
        expected = oracle.supports(node, fixed)
        result = argmap.why(amap, node, worldview=worldview)
        assert result.status == oracle.status(node, fixed)
        assert result.supports == expected, (m.text(), node)
        assert not result.truncated


@settings(max_examples=100)
@given(small_maps())
def test_negative_supports_and_nogoods_match_oracle(m):
    """What the HTML explorer embeds: supports of each node's negation and the map's nogoods."""
    amap = load_small(m)
    oracle = Oracle(m)
    eng = engine(amap)
    if oracle.worlds:
        for node in oracle.nodes:
            assert eng.supports(node, {}, value=False)[0] == oracle.supports(node, {}, value=False)
    assert eng.nogoods()[0] == oracle.nogoods()


@settings(max_examples=100)
@given(small_maps(), st.sampled_from([None, "w"]))
def test_what_breaks_and_cruxes_match_oracle(m, worldview):
    amap = load_small(m)
    oracle = Oracle(m)
    fixed = m.worldviews["w"] if worldview else {}
    if not oracle.models(fixed):
        return
    verdicts = list(m.verdicts)
    expected_cruxes = []
    for a in m.assumptions:
        got = argmap.what_breaks(amap, a, worldview=worldview)
        want = oracle.what_breaks(a, fixed, verdicts)
        assert got.forced == want["forced"]
        for key in ("breaks", "loses", "weakens", "unaffected"):
            assert getattr(got, key) == want[key], (m.text(), a, key)
        if a not in fixed and not want["forced"]:
            expected_cruxes.append((a, want))
    base = len(verdicts) + 1
    ranked = sorted(expected_cruxes, key=lambda aw: (
        -((len(aw[1]["breaks"]) * base + len(aw[1]["loses"])) * base + len(aw[1]["weakens"])), aw[0]))
    got = argmap.cruxes(amap, worldview=worldview).cruxes
    assert [c.assumption for c in got] == [a for a, _ in ranked]
    for c, (a, w) in zip(got, ranked):
        assert (c.breaks, c.loses, c.weakens) == (w["breaks"], w["loses"], w["weakens"])
    # the first N by bounds (queries._top_cruxes) are the first N of that ranking, ties included
    for top in range(1, len(ranked) + 2):
        assert argmap.cruxes(amap, worldview=worldview, top=top).cruxes == got[:top], (m.text(), top)


@settings(max_examples=100)
@given(small_maps(), st.data())
def test_expectations_match_oracle(m, data):
    amap = load_small(m)
    oracle = Oracle(m)
    node = data.draw(st.sampled_from(oracle.nodes))
    a = data.draw(st.sampled_from(m.assumptions))
    positive = data.draw(st.booleans())
    under = data.draw(st.sampled_from([None, "w"]))
    fixed = m.worldviews["w"] if under else {}
    if not oracle.models(fixed):
        return
    sups = oracle.supports(node, fixed)
    span = Span("t", 1, 1)
    cases = {
        Expect(kind="requires", span=span, text="", under=under, target=node, assumption=a, positive=positive):
            bool(sups) and all(s.get(a) is positive for s in sups),
        Expect(kind="uses", span=span, text="", under=under, target=node, assumption=a, positive=positive):
            any(s.get(a) is positive for s in sups),
        Expect(kind="independent_of", span=span, text="", under=under, target=node, assumption=a):
            not any(a in s for s in sups),
    }
    for status in ("holds", "fails", "open"):
        cases[Expect(kind="status", span=span, text="", under=under, target=node, status=status)] = (
            oracle.status(node, fixed) == status)
    for ex, expected in cases.items():
        assert (check_expect(amap, ex) is None) == expected, (m.text(), ex)


@settings(max_examples=100)
@given(small_maps())
def test_conflict_explanations_are_minimal_and_unsatisfiable(m):
    """Property check of unsat cores: the reported statements conflict, and each one is needed."""
    amap = load_small(m)
    oracle = Oracle(m)
    for fixed in [{}, m.worldviews["w"], {a: True for a in m.assumptions}]:
        if oracle.models(fixed):
            continue
        items = explain_conflict(amap, fixed)
        assert items
        assert _unsat(m, items)
        for i in range(len(items)):
            assert not _unsat(m, items[:i] + items[i + 1:]), "core is not minimal"


def _unsat(m: SmallMap, items) -> bool:
    """Brute force: with only the listed definitions, conflicts and literals, is there no model?"""
    from oracle import evaluate
    defs = {i.id for i in items if i.kind in ("claim", "verdict")}
    conflicts = [m.conflicts[int(i.id[1:])] for i in items if i.kind == "conflict"]
    lits = {i.id: i.text.startswith("assume") for i in items if i.kind == "fixed"}
    nodes = list(m.claims.items()) + list(m.verdicts.items())
    free_nodes = [n for n, _ in nodes if n not in defs]
    names = m.assumptions + free_nodes
    for values in itertools.product([False, True], repeat=len(names)):
        env = dict(zip(names, values))
        if any(env.get(a, v) != v for a, v in lits.items() if a in env):
            continue
        for nid, sups in nodes:
            if nid in defs:
                env[nid] = any(evaluate(w, env) and not (u and evaluate(u, env)) for w, u in sups)
        if not any(evaluate(c, env) for c in conflicts):
            return False
    return True


@settings(max_examples=60)
@given(small_maps(), st.sampled_from([None, "w"]), st.booleans())
def test_marco_fallback_matches_oracle(m, worldview, pysat):
    """The solver-based enumeration used when DNFs grow too large gives the same supports,
    with MARCO's map on MiniSat (python-sat) or, where python-sat is missing, on Z3."""
    import argmap.engine.logic as logic
    amap = load_small(m)
    oracle = Oracle(m)
    fixed = m.worldviews["w"] if worldview else {}
    if not oracle.models(fixed):
        return
    saved = logic.TERM_CAP, logic._have_pysat, logic.COVER_ROUNDS
    logic.TERM_CAP = logic.COVER_ROUNDS = 0     # MARCO, not the cover of few implicants
    if not pysat:
        logic._have_pysat = lambda: False
    try:
        eng = engine(amap)
        for node in oracle.nodes:
            for value in (True, False):
                assert eng.supports(node, fixed, value=value) == (oracle.supports(node, fixed, value), False)
        assert eng.nogoods()[0] == oracle.nogoods()
    finally:
        logic.TERM_CAP, logic._have_pysat, logic.COVER_ROUNDS = saved


@settings(max_examples=100)
@given(small_maps(max_conflicts=3, max_assumptions=7), st.integers(0, 5), st.data())
def test_sharded_engine_matches_oracle(m, shard_size, data):
    """Statuses, consistency and what-breaks decided shard by shard (as on large maps) are exact.

    ``shard_size`` is tiny here so that nodes and conflict components really are split over many
    sub-solvers; the default only shards maps of more than ``SHARD_SIZE`` ids.
    """
    from argmap.engine.logic import Engine
    amap = load_small(m)
    oracle = Oracle(m)
    eng = amap._cache["engine"] = Engine(amap, shard_size=shard_size)
    assert eng.sharded or len(eng.names) <= shard_size
    scenarios = [{}, m.worldviews["w"],
                 data.draw(st.dictionaries(st.sampled_from(m.assumptions), st.booleans(), max_size=3))]
    for fixed in scenarios:
        consistent = bool(oracle.models(fixed))
        assert eng.consistent(fixed) == consistent, (m.text(), fixed)
        if not consistent:
            items = explain_conflict(amap, fixed)
            assert items and _unsat(m, items), (m.text(), fixed, items)
            for i in range(len(items)):
                assert not _unsat(m, items[:i] + items[i + 1:]), "core is not minimal"
            continue
        got = eng.values(fixed, oracle.nodes)
        want = {n: oracle.status(n, fixed) for n in oracle.nodes}
        assert {n: "open" if v is None else "holds" if v else "fails" for n, v in got.items()} == want, m.text()
    if oracle.models({}):
        verdicts = list(m.verdicts)
        for a in m.assumptions:
            got = argmap.what_breaks(amap, a)
            want = oracle.what_breaks(a, {}, verdicts)
            assert got.forced == want["forced"]
            if got.forced:          # the reasons, with `deny a` added, are unsatisfiable and minimal
                from argmap.analysis.queries import ConflictItem
                deny = [ConflictItem(kind="fixed", id=a, text=f"deny {a}")]
                items = got.forced_by
                assert _unsat(m, items + deny), (m.text(), a, items)
                for i in range(len(items)):
                    assert not _unsat(m, items[:i] + items[i + 1:] + deny), "core is not minimal"
            for key in ("breaks", "loses", "weakens", "unaffected"):
                assert getattr(got, key) == want[key], (m.text(), a, key)


def test_what_breaks_reaches_through_a_conflict_outside_the_cone():
    """Denying a2 forces a1 false through the conflict, so p.outer (cone {a1}) breaks."""
    m = SmallMap(["a1", "a2"], claims={"c0": [("not (a2)", None)]}, verdicts={"p.outer": [("a1", None)]},
                 conflicts=["(a1 and c0)"], worldviews={"w": {}})
    amap = load_small(m)
    want = Oracle(m).what_breaks("a2", {}, ["p.outer"])
    assert want["breaks"] == ["p.outer"]
    for shard_size in (None, 0):
        from argmap.engine.logic import Engine
        amap._cache["engine"] = Engine(amap, shard_size=shard_size)
        assert argmap.what_breaks(amap, "a2").breaks == ["p.outer"]


def test_kleene_on_a_few_closures_agrees_with_the_full_pass():
    """`why` and `what-breaks` propagate only over the closures of the nodes they ask about."""
    from argmap.engine.logic import Engine
    from conftest import ROOT
    amap = argmap.load(str(ROOT / "claims"))
    eng = Engine(amap)
    nodes = list(amap.claims) + list(amap.verdicts)
    decided = 0
    for wv in [None, *amap.worldviews]:
        fixed = amap.worldviews[wv].fixed() if wv else {}
        full = eng.kleene_values(fixed)
        restricted = 0
        for n in nodes:
            few = eng.kleene_values(fixed, [n])
            assert few[n] == full[n], (wv, n)
            decided += few[n] is not None
            restricted += len(few) < len(full)
        assert restricted > len(nodes) // 2, restricted     # the restricted pass really ran
    assert decided > 100                                    # and decided something


@settings(max_examples=80)
@given(small_maps(max_conflicts=2), st.data())
def test_a_union_of_closures_is_the_union_of_each_closure(m, data):
    """`Slicer.closures` walks each id once (linear where separate closures were quadratic) and
    gives up past its cap: the union must still be exact, and the cap must hold."""
    eng = engine(load_small(m))
    ids = [*m.assumptions, *m.claims, *m.verdicts]
    asked = data.draw(st.lists(st.sampled_from(ids), max_size=6))
    expected = set().union(*(eng.slicer.closure(n) for n in asked))
    assert eng.slicer.closures(asked) == expected
    cap = data.draw(st.integers(0, len(ids)))
    capped = eng.slicer.closures(asked, cap=cap)
    assert capped == (None if len(expected) > cap else expected)


@settings(max_examples=60)
@given(small_maps(max_conflicts=2), st.sampled_from([None, "w"]))
def test_loses_is_always_empty_and_the_crux_score_ignores_it(m, worldview):
    """Under completion semantics a verdict that holds under W holds under W and not A whenever
    that is consistent (entailment is monotone), and when it is not, A is forced: so the oracle,
    which computes `loses` by its definition, and the engine both find it empty."""
    amap = load_small(m)
    oracle = Oracle(m)
    fixed = m.worldviews["w"] if worldview else {}
    if not oracle.models(fixed):
        return
    for a in m.assumptions:
        assert oracle.what_breaks(a, fixed, list(m.verdicts))["loses"] == []
        assert argmap.what_breaks(amap, a, worldview=worldview).loses == []
    base = len(m.verdicts) + 1
    for c in argmap.cruxes(amap, worldview=worldview).cruxes:
        assert c.loses == [] and c.score == len(c.breaks) * base + len(c.weakens)


STRATEGY_PATHS = {"whole": {"whole"}, "sharded": {"sharded"}, "fallback": {"fallback"},
                  "fallback-map": {"fallback"},
                  "local": {"local"}, "local-tiny": {"local", "local-left", "fallback"},
                  "local-stingy": {"local", "local-left", "fallback"},
                  "auto": {"local", "local-left", "fallback"}}


@settings(max_examples=60, deadline=None)
@given(small_maps(max_conflicts=3, max_assumptions=7), st.data())
def test_every_decision_path_matches_oracle_on_the_same_maps(m, data):
    """One random map, every way the engine can decide statuses: one whole-map solver, shards,
    the whole-map fallback, small SAT instances over slices (with instances so small that nodes
    are left to the whole-map solver: "local-tiny"; with a work budget so small that it gives up
    after one node: "local-stingy"), and the automatic choice, each with and
    without the sampling filter (random models that prove consistency and openness before any
    solver). The fallback decides on a solver over the union of the slices it is asked about
    (forced here whatever its size), except in "fallback-map", where it is the whole-map solver.
    All must equal the oracle, and no other path may have run."""
    from argmap.engine import local, logic
    amap = load_small(m)
    oracle = Oracle(m)
    scenarios = [{}, m.worldviews["w"],
                 data.draw(st.dictionaries(st.sampled_from(m.assumptions), st.booleans(), max_size=3))]
    saved = logic.SAMPLE_MIN, local.LIMIT, local.FLOOR, local.MAP_SHARE, local.TRIAL, logic.BATCH_SHARE
    logic.SAMPLE_MIN = 1            # sample even for one undecided node, so that path runs here
    try:
        for strategy in ("whole", "sharded", "fallback", "fallback-map", "local", "local-tiny",
                         "local-stingy", "auto"):
            logic.BATCH_SHARE = 0 if strategy == "fallback-map" else 10
            local.LIMIT = 4 if strategy == "local-tiny" else saved[1]
            local.FLOOR, local.MAP_SHARE, local.TRIAL = (0, 10**9, 1) if strategy == "local-stingy" else saved[2:5]
            for sampling in (False, True):
                eng = logic.Engine(amap, shard_size=0, strategy=strategy.split("-")[0], sampling=sampling)
                for fixed in scenarios:
                    consistent = bool(oracle.models(fixed))
                    assert eng.consistent(fixed) == consistent, (strategy, sampling, m.text(), fixed)
                    if not consistent:
                        continue
                    got = eng.values(fixed, oracle.nodes)
                    want = {n: oracle.status(n, fixed) for n in oracle.nodes}
                    assert {n: "open" if v is None else "holds" if v else "fails"
                            for n, v in got.items()} == want, (strategy, sampling, m.text(), fixed)
                # a path can be skipped honestly only when something earlier decided everything
                solver_paths = eng.paths_used & {"whole", "sharded", "fallback", "local", "local-left"}
                expected = (STRATEGY_PATHS[strategy] if eng.sharded or strategy in ("whole", "local")
                            else {"local", "local-left", "whole"} if strategy.startswith("local-")
                            else {"whole"})
                assert solver_paths <= expected, (strategy, eng.paths_used)
                if "fallback" in eng.paths_used:
                    assert ("fallback-union" in eng.paths_used) == (strategy != "fallback-map"), eng.paths_used
                if not sampling:
                    assert not eng.paths_used & {"sampled-open", "sampled-consistency"}
    finally:
        logic.SAMPLE_MIN, local.LIMIT, local.FLOOR, local.MAP_SHARE, local.TRIAL, logic.BATCH_SHARE = saved


@settings(max_examples=25)
@given(small_maps(max_conflicts=3, max_assumptions=5))
def test_single_supports_match_oracle_on_the_union_and_the_whole_map_solver(m):
    """Engine.single_supports asks the solver that decided the node's status: the union of the
    verdicts' slices (forced here whatever its size) or the whole map's, sharded or not."""
    from argmap.engine import logic
    amap = load_small(m)
    oracle = Oracle(m)
    saved = logic.BATCH_SHARE
    try:
        for share, shard_size in ((10, 0), (0, 0), (10, None)):
            logic.BATCH_SHARE = share
            eng = logic.Engine(amap, shard_size=shard_size)
            for fixed in ({}, m.worldviews["w"]):
                if not oracle.models(fixed):
                    continue
                eng.values(fixed, list(amap.verdicts))          # as `verdicts --needs` does first
                for n in oracle.nodes:
                    for value in (True, False):
                        want = sorted(sorted(s.items()) for s in oracle.supports(n, fixed, value) if len(s) <= 1)
                        got = sorted(sorted(s.items()) for s in eng.single_supports(n, fixed, value))
                        assert got == want, (share, shard_size, m.text(), fixed, n, value)
    finally:
        logic.BATCH_SHARE = saved


def test_each_path_runs_on_a_map_that_needs_the_solver(tmp_path):
    """The oracle test above allows a path to be skipped when Kleene or sampling decided all;
    on this generated map each forced path must really run (so none is tested vacuously)."""
    import sys
    from conftest import ROOT
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import generate
    from argmap.engine import local, logic
    amap, _ = argmap.read_map(str(generate.write(600, tmp_path, seed=3, shape="wide")))
    reference = logic.Engine(amap, strategy="whole", sampling=False)
    nodes = list(amap.claims) + list(amap.verdicts)
    want = reference.values({}, nodes)
    assert "whole" in reference.paths_used
    for strategy in ("sharded", "fallback", "local", "auto"):
        for sampling in (False, True):
            eng = logic.Engine(amap, shard_size=50, strategy=strategy, sampling=sampling)
            assert eng.consistent({}) and eng.values({}, nodes) == want, (strategy, sampling)
            if strategy != "auto":
                assert strategy in eng.paths_used, (strategy, eng.paths_used)
            if strategy == "fallback":
                # every node asked: their slices are the whole map; the nodes sampling leaves
                # read 444 of its 625 ids, so they get a solver of their own
                assert ("fallback-union" in eng.paths_used) == sampling, eng.paths_used
            # sampling filters what goes to the solvers; shards decide without it
            assert ("sampled-open" in eng.paths_used) == (sampling and strategy != "sharded"), (strategy, sampling)
    # on wide cones the automatic strategy finds slices too wide for small instances and leaves
    # the rest to the whole-map solver; "local" alone decides them all on (large) instances
    saved = local.LIMIT, local.FLOOR, local.MAP_SHARE, local.TRIAL
    try:
        local.LIMIT = 40            # each node's walk passes 3 * 40 slots: left one by one
        auto = logic.Engine(amap, shard_size=50)
        assert auto.values({}, nodes) == want
        assert {"local", "local-left", "fallback"} <= auto.paths_used, auto.paths_used
        assert auto.local_too_wide
        local.LIMIT = saved[0]      # the walks' work passes its budget after three nodes: the rest left
        local.FLOOR, local.MAP_SHARE, local.TRIAL = 0, 10**9, 3
        stingy = logic.Engine(amap, shard_size=50, strategy="local")
        assert stingy.values({}, nodes) == want
        assert {"local", "local-left", "fallback"} <= stingy.paths_used, stingy.paths_used
    finally:
        local.LIMIT, local.FLOOR, local.MAP_SHARE, local.TRIAL = saved


def test_small_instances_pass_the_scenario_they_grow_into(tmp_path):
    """An instance serves every scenario and grows node by node: the fixed literals of a call
    must cover what the instance holds when each node is asked, not when it was first used.
    Here `x` is asked first (its instance holds only `a`); `y` then brings `b` in through the
    conflict, and only the fixed `not b` refutes `y` (Kleene cannot: `c` stays unknown)."""
    from argmap.engine import logic
    (tmp_path / "m.argmap").write_text(
        'assumption a: "A"\nassumption b: "B"\nassumption c: "C"\n'
        'claim x: "X"\n  if a\nclaim y: "Y"\n  if c\n'
        'conflict k: c and not b\n', encoding="utf-8")
    amap, diags = argmap.read_map(str(tmp_path))
    assert not [d for d in diags if d.severity == "error"], diags
    eng = logic.Engine(amap, strategy="local", sampling=False)
    assert eng.values({}, ["x", "y"]) == {"x": None, "y": None}
    eng._values_cache.clear()
    assert eng.values({"b": False}, ["x", "y"]) == {"x": None, "y": False}
    assert "local" in eng.paths_used and "whole" not in eng.paths_used
    fresh = logic.Engine(amap, strategy="local", sampling=False)
    assert fresh.values({"b": False}, ["x", "y"]) == {"x": None, "y": False}


def _open_scenario(m, worldview):
    """(an engine, the oracle, the scenario's literals, its open nodes) of a small map, or None
    when the scenario has no model."""
    oracle = Oracle(m)
    fixed = m.worldviews["w"] if worldview else {}
    if not oracle.models(fixed):
        return None
    return engine(load_small(m)), oracle, fixed, [n for n in oracle.nodes if oracle.status(n, fixed) == "open"]


@settings(max_examples=80)
@given(small_maps(max_conflicts=3), st.sampled_from([None, "w"]))
def test_a_node_equivalent_to_its_single_points_of_failure_matches_oracle(m, worldview):
    """Engine._one_conjunction (the lists of a node that is, under the conflicts, the conjunction
    of its single points of failure, from a few-term form instead of MARCO): whenever it answers,
    its supports and cut sets are the oracle's; and through `supports` with MARCO forced
    (TERM_CAP 0), where it is tried first, every list is still exact."""
    import argmap.engine.logic as logic
    scenario = _open_scenario(m, worldview)
    if scenario is None:
        return
    eng, oracle, fixed, open_nodes = scenario
    for node in open_nodes:
        for value in (True, False):
            got = eng._one_conjunction(node, fixed, value)
            if got is not None:
                assert sorted_lists(got) == sorted_lists(oracle.supports(node, fixed, value)), (m.text(), node, value)
    saved = logic.TERM_CAP, logic.COVER_ROUNDS
    logic.TERM_CAP = logic.COVER_ROUNDS = 0
    try:
        eng = engine(load_small(m))
        for node in oracle.nodes:
            for value in (True, False):
                assert eng.supports(node, fixed, value=value) == (oracle.supports(node, fixed, value), False)
    finally:
        logic.TERM_CAP, logic.COVER_ROUNDS = saved


@settings(max_examples=80)
@given(small_maps(max_conflicts=3), st.sampled_from([None, "w"]), st.sampled_from([0, 1, 2, 4, 32]))
def test_lists_from_a_cover_of_few_implicants_match_oracle(m, worldview, rounds):
    """Engine._from_cover (the lists of a node whose models are covered by a few found
    implicants of it and of its negation, from Blake's form of those few terms instead of
    MARCO): whenever it answers, its supports and cut sets are the oracle's; it answers whenever
    the node has at most COVER_ROUNDS of them (each round finds a new one); and through
    `supports` with Blake
    off (TERM_CAP 0), the conjunction shortcut off and a cap of ``rounds`` implicants, after
    which MARCO finishes, every list is exact."""
    import argmap.engine.logic as logic
    from unittest.mock import patch
    scenario = _open_scenario(m, worldview)
    if scenario is None:
        return
    eng, oracle, fixed, open_nodes = scenario
    for node in open_nodes:
        size = len(oracle.supports(node, fixed, True)) + len(oracle.supports(node, fixed, False))
        for value in (True, False):
            got = eng._from_cover(node, fixed, value)
            if got is None:
                assert size > logic.COVER_ROUNDS, (m.text(), node)
                continue
            assert sorted_lists(got) == sorted_lists(oracle.supports(node, fixed, value)), (m.text(), node, value)
    with patch.object(logic, "TERM_CAP", 0), patch.object(logic, "COVER_ROUNDS", rounds), \
            patch.object(logic.Engine, "_one_conjunction", lambda *args: None):
        eng = engine(load_small(m))
        for node in oracle.nodes:
            for value in (True, False):
                assert eng.supports(node, fixed, value=value) == (oracle.supports(node, fixed, value), False)
    if rounds == 32 and open_nodes:
        assert "cover" in eng.paths_used


def test_a_cover_gives_up_past_its_cap_and_marco_answers():
    """`k` = (a and b) or (not a and c): a cover needs at least three implicants ({a, b},
    {not a, c} and a cut set or more); with a cap of one, `_cover` gives up with one minimal
    implicant, and `supports` answers from MARCO started from it, the consensus {b, c}
    included."""
    import tempfile
    from pathlib import Path
    from unittest.mock import patch
    import argmap.engine.logic as logic
    d = Path(tempfile.mkdtemp())
    (d / "m.argmap").write_text('assumption a: "a"\nassumption b: "b"\nassumption c: "c"\n'
                                'claim k: "k"\n  if a and b\n  if not a and c\n', encoding="utf-8")
    want = [{"b": True, "c": True}, {"a": True, "b": True}, {"a": False, "c": True}]
    with patch.object(logic, "TERM_CAP", 0), patch.object(logic, "COVER_ROUNDS", 1):
        eng = engine(argmap.read_map(str(d))[0])
        complete, (cuts, supports) = eng._cover("k", {})
        assert not complete and len(cuts) + len(supports) == 1
        assert all(s in want for s in supports)
        assert sorted_lists(eng.supports("k", {})[0]) == sorted_lists(want)
        assert "cover" not in eng.paths_used
    eng = engine(argmap.read_map(str(d))[0])
    assert sorted_lists(eng._from_cover("k", {}, True)) == sorted_lists(want)
    assert "cover" in eng.paths_used


def sorted_lists(found):
    return sorted(sorted(s.items()) for s in found)


def test_one_conjunction_answers_a_conjunction_with_a_conflict_inside():
    """`k` is `a and b and c`, with the conflict `b and d`: its single points of failure are a, b,
    c and not d, and the minimal support is {a, b, c} alone (b rules d out); the cut sets are
    the four literals negated, d among them."""
    import tempfile
    from pathlib import Path
    d = Path(tempfile.mkdtemp())
    (d / "m.argmap").write_text('assumption a: "a"\nassumption b: "b"\nassumption c: "c"\nassumption d: "d"\n'
                                'claim k: "k"\n  if a and b and c and not d\nconflict x: b and d\n', encoding="utf-8")
    eng = engine(argmap.read_map(str(d))[0])
    assert eng._one_conjunction("k", {}, True) == [{"a": True, "b": True, "c": True}]
    assert sorted_lists(eng._one_conjunction("k", {}, False)) == sorted_lists(
        [{"a": False}, {"b": False}, {"c": False}, {"d": True}])
    assert "one-conjunction" in eng.paths_used
