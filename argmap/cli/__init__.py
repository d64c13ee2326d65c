"""The command line: flags → library calls → text or JSON, and the documented exit codes.

``shared`` holds the group, the scenario options, JSON output, map loading and error handling; it
imports no command. Each module of ``COMMANDS`` adds its commands to ``main``, and is imported only
when one of them is asked for; adding a command touches its module and this table. Heavy modules
(z3, pydantic) are imported inside the commands, so that `argmap --help` stays fast.
"""

from __future__ import annotations

from argmap.cli.shared import main

# module -> the commands it adds. A module is imported when one of its commands runs (or when
# every command is listed, as `--help` does): `argmap check` need not import the renderers,
# exporters and differ of the other commands (~10 ms of every start). tests/test_cli_lazy.py
# checks that this table names exactly the commands each module defines.
COMMANDS = {
    "argmap.cli.check": ("check", "test"),
    "argmap.cli.queries": ("verdicts", "why", "cuts", "what-breaks", "cruxes"),
    "argmap.cli.explain": ("show", "list"),
    "argmap.cli.sources": ("sources",),
    "argmap.cli.lsp": ("lsp",),                  # the language server
    "argmap.cli.analysis": ("crux", "prob", "report"),
    "argmap.cli.render": ("render", "export"),
    "argmap.cli.interchange": ("fmt", "diff"),
}
main.lazy_commands = {name: module for module, names in COMMANDS.items() for name in names}

__all__ = ["main"]
