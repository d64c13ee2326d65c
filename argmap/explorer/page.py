"""Assemble the explorer page: static markup, the JSON island, the SVG, one script, one stylesheet.

Safety (RELIABILITY.md §2): map text enters the page only inside the JSON island, escaped by
:func:`json_for_html` so it can never close the ``<script>`` element, and explorer.js puts it in
the DOM with ``textContent``. A CSP meta tag allows exactly one script, by the sha256 of its bytes,
so even a slip elsewhere cannot run an inline handler or a ``javascript:`` URL. The SVG comes from
argmap.render, whose DOT escaping and svgcheck keep it inert. Same map → same bytes.
"""

from __future__ import annotations

import base64
import hashlib
import json
from importlib import resources

from argmap.language.model import ArgumentMap


def json_for_html(obj) -> str:
    """JSON that is safe inside ``<script type="application/json">`` (as Django's json_script)."""
    s = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    return (s.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
             .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _asset(name: str) -> str:
    return resources.files("argmap.explorer").joinpath(name).read_text(encoding="utf-8")


def csp(script: str) -> str:
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    return (f"default-src 'none'; script-src 'sha256-{digest}'; style-src 'unsafe-inline'; "
            "img-src data:")


SKELETON = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>argmap explorer</title>
<style>
{css}</style>
</head>
<body>
<header>
  <h1>argmap explorer: <span id="title"></span></h1>
  <span id="counts"></span>
  <label for="worldview">worldview</label>
  <select id="worldview"></select>
  <span id="modified" hidden>(toggles changed)</span>
  <button type="button" id="reset">reset</button>
  <label for="search">search</label>
  <input type="search" id="search" placeholder="id or words" autocomplete="off">
  <div id="results" hidden></div>
</header>
<div id="notes"></div>
<p id="inconsistent" hidden>These toggles are <b>inconsistent</b> with the map's conflicts: every status is "inconsistent". Change a toggle.</p>
<main>
  <section id="left" aria-label="assumptions">
    <h2 class="pane">Assumptions: true / unknown / false</h2>
    <div id="assumptions"></div>
  </section>
  <section id="center">
    <div id="breaks" hidden></div>
    <div id="matrix-wrap"><table id="matrix" aria-label="verdict matrix"></table></div>
    <div id="map-bar">
      <h2 class="pane">Map</h2>
      <button type="button" id="zoom-out" aria-label="zoom out">&minus;</button>
      <span id="zoom-level"></span>
      <button type="button" id="zoom-in" aria-label="zoom in">+</button>
      <button type="button" id="zoom-fit">fit width</button>
      <span class="muted">fill: green holds, red fails, grey open, purple inconsistent; assumptions: their toggle</span>
    </div>
    <div id="map">{svg}</div>
  </section>
  <section id="right" aria-label="details">
    <div id="details"></div>
  </section>
</main>
<script type="application/json" id="argmap-data">{data}</script>
<script>{js}</script>
</body>
</html>
"""


def build_page(amap: ArgumentMap, title: str | None = None, initial: dict | None = None,
               layout_timeout: float | None = None) -> tuple[str, dict]:
    """The page's HTML and a summary for the CLI (counts, truncation, layout engine, bytes).

    ``initial``: ``{"worldview": W or None, "fixed": {assumption: bool}}``, the toggles the page
    opens with when its URL has no fragment.
    """
    from argmap.explorer.data import explorer_data, truncation_summary
    from argmap.explorer.svg import map_svg
    from argmap.engine import budget
    from argmap.render.graphviz_run import DEFAULT_TIMEOUT, LayoutError
    data = explorer_data(amap)
    try:
        timeout = layout_timeout or DEFAULT_TIMEOUT
        if budget.active() is not None:
            # each layout attempt within what the --timeout budget has left (the lists took the rest)
            timeout = round(min(timeout, budget.active().remaining()), 1)
            if timeout < 1:
                raise LayoutError("no time was left for the layout in the --timeout budget")
        svg, names, engine = map_svg(amap, timeout)
        left_out = None
    except LayoutError as exc:
        # A map of thousands of statements has no readable whole-map drawing, and Graphviz may
        # not lay one out in time (sfdp: 2.4 s for 2,000 statements, past 20 s for 10,000 on
        # the 2-vCPU machines). Everything else on the page works without it; say so in place.
        left_out = str(exc)
        svg, names, engine = _no_diagram(len(data["nodes"]) + len(data["assumptions"]), left_out), {}, None
    data["diagram"] = names
    if title is None:
        import os.path
        title = os.path.commonpath(amap.files) if amap.files else "(empty map)"
    data["title"] = title
    data["initial"] = initial or {"worldview": None, "fixed": {}}
    js = _asset("explorer.js")
    if "</script" in js.lower():                 # would end the element early; never true for our file
        raise ValueError("explorer.js must not contain '</script'")
    html = SKELETON.format(csp=csp(js), css=_asset("explorer.css"), svg=svg, data=json_for_html(data), js=js)
    info = {"assumptions": len(amap.assumptions), "nodes": len(data["nodes"]),
            "supports": sum(len(v) for v in data["supports"].values()),
            "against": sum(len(v) for v in data["against"].values()), "nogoods": len(data["nogoods"]),
            "truncated": truncation_summary(data["truncated"]), "layout": engine, "diagram_left_out": left_out,
            "bytes": len(html.encode("utf-8"))}
    return html, info


def _no_diagram(nodes: int, reason: str) -> str:
    """What the map pane says instead of the diagram (the reason is the layout runner's own text,
    escaped all the same)."""
    from html import escape
    return (f'<p id="no-diagram">No diagram: the map\'s {nodes:,} nodes could not be laid out '
            f'({escape(reason)}). Search, the matrix, the toggles and the details work without it. '
            'To draw one part of the map: <code>argmap render --verdict V -o v.svg</code> '
            '(or <code>--proposal P</code>, <code>--what-breaks A</code>).</p>')
