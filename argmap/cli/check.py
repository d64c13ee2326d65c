"""`argmap check` (every problem of the map) and `argmap test` (its `expect` statements)."""

from __future__ import annotations

import click

from argmap.words import count

import argmap.cli.style as style
from argmap.cli.shared import announce_map, emit_json, load_for_query, main


@main.command()
@click.argument("paths", nargs=-1, metavar="[PATH]...")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document on stdout.")
@click.pass_context
def check(ctx, paths, as_json):
    """Report every problem of the map: syntax, names, cycles, consistency, expectations."""
    from argmap.analysis.queries import check as run_check
    if not paths:
        announce_map(ctx)
    report = run_check(list(paths) or ctx.obj["maps"])
    if as_json:
        emit_json({"ok": report.ok, "diagnostics": [d.to_contract() for d in report.diagnostics]})
    for d in report.diagnostics:
        style.echo(style.diagnostic(d.format()), err=True)
    errors = sum(d.severity == "error" for d in report.diagnostics)
    warnings = len(report.diagnostics) - errors
    if not as_json:
        verdict = "ok" if report.ok else "failed"
        style.echo(f"{style.label(verdict + ':', verdict, err=False)} {count(errors, 'error')}, "
                   f"{count(warnings, 'warning')}")
    ctx.exit(0 if report.ok else 1)


@main.command("test")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document on stdout.")
@click.pass_context
def test_cmd(ctx, as_json):
    """Run every `expect` statement of the map."""
    from argmap.analysis.queries import run_tests
    amap = load_for_query(ctx)
    report = run_tests(amap)
    if as_json:
        emit_json(report)
    else:
        for f in report.failed:
            click.echo(f"FAIL {f.file}:{f.line}: {f.expect}\n     {f.why}")
        click.echo(f"{report.passed} passed, {len(report.failed)} failed")
    ctx.exit(1 if report.failed else 0)
