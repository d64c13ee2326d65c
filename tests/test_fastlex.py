"""argmap.language.fastlex parses exactly as Lark's own lexer and parser do, or hands back.

The fast loop must pick the same tokens (type, text and every position) and build the same tree
wherever Lark's parser accepts the text, and must give up (``Fallback`` or Lark's own
``UnexpectedInput``) wherever Lark raises, so that the error users see is always Lark's.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lark import Token, Tree
from lark.exceptions import UnexpectedInput

from argmap.language import fastlex
from argmap.language.grammar import parser
from argmap.language.parse import chunks
from argmap.language.source import SourceFile

ROOT = Path(__file__).resolve().parent.parent


def _fields(tok: Token) -> tuple:
    return (tok.type, str(tok), tok.start_pos, tok.line, tok.column, tok.end_line, tok.end_column, tok.end_pos)


class _Recording:
    """Lark's own lexer thread, noting every token it hands the parser."""

    def __init__(self, inner):
        self.inner, self.tokens = inner, []

    def lex(self, parser_state):
        for tok in self.inner.lex(parser_state):
            self.tokens.append(tok)
            yield tok


def _lark_stream(lark_parser, text: str) -> list[tuple]:
    from lark.lexer import LexerThread
    frontend = lark_parser.parser
    thread = _Recording(LexerThread.from_text(frontend.lexer, text))
    frontend.parser.parse(thread, frontend.parser_conf.start[0])
    return [_fields(t) for t in thread.tokens]


def _tokens(tree) -> list[tuple]:
    """Every token of a parse tree with all of its positions (Token equality compares text only)."""
    out = []
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, Tree):
            stack.extend(reversed(node.children))
        elif isinstance(node, Token):
            out.append(_fields(node))
        else:
            out.append(node)
    return out


def same_as_lark(text: str) -> str:
    """"parsed" when both parse to the same tree with the same tokens, "error" when Lark raises
    and the fast loop gives up; fails the test otherwise."""
    lark_parser = parser()
    table = fastlex.tables(lark_parser)
    assert table is not None, "the tree parser's lexer is not the one fastlex models"
    try:
        expected = lark_parser.parse(text)
    except UnexpectedInput:
        with pytest.raises((fastlex.Fallback, UnexpectedInput)):
            fastlex.parse(lark_parser, table, text)
        return "error"
    trace: list = []
    got = fastlex.parse(lark_parser, table, text, trace=trace)
    assert got == expected
    assert _tokens(got) == _tokens(expected)
    # (and the tokens the tree drops: `_NL`, `_INDENT`, `$END`, whose positions errors quote)
    assert [_fields(t) for t in trace if t.type != "$END"] == _lark_stream(lark_parser, text)
    return "parsed"


def _statements(path: Path) -> list[str]:
    src = SourceFile(str(path), path.read_text(encoding="utf-8"))
    return [ch.text for ch in chunks(src)[0]] + [src.text]


def _files() -> list[Path]:
    found = sorted(ROOT.glob("claims/**/*.argmap")) + sorted(ROOT.glob("tests/**/*.argmap")) + \
        sorted(ROOT.glob("docs/**/*.argmap"))
    out = []
    for path in found:
        try:
            path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue                # (fixtures of undecodable input: the loader rejects them first)
        out.append(path)
    return out


def test_every_statement_of_the_corpus_and_the_fixtures():
    outcomes = [same_as_lark(text) for path in _files() for text in _statements(path)]
    assert outcomes.count("parsed") > 500          # the corpus alone has ~470 statements
    assert "error" in outcomes                     # the fixtures include syntax errors


def test_a_generated_map(tmp_path):
    import subprocess
    import sys
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "generate.py"), "--shape", "wide", "300",
                    str(tmp_path)], check=True, capture_output=True)
    outcomes = [same_as_lark(text) for path in sorted(tmp_path.glob("*.argmap")) for text in _statements(path)]
    assert outcomes and set(outcomes) == {"parsed"}


# Text made of the grammar's own pieces, so that most of it is nearly valid: keywords where ids go,
# ids that start like keywords (`iff`, `open_`), numbers of both kinds, `...` lines, comments,
# indentation of spaces and tabs, and stray characters.
PIECES = st.sampled_from([
    "assumption", "claim", "proposal", "conflict", "worldview", "expect", "source", "if", "unless",
    "and", "or", "not", "assume", "deny", "credence", "under", "requires", "uses", "independent_of",
    "consistent", "holds", "fails", "open", "cite", "note", "by", "year", "file", "url", "sha256",
    "a", "b1", "iff", "open_", "notes", "x_y", "p.outer", "outer", ":", ".", "(", ")", "0.5", "1", ".25",
    "2020", '"t"', '"a \\" b"', '"', "# c", "\n", "\n  ", "\n\t", "\n  ...", "\n    ... ", " ", "  ", "\t",
    "é", "-", "\r",
])


@settings(max_examples=400, deadline=None)
@given(st.lists(PIECES, max_size=40), st.sampled_from(["\n", ""]))
def test_generated_text(pieces, last):
    same_as_lark("".join(pieces) + last)


STATEMENT = st.sampled_from([
    'assumption a: "A"\n', 'assumption b: "B"\n  cite s "here" "q"\n  note "n"\n',
    'claim c: "C"\n  if a and not (b or a)\n  if b unless a\n', 'claim d: "x"\n  ... "y"\n  if c\n',
    'proposal p: "P"\n  outer: a\n  inner: c unless b\n', 'conflict k: a and b\n',
    'worldview w: "W"\n  assume a\n  deny b\n  credence a 0.5\n', 'expect p.outer requires a\n',
    'expect under w: c holds\n', 'expect consistent w\n', 'source s: "S"\n  by "X"\n  year 2020\n',
    '# comment\n', '\n',
])


@settings(max_examples=200, deadline=None)
@given(st.lists(STATEMENT, min_size=1, max_size=8), st.lists(PIECES, max_size=3), st.integers(0, 200))
def test_statements_with_damage(statements, damage, at):
    text = "".join(statements)
    at = at % (len(text) + 1)
    assert same_as_lark(text) == "parsed"
    same_as_lark(text[:at] + "".join(damage) + text[at:])


@pytest.mark.parametrize("text", [
    'assumption a: "A" # a comment and no line break',
    'assumption a: "A"\n  # an indented comment\n  note "n"\n',
    'claim c: "C"\n  if a # why\n\n\n  if b\n',
    'claim d: "x"\n  ... "y" # z\n    ... "w"\n  if c\n',
    'worldview w: "W"\n\tcredence a .5\n\tassume a\n',
    'source s: "S"\n  year 2020\n  sha256 "00"\n',
    'expect p.outer uses not a\n',
    'claim iff: "keyword-like id"\n  if open_ and notes\n',
    'claim c: "C"\n  if open\n',              # a keyword where an id goes: Lark's error
    'assumption a: "A"\n  note "unterminated\n',
    '',
])
def test_edge_cases(text):
    same_as_lark(text)


def test_the_building_parser_builds_the_same_statements_either_way():
    """The loader's parser (the statement builder at each reduction) with and without the loop."""
    from argmap.language.build import BuildingParser
    fast, plain = BuildingParser(), BuildingParser()
    plain._fast = None
    assert fast._fast is not None
    compared = 0
    for path in _files():
        src = SourceFile(str(path), path.read_text(encoding="utf-8"))
        for ch in chunks(src)[0]:
            try:
                want = plain.parse(src, ch.text, ch.first_line)
            except UnexpectedInput as exc:
                with pytest.raises(type(exc)):
                    fast.parse(src, ch.text, ch.first_line)     # (its fallback raises Lark's error)
                continue
            assert _plain(fast.parse(src, ch.text, ch.first_line)) == _plain(want)
            compared += 1
    assert compared > 500


def _plain(value):
    """Built statements as comparable values (an attribute line, ``_Attr``, has no ``==``)."""
    from argmap.language.assemble import _Attr
    if isinstance(value, _Attr):
        return ("attr", value.kind, _plain(value.values), value.span)
    if isinstance(value, (list, tuple)):
        return tuple(_plain(v) for v in value)
    if isinstance(value, Token):
        return _fields(value)
    return value


def test_a_lark_without_the_internals_it_reads_gets_no_tables():
    class Bare:
        parser = object()
    assert fastlex.tables(Bare()) is None
