"""Defence in depth after rendering: the SVG must be inert (RELIABILITY.md §1.3, rule 3).

The escaping in ``dot.py`` should make all of this impossible; this check makes sure that a bug
there, or a surprise in Graphviz, yields an error instead of an active document. It rejects
malformed XML, ``<script>``, ``<foreignObject>``, ``<image>`` (and ``<iframe>``/``<embed>``/
``<object>``), any ``on*`` attribute, and any ``href`` that is not a local ``#fragment``.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from argmap.errors import ArgmapError

FORBIDDEN = {"script", "foreignobject", "image", "iframe", "embed", "object", "use", "animate", "set",
             "handler", "listener"}


class UnsafeSvgError(ArgmapError):
    """The rendered SVG failed the safety check; nothing is written."""

    exit_code = 3


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1].lower()


def problems(svg: bytes | str) -> list[str]:
    """Everything unsafe in ``svg`` (empty list: safe). Parsing never resolves external entities."""
    if isinstance(svg, str):
        svg = svg.encode("utf-8")
    if b"<!ENTITY" in svg:
        return ["the SVG declares an entity"]
    try:
        root = ET.fromstring(svg)
    except ET.ParseError as exc:
        return [f"the SVG is not well-formed XML: {exc}"]
    found = []
    for el in root.iter():
        tag = _local(el.tag) if isinstance(el.tag, str) else ""
        if tag in FORBIDDEN:
            found.append(f"<{tag}> element")
        for key, value in el.attrib.items():
            name = _local(key)
            if name.startswith("on"):
                found.append(f"`{name}` attribute on <{tag}>")
            elif name in ("href", "src") and not value.startswith("#"):
                found.append(f"external `{name}` on <{tag}>: {value[:60]!r}")
    return found


def check_svg(svg: bytes | str) -> None:
    found = problems(svg)
    if found:
        raise UnsafeSvgError("the rendered SVG failed the safety check: " + "; ".join(found[:5]))
