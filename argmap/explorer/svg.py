"""The whole-map diagram for the page: argmap.render's map view, drawn by its Graphviz runner.

The view's labels normally carry a status mark ("✔ holds") computed for one scenario; the page
recolours nodes live, so the marks are dropped here and colour is the only status signal in the
diagram. Graphviz writes a prolog (XML declaration, DOCTYPE, comments) before ``<svg``; it is cut
off so the SVG can sit inline in HTML. The SVG has passed ``svgcheck`` (no script, no foreign
object, no event attribute, no non-local href) before it is returned.
"""

from __future__ import annotations

from argmap.language.model import ArgumentMap
from argmap.words import count


def map_svg(amap: ArgumentMap, timeout: float | None = None) -> tuple[str, dict[str, str], str]:
    """(inline SVG text, {dot node name: view key}, layout engine used)."""
    from argmap.analysis.queries import Scenario
    from argmap.render.draw import draw
    from argmap.render.svgcheck import check_svg
    from argmap.render.view import OVERVIEW, map_view, node_attrs
    view = map_view(amap, Scenario())
    view.title = f"{count(amap.statement_count(), 'statement')} in {count(len(amap.files), 'file')}"
    for n in view.nodes:
        if amap.derived(n.key) is not None or n.key in amap.assumptions:
            n.attrs["label"] = node_attrs(amap, n.key, None, [], OVERVIEW)["label"]
    out = draw(view, "svg", timeout=timeout)
    check_svg(out.data)
    text = out.data.decode("utf-8")
    text = text[text.index("<svg"):]
    names = {f"n{i}": n.key for i, n in enumerate(view.nodes)}      # the naming of dot.to_dot
    return text, names, out.engine
