"""what-breaks with ``explain`` reuses the supports and statuses that deciding its lists found.

The explanation must be exactly the one computed from scratch (as before the reuse): on random
small maps (with the oracle's what-breaks alongside) and on the corpus. What would break: supports
remembered under the wrong scenario, truncated supports read as complete, or statuses after
``not A`` taken from before it.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import argmap
from argmap.analysis import queries
from argmap.analysis.queries import Scenario, engine, what_breaks

from oracle import Oracle
from test_engine_oracle import load_small, small_maps


def from_scratch(amap, assumption, worldview=None, limit=1000):
    """What-breaks and its explanation as each part asks the engine itself (no reuse)."""
    scenario = Scenario(worldview=worldview)
    fixed = scenario.fixed(amap)
    result = queries._what_breaks(amap, assumption, fixed, list(amap.verdicts), scenario)
    if not result.forced:
        queries._explain_breaks(amap, assumption, fixed, result, limit)
    return result


@settings(max_examples=60, deadline=None)
@given(small_maps(max_conflicts=2), st.sampled_from([None, "w"]), st.data())
def test_the_explanation_is_the_one_computed_from_scratch(m, worldview, data):
    oracle = Oracle(m)
    fixed = m.worldviews["w"] if worldview else {}
    if not oracle.models(fixed):
        return
    amap = load_small(m)
    a = data.draw(st.sampled_from(m.assumptions))
    limit = data.draw(st.sampled_from([1, 2, 1000]))       # small limits: truncated supports
    got = what_breaks(amap, a, worldview=worldview, explain=True, limit=limit)
    assert got == from_scratch(amap, a, worldview, limit), m.text()
    assert got == from_scratch(argmap.load(amap.files[0]), a, worldview, limit), m.text()   # a fresh engine


@pytest.mark.parametrize("assumption, worldview", [("myopia_verification", None), ("hch_aligned", None),
                                                    ("oversight_not_overfit", "hubinger2020_leanings"),
                                                    ("no_scheming", "greenblatt2026_leanings")])
def test_the_corpus_explanations_are_the_ones_computed_from_scratch(assumption, worldview):
    amap = argmap.load("claims")
    got = what_breaks(amap, assumption, worldview=worldview, explain=True)
    assert got.weakens or got.breaks
    assert got == from_scratch(argmap.load("claims"), assumption, worldview)


def from_the_engine(amap, assumption, worldview=None, limit=1000):
    """The explanation with every count of remaining supports enumerated by the engine again."""
    result = what_breaks(amap, assumption, worldview=worldview, explain=True, limit=limit)
    if result.remaining:
        after = {**Scenario(worldview=worldview).fixed(amap), assumption: False}
        for v, rest in result.remaining.items():
            rest.supports = len(engine(amap).supports(v, after, limit=limit)[0])
    return result


@settings(max_examples=80, deadline=None)
@given(small_maps(max_conflicts=3, max_assumptions=6), st.sampled_from([None, "w"]))
def test_supports_left_counts_the_supports_after_the_failure(m, worldview):
    # every node and every free assumption, against the oracle's minimal supports under W + not A
    oracle = Oracle(m)
    fixed = m.worldviews["w"] if worldview else {}
    if not oracle.models(fixed):
        return
    amap = load_small(m)
    eng = engine(amap)
    nogoods, truncated = eng.nogoods()
    assert not truncated
    for node in oracle.nodes:
        found, cut = eng.supports(node, fixed)
        assert not cut
        # the nogoods of the conflicts that meet the node's slice: exactly those inside the slice
        inside = set(eng.slice(node))
        assert eng.nogoods(among=inside)[0] == [g for g in nogoods if set(g) <= inside], (m.text(), node)
        for a in m.assumptions:
            after = {**fixed, a: False}
            if a in fixed or not oracle.models(after):
                continue
            want = len(oracle.supports(node, after))
            assert queries._supports_left(found, a, fixed, nogoods) == want, (m.text(), node, a)


@pytest.mark.parametrize("assumption, worldview", [("myopia_verification", None),
                                                    ("oversight_not_overfit", "hubinger2020_leanings")])
def test_the_corpus_counts_equal_the_engines(assumption, worldview):
    amap = argmap.load("claims")
    got = what_breaks(amap, assumption, worldview=worldview, explain=True)
    assert got.remaining
    assert got == from_the_engine(argmap.load("claims"), assumption, worldview)
