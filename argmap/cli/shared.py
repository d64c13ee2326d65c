"""What every command shares: the `argmap` group and its error handling, the scenario options,
JSON output and map loading. It imports no command (they import it).

Exit codes: 0 success · 1 findings (errors in `check`, failed expectations, an inconsistent scenario) ·
2 usage or input errors · 3 inconclusive (solver `unknown`, layout timeout) · 4 missing tool.
Heavy modules (z3, pydantic models of the queries) are imported inside the commands, so that
`argmap --help` stays fast.
"""

from __future__ import annotations

import json

import click

from argmap.errors import ArgmapError, InconsistentError, UsageError

DEFAULT_MAP = "claims"


def emit_json(obj) -> None:
    """One JSON document on stdout: a pydantic result as the CLI contract shows it, or plain data."""
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
                emit_json({"error": "inconsistent", "message": str(exc),
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
              help="Seconds the whole command may take; past it the answer is partial (and says so) "
                   "or 'inconclusive' (exit 3).")
@click.version_option(package_name="argmap", message="argmap %(version)s")
@click.pass_context
def main(ctx, maps, timeout):
    """argmap: a checkable map of which AI-safety proposal works if which assumption holds.

    Start with `argmap check`, then `argmap verdicts`, `argmap why VERDICT`,
    `argmap what-breaks ASSUMPTION` and `argmap cruxes`. Exit codes: 0 ok, 1 findings,
    2 usage or input error, 3 inconclusive, 4 missing external tool.
    """
    ctx.obj = {"maps": list(maps) or [DEFAULT_MAP], "timeout_ms": int(timeout * 1000)}
    from argmap.engine import budget        # no solver import: a clock and a size cap
    budget.start(timeout)
    ctx.call_on_close(lambda: budget.start(None))   # in-process callers (tests) get no stale deadline


def scenario_options(f):
    f = click.option("--json", "as_json", is_flag=True, help="Print one JSON document on stdout.")(f)
    f = click.option("--deny", multiple=True, metavar="A", help="Fix assumption A to false (repeatable).")(f)
    f = click.option("--assume", multiple=True, metavar="A", help="Fix assumption A to true (repeatable).")(f)
    f = click.option("--worldview", "-w", metavar="W", help="Start from worldview W of the map.")(f)
    return f


def load_for_query(ctx):
    """Load the map for a query command: any error in the map is an input error (exit 2)."""
    from argmap.language.loader import read_map
    from argmap.analysis.queries import engine
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


def scenario_line(worldview, assume, deny) -> str:
    from argmap.analysis.queries import Scenario
    return Scenario(worldview=worldview, assume=list(assume), deny=list(deny)).describe()
