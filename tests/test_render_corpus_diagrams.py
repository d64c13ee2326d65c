"""The corpus diagrams of issue 12, read back from the SVG that `argmap render` writes: crux rank is
layout order, the compare diagram draws exactly `argmap crux`'s cruxes, what-breaks styles breaks,
loses and weakens apart and draws only affected verdicts; PDF output works."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest
from click.testing import CliRunner

import argmap
from argmap.analysis.queries import Scenario
from argmap.cli import main
from argmap.cli.render import build_view

from conftest import ROOT

CLAIMS = str(ROOT / "claims")
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def corpus():
    return argmap.load(CLAIMS)


def _render(tmp_path, *args) -> bytes:
    out = tmp_path / "d.svg"
    r = CliRunner().invoke(main, ["--map", CLAIMS, "render", *args, "-o", str(out)])
    assert r.exit_code == 0, r.output
    return out.read_bytes()


def _svg(svg: bytes):
    """(node id → (top y, text lines), edges as (src, dst, texts, attrs of the first path))."""
    root = ET.fromstring(svg)
    nodes, edges = {}, []
    for g in root.iter(f"{SVG}g"):
        title = g.find(f"{SVG}title").text if g.find(f"{SVG}title") is not None else ""
        texts = [t for t in g.iter(f"{SVG}text")]
        if g.get("class") == "node":
            nodes[title] = (min(float(t.get("y")) for t in texts) if texts else 0.0, [t.text or "" for t in texts])
        elif g.get("class") == "edge":
            src, dst = title.split("->")
            path = next(g.iter(f"{SVG}path"), None)     # (inside an <a> when the edge has a tooltip)
            edges.append((src, dst, [t.text for t in texts], dict(path.attrib) if path is not None else {}))
    return nodes, edges


def _ids(view) -> dict[str, str]:
    return {f"n{i}": n.key for i, n in enumerate(view.nodes)}


def test_cruxes_are_drawn_in_rank_order_with_rank_first(tmp_path, corpus):
    """Issue 12: the SVG's vertical order was #4, #1, #10, #2, ... and every edge said "breaks"."""
    svg = _render(tmp_path, "--cruxes", "--top", "10")
    nodes, edges = _svg(svg)
    ranked = {}
    for nid, (y, lines) in nodes.items():
        m = re.match(r"#(\d+)\s", lines[0]) if lines else None
        if m:
            ranked[int(m.group(1))] = y
    assert sorted(ranked) == list(range(1, 11))
    ys = [ranked[k] for k in sorted(ranked)]
    assert ys == sorted(ys) and len(set(ys)) == len(ys), ys      # #1 on top, then #2, ...
    assert edges and not any(texts for _, _, texts, _ in edges)  # no edge repeats "breaks"
    # every crux → verdict link of `argmap cruxes` is an edge
    view = build_view(corpus, Scenario(), cruxes=True, top=10)
    key = _ids(view)
    drawn = {(key[s], key[d]) for s, d, _, a in edges if a.get("stroke") != "transparent"}
    from argmap.analysis.queries import cruxes
    top = [c for c in cruxes(corpus).cruxes if c.breaks or c.loses or c.weakens][:10]
    want = {(c.assumption, v) for c in top for v in c.breaks + c.loses + c.weakens}
    assert want <= drawn


@pytest.mark.parametrize("pair", [("greenblatt2026_leanings", "control_style_reader"),
                                  ("hubinger2020_leanings", "greenblatt2026_leanings")])
def test_compare_draws_exactly_the_cruxes_of_argmap_crux(tmp_path, corpus, pair):
    """Issue 12: `crux` said denying conceptual_work_easier_to_verify alone flips
    approval_amp_rat.training, yet the compare diagram drew no edge and dimmed the assumption."""
    r = CliRunner().invoke(main, ["--map", CLAIMS, "crux", *pair, "--json"])
    assert r.exit_code == 0, r.output
    result = json.loads(r.output)
    single = {(c[0], v["verdict"]) for v in result["verdicts"] for c in v["cruxes"] if len(c) == 1}
    joint = {(a, v["verdict"]) for v in result["verdicts"] for c in v["cruxes"] if len(c) > 1 for a in c} - single
    svg = _render(tmp_path, "--compare", *pair)
    nodes, edges = _svg(svg)
    key = _ids(build_view(corpus, Scenario(), compare=pair))
    from argmap.render.view import COMPARE_EDGES
    drawn = {}
    for s, d, _, a in edges:
        if not key[s].startswith("legend:"):
            drawn[(key[s], key[d])] = a.get("stroke")
    assert {e for e, c in drawn.items() if c == COMPARE_EDGES["decides"]["color"]} == single
    assert {e for e, c in drawn.items() if c == COMPARE_EDGES["jointly"]["color"]} == joint
    assert set(drawn) == single | joint
    assert single, "the comparison must draw at least one decisive crux, or the test above is vacuous"


def test_what_breaks_myopia_styles_breaks_apart_and_stays_small(tmp_path, corpus):
    """Issue 12: a 6388×5264 px red hairball; weakening drawn like breaking."""
    from argmap.analysis.queries import what_breaks
    from argmap.render.view import BREAK_STYLES
    w = "hubinger2020_leanings"
    wb = what_breaks(corpus, "myopia_verification", w)
    assert wb.breaks and wb.weakens                     # the corpus fact the test relies on
    svg = _render(tmp_path, "--what-breaks", "myopia_verification", "-w", w)
    nodes, edges = _svg(svg)
    key = _ids(build_view(corpus, Scenario(worldview=w), what_breaks="myopia_verification"))
    shown = {key[n] for n in nodes if key[n] in corpus.verdicts}
    assert shown == set(wb.breaks + wb.loses + wb.weakens)          # only the affected verdicts
    into = {}
    for s, d, _, a in edges:
        into.setdefault(key[d], []).append(a)
    for v in wb.breaks:
        assert any(a.get("stroke") == BREAK_STYLES["breaks"]["color"] for a in into[v])
    for v in wb.weakens:
        assert all(a.get("stroke") == BREAK_STYLES["weakens"]["color"] and "stroke-dasharray" in a for a in into[v])
    width, height = (float(x) for x in re.search(rb'viewBox="0\.00 0\.00 ([\d.]+) ([\d.]+)"', svg).groups())
    assert width * height < 6388 * 5264 / 2


def test_pdf_output(tmp_path):
    out = tmp_path / "v.pdf"
    r = CliRunner().invoke(main, ["--map", CLAIMS, "render", "--verdict", "imitative_amp_rat.inner", "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert out.read_bytes().startswith(b"%PDF-")


def test_the_legend_stays_small(tmp_path):
    """Issue 12: the legend took over half the height of a verdict diagram (one column of samples)."""
    svg = _render(tmp_path, "--verdict", "imitative_amp_rat.inner")
    root = ET.fromstring(svg)
    height = float(root.get("height").removesuffix("pt"))
    for g in root.iter(f"{SVG}g"):
        if g.get("class") == "cluster" and any((t.text or "") == "Legend" for t in g.iter(f"{SVG}text")):
            shape = next(g.iter(f"{SVG}path"), None)
            if shape is None:                     # (an Element without children is falsy: no `or`)
                shape = next(g.iter(f"{SVG}polygon"))
            ys = [float(y) for y in re.findall(r"[-\d.]+,([-\d.]+)", shape.get("d") or shape.get("points"))]
            assert (max(ys) - min(ys)) / height < 0.35
            break
    else:
        raise AssertionError("no legend")
