"""The findings report: `argmap report -o DIR` writes DIR/README.md and DIR/figures/*.svg.

Sections: the verdict matrix under each worldview, the top cruxes, what breaks for the five most
load-bearing assumptions, cross-document tensions (conflicts), worldview comparisons (double
cruxes), and probabilities under the worldviews that carry credences.

Tables come from the query modules; figures from argmap.render (the same views `argmap render`
draws), so the report and the command line never disagree. Output is deterministic: declaration
order everywhere, no dates, figures named after ids; same map → same bytes (given the same
Graphviz).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path

from argmap.engine.bdd import TRUE
from argmap.language.model import COMPONENTS, ArgumentMap, show
from argmap.analysis.queries import Scenario, engine

TOP_CRUXES = 10
TOP_BREAKS = 5
MAX_CRUXES_SHOWN = 3          # per verdict in the comparisons


@dataclass
class Report:
    markdown: str
    figures: dict[str, bytes] = field(default_factory=dict)     # relative path → SVG bytes
    problems: list[str] = field(default_factory=list)            # figures that could not be drawn


def md(text: str) -> str:
    """Map text inside a Markdown table cell or line: no pipes, no line breaks, no raw HTML."""
    text = re.sub(r"\s+", " ", str(text))
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9_.-]+", "-", name.lower())


def _table(header: list[str], rows: list[list[str]]) -> str:
    out = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(out)


def _status_for(amap: ArgumentMap, fixed: dict[str, bool]) -> dict[str, str] | None:
    eng = engine(amap)
    if not eng.consistent(fixed):
        return None
    values = eng.values(fixed, list(amap.verdicts))
    return {n: ("open" if v is None else "holds" if v else "fails") for n, v in values.items()}


MARK = {"holds": "✔ holds", "fails": "✘ fails", "open": "open", None: "inconsistent"}


class _Figures:
    """Draws views through argmap.render; collects SVGs or, per figure, why it could not."""

    def __init__(self, report: Report, enabled: bool):
        self.report = report
        self.enabled = enabled

    def add(self, name: str, make_view, alt: str) -> str:
        if not self.enabled:
            return ""
        from argmap.language.diagnostics import InconclusiveError
        from argmap.render import graphviz_run
        from argmap.render.dot import to_dot
        from argmap.render.svgcheck import check_svg
        path = f"figures/{_slug(name)}.svg"
        try:
            view = make_view()
            out = graphviz_run.render(to_dot(view), "svg", edges=len(view.edges))
            check_svg(out.data)
        except InconclusiveError as exc:          # a layout that fails or times out: say so, go on
            self.report.problems.append(f"{path}: {exc}")
            return f"*(figure {path} could not be drawn: {md(exc)})*\n"
        self.report.figures[path] = out.data
        return f"![{md(alt)}]({path})\n"


# ---- sections ---------------------------------------------------------------------------------
def _summary(amap: ArgumentMap) -> str:
    from argmap.words import count
    return (f"The map has {count(len(amap.assumptions), 'assumption')}, {count(len(amap.claims), 'claim')}, "
            f"{count(len(amap.proposals), 'proposal')} with {count(len(amap.verdicts), 'verdict')}, "
            f"{count(len(amap.conflicts), 'conflict')} and {count(len(amap.worldviews), 'worldview')}, in "
            f"{count(len(amap.files), 'file')}. A verdict *holds* when the map and the worldview entail it, "
            f"*fails* when they refute it, and is *open* otherwise.\n")


def _matrix(amap: ArgumentMap, figs: _Figures) -> str:
    scenarios = [None, *amap.worldviews]
    statuses = {w: _status_for(amap, Scenario(worldview=w).fixed(amap)) for w in scenarios}
    header = ["verdict", "no worldview", *[f"`{w}`" for w in amap.worldviews]]
    rows = []
    for v in amap.verdicts:
        rows.append([f"`{v}`"] + [MARK[statuses[w][v]] if statuses[w] else MARK[None] for w in scenarios])
    out = ["## Verdicts under each worldview\n",
           "Rows are verdicts (`proposal.component`), columns the empty worldview and each worldview of "
           "the map.\n", _table(header, rows), ""]
    counts = []
    for w in scenarios:
        s = statuses[w]
        name = f"`{w}`" if w else "no worldview"
        if s is None:
            counts.append(f"- {name}: inconsistent (see `argmap verdicts --worldview {w}`)")
        else:
            n = {k: sum(x == k for x in s.values()) for k in ("holds", "fails", "open")}
            counts.append(f"- {name}: {n['holds']} hold, {n['fails']} fail, {n['open']} open")
    out += counts + [""]
    from argmap.render.view import matrix_view
    for w in scenarios:
        if statuses[w] is None:
            continue
        title = f"Verdict matrix under {'worldview ' + w if w else 'no worldview'}"
        out.append(f"### {title}\n")
        out.append(figs.add(f"matrix-{w or 'none'}", lambda w=w: matrix_view(amap, Scenario(worldview=w)), title))
    return "\n".join(out)


def _cruxes(amap: ArgumentMap, figs: _Figures):
    from argmap.analysis.queries import cruxes
    ranked = cruxes(amap).cruxes
    top = [c for c in ranked if c.score > 0][:TOP_CRUXES]
    rows = [[str(i), f"`{c.assumption}`", md(amap.text_of(c.assumption)), str(len(c.breaks)), str(len(c.loses)),
             str(len(c.weakens))] for i, c in enumerate(top, 1)]
    out = ["## Top cruxes\n",
           "Assumptions ranked by what their failure does under no worldview: the verdicts it makes fail "
           "(breaks), then those that stop holding (loses), then those that lose some of their minimal "
           "supports (weakens); `argmap cruxes` gives the full list.\n",
           _table(["rank", "assumption", "text", "breaks", "loses", "weakens"], rows) if rows
           else "No assumption's failure changes any verdict.", ""]
    if top:
        from argmap.render.view import cruxes_view
        out.append(figs.add("cruxes", lambda: cruxes_view(amap, Scenario(), top=TOP_CRUXES), "Top cruxes"))
    return "\n".join(out), top


def _breaks(amap: ArgumentMap, top, figs: _Figures) -> str:
    from argmap.render.view import what_breaks_view
    out = [f"## What breaks: the {min(TOP_BREAKS, len(top))} most load-bearing assumptions\n",
           "For each, the verdicts that change if it fails (`argmap what-breaks A`), under no worldview.\n"]
    for c in top[:TOP_BREAKS]:
        out.append(f"### `{c.assumption}`\n")
        out.append(f"> {md(amap.text_of(c.assumption))}\n")
        for kind, items in (("breaks (now fails)", c.breaks), ("loses (no longer holds)", c.loses),
                            ("weakens (loses some minimal supports)", c.weakens)):
            if items:
                out.append(f"- **{kind}**: " + ", ".join(f"`{v}`" for v in items))
        out.append("")
        out.append(figs.add(f"what-breaks-{c.assumption}",
                            lambda a=c.assumption: what_breaks_view(amap, a, Scenario()),
                            f"What breaks if {c.assumption} fails"))
    return "\n".join(out)


def _scenarios(amap: ArgumentMap) -> list[tuple[str, dict[str, bool]]]:
    """No worldview, each worldview, and each pair of worldviews adopted together (when they do
    not fix an assumption oppositely: such a pair has no joint scenario to speak of)."""
    out = [("no worldview", {})]
    fixed = {w: amap.worldviews[w].fixed() for w in amap.worldviews}
    out += [(f"`{w}`", fixed[w]) for w in amap.worldviews]
    for w1, w2 in itertools.combinations(amap.worldviews, 2):
        if any(a in fixed[w2] and fixed[w2][a] != v for a, v in fixed[w1].items()):
            continue
        out.append((f"`{w1}` + `{w2}`", {**fixed[w1], **fixed[w2]}))
    return out


def _tensions(amap: ArgumentMap) -> str:
    from argmap.analysis.probability import compiled
    from argmap.analysis.queries import explain_conflict
    out = ["## Cross-document tensions\n",
           "Each conflict says that a combination can never be true. Under a scenario (no worldview, a "
           "worldview, or two worldviews adopted together) a conflict *fires* when the scenario forces "
           "the forbidden combination, so the scenario is inconsistent (the minimal conflicting set is "
           "shown); it *binds* when the scenario would otherwise allow the combination, so the conflict "
           "rules out some ways the world could be (an example is shown); otherwise the scenario already "
           "excludes the combination and the conflict is idle there.\n"]
    if not amap.conflicts:
        return "\n".join(out + ["The map has no conflicts.\n"])
    comp = compiled(amap)
    b = comp.bdd
    scenarios = _scenarios(amap)
    eng = engine(amap)
    for cid, c in amap.conflicts.items():
        body = comp.formula(c.formula)
        files = sorted({amap.span_of(r.name).file for r in _refs(c.formula) if amap.span_of(r.name)})
        # only the conflicts that share assumptions with this one can stop its combination
        group = next(g for g, _ in comp.components if g & _cone(comp, c.formula)) if _cone(comp, c.formula) else set()
        others = TRUE
        for oid, o in amap.conflicts.items():
            if oid != cid and _cone(comp, o.formula) & group:
                others = b.conj(others, b.neg(comp.formula(o.formula)))
        allowed = b.conj(body, others)
        out.append(f"### `{cid}`\n")
        out.append(f"Never: `{md(show(c.formula))}` ({c.span.file}:{c.span.line}); links "
                   + ", ".join(f"`{f}`" for f in files) + ".\n")
        for cit in c.provenance.citations[:1]:
            out.append(f"> “{md(cit.quote)}” ({md(cit.source)}, {md(cit.locator)})\n")
        fires, binds, idle = [], [], []
        for name, fixed in scenarios:
            if not eng.consistent(fixed):
                core = explain_conflict(amap, fixed)
                if any(i.kind == "conflict" and i.id == cid for i in core):
                    lits = [i.id if i.text.startswith("assume") else f"not {i.id}" for i in core if i.kind == "fixed"]
                    fires.append(f"{name} (with {', '.join(f'`{x}`' for x in lits) or 'the map alone'})")
                continue
            witness = _witness(comp, allowed, fixed)
            if witness is None:
                idle.append(name)
            else:
                shown = ", ".join(f"`{a}`" if v else f"`not {a}`" for a, v in witness) or "nothing more"
                binds.append(f"{name} (e.g. with {shown})")
        if fires:
            out.append("- **fires** under " + "; ".join(fires))
        if binds:
            out.append(f"- **binds** under {len(binds)} scenario(s): " + "; ".join(binds[:4])
                       + (f"; and {len(binds) - 4} more" if len(binds) > 4 else ""))
        if idle:
            out.append("- idle under " + ", ".join(idle[:8]) + (f" and {len(idle) - 8} more" if len(idle) > 8 else ""))
        out.append("")
    return "\n".join(out)


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
    by_level = {lvl: a for a, lvl in comp.level.items()}
    out, n = [], u
    while n > 1:
        choice = cost[n][1]
        a = by_level[b.level[n]]
        if a not in fixed:
            out.append((a, bool(choice)))
        n = b.high[n] if choice else b.low[n]
    order = {a: i for i, a in enumerate(comp.amap.assumptions)}
    return sorted(out, key=lambda lv: order[lv[0]])


def _comparisons(amap: ArgumentMap, figs: _Figures) -> str:
    from argmap.analysis.double_crux import double_crux
    from argmap.render.view import compare_view
    out = ["## Worldview comparisons\n",
           "For each pair of worldviews (first → second, in declaration order): the verdicts whose status "
           "differs and their smallest cruxes, minimal sets of assumptions on which adopting the second "
           "worldview's values turns the first's status into the second's (`argmap crux W1 W2`; "
           f"at most {MAX_CRUXES_SHOWN} shown per verdict).\n"]
    consistent = [w for w in amap.worldviews if engine(amap).consistent(amap.worldviews[w].fixed())]
    rows, details = [], []
    for w1, w2 in itertools.combinations(consistent, 2):
        r = double_crux(amap, w1, w2)
        rows.append([f"`{w1}`", f"`{w2}`", str(len(r.differences)), str(len(r.verdicts))])
        if not r.verdicts:
            continue
        values = {d.assumption: d.second for d in r.differences}
        details.append(f"### `{w1}` → `{w2}`\n")
        for v in r.verdicts:
            shown = []
            for crux in v.cruxes[:MAX_CRUXES_SHOWN]:
                shown.append("{" + ", ".join(
                    f"{'free' if values[a] is None else 'assume' if values[a] else 'deny'} `{a}`" for a in crux) + "}")
            more = f" (+{len(v.cruxes) - MAX_CRUXES_SHOWN} more)" if len(v.cruxes) > MAX_CRUXES_SHOWN else ""
            details.append(f"- `{v.verdict}`: {v.first} → {v.second}; cruxes: " + " or ".join(shown) + more)
        details.append("")
        details.append(figs.add(f"compare-{w1}-{w2}", lambda a=w1, c=w2: compare_view(amap, a, c, Scenario()),
                                f"{w1} vs {w2}"))
    out.append(_table(["first", "second", "assumptions set differently", "verdicts that differ"], rows)
               if rows else "The map has fewer than two consistent worldviews.")
    out.append("")
    return "\n".join(out + details)


def _probabilities(amap: ArgumentMap) -> str:
    from argmap.analysis.probability import credences, importance, probabilities
    carrying = [w for w in amap.worldviews if amap.worldviews[w].credences()]
    out = ["## Probabilities\n"]
    if not carrying:
        return "\n".join(out + ["No worldview of the map gives credences (`credence A p`), so there is "
                                "nothing to compute; `argmap prob` works with the default credence.\n"])
    out.append("Exact P(verdict | no conflict fires) under each worldview that gives credences "
               "(`argmap prob --worldview W`). Assumptions the worldview neither fixes nor gives a "
               "credence count as 0.5. The last column names the assumptions with the largest Birnbaum "
               "importance for the verdict (see docs/importance.md).\n")
    for w in carrying:
        cred = credences(amap, w)
        result = probabilities(amap, cred)
        out.append(f"### `{w}`\n")
        if not result.consistent:
            out.append("The worldview is inconsistent with the map.\n")
            continue
        out.append(f"{len(cred.given)} credences given, {len(cred.fixed)} assumptions fixed, "
                   f"{len(cred.defaulted)} of {len(amap.assumptions)} at the default 0.5.\n")
        rows = []
        for v in amap.verdicts:
            table = importance(amap, v, cred)
            top = [r for r in table.assumptions if r.birnbaum and not r.fixed][:3]
            rows.append([f"`{v}`", f"{result.verdicts[v]:.3f}",
                         ", ".join(f"`{r.assumption}` ({r.birnbaum:+.2f})" for r in top) or "—"])
        out.append(_table(["verdict", "P", "most important (Birnbaum)"], rows))
        out.append("")
        matrix = [[f"`{p}`"] + [f"{result.verdicts[f'{p}.{c}']:.2f}" if f"{p}.{c}" in result.verdicts else ""
                                for c in COMPONENTS] for p in amap.proposals]
        out.append(_table(["proposal", *COMPONENTS], matrix))
        out.append("")
    return "\n".join(out)


def build_report(amap: ArgumentMap, figures: bool = True) -> Report:
    """The whole report in memory (the CLI writes it)."""
    report = Report(markdown="")
    figs = _Figures(report, figures)
    if figures:
        from argmap.render.graphviz_run import find_tool
        find_tool("dot")                       # ToolMissingError (exit 4) with an install hint
    parts = ["# Findings report\n",
             "Generated by `argmap report` from the map; every number below can be reproduced with the "
             "command named in its section.\n", _summary(amap),
             "Contents: [verdicts](#verdicts-under-each-worldview) · [cruxes](#top-cruxes) · "
             "[what breaks](#what-breaks-the-5-most-load-bearing-assumptions) · "
             "[tensions](#cross-document-tensions) · [comparisons](#worldview-comparisons) · "
             "[probabilities](#probabilities)\n"]
    parts.append(_matrix(amap, figs))
    crux_text, top = _cruxes(amap, figs)
    parts.append(crux_text)
    parts.append(_breaks(amap, top, figs))
    parts.append(_tensions(amap))
    parts.append(_comparisons(amap, figs))
    parts.append(_probabilities(amap))
    text = "\n".join(p.rstrip("\n") + "\n" for p in parts)
    report.markdown = re.sub(r"\n{3,}", "\n\n", text)
    return report


def write_report(report: Report, out_dir: str) -> list[str]:
    """Write README.md and the figures; remove stale figures of earlier runs. Returns the paths."""
    root = Path(out_dir)
    root.mkdir(parents=True, exist_ok=True)
    (root / "figures").mkdir(exist_ok=True)
    written = []
    for old in sorted((root / "figures").glob("*.svg")):
        if f"figures/{old.name}" not in report.figures:
            old.unlink()
    for rel, data in sorted(report.figures.items()):
        (root / rel).write_bytes(data)
        written.append(str(root / rel))
    (root / "README.md").write_text(report.markdown, encoding="utf-8")
    written.insert(0, str(root / "README.md"))
    return written
