"""`check` and `test` remember what their expectations ask the engine (queries.Answers).

The memo may only recognise an expectation that holds; so an expectation must pass with it exactly
when it passes without it (and when the brute-force oracle says it holds), and every message
must be the same. What would break: a memo keyed too coarsely (one scenario's answers used for
another), supports cut off at ``SUPPORTS_ASKED`` read as complete, a status batch that differs from
single-node statuses, or a passing shortcut for a literal outside the node's slice.
"""

from __future__ import annotations

import itertools
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import argmap
import argmap.engine.logic as logic
from argmap.analysis import queries
from argmap.analysis.checkcache import MemoryKeys
from argmap.analysis.queries import Answers, check_expect, engine, run_tests, semantic_diagnostics
from argmap.language.model import Expect, Span

from oracle import Oracle
from test_engine_oracle import load_small, small_maps

SPAN = Span("t", 1, 1)


def every_expectation(m, nodes) -> list[Expect]:
    out = []
    for under, node in itertools.product([None, "w"], nodes):
        for status in ("holds", "fails", "open"):
            out.append(Expect(kind="status", span=SPAN, text="", under=under, target=node, status=status))
        for a, positive in itertools.product(m.assumptions, (True, False)):
            out.append(Expect(kind="requires", span=SPAN, text="", under=under, target=node, assumption=a,
                              positive=positive))
            out.append(Expect(kind="uses", span=SPAN, text="", under=under, target=node, assumption=a,
                              positive=positive))
        for a in m.assumptions:
            out.append(Expect(kind="independent_of", span=SPAN, text="", under=under, target=node, assumption=a))
    return out + [Expect(kind="consistent", span=SPAN, text="", under=u) for u in (None, "w")]


def oracle_holds(m, oracle, ex) -> bool:
    fixed = m.worldviews["w"] if ex.under else {}
    if not oracle.models(fixed):
        return False
    if ex.kind == "consistent":
        return True
    if ex.kind == "status":
        return oracle.status(ex.target, fixed) == ex.status
    sups = oracle.supports(ex.target, fixed)
    a = ex.assumption
    if ex.kind == "requires":
        return bool(sups) and all(s.get(a) is ex.positive for s in sups)
    if ex.kind == "uses":
        return any(s.get(a) is ex.positive for s in sups)
    return not any(a in s for s in sups)


def same_message(a: str | None, b: str | None, marco: bool = False) -> bool:
    """Equal, except for the assignments of counter-examples: a solver model depends on what the
    solver was asked before (in the old code too), not on the memo. On the MARCO path the example
    supports a message lists (the first few found) depend on that history as well, so there only
    the statement before them is compared, with any support it names in braces (``the minimal
    support {not a1, a2, a4} of V ... contains A``: which of several such supports is named first
    depends on the same history)."""
    def general(msg):
        if msg is None:
            return None
        msg = re.sub(r"(fails|holds) with [^;]*", r"\1 with ...", msg)
        if not marco:
            return msg
        return re.sub(r"\{[^}]*\}", "{...}", msg.split(":")[0].split(";")[0])
    return general(a) == general(b)


def compare(m, data, supports_asked=None, marco=False):
    amap = load_small(m)
    oracle = Oracle(m)
    expects = data.draw(st.lists(st.sampled_from(every_expectation(m, oracle.nodes)), min_size=1, max_size=30,
                                 unique=True))
    answers = Answers(amap)
    if supports_asked is not None:
        answers.SUPPORTS_ASKED = supports_asked
    answers.prepare(expects)
    for ex in expects:
        alone = check_expect(amap, ex)
        assert (alone is None) == oracle_holds(m, oracle, ex), (m.text(), ex)
        if answers.holds(ex):
            assert alone is None, (m.text(), ex)
        assert same_message(queries._problem(amap, ex, answers), alone, marco), (m.text(), ex)


@settings(max_examples=60, deadline=None)
@given(small_maps(max_conflicts=2), st.data())
def test_remembered_answers_agree_with_each_expectation_alone_and_the_oracle(m, data):
    compare(m, data)


@settings(max_examples=25, deadline=None)
@given(small_maps(max_conflicts=2), st.data())
def test_supports_cut_off_by_the_memo_are_never_read_as_complete(m, data):
    compare(m, data, supports_asked=1)     # one support: most `requires`/`independent_of` must fall back


@settings(max_examples=15, deadline=None)
@given(small_maps(), st.data())
def test_the_memo_agrees_on_the_marco_path(m, data):
    saved = logic.TERM_CAP, logic.COVER_ROUNDS
    logic.TERM_CAP = logic.COVER_ROUNDS = 0     # every support list by MARCO, as on maps too large for Blake
    try:
        compare(m, data, marco=True)
    finally:
        logic.TERM_CAP, logic.COVER_ROUNDS = saved


def test_each_scenario_has_its_own_answers(tmp_path):
    # under w (a0 assumed) the first support of p.outer is inconsistent, so it no longer uses a1,
    # and its status changes: answers remembered for one scenario must not serve the other
    (tmp_path / "m.argmap").write_text(
        'assumption a0: "A0"\nassumption a1: "A1"\nassumption a2: "A2"\n'
        'proposal p: "P"\n  outer: a1 and not a0\n  outer: a2\n  inner: a0\n'
        'worldview w: "W"\n  assume a0\n'
        "expect p.outer uses a1\nexpect under w: p.outer uses a1\n"
        "expect p.outer independent_of a1\nexpect under w: p.outer independent_of a1\n"
        "expect p.inner open\nexpect under w: p.inner open\n"
        "expect p.inner holds\nexpect under w: p.inner holds\n", encoding="utf-8")
    amap, diags = argmap.read_map(str(tmp_path))
    assert not [d for d in diags if d.severity == "error"], diags
    report = run_tests(amap)
    assert report == run_tests(amap, remember=False)
    assert [f.line for f in report.failed] == [11, 12, 15, 16]


@pytest.fixture(scope="module")
def corpus():
    return argmap.load("claims")


def test_the_corpus_checks_the_same_with_and_without_the_memo(corpus):
    assert semantic_diagnostics(corpus, remember=True) == semantic_diagnostics(corpus, remember=False)
    assert run_tests(corpus, remember=True) == run_tests(corpus, remember=False)
    assert run_tests(corpus).passed == len(corpus.expects)


@pytest.mark.parametrize("path", ["tests/fixtures/diagnostics/e401_failed_expectation.argmap",
                                  "tests/fixtures/diagnostics/e302_inconsistent_worldview.argmap",
                                  "tests/fixtures/maps/tiny"])
def test_failing_expectations_say_the_same_with_and_without_the_memo(path):
    amap, _ = argmap.read_map(path)
    with_memo, alone = run_tests(amap, remember=True), run_tests(amap, remember=False)
    assert with_memo == alone
    assert semantic_diagnostics(amap, remember=True) == semantic_diagnostics(amap, remember=False)


def test_each_scenario_and_node_is_asked_once(corpus, monkeypatch):
    calls = {"supports": 0, "values": 0, "alone": 0}
    eng = engine(corpus)
    for name in ("supports", "values"):
        original = getattr(eng, name)

        def counted(*args, _original=original, _name=name, **kwargs):
            calls[_name] += 1
            return _original(*args, **kwargs)
        monkeypatch.setattr(eng, name, counted)
    alone = queries.check_expect

    def counted_alone(*args, **kwargs):
        calls["alone"] += 1
        return alone(*args, **kwargs)
    monkeypatch.setattr(queries, "check_expect", counted_alone)
    run_tests(corpus)
    pairs = {(ex.under, ex.target) for ex in corpus.expects if ex.kind in ("uses", "requires", "independent_of")}
    scenarios = {ex.under for ex in corpus.expects if ex.kind == "status"}
    # a `requires` or `independent_of` on a node with more than SUPPORTS_ASKED supports is decided
    # alone (a few engine calls each); everything else is asked once (without the memo: 182 and 162)
    assert calls["alone"] <= 10
    assert calls["supports"] <= len(pairs) + 3 * calls["alone"]
    assert calls["values"] <= len(scenarios) + calls["supports"] + 3 * calls["alone"]


def test_the_solver_decides_each_scenarios_nodes_in_one_call(monkeypatch):
    """Engine.supports first asks its node's value; the memo decides those values together with
    the statuses asked, one solver call per scenario, not one per node (the corpus: 45 before)."""
    corpus = argmap.load("claims")
    calls = []
    forced = logic.Engine._forced
    monkeypatch.setattr(logic.Engine, "_forced", lambda self, solver, lits, names: (
        calls.append(len(names)), forced(self, solver, lits, names))[1])
    # (empty keys of its own: answers remembered on disk by another test would ask no solver at all)
    assert not semantic_diagnostics(corpus, remember=True, keys=MemoryKeys())
    scenarios = {ex.under for ex in corpus.expects}
    assert 0 < len(calls) <= len(scenarios), calls
