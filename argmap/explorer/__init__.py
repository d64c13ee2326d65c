"""The interactive explorer: one self-contained, offline HTML page of a map (`argmap export --format html`).

``data`` turns a map into the JSON the page embeds (texts, citations, worldviews, and the
engine's minimal supports and nogoods, which decide every status), ``svg`` draws the whole-map
diagram with the renderer of ``argmap.render``, and ``page`` assembles the HTML around ``explorer.js`` / ``explorer.css`` (package data).
"""

from argmap.explorer.page import build_page

__all__ = ["build_page"]
