"""The command line: flags → library calls → text or JSON, and the documented exit codes.

``shared`` holds the group, the scenario options, JSON output, map loading and error handling; it
imports no command. Each module of ``COMMANDS`` adds its commands to ``main``; adding a command
touches its module and, for a new module, this table. Heavy modules (z3, pydantic models of the
queries) are imported inside the commands, so that `argmap --help` stays fast.
"""

from __future__ import annotations

import importlib

from argmap.cli.shared import main

COMMANDS = (
    "argmap.cli.check",      # check, test
    "argmap.cli.queries",    # verdicts, why, cuts, what-breaks, cruxes
    "argmap.cli.explain",    # show, list
    "argmap.cli.sources",    # sources verify
    "argmap.cli.lsp",        # lsp, the language server
    "argmap.cli.analysis",   # crux, prob, report
    "argmap.cli.render",     # render, export
    "argmap.cli.interchange",  # fmt, diff
)
for _module in COMMANDS:
    importlib.import_module(_module)

__all__ = ["main"]
