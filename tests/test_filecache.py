"""The parse cache (argmap.language.filecache) never changes what a map reads as.

A read that fills the cache, a read from it, and a read with ``ARGMAP_NO_CACHE=1`` give the same map
(every statement, with positions, plus what syntax errors damaged) and the same diagnostics, for
the corpus, every fixture (including files full of errors) and text drawn from the grammar. An edited
file, another name for the same text, other front-end code, and a broken or forged entry all miss.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from argmap import cachedir
from argmap.language import filecache, loader
from argmap.language.loader import read_map
from tests.test_parser_fuzz import GRAMMAR_TEXT

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = sorted(p for p in (ROOT / "tests" / "fixtures").rglob("*.argmap"))


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    monkeypatch.delenv("ARGMAP_NO_CACHE", raising=False)
    monkeypatch.setattr(cachedir, "_file_cache_wanted", True)      # as the CLI asks for it
    return folder / "argmap"


def snapshot(paths) -> tuple:
    """Everything a read gives, as comparable text (repr shows each object's class and fields)."""
    amap, diags = read_map(paths)
    return (repr(amap), sorted(amap.damaged), sorted(amap.mentioned_in_damage),
            [d.model_dump() for d in diags], [d.format() for d in diags])


def entries(cache: Path) -> list[Path]:
    return sorted(cache.glob("front-*.json")) if cache.is_dir() else []


def no_parsing(monkeypatch):
    """From here on, parsing a file fails the test: what is read must come from the cache."""
    def refuse(*args, **kwargs):
        raise AssertionError("parsed although the cache held the file")
    monkeypatch.setattr(loader, "file_part", refuse)


def three_reads(paths, monkeypatch) -> tuple:
    monkeypatch.setenv("ARGMAP_NO_CACHE", "1")
    plain = snapshot(paths)
    monkeypatch.delenv("ARGMAP_NO_CACHE")
    filling = snapshot(paths)
    with monkeypatch.context() as m:
        no_parsing(m)
        cached = snapshot(paths)
    return plain, filling, cached


def test_the_corpus_reads_the_same_cached_and_uncached(cache, monkeypatch):
    plain, filling, cached = three_reads(str(ROOT / "claims"), monkeypatch)
    assert plain == filling == cached
    assert len(entries(cache)) == len(list((ROOT / "claims").rglob("*.argmap")))


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: str(p.relative_to(ROOT / "tests" / "fixtures")))
def test_every_fixture_reads_the_same_cached_and_uncached(cache, monkeypatch, path):
    plain, filling, cached = three_reads(str(path), monkeypatch)
    assert plain == filling == cached


def test_files_with_errors_are_cached_too(cache, monkeypatch):
    bad = ROOT / "tests" / "fixtures" / "diagnostics" / "e101_expected_tokens.argmap"
    plain, _, cached = three_reads(str(bad), monkeypatch)
    assert any(d["severity"] == "error" for d in plain[3])
    assert plain == cached


def test_an_edited_file_is_parsed_again(cache, tmp_path):
    f = tmp_path / "m.argmap"
    f.write_text('assumption alpha: "A"\nclaim c: "C"\n  if alpha\n', encoding="utf-8")
    before = f.stat()
    assert read_map(str(f))[0].assumptions.keys() == {"alpha"}
    f.write_text('assumption bravo: "A"\nclaim c: "C"\n  if alpha\n', encoding="utf-8")  # same size
    os.utime(f, ns=(before.st_atime_ns, before.st_mtime_ns))                          # same time
    amap, diags = read_map(str(f))
    assert amap.assumptions.keys() == {"bravo"}
    assert [d.code for d in diags if d.severity == "error"] == ["E201"]
    assert len(entries(cache)) == 1                       # the file's entry was replaced


def test_the_same_text_under_another_name_reports_that_name(cache, tmp_path):
    text = 'claim c: "C"\n  if missing\n'
    (tmp_path / "a.argmap").write_text(text, encoding="utf-8")
    (tmp_path / "b.argmap").write_text(text, encoding="utf-8")
    a = read_map(str(tmp_path / "a.argmap"))[1]
    b = read_map(str(tmp_path / "b.argmap"))[1]
    assert {Path(d.file).name for d in a} == {"a.argmap"} and {Path(d.file).name for d in b} == {"b.argmap"}


def test_other_front_end_code_misses(cache, tmp_path, monkeypatch):
    f = tmp_path / "m.argmap"
    f.write_text('assumption alpha: "A"\n', encoding="utf-8")
    read_map(str(f))
    monkeypatch.setattr(filecache, "front_end_digest", lambda: "another build.py")
    calls = []
    real = loader.file_part
    monkeypatch.setattr(loader, "file_part", lambda *a: (calls.append(1), real(*a))[1])
    read_map(str(f))
    assert calls == [1]


def test_the_digest_changes_with_the_builder_source(tmp_path, monkeypatch):
    # A changed builder must not be served statements built by the old one: the digest reads every
    # front-end module's source from the package folder (here a copy with build.py edited).
    import shutil
    here = Path(filecache.__file__).parent
    copy = tmp_path / "language"
    copy.mkdir()
    for name in filecache.FRONT_END_MODULES:
        shutil.copy(here / name, copy / name)
    monkeypatch.setattr(filecache, "__file__", str(copy / "filecache.py"))
    filecache.front_end_digest.cache_clear()
    try:
        same = filecache.front_end_digest()
        with open(copy / "build.py", "a", encoding="utf-8") as fh:
            fh.write("\n# edited\n")
        filecache.front_end_digest.cache_clear()
        edited = filecache.front_end_digest()
    finally:
        monkeypatch.undo()
        filecache.front_end_digest.cache_clear()
    assert same == filecache.front_end_digest() != edited


def test_a_cached_read_imports_no_lark(tmp_path):
    """The point of keeping assemble apart from build: a warm read skips Lark's import (~30 ms)."""
    import subprocess
    import sys
    # nor importlib.metadata (~18 ms, once used for Lark's version) or importlib.resources (~7 ms)
    code = ("import sys, argmap.cachedir as c; c.use_file_cache(); from argmap.language.loader import read_map; "
            f"read_map({str(ROOT / 'claims')!r}); "
            "print([m in sys.modules for m in ('lark', 'importlib.metadata', 'importlib.resources')])")
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    env.pop("ARGMAP_NO_CACHE", None)
    first = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    second = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert first.stdout.startswith("[True"), first.stderr
    assert second.stdout == "[False, False, False]\n", second.stderr


def test_the_digest_changes_with_lark(tmp_path, monkeypatch):
    # Statements built by one Lark are not served to another: the digest reads Lark's __init__.py,
    # which states its version (found without importing Lark).
    import importlib.util
    fake = tmp_path / "lark" / "__init__.py"
    fake.parent.mkdir()
    fake.write_text('__version__ = "0.0.1"\n', encoding="utf-8")
    real = importlib.util.find_spec("lark")
    assert filecache._lark_init() == Path(real.origin).read_bytes() and b"__version__" in filecache._lark_init()
    filecache.front_end_digest.cache_clear()
    try:
        same = filecache.front_end_digest()
        monkeypatch.setattr(importlib.util, "find_spec",
                            lambda name: importlib.machinery.ModuleSpec(name, None, origin=str(fake)))
        filecache.front_end_digest.cache_clear()
        other = filecache.front_end_digest()
    finally:
        monkeypatch.undo()
        filecache.front_end_digest.cache_clear()
    assert same == filecache.front_end_digest() != other


@pytest.mark.parametrize("damage", ["garbage", "not a list", "forged class", "wrong field count", "other key",
                                    "deeply nested"])
def test_a_broken_or_forged_entry_is_ignored(cache, tmp_path, monkeypatch, damage):
    f = tmp_path / "m.argmap"
    f.write_text('assumption alpha: "A"\nclaim c: "C"\n  if alpha\n', encoding="utf-8")
    monkeypatch.setenv("ARGMAP_NO_CACHE", "1")
    want = snapshot(str(f))
    monkeypatch.delenv("ARGMAP_NO_CACHE")
    snapshot(str(f))
    [entry] = entries(cache)
    doc = json.loads(entry.read_text(encoding="utf-8"))
    if damage == "garbage":
        entry.write_bytes(b"\xff{not json")
    elif damage == "not a list":
        entry.write_text('{"c": "Span", "f": ["x", 1, 1]}', encoding="utf-8")
    elif damage == "forged class":
        doc[1][0]["c"] = "system"
        entry.write_text(json.dumps(doc), encoding="utf-8")
    elif damage == "wrong field count":
        doc[1][0]["f"].append("extra")
        entry.write_text(json.dumps(doc), encoding="utf-8")
    elif damage == "deeply nested":
        entry.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    else:
        doc[0] = "0" * 64
        doc[1] = []                                     # a well-formed entry for other text
        entry.write_text(json.dumps(doc), encoding="utf-8")
    assert snapshot(str(f)) == want
    assert snapshot(str(f)) == want                      # and the entry was rewritten, still right


@pytest.mark.parametrize("field, value", [(4, "7"), (4, True), (0, "fatal"), (6, 3), (2, None)])
def test_a_diagnostic_of_the_wrong_shape_is_ignored(cache, tmp_path, monkeypatch, field, value):
    # Diagnostic is a plain dataclass (argmap.dumpable): only the decoder checks an entry's fields
    f = tmp_path / "m.argmap"
    f.write_text('assumption alpha: "A"\nclaim c: "C"\n  if alpha @\n', encoding="utf-8")    # a syntax error
    monkeypatch.setenv("ARGMAP_NO_CACHE", "1")
    want = snapshot(str(f))
    monkeypatch.delenv("ARGMAP_NO_CACHE")
    snapshot(str(f))
    [entry] = entries(cache)
    doc = json.loads(entry.read_text(encoding="utf-8"))
    assert doc[2] and "d" in doc[2][0]
    doc[2][0]["d"][field] = value
    entry.write_text(json.dumps(doc), encoding="utf-8")
    with monkeypatch.context() as m:
        m.setattr(filecache, "write", lambda *a: None)
        from argmap.language.source import read_source
        assert filecache.read(read_source(str(f))[0]) is None
    assert snapshot(str(f)) == want


def test_no_cache_writes_nothing(cache, tmp_path, monkeypatch):
    monkeypatch.setenv("ARGMAP_NO_CACHE", "1")
    read_map(str(ROOT / "tests" / "fixtures" / "maps" / "tiny"))
    assert not cache.exists()


def test_an_unwritable_cache_folder_only_costs_time(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    folder.mkdir()
    (folder / "argmap").write_text("a file where the folder should be", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    monkeypatch.delenv("ARGMAP_NO_CACHE", raising=False)
    monkeypatch.setattr(cachedir, "_file_cache_wanted", True)
    tiny = str(ROOT / "tests" / "fixtures" / "maps" / "tiny")
    assert snapshot(tiny) == snapshot(tiny)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(text=GRAMMAR_TEXT, cut=st.integers(0, 300), junk=st.sampled_from(["", "(", '"', "\n  if", "x:", "\t"]))
def test_drawn_and_damaged_text_reads_the_same_cached_and_uncached(cache, tmp_path, monkeypatch, text, cut, junk):
    f = tmp_path / "drawn.argmap"
    f.write_text(text[:cut] + junk + text[cut:], encoding="utf-8")
    with monkeypatch.context() as m:
        m.setenv("ARGMAP_NO_CACHE", "1")
        plain = snapshot(str(f))
    assert snapshot(str(f)) == plain                     # fills (or replaces) the entry
    with monkeypatch.context() as m:
        no_parsing(m)
        assert snapshot(str(f)) == plain


def test_one_file_named_two_ways_reports_the_name_of_each_read(cache, tmp_path, monkeypatch):
    """Relative and absolute paths share one entry (the absolute path); the name is in the key."""
    (tmp_path / "m.argmap").write_text('claim c: "C"\n  if missing\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    relative = read_map("m.argmap")[1]
    absolute = read_map(str(tmp_path / "m.argmap"))[1]
    again = read_map("m.argmap")[1]
    assert {d.file for d in relative} == {d.file for d in again} == {"m.argmap"}
    assert {d.file for d in absolute} == {str(tmp_path / "m.argmap")}
    assert len(entries(cache)) == 1


def test_library_reads_write_no_cache_unless_asked(tmp_path, monkeypatch):
    """argmap.read_map in a program (a notebook, a benchmark) leaves the user's disk alone."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("ARGMAP_NO_CACHE", raising=False)
    monkeypatch.setattr(cachedir, "_file_cache_wanted", False)
    read_map(str(ROOT / "tests" / "fixtures" / "maps" / "tiny"))
    assert not (tmp_path / "cache").exists()


def test_the_cli_uses_the_cache_and_prints_the_same(tmp_path, monkeypatch):
    import subprocess
    import sys
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    env.pop("ARGMAP_NO_CACHE", None)
    bad = ROOT / "tests" / "fixtures" / "diagnostics"
    runs = []
    for extra in ({"ARGMAP_NO_CACHE": "1"}, {}, {}):
        proc = subprocess.run([sys.executable, "-m", "argmap", "--map", str(bad), "check", "--json"],
                              capture_output=True, env={**env, **extra}, cwd=ROOT, timeout=120)
        runs.append((proc.returncode, proc.stdout, proc.stderr))
    assert runs[0] == runs[1] == runs[2]
    assert runs[0][0] == 1 and b"E101" in runs[0][1]
    assert len(entries(tmp_path / "cache" / "argmap")) == len(list(bad.rglob("*.argmap")))


def test_a_file_over_the_size_limit_is_not_cached(cache, tmp_path, monkeypatch):
    monkeypatch.setattr(filecache, "MAX_CACHED_CHARS", 10)
    f = tmp_path / "m.argmap"
    f.write_text('assumption alpha: "A"\n', encoding="utf-8")
    read_map(str(f))
    assert entries(cache) == []
