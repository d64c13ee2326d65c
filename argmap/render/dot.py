"""View graph → DOT text. The only place user text becomes DOT, always through :func:`dot_text`.

Safety rules (RELIABILITY.md §1.3): node ids are internal (``n0``, ``n1``…); user text goes only
into ``label``, ``tooltip`` and ``xlabel`` and always through :func:`dot_text`; labels are never
HTML-like (``<...>``); every other attribute value is a constant of this package, checked by
:func:`_const` so that a bug cannot smuggle user text into ``URL``, ``style`` or ``fontname``.
Output is deterministic: nodes, edges and attributes are written in the view's order.
"""

from __future__ import annotations

import re

from argmap.render.graph import ViewGraph
from argmap.render.text import MAX_CHARS, normalise

_SAFE_CONST = re.compile(r"\A[A-Za-z0-9_.,:#% -]*\Z")


def dot_text(text: str, max_chars: int = MAX_CHARS, tooltip: bool = False) -> str:
    """THE escape function: any Python string → one quoted DOT string whose label shows ``text``.

    ``\\`` is doubled so that dot's escapes (``\\N``, ``\\G``, ``\\l``, ``\\r``) cannot fire; ``&`` becomes
    ``&amp;`` so that entities (``&lt;``) show literally; a line break becomes dot's ``\\n``; ``"``
    is escaped. The result is always a ``"..."`` string, never ``<...>``, so it cannot be an HTML label.

    ``tooltip=True``: Graphviz (2.42) unescapes a tooltip twice (``\\\\N`` in the source still
    becomes the node name, ``\\\\L`` the whole label), so there every backslash is quadrupled;
    measured: the SVG's ``xlink:title`` then equals the normalised text.
    """
    text = normalise(text, max_chars)
    slash = "\\\\\\\\" if tooltip else "\\\\"
    text = text.replace("\\", slash).replace("&", "&amp;").replace("\n", "\\n").replace('"', '\\"')
    return f'"{text}"'


def _const(value: str) -> str:
    """A quoted attribute value that this package chose (a colour, a style, a shape)."""
    if not _SAFE_CONST.match(value):
        raise ValueError(f"not a constant attribute value: {value!r}")
    return f'"{value}"'


TEXT_ATTRS = frozenset({"label", "tooltip", "xlabel"})   # the only attributes user text may reach


def _attrs(attrs: dict[str, str]) -> str:
    parts = []
    for key in sorted(attrs):
        value = attrs[key]
        text = dot_text(value, tooltip=key == "tooltip") if key in TEXT_ATTRS else _const(value)
        parts.append(f"{key}={text}")
    return "[" + " ".join(parts) + "]"


def to_dot(view: ViewGraph, clusters: bool = True) -> str:
    """The DOT source of a view graph (same view → same bytes). ``clusters=False`` draws the same
    graph without its cluster boxes (the retry when dot fails on the clustered layout)."""
    out = ["digraph argmap {"]
    out.append(f"  graph {_attrs({**view.graph_attrs, 'label': view.title})};")
    out.append(f"  node {_attrs(view.node_defaults)};")
    out.append(f"  edge {_attrs(view.edge_defaults)};")
    key_of = {n.key: f"n{i}" for i, n in enumerate(view.nodes)}
    by_cluster: dict[str | None, list] = {}
    for n in view.nodes:
        by_cluster.setdefault(n.cluster if clusters else None, []).append(n)
    for ci, (cluster, nodes) in enumerate(sorted(by_cluster.items(), key=lambda kv: (kv[0] is not None,
                                                                                  view.cluster_order(kv[0])))):
        indent = "  "
        if cluster is not None:
            out.append(f"  subgraph cluster_{ci} {{")
            out.append(f"    graph {_attrs({**view.cluster_attrs, 'label': view.clusters.get(cluster, cluster)})};")
            indent = "    "
        for n in nodes:
            out.append(f"{indent}{key_of[n.key]} {_attrs(n.attrs)};")
        if cluster is not None:
            out.append("  }")
    for rank in view.same_rank:
        ids = " ".join(key_of[k] for k in rank if k in key_of)
        if ids:
            out.append(f"  {{ rank=same; {ids} }}")
    for e in view.edges:
        out.append(f"  {key_of[e.src]} -> {key_of[e.dst]} {_attrs(e.attrs)};")
    out.append("}")
    return "\n".join(out) + "\n"
