"""A view graph → laid-out svg/png/pdf bytes: DOT (dot.py), then Graphviz (graphviz_run.py), with
the same graph without cluster boxes as dot's second try. Every caller that draws goes through
here, so the diagrams of `render`, the report and the explorer fail over alike."""

from __future__ import annotations

from argmap.render import graphviz_run
from argmap.render.dot import to_dot
from argmap.render.graph import ViewGraph


def draw(view: ViewGraph, fmt: str, engine: str = "auto", timeout: float | None = None) -> graphviz_run.Rendered:
    flat = to_dot(view, clusters=False) if view.clusters else None
    return graphviz_run.render(to_dot(view), fmt, engine=engine, timeout=timeout or graphviz_run.DEFAULT_TIMEOUT,
                               edges=len(view.edges), unclustered=flat)
