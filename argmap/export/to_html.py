"""`argmap export --format html`: the interactive explorer page (argmap.explorer).

``--worldview/--assume/--deny`` choose the toggles the page opens with (a URL fragment overrides
them). A summary, and any truncation, are returned as notes for standard error.
"""

from __future__ import annotations

from argmap.export import Exported
from argmap.words import count


def export(amap, scenario, title=None) -> Exported:
    from argmap.explorer import build_page
    initial = {"worldview": scenario.worldview, "fixed": scenario.fixed(amap)}
    html, info = build_page(amap, title=title, initial=initial)
    notes = [f"explorer: {count(info['assumptions'], 'assumption')}, "
             f"{count(info['nodes'], 'claim or verdict', 'claims and verdicts')}, "
             f"minimal supports: {info['supports']} (and {info['against']} of negations), "
             f"{count(info['nogoods'], 'nogood')}, "
             + (f"map laid out with {info['layout']}, " if info["layout"] else "no diagram, ")
             + f"{info['bytes'] / 1e6:.2f} MB"]
    if info["diagram_left_out"]:
        notes.append(f"warning: the page has no diagram: {info['diagram_left_out']}; every other pane works. "
                     "Draw one part of the map with `argmap render --verdict V` (or --proposal P, --what-breaks A)")
    if info["truncated"]:
        cut = info["truncated"]
        notes.append(f"note: minimal supports cut at the limit or by the --timeout budget (the page says "
                     f"which) for {count(len(cut), 'list')} "
                     f"({', '.join(cut[:10])}{' ...' if len(cut) > 10 else ''}); the page may then show 'open' "
                     "where a node holds or fails, or miss an inconsistency (the page says so too)")
    return Exported(html, notes)
