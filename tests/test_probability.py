"""`argmap prob` against brute-force enumeration on random maps with random credences."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import argmap
from argmap.engine.bdd import BDD
from argmap.cli import main
from argmap.analysis.probability import credences, importance, probabilities
from oracle import Oracle
from test_engine_oracle import small_maps

TINY = str(Path(__file__).parent / "fixtures" / "maps" / "tiny")
CREDENCE = st.sampled_from([0.0, 0.05, 0.2, 0.3, 0.5, 0.75, 0.9, 1.0])


@st.composite
def maps_with_credences(draw):
    m = draw(small_maps())
    cred = draw(st.dictionaries(st.sampled_from(m.assumptions), CREDENCE, max_size=len(m.assumptions)))
    fixed = {a: v for a, v in m.worldviews["w"].items() if a not in cred}
    return m, cred, fixed


def load_with_credences(m, cred, fixed):
    d = Path(tempfile.mkdtemp())
    lines = ['worldview cw: "credences"'] + [f"  credence {a} {p}" for a, p in cred.items()]
    lines += [f"  {'assume' if v else 'deny'} {a}" for a, v in fixed.items()]
    (d / "m.argmap").write_text(m.text() + "\n".join(lines) + "\n", encoding="utf-8")
    amap, diags = argmap.read_map(str(d))
    assert not [x for x in diags if x.severity == "error"], diags
    return amap


def weight(world, p, skip=None):
    w = 1.0
    for a, pa in p.items():
        if a != skip:
            w *= pa if world[a] else 1.0 - pa
    return w


def brute_p(oracle, p, node, given=None):
    """P(node | conflicts[, A = value]) by enumeration; the conditioned variable's weight is left out."""
    num = den = 0.0
    for world in oracle.worlds:
        if given and world[given[0]] != given[1]:
            continue
        w = weight(world, p, skip=given[0] if given else None)
        den += w
        if world[node]:
            num += w
    return None if den == 0 else num / den


def close(x, y):
    if x is None or y is None:
        return x is None and y is None
    return abs(x - y) < 1e-9


@settings(max_examples=120, deadline=None)
@given(maps_with_credences(), st.sampled_from([0.5, 0.3]))
def test_probabilities_and_importance_match_enumeration(mc, default):
    m, cred, fixed = mc
    oracle = Oracle(m)
    amap = load_with_credences(m, cred, fixed)
    c = credences(amap, "cw", default=default)
    p = {a: 1.0 if fixed.get(a) else 0.0 if a in fixed else cred.get(a, default) for a in m.assumptions}
    assert {a: c.of(a) for a in m.assumptions} == p
    result = probabilities(amap, c)
    total = sum(weight(w, p) for w in oracle.worlds)
    assert result.consistent == (total > 0)
    if not result.consistent:
        return
    for v in m.verdicts:
        assert close(result.verdicts[v], brute_p(oracle, p, v)), (m.text(), v)
    v = list(m.verdicts)[0]
    table = importance(amap, v, c)
    assert close(table.probability, brute_p(oracle, p, v))
    q = 1 - brute_p(oracle, p, v)
    rows = {r.assumption: r for r in table.assumptions}
    for a in m.assumptions:
        v1, v0 = brute_p(oracle, p, v, (a, True)), brute_p(oracle, p, v, (a, False))
        birnbaum = None if v1 is None or v0 is None else v1 - v0
        if a not in rows:          # outside the slice: cannot matter
            assert birnbaum is None or abs(birnbaum) < 1e-9
            continue
        r = rows[a]
        q1, q0 = (None if x is None else 1 - x for x in (v1, v0))
        assert close(r.p_if_true, v1) and close(r.p_if_false, v0), (m.text(), a)
        assert close(r.birnbaum, birnbaum)
        assert close(r.raw, None if q0 is None or q <= 1e-12 else q0 / q)
        assert close(r.rrw, None if q1 is None or q1 <= 1e-12 else q / q1)
        assert close(r.fussell_vesely, None if q1 is None or q <= 1e-12 else (q - q1) / q)


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 5), st.data())
def test_bdd_is_canonical_and_counts(n, data):
    """Equal functions give the same node; the weighted count matches the truth table."""
    import itertools
    bdd = BDD(n)
    xs = [bdd.var(i) for i in range(n)]
    table = data.draw(st.lists(st.booleans(), min_size=2 ** n, max_size=2 ** n))
    weights = data.draw(st.lists(CREDENCE, min_size=n, max_size=n))
    f = 0
    for bits, value in zip(itertools.product([False, True], repeat=n), table):
        if value:
            term = 1
            for x, b in zip(xs, bits):
                term = bdd.conj(term, x if b else bdd.neg(x))
            f = bdd.disj(f, term)
    g = bdd.neg(bdd.neg(f))
    assert f == g
    expected = sum(__import__("math").prod(w if b else 1 - w for w, b in zip(weights, bits))
                   for bits, value in zip(itertools.product([False, True], repeat=n), table) if value)
    assert abs(bdd.probability(f, weights) - expected) < 1e-12
    if all(table):
        assert f == 1
    if not any(table):
        assert f == 0


def test_tiny_numbers_and_cli():
    r = CliRunner().invoke(main, ["--map", TINY, "prob", "--json", "--verdict", "plan.inner"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    # 16 assignments, 4 excluded by the conflict (obfuscation and model_myopic); inner holds in 5
    assert data["verdicts"]["plan.inner"] == pytest.approx(5 / 12)
    assert data["defaulted"] == ["overseer_honest", "tools_work", "model_myopic", "obfuscation"]
    rows = {r["assumption"]: r for r in data["importance"]["assumptions"]}
    assert rows["model_myopic"]["birnbaum"] == pytest.approx(0.875)
    assert rows["model_myopic"]["rrw"] is None          # Q given myopia is 0: infinite
    text = CliRunner().invoke(main, ["--map", TINY, "prob", "--default-credence", "0.2"]).output
    assert "count as 0.2" in text and "plan" in text


def test_cli_prob_errors():
    r = CliRunner().invoke(main, ["--map", TINY, "prob", "--verdict", "plan.nope"])
    assert r.exit_code == 2
    r = CliRunner().invoke(main, ["--map", TINY, "prob", "--assume", "obfuscation", "--assume", "model_myopic"])
    assert r.exit_code == 1 and "inconsistent" in r.output and "never: obfuscation and model_myopic" in r.output


def test_module_does_not_import_z3():
    import subprocess
    import sys
    code = ("import sys, argmap.analysis.probability as p, argmap; m = argmap.load(%r); "
            "p.probabilities(m, p.credences(m)); print('z3' in sys.modules)" % TINY)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
