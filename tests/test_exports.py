"""Exports other tools read: JSON (with expression trees, against its JSON Schema), GraphML (read
back with networkx) and Argdown (parsed by the real `argdown` CLI from npm)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import argmap
from argmap.analysis.queries import Scenario, statuses
from argmap.cli import main
from argmap.export.to_graphml import literals
from argmap.language.model import And, Not, Or, Ref

REPO = Path(__file__).resolve().parents[1]
SCHEMA = json.loads((REPO / "docs" / "export.schema.json").read_text(encoding="utf-8"))
ARGDOWN_CLI = "@argdown/cli@1.7.5"
ARGDOWN_DIR = REPO / ".cache" / "argdown"

HOSTILE = [
    '<script>alert(1)</script> & "quotes" \\\\ back',
    "_emphasis_ and *strong* and __bold__ [link](http://x) <arg> #tag {a: 1} // c /* d */ <!-- e -->",
    "=== front === matter; a, b. :smile: .x. @[t] -> <- >< +> <+ _> <_ (1) ----",
    'digraph { a -> b [label="x"] } ]]> \t tab',
]


def export(fmt: str, *maps: str) -> str:
    args = [a for m in maps for a in ("--map", m)] + ["export", "--format", fmt]
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def hostile_map(tmp_path: Path) -> Path:
    q = [t.replace("\\", "\\\\").replace('"', '\\"') if "\\\\" not in t else t.replace('"', '\\"') for t in HOSTILE]
    text = "\n".join([
        'source src: "S"',
        *(f'assumption h{i}: "{t}"\n  cite src "§{i}" "{t}"' for i, t in enumerate(q)),
        f'claim c: "{q[0]}"\n  if h0 and not h1 unless h2 or (h3 and h1)\n  if not (h2 or h3)',
        f'proposal p: "{q[1]}"\n  outer: c\n  inner: h0 or h1',
        "conflict k: h0 and h3",
        "conflict k3: h1 and h2 and not h3",
        'assumption blank: "   "\nassumption empty: ""\nclaim uses_blank: "..."\n  if blank and empty',
    ]) + "\n"
    (tmp_path / "h.argmap").write_text(text, encoding="utf-8")
    return tmp_path


# ---- JSON -------------------------------------------------------------------------------------
def _formula(tree):
    """A JSON expression tree back into the model's formula, to compare with what was parsed."""
    if "ref" in tree:
        return Ref(tree["ref"], None)
    if "not" in tree:
        return Not(_formula(tree["not"]))
    return (And if "and" in tree else Or)(tuple(_formula(t) for t in tree["and" if "and" in tree else "or"]))


@pytest.mark.parametrize("maps", [["claims"], ["tests/fixtures/maps/tiny"], None], ids=["corpus", "tiny", "hostile"])
def test_json_export_matches_its_schema_and_trees_are_the_parsed_formulas(maps, tmp_path):
    import jsonschema
    maps = maps or [str(hostile_map(tmp_path))]
    doc = json.loads(export("json", *maps))
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    jsonschema.validate(doc, SCHEMA, cls=jsonschema.Draft202012Validator)
    amap = argmap.load(maps)
    for item in doc["claims"] + doc["verdicts"]:
        node = amap.derived(item["id"])
        assert len(item["supports"]) == len(node.supports)
        for got, s in zip(item["supports"], node.supports):
            assert _formula(got["if_tree"]) == s.when
            assert (None if got["unless_tree"] is None else _formula(got["unless_tree"])) == s.unless
    for item in doc["conflicts"]:
        assert _formula(item["never_tree"]) == amap.conflicts[item["id"]].formula
    assert [s["text_file"] for s in doc["sources"]] == [s.file for s in amap.sources.values()]


def test_json_schema_rejects_a_support_without_its_tree():
    import jsonschema
    doc = json.loads(export("json", "tests/fixtures/maps/tiny"))
    del doc["claims"][0]["supports"][0]["if_tree"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(doc, SCHEMA, cls=jsonschema.Draft202012Validator)
    doc = json.loads(export("json", "tests/fixtures/maps/tiny"))
    doc["claims"][0]["supports"][0]["if_tree"] = {"and": [{"ref": "a"}]}      # an and of one
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(doc, SCHEMA, cls=jsonschema.Draft202012Validator)


# ---- GraphML ----------------------------------------------------------------------------------
@pytest.mark.parametrize("maps", [["claims"], None], ids=["corpus", "hostile"])
def test_graphml_reads_back_with_networkx(maps, tmp_path):
    import networkx as nx
    maps = maps or [str(hostile_map(tmp_path))]
    path = tmp_path / "m.graphml"
    path.write_text(export("graphml", *maps), encoding="utf-8")
    g = nx.read_graphml(path)
    amap = argmap.load(maps)
    want_status = statuses(amap, Scenario(), nodes=[*amap.assumptions, *amap.claims, *amap.verdicts])
    kinds = {**dict.fromkeys(amap.assumptions, "assumption"), **dict.fromkeys(amap.claims, "claim"),
             **dict.fromkeys(amap.verdicts, "verdict"), **dict.fromkeys(amap.conflicts, "conflict")}
    assert dict(g.nodes(data="kind")) == kinds
    for n, data in g.nodes(data=True):
        if data["kind"] != "conflict":
            assert data["status"] == want_status[n]
        if data["kind"] in ("assumption", "claim"):
            assert data["text"] == amap.text_of(n)
        assert data["line"] == amap.span_of(n).line
    want_edges = []
    for node in [*amap.claims.values(), *amap.verdicts.values()]:
        for i, s in enumerate(node.supports, start=1):
            want_edges += [(a, node.id, "support", i, neg) for a, neg in literals(s.when)]
            if s.unless is not None:
                want_edges += [(a, node.id, "defeat", i, neg) for a, neg in literals(s.unless)]
    for k in amap.conflicts.values():
        want_edges += [(a, k.id, "conflict", None, neg) for a, neg in literals(k.formula)]
    got = [(u, v, d["kind"], d.get("support"), d["negated"]) for u, v, d in g.edges(data=True)]
    assert sorted(got, key=repr) == sorted(want_edges, key=repr)
    assert {"support", "defeat", "conflict"} <= {e[2] for e in got}


def test_graphml_hostile_text_comes_back_exactly(tmp_path):
    import networkx as nx
    path = tmp_path / "m.graphml"
    path.write_text(export("graphml", str(hostile_map(tmp_path))), encoding="utf-8")
    g = nx.read_graphml(path)
    assert [g.nodes[f"h{i}"]["text"] for i in range(len(HOSTILE))] == [t.replace("\\\\", "\\") for t in HOSTILE]
    assert g.nodes["k"]["status"] == "fails" and g.nodes["k"]["text"] == "h0 and h3"
    assert g.graph["scenario"] == "the empty worldview"


def test_graphml_statuses_follow_the_scenario(tmp_path):
    import networkx as nx
    path = tmp_path / "m.graphml"
    result = CliRunner().invoke(main, ["--map", "tests/fixtures/maps/tiny", "export", "--format", "graphml",
                                       "--deny", "overseer_honest", "-o", str(path)], catch_exceptions=False)
    assert result.exit_code == 0
    g = nx.read_graphml(path)
    assert g.graph["scenario"] == "deny overseer_honest"
    assert (g.nodes["overseer_honest"]["status"], g.nodes["plan.outer"]["status"]) == ("fails", "fails")


# ---- Argdown ----------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def argdown_cli() -> Path:
    """The `argdown` CLI from npm, installed once into .cache/argdown (scripts/test.sh does it too)."""
    binary = ARGDOWN_DIR / "node_modules" / ".bin" / "argdown"
    if binary.exists():
        return binary
    npm = shutil.which("npm")
    reason = "npm is not installed, so @argdown/cli cannot be fetched (apt-get install npm)"
    if npm is not None:
        run = subprocess.run([npm, "install", "--no-audit", "--no-fund", "--prefix", str(ARGDOWN_DIR), ARGDOWN_CLI],
                             capture_output=True, text=True, timeout=600)
        if run.returncode == 0 and binary.exists():
            return binary
        reason = f"`npm install {ARGDOWN_CLI}` failed: {(run.stderr or run.stdout).strip()[-500:]}"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(reason)           # in CI a missing parser must not pass as a skip
    pytest.skip(reason)


def argdown_json(cli: Path, text: str, tmp_path: Path) -> dict:
    src = tmp_path / "map.argdown"
    src.write_text(text, encoding="utf-8")
    run = subprocess.run([str(cli), "json", str(src), str(tmp_path)], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0 and "syntax" not in (run.stdout + run.stderr).lower(), run.stdout + run.stderr
    return json.loads((tmp_path / "map.json").read_text(encoding="utf-8"))


def top_level_text(doc: dict, title: str) -> str:
    return next(m["text"] for m in doc["statements"][title]["members"] if m.get("isTopLevel"))


def test_argdown_corpus_export_parses_with_every_id_and_argument(argdown_cli, tmp_path):
    doc = argdown_json(argdown_cli, export("argdown", "claims"), tmp_path)
    amap = argmap.load("claims")
    ids = [*amap.assumptions, *amap.claims, *amap.verdicts, *amap.conflicts]
    assert set(ids) <= set(doc["statements"])
    for node in [*amap.claims.values(), *amap.verdicts.values()]:
        assert doc["statements"][node.id]["isUsedAsMainConclusion"], node.id
        for i in range(1, len(node.supports) + 1):
            pcs = doc["arguments"][f"{node.id} support {i}"]["pcs"]
            assert pcs[-1]["title"] == node.id and pcs[-1]["role"] == "main-conclusion"
    undercuts = [r for r in doc["relations"] if r["relationType"] == "undercut"]
    assert len(undercuts) == sum(s.unless is not None for n in [*amap.claims.values(), *amap.verdicts.values()]
                                 for s in n.supports)
    a = amap.assumptions["myopia_verification"]
    assert top_level_text(doc, a.id).startswith(a.text)
    assert a.provenance.citations[0].quote in top_level_text(doc, a.id)


def test_argdown_hostile_text_premises_undercuts_and_contradictions(argdown_cli, tmp_path):
    doc = argdown_json(argdown_cli, export("argdown", str(hostile_map(tmp_path))), tmp_path)
    for i, t in enumerate(HOSTILE):
        text = t.replace("\\\\", "\\").replace("\t", " ")
        assert top_level_text(doc, f"h{i}").startswith(text + " (cite src, §"), (i, top_level_text(doc, f"h{i}"))
    pcs = doc["arguments"]["c support 1"]["pcs"]
    assert [(p["title"], p["role"]) for p in pcs] == [("h0", "premise"), ("not h1", "premise"), ("c", "main-conclusion")]
    relations = {(r["relationType"], r["from"], r["to"]) for r in doc["relations"]}
    assert ("undercut", "h2 or h3 and h1", "c support 1") in relations
    assert ("contradictory", "not h1", "h1") in relations or ("contradictory", "h1", "not h1") in relations
    assert ("contradictory", "h0", "h3") in relations or ("contradictory", "h3", "h0") in relations   # conflict k
    assert any(r[0] == "contradictory" and "k3" in r[1:] for r in relations)                        # 3 conjuncts
    assert doc["statements"]["p.inner"]["isUsedAsMainConclusion"]
    assert {"blank", "empty"} <= set(doc["statements"])           # blank text: a bare title, still parsed


def test_argdown_escaping_keeps_any_punctuation_as_text(argdown_cli, tmp_path):
    """200 seeded random texts of punctuation, letters and spaces, in one document: each comes back as written."""
    import random
    import string
    from argmap.export.to_argdown import argdown_text
    rng = random.Random(14)
    alphabet = string.punctuation + "ab  _*\\é—中"
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 30))) for _ in range(200)]
    texts = [t for t in texts if t.strip()]
    doc = "\n\n".join(f"[t{i}]: {argdown_text(t.strip())}" for i, t in enumerate(texts)) + "\n"
    got = argdown_json(argdown_cli, doc, tmp_path)
    for i, t in enumerate(texts):
        assert " ".join(top_level_text(got, f"t{i}").split()) == " ".join(t.split()), (i, t)


@settings(max_examples=300)
@given(st.text())
def test_graphml_text_escaping_gives_well_formed_xml_with_the_same_text(text):
    import xml.etree.ElementTree as ET
    from argmap.export.to_graphml import _XML_FORBIDDEN, _xml
    element = ET.fromstring(f"<data>{_xml(text)}</data>")
    assert (element.text or "") == _XML_FORBIDDEN.sub("\ufffd", text)
