"""The query commands: `verdicts`, `why`, `what-breaks` and `cruxes`."""

from __future__ import annotations

import click

import argmap.cli.complete as complete
import argmap.cli.style as style
from argmap.cli.shared import emit_json, load_for_query, main, scenario_line, scenario_options


@main.command()
@scenario_options
@click.pass_context
def verdicts(ctx, worldview, assume, deny, as_json):
    """The status of every verdict: holds, fails or open."""
    from argmap.analysis.queries import verdicts as run
    ctx.meta["argmap.json"] = as_json
    amap = load_for_query(ctx)
    result = run(amap, worldview, assume, deny)
    if as_json:
        return emit_json(result)
    from argmap.analysis.textout import verdict_table
    click.echo(f"Verdicts under {scenario_line(worldview, assume, deny)}:\n")
    style.echo(style.status_table(verdict_table(amap, result.verdicts)))


@main.command()
@click.argument("node", metavar="VERDICT", shell_complete=complete.verdicts_and_claims)
@scenario_options
@click.option("--limit", type=click.IntRange(min=1), default=1000, show_default=True,
              help="Stop after this many minimal supports (the output says when it stopped).")
@click.pass_context
def why(ctx, node, worldview, assume, deny, as_json, limit):
    """Status of a verdict or claim and every minimal set of assumptions that supports it."""
    from argmap.analysis.queries import why as run
    ctx.meta["argmap.json"] = as_json
    amap = load_for_query(ctx)
    result = run(amap, node, worldview, assume, deny, limit=limit)
    if as_json:
        return emit_json(result)
    from argmap.analysis.textout import why_text
    style.echo(style.status_line(why_text(amap, result, scenario_line(worldview, assume, deny))))


@main.command("what-breaks")
@click.argument("assumption", shell_complete=complete.assumptions)
@scenario_options
@click.pass_context
def what_breaks(ctx, assumption, worldview, assume, deny, as_json):
    """What happens to every verdict if ASSUMPTION fails."""
    from argmap.analysis.queries import what_breaks as run
    ctx.meta["argmap.json"] = as_json
    amap = load_for_query(ctx)
    result = run(amap, assumption, worldview, assume, deny)
    if as_json:
        return emit_json(result)
    from argmap.analysis.textout import what_breaks_text
    click.echo(what_breaks_text(amap, result, scenario_line(worldview, assume, deny)))


@main.command()
@scenario_options
@click.option("--top", type=click.IntRange(min=1), default=None, help="Show only the first N.")
@click.pass_context
def cruxes(ctx, worldview, assume, deny, as_json, top):
    """Assumptions ranked by what their failure breaks, then weakens (ties by id)."""
    from argmap.analysis.queries import cruxes as run
    ctx.meta["argmap.json"] = as_json
    amap = load_for_query(ctx)
    result = run(amap, worldview, assume, deny)
    if top:
        result.cruxes = result.cruxes[:top]
    if as_json:
        return emit_json(result)
    from argmap.analysis.textout import cruxes_text
    click.echo(cruxes_text(amap, result, scenario_line(worldview, assume, deny)))
