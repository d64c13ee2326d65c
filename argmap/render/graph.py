"""The view graph: what a diagram shows (nodes, edges, clusters, attributes) as plain data.

``view.py`` builds it from a map and a question; ``dot.py`` writes it out as DOT.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class VNode:
    key: str
    attrs: dict[str, str]
    cluster: str | None = None


@dataclass
class VEdge:
    src: str
    dst: str
    attrs: dict[str, str]


@dataclass
class ViewGraph:
    title: str
    nodes: list[VNode] = field(default_factory=list)
    edges: list[VEdge] = field(default_factory=list)
    clusters: dict[str, str] = field(default_factory=dict)       # cluster key → label, in order
    same_rank: list[list[str]] = field(default_factory=list)
    graph_attrs: dict[str, str] = field(default_factory=lambda: {
        "rankdir": "LR", "fontname": "Helvetica", "fontsize": "16", "labelloc": "t",
        "nodesep": "0.25", "ranksep": "0.5", "newrank": "true"})
    node_defaults: dict[str, str] = field(default_factory=lambda: {"fontname": "Helvetica", "fontsize": "11"})
    edge_defaults: dict[str, str] = field(default_factory=lambda: {"fontname": "Helvetica", "fontsize": "9"})
    cluster_attrs: dict[str, str] = field(default_factory=lambda: {
        "style": "rounded", "color": "#90a4ae", "fontname": "Helvetica", "fontsize": "12"})
    _index: dict[str, VNode] = field(default_factory=dict, repr=False)

    def node(self, key: str, attrs: dict[str, str], cluster: str | None = None) -> VNode:
        """Add a node once (a second call returns the first)."""
        if key not in self._index:
            n = VNode(key, dict(attrs), cluster)
            self.nodes.append(n)
            self._index[key] = n
        return self._index[key]

    def has(self, key: str) -> bool:
        return key in self._index

    def get(self, key: str) -> VNode:
        return self._index[key]

    def edge(self, src: str, dst: str, attrs: dict[str, str] | None = None) -> VEdge:
        e = VEdge(src, dst, dict(attrs or {}))
        self.edges.append(e)
        return e

    def cluster(self, key: str, label: str) -> str:
        self.clusters.setdefault(key, label)
        return key

    def cluster_order(self, key: str | None) -> int:
        return list(self.clusters).index(key) if key in self.clusters else -1
