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
from argmap.analysis.queries import Scenario, what_breaks

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
