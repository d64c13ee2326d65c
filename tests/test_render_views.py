"""The views on the tiny map: golden DOT (any diff fails) and the properties each view promises.

Regenerate the golden files after an intended change with
``ARGMAP_REGEN_GOLDEN=1 python3 -m pytest -q -p no:cacheprovider tests/test_render_views.py``
and review the diff of tests/fixtures/render/ like code.
"""

from __future__ import annotations

import os
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import argmap
from argmap.cli.render import build_view
from argmap.analysis.queries import Scenario, what_breaks, why
from argmap.render.dot import to_dot
from argmap.render.view import load_bearing

from conftest import ROOT
from oracle import Oracle
from test_engine_oracle import load_small, small_maps

TINY = str(ROOT / "tests" / "fixtures" / "maps" / "tiny")
GOLDEN = ROOT / "tests" / "fixtures" / "render"

CASES = {
    "verdict_plan_inner": dict(verdict="plan.inner"),
    "verdict_plan_outer": dict(verdict="plan.outer"),
    "verdict_plan_training_pessimist": dict(verdict="plan.training", scenario=Scenario(worldview="pessimist")),
    "what_breaks_tools_work": dict(what_breaks="tools_work"),
    "cruxes": dict(cruxes=True),
    "matrix": dict(matrix=True),
    "matrix_pessimist": dict(matrix=True, scenario=Scenario(worldview="pessimist")),
    "compare_empty_pessimist": dict(compare=("pessimist", "pessimist")),
    "map_document": dict(),
    "map_proposal_clusters": dict(cluster="proposal"),
    "proposal_plan": dict(proposal="plan"),
}


@pytest.fixture(scope="module")
def tiny():
    # Loaded by a path relative to the repository, so that file names drawn in the diagrams (and
    # so the golden files) do not depend on where the clone lives.
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        return argmap.load(os.path.join("tests", "fixtures", "maps", "tiny"))
    finally:
        os.chdir(cwd)


def _dot(amap, case: dict) -> str:
    case = dict(case)
    scenario = case.pop("scenario", Scenario())
    return to_dot(build_view(amap, scenario, **case))


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden_dot(tiny, name):
    got = _dot(tiny, CASES[name])
    path = GOLDEN / f"tiny_{name}.dot"
    if os.environ.get("ARGMAP_REGEN_GOLDEN"):
        path.write_text(got, encoding="utf-8")
    assert path.exists(), f"missing golden file {path}; run with ARGMAP_REGEN_GOLDEN=1"
    assert got == path.read_text(encoding="utf-8"), f"{name}: DOT differs from {path.name}"


def test_deterministic_across_loads():
    a, b = argmap.load(TINY), argmap.load(TINY)
    for case in CASES.values():
        assert _dot(a, case) == _dot(b, case)


def _node_line(dot: str, needle: str) -> str:
    lines = [ln for ln in dot.splitlines() if needle in ln and " -> " not in ln]
    assert len(lines) == 1, (needle, lines)
    return lines[0]


def test_verdict_view_marks_load_bearing_by_brute_force(tiny):
    """Load-bearing = in every minimal support (checked against `why`)."""
    for v in tiny.verdicts:
        supports = why(tiny, v).supports
        common = set.intersection(*(set(s.items()) for s in supports)) if supports else set()
        assert set(load_bearing(tiny, v, {}).items()) == common, v
    dot = _dot(tiny, dict(verdict="plan.outer"))
    assert "load-bearing" in _node_line(dot, "[overseer_honest")
    assert 'fillcolor="#ffd54f"' in _node_line(dot, "[overseer_honest")


def test_verdict_view_shows_or_and_unless(tiny):
    dot = _dot(tiny, dict(verdict="plan.inner"))
    assert dot.count('label="or"') == 1              # deception_caught has two alternative supports
    assert dot.count('label="and"') == 1             # overseer_honest and tools_work unless obfuscation
    assert dot.count('label="unless"') == 1 and 'arrowhead="tee"' in dot
    unless = [ln for ln in dot.splitlines() if 'label="unless"' in ln and "->" in ln][0]
    src = unless.split()[0]
    assert "[obfuscation" in _node_line(dot, f"  {src} [")
    assert "Legend" in dot


def test_what_breaks_view_agrees_with_query(tiny):
    wb = what_breaks(tiny, "tools_work")
    dot = _dot(tiny, dict(what_breaks="tools_work"))
    for kind in ("breaks", "loses", "weakens"):
        for v in getattr(wb, kind):
            assert kind.upper() in _node_line(dot, f"[{v} ")
    assert "DENIED here" in _node_line(dot, "[tools_work")


LOSES_WORDING = re.compile(r"\bloses?\b|LOSES|\blost\b|stops? holding", re.I)


@pytest.mark.parametrize("case", [dict(what_breaks=a, scenario=Scenario(worldview=w))
                                  for a in ("tools_work", "overseer_honest", "model_myopic", "obfuscation")
                                  for w in (None, "pessimist")] + [dict(cruxes=True),
                                                                   dict(cruxes=True, scenario=Scenario(worldview="pessimist"))])
def test_diagrams_never_mention_the_always_empty_loses(tiny, case):
    """Issue 12: `loses` is always empty under completion semantics; titles said "0 lose 'holds'",
    crux labels "loses 0", the crux legend had an orange "loses" edge. Weakening may still say
    "loses some minimal supports" in prose, so only the category words are forbidden."""
    dot = _dot(tiny, case)
    visible = " ".join(re.findall(r'label="((?:[^"\\]|\\.)*)"', dot))
    assert not LOSES_WORDING.search(visible), LOSES_WORDING.search(visible)
    assert "#ef6c00" not in dot                    # (the orange of a losing path)


@pytest.mark.parametrize("n, want", [(1, "1 verdict breaks, 1 weakens"), (2, "2 verdicts break, 2 weaken")])
def test_what_breaks_title_counts_in_words(tmp_path, n, want):
    """Issue 15: "1 break, 0 lose 'holds', 9 weaken" read wrong for one verdict. With n of each,
    x's failure breaks the n verdicts `x and aI` and weakens the n verdicts `x or bI`."""
    m = "".join(f'assumption a{i}: "A{i}"\nassumption b{i}: "B{i}"\n' for i in range(n))
    m += 'assumption x: "X"\nproposal p: "P"\n'
    m += "".join(f"  {c}: x and a{i}\n" for i, c in enumerate(["outer", "inner"][:n]))
    m += "".join(f"  {c}: x or b{i}\n" for i, c in enumerate(["training", "performance"][:n]))
    (tmp_path / "m.argmap").write_text(m, encoding="utf-8")
    amap = argmap.load(str(tmp_path))
    title = build_view(amap, Scenario(), what_breaks="x").title
    assert want in title, title


@pytest.mark.parametrize("assumption", ["tools_work", "overseer_honest", "model_myopic"])
def test_what_breaks_view_styles_each_effect_and_draws_only_affected(tiny, assumption):
    """Issue 12: weakening paths were drawn in the same thick red as breaking ones, and unaffected
    verdicts of a hit proposal were drawn too."""
    from argmap.render.view import BREAK_STYLES
    wb = what_breaks(tiny, assumption)
    view = build_view(tiny, Scenario(), what_breaks=assumption)
    category = {v: k for k in ("breaks", "loses", "weakens") for v in getattr(wb, k)}
    drawn = {n.key for n in view.nodes if n.key in tiny.verdicts}
    assert drawn == set(category)
    for v, kind in category.items():
        into = [e for e in view.edges if e.dst == v]
        assert into and all(e.attrs["color"] == BREAK_STYLES[kind]["color"] for e in into), (v, kind)
        assert all(e.attrs.get("style") == ("dashed" if kind == "weakens" else None) for e in into)


def test_what_breaks_view_draws_exactly_the_paths_from_the_assumption(tmp_path, monkeypatch):
    """The view finds the nodes that depend on the failing assumption in one pass; the diagram must
    be the one it drew when it asked each node of each affected verdict's cone for its own cone
    (cubic: minutes on a wide 10k map). Checked on a generated wide map, byte for byte."""
    import sys
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import generate
    import argmap.engine.relevance as relevance
    from argmap.render.view import cone_nodes
    amap = argmap.load(str(generate.write(300, tmp_path, seed=4, shape="wide")))
    assumptions = list(amap.assumptions)[:10]
    fast = {a: _dot(amap, dict(what_breaks=a)) for a in assumptions}

    def one_by_one(eng, sources):       # (what-breaks itself calls it too: same definition)
        return {n for n in list(amap.claims) + list(amap.verdicts)
                if any(x in sources for x in cone_nodes(amap, [n]) if x != n)}
    monkeypatch.setattr(relevance, "reach", one_by_one)
    drawn = 0
    for a in assumptions:
        assert _dot(amap, dict(what_breaks=a)) == fast[a], a
        drawn += fast[a].count("->") > 10
    assert drawn >= 3           # the maps have paths to draw


def test_matrix_has_every_cell(tiny):
    dot = _dot(tiny, dict(matrix=True, scenario=Scenario(worldview="pessimist")))
    from argmap.analysis.queries import statuses
    st = statuses(tiny, Scenario(worldview="pessimist"))
    marks = {"holds": "\u2714 holds", "fails": "\u2718 fails", "open": "? open"}
    for v, s in st.items():
        assert f'label="{marks[s]}"' in _node_line(dot, f'tooltip="{v}: {s}"')
    assert "pessimist" in dot.splitlines()[1]


def test_node_ids_are_internal(tiny):
    for case in CASES.values():
        dot = _dot(tiny, case)
        for m in re.finditer(r"^\s+(\S+) (?:->|\[)", dot, re.M):
            assert re.fullmatch(r"n\d+|graph|node|edge", m.group(1)), m.group(1)


def test_compare_finds_deciding_differences():
    amap = argmap.load(str(ROOT / "tests" / "fixtures" / "maps" / "render_compare"))
    view = build_view(amap, Scenario(), compare=("w1", "w2"))
    from argmap.render.view import COMPARE_EDGES
    edges = {(e.src, e.dst) for e in view.edges
             if e.attrs.get("color") == COMPARE_EDGES["decides"]["color"] and not e.src.startswith("legend:")}
    # exactly the one-assumption cruxes of `argmap crux w1 w2` (b decides p.outer only from w2's side)
    assert edges == {("a", "p.outer"), ("a", "p.training"), ("c", "p.inner")}
    shown = {n.key for n in view.nodes if not n.key.startswith("legend:")}
    assert shown == {"a", "b", "c", "p.outer", "p.inner", "p.training"}    # p.performance agrees
    assert "w1: holds" in view.get("p.outer").attrs["label"] and "w2: fails" in view.get("p.outer").attrs["label"]


@settings(max_examples=40, deadline=None)
@given(small_maps(), st.sampled_from([None, "w"]), st.booleans())
def test_load_bearing_matches_oracle(m, worldview, exact):
    """Load-bearing = literals in every minimal support (brute force), on both code paths
    (enumeration for small cones, flipped-status candidates for big ones), up to the documented
    edge case: a literal the scenario forces together with another support."""
    amap = load_small(m)
    oracle = Oracle(m)
    fixed = m.worldviews["w"] if worldview else {}
    if not oracle.models(fixed):
        return
    for v in m.verdicts:
        if oracle.status(v, fixed) == "fails":
            continue
        sups = oracle.supports(v, fixed)
        want = set.intersection(*(set(s.items()) for s in sups)) if sups else set()
        got = set(load_bearing(amap, v, fixed, exact_up_to=100 if exact else 0).items())
        if exact:
            assert got == want, (m.text(), v)
        else:
            assert want <= got, (m.text(), v)
            for a, value in got - want:     # an extra literal still cannot be flipped without V failing
                flipped = {**fixed, a: not value}
                assert not oracle.models(flipped) or oracle.status(v, flipped) == "fails", (m.text(), v, a)
