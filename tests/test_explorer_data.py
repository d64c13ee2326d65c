"""The explorer's data without a browser: the embedded supports and nogoods against the engine and the
brute-force oracle, a Python twin of the page's status and what-breaks rules against the oracle and
queries (small maps and the corpus), the page's escaping, CSP hash and determinism, and the CLI entry."""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
import random
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import argmap
from argmap.language.diagnostics import InconsistentError
from argmap.explorer.data import SUPPORT_LIMIT, explorer_data
from argmap.explorer.page import build_page, json_for_html
from argmap.analysis.queries import engine, statuses, what_breaks

from conftest import engine_statuses, toggle_scenario
from oracle import Oracle, SmallMap
from test_engine_oracle import load_small, small_maps

ROOT = Path(__file__).resolve().parent.parent
TINY = ROOT / "tests" / "fixtures" / "maps" / "tiny"


# ---- a Python twin of explorer.js's status and what-breaks rules, on the embedded data only ------
def _vector(data: dict, fixed: dict[str, bool]) -> dict[int, bool]:
    index = {a["id"]: i + 1 for i, a in enumerate(data["assumptions"])}
    return {index[a]: v for a, v in fixed.items()}


def _within(lits, t: dict[int, bool]) -> bool:
    return all(t.get(abs(l)) is (l > 0) for l in lits)


def _consistent(data: dict, t: dict[int, bool]) -> bool:
    return not any(_within(ng, t) for ng in data["nogoods"])


def twin_status(data: dict, node: str, t: dict[int, bool]) -> str:
    """explorer.js ``status``: nogood ⊆ T → inconsistent; support ⊆ T → holds; against ⊆ T → fails."""
    if not _consistent(data, t):
        return "inconsistent"
    if any(_within(s, t) for s in data["supports"][node]):
        return "holds"
    if any(_within(s, t) for s in data["against"][node]):
        return "fails"
    return "open"


def twin_what_breaks(data: dict, a: str, t: dict[int, bool], nodes: list[str]) -> dict:
    """explorer.js ``whatBreaks`` (weakens from the embedded supports, under the partial T)."""
    x = [d["id"] for d in data["assumptions"]].index(a) + 1
    after = {**t, x: False}
    if t.get(x) is True or not _consistent(data, after):
        return {"forced": True, "breaks": [], "loses": [], "weakens": [], "unaffected": list(nodes)}
    out = {"forced": False, "breaks": [], "loses": [], "weakens": [], "unaffected": []}
    for n in nodes:
        b, f = twin_status(data, n, t), twin_status(data, n, after)
        if b != "fails" and f == "fails":
            out["breaks"].append(n)
        elif b == "holds" and f != "holds":
            out["loses"].append(n)
        elif b == "open" and x not in t and _uses_under(data, n, t, x):
            out["weakens"].append(n)
        else:
            out["unaffected"].append(n)
    return out


def _uses_under(data: dict, node: str, t: dict[int, bool], x: int) -> bool:
    cands = []
    for p in data["supports"][node]:
        if any(abs(l) in t and t[abs(l)] is not (l > 0) for l in p):
            continue
        joined = {**t, **{abs(l): l > 0 for l in p}}
        if _consistent(data, joined):
            cands.append(frozenset(l for l in p if abs(l) not in t))
    return any(x in s and not any(o < s for o in cands) for s in cands)


def _signed(data: dict, sets: list[dict[str, bool]]) -> list[list[int]]:
    index = {a["id"]: i + 1 for i, a in enumerate(data["assumptions"])}
    return [sorted((index[a] if v else -index[a] for a, v in s.items()), key=abs) for s in sets]


@settings(max_examples=120, deadline=None)
@given(small_maps(), st.data())
def test_embedded_data_decides_statuses_and_what_breaks_like_the_oracle_and_queries(m, data):
    amap = load_small(m)
    oracle, page = Oracle(m), explorer_data(amap)
    eng = engine(amap)
    assert page["truncated"] == {"supports": [], "against": [], "nogoods": False}
    if oracle.models({}):
        for node in oracle.nodes:                     # embedded = the engine's = the oracle's supports
            for key, value in (("supports", True), ("against", False)):
                want = oracle.supports(node, {}, value)
                assert page[key][node] == _signed(page, eng.supports(node, {}, value=value)[0]) \
                    == _signed(page, want), (m.text(), node, key)
    assert page["nogoods"] == _signed(page, eng.nogoods()[0]) == _signed(page, oracle.nogoods()), m.text()
    fixed = data.draw(st.dictionaries(st.sampled_from(m.assumptions), st.booleans(), max_size=len(m.assumptions)))
    t = _vector(page, fixed)
    for node in oracle.nodes:
        assert twin_status(page, node, t) == oracle.status(node, fixed), (m.text(), node, fixed)
    if not oracle.models(fixed):
        return
    scenario = toggle_scenario(fixed)
    assert {n: twin_status(page, n, t) for n in oracle.nodes} == statuses(amap, scenario, nodes=oracle.nodes)
    for a in m.assumptions:
        want = what_breaks(amap, a, assume=scenario.assume, deny=scenario.deny, nodes=oracle.nodes)
        assert twin_what_breaks(page, a, t, oracle.nodes) == \
            {k: getattr(want, k) for k in ("forced", "breaks", "loses", "weakens", "unaffected")}, (m.text(), a, fixed)


def _all_partial(names: list[str]):
    for choice in itertools.product([None, True, False], repeat=len(names)):
        yield {a: v for a, v in zip(names, choice) if v is not None}


def test_tiny_twin_equals_queries_on_every_toggle_state():
    """All 81 states of the tiny map; e.g. under `obfuscation` true, `model_myopic` is in an embedded
    support of plan.training but in no support under the toggles (the conflict rules it out), so a
    weakens rule that skipped the nogood check would differ from queries here."""
    amap, _ = argmap.read_map(str(TINY))
    page = explorer_data(amap)
    ids = list(amap.claims) + list(amap.verdicts)
    kinds = set()
    for fixed in _all_partial(list(amap.assumptions)):
        t = _vector(page, fixed)
        scenario = toggle_scenario(fixed)
        try:
            want = statuses(amap, scenario, nodes=ids)
        except InconsistentError:
            assert {twin_status(page, n, t) for n in ids} == {"inconsistent"}
            continue
        assert {n: twin_status(page, n, t) for n in ids} == want, fixed
        for a in amap.assumptions:
            got = twin_what_breaks(page, a, t, ids)
            wb = what_breaks(amap, a, assume=scenario.assume, deny=scenario.deny, nodes=ids)
            assert got == {k: getattr(wb, k) for k in got}, (a, fixed)
            kinds |= {k for k in ("forced", "breaks", "loses", "weakens") if got[k]}
    assert kinds == {"forced", "breaks", "weakens"}          # (no tiny state loses a "holds")


def test_twin_weakens_keeps_only_minimal_supports_under_the_toggles():
    """p.outer = (c and x) or (c and not y): under `not y` its only minimal support is {c}, so the
    embedded support {c, x} no longer makes x "weaken" it (a rule without the minimality step would)."""
    m = SmallMap(["x", "y", "c"], verdicts={"p.outer": [("c and x", None), ("c and not y", None)]})
    amap = load_small(m)
    page = explorer_data(amap)
    for fixed in _all_partial(m.assumptions):
        for a in m.assumptions:
            wb = what_breaks(amap, a, assume=[k for k, v in fixed.items() if v],
                             deny=[k for k, v in fixed.items() if not v])
            got = twin_what_breaks(page, a, _vector(page, fixed), ["p.outer"])
            assert got == {k: getattr(wb, k) for k in got}, (a, fixed)
    assert twin_what_breaks(page, "x", _vector(page, {}), ["p.outer"])["weakens"] == ["p.outer"]
    assert twin_what_breaks(page, "x", _vector(page, {"y": False}), ["p.outer"])["weakens"] == []


@pytest.fixture(scope="module")
def corpus_data():
    amap, diags = argmap.read_map(str(ROOT / "claims"))
    if any(d.severity == "error" for d in diags):
        pytest.skip("claims/ does not load right now")
    return amap, explorer_data(amap)


def test_corpus_embedded_supports_are_the_engines(corpus_data):
    amap, page = corpus_data
    eng = engine(amap)
    assert page["truncated"] == {"supports": [], "against": [], "nogoods": False}
    assert set(page["supports"]) == set(page["against"]) == set(amap.claims) | set(amap.verdicts)
    for node in page["supports"]:
        for key, value in (("supports", True), ("against", False)):
            assert page[key][node] == _signed(page, eng.supports(node, {}, limit=SUPPORT_LIMIT, value=value)[0])
    assert page["nogoods"] == _signed(page, eng.nogoods()[0]) and page["nogoods"]


def test_corpus_twin_statuses_equal_queries_on_random_toggles(corpus_data):
    amap, page = corpus_data
    ids = list(amap.claims) + list(amap.verdicts)
    assumptions = list(amap.assumptions)
    rng = random.Random(7)
    states = [{}] + [w.fixed() for w in amap.worldviews.values()]
    states += [{a: rng.random() < 0.5 for a in rng.sample(assumptions, rng.choice([2, 6, 15, 40, 68]))}
               for _ in range(80)]
    seen = set()
    for fixed in states:
        got = {n: twin_status(page, n, _vector(page, fixed)) for n in ids}
        want = engine_statuses(amap, fixed, ids)
        assert got == want, fixed
        seen |= set(want.values())
    assert seen == {"holds", "fails", "open", "inconsistent"}


def test_supports_limit_is_reported(tmp_path):
    amap, _ = argmap.read_map(str(TINY))
    page = explorer_data(amap, limit=1)
    assert "deception_caught" in page["truncated"]["supports"] and len(page["supports"]["deception_caught"]) == 1
    assert page["truncated"]["nogoods"] is False            # the tiny map has one nogood
    assert build_page(amap)[1]["truncated"] == []


def test_json_for_html_cannot_close_the_script_element():
    hostile = "</script><script>window.__pwned=1</script><!-- \u2028\u2029 & >"
    s = json_for_html({"t": hostile})
    assert "<" not in s and ">" not in s and "&" not in s and "\u2028" not in s and "\u2029" not in s
    assert json.loads(s) == {"t": hostile}


@pytest.fixture(scope="module")
def tiny_page():
    amap, _ = argmap.read_map(str(TINY))
    return build_page(amap)


def test_page_has_one_script_whose_hash_is_in_the_csp(tiny_page):
    html, _ = tiny_page
    scripts = re.findall(r"<script>(.*?)</script>", html, flags=re.S)
    assert len(scripts) == 1
    digest = base64.b64encode(hashlib.sha256(scripts[0].encode("utf-8")).digest()).decode()
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', html).group(1)
    assert csp == f"default-src 'none'; script-src 'sha256-{digest}'; style-src 'unsafe-inline'; img-src data:"
    assert len(re.findall(r"<script\b", html)) == 2           # the code and the JSON island
    assert html.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in html[:200]
    assert not re.search(r"""(src|href)=["'](https?:|//)""", html), "no external resources"
    assert "<?xml" not in html and "<!DOCTYPE svg" not in html


def test_page_is_deterministic(tiny_page):
    amap, _ = argmap.read_map(str(TINY))
    assert build_page(amap)[0] == tiny_page[0]


def test_export_html_cli(tmp_path):
    out = tmp_path / "explorer.html"
    proc = subprocess.run([sys.executable, "-m", "argmap", "--map", str(TINY), "export", "--format", "html",
                           "-o", str(out), "--worldview", "pessimist"], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert "explorer: 4 assumptions" in proc.stderr and f"wrote {out}" in proc.stderr
    html = out.read_text(encoding="utf-8")
    data = json.loads(re.search(r'<script type="application/json" id="argmap-data">(.*?)</script>', html,
                                flags=re.S).group(1))
    assert data["initial"] == {"worldview": "pessimist", "fixed": {"tools_work": False}}
    assert set(data["nodes"]) == {"deception_caught", "plan.outer", "plan.inner", "plan.training", "plan.performance"}


def test_truncation_is_a_note_on_stderr_and_a_warning_on_the_page(tmp_path, monkeypatch):
    from click.testing import CliRunner

    import argmap.explorer.data as data_module
    from argmap.cli import main
    monkeypatch.setattr(data_module, "SUPPORT_LIMIT", 1)
    out = tmp_path / "cut.html"
    res = CliRunner().invoke(main, ["--map", str(TINY), "export", "--format", "html", "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert "note: minimal supports cut at the limit" in res.stderr and "deception_caught" in res.stderr
    html = out.read_text(encoding="utf-8")
    data = json.loads(re.search(r'id="argmap-data">(.*?)</script>', html, flags=re.S).group(1))
    assert "deception_caught" in data["truncated"]["supports"] and data["support_limit"] == 1


def test_a_failed_layout_is_a_warning_and_a_page_without_diagram(tmp_path, monkeypatch):
    """Graphviz cannot lay out the map in time: exit 0, a page without the diagram, and a warning
    saying why and how to draw a part of the map (it used to be exit 3 and no page)."""
    from click.testing import CliRunner

    import argmap.explorer.svg as svg_module
    from argmap.cli import main
    from argmap.render.graphviz_run import LayoutError

    def fail(amap, timeout=None):
        raise LayoutError("the layout failed: sfdp: timed out after 20 s [20.1 s]")
    monkeypatch.setattr(svg_module, "map_svg", fail)
    out = tmp_path / "big.html"
    res = CliRunner().invoke(main, ["--map", str(TINY), "export", "--format", "html", "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert "no diagram, " in res.stderr and "map laid out with" not in res.stderr
    assert "warning: the page has no diagram: the layout failed: sfdp: timed out after 20 s" in res.stderr
    assert "argmap render --verdict V" in res.stderr
    html = out.read_text(encoding="utf-8")
    assert 'id="no-diagram"' in html and "<svg" not in html
    data = json.loads(re.search(r'id="argmap-data">(.*?)</script>', html, flags=re.S).group(1))
    assert data["diagram"] == {} and set(data["nodes"]) >= {"plan.outer", "deception_caught"}


def test_export_help_lists_every_format_of_the_table():
    from argmap.cli.render import EXPORTERS
    proc = subprocess.run([sys.executable, "-m", "argmap", "export", "--help"], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    listed = re.findall(r"^  (\w+)  ", proc.stdout.split("Formats:")[1], flags=re.M)
    assert listed == sorted(EXPORTERS) and "html" in listed, proc.stdout


def test_export_html_unknown_assumption_is_a_usage_error(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "argmap", "--map", str(TINY), "export", "--format", "html",
                           "-o", str(tmp_path / "x.html"), "--assume", "nope"], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 2 and "unknown assumption" in proc.stderr
    assert not (tmp_path / "x.html").exists()


@pytest.mark.skipif(shutil.which("dot") is None, reason="needs Graphviz")
def test_corpus_page_is_small_and_complete():
    amap, diags = argmap.read_map(str(ROOT / "claims"))
    if any(d.severity == "error" for d in diags):
        pytest.skip("claims/ does not load right now")
    html, info = build_page(amap)
    assert info["bytes"] < 2_000_000
    assert info["truncated"] == []
    assert info["nodes"] == len(amap.claims) + len(amap.verdicts)


# ---- the details pane's lists under the toggles (explorer.js ``under``), as a twin ---------------
def twin_under(data: dict, sets: list[list[int]], t: dict[int, bool]) -> list[frozenset[int]]:
    """Minimal P \\ T over the embedded sets P with no literal contradicting T and P ∪ T consistent."""
    cands = []
    for p in sets:
        if any(abs(l) in t and t[abs(l)] is not (l > 0) for l in p):
            continue
        if _consistent(data, {**t, **{abs(l): l > 0 for l in p}}):
            cands.append(frozenset(l for l in p if abs(l) not in t))
    return sorted({s for s in cands if not any(o < s for o in cands)}, key=sorted)


@settings(max_examples=80, deadline=None)
@given(small_maps(max_conflicts=2), st.data())
def test_pane_rule_gives_the_supports_and_cut_sets_under_the_toggles(m, data):
    """The rule the details pane uses is exact: on random maps and toggles, the filtered embedded
    lists equal the oracle's minimal supports and cut sets under the toggles."""
    amap = load_small(m)
    oracle, page = Oracle(m), explorer_data(amap)
    fixed = data.draw(st.dictionaries(st.sampled_from(m.assumptions), st.booleans(), max_size=len(m.assumptions)))
    if not oracle.models(fixed):
        return
    t = _vector(page, fixed)
    for node in oracle.nodes:
        for key, want in (("supports", oracle.supports(node, fixed)), ("against", oracle.cuts(node, fixed))):
            got = twin_under(page, page[key][node], t)
            assert got == sorted({frozenset(x) for x in _signed(page, want)}, key=sorted), (m.text(), node, key, fixed)


def test_pane_rule_drops_a_support_that_the_toggles_make_inconsistent():
    """`a` supports p.outer, but with b toggled true the conflict forbids a: no support is left,
    and the only cut set is the empty one (p.outer fails)."""
    m = SmallMap(["a0", "a1"], verdicts={"p.outer": [("a0", None)]}, conflicts=["(a0 and a1)"],
                 worldviews={"w": {}})
    amap = load_small(m)
    page = explorer_data(amap)
    t = _vector(page, {"a1": True})
    assert page["supports"]["p.outer"] == [[1]]
    assert twin_under(page, page["supports"]["p.outer"], t) == [] == Oracle(m).supports("p.outer", {"a1": True})
    assert twin_under(page, page["against"]["p.outer"], t) == [frozenset()]
