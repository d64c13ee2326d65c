"""Verbatim-quote checking against the source texts.

A quote must occur in its source after both are put in the same canonical form. The canonical
form forgives exactly the differences that text extraction introduces, and nothing that changes
the words:

* Unicode compatibility forms (NFKC), so ligatures such as "ﬁ" read as "fi";
* typographic quote marks (“ ” ‘ ’ …) read as plain ``"`` and ``'``;
* dashes and hyphens (- ‐ ‑ ‒ – — ―) are dropped together with the white space around them, so
  "verify—such", "verify - such" and a word hyphenated across a line break ("hyphen-\\nated")
  all compare equal to their unbroken forms;
* lines that hold only a number (page numbers and section numbers of the PDF text) are dropped;
* Markdown footnote references (``[^12]``) and emphasis marks (``*``) are dropped;
* every run of white space becomes one space.
"""

from __future__ import annotations

import functools
import re
import unicodedata

_QUOTES = str.maketrans({
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'",
})
_NUMBER_LINE = re.compile(r"^[ \t]*\d+[ \t]*$", re.MULTILINE)
_FOOTNOTE_REF = re.compile(r"\[\^\d+\]")
_DASH = re.compile(r"\s*[-\u2010\u2011\u2012\u2013\u2014\u2015\u2212]+\s*")
_SPACE = re.compile(r"\s+")


def canonical(text: str) -> str:
    """The form in which quotes and sources are compared.

    >>> canonical("verify\\u2014such as “myopia”")
    'verifysuch as "myopia"'
    >>> canonical("hyphen-\\nated words\\n12\\nacross pages")
    'hyphenated words across pages'
    """
    text = unicodedata.normalize("NFKC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = text.translate(_QUOTES)
    text = _NUMBER_LINE.sub(" ", text)
    text = _FOOTNOTE_REF.sub("", text).replace("*", "")
    text = _DASH.sub("", text)
    return _SPACE.sub(" ", text).strip()


@functools.lru_cache(maxsize=8)
def _canonical_cached(text: str) -> str:
    return canonical(text)


def quote_occurs(quote: str, source_text: str) -> bool:
    """Whether ``quote`` occurs verbatim (up to :func:`canonical`) in ``source_text``.

    >>> quote_occurs("the “amplification operator”", "the \\u201camplification\\noperator\\u201d")
    True
    >>> quote_occurs("the amplification operators", "the amplification operator")
    False
    """
    needle = canonical(quote)
    return bool(needle) and needle in _canonical_cached(source_text)
