"""Every diagnostic code the checker can emit: one fixture each, with its place and its words.

Each fixture in tests/fixtures/diagnostics/ (a file, or a directory read as one map) lists the
diagnostics it must give in comments: `# expect: CODE LINE:COLUMN text`, where the text must occur in
the message or the hint. The test asserts exactly those diagnostics (no more), in the order
`check` sorts them (file, line, column), the `check --json` contract shape and the exit codes.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from argmap.cli import main
from conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "diagnostics"
BAD_INPUT_CODES = {"E001", "E002", "E003"}       # bytes, not text: covered by tests/test_bad_input.py
SEMANTIC_CODES = {"E301", "E302", "E401"}         # found by the solver, after the map has loaded
EXPECT = re.compile(r"^# expect: ([EW]\d{3}) (\d+):(\d+) (.*)$")
CASES = sorted(p.name for p in FIXTURES.iterdir() if p.suffix == ".argmap" or p.is_dir())


def expectations(case: Path) -> list[tuple[str, int, int, str, str]]:
    files = sorted(case.rglob("*.argmap")) if case.is_dir() else [case]
    out = []
    for f in files:
        for line in f.read_text(encoding="utf-8").splitlines():
            m = EXPECT.match(line)
            if m:
                out.append((str(f), int(m[2]), int(m[3]), m[1], m[4]))
    return out


def run_check(path: str):
    result = CliRunner().invoke(main, ["check", "--json", path])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def assert_contract(doc: dict) -> None:
    assert set(doc) == {"ok", "diagnostics"} and isinstance(doc["ok"], bool)
    for d in doc["diagnostics"]:
        assert {"severity", "code", "message", "file", "line", "column"} <= set(d) <= {
            "severity", "code", "message", "file", "line", "column", "hint"}
        assert d["severity"] in ("error", "warning")
        assert re.fullmatch(r"[EW]\d{3}", d["code"]) and d["code"][0] == d["severity"][0].upper()
        assert isinstance(d["line"], int) and d["line"] >= 1 and isinstance(d["column"], int) and d["column"] >= 1
        assert isinstance(d["message"], str) and d["message"] and isinstance(d["file"], str)
    assert doc["ok"] is not any(d["severity"] == "error" for d in doc["diagnostics"])


@pytest.mark.parametrize("case", CASES)
def test_fixture_gives_exactly_its_diagnostics(case):
    path = FIXTURES / case
    expected = expectations(path)
    assert expected, f"{case} lists no `# expect:` line"
    result = run_check(str(path))
    doc = json.loads(result.stdout)
    assert_contract(doc)
    got = [(d["file"], d["line"], d["column"], d["code"]) for d in doc["diagnostics"]]
    assert got == [e[:4] for e in expected]
    for d, (*_, words) in zip(doc["diagnostics"], expected):
        assert words in d["message"] + " " + d.get("hint", ""), (d, words)
    assert got == sorted(got, key=lambda g: (g[0], g[1], g[2]))
    has_errors = any(d["severity"] == "error" for d in doc["diagnostics"])
    assert result.exit_code == (1 if has_errors else 0)
    # The human form: one `FILE:LINE:COL: severity[CODE]: message` line each, in the same order.
    heads = [ln for ln in result.stderr.splitlines() if re.match(r"^\S.*:\d+:\d+: (error|warning)\[", ln)]
    assert heads == [f"{d['file']}:{d['line']}:{d['column']}: {d['severity']}[{d['code']}]: {d['message']}"
                     for d in doc["diagnostics"]]
    # A query command refuses a map that does not load (exit 2); an inconsistent map is a finding
    # (exit 1); a failed expectation or an inconsistent worldview does not stop other questions.
    query = CliRunner().invoke(main, ["--map", str(path), "verdicts", "--json"])
    load_errors = {d["code"] for d in doc["diagnostics"] if d["severity"] == "error"} - SEMANTIC_CODES
    assert query.exit_code == (2 if load_errors else 1 if "E301" in {g[3] for g in got} else 0), query.stderr
    assert "Traceback" not in query.stderr


def emitted_codes() -> set[str]:
    """Every diagnostic code written in argmap's source (a string literal like "E201")."""
    codes = set()
    for f in (ROOT / "argmap").rglob("*.py"):
        codes.update(re.findall(r'"([EW]\d{3})"', f.read_text(encoding="utf-8")))
    return codes


def test_every_code_the_checker_emits_has_a_fixture():
    codes = emitted_codes()
    assert len(codes) >= 30     # the scan itself works
    covered = {e[3] for case in CASES for e in expectations(FIXTURES / case)}
    assert codes - BAD_INPUT_CODES - covered == set()


def test_every_code_is_documented():
    doc = (ROOT / "docs" / "diagnostics.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^### `([EW]\d{3})`", doc, flags=re.M))
    assert emitted_codes() <= documented


def test_diagnostics_of_many_files_are_sorted_by_file_line_and_column():
    """All fixtures as one map: hundreds of diagnostics across files (duplicates included)."""
    result = run_check(str(FIXTURES))
    doc = json.loads(result.stdout)
    assert_contract(doc)
    keys = [(d["file"], d["line"], d["column"]) for d in doc["diagnostics"]]
    assert len({k[0] for k in keys}) > 20 and keys == sorted(keys)
    assert result.exit_code == 1
    # Deterministic: the same input gives the same bytes.
    assert run_check(str(FIXTURES)).stdout == result.stdout


def test_a_duplicate_id_names_both_places():
    case = FIXTURES / "e202_duplicate_id"
    doc = json.loads(run_check(str(case)).stdout)
    first, second = doc["diagnostics"]
    assert first["file"] == second["file"] == str(case / "b.argmap")
    assert f"first declared at {case / 'a.argmap'}:2:7" in first["message"]
    assert f"first declared at {case / 'a.argmap'}:1:12" in second["message"]


@given(st.text("abc_", min_size=1, max_size=6), st.lists(st.text("abc_", min_size=1, max_size=6), max_size=30))
def test_a_suggestion_does_not_depend_on_the_order_of_the_choices(name, choices):
    """validate.suggest no longer sorts its choices (10k ids, once per unknown name): the best
    (score, choice) pair must win in any order, ties going to the same choice."""
    from argmap.language.validate import suggest
    assert suggest(name, choices) == suggest(name, sorted(choices)) == suggest(name, sorted(choices, reverse=True))
