"""Cut sets and needs (`cuts`, `why`'s needs, `verdicts --needs`, `what-breaks`'s reasons) against
the brute-force oracle, which finds needs directly as prime implicates of the truth table (not
from supports), on random small maps with `not`, `unless`, conflicts, worldviews, and a second
proposal whose verdicts rest on the first one's."""

from __future__ import annotations

import itertools
import json
import tempfile
from pathlib import Path
from unittest.mock import patch

from click.testing import CliRunner
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import argmap
from argmap.analysis.probability import cuts_with_probabilities
from argmap.analysis.describe import show
from argmap.analysis.queries import cuts, engine, verdict_needs
from argmap.cli import main

from oracle import Oracle, SmallMap
from test_engine_oracle import expressions


@st.composite
def chained_maps(draw, max_assumptions: int = 5) -> SmallMap:
    """Claims, then proposal p0, then proposal p1 whose lines may use p0's verdicts; conflicts
    over anything; a worldview fixing up to two assumptions."""
    n = draw(st.integers(2, max_assumptions))
    m = SmallMap([f"a{i}" for i in range(n)])
    available = list(m.assumptions)
    for i in range(draw(st.integers(0, 2))):
        cid = f"c{i}"
        m.claims[cid] = [(draw(expressions(available)), draw(st.one_of(st.none(), expressions(available, 1))))
                         for _ in range(draw(st.integers(1, 2)))]
        available.append(cid)
    for comp in draw(st.lists(st.sampled_from(["outer", "inner"]), min_size=1, max_size=2, unique=True)):
        m.verdicts[f"p0.{comp}"] = [(draw(expressions(available)),
                                     draw(st.one_of(st.none(), expressions(available, 1))))
                                    for _ in range(draw(st.integers(1, 2)))]
    chained = available + list(m.verdicts)
    for comp in draw(st.lists(st.sampled_from(["outer", "training"]), min_size=1, max_size=2, unique=True)):
        m.verdicts[f"p1.{comp}"] = [(draw(expressions(chained)),
                                     draw(st.one_of(st.none(), expressions(chained, 1))))
                                    for _ in range(draw(st.integers(1, 2)))]
    for _ in range(draw(st.integers(0, 2))):
        m.conflicts.append(draw(expressions(chained + [v for v in m.verdicts if v.startswith("p1.")], 1)))
    m.worldviews["w"] = draw(st.dictionaries(st.sampled_from(m.assumptions), st.booleans(), max_size=2))
    return m


def load(m: SmallMap, extra: str = "") -> tuple:
    d = Path(tempfile.mkdtemp())
    (d / "m.argmap").write_text(m.text() + extra, encoding="utf-8")
    amap, diags = argmap.read_map(str(d))
    assert not [x for x in diags if x.severity == "error"], (m.text(), diags)
    return amap, d


def _key(sets):
    return sorted(tuple(sorted(s.items())) for s in sets)


@settings(max_examples=40)
@given(chained_maps(), st.sampled_from([None, "w"]))
def test_cuts_needs_and_their_ranking_match_the_truth_table(m, worldview):
    amap, _ = load(m)
    oracle = Oracle(m)
    fixed = m.worldviews["w"] if worldview else {}
    if not oracle.models(fixed):
        return
    verdicts = list(amap.verdicts)          # the map's order (components in canonical order)
    for node in oracle.nodes:
        want = oracle.cuts(node, fixed)
        got = cuts(amap, node, worldview=worldview)
        assert got.status == oracle.status(node, fixed)
        assert _key(got.cuts) == _key(want), (m.text(), node)
        assert not got.truncated
        others = [v for v in verdicts if v != node]
        assert got.takes_down == [oracle.takes_down(c, fixed, others) for c in got.cuts], (m.text(), node)
        ranks = [(len(c), -len(t)) for c, t in zip(got.cuts, got.takes_down)]
        assert ranks == sorted(ranks), (m.text(), node)
        w = argmap.why(amap, node, worldview=worldview)
        assert w.needs == oracle.needs(node, fixed), (m.text(), node)     # exact order: size, then literals
        assert w.supports == (oracle.supports(node, fixed) if w.status != "fails" else [])
    matrix = verdict_needs(amap, worldview=worldview)
    # limit=1 cuts every list with more than one cut set: the single points must stay complete
    capped = verdict_needs(amap, worldview=worldview, limit=1)
    eng = engine(amap)
    for v in verdicts:
        if oracle.status(v, fixed) == "open":
            singles = _key(c for c in oracle.cuts(v, fixed) if len(c) == 1)
            assert _key(matrix.single_points_of_failure[v]) == singles, (m.text(), v)
            assert matrix.cut_sets[v] == len(oracle.cuts(v, fixed)) and not matrix.truncated[v]
            assert _key(capped.single_points_of_failure[v]) == singles, (m.text(), v)
            assert capped.truncated[v] == (len(oracle.cuts(v, fixed)) > 1)
            assert capped.stopped_by == {u: "limit" for u, cut in capped.truncated.items() if cut}
            assert len(singles) <= capped.cut_sets[v] <= len(oracle.cuts(v, fixed))
        else:
            assert v not in matrix.single_points_of_failure
    for node in oracle.nodes:
        for value in (True, False):
            want = [s for s in oracle.supports(node, fixed, value) if len(s) <= 1]
            assert _key(eng.single_supports(node, fixed, value)) == _key(want), (m.text(), node, value)
    for a in m.assumptions:     # `show A`: the open verdicts that A's value alone makes fail
        shown = show(amap, a, worldview=worldview)
        hangs = {v: c[a] for v in verdicts if oracle.status(v, fixed) == "open"
                 for c in oracle.cuts(v, fixed) if list(c) == [a]}
        assert (shown.single_point_of_failure_for or []) == [v for v in verdicts if v in hangs], (m.text(), a)
        assert (shown.single_point_values or {}) == hangs, (m.text(), a)


@settings(max_examples=30)
@given(chained_maps(), st.sampled_from([None, "w"]))
def test_what_breaks_reasons_match_the_truth_table(m, worldview):
    amap, _ = load(m)
    oracle = Oracle(m)
    fixed = m.worldviews["w"] if worldview else {}
    if not oracle.models(fixed):
        return
    for a in m.assumptions:
        got = argmap.what_breaks(amap, a, worldview=worldview, explain=True)
        if got.forced:
            assert got.completes is None and got.remaining is None
            continue
        assert set(got.completes) == set(got.breaks) and set(got.remaining) == set(got.loses + got.weakens)
        after = {**fixed, a: False}
        for v, cut in got.completes.items():
            # a minimal subset of the scenario plus `not a` that makes v fail: a cut set of v
            # under the empty worldview that contains `not a`
            assert cut.get(a) is False and cut.items() <= after.items(), (m.text(), a, v, cut)
            assert cut in oracle.cuts(v, {}), (m.text(), a, v, cut)
        for v, rest in got.remaining.items():
            assert rest.supports == len(oracle.supports(v, after)) and rest.of == len(oracle.supports(v, fixed))
            assert rest.needs == oracle.needs(v, after), (m.text(), a, v)


@settings(max_examples=30)
@given(chained_maps(), st.sampled_from([None, "w"]))
def test_what_breaks_reasons_on_a_wide_slice_are_the_single_needs(m, worldview):
    """With every slice counted as wide (CHEAP_SLICE 0), an explanation has exactly the single
    needs after the failure, marked partial (the oracle's needs of one literal), and counts only
    where they come for free."""
    import argmap.engine.logic as logic
    amap, oracle, fixed = _scenario(m, worldview)
    with patch.object(logic, "CHEAP_SLICE", 0):
        for a in m.assumptions:
            got = argmap.what_breaks(amap, a, worldview=worldview, explain=True)
            if got.forced:
                continue
            assert set(got.remaining) == set(got.loses + got.weakens)
            after = {**fixed, a: False}
            for v, rest in got.remaining.items():
                want = oracle.needs(v, after)
                if want in ([], [{}]):          # holds or fails after: no enumeration to cut short
                    assert rest.needs == want and not rest.needs_truncated, (m.text(), a, v)
                else:
                    assert rest.needs == [c for c in want if len(c) == 1], (m.text(), a, v)
                    assert rest.needs_truncated and rest.truncated, (m.text(), a, v)
                # counts only where deciding the lists already listed the supports, and then exact
                assert rest.of in (None, len(oracle.supports(v, fixed))), (m.text(), a, v)
                assert rest.supports in (None, len(oracle.supports(v, after))), (m.text(), a, v)


def _scenario(m, worldview):
    """The map loaded, its oracle and the scenario's fixed literals (a scenario no world fits is
    not an example)."""
    amap, _ = load(m)
    oracle = Oracle(m)
    fixed = m.worldviews["w"] if worldview else {}
    assume(oracle.models(fixed))
    return amap, oracle, fixed


@settings(max_examples=25)
@given(chained_maps(max_assumptions=4), st.data())
def test_cut_probabilities_are_exact_conditional_probabilities(m, data):
    """P(cut | conflicts) under credences, brute force: sum of the weights of the allowed
    assignments that contain the cut, over the sum of all allowed ones."""
    creds = {a: data.draw(st.sampled_from([0.1, 0.25, 0.5, 0.8])) for a in m.assumptions}
    m.worldviews = {}
    extra = 'worldview cw: "credences"\n' + "".join(f"  credence {a} {p}\n" for a, p in creds.items())
    amap, _ = load(m, extra)
    oracle = Oracle(m)
    if not oracle.worlds:
        return

    def weight(w):
        out = 1.0
        for a in m.assumptions:
            out *= creds[a] if w[a] else 1 - creds[a]
        return out
    total = sum(weight(w) for w in oracle.worlds)
    for node in oracle.nodes:
        got = cuts_with_probabilities(amap, node, worldview="cw")
        for cut, p in zip(got.cuts, got.probabilities):
            want = sum(weight(w) for w in oracle.worlds if all(w[a] == v for a, v in cut.items())) / total
            assert abs(p - want) < 1e-9, (m.text(), node, cut, p, want)
        by_p = cuts_with_probabilities(amap, node, worldview="cw", rank="probability")
        assert _key(by_p.cuts) == _key(got.cuts) and by_p.ranked_by[:2] == ["size", "probability"]
        keys = [(len(c), -p) for c, p in zip(by_p.cuts, by_p.probabilities)]
        assert keys == sorted(keys)


@settings(max_examples=15)
@given(chained_maps(max_assumptions=4), st.sampled_from([None, "w"]))
def test_cli_json_of_cuts_and_why_equals_the_truth_table(m, worldview):
    amap, d = load(m)
    oracle = Oracle(m)
    fixed = m.worldviews["w"] if worldview else {}
    runner = CliRunner()
    wv = ["--worldview", "w"] if worldview else []
    for node in oracle.nodes[-2:]:
        res = runner.invoke(main, ["--map", str(d), "cuts", node, "--json", *wv])
        if not oracle.models(fixed):
            assert res.exit_code == 1 and json.loads(res.stdout)["error"] == "inconsistent"
            return
        assert res.exit_code == 0, res.output
        doc = json.loads(res.stdout)
        assert (doc["verdict"], doc["status"], doc["truncated"]) == (node, oracle.status(node, fixed), False)
        others = [v for v in amap.verdicts if v != node]
        ranked = sorted(oracle.cuts(node, fixed), key=lambda c: (
            len(c), -len(oracle.takes_down(c, fixed, others)), sorted((k, not v) for k, v in c.items())))
        assert [sorted(c.items()) for c in doc["cuts"]] == [sorted(c.items()) for c in ranked], (m.text(), node)
        assert doc["takes_down"] == [oracle.takes_down(c, fixed, others) for c in ranked]
        res = runner.invoke(main, ["--map", str(d), "why", node, "--json", *wv])
        doc = json.loads(res.stdout)
        assert doc["needs"] == oracle.needs(node, fixed)
        assert doc["supports"] == (oracle.supports(node, fixed) if doc["status"] != "fails" else [])


def test_limit_truncates_and_says_so():
    """Five independent two-way alternatives: 2^5 = 32 cut sets; a limit of 4 keeps 4 and says so."""
    pairs = [(f"x{i}", f"y{i}") for i in range(5)]
    m = SmallMap([a for p in pairs for a in p], verdicts={"p.outer": [(" and ".join(f"({x} or {y})" for x, y in pairs), None)]})
    amap, d = load(m)
    # (by hand: a support picks one of each pair, 2^5; a cut set is one pair failing, 5)
    assert len(argmap.why(amap, "p.outer").supports) == 32
    assert cuts(amap, "p.outer").cuts == [{x: False, y: False} for x, y in pairs]
    w = argmap.why(amap, "p.outer", limit=5)
    assert len(w.supports) == 5 and w.truncated and len(w.needs) == 5 and not w.needs_truncated
    assert w.stopped_by == "limit" and w.needs_stopped_by is None
    w = argmap.why(amap, "p.outer", limit=3)           # the limit caps the needs as well
    assert len(w.needs) == 3 and w.needs_truncated and w.needs_stopped_by == "limit"
    got = cuts(amap, "p.outer", limit=3)
    assert len(got.cuts) == 3 and got.truncated and got.stopped_by == "limit"
    assert cuts(amap, "p.outer").stopped_by is None
    res = CliRunner().invoke(main, ["--map", str(d), "cuts", "p.outer", "--limit", "3"])
    assert res.exit_code == 0 and "fails in 3+ minimal ways" in res.stdout
    assert "(stopped at the limit; raise it with --limit)" in res.stdout
    res = CliRunner().invoke(main, ["--map", str(d), "why", "p.outer", "--limit", "3"])
    assert "needs all of (3+, stopped at the limit; raise it with --limit" in res.stdout
    res = CliRunner().invoke(main, ["--map", str(d), "why", "p.outer"])
    assert "holds in 32 minimal ways (argmap why p.outer --supports lists them)" in res.stdout
    assert "minimal supports (" not in res.stdout
    res = CliRunner().invoke(main, ["--map", str(d), "why", "p.outer", "--supports"])
    assert "minimal supports (32):" in res.stdout and "  32. " in res.stdout
    res = CliRunner().invoke(main, ["--map", str(d), "why", "p.outer", "--limit", "4"])
    assert "holds in 4+, truncated minimal ways" not in res.stdout    # 4 ≤ the in-full threshold
    assert "minimal supports (4+, truncated)" in res.stdout and "stopped at the limit" in res.stdout


def test_needs_of_a_dual_map_stay_readable():
    """32 needs (the dual of the map above): `why` prints 20 and points at `cuts` for the rest."""
    pairs = [(f"x{i}", f"y{i}") for i in range(5)]
    m = SmallMap([a for p in pairs for a in p], verdicts={"p.outer": [(" or ".join(f"({x} and {y})" for x, y in pairs), None)]})
    amap, d = load(m)
    needs = argmap.why(amap, "p.outer").needs          # by hand: one of each pair, 2^5 clauses
    assert len(needs) == 32 and all(len(c) == 5 and all(c.values()) for c in needs)
    res = CliRunner().invoke(main, ["--map", str(d), "why", "p.outer"])
    assert "needs all of (32):" in res.stdout
    assert "  20. one of:" in res.stdout and "  21." not in res.stdout
    assert "… and 12 more (argmap cuts p.outer lists them)" in res.stdout
    # each literal settles the 16 clauses that choose it from its pair
    assert 'most often satisfied by one literal: x0 (16 of 32), x1 (16 of 32), x2 (16 of 32)' in res.stdout
    assert "holds in 5 minimal ways" not in res.stdout and "minimal supports (5):" in res.stdout


def test_every_toggle_state_of_a_small_map_is_exact():
    """All 3^3 scenarios of one hand-written map with a chained verdict and a conflict."""
    m = SmallMap(["a0", "a1", "a2"], claims={"c0": [("a0 or a1", "a2")]},
                 verdicts={"p0.outer": [("c0", None)], "p1.outer": [("p0.outer and not (a1)", None), ("a2", None)]},
                 conflicts=["(a0 and a2)"])
    amap, _ = load(m)
    oracle = Oracle(m)
    for values in itertools.product([None, True, False], repeat=3):
        fixed = {a: v for a, v in zip(m.assumptions, values) if v is not None}
        if not oracle.models(fixed):
            continue
        assume = [a for a, v in fixed.items() if v]
        deny = [a for a, v in fixed.items() if not v]
        for node in oracle.nodes:
            assert _key(cuts(amap, node, assume=assume, deny=deny).cuts) == _key(oracle.cuts(node, fixed))
            assert argmap.why(amap, node, assume=assume, deny=deny).needs == oracle.needs(node, fixed)


@settings(max_examples=40)
@given(chained_maps(), st.sampled_from([None, "w"]), st.integers(1, 3), st.integers(1, 3), st.sampled_from([0, 1, 3]))
def test_why_counted_only_as_far_as_shown_is_a_true_part_of_the_answer(m, worldview, k_needs, k_supports, rounds):
    """With every list streamed by MARCO (TERM_CAP 0, as on a wide slice) and the terminal's
    `shown` caps: the supports and needs given are among the oracle's, a list is cut short
    (stopped_by "shown") whenever the oracle has more, and the needs hold every single need.
    (A verdict that is the conjunction of its single points of failure skips MARCO: complete.
    So does one covered by ``rounds`` implicants or fewer; with a larger cover, MARCO starts
    from the implicants found: 0 switches the cover off.)"""
    import argmap.engine.logic as logic
    from argmap.analysis.queries import why
    amap, oracle, fixed = _scenario(m, worldview)
    from argmap.analysis.queries import engine
    with patch.object(logic, "TERM_CAP", 0), patch.object(logic, "COVER_ROUNDS", rounds):
        for v in m.verdicts:
            if oracle.status(v, fixed) != "open":
                continue
            engine(amap).paths_used.difference_update({"one-conjunction", "cover"})
            got = why(amap, v, worldview=worldview, shown=(k_needs, k_supports))
            want_supports, want_needs = oracle.supports(v, fixed), oracle.needs(v, fixed)
            if engine(amap).paths_used & {"one-conjunction", "cover"}:
                # a conjunction of its single points of failure, or a small cover: both lists come
                # from a few-term form (Engine._one_conjunction, _from_cover), complete and cheap,
                # so counted in full as Blake's
                assert (got.supports, got.truncated) == (want_supports, False), (m.text(), v)
                assert (got.needs, got.needs_truncated) == (want_needs, False), (m.text(), v)
                continue
            assert all(s in want_supports for s in got.supports), (m.text(), v)
            assert len(got.supports) == min(k_supports, len(want_supports)), (m.text(), v)
            # (cut short means "perhaps more": MARCO stops at the cap before it can tell)
            assert got.truncated >= (len(want_supports) > k_supports), (m.text(), v)
            assert got.stopped_by == ("shown" if got.truncated else None), (m.text(), v)
            assert all(c in want_needs for c in got.needs), (m.text(), v)
            assert [c for c in want_needs if len(c) == 1] == [c for c in got.needs if len(c) == 1], (m.text(), v)
            if not got.needs_truncated:
                assert got.needs == want_needs, (m.text(), v)
            else:
                assert got.needs_stopped_by == "shown", (m.text(), v)
                assert len([c for c in got.needs if len(c) > 1]) <= k_needs, (m.text(), v)
