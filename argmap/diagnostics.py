"""Diagnostics: every problem argmap finds in a map, with a stable code, a place and a hint.

A diagnostic is data; formatting it for a terminal is a separate function so that the JSON
contract (``severity, code, message, file, line, column``) and the human form
(``FILE:LINE:COL: error[CODE]: message`` + source line + caret + hint) come from one object.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

Severity = Literal["error", "warning"]


class Diagnostic(BaseModel):
    model_config = ConfigDict(frozen=True)

    severity: Severity
    code: str
    message: str
    file: str
    line: int
    column: int
    hint: str | None = None
    source_line: str | None = None

    def sort_key(self) -> tuple:
        return (self.file, self.line, self.column, self.severity != "error", self.code, self.message)

    def to_contract(self) -> dict:
        """The JSON shape of LANGUAGE.md's CLI contract, plus the hint."""
        out = {"severity": self.severity, "code": self.code, "message": self.message,
               "file": self.file, "line": self.line, "column": self.column}
        if self.hint:
            out["hint"] = self.hint
        return out

    def format(self) -> str:
        """The compiler-style text form editors can jump to.

        >>> print(Diagnostic(severity="error", code="E201", message="unknown id `mypia`", file="a.argmap",
        ...       line=3, column=6, hint="did you mean `myopia`?", source_line="  if mypia").format())
        a.argmap:3:6: error[E201]: unknown id `mypia`
            3 |   if mypia
              |      ^
          hint: did you mean `myopia`?
        """
        lines = [f"{self.file}:{self.line}:{self.column}: {self.severity}[{self.code}]: {self.message}"]
        if self.source_line is not None:
            shown = _printable(self.source_line)
            gutter = str(self.line)
            lines.append(f"    {gutter} | {shown}")
            caret_at = len(_printable(self.source_line[: max(self.column - 1, 0)]))
            lines.append(f"    {' ' * len(gutter)} | {' ' * caret_at}^")
        if self.hint:
            lines.append(f"  hint: {self.hint}")
        return "\n".join(lines)


def _printable(text: str) -> str:
    """Source lines may hold control characters; never send them raw to a terminal."""
    return "".join(ch if ch == "\t" or (ch.isprintable()) else "\ufffd" for ch in text).replace("\t", " ")


def sort_diagnostics(diags: list[Diagnostic]) -> list[Diagnostic]:
    return sorted(set(diags), key=Diagnostic.sort_key)


class ArgmapError(Exception):
    """Base of the errors argmap raises to library users; the CLI maps them to exit codes."""

    exit_code = 2


class MapError(ArgmapError):
    """The map has error diagnostics, so it cannot be queried."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = diagnostics
        errors = [d for d in diagnostics if d.severity == "error"]
        super().__init__(f"the map has {len(errors)} error(s); run `argmap check` to see them")


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
