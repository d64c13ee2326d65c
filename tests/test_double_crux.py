"""`argmap crux` against brute force: every subset of the differences, statuses from the oracle."""

from __future__ import annotations

import itertools
import json
import shutil
from pathlib import Path
from unittest.mock import patch

import pytest

from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from argmap.cli import main
from argmap.analysis.double_crux import double_crux, shift
from oracle import Oracle
from test_engine_oracle import load_small, small_maps

TINY = Path(__file__).parent / "fixtures" / "maps" / "tiny"


@st.composite
def maps_with_two_worldviews(draw):
    m = draw(small_maps())
    m.worldviews["v"] = draw(st.dictionaries(st.sampled_from(m.assumptions), st.booleans(),
                                            min_size=1, max_size=len(m.assumptions)))
    return m


def brute_cruxes(oracle: Oracle, verdict: str, f1: dict, f2: dict, order: list[str]) -> list[list[str]]:
    """All subsets of the whole difference set (no slicing), then the inclusion-minimal ones."""
    diff = [a for a in order if f1.get(a) != f2.get(a)]
    target = oracle.status(verdict, f2)
    hits = [set(s) for k in range(len(diff) + 1) for s in itertools.combinations(diff, k)
            if oracle.status(verdict, shift(f1, f2, s)) == target]
    minimal = [s for s in hits if not any(o < s for o in hits)]
    return sorted(([a for a in order if a in s] for s in minimal), key=lambda s: (len(s), [order.index(a) for a in s]))


@pytest.mark.parametrize("scenarios", [0, 10**9], ids=["decision-diagram", "enumeration"])
@settings(max_examples=150, deadline=None)
@given(maps_with_two_worldviews())
def test_cruxes_match_brute_force(scenarios, m):
    """Both ways of finding minimal cruxes (double_crux.ENUMERATE_SCENARIOS picks one by how many
    scenarios the subsets would take), each forced on the same random maps."""
    import argmap.analysis.double_crux as dc
    oracle = Oracle(m)
    f1, f2 = m.worldviews["w"], m.worldviews["v"]
    if not oracle.models(f1) or not oracle.models(f2):
        return
    amap = load_small(m)
    with patch.object(dc, "ENUMERATE_SCENARIOS", scenarios):
        got = double_crux(amap, "w", "v")
    differing = [v for v in m.verdicts if oracle.status(v, f1) != oracle.status(v, f2)]
    assert [v.verdict for v in got.verdicts] == differing
    for v in got.verdicts:
        assert (v.first, v.second) == (oracle.status(v.verdict, f1), oracle.status(v.verdict, f2))
        assert v.cruxes == brute_cruxes(oracle, v.verdict, f1, f2, m.assumptions), m.text()
        assert v.cruxes, "the full difference set is always a crux"
    assert [d.assumption for d in got.differences] == [a for a in m.assumptions if f1.get(a) != f2.get(a)]


def _tiny_with_optimist(tmp_path: Path) -> Path:
    shutil.copy(TINY / "tiny.argmap", tmp_path / "tiny.argmap")
    with open(tmp_path / "extra.argmap", "w", encoding="utf-8") as fh:
        fh.write('worldview optimist: "Everything works"\n  assume tools_work\n  assume overseer_honest\n'
                 '  deny obfuscation\n')
    return tmp_path


def test_cli_crux_json_and_text(tmp_path):
    d = _tiny_with_optimist(tmp_path)
    r = CliRunner().invoke(main, ["--map", str(d), "crux", "pessimist", "optimist", "--json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    by_verdict = {v["verdict"]: v for v in data["verdicts"]}
    assert by_verdict["plan.outer"]["cruxes"] == [["overseer_honest"]]
    assert by_verdict["plan.training"]["cruxes"] == [["tools_work"]]
    assert by_verdict["plan.inner"]["cruxes"] == [["overseer_honest", "tools_work", "obfuscation"]]
    r = CliRunner().invoke(main, ["--map", str(d), "crux", "pessimist", "optimist", "plan.outer"])
    assert r.exit_code == 0 and "assume overseer_honest" in r.output and "plan.inner" not in r.output


def test_cli_crux_errors(tmp_path):
    d = _tiny_with_optimist(tmp_path)
    r = CliRunner().invoke(main, ["--map", str(d), "crux", "pessimist", "nope"])
    assert r.exit_code == 2 and "unknown worldview" in r.output
    r = CliRunner().invoke(main, ["--map", str(d), "crux", "pessimist", "optimist", "plan.nope"])
    assert r.exit_code == 2
