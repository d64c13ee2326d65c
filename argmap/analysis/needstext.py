"""Terminal text for what a verdict needs and how it can fail: `why`'s needs, `cuts`, `verdicts
--needs` and the one-line reasons of `what-breaks`.

A need is a clause (one of its literals must hold); a cut set is the same thing negated (every
literal of it happens). Both print as literals, ``a`` or ``not a``. Long lists are cut at a fixed
number of lines with a pointer to the command that lists everything, so that an answer stays
readable on the corpus, where one verdict has 59 needs and 176 supports.
"""

from __future__ import annotations

from argmap.language.model import ArgumentMap
from argmap.words import count

NEEDS_SHOWN = 20           # needs printed by `why` before "… and N more"
SUPPORTS_IN_FULL = 10      # `why` prints at most this many supports unless --supports is given
CUTS_SHOWN = 50            # cut sets printed by `cuts` before "… and N more"
# which bound stopped a truncated list (``stopped_by``): the reason and the flag that raises it
STOPPED = {"limit": "stopped at the limit; raise it with --limit",
           "budget": "stopped when the time budget ran out; raise it with --timeout",
           "calls": "stopped after its cap of solver calls; a higher --limit searches longer",
           "shown": "not counted further, which is not cheap here; --json or an explicit --limit counts on"}


def stopped(stopped_by: str | None) -> str:
    """Why a list is partial, for the reader; "stopped early" when the caller does not know."""
    return STOPPED.get(stopped_by, "stopped early")


def literal(name: str, value: bool) -> str:
    return name if value else f"not {name}"


def _literals(s: dict[str, bool]) -> list[str]:
    return [literal(k, v) for k, v in sorted(s.items(), key=lambda kv: (kv[0], not kv[1]))]


def clause_text(clause: dict[str, bool]) -> str:
    """A need: ``a`` for a single literal, ``one of: a, not b`` for a larger clause."""
    lits = _literals(clause)
    return lits[0] if len(lits) == 1 else "one of: " + ", ".join(lits)


def cut_text(cut: dict[str, bool]) -> str:
    """A cut set: its literals joined with ``and`` (all of them happen)."""
    return " and ".join(_literals(cut)) or "(nothing: it fails already)"


def needs_lines(verdict: str, status: str, needs: list[dict[str, bool]], truncated: bool,
                shown: int = NEEDS_SHOWN, stopped_by: str | None = None) -> list[str]:
    """The factored needs: single points of failure first, then "one of" clauses, numbered."""
    if status in ("holds", "fails") or needs == [{}]:
        return []           # the status line says it all: it needs nothing more / nothing can rescue it
    if not needs:
        return ["needs nothing in particular"]
    singles = sum(len(c) == 1 for c in needs)
    count = f"{len(needs)}{'+, ' + stopped(stopped_by) if truncated else ''}"
    head = f"needs all of ({count}"
    head += f"; {singles} single point{'s' if singles != 1 else ''} of failure first):" if singles else "):"
    out = [head]
    width = len(str(min(len(needs), shown)))
    for i, c in enumerate(needs[:shown], 1):
        out.append(f"  {i:>{width}}. {clause_text(c)}")
    if len(needs) > shown:
        # (a list stopped one past what is shown has an unknown number more, not exactly one)
        more = "more" if stopped_by == "shown" else f"{len(needs) - shown} more"
        out.append(f"  … and {more} (argmap cuts {verdict} lists them)")
    out += _settling(needs)
    return out


def _settling(needs: list[dict[str, bool]], top: int = 3, at_least: int = 5) -> list[str]:
    """With many "one of" needs, the literals that satisfy the most of them at once: a factored
    reading of a long list (each literal named here settles every clause that contains it)."""
    larger = [c for c in needs if len(c) > 1]
    if len(larger) < at_least:
        return []
    counts: dict[tuple[str, bool], int] = {}
    for c in larger:
        for lit in c.items():
            counts[lit] = counts.get(lit, 0) + 1
    best = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0][0], not kv[0][1]))[:top]
    return ["  the \"one of\" needs most often satisfied by one literal: " + ", ".join(
        f"{literal(a, v)} ({n} of {len(larger)})" for (a, v), n in best)]


def cuts_text(amap: ArgumentMap, result, scenario: str, shown: int = CUTS_SHOWN) -> str:
    out = [f"{result.verdict}: {amap.text_of(result.verdict)}",
           f"status under {scenario}: {result.status}"]
    if result.status == "holds":
        out.append("no cut set: it holds here whatever the free assumptions are")
        return "\n".join(out)
    if result.cuts == [{}]:
        out.append("it fails already: the empty cut set")
        return "\n".join(out)
    n = f"{len(result.cuts)}{'+' if result.truncated else ''}"
    order = {"size": "smallest first", "takes_down": "those that take down more other verdicts",
             "probability": "the most probable"}
    out.append(f"fails in {n} minimal way{'s' if len(result.cuts) != 1 else ''} "
               f"(cut sets: {', then '.join(order[r] for r in result.ranked_by)}):")
    width = len(str(min(len(result.cuts), shown)))
    for i, cut in enumerate(result.cuts[:shown], 1):
        line = f"  {i:>{width}}. {cut_text(cut)}"
        if result.probabilities is not None:
            line += f"  [p={result.probabilities[i - 1]:.3g}]"
        down = result.takes_down[i - 1]
        if down:
            line += f"  (also takes down {', '.join(down)})"
        out.append(line)
    if len(result.cuts) > shown:
        # (a list stopped one past what is shown has an unknown number more, not exactly one)
        more = "more" if result.stopped_by == "shown" else f"{len(result.cuts) - shown} more"
        out.append(f"  … and {more} (--json lists them all)")
    if result.truncated:
        out.append(f"  ({stopped(result.stopped_by)})")
    return "\n".join(out)


def single_points_text(single_points: dict[str, list[dict[str, bool]]], counts: dict[str, int],
                       truncated: dict[str, bool], stopped_by: dict[str, str] | None = None,
                       partial: list[str] = ()) -> str:
    """`verdicts --needs`: for each open verdict, the assumptions whose failure alone fails it."""
    if not single_points:
        return "no open verdict"
    out = ["what each open verdict hangs on (single points of failure: each alone makes it fail):"]
    width = max(len(v) for v in single_points)
    for v, cuts in single_points.items():
        more = counts[v] - len(cuts)
        plus = "+" if truncated[v] else ""
        if cuts:
            text = ", ".join(literal(a, not val) for cut in cuts for a, val in cut.items())
            text = f"needs {text}"
            if more:
                text += f"; and {more}{plus} larger need{'s' if more != 1 else ''}"
            elif truncated[v]:
                text += "; larger needs not counted"
        elif more or not truncated[v]:
            text = (f"no single point of failure{' found' if v in partial else ''}; {more}{plus} "
                    f"need{'s' if more != 1 else ''} of two or more (argmap why {v})")
        else:
            text = (f"no single point of failure{' found' if v in partial else ''}; "
                    f"needs of two or more not counted (argmap why {v})")
        if v in partial:
            text += " [single points may be missing: the time budget ran out]"
        out.append(f"  {v.ljust(width)}  {text}")
    cut = [v for v in single_points if truncated[v]]
    if cut:
        why = {}
        for v in cut:
            reason = (stopped_by or {}).get(v)
            why[reason] = why.get(reason, 0) + 1
        reasons = "; ".join(f"{n} {stopped(r)}" for r, n in sorted(why.items(), key=lambda kv: str(kv[0])))
        complete = ("The single points of failure are complete." if not partial else
                    f"The single points of failure are complete except for {count(len(partial), 'verdict')} "
                    "marked [single points may be missing]; raise --timeout for them.")
        out.append(f"(N+: the larger needs of {count(len(cut), 'verdict')} were not all counted: {reasons}. "
                   + complete + ")")
    return "\n".join(out)
