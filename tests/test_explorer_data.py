"""The explorer's data without a browser: BDD statuses and minimal supports against the brute-force
oracle and the engine, the page's escaping, CSP hash and determinism, and the CLI entry."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import argmap
from argmap.explorer.labels import Labels
from argmap.explorer.page import build_page, json_for_html
from argmap.queries import engine

from oracle import Oracle
from test_engine_oracle import load_small, small_maps

ROOT = Path(__file__).resolve().parent.parent
TINY = ROOT / "tests" / "fixtures" / "maps" / "tiny"


@settings(max_examples=120)
@given(small_maps(), st.data())
def test_bdd_statuses_and_supports_match_oracle(m, data):
    amap = load_small(m)
    oracle, labels = Oracle(m), Labels(amap)
    fixed = data.draw(st.dictionaries(st.sampled_from(m.assumptions), st.booleans(), max_size=len(m.assumptions)))
    for node in oracle.nodes:
        assert labels.status(node, fixed) == oracle.status(node, fixed), (m.text(), node, fixed)
    if not oracle.models({}):
        return                                        # an inconsistent map has no supports to compare
    for node in oracle.nodes:
        for value in (True, False):
            got, truncated = labels.supports(node, value)
            assert not truncated
            assert got == oracle.supports(node, {}, value), (m.text(), node, value)


@settings(max_examples=40)
@given(small_maps())
def test_bdd_supports_match_engine(m):
    amap = load_small(m)
    eng = engine(amap)
    if not eng.consistent({}):
        return
    labels = Labels(amap)
    for node in list(m.claims) + list(m.verdicts):
        for value in (True, False):
            assert labels.supports(node, value)[0] == eng.supports(node, {}, value=value)[0]


def test_supports_limit_is_reported():
    amap, _ = argmap.read_map(str(TINY))
    found, truncated = Labels(amap).supports("deception_caught", True, limit=1)
    assert (found, truncated) == ([], True)


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
