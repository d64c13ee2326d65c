"""The bundled corpus (claims/): provenance, vocabulary and properties of the encoding.

These tests are about the scholarship, not the engine: every quote is verbatim, the stable ids
exist, every verdict is contingent (holds under some scenario, fails under another), and the
authors' worldviews are consistent.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import argmap
from argmap.language.model import COMPONENTS
from argmap.analysis.provenance import citations, verify_quotes
from argmap.analysis.queries import Scenario, engine, run_tests, semantic_diagnostics, statuses

from conftest import ROOT, source_texts  # noqa: E402

PROPOSALS = ["rl_transparency", "imitative_amp_oversight", "imitative_amp_rat", "approval_amp_rat",
             "microscope_ai", "stem_ai", "narrow_rm_transparency", "recursive_rm_rat", "debate_transparency",
             "amp_aux_rl_rat", "amp_alongside_rl_rat", "deference"]
ASSUMPTIONS = ["myopia_verification", "per_episode_myopia_verification", "transparency_detects_deception",
               "optimization_detectable", "hch_aligned", "hch_competitive", "no_scheming",
               "behavioral_tests_valid", "basin_of_good_deference", "oversight_not_overfit"]
WORLDVIEWS = ["hubinger2020_leanings", "greenblatt2026_leanings"]


@pytest.fixture(scope="module")
def corpus():
    return argmap.load(str(ROOT / "claims"))


def test_corpus_checks_clean(corpus):
    """No errors, no failed expectation, consistent map and worldviews."""
    report = argmap.check(str(ROOT / "claims"))
    errors = [d.format() for d in report.diagnostics if d.severity == "error"]
    assert errors == []


def test_stable_vocabulary(corpus):
    assert set(PROPOSALS) <= set(corpus.proposals)
    for p in PROPOSALS:
        for c in COMPONENTS:
            assert f"{p}.{c}" in corpus.verdicts
    for a in ASSUMPTIONS:
        assert a in corpus.assumptions, a
    for w in WORLDVIEWS:
        assert w in corpus.worldviews
    assert len(corpus.worldviews) >= 4


def test_every_quote_is_verbatim(corpus):
    report = verify_quotes(corpus, str(source_texts(corpus)))
    assert report.missing_sources == []
    assert [(s.source, s.fingerprint) for s in report.sources] == [(s, "matches") for s in corpus.sources]
    assert report.checked > 100
    assert [f"{q.file}:{q.line}: {q.quote}" for q in report.not_found] == []


def test_a_changed_source_text_is_reported(corpus, tmp_path):
    """The quote check is not vacuous: a source text missing a sentence makes its quotes fail, and
    its fingerprint says the copy differs."""
    texts = source_texts(corpus)
    for src in corpus.sources.values():
        text = (texts / src.file).read_text(encoding="utf-8")
        if src.id == "hubinger2020":          # keep only the first half of the paper
            text = text[: len(text) // 2]
        (tmp_path / src.file).write_text(text, encoding="utf-8")
    report = verify_quotes(corpus, str(tmp_path))
    cited = [c for c in citations(corpus) if c.source == "hubinger2020"]
    assert 0 < len(report.not_found) < len(cited)
    assert {q.source for q in report.not_found} == {"hubinger2020"}
    assert {s.source: s.fingerprint for s in report.sources} == {"hubinger2020": "differs", "greenblatt2026": "matches"}
    (tmp_path / corpus.sources["greenblatt2026"].file).unlink()
    assert verify_quotes(corpus, str(tmp_path)).missing_sources


def test_everything_is_cited(corpus):
    for table in (corpus.assumptions, corpus.claims, corpus.proposals, corpus.conflicts):
        for st_ in table.values():
            assert st_.provenance.citations, f"{st_.id} has no cite"
    for wv in corpus.worldviews.values():
        for line in wv.lines:
            if line.kind in ("assume", "deny"):
                assert line.provenance.citations or line.provenance.notes or wv.provenance.notes, \
                    f"{wv.id}: {line.kind} {line.assumption} has neither cite nor note"


def test_at_least_three_expectations_per_proposal(corpus):
    for p in PROPOSALS:
        n = sum(1 for e in corpus.expects if e.target and e.target.split(".")[0] == p)
        assert n >= 3, f"{p} has {n} expect statements"
    assert run_tests(corpus).failed == []


def test_no_verdict_holds_under_the_empty_worldview(corpus):
    assert "holds" not in statuses(corpus).values()


def test_every_verdict_is_contingent(corpus):
    """Each verdict holds under some assignment and fails under another (no dead or trivial verdict)."""
    eng = engine(corpus)
    for v in corpus.verdicts:
        assert eng.counterexample({}, v, True) is not None, f"{v} can never hold"
        assert eng.counterexample({}, v, False) is not None, f"{v} can never fail"


def test_every_assumption_matters_to_some_verdict(corpus):
    eng = engine(corpus)
    relevant = set()
    for v in corpus.verdicts:
        for s in eng.supports(v, {}, limit=1000)[0]:
            relevant |= set(s)
    unused = [a for a in corpus.assumptions if a not in relevant]
    assert unused == []


def test_worldviews_are_consistent(corpus):
    assert [d.message for d in semantic_diagnostics(corpus)] == []
    for w in corpus.worldviews:
        statuses(corpus, Scenario(worldview=w))    # raises if inconsistent


@settings(max_examples=25)
@given(st.data())
def test_denying_never_makes_a_positively_supported_verdict_hold(corpus, data):
    """If every minimal support of V is positive (no `not`), denying an assumption cannot make V hold."""
    eng = engine(corpus)
    v = data.draw(st.sampled_from(sorted(corpus.verdicts)))
    a = data.draw(st.sampled_from(sorted(corpus.assumptions)))
    sups, truncated = eng.supports(v, {}, limit=200)
    if truncated or any(value is False for s in sups for value in s.values()):
        return
    if eng.consistent({a: False}):
        assert statuses(corpus, Scenario(deny=[a]), nodes=[v])[v] != "holds"
