"""`argmap fmt`: idempotent, keeps every token and comment, keeps the map's meaning; refuses bad files."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from argmap.cli import main
from argmap.errors import InconsistentError
from argmap.language.format import format_source, format_text, syntax_errors, words
from argmap.language.grammar import parser
from argmap.language.loader import read_map
from argmap.language.source import SourceFile

from test_parser_fuzz import GRAMMAR_TEXT

REPO = Path(__file__).resolve().parents[1]
CORPUS_FILES = sorted((REPO / "claims").rglob("*.argmap"))


# ---- what must not change ---------------------------------------------------------------------
def tokens(text: str) -> list[tuple[str, str]]:
    """Lark's own token stream with whitespace dropped: comments (trailing blanks cut) and which
    lines are indented are kept, since both are what the user wrote. A string continued over `...`
    lines is one token of its pieces' raw texts joined (fmt may cut it elsewhere, but only there)."""
    out = []
    join = False
    for tok in parser().lex(text):
        if tok.type == "CONTINUE":
            join = True
        elif tok.type == "STRING" and join:
            out[-1] = ("STRING", out[-1][1][:-1] + str(tok.value)[1:])
            join = False
        elif tok.type == "_NL":
            out += [("COMMENT", c.rstrip()) for c in re.findall(r"#[^\n]*", tok.value)]
        elif tok.type == "_INDENT":
            out.append(("_INDENT", ""))
        else:
            out.append((tok.type, str(tok.value)))
    if out and out[-1] == ("_INDENT", ""):      # blanks on a last line without a newline
        out.pop()
    return out


def _plain(obj):
    """A statement as data without its place (fmt moves columns and drops blank lines)."""
    if dataclasses.is_dataclass(obj):
        return {f.name: _plain(getattr(obj, f.name)) for f in dataclasses.fields(obj)
                if f.name not in ("span", "text") or (f.name == "text" and not hasattr(obj, "positive"))}
    if isinstance(obj, (list, tuple)):
        return [_plain(x) for x in obj]
    if isinstance(obj, dict):
        return {k: _plain(v) for k, v in obj.items()}
    return obj


def meaning(tmp_path: Path, text: str):
    """Every statement (without places) and every verdict's status under each worldview."""
    from argmap.analysis.queries import Scenario, statuses
    d = tmp_path / f"m{abs(hash(text))}"
    d.mkdir(exist_ok=True)
    (d / "m.argmap").write_text(text, encoding="utf-8")
    amap, diags = read_map(str(d))
    assert not [x for x in diags if x.severity == "error"], (text, [x.format() for x in diags])
    tables = {name: _plain(getattr(amap, name)) for name in
              ("sources", "assumptions", "claims", "proposals", "verdicts", "conflicts", "worldviews", "expects")}
    found = {}
    for w in [None, *amap.worldviews]:
        try:
            found[w] = statuses(amap, Scenario(worldview=w), nodes=[*amap.verdicts, *amap.claims])
        except InconsistentError:
            found[w] = "inconsistent"
    return tables, found


# ---- random maps in random layouts ------------------------------------------------------------
WORDY = re.compile(r'^[a-z0-9."]')
STRINGS = st.text(st.characters(codec="utf-8", exclude_categories=["Cc", "Cs"]), max_size=12).map(
    lambda s: '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"')
COMMENT = st.text(st.characters(codec="utf-8", exclude_categories=["Cc", "Cs"]), max_size=10).map(lambda s: "#" + s)


@st.composite
def line(draw, toks: list[str]) -> str:
    """Tokens joined by random blanks: at least one between two words, any number around `:().`."""
    out = [toks[0]]
    for prev, tok in zip(toks, toks[1:]):
        need = WORDY.match(prev[-1:]) and WORDY.match(tok[:1]) and not (prev == "." or tok == ".")
        gap = draw(st.sampled_from([" ", "  ", "\t", " \t "] if need else ["", " ", "  "]))
        out += [gap, tok]
    text = "".join(out) + draw(st.sampled_from(["", " ", "\t"]))
    if draw(st.integers(0, 3)) == 0:
        text += draw(st.sampled_from([" ", "   ", "\t"])) + draw(COMMENT)
    return text


@st.composite
def expr(draw, names: list[str], depth: int = 2) -> list[str]:
    if depth == 0 or draw(st.integers(0, 2)) == 0:
        name = draw(st.sampled_from(names))
        return name.replace(".", " . ").split() if "." in name else [name]
    op = draw(st.sampled_from(["and", "or", "not"]))
    if op == "not":
        return ["not", "(", *draw(expr(names, depth - 1)), ")"]
    parts = draw(st.lists(expr(names, depth - 1), min_size=2, max_size=3))
    out = ["("]
    for i, p in enumerate(parts):
        out += ([op] if i else []) + p
    return out + [")"]


@st.composite
def noisy_maps(draw) -> str:
    indent = draw(st.sampled_from(["  ", "    ", "\t", " \t"]))
    blank = st.sampled_from(["", "\n", "\n\n", "  \n\n\n"])
    lines: list[str] = []

    def add(toks, indented=False):
        lines.append((indent if indented else "") + draw(line(toks)))
        if draw(st.integers(0, 4)) == 0:
            lines.append(draw(st.sampled_from(["", indent])) + draw(COMMENT))
        lines.append(draw(blank).rstrip("\n")) if draw(st.booleans()) else None

    if draw(st.booleans()):
        lines.append(draw(COMMENT))
    add(["source", "src", ":", draw(STRINGS)])
    add(["year", "2020"], True)
    add(["by", draw(STRINGS)], True)
    names = [f"a{i}" for i in range(draw(st.integers(2, 4)))]
    for n in names:
        add(["assumption", n, ":", draw(STRINGS)])
        if draw(st.booleans()):
            add(["cite", "src", draw(STRINGS), draw(STRINGS)], True)
    for i in range(draw(st.integers(0, 2))):
        add(["claim", f"c{i}", ":", draw(STRINGS)])
        for _ in range(draw(st.integers(1, 2))):
            unless = ["unless", *draw(expr(names, 1))] if draw(st.booleans()) else []
            add(["if", *draw(expr(names)), *unless], True)
        if draw(st.booleans()):
            add(["note", draw(STRINGS)], True)
        names.append(f"c{i}")
    add(["proposal", "p", ":", draw(STRINGS)])
    add(["outer", ":", *draw(expr(names))], True)
    add(["inner", ":", *draw(expr(names))], True)
    add(["proposal", "q", ":", draw(STRINGS)])
    add(["outer", ":", *draw(expr(names + ["p.outer", "p.inner"]))], True)
    if draw(st.booleans()):
        add(["conflict", "k", ":", *draw(expr(names[:2], 1))])
    add(["worldview", "w", ":", draw(STRINGS)])
    for a in draw(st.lists(st.sampled_from(names[:2]), unique=True, max_size=2)):
        kind = draw(st.sampled_from(["assume", "deny", "credence"]))
        add([kind, a] + ([draw(st.sampled_from(["0.25", ".5", "1"]))] if kind == "credence" else []), True)
    add(["expect", "under", "w", ":", "q", ".", "outer", draw(st.sampled_from(["holds", "fails", "open"]))])
    add(["expect", "p", ".", "inner", "uses", "not", "a0"])
    return "\n".join(lines) + draw(st.sampled_from(["", "\n", "\n\n"]))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                    HealthCheck.too_slow])
@given(noisy_maps())
def test_fmt_is_idempotent_and_keeps_tokens_comments_and_meaning(tmp_path, text):
    result = format_source(SourceFile("m.argmap", text))
    assert result.ok, [d.format() for d in result.diagnostics]
    once = result.text
    assert format_text(once) == once
    assert tokens(once) == tokens(text)
    assert meaning(tmp_path, once) == meaning(tmp_path, text)


@settings(max_examples=80, deadline=None)
@given(GRAMMAR_TEXT)
def test_fmt_of_grammar_derived_text_still_parses_with_the_same_tokens(text):
    """Every construct of the grammar (not only those of the random maps above), names unchecked."""
    src = SourceFile("g.argmap", text)
    result = format_source(src)
    assert result.ok, [d.format() for d in result.diagnostics]
    once = result.text
    assert syntax_errors(SourceFile("g.argmap", once)) == [], (text, once)
    assert format_text(once) == once
    assert tokens(once) == tokens(text)


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: str(p.relative_to(REPO)))
def test_fmt_keeps_every_corpus_file_token_for_token(path):
    text = path.read_text(encoding="utf-8")
    once = format_text(text)
    assert format_text(once) == once
    assert tokens(once) == tokens(text)


def test_fmt_keeps_the_corpus_meaning(tmp_path):
    from argmap.analysis.queries import Scenario, statuses
    out = tmp_path / "claims"
    for path in CORPUS_FILES:
        target = out / path.relative_to(REPO / "claims")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(format_text(path.read_text(encoding="utf-8")), encoding="utf-8")
    before, _ = read_map(str(REPO / "claims"))
    after, diags = read_map(str(out))
    assert not [d for d in diags if d.severity == "error"]
    for table in ("assumptions", "claims", "verdicts", "conflicts", "worldviews"):
        assert _plain(getattr(after, table)) == _plain(getattr(before, table)), table
    for w in [None, *before.worldviews]:
        assert statuses(after, Scenario(worldview=w)) == statuses(before, Scenario(worldview=w))


# ---- wrapping long strings --------------------------------------------------------------------
# Words of raw string text (escapes, `#`, `:` and non-ASCII included), at most 20 columns each.
WORD = st.lists(st.sampled_from([*"abcdefghijé§#:().", '\\"', "\\\\"]), min_size=1, max_size=10).map("".join)


@st.composite
def raw_texts(draw) -> str:
    """The raw text of a string (between its quotes): words, one or two spaces between them."""
    parts = draw(st.lists(st.tuples(WORD, st.sampled_from([" ", "  "])), max_size=40))
    raw = "".join(w + sep for w, sep in parts)
    return draw(st.sampled_from(["", " "])) + (raw.rstrip() if draw(st.booleans()) else raw)


@st.composite
def written(draw, raw: str) -> str:
    """A string as someone may write it: cut into `...` pieces anywhere but inside an escape."""
    units = re.findall(r'\\.|.', raw)
    cuts = sorted(set(draw(st.lists(st.integers(0, len(units)), max_size=4))))
    pieces = ["".join(units[i:j]) for i, j in zip([0, *cuts], [*cuts, len(units)])]
    cont = draw(st.sampled_from(["\n  ... ", "\n      ...", "\n\t...  "]))
    return cont.join(f'"{p}"' for p in pieces)


@st.composite
def long_string_maps(draw):
    """A map whose every kind of string (statement texts, `by`, locator and quote, note,
    worldview text) is long and may be continued; returned with the same map written with
    one-piece strings."""
    raws = [draw(raw_texts()) for _ in range(7)]
    template = ('source src: {}\n  by {}\n'
                'assumption a: {}\n  cite src {} {}\n  note {}\n'
                'claim c: "C"\n  if a  # a comment on a short line\n'
                'worldview w: {}\n  assume a\n')
    return (template.format(*[draw(written(r)) for r in raws]),
            template.format(*[f'"{r}"' for r in raws]))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                    HealthCheck.too_slow])
@given(long_string_maps(), st.integers(40, 100))
def test_fmt_wraps_every_string_within_the_width_keeping_its_value(tmp_path, case, width):
    text, one_piece = case
    assert syntax_errors(SourceFile("m.argmap", text)) == []
    once = format_text(text, width)
    assert syntax_errors(SourceFile("m.argmap", once)) == [], once
    # Words are at most 20 columns and the ids short, so every line fits.
    assert [ln for ln in once.split("\n") if len(ln) > width] == [], once
    assert tokens(once) == tokens(text)                     # every string's joined value is the same
    assert format_text(once, width) == once                 # idempotent
    assert format_text(one_piece, width) == once            # however the input was cut: canonical
    assert meaning(tmp_path, once) == meaning(tmp_path, text)   # the texts as the model reads them
    # No piece ends inside a word: a cut is always right after a space.
    pieces = re.findall(r'"((?:[^"\\\n]|\\.)*)"\n\s*\.\.\.', once)
    assert all(p.endswith(" ") for p in pieces), pieces


LONG_WORD = st.text(st.sampled_from("xyz§"), min_size=30, max_size=120)


@st.composite
def raw_texts_with_long_words(draw) -> str:
    parts = draw(st.lists(st.one_of(WORD, LONG_WORD), max_size=12))
    return " ".join(parts)


@settings(max_examples=60, deadline=None)
@given(st.lists(raw_texts_with_long_words(), min_size=3, max_size=3), st.integers(20, 100))
def test_a_line_is_longer_than_the_width_only_where_no_piece_on_it_could_give_up_a_word(raws, width):
    text = 'source src: "{}"\nassumption a: "{}"\n  cite src "{}" "{}"\n'.format(raws[0], raws[1], raws[2], raws[0])
    once = format_text(text, width)
    assert tokens(once) == tokens(text) and format_text(once, width) == once
    for ln in once.split("\n"):
        if len(ln) > width:
            pieces = re.findall(r'"((?:[^"\\\n]|\\.)*)"?', ln)
            assert all(len(words(p)) <= 1 for p in pieces), (width, ln)


def test_a_word_longer_than_the_width_stands_alone_and_is_never_cut():
    word = "x" * 130
    text = f'assumption a: "short words {word} more short words"\n'
    assert format_text(text) == (f'assumption a: "short words "\n'
                                 f'  ... "{word} "\n'
                                 f'  ... "more short words"\n')


def test_a_comment_after_a_continued_string_stays_after_its_last_piece():
    text = 'assumption a: "one two three "  # why\n'
    assert format_text(text, width=25) == ('assumption a: "one two "\n'
                                          '  ... "three "  # why\n')
    short = 'assumption a: "one "\n  ... "two"  # why\n  cite s "a "\n      ... "b" "c"\n'
    assert format_text(short) == 'assumption a: "one two"  # why\n  cite s "a b" "c"\n'


def test_a_second_string_starts_where_the_first_ends_and_both_fit():
    """A `...` line continues the string above it, so the quote of a `cite` starts on the line
    where its locator ends; the locator's last word is moved down if the quote's first would not fit."""
    text = 'assumption a: "A"\n  cite src "aaaa bbbb cccc" "dddddddd eeee"\n'
    assert format_text(text, width=30) == ('assumption a: "A"\n'
                                          '  cite src "aaaa bbbb "\n'
                                          '    ... "cccc" "dddddddd eeee"\n')


# ---- the layout itself ------------------------------------------------------------------------
MESSY = ('# top comment   \n\n\n'
         'assumption  a :"A # not a comment \\" still the string"   #  trailing   \n'
         '\t  cite  s  "§1"   "q: (x)"\n'
         '   # an indented comment\n'
         '# a column-0 comment inside the statement\n'
         'claim c:"C"\n'
         '\tif not(a)and  p . outer unless(a or a)\n'
         'worldview w : "W"\n'
         '    credence  a  .5\n\n\n\n')
CANONICAL = ('# top comment\n\n'
             'assumption a: "A # not a comment \\" still the string"  #  trailing\n'
             '  cite s "§1" "q: (x)"\n'
             '  # an indented comment\n'
             '# a column-0 comment inside the statement\n'
             'claim c: "C"\n'
             '  if not (a) and p.outer unless (a or a)\n'
             'worldview w: "W"\n'
             '  credence a .5\n')


def test_fmt_layout_rules():
    assert format_text(MESSY) == CANONICAL


# ---- the command ------------------------------------------------------------------------------
def run(*args, input=None):
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


def test_cli_check_diff_and_rewrite(tmp_path):
    f = tmp_path / "m.argmap"
    f.write_text(MESSY, encoding="utf-8")
    checked = run("fmt", "--check", str(f))
    assert checked.exit_code == 1 and "would reformat" in checked.stderr
    assert f.read_text(encoding="utf-8") == MESSY                  # --check writes nothing
    diffed = run("fmt", "--diff", str(f))
    assert diffed.exit_code == 0 and "-\tif not(a)and  p . outer unless(a or a)" in diffed.stdout
    assert "+  if not (a) and p.outer unless (a or a)" in diffed.stdout
    assert f.read_text(encoding="utf-8") == MESSY
    assert run("fmt", str(f)).exit_code == 0
    assert f.read_text(encoding="utf-8") == CANONICAL
    assert run("fmt", "--check", str(f)).exit_code == 0


def test_cli_crlf_file_is_rewritten_with_lf(tmp_path):
    f = tmp_path / "m.argmap"
    f.write_bytes(CANONICAL.replace("\n", "\r\n").encode())
    assert run("fmt", "--check", str(f)).exit_code == 1
    run("fmt", str(f))
    assert f.read_bytes() == CANONICAL.encode()


def test_cli_refuses_a_file_with_syntax_errors_and_leaves_it_untouched(tmp_path):
    bad = 'assumption a: "A\nclaim c: "C"\n  iff a\n'
    f = tmp_path / "bad.argmap"
    f.write_text(bad, encoding="utf-8")
    good = tmp_path / "good.argmap"
    good.write_text("assumption  b: \"B\"\n", encoding="utf-8")
    result = run("fmt", str(tmp_path))
    assert result.exit_code == 2
    assert f"{f}:1:15: error[E102]: unterminated string" in result.stderr
    assert f"{f}:3:3: error[E105]" in result.stderr
    assert "Traceback" not in result.stderr
    assert f.read_text(encoding="utf-8") == bad
    assert good.read_text(encoding="utf-8") == 'assumption b: "B"\n'    # the other files still are


def test_cli_stdin_to_stdout():
    result = run("fmt", "-", input="claim  c :\"C\"\n\tif a\n")
    assert result.exit_code == 0 and result.stdout == 'claim c: "C"\n  if a\n'


def test_cli_missing_path_is_a_usage_error(tmp_path):
    result = run("fmt", str(tmp_path / "nope"))
    assert result.exit_code == 2 and "no such file" in result.stderr


def test_cli_rewrite_keeps_the_file_mode_and_leaves_no_temporary_file(tmp_path):
    f = tmp_path / "m.argmap"
    f.write_text(MESSY, encoding="utf-8")
    f.chmod(0o640)
    assert run("fmt", str(f)).exit_code == 0
    assert f.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.argmap"]


def test_cli_diff_names_a_line_end_only_change(tmp_path):
    f = tmp_path / "m.argmap"
    f.write_bytes(CANONICAL.replace("\n", "\r\n").encode())
    result = run("fmt", "--diff", str(f))
    assert result.exit_code == 0 and "line ends (CRLF/CR to LF) or a BOM only" in result.stdout


def test_cli_rewrite_through_a_symlink_keeps_the_link(tmp_path):
    real = tmp_path / "real.argmap"
    real.write_text(MESSY, encoding="utf-8")
    maps = tmp_path / "maps"
    maps.mkdir()
    (maps / "m.argmap").symlink_to(real)
    assert run("fmt", str(maps)).exit_code == 0
    assert (maps / "m.argmap").is_symlink() and real.read_text(encoding="utf-8") == CANONICAL


def test_the_corpus_is_in_canonical_layout():
    """CI's `argmap fmt --check claims`: the bundled map stays formatted (run `argmap fmt claims`)."""
    from click.testing import CliRunner
    from argmap.cli import main
    result = CliRunner().invoke(main, ["fmt", "--check", str(REPO / "claims")])
    assert result.exit_code == 0, result.output
