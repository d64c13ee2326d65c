"""Locate and load the grammar once.

The grammar lives at the top of the repository (``grammar/argmap.lark``); the wheel carries a copy
inside the package (``argmap/grammar/argmap.lark``, see pyproject's force-include).
"""

from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path

KEYWORDS = frozenset({
    "source", "assumption", "claim", "proposal", "conflict", "worldview", "expect",
    "by", "year", "file", "url", "sha256", "if", "unless", "assume", "deny", "credence", "under", "requires", "uses",
    "independent_of", "consistent", "holds", "fails", "open", "cite", "note", "and", "or", "not",
})
STATEMENT_KEYWORDS = ("assumption", "claim", "conflict", "expect", "proposal", "source", "worldview")


def grammar_text() -> str:
    packaged = resources.files("argmap").joinpath("grammar", "argmap.lark")
    if packaged.is_file():
        return packaged.read_text(encoding="utf-8")
    repo = Path(__file__).resolve().parents[2] / "grammar" / "argmap.lark"
    return repo.read_text(encoding="utf-8")


class IndentPostLexer:
    """Turns the indentation that follows a line break into an ``_INDENT`` token.

    (Not after a ``CONTINUE`` token: the indentation of a `...` line is part of that token.)"""

    # Lexing ID everywhere makes `iff` one (unknown) word instead of the keyword `if` + `f`.
    always_accept = ("ID",)

    def process(self, stream):
        from lark import Token
        for tok in stream:
            yield tok
            if tok.type == "_NL":
                indent = tok.value.rsplit("\n", 1)[-1]
                if indent and "\n" in tok.value:
                    yield Token.new_borrow_pos("_INDENT", indent, tok)


@functools.lru_cache(maxsize=1)
def parser():
    from lark import Lark
    return Lark(grammar_text(), parser="lalr", lexer="contextual", postlex=IndentPostLexer(),
                maybe_placeholders=True)
