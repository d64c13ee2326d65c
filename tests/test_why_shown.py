"""`argmap why` in the terminal counts a list that is not cheap to compute only as far as it prints
it (20 needs, 10 supports), says so, and leaves --json, --supports and an explicit --limit the
whole enumeration (on a wide map of 10k statements the full lists took 19 s to print a count);
`verdicts --needs` there counts only the lists that are cheap to count."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from click.testing import CliRunner

import argmap
from argmap.analysis import queries
from argmap.cli import main

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import generate  # noqa: E402


def _wide_open_verdict(tmp_path):
    path = generate.write(600, tmp_path / "wide", seed=0, shape="wide")
    amap = argmap.read_map(str(path))[0]
    eng = queries.engine(amap)
    values = eng.values({}, list(amap.verdicts))
    # an open verdict whose needs Blake's form cannot list (MARCO streams them)
    for v in amap.verdicts:
        if values[v] is None and queries.why(amap, v, shown=(21, 11)).needs_stopped_by == "shown":
            return path, amap, v
    raise AssertionError("the wide map must have a verdict whose needs are streamed")


def test_the_terminal_counts_only_as_far_as_it_shows(tmp_path):
    path, amap, v = _wide_open_verdict(tmp_path)
    text = CliRunner().invoke(main, ["--map", str(path), "why", v])
    assert text.exit_code == 0, text.output
    lines = text.stdout.splitlines()
    assert "not counted further" in lines[2], lines[2]
    full = CliRunner().invoke(main, ["--map", str(path), "why", v, "--json"])
    doc = json.loads(full.stdout)
    assert doc["needs_stopped_by"] != "shown" and doc["stopped_by"] != "shown"
    # every need the terminal printed is one the whole enumeration finds too, or a single need
    printed = [line.split(". ", 1)[1] for line in lines[3:] if line[:5].strip().rstrip(".").isdigit()]
    from argmap.analysis.needstext import clause_text
    assert printed and set(printed) <= {clause_text(c) for c in doc["needs"]}
    explicit = CliRunner().invoke(main, ["--map", str(path), "why", v, "--limit", "1000"])
    assert "not counted further" not in explicit.stdout


def test_a_need_printed_is_a_need(tmp_path):
    """Each need the capped answer gives: the verdict fails once all of its literals fail."""
    path, amap, v = _wide_open_verdict(tmp_path)
    eng = queries.engine(amap)
    got = queries.why(amap, v, shown=(21, 11))
    for need in got.needs:
        assert eng.values({a: not x for a, x in need.items()}, [v])[v] is False, need
    for support in got.supports:
        assert eng.values(support, [v])[v] is True, support
    assert [c for c in got.needs if len(c) == 1] == [
        {a: not x for a, x in c.items()} for c in eng.single_supports(v, {}, value=False)]


def test_verdicts_needs_in_the_terminal_counts_only_cheap_lists(tmp_path):
    path, amap, _ = _wide_open_verdict(tmp_path)
    full = queries.verdict_needs(amap, limit=50)
    cheap = queries.verdict_needs(amap, limit=50, cheap=True)
    assert cheap.single_points_of_failure == full.single_points_of_failure   # complete either way
    not_counted = [v for v, why in cheap.stopped_by.items() if why == "shown"]
    assert not_counted, "the wide map must have a verdict whose needs are not cheap to count"
    for v in cheap.cut_sets:
        if v in not_counted:
            assert cheap.truncated[v] and cheap.cut_sets[v] == len(cheap.single_points_of_failure[v])
        else:                   # counted: as the enumeration counts it
            assert (cheap.cut_sets[v], cheap.truncated[v]) == (full.cut_sets[v], full.truncated[v]), v
    text = CliRunner().invoke(main, ["--map", str(path), "verdicts", "--needs"])
    assert text.exit_code == 0, text.output
    line = next(x for x in text.stdout.splitlines() if x.strip().startswith(not_counted[0] + " "))
    assert "not counted" in line, line
    doc = json.loads(CliRunner().invoke(main, ["--map", str(path), "verdicts", "--needs", "--json",
                                               "--limit", "50"]).stdout)
    assert "shown" not in doc["stopped_by"].values()


def test_cuts_in_the_terminal_counts_only_as_far_as_it_shows(tmp_path):
    """`cuts` prints 50 cut sets: a streamed list stops one past them, keeps every single cut set,
    says so, and each cut printed is a cut set of the whole enumeration or a single one."""
    from argmap.analysis.needstext import CUTS_SHOWN, cut_text
    path, amap, v = _wide_open_verdict(tmp_path)
    capped = queries.cuts(amap, v, shown=CUTS_SHOWN + 1)
    full = queries.cuts(amap, v, limit=5000)
    eng = queries.engine(amap)
    singles = eng.single_supports(v, {}, value=False)
    assert capped.stopped_by == "shown", "the wide verdict must have more cut sets than are shown"
    assert capped.truncated and len(capped.cuts) >= CUTS_SHOWN + 1
    assert all(c in capped.cuts for c in singles)
    for cut in capped.cuts:
        assert cut in full.cuts or cut in singles, cut
        assert eng.values(cut, [v])[v] is False, cut
    text = CliRunner().invoke(main, ["--map", str(path), "cuts", v])
    assert text.exit_code == 0, text.output
    assert "… and more (--json lists them all)" in text.stdout and "not counted further" in text.stdout
    printed = [line.split(". ", 1)[1].split("  (")[0] for line in text.stdout.splitlines()
               if line[:6].strip().rstrip(".").isdigit()]
    assert len(printed) == CUTS_SHOWN and set(printed) <= {cut_text(c) for c in capped.cuts}
    doc = json.loads(CliRunner().invoke(main, ["--map", str(path), "cuts", v, "--json"]).stdout)
    assert doc["stopped_by"] != "shown"


def test_show_in_the_terminal_lists_the_needs_why_lists(tmp_path):
    """`show V` gives the needs of `why V` (without listing the supports it does not print)."""
    path, amap, v = _wide_open_verdict(tmp_path)
    from argmap.analysis.describe import show
    from argmap.analysis.needstext import NEEDS_SHOWN
    shown = show(amap, v, shown=NEEDS_SHOWN + 1)
    why = queries.why(amap, v, shown=(NEEDS_SHOWN + 1, 11))
    assert (shown.needs, shown.needs_truncated, shown.needs_stopped_by) == (
        why.needs, why.needs_truncated, why.needs_stopped_by)
    assert shown.needs_stopped_by == "shown"        # (the verdict was picked for that)
    text = CliRunner().invoke(main, ["--map", str(path), "show", v])
    assert text.exit_code == 0, text.output
    assert "not counted further" in text.stdout and "… and more (argmap cuts" in text.stdout
    doc = json.loads(CliRunner().invoke(main, ["--map", str(path), "show", v, "--json"]).stdout)
    assert doc["needs_stopped_by"] != "shown"
    assert doc["needs"] == queries.why(amap, v).needs
