"""The command line: flags → library calls → text or JSON, and the documented exit codes.

0 success · 1 findings (errors in `check`, failed expectations, an inconsistent scenario) ·
2 usage or input errors · 3 inconclusive (solver `unknown`, layout timeout) · 4 missing tool.
Heavy modules (z3, pydantic models of the queries) are imported inside the commands, so that
`argmap --help` stays fast.
"""

from __future__ import annotations

import json
import sys

import click

from .errors import ArgmapError, InconsistentError, UsageError

DEFAULT_MAP = "claims"


def _emit_json(obj) -> None:
    data = obj.model_dump(mode="json") if hasattr(obj, "model_dump") else obj
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


class ArgmapGroup(click.Group):
    """Turns argmap's own errors into a message, a hint and an exit code, never a traceback."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except InconsistentError as exc:
            as_json = ctx.meta.get("argmap.json", False)
            if as_json:
                _emit_json({"error": "inconsistent", "message": str(exc),
                            "conflict": [c.model_dump(mode="json") for c in exc.conflict]})
            click.echo(f"error: {exc}", err=True)
            click.echo("  the conflicting statements (a minimal set):", err=True)
            for item in exc.conflict:
                where = f"{item.file}:{item.line}: " if item.file else ""
                click.echo(f"    {where}{item.text}", err=True)
            ctx.exit(exc.exit_code)
        except ArgmapError as exc:
            click.echo(f"error: {exc}", err=True)
            hint = getattr(exc, "hint", None)
            if hint:
                click.echo(f"  hint: {hint}", err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            ctx.exit(130)


@click.group(cls=ArgmapGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--map", "maps", multiple=True, metavar="PATH",
              help="A .argmap file or a directory of them (repeatable; default: claims/).")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=60.0, show_default=True,
              help="Seconds one solver call may take before the answer is 'inconclusive' (exit 3).")
@click.version_option(package_name="argmap", message="argmap %(version)s")
@click.pass_context
def main(ctx, maps, timeout):
    """argmap: a checkable map of which AI-safety proposal works if which assumption holds.

    Start with `argmap check`, then `argmap verdicts`, `argmap why VERDICT`,
    `argmap what-breaks ASSUMPTION` and `argmap cruxes`. Exit codes: 0 ok, 1 findings,
    2 usage or input error, 3 inconclusive, 4 missing external tool.
    """
    ctx.obj = {"maps": list(maps) or [DEFAULT_MAP], "timeout_ms": int(timeout * 1000)}


def scenario_options(f):
    f = click.option("--json", "as_json", is_flag=True, help="Print one JSON document on stdout.")(f)
    f = click.option("--deny", multiple=True, metavar="A", help="Fix assumption A to false (repeatable).")(f)
    f = click.option("--assume", multiple=True, metavar="A", help="Fix assumption A to true (repeatable).")(f)
    f = click.option("--worldview", "-w", metavar="W", help="Start from worldview W of the map.")(f)
    return f


def load_for_query(ctx):
    """Load the map for a query command: any error in the map is an input error (exit 2)."""
    from .loader import read_map
    from .queries import engine
    amap, diags = read_map(ctx.obj["maps"])
    errors = [d for d in diags if d.severity == "error"]
    if errors:
        for d in errors[:20]:
            click.echo(d.format(), err=True)
        if len(errors) > 20:
            click.echo(f"... and {len(errors) - 20} more", err=True)
        raise UsageError(f"the map has {len(errors)} error(s); fix them first (`argmap check` lists them all)")
    engine(amap, ctx.obj["timeout_ms"])
    return amap


def _scenario_line(worldview, assume, deny) -> str:
    from .queries import Scenario
    return Scenario(worldview=worldview, assume=list(assume), deny=list(deny)).describe()


# ---- check / test -----------------------------------------------------------------------------
@main.command()
@click.argument("paths", nargs=-1, metavar="[PATH]...")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document on stdout.")
@click.pass_context
def check(ctx, paths, as_json):
    """Report every problem of the map: syntax, names, cycles, consistency, expectations."""
    from .queries import check as run_check
    report = run_check(list(paths) or ctx.obj["maps"])
    if as_json:
        _emit_json({"ok": report.ok, "diagnostics": [d.to_contract() for d in report.diagnostics]})
    for d in report.diagnostics:
        click.echo(d.format(), err=True)
    errors = sum(d.severity == "error" for d in report.diagnostics)
    warnings = len(report.diagnostics) - errors
    if not as_json:
        click.echo(f"{'ok' if report.ok else 'failed'}: {errors} error(s), {warnings} warning(s)")
    ctx.exit(0 if report.ok else 1)


@main.command("test")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document on stdout.")
@click.pass_context
def test_cmd(ctx, as_json):
    """Run every `expect` statement of the map."""
    from .queries import run_tests
    amap = load_for_query(ctx)
    report = run_tests(amap)
    if as_json:
        _emit_json(report)
    else:
        for f in report.failed:
            click.echo(f"FAIL {f.file}:{f.line}: {f.expect}\n     {f.why}")
        click.echo(f"{report.passed} passed, {len(report.failed)} failed")
    ctx.exit(1 if report.failed else 0)


# ---- queries ----------------------------------------------------------------------------------
@main.command()
@scenario_options
@click.pass_context
def verdicts(ctx, worldview, assume, deny, as_json):
    """The status of every verdict: holds, fails or open."""
    from .queries import verdicts as run
    ctx.meta["argmap.json"] = as_json
    amap = load_for_query(ctx)
    result = run(amap, worldview, assume, deny)
    if as_json:
        return _emit_json(result)
    from .textout import verdict_table
    click.echo(f"Verdicts under {_scenario_line(worldview, assume, deny)}:\n")
    click.echo(verdict_table(amap, result.verdicts))


@main.command()
@click.argument("node", metavar="VERDICT")
@scenario_options
@click.option("--limit", type=click.IntRange(min=1), default=1000, show_default=True,
              help="Stop after this many minimal supports (the output says when it stopped).")
@click.pass_context
def why(ctx, node, worldview, assume, deny, as_json, limit):
    """Status of a verdict or claim and every minimal set of assumptions that supports it."""
    from .queries import why as run
    ctx.meta["argmap.json"] = as_json
    amap = load_for_query(ctx)
    result = run(amap, node, worldview, assume, deny, limit=limit)
    if as_json:
        return _emit_json(result)
    from .textout import why_text
    click.echo(why_text(amap, result, _scenario_line(worldview, assume, deny)))


@main.command("what-breaks")
@click.argument("assumption")
@scenario_options
@click.pass_context
def what_breaks(ctx, assumption, worldview, assume, deny, as_json):
    """What happens to every verdict if ASSUMPTION fails."""
    from .queries import what_breaks as run
    ctx.meta["argmap.json"] = as_json
    amap = load_for_query(ctx)
    result = run(amap, assumption, worldview, assume, deny)
    if as_json:
        return _emit_json(result)
    from .textout import what_breaks_text
    click.echo(what_breaks_text(amap, result, _scenario_line(worldview, assume, deny)))


@main.command()
@scenario_options
@click.option("--top", type=click.IntRange(min=1), default=None, help="Show only the first N.")
@click.pass_context
def cruxes(ctx, worldview, assume, deny, as_json, top):
    """Assumptions ranked by what their failure breaks, then weakens (ties by id)."""
    from .queries import cruxes as run
    ctx.meta["argmap.json"] = as_json
    amap = load_for_query(ctx)
    result = run(amap, worldview, assume, deny)
    if top:
        result.cruxes = result.cruxes[:top]
    if as_json:
        return _emit_json(result)
    from .textout import cruxes_text
    click.echo(cruxes_text(amap, result, _scenario_line(worldview, assume, deny)))


# ---- sources ----------------------------------------------------------------------------------
@main.group()
def sources():
    """Check the map's quotes against the source texts."""


@sources.command("verify")
@click.option("--sources", "sources_dir", required=True, type=click.Path(file_okay=False),
              help="The folder that holds each source's `file`.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document on stdout.")
@click.pass_context
def sources_verify(ctx, sources_dir, as_json):
    """Every `cite` quote must occur verbatim in its source text (exit 1 if not, 2 if a text is missing)."""
    from .provenance import verify_quotes
    amap = load_for_query(ctx.parent)
    report = verify_quotes(amap, sources_dir)
    if as_json:
        _emit_json(report)
    else:
        for m in report.missing_sources:
            click.echo(f"error: source `{m.source}`: {m.problem}", err=True)
        for q in report.not_found:
            click.echo(f"{q.file}:{q.line}: quote not found in {q.source}: \"{q.quote}\"", err=True)
        click.echo(f"{report.checked} quotes checked, {len(report.not_found)} not found, "
                   f"{len(report.missing_sources)} source text(s) missing")
    ctx.exit(2 if report.missing_sources else 1 if report.not_found else 0)


# ---- commands defined in their own modules
from . import cli_analysis  # noqa: E402,F401  (crux, prob, report)
from . import cli_render  # noqa: E402,F401  (render, export)
from . import cli_explorer  # noqa: E402,F401  (export --format html)

