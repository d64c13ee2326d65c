"""`argmap fmt`: one canonical layout for map files, keeping every comment where it was.

Lark drops comments (they are part of the ignored line breaks), so the formatter does not print a
syntax tree. It works on the text, one logical line at a time (a line of code and the `...`
continuation lines below it), and uses the parser only to refuse a file with syntax errors:

- a statement line at column 0; every attribute line indented by two spaces;
- one space between tokens, none before ``:``, ``)`` and ``.`` or after ``(`` and ``.``;
- a comment after code is kept on its line, two spaces after the code (after the last piece of a
  continued string); a comment line keeps its place (at column 0, or indented by two spaces if it
  was indented inside a statement);
- no trailing whitespace, at most one blank line in a row, none at the start or the end of a file,
  and one final newline;
- strings are wrapped at WIDTH columns (see :func:`_wrap`): a string that was continued over
  `...` lines is joined first, so the wrapping depends only on its value and is the same every
  time; a line without strings (an `if` line, say) is never wrapped, since expressions cannot span
  lines.

Strings, numbers, ids and comment texts are copied exactly as written (escapes included); a
string is only ever cut between two of its words, after the space, so the joined value is the
same byte for byte.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from argmap.language.diagnostics import Diagnostic
from argmap.language.parse import chunks, continues, parse_chunk
from argmap.language.source import SourceFile

INDENT = "  "
WIDTH = 100      # columns (characters) a line's code may take; comments are not counted
CONTINUE = "..."

# The terminals of grammar/argmap.lark that can appear on a line, strings and comments first so
# that a `#` or `:` inside a string is never read as a comment or a colon.
_TOKEN = re.compile(r"""
    (?P<ws>[ \t]+)
  | (?P<string>"(?:[^"\\\n]|\\.)*")
  | (?P<comment>\#.*)
  | (?P<number>[0-9]+(?:\.[0-9]+)?|\.[0-9]+)
  | (?P<word>[a-z][a-z0-9_]*)
  | (?P<cont>\.\.\.)
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


def format_text(text: str, width: int = WIDTH) -> str:
    """Re-space text that parses (the caller checks that); see the module docstring for the rules.

    >>> print(format_text('claim  c : "C # not a comment"   # why\\n\\tif not(a)and b . inner\\n\\n\\n'), end="")
    claim c: "C # not a comment"  # why
      if not (a) and b.inner
    >>> print(format_text('assumption a: "one two "\\n  ... "three four"\\n', width=24), end="")
    assumption a: "one two "
      ... "three four"
    """
    out: list[str] = []
    in_statement = False
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.strip(" \t")
        end = i + 1
        while end < len(lines) and continues(lines[end]):
            end += 1
        if not stripped:
            if out and out[-1] != "":
                out.append("")
        elif stripped.startswith("#"):
            indented = line[:1] in (" ", "\t")
            out.append((INDENT if indented and in_statement else "") + stripped.rstrip())
        else:
            indented = line[:1] in (" ", "\t")
            if not indented:
                in_statement = True
            indent = INDENT if indented else ""
            out.extend(_layout(indent, [ln.strip(" \t") for ln in lines[i:end]], width))
            i = end
            continue
        i += 1
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n" if out else ""


class _Text:
    """A string value as written: the raw text between the quotes of all its pieces, joined."""

    __slots__ = ("raw",)

    def __init__(self, raw: str):
        self.raw = raw


def _tokens(physical: list[str]) -> tuple[list, str | None]:
    """The tokens of one logical line, continued strings joined into one _Text, and its comment."""
    toks: list = []
    comment = None
    join = False
    for number, line in enumerate(physical):
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
                if number != len(physical) - 1:      # (a syntax error, E114: refused before)
                    raise ValueError("a comment inside a continued string")
                comment = m.group().rstrip()
                break
            if kind == "cont":
                join = True
            elif kind == "string" and join:
                toks[-1] = _Text(toks[-1].raw + m.group()[1:-1])
                join = False
            elif kind == "string":
                toks.append(_Text(m.group()[1:-1]))
            else:
                toks.append(m.group())
    return toks, comment


def _layout(indent: str, physical: list[str], width: int) -> list[str]:
    toks, comment = _tokens(physical)
    lines = _wrap(indent, toks, width)
    if comment is not None:
        lines[-1] = f"{lines[-1]}  {comment}" if lines[-1].strip() else indent + comment
    return lines


def _gap(prev, tok) -> str:
    if prev is None or tok in _NO_SPACE_BEFORE or prev in _NO_SPACE_AFTER:
        return ""
    return " "


# A string's words: each with the spaces after it, so that a piece ends with a space and the next
# one starts with a word. An escape (`\"`, `\\`, or the invalid `\ ` that check reports) is
# never cut.
_WORDS = re.compile(r'(?:\\.|[^ \\])*(?: +)?')


def words(raw: str) -> list[str]:
    r"""The cutting points of a string's raw text; they join back to it.

    >>> words(r'say \"a  b\" \\ c ')
    ['say ', '\\"a  ', 'b\\" ', '\\\\ ', 'c ']
    """
    return [w for w in _WORDS.findall(raw) if w]


def _wrap(indent: str, toks: list, width: int) -> list[str]:
    """One logical line, its strings cut into `...` pieces so that each line takes at most `width`
    columns, greedily: a piece takes words while they fit, and always at least one, so a word
    longer than the width stands alone on its line. A string starts on the line where its
    attribute's other tokens are (a `...` line continues the string above it, nothing else), so
    what must stay together after a string's last word (a second string's first word) is counted
    in before that word is placed."""
    flat = indent
    prev = None
    for tok in toks:
        shown = f'"{tok.raw}"' if isinstance(tok, _Text) else tok
        flat += _gap(prev, "" if isinstance(tok, _Text) else tok) + shown
        prev = "" if isinstance(tok, _Text) else tok
    if len(flat) <= width or not any(isinstance(t, _Text) for t in toks):
        return [flat]
    lines: list[str] = []
    cur = indent
    prev = None
    cont = indent + INDENT + CONTINUE + ' "'
    for k, tok in enumerate(toks):
        if not isinstance(tok, _Text):
            cur += _gap(prev, tok) + tok
            prev = tok
            continue
        cur += _gap(prev, "") + '"'
        prev = ""
        parts = words(tok.raw)
        placed = 0
        for n, word in enumerate(parts):
            after = 1 + (_rigid(toks, k + 1) if n == len(parts) - 1 else 0)   # the closing quote, ...
            if placed and len(cur) + len(word) + after > width:
                lines.append(cur + '"')
                cur, placed = cont, 0
            cur += word
            placed += 1
        cur += '"'
    lines.append(cur)
    return lines


def _rigid(toks: list, k: int) -> int:
    """How many columns the tokens from `k` on take up to their first point where a line can break
    (after the first word of a string of several, closing that piece; or the end), i.e. what must
    follow a string's last word on its line."""
    n = 0
    prev = ""
    for tok in toks[k:]:
        if isinstance(tok, _Text):
            parts = words(tok.raw)
            n += len(_gap(prev, "")) + 1 + (len(parts[0]) if parts else 0) + 1   # quotes around it
            if len(parts) > 1:      # (the piece may close after its first word)
                return n
            prev = ""
        else:
            n += len(_gap(prev, tok)) + len(tok)
            prev = tok
    return n
