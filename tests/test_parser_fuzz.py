"""The front end under fuzzing: any text or bytes give argmap's own diagnostics, never an exception.

Three sources of input: arbitrary text and bytes; text derived from the grammar itself
(hypothesis.extra.lark over grammar/argmap.lark, with explicit strategies per RELIABILITY §4 so that
nearly all of it parses), also with one random edit; and a round trip of small maps built as
syntax trees, printed, parsed and compared with the model.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.lark import from_lark

import argmap
from argmap.language.grammar import KEYWORDS, grammar_text
from argmap.language.model import COMPONENTS, And, Not, Or, Ref

def fast(n: int):
    """Modest example counts: the whole file runs in well under a minute on two cores."""
    return settings(max_examples=n, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                           HealthCheck.function_scoped_fixture])
CODE = re.compile(r"[EW]\d{3}")
SYNTAX = {"E101", "E102", "E103", "E104", "E105", "E106", "E114"}


def read(tmp_path, data: str | bytes):
    """read_map on a temp file: must return (map, diagnostics) and never raise."""
    path = tmp_path / "fuzz.argmap"
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")     # lone surrogates become invalid UTF-8
    path.write_bytes(data)
    amap, diags = argmap.read_map(str(path))
    n_lines = data.count(b"\n") + data.count(b"\r") + 1
    for d in diags:
        assert isinstance(d, argmap.Diagnostic) and CODE.fullmatch(d.code), d
        assert d.file == str(path) and 1 <= d.line <= n_lines and d.column >= 1, d
        d.format()                                       # printing never fails either
    assert diags == sorted(diags, key=argmap.Diagnostic.sort_key)
    return amap, diags


# ---- arbitrary input --------------------------------------------------------------------------
# Pieces of the language mixed with hostile characters reach deeper than uniform text.
PIECES = st.sampled_from([
    "claim ", "assumption ", "proposal ", "conflict ", "worldview ", "expect ", "source ", "  if ",
    "  outer: ", "  cite ", "  note ", "  assume ", "unless ", "not ", "and ", "or ", "under ", "a", "b",
    "p.outer", ":", " ", "(", ")", '"', '\\', '"x"', "#", "\n", "\n  ", "\t", "\r", "\r\n", "\ufeff",
    "\n  ... ", "...",
    "\x00", "\x1b", "\xa0", "\u2028", "é", "A", "0.5", "\ud800"])


@fast(600)
@given(st.one_of(st.text(), st.lists(PIECES, max_size=60).map("".join)))
def test_any_text_gives_only_diagnostics(tmp_path, text):
    read(tmp_path, text)


@fast(200)
@given(st.binary(max_size=300))
def test_any_bytes_give_only_diagnostics(tmp_path, data):
    read(tmp_path, data)


# ---- grammar-derived input --------------------------------------------------------------------
def grammar_strategy():
    from lark import Lark
    grammar = Lark(grammar_text(), parser="lalr", lexer="contextual")
    keywords = {t.name: t.pattern.value for t in grammar.terminals
                if t.pattern.type == "str" and t.pattern.value in KEYWORDS}
    assert len(keywords) == len(KEYWORDS)        # every keyword is a named terminal
    ident = st.one_of(st.from_regex(r"\A[a-z][a-z0-9_]{0,6}\Z").filter(lambda s: s not in KEYWORDS),
                      st.sampled_from(["a", "b", "c", "p", *COMPONENTS]))
    explicit = {name: st.just(word + " ") for name, word in keywords.items()}
    explicit.update({
        # from_lark puts no space between terminals: every word brings its own.
        "ID": ident.map(lambda s: s + " "),
        # A line break (maybe after a comment), never followed by stray spaces: the post-lexer turns
        # the indentation after a line break into _INDENT, which is drawn on its own.
        "_NL": st.sampled_from(["\n", "  # note\n", "\n\n", "\n# comment\n"]),
        "_INDENT": st.sampled_from(["  "]),
        # A `...` continuation line, at any indentation (it may differ from the attribute lines').
        "CONTINUE": st.sampled_from(["\n  ... ", "\n    ...", "\n\t... ", "\n \t ... "]),
        # Ignored whitespace would land between `\n` and the indentation: the words carry spaces instead.
        "WS_INLINE": st.just(""),
        "STRING": st.from_regex(r'\A"([a-zA-Z0-9 .,§é]|\\"|\\\\)*"\Z'),
        "INT": st.from_regex(r"\A[0-9]{1,4}\Z").map(lambda s: s + " "),
        "NUMBER": st.sampled_from(["0", "1", "0.5", ".25", "1.0"]).map(lambda s: s + " "),
    })
    return from_lark(grammar, explicit=explicit)


GRAMMAR_TEXT = grammar_strategy()


@fast(200)
@given(GRAMMAR_TEXT)
def test_grammar_derived_text_parses(tmp_path, text):
    """Text the grammar generates has no syntax error; names may still be wrong (E2xx)."""
    _, diags = read(tmp_path, text)
    assert not [d for d in diags if d.code in SYNTAX], (text, diags)


@fast(300)
@given(GRAMMAR_TEXT, st.integers(0, 10_000), st.sampled_from(["delete", "insert", "replace"]),
       st.sampled_from(['"', "(", ")", ":", "\n", " ", "  ", "#", "\\", "x", "\x00", "\r", "not "]))
def test_grammar_derived_text_with_one_edit_gives_only_diagnostics(tmp_path, text, at, edit, piece):
    i = at % (len(text) + 1)
    if edit == "delete":
        text = text[:i] + text[i + 1:]
    elif edit == "insert":
        text = text[:i] + piece + text[i:]
    else:
        text = text[:i] + piece + text[i + 1:]
    read(tmp_path, text)


# ---- round trip: syntax trees → text → model --------------------------------------------------
NAMES = ["a0", "a1", "a2", "a3"]


def formulas(names):
    leaf = st.sampled_from(names).map(lambda n: Ref(n, None))
    return st.recursive(leaf, lambda sub: st.one_of(
        sub.map(Not),
        st.lists(sub, min_size=2, max_size=3).map(lambda xs: And(tuple(xs))),
        st.lists(sub, min_size=2, max_size=3).map(lambda xs: Or(tuple(xs)))), max_leaves=8)


def show(f) -> str:
    """Print a formula so that it parses back to exactly this tree (not to an equivalent one)."""
    if isinstance(f, Ref):
        return f.name
    if isinstance(f, Not):
        return f"not {show(f.arg)}" if isinstance(f.arg, (Ref, Not)) else f"not ({show(f.arg)})"
    if isinstance(f, And):
        return " and ".join(show(a) if isinstance(a, (Ref, Not)) else f"({show(a)})" for a in f.args)
    return " or ".join(f"({show(a)})" if isinstance(a, Or) else show(a) for a in f.args)


TEXTS = st.text(st.characters(codec="utf-8", exclude_categories=["Cc", "Cs"]), max_size=20)


def quoted(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


@st.composite
def small_maps(draw):
    texts = {n: draw(TEXTS) for n in NAMES}
    claims = {f"c{i}": draw(st.lists(st.tuples(formulas(NAMES), st.none() | formulas(NAMES)),
                                     min_size=1, max_size=2)) for i in range(draw(st.integers(0, 2)))}
    comps = draw(st.lists(st.sampled_from(COMPONENTS), min_size=1, max_size=4, unique=True))
    verdicts = {c: draw(formulas(NAMES + list(claims))) for c in comps}
    conflict = draw(st.none() | formulas(NAMES))
    fixed = draw(st.dictionaries(st.sampled_from(NAMES), st.booleans(), max_size=3))
    indent = draw(st.sampled_from(["  ", "    ", "\t", " \t"]))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    out = ["# generated map", ""]
    # Texts cut into `...` continuation pieces at random places (even inside a word or next to
    # an escape: pieces join verbatim); the continuation lines' indentation is random too.
    cont = newline + draw(st.sampled_from(["  ... ", "    ...", "\t...\t"]))

    def continued(t: str) -> str:
        cuts = sorted(draw(st.lists(st.integers(0, len(t)), max_size=3)))
        pieces = [t[i:j] for i, j in zip([0, *cuts], [*cuts, len(t)])]
        return cont.join(quoted(p) for p in pieces)

    out += [f"assumption {n}: {continued(t)}   # trailing comment" for n, t in texts.items()]
    out.insert(3, f"  cite src {continued('§1')} {continued(texts['a0'])}")      # right below a0
    out.append(f'source src: "The source"{newline}{indent}year 2020')
    for cid, sups in claims.items():
        out.append(f"claim {cid}: {quoted(cid)}")
        out += [f"{indent}if {show(w)}" + (f" unless {show(u)}" if u is not None else "") for w, u in sups]
        out.append(f"{indent}# a comment between lines")
    out.append('proposal p: "P"')
    out += [f"{indent}{c}: {show(f)}" for c, f in verdicts.items()]
    if conflict is not None:
        out.append(f"conflict k: {show(conflict)}")
    out.append('worldview w: "W"')
    out += [f"{indent}{'assume' if v else 'deny'} {a}" for a, v in fixed.items()]
    bom = draw(st.sampled_from(["", "\ufeff"]))
    text = bom + newline.join(out) + newline
    return text, dict(texts=texts, claims=claims, verdicts=verdicts, conflict=conflict, fixed=fixed)


@fast(150)
@given(small_maps())
def test_round_trip_small_maps(tmp_path, case):
    text, want = case
    amap, diags = read(tmp_path, text)
    assert not [d for d in diags if d.severity == "error"], (text, diags)
    assert {a: x.text for a, x in amap.assumptions.items()} == want["texts"]
    assert amap.assumptions["a0"].provenance.citations[0].quote == want["texts"]["a0"]
    assert amap.sources["src"].year == 2020
    assert {c: [(s.when, s.unless) for s in x.supports] for c, x in amap.claims.items()} == {
        c: [(w, u) for w, u in sups] for c, sups in want["claims"].items()}
    assert {v.component: v.supports[0].when for v in amap.verdicts.values()} == want["verdicts"]
    if want["conflict"] is None:
        assert not amap.conflicts
    else:
        assert amap.conflicts["k"].formula == want["conflict"]
    assert amap.worldviews["w"].fixed() == want["fixed"]
    # The spans point at the id in the text as an editor shows it.
    lines = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for a in amap.assumptions.values():
        assert lines[a.span.line - 1][a.span.column - 1:].startswith(a.id + ":")


@pytest.mark.parametrize("text", [
    "claim c: \"C\"\n  if " + "not " * 64 + "a\n",
    "conflict k: " + " or ".join(f"(a{i} and not b{i})" for i in range(2000)) + "\n",
], ids=["deep", "wide"])
def test_big_expressions_have_no_recursion_error(tmp_path, text):
    _, diags = read(tmp_path, "assumption a: \"A\"\n" + text)
    assert all(d.code != "E101" for d in diags)
