"""`check` and `test` remember passed expectations and consistent scenarios between runs
(argmap/analysis/checkcache.py), keyed by the slice that decides each.

What would break: a key that misses part of the slice (a changed claim, conflict or worldview line
leaves a stale pass standing), a pass used for a scenario that has since become inconsistent, a key
shared by two expectations that differ, or a cache that leaks into library calls. The property test
edits one line of a random map between two runs on the same file and compares the second run with
a run that remembers nothing and with the brute-force oracle.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

import argmap
from argmap import cachedir
from argmap.analysis import checkcache
from argmap.analysis.queries import run_tests, semantic_diagnostics

from oracle import Oracle, SmallMap
from test_engine_oracle import expressions, small_maps
from test_expect_answers import every_expectation, oracle_holds, same_message

ROOT = Path(__file__).resolve().parent.parent


@contextlib.contextmanager
def disk_caches(folder: str, on: bool = True):
    """The cache folder in ``folder``, disk caches wanted as the command line wants them (or, with
    ``on=False``, not wanted, as in library use)."""
    saved_env, saved_flag = os.environ.get("XDG_CACHE_HOME"), cachedir._file_cache_wanted
    os.environ["XDG_CACHE_HOME"] = folder
    cachedir.use_file_cache(on)
    try:
        yield
    finally:
        cachedir.use_file_cache(saved_flag)
        if saved_env is None:
            os.environ.pop("XDG_CACHE_HOME", None)
        else:
            os.environ["XDG_CACHE_HOME"] = saved_env


def expect_line(ex) -> str:
    under = f"under {ex.under}: " if ex.under else ""
    if ex.kind == "consistent":
        return f"expect consistent {ex.under}" if ex.under else "expect consistent"
    if ex.kind == "status":
        return f"expect {under}{ex.target} {ex.status}"
    if ex.kind == "independent_of":
        return f"expect {under}{ex.target} independent_of {ex.assumption}"
    return f"expect {under}{ex.target} {ex.kind} {'' if ex.positive else 'not '}{ex.assumption}"


@st.composite
def edited(draw, m: SmallMap) -> SmallMap:
    """``m`` with one thing changed: a claim's or verdict's supports, a conflict, the worldview, or
    an assumption added. Ids stay, so every expectation still names something."""
    new = SmallMap(list(m.assumptions), {k: list(v) for k, v in m.claims.items()},
                   {k: list(v) for k, v in m.verdicts.items()}, list(m.conflicts),
                   {k: dict(v) for k, v in m.worldviews.items()})
    choice = draw(st.sampled_from(["claim", "verdict", "conflict", "worldview", "assumption"]))
    claims = list(m.claims)
    if choice == "claim" and claims:
        i = draw(st.integers(0, len(claims) - 1))
        names = m.assumptions + claims[:i]
        new.claims[claims[i]] = [(draw(expressions(names)), draw(st.one_of(st.none(), expressions(names, 1))))]
    elif choice == "verdict":
        vid = draw(st.sampled_from(list(m.verdicts)))
        names = m.assumptions + claims
        new.verdicts[vid] = [(draw(expressions(names)), draw(st.one_of(st.none(), expressions(names, 1))))]
    elif choice == "conflict":
        names = m.assumptions + claims + list(m.verdicts)
        if m.conflicts and draw(st.booleans()):
            new.conflicts.pop(draw(st.integers(0, len(m.conflicts) - 1)))
        else:
            new.conflicts.append(draw(expressions(names, 1)))
    elif choice == "worldview":
        new.worldviews["w"] = draw(st.dictionaries(st.sampled_from(m.assumptions), st.booleans(), max_size=2))
    else:
        new.assumptions.append(f"a{len(m.assumptions)}")
    return new


def write(folder: Path, m: SmallMap, expects) -> None:
    (folder / "m.argmap").write_text(m.text() + "\n".join(map(expect_line, expects)) + "\n", encoding="utf-8")


def read(folder: Path):
    amap, diags = argmap.read_map(str(folder))
    assert not [d for d in diags if d.severity == "error"], diags
    return amap


@settings(max_examples=80, deadline=None)
@given(small_maps(max_conflicts=2), st.data())
def test_after_an_edit_remembered_answers_agree_with_fresh_ones_and_the_oracle(m, data):
    oracle = Oracle(m)
    every = every_expectation(m, oracle.nodes)
    # mostly expectations that pass on the first map: only passes are remembered, and the edit
    # must not leave one standing that no longer holds
    passing = [ex for ex in every if oracle_holds(m, oracle, ex)] or every
    expects = data.draw(st.lists(st.sampled_from(passing), min_size=1, max_size=20, unique=True)
                        | st.lists(st.sampled_from(every), min_size=1, max_size=25, unique=True))
    second = data.draw(edited(m))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "map"
        folder.mkdir()
        with disk_caches(str(Path(tmp) / "cache")):
            write(folder, m, expects)
            run_tests(read(folder))                         # fills the cache
            write(folder, second, expects)
            amap = read(folder)
            remembered = run_tests(amap)
            diagnostics = semantic_diagnostics(read(folder))
        fresh = run_tests(amap, remember=False)
        assert remembered.passed == fresh.passed, (m.text(), second.text())
        assert len(remembered.failed) == len(fresh.failed)
        for a, b in zip(remembered.failed, fresh.failed):
            assert (a.line, a.expect) == (b.line, b.expect)
            assert same_message(a.why, b.why, marco=True), (a, b)
        failed_lines = {f.line for f in fresh.failed}
        assert {d.line for d in diagnostics if d.code == "E401"} <= failed_lines
        oracle = Oracle(second)
        for ex in amap.expects:
            assert (ex.span.line not in failed_lines) == oracle_holds(second, oracle, ex), (second.text(), ex)


def test_an_unchanged_map_is_answered_from_the_cache_and_an_edit_is_not_missed(tmp_path):
    folder = tmp_path / "map"
    folder.mkdir()
    body = ('assumption a: "A"\nassumption b: "B"\nclaim c: "C"\n  if a\n'
            'proposal p: "P"\n  outer: c\n  inner: b\n'
            'expect p.outer uses a\nexpect p.inner independent_of a\nexpect consistent\n')
    (folder / "m.argmap").write_text(body, encoding="utf-8")
    with disk_caches(str(tmp_path / "cache")):
        amap = read(folder)
        assert run_tests(amap).passed == 3
        stored = list((tmp_path / "cache" / "argmap").glob("check-*.json"))
        assert len(stored) == 1
        keys = json.loads(stored[0].read_text())["keys"]
        assert len(keys) == 3       # two expectations and the scenario (`consistent` is that scenario's key)

        again = read(folder)
        asked = []
        again._cache["engine"] = _Refuse(asked)             # any engine question would be recorded
        assert run_tests(again).passed == 3
        assert asked == []

        # the claim no longer depends on `a`: the remembered pass of `uses a` must not stand
        (folder / "m.argmap").write_text(body.replace("  if a\n", "  if b\n"), encoding="utf-8")
        report = run_tests(read(folder))
        assert [f.line for f in report.failed] == [8]
        # ... nor may a pass stand once the map becomes inconsistent
        (folder / "m.argmap").write_text(body + "conflict k: a or not a\n", encoding="utf-8")
        inconsistent = read(folder)
        assert run_tests(inconsistent).passed == 0
        assert [d.code for d in semantic_diagnostics(inconsistent)] == ["E301"]


class _Refuse:
    def __init__(self, asked):
        self.asked = asked

    def __getattr__(self, name):
        self.asked.append(name)
        raise AssertionError(f"the engine was asked {name}")


def test_library_calls_write_nothing(tmp_path):
    with disk_caches(str(tmp_path), on=False):
        run_tests(argmap.load(str(ROOT / "tests/fixtures/maps/tiny")))
    assert not list(tmp_path.rglob("check-*.json"))


def test_a_forged_or_foreign_file_is_a_miss(tmp_path):
    folder = tmp_path / "map"
    folder.mkdir()
    (folder / "m.argmap").write_text('assumption a: "A"\nproposal p: "P"\n  outer: a\n  inner: a\n'
                                     "expect p.outer holds\n", encoding="utf-8")
    with disk_caches(str(tmp_path / "cache")):
        assert [f.line for f in run_tests(read(folder)).failed] == [5]
        stored = next((tmp_path / "cache" / "argmap").glob("check-*.json"))
        amap = read(folder)
        key = checkcache.remembered(amap).expect_key(amap.expects[0], {})
        for text in ("not json", json.dumps({"format": 1, "engine": "other", "keys": [key]}),
                     json.dumps({"format": 1, "engine": checkcache.engine_digest(), "keys": {"k": 1}})):
            stored.write_text(text, encoding="utf-8")
            assert [f.line for f in run_tests(read(folder)).failed] == [5]


def test_a_warm_check_on_the_corpus_does_not_import_z3(tmp_path):
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    env.pop("ARGMAP_NO_CACHE", None)
    first = subprocess.run([sys.executable, "-m", "argmap", "check"], cwd=ROOT, env=env,
                           capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    second = subprocess.run([sys.executable, "-X", "importtime", "-m", "argmap", "check"], cwd=ROOT,
                            env=env, capture_output=True, text=True)
    assert second.returncode == 0 and second.stdout == first.stdout
    imported = {line.rsplit("|", 1)[-1].strip() for line in second.stderr.splitlines() if "|" in line}
    assert "argmap.language.model" in imported
    assert "z3" not in imported
