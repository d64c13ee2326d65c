"""`argmap diff OLD NEW`: changes in meaning (not in text), verdict statuses against the oracle,
`git:REV[:PATH]` sides, exit codes."""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import argmap
from argmap.analysis.diff import map_diff
from argmap.cli import main
from argmap.language.format import format_text

from oracle import Oracle
from test_engine_oracle import small_maps

REPO = Path(__file__).resolve().parents[1]
TINY = (REPO / "tests" / "fixtures" / "maps" / "tiny" / "tiny.argmap").read_text(encoding="utf-8")


def run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def write(d: Path, files: dict[str, str]) -> Path:
    d.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (d / name).write_text(text, encoding="utf-8")
    return d


def edited(text: str) -> str:
    """The tiny map with one route of a claim gone, a worldview line added and expectations changed."""
    out = text.replace("  if model_myopic\n", "")
    out = out.replace("  deny tools_work\n", "  deny tools_work\n  assume model_myopic\n")
    out = out.replace("expect consistent pessimist\n", "")
    out = out.replace("expect under pessimist: plan.training open\n", "expect under pessimist: plan.training holds\n")
    return "# moved down by two lines\n\n" + out + 'assumption extra: "New."\n'


def test_same_map_in_another_layout_and_other_files_is_no_change(tmp_path):
    head, _, tail = TINY.partition("proposal plan")
    old = write(tmp_path / "old", {"tiny.argmap": TINY})
    new = write(tmp_path / "new", {"b.argmap": format_text("proposal plan" + tail).replace("\n", "\n\n"),
                                   "a.argmap": "# reordered\n" + head.replace("  ", "    ")})
    result = run("diff", str(old), str(new), "--json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["statements"] == {"added": [], "removed": [], "changed": []}
    assert doc["expects"] == {"added": [], "removed": []}
    assert doc["verdicts"] == [] and doc["unchanged"] == 4 * 2 and doc["status_changes"] == 0


def test_a_change_in_meaning_is_reported_statement_by_statement_and_verdict_by_verdict(tmp_path):
    old = write(tmp_path / "old", {"tiny.argmap": TINY})
    new = write(tmp_path / "new", {"tiny.argmap": edited(TINY)})
    result = run("diff", str(old), str(new), "--json")
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    st = doc["statements"]
    assert [(x["kind"], x["id"]) for x in st["added"]] == [("assumption", "extra")]
    assert st["removed"] == []
    assert [(x["kind"], x["id"], x["fields"], x["line"]) for x in st["changed"]] == [
        ("claim", "deception_caught", ["supports"], 12), ("worldview", "pessimist", ["lines"], 24)]
    assert doc["expects"] == {"added": ["expect under pessimist: plan.training holds"],
                              "removed": ["expect under pessimist: plan.training open", "expect consistent pessimist"]}
    changes = {(c["worldview"], c["verdict"]): c for c in doc["verdicts"]}
    assert {k: (c["before"]["status"], c["after"]["status"], c["status_changed"]) for k, c in changes.items()} == {
        (None, "plan.inner"): ("open", "open", False),
        ("pessimist", "plan.inner"): ("open", "fails", True),
        ("pessimist", "plan.training"): ("open", "holds", True),
        ("pessimist", "plan.performance"): ("open", "fails", True),
    }
    inner = changes[(None, "plan.inner")]
    assert inner["before"]["supports"] == [{"model_myopic": True},
                                           {"obfuscation": False, "overseer_honest": True, "tools_work": True}]
    assert inner["after"]["supports"] == [{"model_myopic": True, "overseer_honest": True, "tools_work": True},
                                          {"obfuscation": False, "overseer_honest": True, "tools_work": True}]
    assert doc["status_changes"] == 3 and doc["unchanged"] == 8 - 4
    text = run("diff", str(old), str(new))
    assert text.exit_code == 1
    assert "! plan.inner: open -> fails" in text.stdout and "+ support model_myopic and overseer_honest" in text.stdout
    assert "~ claim deception_caught: supports" in text.stdout


def test_new_verdicts_and_worldviews_are_absent_on_the_other_side_not_status_changes(tmp_path):
    old = write(tmp_path / "old", {"tiny.argmap": TINY})
    more = TINY + 'proposal other: "Other"\n  outer: tools_work\nworldview fresh: "F"\n  assume tools_work\n'
    new = write(tmp_path / "new", {"tiny.argmap": more})
    result = run("diff", str(old), str(new), "--json")
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert {(x["kind"], x["id"]) for x in doc["statements"]["added"]} == {
        ("proposal", "other"), ("verdict", "other.outer"), ("worldview", "fresh")}
    absent = {(c["worldview"], c["verdict"]) for c in doc["verdicts"] if c["before"]["status"] == "absent"}
    assert absent == {(None, "other.outer"), ("pessimist", "other.outer"),
                      *(("fresh", v) for v in ("plan.outer", "plan.inner", "plan.training", "plan.performance",
                                               "other.outer"))}
    assert doc["status_changes"] == 0


def loaded(*small) -> list:
    """Each small map written to a folder of its own and loaded."""
    out = []
    for m in small:
        d = Path(tempfile.mkdtemp())
        (d / "m.argmap").write_text(m.text(), encoding="utf-8")
        out.append(argmap.load(str(d)))
        shutil.rmtree(d)
    return out


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_maps(), small_maps())
def test_status_changes_agree_with_the_oracle(m1, m2):
    maps = loaded(m1, m2)
    d = map_diff(*maps, everything=True)

    def status(m, fixed, v):
        o = Oracle(m)
        if v not in m.verdicts:
            return "absent"
        return o.status(v, fixed) if o.models(fixed) else "inconsistent"

    want = {}
    for w in (None, "w"):
        for v in dict.fromkeys([*m1.verdicts, *m2.verdicts]):
            before = status(m1, m1.worldviews["w"] if w else {}, v)
            after = status(m2, m2.worldviews["w"] if w else {}, v)
            want[(w, v)] = (before, after, "absent" not in (before, after) and before != after)
    got = {(c.worldview, c.verdict): (c.before.status, c.after.status, c.status_changed) for c in d.verdicts}
    assert got == want
    assert d.status_changes == sum(x[2] for x in want.values())

    def clauses(found):
        return sorted(sorted(c.items()) for c in found)

    for c in d.verdicts:          # the needs each side lists are the truth table's prime implicates
        for m, state in ((m1, c.before), (m2, c.after)):
            if state.status not in ("absent", "inconsistent"):
                fixed = m.worldviews["w"] if c.worldview else {}
                assert clauses(state.needs) == clauses(Oracle(m).needs(c.verdict, fixed)), (c.verdict, c.worldview)


# ---- git sides --------------------------------------------------------------------------------
@pytest.fixture
def repo(tmp_path, monkeypatch):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    r = tmp_path / "repo"
    write(r / "claims", {"tiny.argmap": TINY})
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@x", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@x"}

    def git(*args):
        subprocess.run(["git", *args], cwd=r, check=True, capture_output=True, env={**env, "PATH": "/usr/bin:/bin"})
    git("init", "-q")
    git("add", "-A")
    git("commit", "-qm", "one")
    write(r / "claims", {"tiny.argmap": edited(TINY)})
    git("commit", "-qam", "two")
    (r / "claims" / "tiny.argmap").write_text("assumption  broken: \"B\n", encoding="utf-8")   # working tree only
    monkeypatch.chdir(r)
    return r


def test_git_revisions_are_read_with_git_show(repo):
    result = run("diff", "git:HEAD~1", "git:HEAD", "--json")
    assert result.exit_code == 1, result.output
    doc = json.loads(result.stdout)
    assert doc["old"] == "git:HEAD~1" and doc["status_changes"] == 3
    assert [x["file"] for x in doc["statements"]["changed"]] == ["git:HEAD:claims/tiny.argmap"] * 2
    same = run("diff", "git:HEAD~1:claims/tiny.argmap", "git:HEAD~1")      # a file, and the default claims/
    assert same.exit_code == 0, same.output


def test_git_and_map_errors_are_usage_errors(repo):
    broken = run("diff", "git:HEAD", "claims")           # the working tree has a syntax error
    assert broken.exit_code == 2
    assert "claims/tiny.argmap:1:21: error[E102]: unterminated string" in broken.stderr
    assert "Traceback" not in broken.stderr
    for spec, words in (("git:nope", "`nope` is not a revision"), ("git:HEAD:elsewhere", "no .argmap files"),
                        ("git:", "no revision")):
        result = run("diff", spec, "git:HEAD")
        assert result.exit_code == 2 and words in result.stderr, (spec, result.stderr)


def test_all_lists_unchanged_pairs_too(tmp_path):
    old = write(tmp_path / "old", {"tiny.argmap": TINY})
    doc = json.loads(run("diff", str(old), str(old), "--json", "--all").stdout)
    assert len(doc["verdicts"]) == 8 and doc["unchanged"] == 8
    assert all(c["before"] == c["after"] and not c["status_changed"] for c in doc["verdicts"])
    inner = next(c for c in doc["verdicts"] if c["verdict"] == "plan.inner" and c["worldview"] is None)
    assert inner["before"]["status"] == "open" and {"model_myopic": True} in inner["before"]["supports"]


@st.composite
def edited_pairs(draw):
    """A small map and the same map with one claim or verdict line edited (an operator swapped,
    else the line doubled, widened or negated): most verdicts keep their slice, some keep their
    meaning under a new text (the miter's case), some change."""
    import copy
    m1 = draw(small_maps(max_conflicts=2))
    m2 = copy.deepcopy(m1)
    if m2.conflicts and draw(st.integers(0, 3)) == 0:
        # a conflict edited: K differs, so each verdict is compared on its own slices
        k = draw(st.integers(0, len(m2.conflicts) - 1))
        c = m2.conflicts[k]
        swapped = [x for x in (c.replace(" and ", " or "), c.replace(" or ", " and ")) if x != c]
        m2.conflicts[k] = draw(st.sampled_from(swapped or [f"({c}) and {m2.assumptions[0]}"]))
        return m1, m2
    table = m2.claims if m2.claims and draw(st.booleans()) else m2.verdicts
    node = draw(st.sampled_from(sorted(table)))
    when, unless = table[node][0]
    # an operator swapped keeps every field of the statement but its class (`And` -> `Or`)
    swapped = [w for w in (when.replace(" and ", " or "), when.replace(" or ", " and ")) if w != when]
    table[node][0] = (draw(st.sampled_from(swapped or [f"({when}) and ({when})", f"({when}) or {m2.assumptions[0]}",
                                                       f"not ({when})"])), unless)
    return m1, m2


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edited_pairs(), st.booleans(), st.sampled_from([None, 0, 256]))
def test_only_verdicts_whose_meaning_changed_are_listed(pair, one_by_one, swept):
    """A verdict is skipped when it depends on no changed definition, or when the miter of all
    verdicts (or, when a conflict changed, its own miter) proves its meaning the same; what is
    listed must be exactly what the truth table says differs (status, supports, cut sets), under
    the empty worldview and under `w`, each marked as changed. ``one_by_one`` forces every
    verdict through the per-verdict comparison (slices by content, then its own miter); ``swept``
    sweeps the miter's copies (argmap/engine/relevance.py, ``sweep``) with that many random
    lanes (0: every copy goes to the solver), which large maps do and these small ones would not."""
    from unittest.mock import patch
    import argmap.analysis.diff as diff
    from argmap.engine import relevance
    m1, m2 = pair
    maps = loaded(m1, m2)
    changed = diff._changed
    with patch.object(diff, "_changed", lambda *a: (changed(*a)[0], True) if one_by_one else changed(*a)), \
            patch.object(relevance, "SWEEP_MIN", 0 if swept is not None else relevance.SWEEP_MIN), \
            patch.object(relevance, "SWEEP_LANES", relevance.SWEEP_LANES if swept is None else swept):
        d = map_diff(*maps)

    def meaning(m, fixed, v):
        o = Oracle(m)
        if not o.models(fixed):
            return "inconsistent"
        key = lambda found: sorted(sorted(s.items()) for s in found)     # noqa: E731
        return o.status(v, fixed), key(o.supports(v, fixed)), key(o.supports(v, fixed, value=False))
    want = {(w, v) for w in (None, "w") for v in m1.verdicts
            if meaning(m1, m1.worldviews["w"] if w else {}, v) != meaning(m2, m2.worldviews["w"] if w else {}, v)}
    assert {(c.worldview, c.verdict) for c in d.verdicts} == want, (m1.text(), m2.text())
    assert d.unchanged == 2 * len(m1.verdicts) - len(want)
    assert all(c.meaning_changed is True for c in d.verdicts)


def test_a_miter_out_of_time_and_lists_out_of_time_are_said_so(tmp_path):
    """When the miter cannot decide (its part of the budget ran out) the verdict is listed as
    perhaps changed, and a list whose part of the budget ran out says so instead of "too
    many": nothing is claimed that was not decided. Simulated: the miter answers None and the
    supports' lister raises the budget's exception."""
    from unittest.mock import patch
    import argmap.analysis.diff as diff
    from argmap.analysis.diff import diff_text
    from argmap.engine import budget
    from argmap.engine.miter import Miter
    base = ('assumption a: "a"\nassumption b: "b"\nassumption c: "c"\nclaim k: "k"\n  if {}\n'
            'proposal p: "p"\n  outer: k or c\n')
    old = write(tmp_path / "old", {"m.argmap": base.format("a and b")})
    new = write(tmp_path / "new", {"m.argmap": base.format("b and (a or a)")})

    def out_of_time(*args):
        raise budget.exceeded("in a test")
    with patch.object(Miter, "differs", lambda self, fixed, vs: {v: None for v in vs}), \
            patch.dict(diff.ASPECTS, {"supports": out_of_time}):
        d = map_diff(argmap.load(str(old)), argmap.load(str(new)))
    [c] = d.verdicts
    assert c.verdict == "p.outer" and c.meaning_changed is None
    assert c.before.truncated and c.before.stopped_by == "budget" and c.before.supports == []
    assert not c.before.needs_truncated and c.before.needs == c.after.needs
    text = diff_text(d)
    assert "p.outer: open -> open  (its meaning may not have changed: not decided within the time budget)" in text
    assert "supports: not compared: the time budget ran out while listing them" in text
    assert "1 verdict/worldview pair differs (1 of them perhaps: not decided within the time budget)" in text
    # decided, the same rewrite is no change at all (the miter proves it)
    assert map_diff(argmap.load(str(old)), argmap.load(str(new))).verdicts == []


def test_a_rewrite_that_keeps_the_meaning_is_no_verdict_change(tmp_path):
    """`a and b` rewritten as `b and (a or a)`: the claim's supports changed as text, so its
    verdict's slice differs, but the miter proves the same function; nothing is listed."""
    base = ('assumption a: "a"\nassumption b: "b"\nassumption c: "c"\nclaim k: "k"\n  if {}\n'
            'proposal p: "p"\n  outer: k or c\nconflict x: b and c\n')
    old = write(tmp_path / "old", {"m.argmap": base.format("a and b")})
    new = write(tmp_path / "new", {"m.argmap": base.format("b and (a or a)")})
    d = map_diff(argmap.load(str(old)), argmap.load(str(new)))
    assert [c.id for c in d.statements.changed] == ["k"]
    assert d.verdicts == [] and d.unchanged == 1
    changed = write(tmp_path / "changed", {"m.argmap": base.format("a or b")})
    d = map_diff(argmap.load(str(old)), argmap.load(str(changed)))
    assert [c.verdict for c in d.verdicts] == ["p.outer"]
    assert [c.id for c in d.statements.changed] == ["k"]     # `and` -> `or` is a change of the statement


def test_a_swept_miter_on_fresh_engines(tmp_path):
    """The miter built before any status was asked (nothing of either circuit compiled yet),
    its copies swept: the rewrite of `k` is proved the same verdict, the widening is not."""
    from unittest.mock import patch
    from argmap.analysis.diff import _Sameness
    from argmap.analysis.queries import engine
    from argmap.engine import relevance
    from argmap.engine.miter import Miter
    base = ('assumption a: "a"\nassumption b: "b"\nassumption c: "c"\nclaim k: "k"\n  if {}\n'
            'proposal p: "p"\n  outer: k or c\n  inner: k\nconflict x: a and c\n')
    old = argmap.load(str(write(tmp_path / "old", {"m.argmap": base.format("a and b")})))
    for text, want in (("b and (a or a)", {"p.outer": False, "p.inner": False}),
                       ("a or b", {"p.outer": True, "p.inner": True})):
        new = argmap.load(str(write(tmp_path / text.replace(" ", "_"), {"m.argmap": base.format(text)})))
        s = _Sameness(old, new)
        with patch.object(relevance, "SWEEP_MIN", 0):
            miter = Miter(engine(old), engine(new), s.affected_new, s.changed)
        assert miter.differs({}, ["p.outer", "p.inner"]) == want
