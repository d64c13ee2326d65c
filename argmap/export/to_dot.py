"""`argmap export --format dot`: the whole-map DOT, the same as `render -o map.dot` with no focus flag."""

from __future__ import annotations

from argmap.export import Exported


def export(amap, scenario, title=None) -> Exported:
    from argmap.render.dot import to_dot
    from argmap.render.view import map_view
    return Exported(to_dot(map_view(amap, scenario)))
