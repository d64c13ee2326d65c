"""The query commands: `verdicts`, `why`, `cuts`, `what-breaks` and `cruxes`."""

from __future__ import annotations

import click

import argmap.cli.complete as complete
import argmap.cli.style as style
from argmap.cli.shared import emit_json, load_for_query, main, scenario_line, scenario_options, terminal_counts


LIMIT_HELP = "Stop after this many minimal sets (the output says when it stopped)."


@main.command()
@scenario_options
@click.option("--needs", "with_needs", is_flag=True,
              help="Also list, for each open verdict, its single points of failure.")
@click.option("--limit", type=click.IntRange(min=1), default=1000, show_default=True, help=LIMIT_HELP)
@click.pass_context
def verdicts(ctx, worldview, assume, deny, as_json, with_needs, limit):
    """The status of every verdict: holds, fails or open."""
    from argmap.analysis.queries import verdict_needs
    from argmap.analysis.queries import verdicts as run
    ctx.meta["argmap.json"] = as_json
    amap = load_for_query(ctx)
    # the terminal counts only the lists that are cheap to count (said in the answer): wide 1k took
    # 13.5 s to print counts such as "999+ larger needs"
    cheap = terminal_counts(ctx, as_json)
    result = verdict_needs(amap, worldview, assume, deny, limit=limit, cheap=cheap) if with_needs else run(
        amap, worldview, assume, deny)
    if as_json:
        return emit_json(result)
    from argmap.analysis.textout import verdict_table
    click.echo(f"Verdicts under {scenario_line(worldview, assume, deny)}:\n")
    style.echo(style.status_table(verdict_table(amap, result.verdicts)))
    if with_needs:
        from argmap.analysis.needstext import single_points_text
        click.echo("\n" + single_points_text(result.single_points_of_failure, result.cut_sets, result.truncated,
                                              result.stopped_by, result.single_points_partial))


@main.command()
@click.argument("node", metavar="VERDICT", shell_complete=complete.verdicts_and_claims)
@scenario_options
@click.option("--limit", type=click.IntRange(min=1), default=1000, show_default=True, help=LIMIT_HELP)
@click.option("--supports", "all_supports", is_flag=True,
              help="List every minimal support, not only a count when there are many.")
@click.pass_context
def why(ctx, node, worldview, assume, deny, as_json, limit, all_supports):
    """What a verdict or claim needs, and every minimal set of assumptions that supports it.

    VERDICT may also be a proposal: then the answer covers its four verdicts.
    """
    from argmap.analysis.queries import why as run
    from argmap.analysis.needstext import NEEDS_SHOWN, SUPPORTS_IN_FULL
    ctx.meta["argmap.json"] = as_json
    amap = load_for_query(ctx)
    from argmap.analysis.textout import why_text
    scenario = scenario_line(worldview, assume, deny)
    # The terminal prints 20 needs and, past 10 supports, a count: a list that is not cheap to
    # compute stops one past that (said in the answer), unless --limit or --supports asks for more
    shown = (NEEDS_SHOWN + 1, SUPPORTS_IN_FULL + 1) if terminal_counts(ctx, as_json) and not all_supports else None
    if node in amap.proposals:
        results = [run(amap, v, worldview, assume, deny, limit=limit, shown=shown)
                   for v in amap.proposals[node].verdicts]
        if as_json:
            return emit_json({"proposal": node, "verdicts": [r.model_dump(mode="json") for r in results]})
        click.echo(f"{node}: {amap.proposals[node].title}\n")
        style.echo(style.status_line("\n\n".join(why_text(amap, r, scenario, all_supports) for r in results)))
        return
    result = run(amap, node, worldview, assume, deny, limit=limit, shown=shown)
    if as_json:
        return emit_json(result)
    style.echo(style.status_line(why_text(amap, result, scenario, all_supports)))


@main.command()
@click.argument("node", metavar="VERDICT", shell_complete=complete.verdicts_and_claims)
@scenario_options
@click.option("--limit", type=click.IntRange(min=1), default=1000, show_default=True, help=LIMIT_HELP)
@click.option("--rank", type=click.Choice(["size", "probability"]), default="size", show_default=True,
              help="Within one size: by how many other verdicts a cut takes down, or most probable "
                   "first (needs credences: --worldview).")
@click.pass_context
def cuts(ctx, node, worldview, assume, deny, as_json, limit, rank):
    """Every minimal way a verdict or claim can fail (its cut sets), smallest first.

    With a worldview that has credences, each cut set carries its probability.
    """
    from argmap.analysis.queries import cuts as run
    ctx.meta["argmap.json"] = as_json
    amap = load_for_query(ctx)
    with_p = worldview is not None and bool(amap.worldviews.get(worldview) and amap.worldviews[worldview].credences())
    if rank == "probability" and not with_p:
        from argmap.errors import UsageError
        raise UsageError("--rank probability needs a worldview with credences",
                         hint="pass --worldview W for a worldview that has `credence` lines")
    from argmap.analysis.needstext import CUTS_SHOWN
    # the terminal counts only as far as it prints where counting is not cheap (as `why`): wide
    # 10k, one verdict: 30 s to list and rank 1,000 cut sets for 50 lines
    # (not when ranking by probability: the most probable need not be among the first found)
    shown = CUTS_SHOWN + 1 if terminal_counts(ctx, as_json) and rank == "size" else None
    if with_p:
        from argmap.analysis.probability import cuts_with_probabilities
        result = cuts_with_probabilities(amap, node, worldview, assume, deny, limit=limit, rank=rank, shown=shown)
    else:
        result = run(amap, node, worldview, assume, deny, limit=limit, shown=shown)
    if as_json:
        return emit_json(result)
    from argmap.analysis.needstext import cuts_text
    click.echo(cuts_text(amap, result, scenario_line(worldview, assume, deny)))


WHAT_BREAKS_SHOWN = 20   # verdicts per list in the terminal (the corpus's longest list has 10)


@main.command("what-breaks")
@click.argument("assumption", shell_complete=complete.assumptions)
@scenario_options
@click.option("--all", "show_all", is_flag=True,
              help=f"List and explain every verdict (the terminal shows the first {WHAT_BREAKS_SHOWN} of each list).")
@click.pass_context
def what_breaks(ctx, assumption, worldview, assume, deny, show_all, as_json):
    """What happens to every verdict if ASSUMPTION fails."""
    from argmap.analysis.queries import what_breaks as run
    ctx.meta["argmap.json"] = as_json
    amap = load_for_query(ctx)
    # the terminal explains only what it shows: on a wide map an assumption can weaken hundreds
    # of verdicts, each explanation a solver call (wide 10k: 337 entries, 4.8 s, 342 lines)
    shown = None if show_all or as_json else WHAT_BREAKS_SHOWN
    result = run(amap, assumption, worldview, assume, deny, explain=True, explain_first=shown)
    if as_json:
        return emit_json(result)
    from argmap.analysis.textout import what_breaks_text
    click.echo(what_breaks_text(amap, result, scenario_line(worldview, assume, deny), shown=shown))


@main.command()
@scenario_options
@click.option("--top", type=click.IntRange(min=1), default=None, help="Show only the first N.")
@click.pass_context
def cruxes(ctx, worldview, assume, deny, as_json, top):
    """Assumptions ranked by what their failure breaks, then weakens (ties by id)."""
    from argmap.analysis.queries import cruxes as run
    ctx.meta["argmap.json"] = as_json
    amap = load_for_query(ctx)
    result = run(amap, worldview, assume, deny, top=top)
    if as_json:
        return emit_json(result)
    from argmap.analysis.textout import cruxes_text
    click.echo(cruxes_text(amap, result, scenario_line(worldview, assume, deny)))
