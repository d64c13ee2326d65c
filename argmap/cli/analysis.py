"""Analysis commands: `argmap crux` (worldview double crux), `argmap prob` (credences and
importance) and `argmap report` (the findings report). Heavy imports stay inside the commands."""

from __future__ import annotations

import click

import argmap.cli.complete as complete
from argmap.cli.shared import emit_json, load_for_query, main, scenario_options


@main.command("crux")
@click.argument("first", metavar="W1", shell_complete=complete.worldviews)
@click.argument("second", metavar="W2", shell_complete=complete.worldviews)
@click.argument("verdict", metavar="[VERDICT]", required=False, shell_complete=complete.verdicts)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document on stdout.")
@click.pass_context
def crux(ctx, first, second, verdict, as_json):
    """Minimal sets of assumptions on which worldviews W1 and W2 differ that explain each verdict
    whose status differs (taking W2's values on the set turns W1's status into W2's)."""
    from argmap.analysis.double_crux import double_crux, double_crux_text
    ctx.meta["argmap.json"] = as_json
    amap = load_for_query(ctx)
    result = double_crux(amap, first, second, verdict)
    if as_json:
        return emit_json(result)
    click.echo(double_crux_text(amap, result))


@main.command("prob")
@scenario_options
@click.option("--verdict", "-v", "verdict", metavar="V", help="Show the importance of every assumption for V.",
              shell_complete=complete.verdicts)
@click.option("--default-credence", type=click.FloatRange(0.0, 1.0), default=0.5, show_default=True,
              help="Credence of an assumption the worldview gives none.")
@click.pass_context
def prob(ctx, worldview, assume, deny, as_json, verdict, default_credence):
    """Exact probability of every verdict from the worldview's credences (exact BDD counting,
    conditioned on the conflicts); with --verdict, the importance of each assumption for it."""
    from argmap.analysis.probability import credences, importance, probabilities
    from argmap.analysis.queries import Scenario, require_node
    ctx.meta["argmap.json"] = as_json
    amap = load_for_query(ctx)
    if verdict is not None:
        require_node(amap, verdict)
    cred = credences(amap, worldview, assume, deny, default=default_credence)
    result = probabilities(amap, cred)
    if not result.consistent:
        _explain_zero_probability(amap, cred, Scenario(worldview=worldview, assume=list(assume), deny=list(deny)))
    table = importance(amap, verdict, cred) if verdict is not None else None
    if as_json:
        data = result.model_dump(mode="json")
        data["fixed"] = cred.fixed
        data["credences"] = cred.given
        if table is not None:
            data["importance"] = table.model_dump(mode="json")
        return emit_json(data)
    from argmap.analysis.probability_text import importance_text, probability_text
    click.echo(probability_text(amap, result, cred, _scenario_text(worldview, assume, deny)))
    if table is not None:
        click.echo("")
        click.echo(importance_text(amap, table))


def _explain_zero_probability(amap, cred, scenario) -> None:
    """P(no conflict fires) = 0: raise the conflict among the assumptions pinned to true or false.

    A credence of exactly 1 or 0 (a credence line or --default-credence) pins its assumption as
    `assume`/`deny` does, so pinned values that a conflict forbids leave nothing to condition on.
    """
    from argmap.analysis.queries import ConflictItem, _require_consistent, engine, explain_conflict
    from argmap.errors import InconsistentError
    _require_consistent(amap, cred.fixed, scenario)     # the scenario alone: explained as `verdicts` does
    pinned = {a: cred.of(a) == 1.0 for a in amap.assumptions if cred.of(a) in (0.0, 1.0)}
    by_credence = {a for a in pinned if a not in cred.fixed}
    if engine(amap).consistent(pinned):     # cannot happen: P(C) = 0 exactly when the pinned values conflict
        raise InconsistentError("the probability that no conflict fires is 0", [])
    items = []
    for item in explain_conflict(amap, pinned, scenario):
        if item.kind == "fixed" and item.id in by_credence:
            p = cred.of(item.id)
            origin = "--default-credence" if item.id in cred.defaulted else f"worldview {cred.worldview}"
            item = ConflictItem(kind="fixed", id=item.id, file=item.file, line=item.line,
                                text=f"credence {item.id} {p:g} ({origin}): {amap.text_of(item.id)}")
        items.append(item)
    raise InconsistentError(
        f"under {scenario.describe()}, the probability that no conflict fires is 0: a credence of 0 or 1 "
        "fixes its assumption like `deny`/`assume`, and these fixed values conflict", items)


def _scenario_text(worldview, assume, deny) -> str:
    from argmap.cli.shared import scenario_line
    return scenario_line(worldview, assume, deny)


@main.command("report")
@click.option("-o", "--output", required=True, metavar="DIR",
              help="Folder for README.md and figures/*.svg: new, empty, or one argmap wrote (- prints the "
                   "Markdown, without figures).")
@click.option("--what-breaks", "what_breaks", multiple=True, metavar="A",
              help="Give assumption A its own what-breaks section (repeatable; default: myopia_verification "
                   "and the top cruxes).")
@click.option("--authors", nargs=2, metavar="W1 W2", default=None,
              help="The two worldviews compared in the body (default: hubinger2020_leanings "
                   "greenblatt2026_leanings).")
@click.option("--no-figures", is_flag=True, help="Only the Markdown tables (no Graphviz needed).")
@click.option("--force", is_flag=True, help="Write into a non-empty folder that argmap did not make.")
@click.option("--json", "as_json", is_flag=True, help="Print the list of written files as JSON.")
@click.pass_context
def report(ctx, output, what_breaks, authors, no_figures, force, as_json):
    """Write the findings report: key findings first (single points of failure, what breaks if
    myopia verification fails, where the authors disagree, tensions, default credences), then the
    verdict matrix, what-breaks sections, the author comparison, tensions, probabilities and an
    appendix, as Markdown with SVG figures."""
    from argmap.report import AUTHORS, PROGRESS_STEPS, build_report, write_report
    from argmap.outputs import STDOUT, input_paths, shown_path
    ctx.meta["argmap.json"] = as_json
    to_stdout = output == STDOUT
    if to_stdout and as_json:
        from argmap.errors import UsageError
        raise UsageError("--json and -o - would both write to standard output", hint="drop one of them")
    amap = load_for_query(ctx)
    from argmap.cli.progress import Progress
    with Progress("report", total=PROGRESS_STEPS) as progress:
        result = build_report(amap, figures=not (no_figures or to_stdout), what_breaks=list(what_breaks),
                              authors=tuple(authors) if authors else AUTHORS, progress=progress.step)
    if to_stdout:
        click.echo(result.markdown, nl=False)
        return
    written = write_report(result, output, input_paths(ctx.obj["maps"]), force=force)
    for p in result.problems:
        click.echo(f"warning: {p}", err=True)
    if as_json:
        return emit_json({"written": written, "problems": result.problems})
    from argmap.words import count
    click.echo(f"wrote {shown_path(written[0])} and {count(len(written) - 1, 'figure')}")

