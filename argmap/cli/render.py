"""`argmap render` (diagrams as .svg/.png/.pdf/.dot) and `argmap export` (the whole map as json/dot/...).

The commands only parse flags, pick a view (argmap.render.view), write DOT (argmap.render.dot) and,
for svg/png, run Graphviz (argmap.render.graphviz_run) and check the SVG (argmap.render.svgcheck).
Exit codes: 2 bad flags or output path, 3 layout failed or timed out, 4 Graphviz missing.
"""

from __future__ import annotations

from pathlib import Path

import click

from argmap.errors import UsageError


import argmap.cli.complete as complete
from argmap.cli.shared import Seconds, emit_json, load_for_query, main, scenario_options
from argmap.export import EXPORTERS
from argmap.outputs import STDOUT, input_paths, shown_path, write_file
from argmap.words import count

OUTPUT_FORMATS = ("svg", "png", "pdf", "dot")


def _scenario(worldview, assume, deny):
    from argmap.analysis.queries import Scenario
    return Scenario(worldview=worldview, assume=list(assume), deny=list(deny))


def _output_path(output: str, fmt: str | None = None, allowed=OUTPUT_FORMATS) -> tuple[Path | None, str]:
    """(path, format) of ``-o``; path None for ``-`` (standard output, format from --format or svg)."""
    if output == STDOUT:
        return None, fmt or "svg"
    path = Path(output)
    fmt = fmt or path.suffix.lower().lstrip(".")
    if fmt not in allowed:
        raise UsageError(f"cannot tell the format of `{shown_path(output)}` from its extension",
                         hint="use one of: " + ", ".join(f".{f}" for f in allowed) + " (or --format)")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise UsageError(f"the output directory `{shown_path(parent)}` does not exist",
                         hint=f"create it: mkdir -p {shown_path(parent)}")
    return path, fmt


def _write(ctx, path: Path | None, data: bytes) -> None:
    """Standard output for ``-``; else argmap.outputs.write_file: atomic, never over an input of
    this command, through a link to its target (docs/rendering.md, "Where output goes")."""
    if path is None:
        import sys
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    write_file(path, data, input_paths(ctx.obj["maps"]))


def _require(amap, kind: str, name: str) -> None:
    from argmap.analysis.queries import require_assumption, require_node
    from argmap.language.validate import suggest
    if kind == "verdict":
        require_node(amap, name)
    elif kind == "assumption":
        require_assumption(amap, name)
    elif kind == "proposal" and name not in amap.proposals:
        raise UsageError(f"unknown proposal `{name}`",
                         hint=suggest(name, amap.proposals) or "proposals: " + ", ".join(amap.proposals))
    elif kind == "worldview" and name not in amap.worldviews:
        raise UsageError(f"unknown worldview `{name}`",
                         hint=suggest(name, amap.worldviews) or "worldviews: " + (", ".join(amap.worldviews) or "none"))


def build_view(amap, scenario, verdict=None, what_breaks=None, cruxes=False, matrix=False, compare=None,
               proposal=None, top=10, cluster="document"):
    """The view graph the flags ask for (exactly one focus; none → the whole map)."""
    from argmap.render import view as V
    focus = [name for name, on in (("--verdict", verdict), ("--what-breaks", what_breaks), ("--cruxes", cruxes),
                                   ("--matrix", matrix), ("--compare", compare)) if on]
    if len(focus) > 1:
        raise UsageError("choose one of " + ", ".join(focus), hint="each focus flag draws its own diagram")
    if proposal:
        _require(amap, "proposal", proposal)
    if verdict:
        _require(amap, "verdict", verdict)
        return V.verdict_view(amap, verdict, scenario)
    if what_breaks:
        _require(amap, "assumption", what_breaks)
        return V.what_breaks_view(amap, what_breaks, scenario, proposal)
    if cruxes:
        return V.cruxes_view(amap, scenario, top)
    if matrix:
        return V.matrix_view(amap, scenario)
    if compare:
        for w in compare:
            _require(amap, "worldview", w)
        return V.compare_view(amap, compare[0], compare[1], scenario)
    return V.map_view(amap, scenario, proposal=proposal, cluster_by=cluster)


def render_view(view, fmt: str, engine: str = "auto", timeout: float | None = None):
    """DOT text, or the checked svg/png bytes with the layout engine used."""
    from argmap.render.dot import to_dot
    src = to_dot(view)
    if fmt == "dot":
        return src.encode("utf-8"), None
    from argmap.render.draw import draw
    from argmap.render.svgcheck import check_svg
    out = draw(view, fmt, engine=engine, timeout=timeout)
    if fmt == "svg":
        check_svg(out.data)
    return out.data, out


@main.command()
@click.option("-o", "--output", required=True, metavar="FILE",
              help="Where to write the diagram (- for standard output); the extension picks the format: "
                   ".svg, .png, .pdf or .dot.")
@click.option("--format", "out_format", type=click.Choice(OUTPUT_FORMATS), default=None,
              help="The format, whatever the extension (with -o -: default svg).")
@click.option("--verdict", metavar="V", help="V's support structure down to its assumptions.",
              shell_complete=complete.verdicts_and_claims)
@click.option("--what-breaks", "what_breaks", metavar="A", help="Before/after denying assumption A.",
              shell_complete=complete.assumptions)
@click.option("--cruxes", is_flag=True, help="Assumptions ranked by impact, linked to the verdicts they break.")
@click.option("--top", type=click.IntRange(min=1), default=10, show_default=True, help="With --cruxes: how many.")
@click.option("--matrix", is_flag=True, help="The proposal × component verdict matrix.")
@click.option("--compare", nargs=2, metavar="W1 W2", help="Where two worldviews disagree, and why.",
              shell_complete=complete.worldviews)
@click.option("--proposal", metavar="P", shell_complete=complete.proposals, help="One proposal's verdicts and everything below them "
                                              "(with --what-breaks: only P's verdicts).")
@click.option("--cluster", type=click.Choice(["document", "proposal"]), default="document", show_default=True,
              help="Whole map / --proposal: group nodes by source file or by proposal.")
@click.option("--engine", "layout", type=click.Choice(["auto", "dot", "sfdp", "neato"]), default="auto",
              show_default=True, help="Graphviz layout; auto = dot, falling back to sfdp if dot fails.")
@click.option("--layout-timeout", type=Seconds(min=0.1), default=None, metavar="SECONDS",
              help="Seconds per layout attempt (default 20).")
@scenario_options
@click.pass_context
def render(ctx, output, out_format, verdict, what_breaks, cruxes, top, matrix, compare, proposal, cluster, layout,
           layout_timeout, worldview, assume, deny, as_json):
    """Draw a diagram of the map: focus on a verdict, a failure, the cruxes, the matrix, two worldviews
    or a proposal; with no focus flag, the whole map in clusters.

    \b
    argmap render --verdict imitative_amp_rat.inner -o inner.svg
    argmap render --what-breaks myopia_verification -o breaks.png
    argmap render --matrix --worldview hubinger2020_leanings -o matrix.svg
    """
    ctx.meta["argmap.json"] = as_json
    path, fmt = _output_path(output, out_format)
    if path is None and as_json:
        raise UsageError("--json and -o - would both write to standard output", hint="drop one of them")
    amap = load_for_query(ctx)
    scenario = _scenario(worldview, assume, deny)
    view = build_view(amap, scenario, verdict, what_breaks, cruxes, matrix, compare, proposal, top, cluster)
    data, how = render_view(view, fmt, layout, layout_timeout)
    _write(ctx, path, data)
    info = {"output": str(path) if path else STDOUT, "format": fmt, "nodes": len(view.nodes), "edges": len(view.edges),
            "engine": how.engine if how else None, "fallback": bool(how and how.attempts),
            "attempts": how.attempts if how else []}
    if as_json:
        return emit_json(info)
    if how and how.attempts:
        click.echo(f"note: {'; '.join(how.attempts)}; laid out with {how.engine} instead", err=True)
    click.echo(f"wrote {shown_path(path) if path else 'standard output'} ({fmt}, {count(len(view.nodes), 'node')}, "
               f"{count(len(view.edges), 'edge')})",
               err=path is None or not path.is_file())      # (a link to stdout: keep the data clean)


class _ExportCommand(click.Command):
    """Lists the formats of argmap.export.EXPORTERS under --help."""

    def format_epilog(self, ctx, formatter):
        with formatter.section("Formats"):
            formatter.write_dl([(name, desc) for name, (_, desc) in sorted(EXPORTERS.items())])
        super().format_epilog(ctx, formatter)


@main.command(cls=_ExportCommand)
@click.option("--format", "fmt", required=True, metavar="FORMAT",
              help="What to export: one of the formats listed below.",
              shell_complete=lambda ctx, param, incomplete: [f for f in sorted(EXPORTERS) if f.startswith(incomplete)])
@click.option("-o", "--output", metavar="FILE", help="Write here instead of stdout (- is stdout).")
@click.option("--worldview", "-w", metavar="W", help="Statuses under worldview W (json: in addition to each worldview).",
              shell_complete=complete.worldviews)
@click.option("--assume", multiple=True, metavar="A", help="Fix assumption A to true (repeatable).",
              shell_complete=complete.assumptions)
@click.option("--deny", multiple=True, metavar="A", help="Fix assumption A to false (repeatable).",
              shell_complete=complete.assumptions)
@click.pass_context
def export(ctx, fmt, output, worldview, assume, deny):
    """Export the whole map in one of the formats listed below."""
    if fmt.lower() not in EXPORTERS:
        raise UsageError(f"unknown export format `{fmt}`", hint="choose one of: " + ", ".join(sorted(EXPORTERS)))
    path = None
    if output and output != STDOUT:
        path = Path(output)
        parent = path.parent if str(path.parent) else Path(".")
        if not parent.is_dir():
            raise UsageError(f"the output directory `{shown_path(parent)}` does not exist",
                         hint=f"create it: mkdir -p {shown_path(parent)}")
    amap = load_for_query(ctx)
    from argmap.export import exporter
    maps = ctx.obj["maps"]
    names = [shown_path(m) for m in maps]
    # (a folder without claims/ is read file by file: name a few, not all twenty)
    title = ", ".join(names) if len(names) <= 3 else f"{', '.join(names[:3])} and {len(names) - 3} more"
    result = exporter(fmt.lower())(amap, _scenario(worldview, assume, deny), title=title)
    for note in result.notes:
        click.echo(note, err=True)
    text = result.text
    if path is None:
        click.echo(text, nl=False)
    else:
        _write(ctx, path, text.encode("utf-8"))
        click.echo(f"wrote {shown_path(path)} ({fmt})", err=True)
