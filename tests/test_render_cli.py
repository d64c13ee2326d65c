"""`argmap render` / `argmap export` from the command line: formats, exit codes, the missing-dot
path, and the bounded layout (timeout and fallback) on a graph that dot cannot lay out in time."""

from __future__ import annotations

import json
import random

import pytest
from click.testing import CliRunner

from argmap.cli import main
from argmap.cli.render import EXPORTERS
from argmap.render import graphviz_run, svgcheck

from conftest import ROOT

TINY = str(ROOT / "tests" / "fixtures" / "maps" / "tiny")


def run(*args, env=None):
    return CliRunner().invoke(main, ["--map", TINY, *args], env=env)


def test_render_svg_png_dot(tmp_path):
    for ext, magic in (("svg", b"<?xml"), ("png", b"\x89PNG"), ("dot", b"digraph argmap {")):
        out = tmp_path / f"v.{ext}"
        r = run("render", "--verdict", "plan.inner", "-o", str(out))
        assert r.exit_code == 0, r.output
        assert out.read_bytes().startswith(magic)
    assert svgcheck.problems((tmp_path / "v.svg").read_bytes()) == []


def test_render_json_summary(tmp_path):
    r = run("render", "--matrix", "--json", "-o", str(tmp_path / "m.svg"))
    assert r.exit_code == 0
    info = json.loads(r.stdout)
    assert info["format"] == "svg" and info["engine"] == "dot" and info["fallback"] is False


@pytest.mark.parametrize("args, code, words", [
    (["render", "-o", "/nonexistent/dir/x.svg"], 2, "does not exist"),
    (["render", "-o", "x.jpg"], 2, ".svg"),
    (["render", "--verdict", "nope.outer", "-o", "x.dot"], 2, "unknown verdict"),
    (["render", "--what-breaks", "nope", "-o", "x.dot"], 2, "unknown assumption"),
    (["render", "--proposal", "nope", "-o", "x.dot"], 2, "unknown proposal"),
    (["render", "--compare", "pessimist", "nope", "-o", "x.dot"], 2, "unknown worldview"),
    (["render", "--matrix", "--cruxes", "-o", "x.dot"], 2, "choose one"),
    (["render", "--verdict", "plan.inner", "-w", "nope", "-o", "x.dot"], 2, "unknown worldview"),
    (["render", "--matrix", "--assume", "obfuscation", "--assume", "model_myopic", "-o", "x.dot"], 1, "inconsistent"),
    (["export", "--format", "pdf"], 2, "json"),
    (["export", "--format", "json", "-o", "/nonexistent/dir/x.json"], 2, "does not exist"),
])
def test_bad_input_exit_codes(tmp_path, monkeypatch, args, code, words):
    monkeypatch.chdir(tmp_path)
    r = run(*args)
    assert r.exit_code == code, r.output
    assert words in r.output
    assert "Traceback" not in r.output and not list(tmp_path.iterdir())


def test_without_dot_on_path(tmp_path):
    """svg/png exit 4 with an install hint; .dot still works."""
    empty = tmp_path / "bin"
    empty.mkdir()
    env = {"PATH": str(empty)}
    r = run("render", "--verdict", "plan.inner", "-o", str(tmp_path / "v.svg"), env=env)
    assert r.exit_code == 4 and "apt-get install graphviz" in r.output
    assert not (tmp_path / "v.svg").exists()
    r = run("render", "--verdict", "plan.inner", "-o", str(tmp_path / "v.dot"), env=env)
    assert r.exit_code == 0 and (tmp_path / "v.dot").read_text().startswith("digraph")


def test_export_json_and_dot(tmp_path):
    r = run("export", "--format", "json")
    assert r.exit_code == 0
    doc = json.loads(r.stdout)
    assert doc["statuses"]["verdicts"] == {"plan.outer": "open", "plan.inner": "open",
                                           "plan.training": "open", "plan.performance": "open"}
    assert doc["statuses"]["worldviews"]["pessimist"]["plan.training"] == "open"
    assert [a["id"] for a in doc["assumptions"]] == ["overseer_honest", "tools_work", "model_myopic", "obfuscation"]
    support = doc["claims"][0]["supports"][0]      # (version 2 adds the parsed trees next to these)
    assert {k: support[k] for k in ("if", "unless")} == {"if": "overseer_honest and tools_work", "unless": "obfuscation"}
    out = tmp_path / "m.dot"
    assert run("export", "--format", "dot", "-o", str(out)).exit_code == 0
    r2 = run("render", "-o", str(tmp_path / "m2.dot"))
    assert out.read_text() == (tmp_path / "m2.dot").read_text()
    assert set(EXPORTERS) >= {"json", "dot"}


def _dense_cyclic(n: int, per_node: int, seed: int = 1) -> str:
    rnd = random.Random(seed)
    lines = ["digraph g {"]
    for i in range(n):
        for _ in range(per_node):
            lines.append(f"  n{i} -> n{rnd.randrange(n)};")
    return "\n".join(lines + ["}"]) + "\n"


def test_layout_timeout_falls_back_to_sfdp():
    """RELIABILITY.md §1.4: random cyclic 300/900 takes dot 18 s+ even with limits; sfdp ~0.2 s."""
    # 3 s: dot still times out, and sfdp has room when the machine is loaded (at 0.5 s it timed
    # out too while two suites shared two cores)
    out = graphviz_run.render(_dense_cyclic(300, 3), "svg", engine="auto", timeout=3)
    assert out.engine == "sfdp"
    assert out.attempts and "timed out" in out.attempts[0]
    assert svgcheck.problems(out.data) == []


def test_layout_timeout_without_fallback_is_exit_3():
    with pytest.raises(graphviz_run.LayoutError) as exc:
        graphviz_run.render(_dense_cyclic(300, 3), "svg", engine="dot", timeout=0.5)
    assert exc.value.exit_code == 3 and "timed out" in str(exc.value)


def test_memory_cap_failure_counts_as_failure():
    """A dot killed by its memory cap (negative rc or an error) is a failure, never output."""
    data, why = graphviz_run.run_layout(_dense_cyclic(300, 3), "svg", "dot", timeout=20, memory=30 * 1024 * 1024)
    assert data is None and why


def test_dot_retries_without_cluster_boxes_before_sfdp():
    """Graphviz 2.42's dot aborts on some clustered graphs ("lost edge") that it lays out without the
    boxes (the corpus's what-breaks diagram under hubinger2020_leanings did): dot tries the flat
    graph before falling back to sfdp, and says so."""
    from argmap.render import graphviz_run
    broken = "digraph { a -> }\n"                      # stands for a clustered graph dot cannot lay out
    out = graphviz_run.render(broken, "svg", unclustered="digraph { a -> b }\n")
    assert out.engine == "dot (without cluster boxes)"
    assert len(out.attempts) == 1 and out.attempts[0].startswith("dot")
    assert b"<svg" in out.data


def test_draw_offers_the_flat_graph_only_when_there_are_clusters():
    from argmap.render.dot import to_dot
    from argmap.render.graph import ViewGraph
    v = ViewGraph(title="t")
    v.node("a", {"label": "A"}, cluster=v.cluster("c", "C"))
    v.node("b", {"label": "B"})
    v.edge("a", "b")
    assert "subgraph cluster_" in to_dot(v) and "subgraph" not in to_dot(v, clusters=False)
    assert to_dot(v, clusters=False).count(" -> ") == 1
