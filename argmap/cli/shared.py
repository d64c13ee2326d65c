"""What every command shares: the `argmap` group and its error handling, the scenario options,
JSON output and map loading. It imports no command (they import it).

Exit codes: 0 success · 1 findings (errors in `check`, failed expectations, an inconsistent scenario) ·
2 usage or input errors · 3 inconclusive (solver `unknown`, layout timeout) · 4 missing tool ·
70 an unexpected internal error (a bug; the traceback goes to a file, not the terminal).
Heavy modules (z3, pydantic models of the queries) are imported inside the commands, so that
`argmap --help` stays fast.
"""

from __future__ import annotations

import json

import click

import argmap.cli.style as style
from argmap.cli.default_map import DEFAULT_MAP, default_map
from argmap.errors import ArgmapError, InconsistentError, UsageError
from argmap.words import count

EXIT_INTERNAL = 70      # an unexpected internal error (a bug): EX_SOFTWARE of sysexits.h


class Seconds(click.FloatRange):
    """A number of seconds: a FloatRange that also refuses NaN and infinity (FloatRange lets them
    through, and a NaN budget would compare false with everything)."""

    name = "seconds"

    def convert(self, value, param, ctx):
        import math
        number = super().convert(value, param, ctx)
        if not math.isfinite(number):
            self.fail(f"{value!r} is not a finite number of seconds", param, ctx)
        return number


def emit_json(obj) -> None:
    """One JSON document on stdout: a result (``model_dump``) as the CLI contract shows it, or plain data."""
    data = obj.model_dump(mode="json") if hasattr(obj, "model_dump") else obj
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


GLOBAL_OPTIONS = ("--map", "--timeout", "--color")     # the group's options that take a value


def hoist_global_options(args: list[str]) -> list[str]:
    """Move global options written after the command to before it.

    `argmap verdicts --map claims` and `argmap why V --timeout 5` mean what they say: no command
    has an option of the same name, so there is nothing to confuse them with. `--` ends the scan.

    >>> hoist_global_options(["verdicts", "--map", "m", "--json", "--timeout=5"])
    ['--map', 'm', '--timeout=5', 'verdicts', '--json']
    >>> hoist_global_options(["--map", "m", "why", "v", "--", "--map"])
    ['--map', 'm', 'why', 'v', '--', '--map']
    """
    i = 0
    while i < len(args) and args[i].startswith("-") and args[i] != "--":
        i += 2 if args[i] in GLOBAL_OPTIONS else 1     # skip the global options before the command
    head, rest, moved = args[: i + 1], [], []
    j = i + 1
    while j < len(args):
        arg = args[j]
        if arg == "--":
            rest.extend(args[j:])
            break
        if arg in GLOBAL_OPTIONS and j + 1 < len(args):
            moved += args[j: j + 2]
            j += 2
            continue
        if arg.split("=", 1)[0] in GLOBAL_OPTIONS and "=" in arg:
            moved.append(arg)
        else:
            rest.append(arg)
        j += 1
    if i >= len(args):
        return args
    return head[:-1] + moved + head[-1:] + rest


class ArgmapGroup(click.Group):
    """Turns argmap's own errors into a message, a hint and an exit code, never a traceback.

    Commands are defined in modules imported on first use: ``lazy_commands`` maps a command's
    name to its module (argmap/cli/__init__.py)."""

    lazy_commands: dict[str, str] = {}

    def get_command(self, ctx, cmd_name):
        if cmd_name not in self.commands:
            module = self.lazy_commands.get(cmd_name)
            if module is None:
                self.list_commands(ctx)     # an unknown name: click's "Did you mean" needs every command
            else:
                import importlib
                importlib.import_module(module)
        return super().get_command(ctx, cmd_name)

    def list_commands(self, ctx):
        import importlib
        for module in dict.fromkeys(self.lazy_commands.values()):
            importlib.import_module(module)
        return super().list_commands(ctx)

    def parse_args(self, ctx, args):
        return super().parse_args(ctx, hoist_global_options(list(args)))

    def invoke(self, ctx):
        from argmap.cachedir import one_shot_process, use_file_cache
        use_file_cache()
        one_shot_process()
        try:
            return super().invoke(ctx)
        except InconsistentError as exc:
            as_json = ctx.meta.get("argmap.json", False)
            if as_json:
                emit_json({"error": "inconsistent", "message": str(exc),
                            "conflict": [c.model_dump(mode="json") for c in exc.conflict]})
            style.echo(f"{style.label('error:', 'error')} {exc}", err=True)
            click.echo("  the conflicting statements (a minimal set):", err=True)
            for item in exc.conflict:
                where = f"{item.file}:{item.line}: " if item.file else ""
                click.echo(f"    {where}{item.text}", err=True)
            ctx.exit(exc.exit_code)
        except ArgmapError as exc:
            style.echo(f"{style.label('error:', 'error')} {exc}", err=True)
            hint = getattr(exc, "hint", None)
            if hint:
                style.echo(style.diagnostic(f"  hint: {hint}"), err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            ctx.exit(130)
        except BrokenPipeError:
            # The reader went away (`argmap verdicts --json | head`): not an error of argmap's. Point
            # stdout at /dev/null so the flush at exit cannot fail again, and exit as a process
            # killed by SIGPIPE would (128 + 13), like other command-line tools.
            import os
            import sys
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            ctx.exit(141)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except Exception as exc:        # a bug: never a raw traceback, never exit 1 ("findings")
            where = _save_traceback(exc)
            style.echo(f"{style.label('internal error:', 'error')} {type(exc).__name__}: {_one_line(str(exc))}",
                       err=True)
            if isinstance(exc, ImportError):
                click.echo(f"  a module argmap needs is not installed ({exc.name}); reinstall argmap with "
                           "its dependencies (pip install -e .)", err=True)
            what = "the traceback" if isinstance(exc, ImportError) else "this is a bug in argmap; the traceback"
            click.echo(f"  {what} is in {where}" if where else f"  {what} could not be saved", err=True)
            ctx.exit(EXIT_INTERNAL)
        finally:
            # (the process ends now; a test's CliRunner goes on, and library calls after it must
            # not read or write disk caches, which only the command line asks for)
            one_shot_process(False)
            use_file_cache(False)


def _one_line(text: str, limit: int = 300) -> str:
    from argmap.language.source import shown_name
    text = shown_name(" ".join(text.split()))
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def _save_traceback(exc: BaseException) -> str | None:
    """Write the traceback to a new file in the temporary folder; its path, or None."""
    import os
    import tempfile
    import traceback
    try:
        fd, path = tempfile.mkstemp(prefix="argmap-traceback-", suffix=".txt")
        with os.fdopen(fd, "w", encoding="utf-8", errors="backslashreplace") as fh:
            fh.write("".join(traceback.format_exception(exc)))
        return path
    except OSError:
        return None


@click.group(cls=ArgmapGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--map", "maps", multiple=True, metavar="PATH",
              help="A .argmap file or a directory of them (repeatable; default: claims/, else the "
                   ".argmap files of the current folder).")
@click.option("--timeout", type=Seconds(min=0.1), default=60.0, show_default=True,
              help="Seconds the whole command may take; past it the answer is partial (and says so) "
                   "or 'inconclusive' (exit 3).")
@click.option("--color", "color", type=click.Choice(style.MODES), default="auto", show_default=True,
              help="Colour statuses and diagnostics: auto = on a terminal, unless NO_COLOR is set.")
@click.version_option(package_name="argmap", message="argmap %(version)s")
@click.pass_context
def main(ctx, maps, timeout, color):
    """argmap: a checkable map of which AI-safety proposal works if which assumption holds.

    Start with `argmap check`, then `argmap verdicts`, `argmap why VERDICT`,
    `argmap what-breaks ASSUMPTION` and `argmap cruxes`. Exit codes: 0 ok, 1 findings,
    2 usage or input error, 3 inconclusive, 4 missing external tool, 70 internal error (a bug).
    """
    paths, note = (list(maps), None) if maps else default_map()
    ctx.obj = {"maps": paths, "timeout_ms": int(timeout * 1000), "map_note": note, "color": color}
    from argmap.engine import budget        # no solver import: a clock and a size cap
    budget.start(timeout)
    ctx.call_on_close(lambda: budget.start(None))   # in-process callers (tests) get no stale deadline


def announce_map(ctx) -> None:
    """Say which map is read when it is not the one asked for (the current-folder fallback)."""
    note = (ctx.find_root().obj or {}).get("map_note")
    if note:
        style.echo(style.label("note:", "note") + note.removeprefix("note:"), err=True)


def scenario_options(f):
    import argmap.cli.complete as complete
    f = click.option("--json", "as_json", is_flag=True, help="Print one JSON document on stdout.")(f)
    f = click.option("--deny", multiple=True, metavar="A", help="Fix assumption A to false (repeatable).",
                     shell_complete=complete.assumptions)(f)
    f = click.option("--assume", multiple=True, metavar="A", help="Fix assumption A to true (repeatable).",
                     shell_complete=complete.assumptions)(f)
    f = click.option("--worldview", "-w", metavar="W", help="Start from worldview W of the map.",
                     shell_complete=complete.worldviews)(f)
    return f


def load_for_query(ctx):
    """Load the map for a query command: any error in the map is an input error (exit 2)."""
    from argmap.language.loader import read_map
    from argmap.analysis.queries import engine
    announce_map(ctx)
    amap, diags = read_map(ctx.obj["maps"])
    errors = [d for d in diags if d.severity == "error"]
    if errors:
        for d in errors[:20]:
            style.echo(style.diagnostic(d.format()), err=True)
        if len(errors) > 20:
            click.echo(f"... and {len(errors) - 20} more", err=True)
        raise UsageError(f"the map has {count(len(errors), 'error')}; fix them first (`argmap check` lists them all)")
    engine(amap, ctx.obj["timeout_ms"])
    return amap


def terminal_counts(ctx, as_json: bool) -> bool:
    """Whether the answer goes to the terminal with the default --limit: then lists that are not
    cheap to count are counted only as far as the text shows them (said in the answer)."""
    return not as_json and ctx.get_parameter_source("limit") == click.core.ParameterSource.DEFAULT


def scenario_line(worldview, assume, deny) -> str:
    from argmap.analysis.queries import Scenario
    return Scenario(worldview=worldview, assume=list(assume), deny=list(deny)).describe()
