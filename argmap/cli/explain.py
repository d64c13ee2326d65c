"""Looking things up: `show ID` (any statement, with its quotes, uses and status) and `list KIND`."""

from __future__ import annotations

import click

from argmap.cli.shared import emit_json, load_for_query, main, scenario_options, terminal_counts


@main.command()
@click.argument("name", metavar="ID")
@scenario_options
@click.option("--limit", type=click.IntRange(min=1), default=1000, show_default=True,
              help="Stop after this many needs (the output says when it stopped).")
@click.pass_context
def show(ctx, name, worldview, assume, deny, as_json, limit):
    """Everything about one id: text, quotes, where it is defined, what it uses and what uses it,
    and its status and needs under the scenario."""
    from argmap.analysis.describe import show as run
    from argmap.analysis.describe import shown_text
    ctx.meta["argmap.json"] = as_json
    amap = load_for_query(ctx)
    from argmap.analysis.needstext import NEEDS_SHOWN
    shown = NEEDS_SHOWN + 1 if terminal_counts(ctx, as_json) else None
    result = run(amap, name, worldview, assume, deny, limit=limit, shown=shown)
    if as_json:
        return emit_json(result)
    click.echo(shown_text(amap, result))


@main.command("list")
@click.argument("kind", required=False,
                type=click.Choice(["assumptions", "claims", "verdicts", "proposals", "worldviews",
                                   "conflicts", "sources"]))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document on stdout.")
@click.pass_context
def list_(ctx, kind, as_json):
    """The ids and texts of one kind of statement (every kind without KIND), in the map's order."""
    from argmap.analysis.describe import listing, listing_text
    ctx.meta["argmap.json"] = as_json
    amap = load_for_query(ctx)
    result = listing(amap, kind)
    if as_json:
        return emit_json(result)
    click.echo(listing_text(result))
