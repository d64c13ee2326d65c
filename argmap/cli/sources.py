"""`argmap sources list` (where to get each source text) and `argmap sources verify` (every `cite`
quote against the texts, after checking that each text is the copy the quotes were checked against)."""

from __future__ import annotations

import click

from argmap.cli.shared import emit_json, load_for_query, main

FINGERPRINT_WORDS = {
    "matches": "is the copy the quotes were checked against (sha256 matches)",
    "differs": "differs from the copy the quotes were checked against (sha256 {sha256}, the map pins "
               "{expected}); quotes that are not found below may be the copy's fault, not the map's",
    "unpinned": "found (the map gives no sha256 to compare it with)",
}


@main.group()
def sources():
    """Where to get the source texts, and checking the map's quotes against them."""


@sources.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document on stdout.")
@click.pass_context
def sources_list(ctx, as_json):
    """Every source of the map: its file name, where to get it (url) and its fingerprint (sha256)."""
    amap = load_for_query(ctx.parent)
    rows = [{"source": sid, "title": s.title, "by": s.by, "year": s.year, "file": s.file, "url": s.url,
             "sha256": s.sha256} for sid, s in amap.sources.items()]
    if as_json:
        return emit_json({"sources": rows})
    from argmap.analysis.provenance import where_to_get
    click.echo(where_to_get(amap))


@sources.command("verify")
@click.option("--sources", "sources_dir", envvar="ARGMAP_SOURCES", show_envvar=True,
              type=click.Path(file_okay=False),
              help="The folder that holds each source's `file` (default: $ARGMAP_SOURCES).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document on stdout.")
@click.pass_context
def sources_verify(ctx, sources_dir, as_json):
    """Is each source text the copy the quotes were checked against (its sha256), and does every
    `cite` quote occur verbatim in it? Exit 1 if a quote is not found, 2 if a text is missing."""
    from argmap.analysis.provenance import QuoteReport, SourceProblem, verify_quotes, where_to_get
    amap = load_for_query(ctx.parent)
    if sources_dir is None:
        report = QuoteReport(checked=0, not_found=[], missing_sources=[
            SourceProblem(source=sid, problem="no folder of source texts given", url=s.url)
            for sid, s in amap.sources.items()])
    else:
        report = verify_quotes(amap, sources_dir)
    if as_json:
        emit_json(report)
    else:
        for s in (s for s in report.sources if s.fingerprint != "missing"):   # missing: an error below
            words = FINGERPRINT_WORDS[s.fingerprint].format(sha256=s.sha256, expected=s.expected)
            click.echo(f"{s.source}: {s.file} {words}", err=s.fingerprint != "matches")
        for q in report.not_found:
            click.echo(f"{q.file}:{q.line}: quote not found in {q.source}: \"{q.quote}\"", err=True)
        for m in report.missing_sources:
            click.echo(f"error: source `{m.source}`: {m.problem}", err=True)
        if report.missing_sources:
            click.echo(where_to_get(amap), err=True)
        from argmap.words import count
        click.echo(f"{count(report.checked, 'quote')} checked, {len(report.not_found)} not found, "
                   f"{count(len(report.missing_sources), 'source text')} missing")
    ctx.exit(2 if report.missing_sources else 1 if report.not_found else 0)
