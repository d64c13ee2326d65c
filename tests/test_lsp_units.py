"""The language server's pure parts, without the protocol: reading texts, the symbol index,
positions, hover text and completion contexts."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings, strategies as st

from argmap.language.loader import read_map
from argmap.lsp.completion import completions
from argmap.lsp.hover import Facts, hover_markdown, md
from argmap.lsp.index import MapIndex, index_file
from argmap.lsp.mapstate import Reader, current_texts, map_dir
from argmap.lsp.positions import UTF8, UTF16, UTF32, diagnostic_range, from_lsp, to_lsp

ROOT = Path(__file__).resolve().parent.parent
TINY = ROOT / "tests" / "fixtures" / "maps" / "tiny"


def texts_of(folder: Path) -> dict[str, str]:
    return {str(p): p.read_text(encoding="utf-8") for p in sorted(folder.rglob("*.argmap"))}


# ---- reading texts gives what `argmap check` reads from disk -------------------------------------
def test_reading_texts_gives_the_loaders_diagnostics_for_the_corpus_and_the_tiny_map():
    for folder in (ROOT / "claims", TINY):
        files = texts_of(folder)
        reading = Reader().read(files)
        _, expected = read_map([str(folder)])
        assert reading.diagnostics == expected
        assert sorted(reading.amap.claims) == sorted(read_map([str(folder)])[0].claims)


def test_a_broken_edit_gives_the_same_diagnostics_as_the_same_text_on_disk(tmp_path):
    text = ('assumption a: "A"\nclaim c: "C\n  if a and\nclaim d "D"\n  if mypia\n'
            'proposal p: "P"\n  innr: c\n')
    (tmp_path / "m.argmap").write_text(text, encoding="utf-8")
    reader = Reader()
    first = reader.read({str(tmp_path / "m.argmap"): text})
    again = reader.read({str(tmp_path / "m.argmap"): text})         # from the parse cache
    _, expected = read_map([str(tmp_path)])
    assert first.diagnostics == again.diagnostics == expected
    assert {d.code for d in expected} >= {"E102", "E101"}


def test_the_parse_cache_keys_on_place_so_moved_statements_report_their_new_lines(tmp_path):
    reader = Reader()
    name = str(tmp_path / "m.argmap")
    reader.read({name: 'claim c: "C\n  if nope\n'})
    moved = reader.read({name: '\n\nclaim c: "C\n  if nope\n'})
    assert [(d.code, d.line) for d in moved.diagnostics if d.severity == "error"] == [("E102", 3)]


def test_a_file_left_unchanged_is_not_rebuilt_and_every_reading_equals_a_fresh_one():
    """The reader keeps each file's statements while its text stays the same, so an edit rebuilds
    one file (a 10k-statement map: 0.55 s -> 0.10 s a keystroke). Each reading in a run of edits
    (a renamed claim whose uses become unknown, a broken line, the file restored, a file removed,
    an edit elsewhere) must equal what a fresh reader makes of the same texts."""
    texts = texts_of(ROOT / "claims")
    edited = next(n for n, t in texts.items() if "\nclaim " in t)
    other = next(n for n in texts if n != edited and "\nclaim " in texts[n])
    renamed = texts[edited].replace("\nclaim ", "\nclaim renamed_", 1)
    steps = [renamed, renamed.replace("  if ", "  if (", 1), texts[edited], None, texts[edited]]
    reader = Reader()
    before = reader.read(texts)
    kept = next(c for c in before.amap.claims.values() if c.span.file == other)
    for step in steps:
        current = dict(texts)
        if step is None:
            del current[edited]
        else:
            current[edited] = step
        reading = reader.read(current)
        fresh = Reader().read(current)
        assert reading.diagnostics == fresh.diagnostics
        for table in ("assumptions", "claims", "verdicts", "proposals", "conflicts", "worldviews", "sources"):
            assert getattr(reading.amap, table) == getattr(fresh.amap, table), table
        assert reading.amap.expects == fresh.amap.expects
        assert reading.amap.claims[kept.id] is kept          # the other file's statements, as they were
    assert any(d.code == "E201" for d in Reader().read({**texts, edited: renamed}).diagnostics)
    # a changed file is read again, but a statement of it whose text and first line are unchanged
    # keeps its parse, and the parse is the statement's objects (argmap.language.build)
    changed = reader.read({**texts, other: texts[other] + "\n# a comment\n"})
    assert changed.amap.claims[kept.id] is kept
    moved = reader.read({**texts, other: "\n" + texts[other]})      # every statement a line down
    assert moved.amap.claims[kept.id] is not kept and moved.amap.claims[kept.id].span.line == kept.span.line + 1
    assert moved.amap.claims == Reader().read({**texts, other: "\n" + texts[other]}).amap.claims


def test_the_workspace_map_is_claims_when_present_and_unsaved_text_wins(tmp_path):
    (tmp_path / "claims" / "sub").mkdir(parents=True)
    inside = tmp_path / "claims" / "sub" / "a.argmap"
    inside.write_text('assumption a: "on disk"\n')
    outside = tmp_path / "x.argmap"
    outside.write_text('assumption x: "X"\n')
    folder = map_dir(str(tmp_path), str(inside))
    assert folder == str((tmp_path / "claims").resolve())
    assert map_dir(str(tmp_path), str(outside)) == str(tmp_path.resolve())
    new = str((tmp_path / "claims" / "new.argmap").resolve())
    texts = current_texts(folder, {str(inside.resolve()): 'assumption a: "edited"\n', new: "# unsaved\n"})
    assert texts == {str(inside.resolve()): 'assumption a: "edited"\n', new: "# unsaved\n"}
    assert list(current_texts(str(tmp_path.resolve()), {}, recursive=False)) == [str(outside.resolve())]


# ---- the index --------------------------------------------------------------------------------------
MAP = '''source doc: "D"   # a source: doc
assumption a: "mentions b and p.inner in a string"
  cite doc "§1" "quote with a"
claim b: "B"
  if a and not (c or p.inner)   # comment: a b c
proposal p: "P"
  inner: b unless a
  outer: a
  innr: b
worldview w: "W"
  deny a
expect under w: p.inner uses a
expect consistent w
'''


def test_the_index_finds_declarations_and_references_but_not_words_in_strings_or_comments():
    fi = index_file("m", MAP)
    decl = sorted((o.name, o.kind, o.line) for o in fi.occurrences if o.declares)
    assert decl == [("a", "assumption", 1), ("b", "claim", 3), ("doc", "source", 0), ("p", "proposal", 5),
                    ("p.inner", "verdict", 6), ("p.outer", "verdict", 7), ("w", "worldview", 9)]
    refs = sorted((o.name, o.line, o.start) for o in fi.occurrences if not o.declares)
    assert refs == [("a", 4, 5), ("a", 6, 18), ("a", 7, 9), ("a", 10, 7), ("a", 11, 29),
                    ("b", 6, 9), ("b", 8, 8), ("c", 4, 16), ("doc", 2, 7),
                    ("p.inner", 4, 21), ("p.inner", 11, 16), ("w", 11, 13), ("w", 12, 18)]


def test_references_of_a_proposal_cover_only_its_part_of_verdict_ids():
    idx = MapIndex({"m": index_file("m", MAP)})
    refs = sorted((o.line, o.start, o.end) for o in idx.references("p"))
    assert refs == [(4, 21, 22), (5, 9, 10), (11, 16, 17)]
    assert sorted(o.line for o in idx.references("p.inner")) == [4, 6, 11]
    assert sorted(o.line for o in idx.references("p.inner", include_declaration=False)) == [4, 11]
    assert idx.rename_target(idx.files["m"].at(11, 20)) == "p"


def test_the_cursor_right_after_a_word_is_still_on_it():
    fi = index_file("m", "claim b: \"B\"\n  if a and c\n")
    assert fi.at(1, 5).name == "a" and fi.at(1, 6).name == "a"
    assert fi.at(1, 7) is None
    assert [s.keyword for s in fi.statements] == ["claim"] and fi.statements[0].last_line == 1


CONTINUED = '''claim b: "B, which mentions a "
  ... "and p.inner in a string"
  if a
  cite doc "§1 "
    ... "and c" "quote that "
    ... "names a"
  if c
'''


def test_continuation_lines_are_part_of_their_statement_and_their_words_are_no_ids():
    fi = index_file("m", CONTINUED)
    assert sorted((o.name, o.line, o.start) for o in fi.occurrences if not o.declares) == [
        ("a", 2, 5), ("c", 6, 5), ("doc", 3, 7)]
    assert [(s.keyword, s.first_line, s.last_line) for s in fi.statements] == [("claim", 0, 6)]


def test_hover_shows_a_continued_text_joined_and_a_misplaced_marker_is_underlined_whole(tmp_path):
    amap = Reader().read({"m": 'source doc: "D"\nassumption a: "A "\n  ... "joined"\n'
                               '  cite doc "§1" "one "\n    ... "two"\n'}).amap
    card = hover_markdown(amap, "a")
    assert "A joined" in card and "one two" in card
    assert diagnostic_range(['  note "x"  # c', '    ... "y"'], 2, 5) == ((1, 4), (1, 7))


# ---- positions --------------------------------------------------------------------------------------
@settings(max_examples=60)
@given(st.text(max_size=20), st.integers(0, 25))
def test_positions_round_trip_in_every_encoding(line, index):
    index = min(index, len(line))
    for enc in (UTF8, UTF16, UTF32):
        assert from_lsp(line, to_lsp(line, index, enc), enc) == index


def test_a_diagnostic_after_an_emoji_is_shifted_in_utf16_only():
    lines = ['claim c: "😀 x"', "  if nope"]
    assert diagnostic_range(lines, 1, 13, UTF32) == ((0, 12), (0, 13))
    assert diagnostic_range(lines, 1, 13, UTF16) == ((0, 13), (0, 14))
    assert diagnostic_range(lines, 2, 6) == ((1, 5), (1, 9))


# ---- hover ------------------------------------------------------------------------------------------
def test_hover_cards_show_text_cites_and_status_and_escape_hostile_text(tmp_path):
    hostile = '[x](javascript:alert(1)) <img src=x onerror=y> *b* `c`'
    text = (f'source doc: "D"\nassumption a: "{hostile}"\n  cite doc "§1" "{hostile}"\n'
            'claim c: "C"\n  if a\n  if not a\nproposal p: "P"\n  inner: c\n')
    amap = Reader().read({"m": text}).amap
    card = hover_markdown(amap, "a")
    assert "](" not in card.replace("\\]\\(", "") and "\\[x\\]\\(javascript" in card   # no link
    assert "<" not in card.replace("\\<", "") and "\\<img" in card                        # no HTML
    assert "*doc, §1:*" in card
    card = hover_markdown(amap, "c", Facts(status="holds", supports=2))
    assert "*holds when any of:*" in card and "- `a`" in card and "- `not a`" in card
    assert "**holds**" in card and "*minimal supports:* 2" in card
    assert "none while" in hover_markdown(amap, "p.inner", Facts(why_missing="none while the map has errors"))
    assert hover_markdown(amap, "nope") is None


@settings(max_examples=80)
@given(st.text(max_size=30))
def test_escaped_text_has_no_unescaped_markdown_or_html_character(text):
    out = md(text)
    i = 0
    while i < len(out):
        if out[i] == "\\":
            i += 2
            continue
        assert out[i] not in "[]()<>*_`!#|~&\\", (text, out)
        i += 1


# ---- completion -------------------------------------------------------------------------------------
IDS = {"a": "assumption", "ab": "assumption", "c": "claim", "p.inner": "verdict", "w": "worldview",
       "doc": "source", "p": "proposal"}


def labels(line, keyword=""):
    return [c.label for c in completions(line, keyword, IDS)[1]]


def test_completion_offers_what_fits_the_place():
    assert labels("  ", "worldview") == ["assume", "deny", "credence", "cite", "note"]
    assert labels("  deny a", "worldview") == ["a", "ab"]
    assert labels("  cite ", "claim") == ["doc"]
    assert labels("expect ", "expect") == ["c", "p.inner", "consistent", "under"]
    assert labels("expect p.inner ", "expect") == ["requires", "uses", "independent_of", "holds", "fails", "open"]
    assert labels("expect consistent ", "expect") == ["w"]
    assert labels("  inner: p.", "proposal") == ["p.inner"]
    assert labels("  if a ", "claim") == ["and", "or", "unless"]
    assert labels("claim ", "") == []
    assert labels('claim c: "a text that mentions a', "") == [] and labels("  if a # a", "claim") == []
    assert labels('  cite doc "§1" "q" ', "claim") == []
    assert completions("  if a and p.in", "claim", IDS)[0] == 11


# ---- never a crash on what an editor holds mid-typing ----------------------------------------------
_ARGMAPISH = st.lists(st.sampled_from(list('abcpinouter_.:()"#\\ \n\t😀') + [
    "claim ", "  if ", " and ", "proposal ", "  inner: ", "p.inner", "expect "]), max_size=40).map("".join)


@settings(max_examples=80)
@given(st.one_of(_ARGMAPISH, st.text(max_size=60)))
def test_index_and_completion_take_any_text(text):
    fi = index_file("m", text)
    lines = text.split("\n")
    for o in fi.occurrences:
        assert 0 <= o.start < o.end <= len(lines[o.line])
        assert lines[o.line][o.start:o.end] == o.name.split(".")[0] or lines[o.line][o.start:o.end] == o.name \
            or o.declares and o.kind == "verdict"
    for line in lines:
        for cut in range(len(line) + 1):
            start, found = completions(line[:cut], "claim", IDS)
            assert 0 <= start <= cut
    idx = MapIndex({"m": fi})
    for o in fi.occurrences:
        for ref in idx.references(o.name):
            assert lines[ref.line][ref.start:ref.end] in (o.name, o.name.split(".")[0])


def test_the_solver_diagnostics_are_those_of_check(tmp_path):
    """Inconsistency (E301) and a failed `expect` (E401) as `argmap check` reports them."""
    from argmap.analysis.queries import check
    from argmap.lsp.mapstate import semantic_diagnostics
    consistent = 'assumption a: "A"\nclaim c: "C"\n  if a\nproposal p: "P"\n  inner: c\nexpect p.inner holds\n'
    broken = consistent + 'claim d: "D"\n  if not a\nconflict k: c or d\n'
    for name, text, code in (("ok", consistent, "E401"), ("bad", broken, "E301")):
        folder = tmp_path / name
        folder.mkdir()
        (folder / "m.argmap").write_text(text, encoding="utf-8")
        reading = Reader().read({str(folder / "m.argmap"): text})
        ours = sorted(reading.diagnostics + semantic_diagnostics(reading), key=lambda d: d.sort_key())
        assert ours == check([str(folder)]).diagnostics
        assert code in [d.code for d in ours]


def test_edits_are_checked_against_the_readers_memory_of_passed_expectations():
    """One reader across edits (as the server keeps it): an expectation whose slice an edit did not
    touch is answered from memory, one whose slice it changed is decided again."""
    from argmap.lsp.mapstate import semantic_diagnostics
    from argmap.engine.logic import Engine
    text = ('assumption a: "A"\nassumption b: "B"\nclaim c: "C"\n  if a\nproposal p: "P"\n  inner: c\n'
            '  outer: b\nexpect p.inner uses a\nexpect p.outer uses b\n')
    reader = Reader()
    assert semantic_diagnostics(reader.read({"m": text})) == []
    built = []
    original = Engine.__init__

    def counting(self, *args, **kwargs):
        built.append(1)
        original(self, *args, **kwargs)
    Engine.__init__ = counting
    try:
        assert semantic_diagnostics(reader.read({"m": text + 'assumption z: "Z"\n'})) == []
        assert built == []                              # nothing changed that an answer depends on
        failed = semantic_diagnostics(reader.read({"m": text.replace("  if a", "  if b")}))
        assert [(d.code, d.line) for d in failed] == [("E401", 8)] and built == [1]
    finally:
        Engine.__init__ = original


def test_hover_shows_what_a_verdict_needs_when_why_reports_it(tmp_path):
    """`needs` comes from `why` (the explanations work adds it); the card shows it as clauses."""
    from argmap.analysis.queries import why
    from argmap.lsp.mapstate import support_facts
    text = 'assumption a: "A"\nassumption b: "B"\nclaim c: "C"\n  if a and b\n  if a and not b\n'
    reading = Reader().read({"m": text})
    count, capped, needs, _ = support_facts(reading, "c")
    assert (count, capped) == (1, False)                               # (a and b) or (a and not b) = a
    assert needs == getattr(why(reading.amap, "c"), "needs", None)     # None until `why` has needs
    card = hover_markdown(reading.amap, "c", Facts(status="open", supports=2, needs=({"a": True},)))
    assert "*needs:* `a`" in card
    many = tuple({f"x{i}": True} for i in range(10))
    assert "and 2 more (`argmap why c`)" in hover_markdown(reading.amap, "c", Facts(status="open", needs=many))
    assert "*needs:*" not in hover_markdown(reading.amap, "c", Facts(status="open", supports=2))
