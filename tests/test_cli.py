"""The CLI contract: JSON shapes, exit codes and byte-identical output across runs."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from click.testing import CliRunner

from argmap.cli import main
from conftest import ROOT

TINY = str(ROOT / "tests" / "fixtures" / "maps" / "tiny")


def run(*args):
    result = CliRunner().invoke(main, ["--map", TINY, *args])
    return result.exit_code, result.stdout, result.stderr


def test_check_json_contract():
    code, out, _ = run("check", "--json")
    doc = json.loads(out)
    assert code == 0 and doc == {"ok": True, "diagnostics": []}


def test_query_shapes():
    code, out, _ = run("verdicts", "--json")
    assert code == 0
    assert json.loads(out) == {"verdicts": {"plan.outer": "open", "plan.inner": "open",
                                            "plan.training": "open", "plan.performance": "open"}}
    code, out, _ = run("why", "plan.inner", "--json")
    doc = json.loads(out)
    assert (doc["verdict"], doc["status"]) == ("plan.inner", "open")
    assert doc["supports"] == [{"model_myopic": True},
                               {"obfuscation": False, "overseer_honest": True, "tools_work": True}]
    code, out, _ = run("what-breaks", "overseer_honest", "--json")
    doc = json.loads(out)
    assert doc["breaks"] == ["plan.outer"] and doc["weakens"] == ["plan.inner"]
    assert sorted(doc["breaks"] + doc["loses"] + doc["weakens"] + doc["unaffected"]) == sorted(
        ["plan.outer", "plan.inner", "plan.training", "plan.performance"])
    code, out, _ = run("cruxes", "--json")
    ranked = json.loads(out)["cruxes"]
    assert ranked[0]["assumption"] == "overseer_honest"
    assert [c["score"] for c in ranked] == sorted((c["score"] for c in ranked), reverse=True)
    code, out, _ = run("cruxes", "--top", "2", "--json")
    assert json.loads(out)["cruxes"] == ranked[:2]
    code, out, _ = run("test", "--json")
    assert code == 0 and json.loads(out) == {"passed": 5, "failed": []}


def test_scenarios_change_answers():
    code, out, _ = run("verdicts", "--assume", "overseer_honest", "--json")
    assert json.loads(out)["verdicts"]["plan.outer"] == "holds"
    code, out, _ = run("verdicts", "--worldview", "pessimist", "--deny", "model_myopic", "--json")
    doc = json.loads(out)["verdicts"]
    assert doc["plan.training"] == "fails" and doc["plan.performance"] == "holds"


def test_inconsistent_scenario_exits_1_with_minimal_conflict():
    code, out, err = run("verdicts", "--assume", "obfuscation", "--assume", "model_myopic", "--json")
    assert code == 1
    doc = json.loads(out)
    assert doc["error"] == "inconsistent"
    assert {c["id"] for c in doc["conflict"]} == {"hidden_and_myopic", "obfuscation", "model_myopic"}
    assert "tiny.argmap:21" in err


def test_forced_assumption_in_what_breaks():
    code, out, _ = run("what-breaks", "tools_work", "--assume", "tools_work", "--json")
    doc = json.loads(out)
    assert code == 0 and doc["forced"] is True
    assert [c["id"] for c in doc["forced_by"]] == ["tools_work"]
    assert doc["breaks"] == doc["loses"] == doc["weakens"] == [] and len(doc["unaffected"]) == 4
    # denying an assumption the scenario already rules out is possible, so not forced
    code, out, _ = run("what-breaks", "model_myopic", "--assume", "obfuscation", "--json")
    assert json.loads(out)["forced"] is False


def test_unknown_ids_on_the_command_line_exit_2_with_a_hint():
    code, _, err = run("why", "plan.innr")
    assert code == 2 and "did you mean `plan.inner`" in err
    code, _, err = run("what-breaks", "tools_wrk")
    assert code == 2 and "did you mean `tools_work`" in err
    code, _, err = run("verdicts", "--worldview", "pesimist")
    assert code == 2 and "pessimist" in err
    result = CliRunner().invoke(main, ["--map", "/nonexistent/dir", "verdicts"])
    assert result.exit_code == 2 and "no such file" in result.stderr


def test_map_with_errors_is_exit_1_for_check_and_2_for_queries(tmp_path):
    (tmp_path / "bad.argmap").write_text('claim x: "X"\n  if nothing_here\n')
    result = CliRunner().invoke(main, ["check", str(tmp_path), "--json"])
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert doc["ok"] is False
    error = next(d for d in doc["diagnostics"] if d["severity"] == "error")
    assert (error["code"], error["line"], error["column"]) == ("E201", 2, 6)
    assert set(error) >= {"severity", "code", "message", "file", "line", "column"}
    result = CliRunner().invoke(main, ["--map", str(tmp_path), "verdicts"])
    assert result.exit_code == 2


def test_output_is_byte_identical_across_processes():
    """Determinism: separate processes with different hash seeds print the same bytes."""
    outs = set()
    for seed in ("1", "2"):
        proc = subprocess.run([sys.executable, "-m", "argmap", "--map", TINY, "cruxes", "--json"],
                              capture_output=True, env={"PYTHONHASHSEED": seed, "PATH": "/usr/bin:/bin",
                                                        "XDG_CACHE_HOME": os.environ["XDG_CACHE_HOME"]},
                              cwd=ROOT, check=True)
        outs.add(proc.stdout)
    assert len(outs) == 1


def test_only_a_one_shot_process_freezes_a_maps_objects():
    """The CLI runs one command and exits, so read_map moves the map's objects out of the garbage
    collector's reach (gc.freeze: topics 100k `verdicts` 4.1 s -> 2.7 s); a library call must not
    freeze its caller's objects, and collects a large map's instead. (The heap-growth threshold is
    set to 0 here, so that the corpus counts as large.)"""
    code = ("import gc, argmap.cachedir as c, argmap.language.loader as L; L.LARGE_HEAP_GROWTH = 0; "
            f"c.one_shot_process({{}}); L.read_map({str(ROOT / 'claims')!r}); print(gc.get_freeze_count() > 0)")
    for one_shot in (True, False):
        proc = subprocess.run([sys.executable, "-c", code.format(one_shot)], capture_output=True, text=True,
                              timeout=120)
        assert proc.stdout == f"{one_shot}\n", proc.stderr
    # in a test's CliRunner the process goes on: the setting ends with the command
    from argmap import cachedir
    assert CliRunner().invoke(main, ["--map", TINY, "list"]).exit_code == 0
    assert not cachedir.is_one_shot_process()
    # nor do the disk caches stay on for library calls (remembered answers would then decide a
    # later test's expectations without its engine)
    assert not cachedir.file_cache_enabled()
