"""Claim texts can never change a diagram's structure or make its SVG active (RELIABILITY.md §1, §9 A).

Hostile texts go through the real pipeline (view → DOT → `dot -Tsvg` → SVG check); the visible text
must equal the input after the documented normalisation, and no node or attribute may be injected.
"""

from __future__ import annotations

import re
import shutil

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from argmap.analysis.queries import Scenario
from argmap.render import graphviz_run, svgcheck
from argmap.render.dot import TEXT_ATTRS, dot_text, normalise, to_dot
from argmap.render.view import ViewGraph, map_view

from render_helpers import map_of_texts, squash, svg_nodes

HOSTILE = [
    'He said "hi"', '"', 'a\\b', 'a\\"b', 'ends with\\', 'node \\N graph \\G', 'left\\lright\\r', 'line1\nline2',
    'line1\r\nline2', 'cont\\\nued', '"]; evil [label="pwned" color=red]; x [label="', ']; evil [label=pwned]; x [',
    '<b>bold</b>', '<a>]; evil [label="pwned" URL="javascript:alert(1)"]; x [label=<b>',
    '<<TABLE HREF="javascript:alert(1)"><TR><TD>x</TD></TR></TABLE>>',
    '<<TABLE><TR><TD><IMG SRC="/etc/passwd"/></TD></TR></TABLE>>',
    '<b>oops', '<x> & <y>', '<script>alert(1)</script>', '</script><script>window.__pwned=1</script>',
    '<img src=x onerror="window.__pwned=1">', '<svg onload="window.__pwned=1"></svg>', '<!--<script>x</script>',
    '--><script>alert(1)</script><!--', '&lt;script&gt; &amp; &#60;', 'Ünïcödé → 中文 😀 עברית', 'abc\u202edcba',
    'before\x00after', 'bell\x07 esc\x1b[31m', '\ufffe', '\uffff', 'node', 'Subgraph', '', '}{ digraph x { a -> b } {',
    'A' * 100_000, 'lorem ipsum ' * 90_000, 'a\u2028b\u2029c', 'bad\ud800',
]


def test_dot_is_installed():
    """The safety tests below need the real `dot`; a missing install must fail, not skip."""
    assert shutil.which("dot"), "Graphviz is required for the render tests: apt-get install graphviz"


def _visible_body(lines: list[str]) -> str:
    return squash("".join(lines[:-1]))          # the last line is the id/annotation line


def _expect_shown(text: str, shown: str) -> None:
    want = squash(normalise(text))
    if shown.endswith("\u2026") and shown != want:        # cut to the label size
        assert want.startswith(shown[:-1]) and len(shown) > 1, (text[:80], shown[:80])
    else:
        assert shown == want, (text[:80], shown[:80])


def test_hostile_corpus_through_real_dot():
    amap = map_of_texts(HOSTILE)
    view = map_view(amap, Scenario())
    src = to_dot(view)
    svg = graphviz_run.render(src, "svg", engine="dot").data
    assert svgcheck.problems(svg) == []
    nodes = svg_nodes(svg)
    ids = {n.key: f"n{i}" for i, n in enumerate(view.nodes)}
    visible = {ids[n.key] for n in view.nodes if "invis" not in n.attrs.get("style", "")}
    assert set(nodes) == visible                             # nothing injected, nothing lost
    for i, text in enumerate(HOSTILE):
        lines = nodes[ids[f"a{i}"]]
        assert lines[-1] == f"[a{i}]"                        # the id line is intact
        _expect_shown(text, _visible_body(lines))
    # no attribute of the DOT source outside label/tooltip/xlabel carries user text
    for m in re.finditer(r'(\w+)="((?:[^"\\]|\\.)*)"', src):
        key, value = m.groups()
        if key not in TEXT_ATTRS:
            assert re.fullmatch(r"[A-Za-z0-9_.,:#% -]*", value), (key, value)
    outside_strings = re.sub(r'"(?:[^"\\]|\\.)*"', '""', src)
    assert "URL" not in outside_strings and "href" not in outside_strings.lower()
    assert "evil" not in outside_strings and "<" not in outside_strings


def test_label_and_tooltip_pair():
    """§9 A's pair: a label ending in a backslash must not swallow the quote before a hostile tooltip."""
    view = ViewGraph(title="t")
    view.node("x", {"label": "claim text\\", "tooltip": ']; evil [label=pwned URL=<javascript:alert(1)>]; z [label=x] #'})
    svg = graphviz_run.render(to_dot(view), "svg", engine="dot").data
    assert svgcheck.problems(svg) == []
    nodes = svg_nodes(svg)
    assert list(nodes) == ["n0"] and nodes["n0"] == ["claim text\\"]
    assert b"javascript:alert(1)" not in svg.replace(b'xlink:title="', b"") or b"href" not in svg


@settings(max_examples=25, deadline=None)
@given(st.text(max_size=300))
def test_any_text_renders_as_itself(text):
    view = ViewGraph(title="property")
    view.node("x", {"label": text + "\n[x]", "tooltip": text})
    view.node("y", {"label": "other"})
    view.edge("x", "y")
    svg = graphviz_run.render(to_dot(view), "svg", engine="dot").data
    assert svgcheck.problems(svg) == []
    nodes = svg_nodes(svg)
    assert sorted(nodes) == ["n0", "n1"] and nodes["n1"] == ["other"]
    assert squash("".join(nodes["n0"])) == squash(normalise(text) + "[x]")


def test_dot_text_is_one_quoted_string():
    for text in HOSTILE:
        q = dot_text(text)
        assert q.startswith('"') and q.endswith('"') and not q.startswith("<")
        inner = q[1:-1]
        # every quote inside is escaped, and no raw line break survives
        assert not re.search(r'(?<!\\)(?:\\\\)*"', inner)
        assert "\n" not in inner and "\r" not in inner
        assert len(q) < 16_000


@pytest.mark.parametrize("bad", [
    b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
    b"<svg xmlns='http://www.w3.org/2000/svg'><g onclick='x()'/></svg>",
    b"<svg xmlns='http://www.w3.org/2000/svg'><foreignObject/></svg>",
    b"<svg xmlns='http://www.w3.org/2000/svg'><image href='x.png'/></svg>",
    b"<svg xmlns='http://www.w3.org/2000/svg' xmlns:xlink='http://www.w3.org/1999/xlink'>"
    b"<a xlink:href='javascript:alert(1)'>x</a></svg>",
    b"<svg xmlns='http://www.w3.org/2000/svg'><a href='https://example.com'>x</a></svg>",
    b"<svg><unclosed></svg>",
    b"<!DOCTYPE x [<!ENTITY e 'boom'>]><svg>&e;</svg>",
])
def test_svg_check_rejects(bad):
    assert svgcheck.problems(bad)
    with pytest.raises(svgcheck.UnsafeSvgError):
        svgcheck.check_svg(bad)


def test_svg_check_accepts_local_links():
    ok = (b"<svg xmlns='http://www.w3.org/2000/svg' xmlns:xlink='http://www.w3.org/1999/xlink'>"
          b"<a xlink:href='#n1' xlink:title='x'><text>hi</text></a></svg>")
    assert svgcheck.problems(ok) == []


def _tooltips(svg: bytes) -> list[str]:
    import xml.etree.ElementTree as ET
    return [v for el in ET.fromstring(svg).iter() for k, v in el.attrib.items() if k.endswith("}title")]


def test_tooltip_escapes_cannot_fire():
    """Issue 15: Graphviz unescapes tooltips twice, so `\\N`, `\\G`, `\\L` used to become the node name,
    the graph name and the label in `xlink:title` (docs/rendering.md promises they show as written)."""
    text = "back\\slash \\N \\G \\L \\E \\T \\H end\\"
    view = ViewGraph(title="t")
    view.node("x", {"label": "lbl", "tooltip": text})
    view.node("y", {"label": "y"})
    view.edge("x", "y", {"tooltip": text})
    svg = graphviz_run.render(to_dot(view), "svg", engine="dot").data
    assert _tooltips(svg) == [text, text]


@settings(max_examples=25, deadline=None)
@given(st.text(alphabet=st.sampled_from('\\NGLETHnlr&;"<> a#\n'), max_size=40).filter(str.strip))
def test_any_tooltip_shows_as_itself(text):
    # (a blank tooltip is dropped by Graphviz, which then shows the label: not user text)
    view = ViewGraph(title="property")
    view.node("x", {"label": "x", "tooltip": text})
    svg = graphviz_run.render(to_dot(view), "svg", engine="dot").data
    assert svgcheck.problems(svg) == []
    assert [t.replace("\xa0", " ") for t in _tooltips(svg)] == [normalise(text)]   # (dot writes NBSP)
