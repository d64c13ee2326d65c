"""`why` (needs first), `cuts`, `verdicts --needs`, `what-breaks` reasons, `show` and `list` on the
tiny map: golden text for what a reader sees, and the JSON shapes docs/cli.md promises.

Regenerate the golden files after an intended change with ARGMAP_REGOLD=1 (then read the diff).
"""

from __future__ import annotations

import json
import os

import pytest
from click.testing import CliRunner

from argmap.cli import main
from conftest import ROOT

TINY = str(ROOT / "tests" / "fixtures" / "maps" / "tiny")
GOLD = ROOT / "tests" / "fixtures" / "explain"


def run(*args):
    result = CliRunner().invoke(main, ["--map", TINY, *args])
    return result.exit_code, result.stdout.replace(str(ROOT) + os.sep, ""), result.stderr


GOLDEN = {
    "why_plan_inner": ["why", "plan.inner"],
    "why_plan_training_pessimist": ["why", "plan.training", "-w", "pessimist"],
    "why_plan": ["why", "plan", "--deny", "overseer_honest"],
    "cuts_plan_inner": ["cuts", "plan.inner"],
    "cuts_plan_training_pessimist": ["cuts", "plan.training", "-w", "pessimist"],
    "verdicts_needs": ["verdicts", "--needs"],
    "what_breaks_model_myopic_pessimist": ["what-breaks", "model_myopic", "-w", "pessimist"],
    "what_breaks_overseer_honest": ["what-breaks", "overseer_honest"],
    "show_obfuscation": ["show", "obfuscation"],
    "show_deception_caught": ["show", "deception_caught", "--assume", "overseer_honest"],
    "list": ["list"],
    "why_plan_outer_holds": ["why", "plan.outer", "--assume", "overseer_honest"],
    "cuts_plan_outer_fails": ["cuts", "plan.outer", "--deny", "overseer_honest"],
    "cuts_plan_outer_holds": ["cuts", "plan.outer", "--assume", "overseer_honest"],
}


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_golden_text(name):
    code, out, err = run(*GOLDEN[name])
    assert code == 0, err
    path = GOLD / f"{name}.txt"
    if os.environ.get("ARGMAP_REGOLD") == "1":
        path.write_text(out, encoding="utf-8")
    assert out == path.read_text(encoding="utf-8")


def test_cuts_json_shape():
    code, out, _ = run("cuts", "plan.inner", "--json")
    doc = json.loads(out)
    assert code == 0 and set(doc) == {"verdict", "status", "cuts", "truncated", "stopped_by", "takes_down",
                                      "probabilities", "ranked_by"}
    assert doc["cuts"] == [{"obfuscation": True}, {"overseer_honest": False, "model_myopic": False},
                           {"tools_work": False, "model_myopic": False}]
    assert doc["takes_down"] == [[], ["plan.outer"], ["plan.training"]]
    assert doc["probabilities"] is None and doc["truncated"] is False and doc["stopped_by"] is None


def test_why_json_keeps_the_contract_and_adds_needs():
    code, out, _ = run("why", "plan.inner", "--json")
    doc = json.loads(out)
    assert {"verdict", "status", "supports", "truncated"} <= set(doc)
    assert doc["needs"] == [{"obfuscation": False}, {"model_myopic": True, "overseer_honest": True},
                            {"model_myopic": True, "tools_work": True}]
    code, out, _ = run("why", "plan.outer", "--assume", "overseer_honest", "--json")
    doc = json.loads(out)
    assert (doc["status"], doc["supports"], doc["needs"]) == ("holds", [{}], [])
    code, out, _ = run("why", "plan.outer", "--deny", "overseer_honest", "--json")
    doc = json.loads(out)
    assert (doc["status"], doc["supports"], doc["needs"]) == ("fails", [], [{}])


def test_why_proposal_answers_for_its_four_verdicts():
    code, out, _ = run("why", "plan", "--json")
    doc = json.loads(out)
    assert code == 0 and doc["proposal"] == "plan"
    assert [d["verdict"] for d in doc["verdicts"]] == ["plan.outer", "plan.inner", "plan.training", "plan.performance"]
    _, single, _ = run("why", "plan.training", "--json")
    assert doc["verdicts"][2] == json.loads(single)


def test_verdicts_needs_json():
    code, out, _ = run("verdicts", "--needs", "-w", "pessimist", "--json")
    doc = json.loads(out)
    assert code == 0 and doc["verdicts"]["plan.training"] == "open"
    assert doc["single_points_of_failure"]["plan.training"] == [{"model_myopic": False}, {"obfuscation": True}]
    assert doc["cut_sets"]["plan.training"] == 2
    code, out, _ = run("verdicts", "--json")
    assert set(json.loads(out)) == {"verdicts"}          # the contract's shape without --needs


def test_what_breaks_json_reasons():
    code, out, _ = run("what-breaks", "model_myopic", "-w", "pessimist", "--json")
    doc = json.loads(out)
    assert doc["completes"] == {"plan.inner": {"model_myopic": False, "tools_work": False},
                                "plan.training": {"model_myopic": False, "tools_work": False}}
    code, out, _ = run("what-breaks", "overseer_honest", "--json")
    doc = json.loads(out)
    assert doc["remaining"] == {"plan.inner": {"supports": 1, "of": 2, "truncated": False,
                                               "needs": [{"model_myopic": True}, {"obfuscation": False}],
                                               "supports_truncated": False, "of_truncated": False,
                                               "needs_truncated": False}}


def test_cuts_with_credences_and_rank():
    code, _, err = run("cuts", "plan.inner", "--rank", "probability")
    assert code == 2 and "credences" in err


@pytest.mark.parametrize("name,kind", [("overseer_honest", "assumption"), ("deception_caught", "claim"),
                                       ("plan.inner", "verdict"), ("plan", "proposal"),
                                       ("pessimist", "worldview"), ("hidden_and_myopic", "conflict"),
                                       ("doc", "source")])
def test_show_every_kind(name, kind):
    code, out, _ = run("show", name, "--json")
    doc = json.loads(out)
    assert code == 0 and (doc["id"], doc["kind"]) == (name, kind)
    assert doc["file"].endswith("tiny.argmap") and doc["line"] > 0
    if kind in ("claim", "verdict"):
        _, w, _ = run("why", name, "--json")
        assert (doc["status"], doc["needs"]) == (json.loads(w)["status"], json.loads(w)["needs"])
    if kind == "proposal":
        assert doc["statuses"] == {f"plan.{c}": "open" for c in ("outer", "inner", "training", "performance")}


def test_show_used_by_and_cites():
    _, out, _ = run("show", "model_myopic", "--json")
    doc = json.loads(out)
    assert doc["used_by"] == ["deception_caught", "plan.training", "plan.performance", "hidden_and_myopic"]
    assert doc["verdicts"] == ["plan.inner", "plan.training", "plan.performance"]
    _, out, _ = run("show", "tools_work", "--json")
    assert "pessimist" in json.loads(out)["used_by"]
    assert json.loads(out)["single_point_of_failure_for"] == []          # needs a partner to fail anything


def test_show_names_the_verdicts_an_assumption_alone_makes_fail():
    for name, want in (("overseer_honest", {"plan.outer": False}), ("model_myopic", {"plan.performance": True}),
                       ("obfuscation", {"plan.inner": True})):
        doc = json.loads(run("show", name, "--json")[1])
        assert doc["single_point_of_failure_for"] == list(want) and doc["single_point_values"] == want
    doc = json.loads(run("show", "model_myopic", "-w", "pessimist", "--json")[1])
    # with tools denied, model_myopic false also fails plan.training (and plan.inner)
    assert doc["single_point_values"] == {"plan.inner": False, "plan.training": False, "plan.performance": True}


def test_show_and_list_errors():
    code, _, err = run("show", "overseer_honst")
    assert code == 2 and "unknown id `overseer_honst`" in err and "overseer_honest" in err
    code, _, err = run("list", "nonsense")
    assert code == 2
    code, out, _ = run("list", "conflicts", "--json")
    assert json.loads(out) == {"kind": "conflicts", "items": [
        {"id": "hidden_and_myopic", "kind": "conflict", "text": "never: obfuscation and model_myopic"}]}


def test_a_proposal_where_a_verdict_is_expected_names_its_verdicts():
    code, _, err = run("cuts", "plan")
    assert code == 2 and "`plan` is a proposal, not a verdict" in err
    assert "`plan.outer`, `plan.inner`, `plan.training`, `plan.performance`" in err


# ---- the corpus, golden-free: every cut set really is one (the corpus changes; its answers may) ---
def test_corpus_cut_sets_fail_their_verdict_and_are_minimal():
    import argmap
    from argmap.analysis.describe import show
    from argmap.analysis.queries import Scenario, cuts, statuses
    amap, diags = argmap.read_map(str(ROOT / "claims"))
    if any(d.severity == "error" for d in diags):
        pytest.skip("the corpus does not load right now (another branch is editing it)")
    checked = 0
    for v in amap.verdicts:
        result = cuts(amap, v)
        w = argmap.why(amap, v)
        assert not result.truncated and result.status == w.status
        assert sorted(sorted(c.items()) for c in w.needs) == sorted(
            sorted((a, not x) for a, x in c.items()) for c in result.cuts)
        for cut in result.cuts:
            def fails(lits):
                return statuses(amap, Scenario(assume=[a for a, x in lits.items() if x],
                                               deny=[a for a, x in lits.items() if not x]), nodes=[v])[v] == "fails"
            assert fails(cut), (v, cut)
            for a in cut:
                assert not fails({k: x for k, x in cut.items() if k != a}), (v, cut, a)
            checked += 1
        assert show(amap, v).needs == w.needs
    assert checked > 48
    for kind in ("assumptions", "claims", "proposals", "worldviews", "conflicts", "sources"):
        for name in list(getattr(amap, kind))[:3]:
            assert show(amap, name).id == name


def test_cuts_benchmark_runs_on_the_tiny_map():
    """Keep benchmarks/cuts.py from rotting (no timing is asserted)."""
    import subprocess
    import sys
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "cuts.py"), "--map", TINY, "--reps", "1"],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "| (empty) | 7 | 3 | no |" in proc.stdout and "| pessimist |" in proc.stdout
    assert "`argmap cuts V`" in proc.stdout


def test_show_lists_the_verdicts_computed_from_an_id():
    """`show`'s `verdicts` (one walk forward from the id) are those whose closure holds it."""
    import argmap
    from argmap.analysis.describe import _dependent_verdicts
    from argmap.analysis.queries import engine
    amap = argmap.read_map(str(ROOT / "claims"))[0]
    closure = engine(amap).slicer.closure
    ids = [*amap.assumptions, *amap.claims, *amap.verdicts]
    for name in ids:
        assert _dependent_verdicts(amap, name) == [v for v in amap.verdicts if v != name and name in closure(v)]
    assert any(_dependent_verdicts(amap, a) for a in amap.assumptions)
