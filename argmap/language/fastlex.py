"""Lark's LALR parser and contextual lexer as one loop, for text that parses.

Lark spends much of a parse in Python bookkeeping per token: three layers of ``match`` calls, a
line counter object, the post-lexer's generator, a parser-state method call. On the corpus,
~10,800 tokens took ~57 ms, a third of a first `argmap check`; on a 100k-statement map, parsing
is most of the 8 s of ``read_map``. This module reads the per-state regular expressions, keyword
callbacks, ignored and newline terminals out of the parser Lark built (:func:`tables`), so it
chooses exactly the tokens Lark would, and feeds them to Lark's own parse table and callbacks
(the statement builder) in one loop that also puts in the ``_INDENT`` tokens of
:class:`argmap.language.grammar.IndentPostLexer`. Corpus: 57 -> 41 ms; wide 100k map,
``read_map`` 8.1 -> 5.6 s.

It only has a happy path: wherever Lark would raise, or its lexer is made in a way this loop does
not model, it raises :class:`Fallback`, and the caller parses the statement again with Lark's own
``parse``, which then raises the error users see (same message, same position). Parse trees and
token streams, positions included, are compared with Lark's on the corpus, the test fixtures and
generated text in tests/test_fastlex.py.
"""

from __future__ import annotations

from lark import Token
from lark.lexer import ContextualLexer, PatternStr, UnlessCallback
from lark.parsers.lalr_analysis import Shift


class Fallback(Exception):
    """This text needs Lark's own lexer (an error to report, or a case not modelled here)."""


class _Tables(dict):
    """Per parser state: (compiled expressions, (the regex terminal, {keyword: its terminal}) or
    None, ignored terminals, terminals that can hold a newline), read from the contextual lexer's
    per-state lexer on first use, as Lark builds its scanners (building all 168 up front cost
    ~6 ms of regular expressions, most for states no statement reaches)."""

    def __init__(self, lexer: ContextualLexer):
        super().__init__()
        self._lexers = lexer.lexers
        self._made: dict[int, tuple | None] = {}

    def __missing__(self, state):
        basic = self._lexers[state]             # (a KeyError: the caller falls back)
        key = id(basic)
        if key not in self._made:
            self._made[key] = _entry(basic)
        entry = self[state] = self._made[key]
        if entry is None:
            raise KeyError(state)
        return entry


def _entry(basic) -> tuple | None:
    try:
        scanner = basic.scanner                 # (built on first use: also makes basic.callback)
        if basic.user_callbacks or not all(hasattr(basic, a) for a in ("callback", "ignore_types", "newline_types")):
            return None
        mres = tuple(scanner._mres)
    except AttributeError:
        return None
    keywords = None
    for kind, callback in basic.callback.items():
        if keywords is not None or not isinstance(callback, UnlessCallback) or \
                not all(isinstance(t.pattern, PatternStr) and not t.pattern.flags for t in callback.scanner.terminals):
            return None                         # (not how this grammar's lexer is made)
        keywords = (kind, {t.pattern.value: t.name for t in callback.scanner.terminals})
    return mres, keywords, frozenset(basic.ignore_types), frozenset(basic.newline_types)


def tables(lark_parser) -> dict | None:
    """The per-state tables of a Lark instance built from this grammar; None when its lexer is set
    up in a way this loop does not model (another lexer or post-lexer)."""
    from argmap.language.grammar import IndentPostLexer
    try:
        # what parse() reads of Lark's internals (checked with Lark 1.2.2 and 1.3.1); a Lark
        # without them gets Lark's own parse, never an AttributeError mid-parse
        frontend = lark_parser.parser
        frontend.parser._parse_table.states, frontend.parser.parser.callbacks, frontend.parser_conf.start
        connector = frontend.lexer
        lexer = connector.lexer
        lexer.lexers
    except AttributeError:
        return None
    if not isinstance(lexer, ContextualLexer) or not isinstance(getattr(connector, "postlexer", None), IndentPostLexer):
        return None
    return _Tables(lexer)


def parse(lark_parser, tables: dict, text: str, trace: list | None = None):
    """Parse ``text`` with the LALR tables and callbacks of ``lark_parser`` (the statement builder
    runs at each reduction, as in ``lark_parser.parse``); raises :class:`Fallback` wherever Lark
    would raise, and the caller parses again with ``lark_parser.parse``.

    The loop is Lark's own (``ParserState.feed_token`` and ``ContextualLexer.lex``), merged: one
    frame instead of a generator, a lexer and a parser object per token.
    ``trace`` (tests) receives every token fed to the parser, ``$END`` included."""
    lalr = lark_parser.parser.parser
    table = lalr._parse_table
    callbacks = lalr.parser.callbacks
    start = lark_parser.parser.parser_conf.start[0]
    states, end_state = table.states, table.end_states[start]
    state_stack, value_stack = [table.start_states[start]], []
    new_str = str.__new__
    end = len(text)
    pos, line, line_start = 0, 1, 0
    tok = None
    while True:
        if pos < end:
            try:
                mres, keywords, ignore, newline = tables[state_stack[-1]]
            except KeyError:
                raise Fallback from None    # (a state whose lexer is not made as this loop assumes)
            for mre in mres:
                m = mre.match(text, pos)
                if m is not None:
                    break
            else:
                raise Fallback              # Lark raises UnexpectedCharacters (or UnexpectedToken) here
            value, kind = m.group(0), m.lastgroup
            start_pos, first, column = pos, line, pos - line_start + 1
            pos = m.end()
            if kind in newline:
                count = value.count("\n")
                if count:
                    line += count
                    line_start = start_pos + value.rindex("\n") + 1
            if kind in ignore:
                continue
            if keywords is not None and kind == keywords[0]:
                kind = keywords[1].get(value, kind)
            tokens = [_token(new_str, kind, value, start_pos, first, column, line, pos - line_start + 1, pos)]
            if kind == "_NL":
                indent = value.rsplit("\n", 1)[-1]
                if indent and "\n" in value:       # IndentPostLexer
                    t = tokens[0]
                    tokens.append(_token(new_str, "_INDENT", indent, t.start_pos, t.line, t.column,
                                         t.end_line, t.end_column, t.end_pos))
            is_end = False
        else:
            last = tok
            tokens = [_token(new_str, "$END", "", last.start_pos, last.line, last.column, last.end_line,
                             last.end_column, last.end_pos) if last is not None
                      else _token(new_str, "$END", "", 0, 1, 1, None, None, None)]
            is_end = True
        if trace is not None:
            trace.extend(tokens)
        for tok in tokens:
            kind = tok.type
            while True:                     # ParserState.feed_token
                try:
                    action, arg = states[state_stack[-1]][kind]
                except KeyError:
                    raise Fallback from None    # Lark raises UnexpectedToken here
                if action is Shift:
                    if is_end:
                        raise Fallback
                    state_stack.append(arg)
                    value_stack.append(tok if kind not in callbacks else callbacks[kind](tok))
                    break
                size = len(arg.expansion)
                if size:
                    children = value_stack[-size:]
                    del state_stack[-size:]
                    del value_stack[-size:]
                else:
                    children = []
                value = callbacks[arg](children) if callbacks else children
                _action, state = states[state_stack[-1]][arg.origin.name]
                state_stack.append(state)
                value_stack.append(value)
                if is_end and state == end_state:
                    return value_stack[-1]


def _token(new_str, kind, value, start_pos, line, column, end_line, end_column, end_pos) -> Token:
    """``Token(kind, value, ...)`` without its two layers of keyword handling."""
    tok = new_str(Token, value)
    tok.type, tok.value, tok.start_pos, tok.line, tok.column = kind, value, start_pos, line, column
    tok.end_line, tok.end_column, tok.end_pos = end_line, end_column, end_pos
    return tok
