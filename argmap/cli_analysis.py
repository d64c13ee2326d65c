"""Analysis commands: `argmap crux` (worldview double crux), `argmap prob` (credences and
importance) and `argmap report` (the findings report). Heavy imports stay inside the commands."""

from __future__ import annotations

import click

from .cli import _emit_json, load_for_query, main, scenario_options


@main.command("crux")
@click.argument("first", metavar="W1")
@click.argument("second", metavar="W2")
@click.argument("verdict", metavar="[VERDICT]", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document on stdout.")
@click.option("--max-checks", type=click.IntRange(min=1), default=20_000, show_default=True,
              help="Scenarios to examine per verdict before stopping (the output says when it stopped).")
@click.pass_context
def crux(ctx, first, second, verdict, as_json, max_checks):
    """Minimal sets of assumptions on which worldviews W1 and W2 differ that explain each verdict
    whose status differs (taking W2's values on the set turns W1's status into W2's)."""
    from .double_crux import double_crux, double_crux_text
    ctx.meta["argmap.json"] = as_json
    amap = load_for_query(ctx)
    result = double_crux(amap, first, second, verdict, max_checks=max_checks)
    if as_json:
        return _emit_json(result)
    click.echo(double_crux_text(amap, result))
