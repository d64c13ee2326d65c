"""The committed LALR tables (argmap/language/parser_tables.py) are the grammar's, and parse exactly
as a parser built from grammar/argmap.lark does: same trees (token types and positions included),
same syntax errors (kind, place, what was expected). Lark's state numbering differs from run to
run, so the file itself cannot be compared with a regenerated one; its behaviour is.
"""

from __future__ import annotations

import re
from pathlib import Path

import lark
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lark import Token, Tree
from lark.exceptions import UnexpectedInput

from argmap.language import grammar, parser_tables
from argmap.language.parse import chunks
from argmap.language.source import read_source
from tests.test_parser_fuzz import GRAMMAR_TEXT   # text drawn from the grammar, nearly all of it valid

ROOT = Path(__file__).resolve().parent.parent
REGENERATE = "run `python -m argmap.language.grammar` to regenerate argmap/language/parser_tables.py"


@pytest.fixture(scope="module")
def built():
    return grammar.build_parser()


@pytest.fixture(scope="module")
def loaded():
    p = grammar._tables_parser()
    assert p is not None, REGENERATE
    return p


def shape(node):
    if isinstance(node, Tree):
        return (node.data, tuple(shape(c) for c in node.children))
    if isinstance(node, Token):
        return (node.type, str(node), node.line, node.column, node.end_line, node.end_column)
    return node                                            # None: an absent optional (placeholder)


def outcome(parser, text: str):
    try:
        return ("tree", shape(parser.parse(text)))
    except UnexpectedInput as exc:
        token = getattr(exc, "token", None)
        return (type(exc).__name__, exc.line, exc.column, sorted(getattr(exc, "expected", None) or ()),
                None if token is None else (token.type, str(token)))


def test_tables_record_this_grammar_and_this_lark():
    assert parser_tables.GRAMMAR_SHA256 == grammar.grammar_sha256(), REGENERATE
    assert parser_tables.LARK_VERSION == lark.__version__, REGENERATE


def test_the_parser_in_use_is_the_loaded_one():
    # The fast path must actually be taken: a silent fallback would only cost time, invisibly.
    grammar.parser.cache_clear()
    try:
        assert grammar.parser().source_path == "<deserialized>"
    finally:
        grammar.parser.cache_clear()


def test_same_rules_and_terminals(built, loaded):
    assert sorted(map(str, loaded.rules)) == sorted(map(str, built.rules))
    assert sorted((t.name, repr(t.pattern)) for t in loaded.terminals) == \
        sorted((t.name, repr(t.pattern)) for t in built.terminals)


def statement_texts():
    files = sorted((ROOT / "claims").rglob("*.argmap")) + sorted((ROOT / "tests" / "fixtures").rglob("*.argmap"))
    assert len(files) > 20
    for path in files:
        src, _ = read_source(str(path))
        if src is not None:
            for ch in chunks(src)[0]:
                yield f"{path.relative_to(ROOT)}:{ch.first_line}", ch.text


def test_same_outcome_on_every_statement_of_the_corpus_and_fixtures(built, loaded):
    seen = {"tree": 0, "error": 0}
    for where, text in statement_texts():
        expected = outcome(built, text)
        assert outcome(loaded, text) == expected, where
        seen["tree" if expected[0] == "tree" else "error"] += 1
    assert seen["tree"] > 400 and seen["error"] > 5, seen      # both paths were exercised


def fast(n: int):
    return settings(max_examples=n, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


@fast(60)
@given(text=GRAMMAR_TEXT, cut=st.integers(0, 400), junk=st.text(max_size=3))
def test_same_outcome_on_generated_and_damaged_text(built, loaded, text, cut, junk):
    assert outcome(loaded, text) == outcome(built, text)
    damaged = text[:cut] + junk + text[cut:]
    assert outcome(loaded, damaged) == outcome(built, damaged)


def test_stale_tables_fall_back_to_the_grammar(monkeypatch):
    monkeypatch.setattr(parser_tables, "GRAMMAR_SHA256", "0" * 64)
    assert grammar._tables_parser() is None
    monkeypatch.setattr(parser_tables, "GRAMMAR_SHA256", grammar.grammar_sha256())
    monkeypatch.setattr(parser_tables, "LARK_VERSION", "0.0.0")
    assert grammar._tables_parser() is None


def test_same_token_stream_for_whole_files(built, loaded):
    """`argmap fmt` and its tests lex whole files with the same parser (tests/test_format.py)."""
    files = sorted((ROOT / "claims").rglob("*.argmap"))
    for path in files:
        src, _ = read_source(str(path))
        assert [shape(t) for t in loaded.lex(src.text)] == [shape(t) for t in built.lex(src.text)], path


# ---- the parser the loader uses builds the model inside Lark (argmap.language.build) -------------
def built_inline(text: str, src):
    from argmap.language.build import building_parser
    from argmap.language.filecache import _encode
    try:
        statements, diags = building_parser().parse(src, text, 3)
    except UnexpectedInput as exc:
        return ("error", type(exc).__name__, exc.line, exc.column)
    return ("built", _encode(statements), _encode(diags))


def built_from_tree(text: str, src, parser):
    from argmap.language.build import StatementBuilder
    from argmap.language.filecache import _encode
    try:
        tree = parser.parse(text)
    except UnexpectedInput as exc:
        return ("error", type(exc).__name__, exc.line, exc.column)
    diags = []
    return ("built", _encode(StatementBuilder(src, 2, diags).transform(tree)), _encode(diags))


def test_the_building_parser_is_loaded_from_the_tables():
    from argmap.language.build import building_parser
    assert building_parser()._lark.source_path == "<deserialized>"


def test_building_inside_the_parser_equals_transforming_its_tree(loaded):
    from argmap.language.source import SourceFile
    seen = {"built": 0, "error": 0, "diagnostics": 0}
    for where, text in statement_texts():
        src = SourceFile(where, text)
        expected = built_from_tree(text, src, loaded)
        assert built_inline(text, src) == expected, where
        seen[expected[0]] += 1
        seen["diagnostics"] += expected[0] == "built" and bool(expected[2])
    # both outcomes, and statements whose building reports something (fixtures/bad)
    assert seen["built"] > 400 and seen["error"] > 5 and seen["diagnostics"] > 3, seen


@fast(60)
@given(text=GRAMMAR_TEXT, cut=st.integers(0, 400), junk=st.text(max_size=3))
def test_building_inside_the_parser_on_generated_and_damaged_text(loaded, text, cut, junk):
    from argmap.language.source import SourceFile
    for t in (text, text[:cut] + junk + text[cut:]):
        src = SourceFile("m.argmap", t)
        assert built_inline(t, src) == built_from_tree(t, src, loaded)


def test_parses_from_several_threads_build_with_their_own_file():
    """Lark binds the builder once; its per-parse context must not leak between threads."""
    from concurrent.futures import ThreadPoolExecutor

    from argmap.language.source import SourceFile
    texts = {f"f{i}.argmap": f'assumption a{i}: "A {i}"\nclaim c{i}: "C"\n  if a{i} and if\n' for i in range(8)}

    def parse(name):
        from argmap.language.build import building_parser
        statements, diags = building_parser().parse(SourceFile(name, texts[name]), texts[name], 1 + len(name))
        return name, statements, diags

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(parse, [n for _ in range(40) for n in texts]))
    for name, statements, diags in results:
        assert set(re.findall(r"file='([^']*)'", repr(statements))) == {name}
        assert [(d.file, d.line, d.code) for d in diags] == [(name, 3 + len(name), "E107")]
