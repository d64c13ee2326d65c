"""argmap/engine/justify.py against the brute-force oracle: a justification is part of the model
and already decides the node by three-valued propagation, and every literal the flip test calls
needed really is (without it the rest is not an implicant). The enumeration that uses both is
compared with the oracle in test_engine_oracle.py::test_marco_fallback_matches_oracle."""

from __future__ import annotations

from hypothesis import given, settings

from argmap.analysis.queries import engine
from argmap.engine import justify

from oracle import Oracle
from test_engine_oracle import load_small, small_maps


@settings(max_examples=100)
@given(small_maps(max_conflicts=2))
def test_justification_decides_the_node_and_needed_literals_are_needed(m):
    amap = load_small(m)
    oracle = Oracle(m)
    eng = engine(amap)
    conflicts = [c.formula for c in amap.conflicts.values()]
    for fixed in ({}, m.worldviews["w"]):
        free = {a for a in m.assumptions if a not in fixed}
        for world in oracle.models(fixed):
            for node in oracle.nodes:
                value = world[node]
                flips = justify.Flips(amap, eng.order, conflicts, {a: world[a] for a in m.assumptions},
                                      sorted(free))
                values = flips.values
                assert all(values[n] == world[n] for n in oracle.nodes), "lane 0 disagrees with the oracle"
                support = justify.justify(amap, node, value, values, free)
                assert set(support) <= free and all(world[a] == v for a, v in support.items())
                assert eng.kleene_values({**fixed, **support})[node] is value, (m.text(), node, support)
                for a in flips.needed(node, value, support):
                    rest = {**fixed, **{b: v for b, v in support.items() if b != a}}
                    assert any(w[node] != value for w in oracle.models(rest)), (m.text(), node, support, a)
