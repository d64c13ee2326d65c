"""`what-breaks` explains each weakened verdict within its part of the command's budget: a verdict
whose part runs out gets no `remaining` entry instead of costing the whole answer (exit 3)."""

from __future__ import annotations

import argmap
from argmap.analysis import queries
from argmap.engine import budget
from argmap.engine.logic import Engine


def test_a_verdict_whose_explanation_runs_out_is_left_unexplained(monkeypatch):
    amap = argmap.read_map("claims")[0]
    plain = queries.what_breaks(amap, "myopia_verification")
    assert len(plain.weakens) >= 2, "the corpus must weaken several verdicts for this test"
    slow = plain.weakens[0]
    real = Engine.cheap_supports

    def cheap_supports(self, node, fixed, *args, **kwargs):
        # only the explanation asks about the scenario after the failure (`not A`)
        if node == slow and fixed.get("myopia_verification") is False:
            raise budget.exceeded("while listing minimal supports")
        return real(self, node, fixed, *args, **kwargs)
    monkeypatch.setattr(Engine, "cheap_supports", cheap_supports)
    budget.start(60)
    try:
        explained = queries.what_breaks(amap, "myopia_verification", explain=True)
    finally:
        budget.start(None)
    for key in ("breaks", "loses", "weakens", "unaffected"):
        assert getattr(explained, key) == getattr(plain, key)
    assert slow not in explained.remaining
    assert set(explained.remaining) == set(plain.weakens + plain.loses) - {slow}


def test_the_cli_answers_a_wide_map_within_its_budget(tmp_path):
    """A generated wide map: the lists come back (exit 0) and agree with the library's."""
    import json
    import sys
    from pathlib import Path

    from click.testing import CliRunner

    from argmap.cli import main
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    import generate
    path = generate.write(1000, tmp_path / "wide", seed=0, shape="wide")
    amap = argmap.read_map(str(path))[0]
    a = next(iter(amap.assumptions))
    want = queries.what_breaks(amap, a)
    result = CliRunner().invoke(main, ["--map", str(path), "--timeout", "30", "what-breaks", a, "--json"])
    assert result.exit_code == 0, result.output
    got = json.loads(result.stdout)
    for key in ("breaks", "loses", "weakens", "unaffected"):
        assert got[key] == getattr(want, key)
    assert set(got["remaining"]) <= set(want.weakens + want.loses)


def test_a_batch_that_runs_out_is_asked_one_verdict_at_a_time(tmp_path, monkeypatch):
    """A consequences() call that cannot finish (wide 10k, s26_loss_a: not in 150 s) no longer
    costs the whole answer: the verdicts are asked one at a time, and those whose part of the
    budget runs out are `undecided` (exit 0), every other list exact."""
    import json
    import sys
    from pathlib import Path

    import z3
    from click.testing import CliRunner

    from argmap.cli import main
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    import generate
    path = generate.write(1000, tmp_path / "wide", seed=0, shape="wide")
    amap = argmap.read_map(str(path))[0]
    a = next(iter(amap.assumptions))
    want = queries.what_breaks(amap, a)
    assert len(want.weakens) > 10, "the test needs a wide map whose verdicts the assumption weakens"

    real_consequences = z3.Solver.consequences

    def stalled(self, assumptions, variables):
        if variables and str(variables[0]).startswith(("y_", "n_")):
            return z3.unknown, []               # what-breaks' batch, as when it runs out of its part
        return real_consequences(self, assumptions, variables)
    monkeypatch.setattr(z3.Solver, "consequences", stalled)
    result = CliRunner().invoke(main, ["--map", str(path), "--timeout", "60", "what-breaks", a, "--json"])
    assert result.exit_code == 0, result.output
    got = json.loads(result.stdout)
    assert got["undecided"] == []
    for key in ("breaks", "loses", "weakens", "unaffected"):
        assert got[key] == getattr(want, key)

    real_check = z3.Solver.check
    names = None

    def check(self, *assumptions):
        # the chosen verdicts' tests never finish: their parts of the budget run out
        if any(str(x) in names for x in assumptions):
            return z3.unknown
        return real_check(self, *assumptions)
    from argmap.analysis.queries import engine
    amap = argmap.read_map(str(path))[0]        # a new engine: the first one remembers its answers
    eng = engine(amap)
    from argmap.engine.relevance import wide
    slow = {v for v in want.weakens if wide(eng, v)}
    slow = set(sorted(slow)[:3])                # (narrow slices are enumerated, not batched)
    assert len(slow) == 3
    names = {f"{p}_{eng.names[v]}" for v in slow for p in ("y", "n")}
    monkeypatch.setattr(z3.Solver, "check", check)
    monkeypatch.setattr(z3.Solver, "reason_unknown", lambda self: "timeout")
    budget.start(20)
    try:
        partial = queries.what_breaks(amap, a)
    finally:
        budget.start(None)
    assert set(partial.undecided) == slow
    assert partial.breaks == want.breaks and set(partial.weakens) == set(want.weakens) - slow
    assert partial.unaffected == want.unaffected
    from argmap.analysis.textout import what_breaks_text
    text = what_breaks_text(amap, partial, "the empty worldview")
    assert "undecided (weakened or unaffected" in text and all(f"  {v}" in text for v in slow)


def test_why_gives_its_needs_half_of_the_budget(monkeypatch):
    """`why` lists cut sets (needs) first; they must not be able to eat the whole --timeout and
    leave the supports nothing (wide 100k: exit 3 before any support)."""
    amap = argmap.read_map("claims")[0]
    seen = {}
    real = Engine.supports

    def supports(self, node, fixed, *args, **kwargs):
        seen[kwargs.get("value", True)] = budget.active().end
        return real(self, node, fixed, *args, **kwargs)
    monkeypatch.setattr(Engine, "supports", supports)
    outer = budget.start(60)
    try:
        queries.why(amap, "imitative_amp_rat.inner")
    finally:
        budget.start(None)
    assert set(seen) == {True, False}, seen
    assert seen[False] <= outer.end - 25, "the needs must run under a share of the budget"
    assert seen[True] >= outer.end - 1, "the supports get what is left"


def test_cruxes_gives_each_assumption_its_part_and_retries_the_cut_short(monkeypatch):
    """cruxes used to run each assumption's what-breaks with the whole budget left, so one hard
    assumption (or one wide verdict's support list) ended the command (exit 3; a wide 1k map
    at 120 s). Now an assumption whose part runs out is asked again with what the others left;
    only if some assumption is still unexamined does cruxes give up, saying how far it got."""
    amap = argmap.read_map("tests/fixtures/maps/tiny")[0]
    want = queries.cruxes(amap)
    real = queries._what_breaks
    first = next(iter(amap.assumptions))
    calls = {first: 0}

    def once_too_slow(amap_, a, *args, **kwargs):
        if a == first:
            calls[first] += 1
            if calls[first] == 1:
                raise budget.exceeded("inside a solver call")      # its part ran out
        return real(amap_, a, *args, **kwargs)
    monkeypatch.setattr(queries, "_what_breaks", once_too_slow)
    budget.start(60)
    try:
        assert queries.cruxes(amap) == want and calls[first] == 2

        def always_too_slow(amap_, a, *args, **kwargs):
            if a == first:
                raise budget.exceeded("inside a solver call")
            return real(amap_, a, *args, **kwargs)
        monkeypatch.setattr(queries, "_what_breaks", always_too_slow)
        try:
            queries.cruxes(amap)
        except budget.BudgetExceeded as exc:
            free = len(amap.assumptions)
            assert f"after examining {free - 1} of {free} assumptions" in str(exc)
        else:
            raise AssertionError("an unexamined assumption must not be ranked")

        def undecided(amap_, a, *args, **kwargs):
            wb = real(amap_, a, *args, **kwargs)
            if a == first and wb.weakens:
                wb.undecided, wb.weakens = wb.weakens, []
            return wb
        monkeypatch.setattr(queries, "_what_breaks", undecided)
        partial = queries.cruxes(amap)
    finally:
        budget.start(None)
    crux = next(c for c in partial.cruxes if c.assumption == first)
    original = next(c for c in want.cruxes if c.assumption == first)
    assert crux.undecided == original.weakens and crux.weakens == []
    from argmap.analysis.textout import cruxes_text
    text = cruxes_text(amap, partial, "the empty worldview")
    assert original.weakens and "the time budget ran out before argmap could tell" in text


def test_a_wide_verdicts_explanation_names_its_single_needs_and_says_it_is_partial(tmp_path):
    """On a generated wide map the explanation of a verdict with a wide slice holds its single
    needs (each one a need of the verdict after the failure) and says that larger ones may exist;
    counts never claim fewer supports before the failure than after it (the first version printed
    "6+ of 1")."""
    import sys
    from pathlib import Path

    from click.testing import CliRunner

    from argmap.cli import main
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    import generate
    path = generate.write(1000, tmp_path / "wide", seed=0, shape="wide")
    amap = argmap.read_map(str(path))[0]
    eng = queries.engine(amap)
    partial = None
    for a in list(amap.assumptions)[:200]:
        got = queries.what_breaks(amap, a, explain=True)
        for v, rest in (got.remaining or {}).items():
            if rest.supports is not None and rest.of is not None and not rest.of_truncated:
                assert rest.supports <= rest.of, (a, v, rest)
            if rest.needs_truncated and rest.needs:
                partial = partial or (a, v, rest)
        if partial:
            break
    assert partial, "the wide map must have a verdict whose needs are listed only in part"
    a, v, rest = partial
    after = {a: False}
    for need in rest.needs:
        assert len(need) == 1
        (b, value), = need.items()
        # a need: the verdict implies it, i.e. the opposite literal alone makes it fail
        assert eng.values({**after, b: not value}, [v])[v] is False, (a, v, need)
    result = CliRunner().invoke(main, ["--map", str(path), "what-breaks", a])
    assert result.exit_code == 0, result.output
    line = next(x for x in result.stdout.splitlines() if x.startswith(f"  {v}  ("))
    assert "perhaps larger ones" in line or "more single needs" in line, line
    assert "argmap why " in result.stdout and f"--deny {a}" in result.stdout


def _many_weakened(tmp_path, proposals: int = 6):
    """A map where denying `a` weakens every verdict (each has the supports {a} and {b_i})."""
    lines = ['assumption a: "A"']
    for i in range(proposals):
        lines.append(f'assumption b{i}: "B{i}"')
        lines.append(f'proposal p{i}: "P{i}"')
        lines += [f"  {c}: a or b{i}" for c in ("outer", "inner", "training", "performance")]
    (tmp_path / "m.argmap").write_text("\n".join(lines) + "\n")
    return tmp_path


def test_the_terminal_lists_and_explains_the_first_twenty_of_each_list(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from argmap.cli import main
    from argmap.cli.queries import WHAT_BREAKS_SHOWN
    path = _many_weakened(tmp_path)
    asked: list[str] = []
    real = Engine.cheap_supports

    def cheap_supports(self, node, fixed, *args, **kwargs):
        if fixed.get("a") is False:
            asked.append(node)
        return real(self, node, fixed, *args, **kwargs)
    monkeypatch.setattr(Engine, "cheap_supports", cheap_supports)
    everything = queries.what_breaks(argmap.read_map(str(path))[0], "a")
    assert len(everything.weakens) == 24 > WHAT_BREAKS_SHOWN

    short = CliRunner().invoke(main, ["--map", str(path), "what-breaks", "a"])
    assert short.exit_code == 0, short.output
    assert "weakens (loses some of its supports): 24" in short.output
    shown = [v for v in everything.weakens if f"  {v}  (" in short.output]
    assert shown == everything.weakens[:WHAT_BREAKS_SHOWN]
    assert "... and 4 more (`--all` lists every one" in short.output
    assert set(asked) == set(shown)             # only what is shown was explained

    asked.clear()
    full = CliRunner().invoke(main, ["--map", str(path), "what-breaks", "a", "--all"])
    assert full.exit_code == 0, full.output
    assert all(f"  {v}  (1 of 2 minimal supports remain; then needs b" in full.output for v in everything.weakens)
    assert "more (`--all`" not in full.output
    assert set(asked) == set(everything.weakens)


def test_json_explains_every_verdict(tmp_path):
    import json

    from click.testing import CliRunner

    from argmap.cli import main
    path = _many_weakened(tmp_path)
    result = CliRunner().invoke(main, ["--map", str(path), "what-breaks", "a", "--json"])
    assert result.exit_code == 0, result.output
    got = json.loads(result.stdout)
    assert len(got["weakens"]) == 24
    assert set(got["remaining"]) == set(got["weakens"])
    assert all(r["needs"] for r in got["remaining"].values())
