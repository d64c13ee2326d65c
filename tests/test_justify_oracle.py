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


def test_a_map_deeper_than_the_stack_still_lists_its_supports(tmp_path):
    """Blake's DNF builder recurses along dependency paths; on a path deeper than Python's stack
    (the wide 100k map) the engine must fall back to the solver enumeration, not crash."""
    import inspect
    import sys

    import argmap
    n = 300
    lines = [f'assumption a{i}: "a{i}"' for i in range(n)] + ['claim c0: "c0"', "  if a0"]
    for i in range(1, n):
        lines += [f'claim c{i}: "c{i}"', f"  if c{i - 1} or a{i}"]
    (tmp_path / "deep.argmap").write_text("\n".join(lines) + "\n", encoding="utf-8")
    amap = argmap.read_map(str(tmp_path))[0]
    eng = engine(amap)
    saved = sys.getrecursionlimit()
    sys.setrecursionlimit(len(inspect.stack()) + 150)
    try:
        found, truncated = eng.supports(f"c{n - 1}", {}, limit=1000)
    finally:
        sys.setrecursionlimit(saved)
    assert not truncated
    assert found == [{f"a{i}": True} for i in sorted(range(n), key=lambda i: f"a{i}")]


@settings(max_examples=60)
@given(small_maps(max_conflicts=3, max_assumptions=6))
def test_the_solver_enumeration_on_inconsistent_scenarios_finds_nothing(m):
    """The guided phase searches the node's slice only; under a scenario that another conflict
    component makes inconsistent it must still answer "no support" (the oracle's answer)."""
    import argmap.engine.logic as logic
    amap = load_small(m)
    oracle = Oracle(m)
    saved = logic.TERM_CAP, logic.COVER_ROUNDS
    logic.TERM_CAP = logic.COVER_ROUNDS = 0
    try:
        eng = engine(amap)
        for fixed in ({}, m.worldviews["w"]):
            for node in oracle.nodes:
                for value in (True, False):
                    assert eng.supports(node, fixed, value=value)[0] == oracle.supports(node, fixed, value), \
                        (m.text(), fixed, node, value)
    finally:
        logic.TERM_CAP, logic.COVER_ROUNDS = saved
