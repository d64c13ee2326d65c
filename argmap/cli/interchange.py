"""`argmap fmt` (the canonical layout of map files) and `argmap diff` (what a change means)."""

from __future__ import annotations

import difflib
import sys

import click

from argmap.cli.shared import main


@main.command()
@click.argument("paths", nargs=-1, metavar="[PATH]...")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if some file is not in the canonical layout.")
@click.option("--diff", "show_diff", is_flag=True, help="Write nothing; print a unified diff of the changes.")
@click.pass_context
def fmt(ctx, paths, check, show_diff):
    """Rewrite map files in one canonical layout (comments and strings kept as written).

    A file with syntax errors is never formatted: its diagnostics are printed and the exit code
    is 2. `-` reads standard input and writes the result to standard output.
    """
    from argmap.language.format import format_source
    from argmap.language.source import collect_paths
    files = collect_paths(list(paths) or ctx.obj["maps"])
    refused = changed = 0
    for path in files:
        src, problems, raw = _read(path)
        result = format_source(src) if src is not None else None
        if result is None or not result.ok:
            refused += 1
            for d in problems or result.diagnostics:
                click.echo(d.format(), err=True)
            click.echo(f"{src.name if src else path}: not formatted (fix the errors above first)", err=True)
            continue
        if path == "-" and not (check or show_diff):
            click.echo(result.text, nl=False)
            continue
        if result.text.encode("utf-8") == raw:
            continue
        changed += 1
        if show_diff:
            click.echo("".join(difflib.unified_diff(
                src.text.splitlines(keepends=True), result.text.splitlines(keepends=True),
                f"a/{src.name}", f"b/{src.name}")), nl=False)
        if check:
            click.echo(f"would reformat {src.name}", err=True)
        elif not show_diff:
            with open(path, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(result.text)
            click.echo(f"reformatted {src.name}", err=True)
    verb = "would be reformatted" if check or show_diff else "reformatted"
    summary = f"{changed} file(s) {verb}, {len(files) - changed - refused} unchanged"
    if refused:
        summary += f", {refused} refused (syntax errors)"
    if files != ["-"] or check or show_diff:
        click.echo(summary, err=True)
    ctx.exit(2 if refused else 1 if check and changed else 0)


def _read(path: str):
    """(source or None, reading problems, the bytes as they are) of one file or of standard input."""
    from argmap.language.source import decode, read_source
    if path == "-":
        raw = sys.stdin.buffer.read()
        return (*decode("<stdin>", raw), raw)
    src, problems = read_source(path)       # a missing or unreadable file is a usage error (exit 2)
    with open(path, "rb") as fh:
        raw = fh.read()
    return src, problems, raw
