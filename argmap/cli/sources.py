"""`argmap sources verify`: every `cite` quote against the source texts."""

from __future__ import annotations

import click

from argmap.cli.shared import emit_json, load_for_query, main


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
    from argmap.analysis.provenance import verify_quotes
    amap = load_for_query(ctx.parent)
    report = verify_quotes(amap, sources_dir)
    if as_json:
        emit_json(report)
    else:
        for m in report.missing_sources:
            click.echo(f"error: source `{m.source}`: {m.problem}", err=True)
        for q in report.not_found:
            click.echo(f"{q.file}:{q.line}: quote not found in {q.source}: \"{q.quote}\"", err=True)
        from argmap.words import count
        click.echo(f"{count(report.checked, 'quote')} checked, {len(report.not_found)} not found, "
                   f"{count(len(report.missing_sources), 'source text')} missing")
    ctx.exit(2 if report.missing_sources else 1 if report.not_found else 0)
