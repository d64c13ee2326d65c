"""The findings report: `argmap report -o DIR` writes DIR/README.md and DIR/figures/*.svg.

Written for readers with questions, top-down (docs/analysis.md lists the sections):
**key findings** first, each with its numbers and the command that reproduces it (single points
of failure, what breaks if the headline assumption fails under each author's worldview, where the
two authors disagree and how, the cross-document tensions, how much the probabilities owe to
default credences); then one verdict matrix with every worldview as a column, a section per
named assumption (`--what-breaks`), the author-vs-author comparison, the tensions with their
quotes and the probabilities; then an appendix (top cruxes, the other worldview pairs, every
scenario of every tension).

Everything is computed from the map: the tensions from its `conflict` statements and their
cites, the author classification from the two worldviews (`--authors`). Tables come from the
query modules; figures from argmap.render (the views `argmap render` draws), so the report and the
command line never disagree. Output is deterministic: declaration order, no dates, figures named
after ids; same map → same bytes (given the same Graphviz).

Text from the map reaches Markdown only through :func:`md` (every ASCII punctuation character
backslash-escaped, so no link, image, HTML or entity can come from it) or, for ids that match the
identifier pattern, inside code spans.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path

from argmap.engine.bdd import TRUE
from argmap.language.diagnostics import InconclusiveError
from argmap.language.model import COMPONENTS, ArgumentMap, show
from argmap.analysis.queries import Scenario, engine
from argmap.words import count

HEADLINE = "myopia_verification"           # the corpus's headline assumption (issue 12)
PROGRESS_STEPS = 9                          # calls of progress(step) in one build (tests/test_report.py counts them)
AUTHORS = ("hubinger2020_leanings", "greenblatt2026_leanings")
EXTRA_BREAK_SECTIONS = 2                   # top cruxes that get a what-breaks section by default
TOP_CRUXES = 10
MAX_CRUXES_SHOWN = 3                       # per verdict in the comparisons
SPOF_SHOWN = 5
CRUXES_SHARE = 0.3                         # of the time budget left, at most, for ranking the cruxes
PROBABILITIES_SHARE = 0.5                  # of the time left when they are first needed, for the BDDs

_ID = re.compile(r"\A[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)?\Z")
_PUNCT = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


@dataclass
class Report:
    markdown: str
    figures: dict[str, bytes] = field(default_factory=dict)     # relative path → SVG bytes
    problems: list[str] = field(default_factory=list)            # figures that could not be drawn


def md(text) -> str:
    """Map text as inert Markdown on one line: every ASCII punctuation character is
    backslash-escaped (CommonMark lets any of them be), so no link, image, emphasis, raw HTML,
    entity, table pipe or autolink can come from it; whitespace runs become one space."""
    text = re.sub(r"\s+", " ", str(text)).strip()
    return "".join("\\" + c if c in _PUNCT else c for c in text)


def tick(name: str) -> str:
    """An id as a code span (ids cannot contain a backtick); anything else escaped as text."""
    return f"`{name}`" if _ID.match(name) else md(name)


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9_.-]+", "-", name.lower())


def _table(header: list[str], rows: list[list[str]]) -> str:
    out = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(out)


def _list(items, limit: int = 6) -> str:
    items = list(items)
    shown = ", ".join(items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")


def _status_for(amap: ArgumentMap, fixed: dict[str, bool]) -> dict[str, str] | None:
    eng = engine(amap)
    if not eng.consistent(fixed):
        return None
    values = eng.values(fixed, list(amap.verdicts))
    return {n: ("open" if v is None else "holds" if v else "fails") for n, v in values.items()}


def _undecided(items) -> str:
    """What the time budget left open, said next to counts that would otherwise read as complete
    ('' when nothing was): each undecided verdict weakens or is unaffected."""
    n = len(items)
    return f" ({n} more undecided within the time budget: {'it weakens' if n == 1 else 'each weakens'} " \
           "or is unaffected)" if n else ""


def _wname(w: str | None) -> str:
    return tick(w) if w else "no worldview"


def _wflag(w: str | None) -> str:
    return f" -w {w}" if w else ""


# ---- the queries the findings rest on ---------------------------------------------------------
def single_points_of_failure(amap: ArgumentMap, fixed: dict[str, bool]) -> dict[tuple[str, bool], list[str]]:
    """(assumption, value) → the verdicts that this one literal refutes on its own under ``fixed``:
    the cut sets of size 1 (`argmap cuts`), read across every verdict. One solver call a verdict
    (Engine.single_supports): listing every cut set to keep those of size 1 took the whole budget
    on a generated wide map of 1,000 statements (exit 3), and a list cut short could miss some."""
    from argmap.analysis.queries import _statuses, engine
    eng = engine(amap)
    out: dict[tuple[str, bool], list[str]] = {}
    for v, status in _statuses(amap, fixed, list(amap.verdicts)).items():
        if status != "open":
            continue                # holds: no cut set; fails: only the empty one
        for s in eng.single_supports(v, fixed, value=False):
            if len(s) == 1:
                ((a, value),) = s.items()
                out.setdefault((a, value), []).append(v)
    return out


@dataclass
class AuthorSplit:
    """How two worldviews differ: opposite stances, or one takes a position and the other is silent."""
    first: str
    second: str
    opposite: list[str]
    only_first: list[str]
    only_second: list[str]
    flips: list[tuple[str, str, str]]          # verdict, status under first, under second
    joint: dict[str, bool] | None              # both together (None if opposite stances)
    joint_status: dict[str, str] | None        # None if the joint scenario is inconsistent


def author_split(amap: ArgumentMap, first: str, second: str) -> AuthorSplit:
    f1, f2 = amap.worldviews[first].fixed(), amap.worldviews[second].fixed()
    order = list(amap.assumptions)
    diff = [a for a in order if f1.get(a) != f2.get(a)]
    opposite = [a for a in diff if a in f1 and a in f2]
    s1, s2 = _status_for(amap, f1), _status_for(amap, f2)
    flips = [(v, s1[v], s2[v]) for v in amap.verdicts if s1 and s2 and s1[v] != s2[v]]
    joint = None if opposite else {**f1, **f2}
    return AuthorSplit(first, second, opposite, [a for a in diff if a in f1 and a not in f2],
                       [a for a in diff if a in f2 and a not in f1], flips, joint,
                       _status_for(amap, joint) if joint is not None else None)


def _have(n: int) -> str:
    """The verb after "N of M verdicts": "1 of 4 verdicts has", "2 of 4 verdicts have"."""
    return "has" if n == 1 else "have"


def _counts(status: dict[str, str]) -> str:
    n = {k: sum(x == k for x in status.values()) for k in ("holds", "fails", "open")}
    return f"{count(n['holds'], 'holds', 'hold')}, {count(n['fails'], 'fails', 'fail')}, {n['open']} open"


def _fixed_flags(fixed: dict[str, bool]) -> str:
    return " ".join(f"--{'assume' if v else 'deny'} {a}" for a, v in fixed.items())


def _cross_document(amap: ArgumentMap, cid: str) -> bool:
    return len({c.source for c in amap.conflicts[cid].provenance.citations}) > 1


def _default_share(table, defaulted: set[str]) -> float | None:
    """The share of a verdict's total |Birnbaum importance| carried by assumptions at the default."""
    rows = [r for r in table.assumptions if not r.fixed and r.birnbaum is not None]
    total = sum(abs(r.birnbaum) for r in rows)
    if total <= 0:
        return None
    return sum(abs(r.birnbaum) for r in rows if r.assumption in defaulted) / total


class _Figures:
    """Draws views through argmap.render; collects SVGs or, per figure, why it could not."""

    def __init__(self, report: Report, enabled: bool):
        self.report = report
        self.enabled = enabled

    def add(self, name: str, make_view, alt: str) -> str:
        if not self.enabled:
            return ""
        from argmap.language.diagnostics import InconclusiveError
        from argmap.render.draw import draw
        from argmap.render.svgcheck import check_svg
        path = f"figures/{_slug(name)}.svg"
        try:
            view = make_view()
            out = draw(view, "svg")
            check_svg(out.data)
        except InconclusiveError as exc:          # a layout that fails or times out: say so, go on
            self.report.problems.append(f"{path}: {exc}")
            return f"*(figure {path} could not be drawn: {md(exc)})*\n"
        self.report.figures[path] = out.data
        return f"![{md(alt)}]({path})\n"


# ---- the report -------------------------------------------------------------------------------
def _summary(amap: ArgumentMap) -> str:
    return (f"What the argument map says, computed from its {count(len(amap.assumptions), 'assumption')}, "
            f"{count(len(amap.claims), 'claim')}, {count(len(amap.proposals), 'proposal')} with "
            f"{count(len(amap.verdicts), 'verdict')}, {count(len(amap.conflicts), 'conflict')} and "
            f"{count(len(amap.worldviews), 'worldview')}, in {count(len(amap.files), 'file')}. A verdict *holds* "
            "when the map and the worldview entail it, *fails* when they refute it, and is *open* otherwise. "
            "Every finding names the command that reproduces it; `argmap report -o DIR` regenerates the "
            "whole report.\n")


class _Builder:
    def __init__(self, amap: ArgumentMap, figures: bool, what_breaks: list[str], authors: tuple[str, str],
                 progress):
        self.amap = amap
        self.report = Report(markdown="")
        self.figs = _Figures(self.report, figures)
        self.progress = progress or (lambda step: None)
        eng = engine(amap)
        self.consistent = [w for w in amap.worldviews if eng.consistent(amap.worldviews[w].fixed())]
        self.requested_authors = authors
        self.authors = authors if all(a in self.consistent for a in authors) else None
        from argmap.analysis.queries import cruxes
        from argmap.engine import budget
        self.progress("cruxes")
        # Each expensive part gets a share of the time left and, if it runs out, the report says
        # so where the part would be and goes on: a generated wide map of 1,000 statements used
        # to end with exit 3 and no report (cut sets, then the decision diagrams, took it all).
        self.cruxes_missing: str | None = None
        try:
            with budget.share(CRUXES_SHARE):
                self.ranked = [c for c in cruxes(amap, top=TOP_CRUXES).cruxes if c.score > 0]
        except InconclusiveError as exc:
            self.ranked, self.cruxes_missing = [], str(exc)
            self.report.problems.append(f"cruxes: {exc}")
        if what_breaks:
            self.breaks_for = list(dict.fromkeys(what_breaks))
        else:
            named = [HEADLINE] if HEADLINE in amap.assumptions else []
            extra = [c.assumption for c in self.ranked if c.assumption not in named][:EXTRA_BREAK_SECTIONS]
            self.breaks_for = named + extra
        self.scenarios: list[str | None] = [None, *(self.authors or ())]

    # -- key findings
    def findings(self) -> str:
        amap = self.amap
        out = ["## Key findings\n"]
        n = 1
        # 1. single points of failure
        spof = single_points_of_failure(amap, {})
        by_reach = sorted(spof.items(), key=lambda kv: (-len({amap.verdicts[v].proposal for v in kv[1]}),
                                                        -len(kv[1]), list(amap.assumptions).index(kv[0][0])))
        shared = [(lit, vs) for lit, vs in by_reach if len({amap.verdicts[v].proposal for v in vs}) > 1]
        hit = {v for vs in spof.values() for v in vs}
        if shared:
            parts = []
            for (a, value), vs in shared[:SPOF_SHOWN]:
                props = list(dict.fromkeys(amap.verdicts[v].proposal for v in vs))
                what = "holding" if value else "failing"
                parts.append(f"{tick(a)} {what} refutes {len(vs)} verdicts of {len(props)} proposals "
                             f"({_list([tick(p) for p in props], 4)})")
            (a0, v0), _ = shared[0]
            each = ("single assumption refutes, on its own," if len(shared) == 1 else
                    "single assumptions each refute, on their own,")
            out.append(f"{n}. **Single points of failure shared by several proposals.** {len(shared)} {each} "
                       f"verdicts of two or more proposals (no worldview): " + "; ".join(parts) + (f"; and {len(shared) - SPOF_SHOWN} more" if
                                                              len(shared) > SPOF_SHOWN else "")
                       + f". In all, {len(hit)} of {len(amap.verdicts)} verdicts {_have(len(hit))} a single point of "
                       f"failure. Reproduce: `argmap verdicts --{'assume' if v0 else 'deny'} {a0}`.")
        else:
            out.append(f"{n}. **Single points of failure.** No single assumption refutes verdicts of two or "
                       f"more proposals on its own; {len(hit)} of {len(amap.verdicts)} verdicts {_have(len(hit))} one "
                       f"of {'its' if len(hit) == 1 else 'their'} own.")
        n += 1
        # 2. the headline assumption under each author's worldview
        if self.breaks_for:
            a = self.breaks_for[0]
            parts = []
            for w in self.scenarios:
                wb = self._what_breaks(a, w)
                if wb.forced:
                    parts.append(f"under {_wname(w)} it cannot fail (the map or the worldview forces it)")
                    continue
                # (`loses` is always empty under completion semantics, docs/semantics.md: not shown)
                if not wb.breaks:
                    parts.append(f"under {_wname(w)} nothing breaks and "
                                 f"{count(len(wb.weakens), 'verdict weakens', 'verdicts weaken')}"
                                 + (" (some minimal supports need it)" if wb.weakens else "")
                                 + _undecided(wb.undecided))
                    continue
                parts.append(f"under {_wname(w)} {count(len(wb.breaks), 'verdict breaks', 'verdicts break')} "
                             f"({_list([tick(v) for v in wb.breaks])}) and "
                             f"{count(len(wb.weakens), 'weakens', 'weaken')}{_undecided(wb.undecided)}")
            w_show = next((w for w in self.scenarios if w), None)
            text = "; ".join(parts)
            out.append(f"{n}. **What breaks if {tick(a)} fails.** " + text[:1].upper() + text[1:]
                       + f". Reproduce: `argmap what-breaks {a}{_wflag(w_show)}`; "
                       f"[details](#what-breaks-if-{_slug(a).replace('.', '')}-fails).")
            n += 1
        # 3. the authors
        if self.authors:
            sp = self.split
            w1, w2 = self.authors
            kinds = (f"{count(len(sp.opposite), 'opposite stance')}, {len(sp.only_first)} taken only by {tick(w1)} "
                     f"(the other is silent) and {len(sp.only_second)} only by {tick(w2)}")
            total = len(sp.opposite) + len(sp.only_first) + len(sp.only_second)
            if sp.joint is None:
                joint = (f"They cannot be adopted together: they fix {_list(tick(x) for x in sp.opposite)} "
                         "oppositely.")
            elif sp.joint_status is None:
                joint = "Adopted together they are **inconsistent** with the map (see the tensions)."
            else:
                joint = f"Adopted together they are consistent: {_counts(sp.joint_status)}."
            flips = "; ".join(f"{tick(v)} {s1} → {s2}" for v, s1, s2 in sp.flips[:6])
            out.append(f"{n}. **Where the authors disagree.** {tick(w1)} and {tick(w2)} set {count(total, 'assumption')} "
                       f"differently: {kinds}. {count(len(sp.flips), 'verdict differs', 'verdicts differ')}"
                       + (f" ({flips}{'; …' if len(sp.flips) > 6 else ''})" if sp.flips else "")
                       + f". {joint} Reproduce: `argmap crux {w1} {w2}`; [details](#the-authors-compared).")
            n += 1
        # 4. tensions
        cross = [c for c in amap.conflicts if _cross_document(amap, c)]
        if amap.conflicts:
            firing = self._firing_under_authors()
            which = f": {_list([tick(c) for c in cross])}" if cross else ""
            out.append(f"{n}. **Cross-document tensions.** The map has {len(amap.conflicts)} conflict"
                       f"{'' if len(amap.conflicts) == 1 else 's'} (combinations that can never be true), "
                       f"{len(cross)} of them citing more than one document{which}."
                       + (f" {firing}" if firing else "")
                       + " Reproduce: `argmap check`; [details](#cross-document-tensions).")
            out += [f"   - {line}" for line in self._tension_quotes(cross)]
            n += 1
        # 5. probabilities and defaults
        carrying = [w for w in amap.worldviews if amap.worldviews[w].credences()]
        stated = {a for w in amap.worldviews.values() for a in w.credences()}
        unstated = [a for a in amap.assumptions if a not in stated]
        if carrying:
            shares = self.default_shares.get(carrying[0], [])
            mean = f"{100 * sum(shares) / len(shares):.0f}%" if shares else "—"
            out.append(f"{n}. **Probabilities mostly reflect default credences.** {len(unstated)} of "
                       f"{len(amap.assumptions)} assumptions {_have(len(unstated))} no stated credence in any "
                       f"worldview and {'counts' if len(unstated) == 1 else 'count'} as 0.5; under {tick(carrying[0])} assumptions at the default carry on average {mean} of "
                       f"a verdict's Birnbaum importance. Reproduce: `argmap prob -w {carrying[0]}`; "
                       "[details](#probabilities).")
        else:
            out.append(f"{n}. **No credences.** No worldview gives credences, so `argmap prob` uses the default "
                       "0.5 for every free assumption.")
        return "\n".join(out) + "\n"

    def _tension_quotes(self, cross: list[str]) -> list[str]:
        """One line per cross-document conflict: what it forbids and one quote per source."""
        amap = self.amap
        sources = {x.id: x for x in amap.sources.values()}
        out = []
        for cid in cross:
            c = amap.conflicts[cid]
            first: dict[str, object] = {}
            for cit in c.provenance.citations:
                first.setdefault(cit.source, cit)
            quotes = []
            for src_id, cit in first.items():
                src = sources.get(src_id)
                who = f"{src.by} {src.year}" if src and src.by and src.year else src_id
                quotes.append(f"“{md(cit.quote)}” ({md(who)}, {md(cit.locator)})")
            out.append(f"{tick(cid)}: never `{show(c.formula)}`; " + " vs ".join(quotes))
        return out

    def _what_breaks(self, a: str, w: str | None):
        from argmap.analysis.queries import what_breaks
        key = (a, w)
        cache = self.__dict__.setdefault("_wb", {})
        if key not in cache:
            cache[key] = what_breaks(self.amap, a, w)
        return cache[key]

    @property
    def split(self) -> AuthorSplit:
        if "_split" not in self.__dict__:
            self._split = author_split(self.amap, *self.authors)
        return self._split

    # -- the matrix
    def matrix(self) -> str:
        amap = self.amap
        cols = [None, *amap.worldviews]
        status = {w: _status_for(amap, amap.worldviews[w].fixed() if w else {}) for w in cols}
        mark = {"holds": "✔", "fails": "✘", "open": "·"}
        out = ["## Verdicts under every worldview\n",
               f"Each cell gives the four components {', '.join(COMPONENTS)} in that order: ✔ holds (the map and "
               "the worldview entail it), ✘ fails (they refute it), · open. Reproduce a column with "
               "`argmap verdicts -w W`.\n"]
        header = ["proposal", *[_wname(w) for w in cols]]
        rows = []
        for p in amap.proposals.values():
            row = [tick(p.id)]
            for w in cols:
                s = status[w]
                row.append("inconsistent" if s is None else " ".join(
                    mark[s[f"{p.id}.{c}"]] if f"{p.id}.{c}" in s else "–" for c in COMPONENTS))
            rows.append(row)
        rows.append(["**totals**", *["inconsistent" if status[w] is None else _counts(status[w]).replace(", ", "<br>")
                                     .replace("<br>", " / ") for w in cols]])
        out.append(_table(header, rows))
        out.append("")
        from argmap.render.view import worldviews_matrix_view
        columns = [("no worldview" if w is None else w, status[w]) for w in cols]
        out.append(self.figs.add("verdict-matrix", lambda: worldviews_matrix_view(amap, columns),
                                 "Every verdict under every worldview"))
        return "\n".join(out)

    # -- what breaks
    def breaks(self) -> str:
        from argmap.render.view import what_breaks_view
        amap = self.amap
        out = []
        for a in self.breaks_for:
            out.append(f"## What breaks if `{a}` fails\n")
            out.append(f"> {md(amap.text_of(a))}\n")
            rows, best, best_n = [], None, -1
            found = {w: self._what_breaks(a, w) for w in self.scenarios}
            # (a column of its own only when the time budget left some verdict undecided)
            open_ = any(wb.undecided for wb in found.values())
            for w, wb in found.items():
                if wb.forced:
                    rows.append([_wname(w), "forced: cannot fail", "", ""] + [""] * open_)
                    continue
                rows.append([_wname(w), str(len(wb.breaks)), str(len(wb.weakens))]
                            + [str(len(wb.undecided))] * open_ + [", ".join(tick(v) for v in wb.breaks) or "—"])
                if len(wb.breaks) > best_n:
                    best, best_n = w, len(wb.breaks)
            out.append(_table(["scenario", "breaks", "weakens"] + ["undecided"] * open_ + ["verdicts that break"],
                              rows))
            if open_:
                out.append("\nUndecided: verdicts whose effect the `--timeout` budget left unknown; each "
                           "weakens or is unaffected, so *weakens* may be higher. Raise `--timeout` to decide them.")
            weak = self._what_breaks(a, None)
            if weak.weakens:
                out.append(f"\nWeakened with no worldview (some minimal supports need {tick(a)}): "
                           + ", ".join(tick(v) for v in weak.weakens) + "." + _undecided(weak.undecided))
            out.append(f"\nReproduce: `argmap what-breaks {a}{_wflag(best)}`. The figure is drawn under "
                       f"{_wname(best)}.\n")
            out.append(self.figs.add(f"what-breaks-{a}", lambda a=a, w=best: what_breaks_view(
                amap, a, Scenario(worldview=w)), f"What breaks if {a} fails"))
        return "\n".join(out)

    # -- the authors compared
    def authors_section(self) -> str:
        amap = self.amap
        if not self.authors:
            return ("## The authors compared\n\nThe map does not have "
                    + " and ".join(tick(a) for a in self.requested_authors)
                    + " as two consistent worldviews (`--authors W1 W2` names them), so there is no comparison.\n")
        from argmap.analysis.double_crux import double_crux
        from argmap.render.view import compare_view
        w1, w2 = self.authors
        sp = self.split
        out = ["## The authors compared\n",
               f"{tick(w1)} against {tick(w2)}: every assumption they set differently, whether they take "
               "opposite stances or one takes a position the other leaves open, with the worldview's quote "
               f"for it. Reproduce: `argmap crux {w1} {w2}`.\n"]
        lines = {w: {ln.assumption: ln for ln in amap.worldviews[w].lines} for w in (w1, w2)}

        def stance(w, a):
            ln = lines[w].get(a)
            if ln is None or ln.kind == "credence" and a not in amap.worldviews[w].fixed():
                return "—"
            word = "assume" if amap.worldviews[w].fixed()[a] else "deny"
            cit = ln.provenance.citations[0] if ln.provenance.citations else None
            return word + (f": “{md(cit.quote)}” ({md(cit.locator)})" if cit else "")

        kind = {**{a: "opposite" for a in sp.opposite}, **{a: f"only {w1}" for a in sp.only_first},
                **{a: f"only {w2}" for a in sp.only_second}}
        order = sp.opposite + sp.only_first + sp.only_second
        out.append(_table(["assumption", "kind", w1, w2], [[tick(a), kind[a], stance(w1, a), stance(w2, a)]
                                                           for a in order]))
        out.append("")
        r = double_crux(amap, w1, w2)
        values = {d.assumption: d.second for d in r.differences}
        if r.verdicts:
            out.append(f"Verdicts whose status differs ({len(r.verdicts)}), with their smallest cruxes (minimal "
                       f"sets of differences that carry {tick(w1)}'s status to {tick(w2)}'s):\n")
            for v in r.verdicts:
                out.append(f"- {tick(v.verdict)}: {v.first} → {v.second}; cruxes: " + _cruxes_text(v, values))
        else:
            out.append("No verdict has a different status under the two.")
        out.append("")
        out.append(self.figs.add(f"compare-{w1}-{w2}", lambda: compare_view(amap, w1, w2, Scenario()),
                                 f"{w1} vs {w2}"))
        return "\n".join(out)

    # -- tensions
    def _tension_rows(self, scenarios):
        """cid → (fires, binds, idle) lists of scenario names, from the map's conflict statements."""
        from argmap.analysis.probability import compiled
        from argmap.analysis.queries import explain_conflict
        amap = self.amap
        comp = compiled(amap)
        b = comp.bdd
        eng = engine(amap)
        out = {}
        for cid, c in amap.conflicts.items():
            body = comp.formula(c.formula)
            cone = _cone(comp, c.formula)
            group = next((g for g, _ in comp.components if g & cone), set()) if cone else set()
            others = TRUE
            for oid, o in amap.conflicts.items():
                if oid != cid and _cone(comp, o.formula) & group:
                    others = b.conj(others, b.neg(comp.formula(o.formula)))
            allowed = b.conj(body, others)
            fires, binds, idle = [], [], []
            for name, fixed in scenarios:
                if not eng.consistent(fixed):
                    core = explain_conflict(amap, fixed)
                    if any(i.kind == "conflict" and i.id == cid for i in core):
                        lits = [i.id if i.text.startswith("assume") else f"not {i.id}" for i in core
                                if i.kind == "fixed"]
                        fires.append(f"{name} (with {', '.join(tick(x) if _ID.match(x) else f'`{x}`' for x in lits) or 'the map alone'})")
                    continue
                witness = _witness(comp, allowed, fixed)
                if witness is None:
                    idle.append(name)
                else:
                    shown = ", ".join(f"`{a}`" if v else f"`not {a}`" for a, v in witness) or "nothing more"
                    binds.append(f"{name} (e.g. with {shown})")
            out[cid] = (fires, binds, idle)
        return out

    def _author_scenarios(self):
        out = [("no worldview", {})]
        if self.authors:
            w1, w2 = self.authors
            out += [(tick(w), self.amap.worldviews[w].fixed()) for w in (w1, w2)]
            if self.split.joint is not None:
                out.append((f"{tick(w1)} + {tick(w2)}", self.split.joint))
        return out

    def _firing_under_authors(self) -> str:
        rows = self.__dict__.setdefault("_tension_authors", self._tension_rows(self._author_scenarios()))
        fired = [f"{tick(c)} fires under {', '.join(f.split(' (')[0] for f in fires)}"
                 for c, (fires, _, _) in rows.items() if fires]
        binding = [tick(c) for c, (_, binds, _) in rows.items() if binds]
        out = []
        if fired:
            out.append("; ".join(fired) + ".")
        elif self.authors and self.split.joint is not None:
            out.append("None fires under either author's leanings or both together.")
        if binding:
            out.append(f"{len(binding)} bind (rule out some otherwise possible worlds) under at least one of "
                       "these scenarios.")
        return " ".join(out)

    def tensions(self) -> str:
        amap = self.amap
        out = ["## Cross-document tensions\n",
               "Each `conflict` of the map says a combination can never be true, with the quotes it rests on. "
               "Under a scenario a conflict **fires** when the scenario forces the forbidden combination "
               "(the scenario is inconsistent), **binds** when it rules out worlds the scenario would "
               "otherwise allow (an example is given), and is idle otherwise. The scenarios here are no "
               "worldview, each author's leanings and both together; every other worldview and pair is in "
               "[the appendix](#c-tensions-under-every-scenario).\n"]
        if not amap.conflicts:
            return "\n".join(out + ["The map has no conflicts.\n"])
        rows = self.__dict__.setdefault("_tension_authors", self._tension_rows(self._author_scenarios()))
        sources = {s.id: s for s in amap.sources.values()}
        cross = [c for c in amap.conflicts if _cross_document(amap, c)]
        if not cross:
            out.append("No conflict of the map cites more than one document.\n")
        for cid in cross:
            c = amap.conflicts[cid]
            out.append(f"### `{cid}`\n")
            files = sorted({amap.span_of(r.name).file for r in _refs(c.formula) if amap.span_of(r.name)})
            out.append(f"Never: `{show(c.formula)}` ({md(c.span.file)}:{c.span.line}); links "
                       + ", ".join(md(f) for f in files) + ".\n")
            for cit in c.provenance.citations:
                src = sources.get(cit.source)
                who = f"{src.by}, {src.year}" if src and src.by and src.year else cit.source
                out.append(f"> “{md(cit.quote)}” ({md(who)}, {md(cit.locator)})\n")
            for note in c.provenance.notes:
                out.append(f"*Note:* {md(note)}\n")
            fires, binds, idle = rows[cid]
            if fires:
                out.append("- **fires** under " + "; ".join(fires))
            if binds:
                out.append("- **binds** under " + "; ".join(binds))
            if idle:
                out.append("- idle under " + ", ".join(idle))
            out.append("")
        within = [c for c in amap.conflicts if c not in cross]
        if within:
            out.append(f"The map's other {count(len(within), 'conflict stays', 'conflicts stay')} within one document: "
                       + ", ".join(tick(c) for c in within) + " ([appendix C](#c-tensions-under-every-scenario)).\n")
        return "\n".join(out)

    # -- probabilities
    @property
    def default_shares(self) -> dict[str, list[float]]:
        if "_shares" not in self.__dict__:
            self._compute_probabilities()
        return self._shares

    def _compute_probabilities(self):
        from argmap.analysis.probability import credences, importance, probabilities
        from argmap.engine import budget
        amap = self.amap
        self._shares, self._prob = {}, {}
        carrying = [w for w in amap.worldviews if amap.worldviews[w].credences()]
        # the decision diagrams share half of the time left, each worldview an equal part of it
        with budget.share(PROBABILITIES_SHARE):
            for k, w in enumerate(carrying):
                cred = credences(amap, w)
                try:
                    with budget.share(1 / (len(carrying) - k)):
                        result = probabilities(amap, cred)
                        if not result.consistent:
                            self._prob[w] = (cred, None, {})
                            continue
                        share = {v: _default_share(importance(amap, v, cred), set(cred.defaulted))
                                 for v in amap.verdicts}
                except InconclusiveError as exc:
                    self._prob[w] = (cred, str(exc), {})
                    self.report.problems.append(f"probabilities under {w}: {exc}")
                    continue
                self._prob[w] = (cred, result, share)
                self._shares[w] = [s for s in share.values() if s is not None]

    def probabilities(self) -> str:
        amap = self.amap
        self.default_shares
        out = ["## Probabilities\n"]
        stated = {a for w in amap.worldviews.values() for a in w.credences()}
        unstated = [a for a in amap.assumptions if a not in stated]
        if not self._prob:
            out.append("No worldview of the map gives credences (`credence A p`); `argmap prob` would use the "
                       "default 0.5 for every free assumption.\n")
        for w, (cred, result, share) in self._prob.items():
            out.append(f"### Under `{w}`\n")
            if result is None:
                out.append("The worldview is inconsistent with the map.\n")
                continue
            if isinstance(result, str):
                out.append(f"*Not computed within the time budget ({md(result)}).* Raise `--timeout`, or run "
                           f"`argmap prob -w {w}` on its own.\n")
                continue
            out.append(f"{count(len(cred.given), 'credence given', 'credences given')}, "
                       f"{count(len(cred.fixed), 'assumption fixed', 'assumptions fixed')}, "
                       f"**{len(cred.defaulted)} of {len(amap.assumptions)} at the default 0.5**. Each cell is "
                       "P(verdict | no conflict fires) and, in brackets, the share of the verdict's Birnbaum "
                       "importance carried by assumptions at the default: the higher it is, the more the number "
                       f"reflects the default rather than a stated belief. Reproduce: `argmap prob -w {w}` "
                       f"(and `--verdict V` for the importance table, docs/importance.md).\n")
            rows = []
            for p in amap.proposals:
                row = [tick(p)]
                for c in COMPONENTS:
                    v = f"{p}.{c}"
                    if v not in result.verdicts:
                        row.append("")
                        continue
                    s = share.get(v)
                    row.append(f"{result.verdicts[v]:.2f}" + (f" ({100 * s:.0f}%)" if s is not None else ""))
                rows.append(row)
            out.append(_table(["proposal", *COMPONENTS], rows))
            out.append("")
        out.append(f"**Assumptions without a stated credence in any worldview ({len(unstated)} of "
                   f"{len(amap.assumptions)}):** " + (", ".join(tick(a) for a in unstated) or "none") + ".\n")
        return "\n".join(out)

    # -- appendix
    def appendix(self) -> str:
        amap = self.amap
        out = ["## Appendix\n", "### A. Top cruxes\n",
               "Assumptions ranked by what their failure does under no worldview: verdicts it makes fail "
               "(breaks), then those that lose some minimal supports (weakens). Reproduce: `argmap cruxes`.\n"]
        top = self.ranked[:TOP_CRUXES]
        open_ = any(c.undecided for c in top)
        rows = [[str(i), tick(c.assumption), md(amap.text_of(c.assumption)), str(len(c.breaks)),
                 str(len(c.weakens))] + [str(len(c.undecided))] * open_ for i, c in enumerate(top, 1)]
        if self.cruxes_missing:
            out.append(f"*Not ranked within the time budget ({md(self.cruxes_missing)}).* Raise `--timeout`, or "
                       "run `argmap cruxes` on its own.")
        else:
            out.append(_table(["rank", "assumption", "text", "breaks", "weakens"] + ["undecided"] * open_, rows)
                       if rows else "No assumption's failure changes any verdict.")
        if open_:
            out.append("\nUndecided: verdicts whose effect the `--timeout` budget left unknown (each weakens "
                       "or is unaffected), so the ranking by *weakens* may change with a larger budget.")
        out.append("")
        if top:
            from argmap.render.view import cruxes_view
            out.append(self.figs.add("cruxes", lambda: cruxes_view(amap, Scenario(), top=TOP_CRUXES),
                                     "Top cruxes, in rank order"))
        self.progress("other worldview pairs")
        out.append(self._other_pairs())
        self.progress("tensions under every scenario")
        out.append(self._all_tensions())
        return "\n".join(out)

    def _other_pairs(self) -> str:
        from argmap.analysis.double_crux import double_crux
        amap = self.amap
        out = ["### B. Every other pair of worldviews\n",
               "For each pair (first → second, in declaration order): how they differ and the verdicts that "
               f"differ with their smallest cruxes (`argmap crux W1 W2`; at most {MAX_CRUXES_SHOWN} shown).\n"]
        rows, details = [], []
        pairs = [p for p in itertools.combinations(self.consistent, 2)
                 if not self.authors or set(p) != set(self.authors)]
        for w1, w2 in pairs:
            r = double_crux(amap, w1, w2)
            sp = author_split(amap, w1, w2)
            rows.append([tick(w1), tick(w2), str(len(sp.opposite)), str(len(sp.only_first) + len(sp.only_second)),
                         str(len(r.verdicts))])
            if not r.verdicts:
                continue
            values = {d.assumption: d.second for d in r.differences}
            details.append(f"**{tick(w1)} → {tick(w2)}**\n")
            details += [f"- {tick(v.verdict)}: {v.first} → {v.second}; cruxes: " + _cruxes_text(v, values)
                        for v in r.verdicts]
            details.append("")
        out.append(_table(["first", "second", "opposite stances", "one silent", "verdicts that differ"], rows)
                   if rows else "No other pair of consistent worldviews.")
        out.append("")
        return "\n".join(out + details)

    def _all_tensions(self) -> str:
        amap = self.amap
        out = ["### C. Tensions under every scenario\n",
               "Every worldview alone and every pair of worldviews adopted together (pairs that fix an "
               "assumption oppositely have no joint scenario and are left out).\n"]
        if not amap.conflicts:
            return "\n".join(out + ["The map has no conflicts.\n"])
        rows = self._tension_rows(_scenarios(amap))
        for cid, (fires, binds, idle) in rows.items():
            out.append(f"- {tick(cid)}: **fires** under {len(fires)}"
                       + (f" ({'; '.join(fires)})" if fires else "")
                       + f"; binds under {len(binds)}; idle under {len(idle)}.")
        out.append("")
        return "\n".join(out)

    def _section(self, title: str, make) -> str:
        """A section, or where it would be a line saying that the time budget ran out first."""
        try:
            return make()
        except InconclusiveError as exc:
            self.report.problems.append(f"section {title!r}: {exc}")
            return f"## {title}\n\n*Not computed within the time budget ({md(exc)}).* Raise `--timeout`.\n"

    def build(self) -> Report:
        amap = self.amap
        self.progress("key findings")
        findings = self._section("Key findings", self.findings)
        self.progress("verdict matrix")
        matrix = self._section("Verdicts under every worldview", self.matrix)
        self.progress("what breaks")
        breaks = self._section("What breaks", self.breaks)
        self.progress("authors")
        authors = self._section("The authors compared", self.authors_section)
        self.progress("tensions")
        tensions = self._section("Cross-document tensions", self.tensions)
        self.progress("probabilities")
        probs = self._section("Probabilities", self.probabilities)
        appendix = self._section("Appendix", self.appendix)
        parts = ["# Findings report\n",
                 _summary(amap),
                 "Contents: [key findings](#key-findings) · [verdict matrix](#verdicts-under-every-worldview) · "
                 "[what breaks](#what-breaks-if-" + (_slug(self.breaks_for[0]).replace(".", "") if self.breaks_for
                                                     else "") + "-fails) · "
                 "[the authors compared](#the-authors-compared) · [tensions](#cross-document-tensions) · "
                 "[probabilities](#probabilities) · [appendix](#appendix)\n",
                 findings, matrix, breaks, authors, tensions, probs, appendix]
        text = "\n".join(p.rstrip("\n") + "\n" for p in parts)
        self.report.markdown = re.sub(r"\n{3,}", "\n\n", text)
        return self.report


def _cruxes_text(v, values) -> str:
    shown = ["{" + ", ".join(f"{'free' if values[a] is None else 'assume' if values[a] else 'deny'} `{a}`"
                             for a in crux) + "}" for crux in v.cruxes[:MAX_CRUXES_SHOWN]]
    more = f" (+{len(v.cruxes) - MAX_CRUXES_SHOWN} more)" if len(v.cruxes) > MAX_CRUXES_SHOWN else ""
    return " or ".join(shown) + more


def _scenarios(amap: ArgumentMap) -> list[tuple[str, dict[str, bool]]]:
    """No worldview, each worldview, and each pair of worldviews adopted together (when they do
    not fix an assumption oppositely: such a pair has no joint scenario to speak of)."""
    out = [("no worldview", {})]
    fixed = {w: amap.worldviews[w].fixed() for w in amap.worldviews}
    out += [(tick(w), fixed[w]) for w in amap.worldviews]
    for w1, w2 in itertools.combinations(amap.worldviews, 2):
        if any(a in fixed[w2] and fixed[w2][a] != v for a, v in fixed[w1].items()):
            continue
        out.append((f"{tick(w1)} + {tick(w2)}", {**fixed[w1], **fixed[w2]}))
    return out


def _cone(comp, formula) -> frozenset[str]:
    out: set[str] = set()
    for r in _refs(formula):
        out |= comp.cone(r.name)
    return frozenset(out)


def _refs(formula):
    from argmap.language.model import refs
    return refs(formula)


def _witness(comp, allowed: int, fixed: dict[str, bool]) -> list[tuple[str, bool]] | None:
    """A shortest set of extra literals under which the scenario allows the forbidden combination
    (as far as the other conflicts go), or None if it cannot: a fewest-decisions path in the BDD."""
    b = comp.bdd
    u = allowed
    for a, v in fixed.items():
        u = b.conj(u, comp.nodes[a] if v else b.neg(comp.nodes[a]))
    if u == 0:
        return None
    cost: dict[int, tuple[int, int]] = {1: (0, 1)}
    for n in reversed(b.reachable(u)):
        options = [(cost[w][0] + 1, i, w) for i, w in ((0, b.low[n]), (1, b.high[n])) if w in cost]
        best = min(options)
        cost[n] = (best[0], best[1])
    by_var = {v: a for a, v in comp.var.items()}
    out, n = [], u
    while n > 1:
        choice = cost[n][1]
        a = by_var[b.var_of(n)]
        if a not in fixed:
            out.append((a, bool(choice)))
        n = b.high[n] if choice else b.low[n]
    order = {a: i for i, a in enumerate(comp.amap.assumptions)}
    return sorted(out, key=lambda lv: order[lv[0]])


def build_report(amap: ArgumentMap, figures: bool = True, what_breaks: list[str] | None = None,
                 authors: tuple[str, str] = AUTHORS, progress=None) -> Report:
    """The whole report in memory (the CLI writes it). ``what_breaks``: assumptions that get their
    own section (default: the headline one plus the top cruxes); ``authors``: the two worldviews
    compared in the body; ``progress(step)`` is called as each part starts."""
    from argmap.analysis.queries import require_assumption
    for a in what_breaks or ():
        require_assumption(amap, a)
    if tuple(authors) != AUTHORS:            # named by the user: must exist (the defaults may not)
        for w in authors:
            Scenario(worldview=w).fixed(amap)
    if figures:
        from argmap.render.graphviz_run import find_tool
        find_tool("dot")                       # ToolMissingError (exit 4) with an install hint
    return _Builder(amap, figures, list(what_breaks or []), tuple(authors), progress).build()


def report_files(report: Report) -> dict[str, bytes]:
    """Relative path → bytes of everything the report folder holds."""
    return {"README.md": report.markdown.encode("utf-8"), **report.figures}


def write_report(report: Report, out_dir: str, inputs: set[str] = frozenset(), force: bool = False) -> list[str]:
    """Write README.md and the figures under the rules of argmap.outputs (a folder that is new,
    empty or argmap's own; no links followed; stale figures of an earlier run removed). Returns
    the paths, README.md first."""
    from argmap.outputs import write_report_folder
    written = write_report_folder(out_dir, report_files(report), inputs, force)
    readme = str(Path(out_dir) / "README.md")
    return [readme] + [p for p in written if p != readme]
