"""Diagnostics: every problem argmap finds in a map, with a stable code, a place and a hint.

A diagnostic is data; formatting it for a terminal is a separate function so that the JSON
contract (``severity, code, message, file, line, column``) and the human form
(``FILE:LINE:COL: error[CODE]: message`` + source line + caret + hint) come from one object.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from argmap.dumpable import Dumpable

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Diagnostic(Dumpable):
    """One problem: built by keyword; frozen and hashable, so duplicates collapse in a set."""

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
            # Clip first: _printable maps characters one to one, and lines may be 100,000 long.
            shown, caret_at = _window(self.source_line, max(self.column - 1, 0))
            shown = _printable(shown)
            gutter = str(self.line)
            lines.append(f"    {gutter} | {shown}")
            lines.append(f"    {' ' * len(gutter)} | {' ' * caret_at}^")
        if self.hint:
            lines.append(f"  hint: {self.hint}")
        return "\n".join(lines)


def _printable(text: str) -> str:
    """Source lines may hold control characters; never send them raw to a terminal."""
    return "".join(ch if ch == "\t" or (ch.isprintable()) else "\ufffd" for ch in text).replace("\t", " ")


SHOWN_WIDTH = 100   # characters of a source line shown under a diagnostic


def _window(text: str, at: int) -> tuple[str, int]:
    """Clip a long source line to SHOWN_WIDTH characters around column ``at`` (0-based).

    A 100,000-term line must not print 100,000 characters (twice, with the caret line) per error.

    >>> _window("x" * 10 + "^" + "y" * 300, 10)[1]
    10
    >>> shown, at = _window("a" * 500 + "!" + "b" * 500, 500)
    >>> len(shown) <= SHOWN_WIDTH + 2, shown[at]
    (True, '!')
    """
    if len(text) <= SHOWN_WIDTH:
        return text, min(at, len(text))
    start = max(0, min(at - SHOWN_WIDTH // 2, len(text) - SHOWN_WIDTH))
    end = start + SHOWN_WIDTH
    shown = text[start:end]
    caret = at - start
    if start > 0:
        shown, caret = "\u2026" + shown, caret + 1
    if end < len(text):
        shown += "\u2026"
    return shown, min(caret, len(shown))


def sort_diagnostics(diags: list[Diagnostic]) -> list[Diagnostic]:
    return sorted(set(diags), key=Diagnostic.sort_key)


# The exception classes live in argmap.errors (no pydantic, so the CLI starts fast).
from argmap.errors import (ArgmapError, InconclusiveError, InconsistentError, MapError,  # noqa: E402,F401
                     ToolMissingError, UsageError)
