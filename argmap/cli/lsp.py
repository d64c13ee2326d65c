"""`argmap lsp`: the language server for editors, over standard input and output."""

from __future__ import annotations

import click

from argmap.cli.shared import main
from argmap.errors import ToolMissingError


@main.command()
@click.option("--stdio", is_flag=True, help="Speak over standard input/output (the default and only transport).")
def lsp(stdio):
    """Run the language server (diagnostics, hover, definitions, rename, completion) on stdio.

    Editors start it themselves; see docs/editors.md. Needs the `lsp` extra (pygls).
    """
    try:
        import pygls  # noqa: F401
    except ImportError:
        error = ToolMissingError("the language server needs pygls, which is not installed")
        error.hint = "pip install 'argmap[lsp]'"
        raise error from None
    from importlib.metadata import PackageNotFoundError, version

    from argmap.cachedir import one_shot_process
    from argmap.lsp.server import serve
    one_shot_process(False)         # a server lives on: no map's objects may be frozen for good
    try:
        own = version("argmap")
    except PackageNotFoundError:
        own = "0"
    serve(own)
