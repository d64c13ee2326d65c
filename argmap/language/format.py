"""`argmap fmt`: one canonical layout for map files, keeping every comment where it was.

Lark drops comments (they are part of the ignored line breaks), so the formatter does not print a
syntax tree. It works line by line on the text and uses the parser only to refuse a file with
syntax errors. The language is line-oriented (a statement header at column 0, attribute lines
indented, strings never spanning lines), so each line is re-spaced on its own:

- a statement line at column 0; every attribute line indented by two spaces;
- one space between tokens, none before ``:``, ``)`` and ``.`` or after ``(`` and ``.``;
- a comment after code is kept on its line, two spaces after the code; a comment line keeps its
  place (at column 0, or indented by two spaces if it was indented inside a statement);
- no trailing whitespace, at most one blank line in a row, none at the start or the end of a file,
  and one final newline.

Strings, numbers, ids and comment texts are copied exactly as written (escapes included); long
strings are not wrapped, because a string may not span lines (LANGUAGE.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from argmap.language.diagnostics import Diagnostic
from argmap.language.parse import chunks, parse_chunk
from argmap.language.source import SourceFile

INDENT = "  "

# The terminals of grammar/argmap.lark that can appear on a line, strings and comments first so
# that a `#` or `:` inside a string is never read as a comment or a colon.
_TOKEN = re.compile(r"""
    (?P<ws>[ \t]+)
  | (?P<string>"(?:[^"\\\n]|\\.)*")
  | (?P<comment>\#.*)
  | (?P<number>[0-9]+(?:\.[0-9]+)?|\.[0-9]+)
  | (?P<word>[a-z][a-z0-9_]*)
  | (?P<punct>[:.()])
""", re.VERBOSE)

_NO_SPACE_BEFORE = {":", ")", "."}
_NO_SPACE_AFTER = {"(", "."}


@dataclass(frozen=True)
class Formatted:
    text: str | None                 # None when the file was refused
    diagnostics: list[Diagnostic]    # why it was refused (syntax errors), else empty

    @property
    def ok(self) -> bool:
        return self.text is not None


def syntax_errors(src: SourceFile) -> list[Diagnostic]:
    """Every syntax error of one file, exactly as `argmap check` reports them."""
    parts, diags = chunks(src)
    for ch in parts:
        diags.extend(parse_chunk(src, ch)[1])
    return [d for d in diags if d.severity == "error"]


def format_source(src: SourceFile) -> Formatted:
    """The canonical layout of one file, or its syntax errors (then nothing is formatted)."""
    errors = syntax_errors(src)
    if errors:
        return Formatted(None, errors)
    return Formatted(format_text(src.text), [])


def format_text(text: str) -> str:
    """Re-space text that parses (the caller checks that); see the module docstring for the rules.

    >>> print(format_text('claim  c : "C # not a comment"   # why\\n\\tif not(a)and b . inner\\n\\n\\n'), end="")
    claim c: "C # not a comment"  # why
      if not (a) and b.inner
    """
    out: list[str] = []
    in_statement = False
    for line in text.split("\n"):
        stripped = line.strip(" \t")
        if not stripped:
            if out and out[-1] != "":
                out.append("")
            continue
        indented = line[:1] in (" ", "\t")
        if stripped.startswith("#"):
            out.append((INDENT if indented and in_statement else "") + stripped.rstrip())
            continue
        if not indented:
            in_statement = True
        out.append((INDENT if indented else "") + _respace(stripped))
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n" if out else ""


def _respace(line: str) -> str:
    pieces: list[str] = []
    comment = None
    pos = 0
    while pos < len(line):
        m = _TOKEN.match(line, pos)
        if m is None:        # cannot happen for text that parsed; refuse rather than guess
            raise ValueError(f"unexpected text at column {pos + 1}: {line[pos:pos + 20]!r}")
        pos = m.end()
        kind = m.lastgroup
        if kind == "ws":
            continue
        if kind == "comment":
            comment = m.group().rstrip()
            break
        tok = m.group()
        if pieces and tok not in _NO_SPACE_BEFORE and pieces[-1] not in _NO_SPACE_AFTER:
            pieces.append(" ")
        pieces.append(tok)
    code = "".join(pieces)
    if comment is None:
        return code
    return f"{code}  {comment}" if code else comment
