"""The errors argmap raises to library users; the CLI maps each to its exit code."""

from __future__ import annotations


class ArgmapError(Exception):
    """Base of the errors argmap raises to library users; the CLI maps them to exit codes."""

    exit_code = 2


class MapError(ArgmapError):
    """The map has error diagnostics, so it cannot be queried."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = diagnostics
        errors = [d for d in diagnostics if d.severity == "error"]
        super().__init__(f"the map has {len(errors)} error{'' if len(errors) == 1 else 's'}; "
                         "run `argmap check` to see them")


class UsageError(ArgmapError):
    """Something named on the command line or in an API call does not exist or does not fit."""

    def __init__(self, message: str, hint: str | None = None):
        self.hint = hint
        super().__init__(message)


class InconsistentError(ArgmapError):
    """The scenario asked about (map + worldview + --assume/--deny) is unsatisfiable."""

    exit_code = 1

    def __init__(self, message: str, conflict):
        self.conflict = conflict
        super().__init__(message)


class InconclusiveError(ArgmapError):
    """The solver answered `unknown` (a timeout or resource limit): never a verdict."""

    exit_code = 3


class ToolMissingError(ArgmapError):
    """A required external program (e.g. Graphviz `dot`) is not installed."""

    exit_code = 4
