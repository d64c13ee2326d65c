"""The text a diagram shows: normalisation (documented in docs/rendering.md) and wrapping.

Shared by the view (which wraps labels) and the DOT writer (which escapes them); plain string
code, no Graphviz.
"""

from __future__ import annotations

import re
import textwrap

# Characters XML 1.0 forbids in the SVG (plus NUL and DEL): dot would write them into the SVG raw.
_CTRL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
MAX_CHARS = 1000            # dot's hard limit is 16,381 bytes per string; a label never needs more


def normalise(text: str, max_chars: int = MAX_CHARS) -> str:
    """The text a diagram shows for ``text``: the documented normalisation (docs/rendering.md).

    Lone surrogates and characters XML forbids become U+FFFD, CR/CRLF become LF, and text longer
    than ``max_chars`` is cut to ``max_chars - 1`` characters plus "…".
    """
    text = _SURROGATE.sub("\ufffd", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CTRL.sub("\ufffd", text)
    if len(text) > max_chars:
        text = text[: max_chars - 1] + "\u2026"
    return text


def wrap(text: str, width: int, max_lines: int) -> str:
    """Wrap ``text`` to lines of about ``width`` characters (keeping the user's own line breaks);
    beyond ``max_lines`` lines the last one ends with "…". Whitespace runs become single breaks."""
    lines: list[str] = []
    for para in text.split("\n"):
        lines.extend(textwrap.wrap(para, width=width, break_on_hyphens=False) or [""])
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: max(width - 1, 1)] + "\u2026"
    return "\n".join(lines)
