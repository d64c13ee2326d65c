"""Columns as argmap counts them ↔ positions as an LSP client counts them.

argmap's diagnostics and spans use 1-based lines and 1-based columns counted in characters (code
points). LSP positions are 0-based, and their ``character`` is counted in the code units of the
negotiated encoding: UTF-16 unless client and server agreed on another (``😀`` is one code point but
two UTF-16 units), so a plain ``column - 1`` would put every diagnostic after an emoji one unit off.
"""

from __future__ import annotations

import re

UTF8, UTF16, UTF32 = "utf-8", "utf-16", "utf-32"

# An id, possibly dotted (`plan.inner`): what a diagnostic at its first character is about.
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)?")
_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"?')
_CONTINUE = re.compile(r"\.\.\.")      # a `...` continuation marker (a misplaced one is E114)


def units(text: str, encoding: str = UTF16) -> int:
    """Length of ``text`` in code units of ``encoding``.

    >>> units("a😀b"), units("a😀b", UTF32), units("é", UTF8)
    (4, 3, 2)
    """
    if encoding == UTF32:
        return len(text)
    if encoding == UTF8:
        return len(text.encode("utf-8", "surrogatepass"))
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def to_lsp(line_text: str, index: int, encoding: str = UTF16) -> int:
    """0-based code point index in a line → LSP ``character`` (clamped to the line's end)."""
    return units(line_text[: max(index, 0)], encoding)


def from_lsp(line_text: str, character: int, encoding: str = UTF16) -> int:
    """LSP ``character`` → 0-based code point index; a position inside a surrogate pair rounds down.

    >>> from_lsp("a😀b", 3), from_lsp("a😀b", 2), from_lsp("ab", 99)
    (2, 1, 2)
    """
    if encoding == UTF32:
        return min(max(character, 0), len(line_text))
    seen = 0
    for i, ch in enumerate(line_text):
        step = units(ch, encoding)
        if seen + step > character:
            return i
        seen += step
    return len(line_text)


def token_end(line_text: str, start: int) -> int:
    """Where the token that starts at code point ``start`` ends, so a diagnostic underlines it.

    An id (dotted or not), a string or a `...` is underlined whole; anything else is one character; a
    position at the end of the line (e.g. "the line ends too early") gets an empty range there.

    >>> token_end("  if myopia_verificaton", 5), token_end('claim c: "open', 9), token_end("a & b", 2)
    (23, 14, 3)
    """
    if start >= len(line_text):
        return len(line_text)
    for pattern in (_WORD, _STRING, _CONTINUE):
        m = pattern.match(line_text, start)
        if m:
            return m.end()
    return start + 1


def diagnostic_range(lines: list[str], line: int, column: int,
                     encoding: str = UTF16) -> tuple[tuple[int, int], tuple[int, int]]:
    """1-based (line, column) of a diagnostic → an LSP ((line, char), (line, char)) range.

    >>> diagnostic_range(["claim c: \\"C\\"", "  if myopia_verificaton"], 2, 6)
    ((1, 5), (1, 23))
    >>> diagnostic_range(['a: "😀" x'], 1, 8)      # `x` is code point 7, but UTF-16 unit 8
    ((0, 8), (0, 9))
    """
    row = min(max(line - 1, 0), max(len(lines) - 1, 0))
    text = lines[row] if lines else ""
    start = min(max(column - 1, 0), len(text))
    end = token_end(text, start)
    return (row, to_lsp(text, start, encoding)), (row, to_lsp(text, end, encoding))
