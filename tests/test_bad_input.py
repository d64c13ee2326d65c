"""Bad input files and paths: each gives a clear diagnostic and the documented exit code.

LANGUAGE.md: `check` exits 1 when the map has an error diagnostic (0 with warnings only); a query
command given a map with errors exits 2, as does a missing path. Never a traceback, never a hang.
Small inputs are committed in tests/fixtures/bad/; large ones are generated here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import argmap
from argmap.cli import main
from conftest import ROOT

BAD = ROOT / "tests" / "fixtures" / "bad"
TINY = ROOT / "tests" / "fixtures" / "maps" / "tiny"

# A clean map of 8 lines; generated inputs append to it, so their lines start at 9.
SCAFFOLD = """assumption a: "A"
claim c: "C"
  if a
proposal p: "P"
  outer: c
  inner: c
  training: c
  performance: c
"""

# fixture → the diagnostics it must give, as (code, line, column), in the order `check` prints them.
TABLE = {
    "empty.argmap": [("W304", 1, 1)],
    "whitespace_only.argmap": [("W304", 1, 1)],
    "comments_only.argmap": [("W304", 1, 1)],
    # The BOM is not a character of line 1: `spare` stays at column 12.
    "bom.argmap": [("W301", 1, 12)],
    # CRLF and lone CR are line ends: the unknown id is on line 9, as an editor shows it.
    "crlf.argmap": [("E201", 9, 19)],
    "lone_cr.argmap": [("E201", 9, 19)],
    "invalid_utf8.argmap": [("E001", 2, 16)],
    "truncated_utf8.argmap": [("E001", 1, 17)],
    "nul_byte.argmap": [("E002", 2, 9)],
    "control_character.argmap": [("E103", 1, 18)],
    "keyword_ids.argmap": [("E107", 1, 12), ("E107", 2, 7), ("W302", 2, 7), ("E107", 3, 6)],
    "uppercase_and_cyrillic_ids.argmap": [("E103", 1, 12), ("E103", 2, 12)],
    "eof_inside_parentheses.argmap": [("E101", 9, 21)],
    "indented_first_line.argmap": [("E101", 1, 3)],
    "non_breaking_space_statement.argmap": [("E103", 1, 1)],
}

# Large inputs, generated: name → (text, expected diagnostics).
GENERATED = {
    "not_10000_deep": (SCAFFOLD + "conflict k: " + "not " * 10_000 + "a\n", [("E109", 9, 13)]),
    "parens_10000_deep": (SCAFFOLD + "conflict k: " + "(" * 10_000 + "a" + ")" * 10_000 + "\n",
                          [("E109", 9, 13)]),
    "parens_10000_unclosed": (SCAFFOLD + "conflict k: " + "(" * 10_000 + "a\n", [("E101", 9, 10_014)]),
    "nesting_at_the_limit": (SCAFFOLD + "conflict k: " + "not " * 62 + "(a)\n", []),
    "nesting_one_past_the_limit": (SCAFFOLD + "conflict k: " + "not " * 63 + "(a)\n", [("E109", 9, 13)]),
    "conjunction_100000_terms": (SCAFFOLD.replace("  if a\n", "  if " + " and ".join(["a"] * 100_000) + "\n"),
                                 []),
    "id_10000_characters": (SCAFFOLD + "assumption " + "x" * 10_000 + ': "long"\n', [("W301", 9, 12)]),
}


def check_json(*args, input=None):
    result = CliRunner().invoke(main, ["check", "--json", *args], input=input)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, json.loads(result.stdout), result.stderr


def query_exit(path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--map", str(path), "verdicts", "--json"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stderr


def assert_diagnostics(path, expected):
    code, doc, err = check_json(str(path))
    got = [(d["code"], d["line"], d["column"]) for d in doc["diagnostics"]]
    assert got == expected
    errors = any(c.startswith("E") for c, _, _ in expected)
    assert doc["ok"] is (not errors)
    assert code == (1 if errors else 0)
    assert "Traceback" not in err
    # The human form on stderr: FILE:LINE:COL: severity[CODE] for each, in the same order.
    heads = [ln for ln in err.splitlines() if ln.startswith(str(path) + ":")]
    assert heads == [f"{path}:{d['line']}:{d['column']}: {d['severity']}[{d['code']}]: {d['message']}"
                     for d in doc["diagnostics"]]
    qcode, qerr = query_exit(path)
    assert qcode == (2 if errors else 0) and "Traceback" not in qerr
    return doc


@pytest.mark.timeout(60)
@pytest.mark.parametrize("name", sorted(TABLE))
def test_committed_bad_inputs(name):
    assert_diagnostics(BAD / name, TABLE[name])


def test_every_committed_bad_input_is_in_the_table():
    assert sorted(p.name for p in BAD.glob("*.argmap")) == sorted(TABLE)


@pytest.mark.timeout(60)
@pytest.mark.parametrize("name", sorted(GENERATED))
def test_generated_bad_inputs(name, tmp_path):
    text, expected = GENERATED[name]
    path = tmp_path / f"{name}.argmap"
    path.write_text(text, encoding="utf-8")
    assert_diagnostics(path, expected)


def test_line_endings_and_bom_do_not_reach_the_model():
    for name in ("crlf.argmap", "lone_cr.argmap", "bom.argmap"):
        amap, _ = argmap.read_map(str(BAD / name))
        texts = [a.text for a in amap.assumptions.values()] + [c.text for c in amap.claims.values()]
        assert texts and not any("\r" in t or "\ufeff" in t for t in texts)
        assert all(i.isascii() for i in amap.assumptions)


def test_a_100000_term_conjunction_stays_flat(tmp_path):
    text, _ = GENERATED["conjunction_100000_terms"]
    (tmp_path / "m.argmap").write_text(text, encoding="utf-8")
    amap = argmap.load(str(tmp_path))
    formula = amap.claims["c"].supports[0].when
    assert type(formula).__name__ == "And" and len(formula.args) == 100_000


@pytest.mark.timeout(30)
def test_a_file_over_the_size_limit_is_refused_quickly(tmp_path):
    path = tmp_path / "huge.argmap"
    line = b'assumption a: "A"\n'
    path.write_bytes(line * (5_000_000 // len(line) + 1))
    start = time.monotonic()
    doc = assert_diagnostics(path, [("E003", 1, 1)])
    assert time.monotonic() - start < 10
    assert "5,000,000 bytes" in doc["diagnostics"][0]["message"]


def test_a_missing_path_is_a_usage_error(tmp_path):
    missing = tmp_path / "no" / "such" / "dir"
    result = CliRunner().invoke(main, ["check", str(missing)])
    assert result.exit_code == 2 and "no such file or directory" in result.stderr
    code, err = query_exit(missing)
    assert code == 2 and "no such file or directory" in err and "Traceback" not in err
    with pytest.raises(argmap.UsageError):
        argmap.read_map(str(missing))


def test_a_directory_without_map_files_is_a_usage_error(tmp_path):
    (tmp_path / "notes.txt").write_text("not a map")
    result = CliRunner().invoke(main, ["check", str(tmp_path)])
    assert result.exit_code == 2 and "no .argmap files" in result.stderr


def test_something_that_is_neither_file_nor_directory(tmp_path):
    if not os.path.exists("/dev/null"):
        pytest.skip("no /dev/null here")
    result = CliRunner().invoke(main, ["check", "/dev/null"])
    assert result.exit_code == 2 and "not a regular file" in result.stderr


def test_an_unreadable_file_is_a_usage_error(tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root reads a chmod 000 file anyway; as user 65534: "
                    "tests/test_hostile_cli.py::test_an_unreadable_file_exits_2")
    path = tmp_path / "secret.argmap"
    path.write_text(SCAFFOLD)
    path.chmod(0)
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 2 and "cannot read" in result.stderr


def test_stdin_as_dash():
    code, doc, _ = check_json("-", input=SCAFFOLD + "conflict k: mypia\n")
    assert code == 1
    assert [(d["file"], d["code"], d["line"], d["column"]) for d in doc["diagnostics"]] == [("<stdin>", "E201", 9, 13)]
    result = CliRunner().invoke(main, ["--map", "-", "verdicts", "--json"], input=SCAFFOLD)
    assert result.exit_code == 0
    assert json.loads(result.stdout)["verdicts"] == {f"p.{c}": "open" for c in
                                                     ("outer", "inner", "training", "performance")}


def test_stdin_bytes_are_checked_like_a_file():
    code, doc, _ = check_json("-", input=b'assumption a: "\xff"\n')
    assert code == 1 and [(d["code"], d["line"], d["column"]) for d in doc["diagnostics"]] == [("E001", 1, 16)]


def test_keyword_ids_in_every_position(tmp_path):
    """Every keyword, used as an id where ids go, is E107 (or a syntax error), never accepted."""
    from argmap.language.grammar import KEYWORDS
    for kw in sorted(KEYWORDS):
        (tmp_path / "m.argmap").write_text(SCAFFOLD + f'assumption {kw}: "K"\n', encoding="utf-8")
        amap, diags = argmap.read_map(str(tmp_path))
        codes = {d.code for d in diags if d.severity == "error"}
        assert codes and codes <= {"E101", "E107"}, (kw, diags)
        assert any(d.line == 9 for d in diags if d.severity == "error")


# ---- a few through a real process: the installed entry point, stdin, env and exit codes -------
def run_module(*args, input=None, env=None):
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run([sys.executable, "-m", "argmap", *args], input=input, capture_output=True,
                          timeout=60, env=full_env, cwd=ROOT)


@pytest.mark.timeout(120)
def test_bad_inputs_through_a_real_process(tmp_path):
    for name in ("empty.argmap", "invalid_utf8.argmap", "nul_byte.argmap", "crlf.argmap"):
        proc = run_module("check", "--json", str(BAD / name))
        doc = json.loads(proc.stdout)
        assert [(d["code"], d["line"], d["column"]) for d in doc["diagnostics"]] == TABLE[name]
        assert proc.returncode == (0 if doc["ok"] else 1)
        assert b"Traceback" not in proc.stderr
    deep = tmp_path / "deep.argmap"
    deep.write_text(GENERATED["not_10000_deep"][0], encoding="utf-8")
    proc = run_module("--map", str(deep), "verdicts")
    assert proc.returncode == 2 and b"error[E109]" in proc.stderr and b"Traceback" not in proc.stderr
    proc = run_module("check", str(tmp_path / "missing"))
    assert proc.returncode == 2 and b"no such file or directory" in proc.stderr
    proc = run_module("check", "-", input=(SCAFFOLD + "conflict k: mypia\n").encode())
    assert proc.returncode == 1 and b"<stdin>:9:13: error[E201]" in proc.stderr
    # The size limit can be lowered from the environment.
    proc = run_module("check", str(TINY), env={"ARGMAP_MAX_BYTES": "100"})
    assert proc.returncode == 1 and b"error[E003]" in proc.stderr and b"100 bytes" in proc.stderr
