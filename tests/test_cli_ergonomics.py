"""CLI ergonomics: where options may go, hints that name what exists, the default map, and
`prob` with credences of 0 or 1."""

from __future__ import annotations

import json
import re

from click.testing import CliRunner

from argmap.cli import main
from conftest import ROOT

TINY = str(ROOT / "tests" / "fixtures" / "maps" / "tiny")
CONFLICTED = '''assumption a: "A"
assumption b: "B"
claim c: "C"
  if a
proposal p: "P"
  outer: c
  inner: c
  training: c
  performance: b
conflict k: a and b
'''


def run(*args, **kw):
    result = CliRunner().invoke(main, list(args), **kw)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def test_global_options_after_the_command_are_accepted():
    before = run("--map", TINY, "verdicts", "--json")
    after = run("verdicts", "--json", "--map", TINY)
    assert after.exit_code == 0 and after.stdout == before.stdout
    assert run("verdicts", "--map=" + TINY, "--json").stdout == before.stdout


def test_timeout_after_the_command_is_the_global_timeout():
    result = run("why", "plan.inner", "--timeout", "5", "--map", TINY, "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["verdict"] == "plan.inner"


def test_a_proposal_named_as_a_verdict_lists_its_verdicts():
    result = run("--map", TINY, "cuts", "plan")       # (`why plan` answers for all four instead)
    assert result.exit_code == 2
    for comp in ("outer", "inner", "training", "performance"):
        assert f"`plan.{comp}`" in result.stderr


def test_readme_ids_exist_in_the_bundled_corpus():
    from argmap.language.loader import load
    amap = load(str(ROOT / "claims"))
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    declared = re.findall(r"^(?:claim|assumption|proposal) ([a-z][a-z0-9_]*):", readme, re.M)
    asked = re.findall(r"argmap (?:why|what-breaks) ([a-z][a-z0-9_.]*)", readme)
    assert declared and asked
    for name in declared + asked:
        assert amap.kind_of(name), f"README names `{name}`, which claims/ does not declare"


def test_without_claims_the_current_folders_files_are_read_and_named(tmp_path, monkeypatch):
    (tmp_path / "here.argmap").write_text((ROOT / "tests/fixtures/maps/tiny/tiny.argmap").read_text())
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "broken.argmap").write_text("nonsense\n")     # subfolders are not read
    monkeypatch.chdir(tmp_path)
    result = run("check")
    assert result.exit_code == 0, result.output
    assert "here.argmap" in result.stderr and "current folder" in result.stderr
    assert run("verdicts", "--json").exit_code == 0


def test_without_claims_or_argmap_files_the_error_names_claims(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("check")
    assert result.exit_code == 2 and "claims" in result.stderr and "Traceback" not in result.output


def test_prob_with_a_default_credence_of_1_explains_the_conflict(tmp_path):
    f = tmp_path / "m.argmap"
    f.write_text(CONFLICTED)
    result = run("--map", str(f), "prob", "--default-credence", "1", "--json")
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert doc["error"] == "inconsistent" and "credence" in doc["message"]
    assert {(c["kind"], c["id"]) for c in doc["conflict"]} == {("conflict", "k"), ("fixed", "a"), ("fixed", "b")}
    assert "credence a 1" in result.stderr


def test_prob_with_a_default_credence_of_0_is_consistent_here(tmp_path):
    f = tmp_path / "m.argmap"
    f.write_text(CONFLICTED)
    result = run("--map", str(f), "prob", "--default-credence", "0", "--json")
    assert result.exit_code == 0 and json.loads(result.stdout)["verdicts"]["p.outer"] == 0.0


def test_an_inconsistent_worldview_refuses_only_queries_under_it():
    """docs/diagnostics.md: E302 fails `check`; a query exits 1 under that worldview, 0 under others."""
    f = str(ROOT / "tests" / "fixtures" / "diagnostics" / "e302_inconsistent_worldview.argmap")
    assert run("check", f).exit_code == 1
    assert run("--map", f, "verdicts", "--json").exit_code == 0
    under = run("--map", f, "verdicts", "--worldview", "w", "--json")
    assert under.exit_code == 1 and json.loads(under.stdout)["error"] == "inconsistent"


def test_counts_agree_with_their_nouns(tmp_path):
    one = tmp_path / "one.argmap"
    one.write_text('assumption a: "A"\nclaim c: "C"\n  if mystery\n')
    result = run("check", str(one))
    assert "failed: 1 error, 2 warnings" in result.stdout
    assert run("check", TINY).stdout.strip() == "ok: 0 errors, 0 warnings"
    assert "the map has 1 error;" in run("--map", str(one), "verdicts").stderr


def test_the_report_summary_counts_agree_with_their_nouns(tmp_path):
    from argmap.language.loader import load
    from argmap.report import _summary
    f = tmp_path / "m.argmap"
    f.write_text(CONFLICTED + 'worldview w: "W"\n  assume a\n')
    text = _summary(load(str(f)))
    assert "1 proposal with 4 verdicts, 1 conflict and 1 worldview, in 1 file." in text


def test_the_terminal_text_does_not_show_the_always_empty_loses():
    assert "no longer holds" not in run("--map", TINY, "what-breaks", "overseer_honest").stdout
    assert "loses" not in run("--map", TINY, "cruxes").stdout
    assert json.loads(run("--map", TINY, "cruxes", "--json").stdout)["cruxes"][0]["loses"] == []   # the contract key stays
