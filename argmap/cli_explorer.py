"""`argmap export --format html`: registers the explorer page with the export command of cli_render.

The export command (argmap/cli_render.py) owns flags, output path and writing; this module adds
one entry to its ``EXPORTERS`` table. ``--worldview/--assume/--deny`` choose the toggles the page
opens with (a URL fragment overrides them). A summary, and any truncation, goes to stderr.
"""

from __future__ import annotations

import click

from .cli_render import EXPORTERS


def export_html(amap, scenario) -> str:
    """The interactive explorer: one self-contained HTML file (no server, no network)."""
    from .explorer import build_page
    ctx = click.get_current_context(silent=True)
    maps = (ctx.obj or {}).get("maps") if ctx else None
    initial = {"worldview": scenario.worldview, "fixed": scenario.fixed(amap)}
    html, info = build_page(amap, title=", ".join(maps) if maps else None, initial=initial)
    click.echo(f"explorer: {info['assumptions']} assumptions, {info['nodes']} claims and verdicts, "
               f"{info['supports']} minimal supports, {info['against']} of negations, {info['nogoods']} nogoods, "
               f"map laid out with {info['layout']}, {info['bytes'] / 1e6:.2f} MB", err=True)
    if info["truncated"]:
        cut = info["truncated"]
        click.echo(f"note: minimal supports cut at the limit for {len(cut)} list(s) "
                   f"({', '.join(cut[:10])}{' ...' if len(cut) > 10 else ''}); the page may then show 'open' "
                   "where a node holds or fails, or miss an inconsistency (the page says so too)", err=True)
    return html


EXPORTERS["html"] = export_html
