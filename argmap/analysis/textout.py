"""Human-readable text for the query results (the JSON comes straight from the results' ``model_dump``)."""

from __future__ import annotations

from argmap.language.model import COMPONENTS, ArgumentMap

SINGLES_INLINE = 8     # single needs named on a what-breaks line (wide verdicts have a hundred)
MARK = {"holds": "holds", "fails": "FAILS", "open": "open", "inconsistent": "INCONSISTENT"}


def _table(rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(r, widths)).rstrip() for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def verdict_table(amap: ArgumentMap, statuses: dict[str, str]) -> str:
    rows = [["proposal", *COMPONENTS]]
    for pid in amap.proposals:
        row = [pid]
        for comp in COMPONENTS:
            vid = f"{pid}.{comp}"
            row.append(MARK[statuses[vid]] if vid in statuses else "-")
        rows.append(row)
    counts = {k: sum(v == k for v in statuses.values()) for k in ("holds", "fails", "open")}
    return _table(rows) + f"\n\n{counts['holds']} hold, {counts['fails']} fail, {counts['open']} open"


def literal(name: str, value: bool) -> str:
    return name if value else f"not {name}"


def why_text(amap: ArgumentMap, result, scenario: str, all_supports: bool = False) -> str:
    """The needs first (factored, numbered), then the supports: in full when they are few."""
    from argmap.analysis.needstext import NEEDS_SHOWN, SUPPORTS_IN_FULL, needs_lines, stopped
    out = [f"{result.verdict}: {amap.text_of(result.verdict)}",
           f"status under {scenario}: {result.status}"]
    out += needs_lines(result.verdict, result.status, result.needs, result.needs_truncated,
                       stopped_by=result.needs_stopped_by)
    if result.status == "fails":
        out.append("no minimal support: it cannot hold here")
        return "\n".join(out)
    if result.supports == [{}]:
        out.append("it holds without any further assumption")
        return "\n".join(out)
    used: dict[str, None] = {}
    for c in result.needs[:NEEDS_SHOWN]:          # the assumptions the printed needs name
        used.update(dict.fromkeys(sorted(c)))
    n = f"{len(result.supports)}{'+, truncated' if result.truncated else ''}"
    if result.stopped_by == "shown":
        n = f"more than {len(result.supports) - 1}"
    if all_supports or len(result.supports) <= SUPPORTS_IN_FULL:
        out.append(f"minimal supports ({n}):")
        for i, s in enumerate(result.supports, 1):
            out.append(f"  {i:>2}. " + " and ".join(literal(k, v) for k, v in sorted(s.items())))
            used.update(dict.fromkeys(sorted(s)))
        if result.truncated:
            out.append(f"  ({stopped(result.stopped_by)})")
    else:
        out.append(f"holds in {n} minimal ways (argmap why {result.verdict} --supports lists them)")
        if result.truncated:
            out.append(f"  ({stopped(result.stopped_by)})")
    if used:
        out.append("where:")
        out += [f"  {a}: {amap.text_of(a)}" for a in sorted(used)]
    return "\n".join(out)


def what_breaks_text(amap: ArgumentMap, result, scenario: str, shown: int | None = None) -> str:
    """``shown``: at most this many verdicts per list, then how many more (None: every one)."""
    out = [f"If `{result.assumption}` fails ({amap.text_of(result.assumption)}), under {scenario}:"]

    def listed(items: list[str], line) -> list[str]:
        lines = [line(v) for v in items[:shown]]
        if shown is not None and len(items) > shown:
            lines.append(f"  ... and {len(items) - shown} more (`--all` lists every one, `--json` gives them all)")
        return lines
    if result.forced:
        out.append("it cannot fail here: the map and the scenario force it. Forced by:")
        out += [f"  {i.file}:{i.line}: {i.text}" if i.file else f"  {i.text}" for i in result.forced_by]
        return "\n".join(out)
    # (`loses` is always empty under completion semantics, docs/semantics.md, so it is not shown)
    for title, items in (("breaks (now fails)", result.breaks),
                         ("weakens (loses some of its supports)", result.weakens)):
        out.append(f"{title}: {len(items)}")
        out += listed(items, lambda v: f"  {v}{_breaks_reason(result, v)}")
    partial = sorted(v for v, r in (result.remaining or {}).items() if r.needs_truncated)
    if partial:
        out.append(f"(\"perhaps larger ones\": on a wide slice only the single needs are listed; "
                   f"`argmap why {partial[0]} --deny {result.assumption}` lists what it then needs)")
    if result.undecided:
        out.append(f"undecided (weakened or unaffected: the time budget ran out before argmap could "
                   f"tell; raise it with --timeout): {len(result.undecided)}")
        out += listed(result.undecided, lambda v: f"  {v}")
    out.append(f"unaffected: {len(result.unaffected)}")
    return "\n".join(out)


def cruxes_text(amap: ArgumentMap, result, scenario: str) -> str:
    rows = [["rank", "assumption", "breaks", "weakens"]]
    for i, c in enumerate(result.cruxes, 1):
        rows.append([str(i), c.assumption, str(len(c.breaks)), str(len(c.weakens))])
    if len(rows) == 1:
        return f"Cruxes under {scenario}: no free assumption."
    text = f"Cruxes under {scenario} (failure of each assumption, ranked):\n\n" + _table(rows)
    unsure = [c for c in result.cruxes if c.undecided]
    if unsure:
        text += (f"\n\n{len(unsure)} of these weaken more verdicts than counted, perhaps: the time budget ran "
                 f"out before argmap could tell for {sum(len(c.undecided) for c in unsure)} verdicts in all "
                 f"(`--json` lists them as `undecided`; raise it with --timeout)")
    return text


def _breaks_reason(result, v: str) -> str:
    """One line of why, when what-breaks ran with ``explain``: the completed cut, or what is left."""
    from argmap.analysis.needstext import clause_text, cut_text
    if result.completes and v in result.completes:
        cut = result.completes[v]
        if len(cut) == 1:
            return f"  (its failure alone is a cut set of {v})"
        given = {a: x for a, x in cut.items() if a != result.assumption}
        return f"  (completes the cut set {cut_text(cut)}; the scenario already had {cut_text(given)})"
    if result.remaining and v in result.remaining:
        r = result.remaining[v]
        parts = []
        if r.supports is not None:
            n = f"{r.supports}{'+' if r.supports_truncated else ''}"
            if r.of is not None:
                parts.append(f"{n} of {r.of}{'+' if r.of_truncated else ''} minimal supports remain")
            else:
                parts.append(f"{n} minimal support{' remains' if n == '1' else 's remain'}")
        singles = [clause_text(c) for c in r.needs if len(c) == 1]
        more = len(r.needs) - len(singles)
        if singles:
            need = "then needs " + ", ".join(singles[:SINGLES_INLINE])
            if len(singles) > SINGLES_INLINE:
                need += f", {len(singles) - SINGLES_INLINE} more single needs"
            if more:
                need += f" and {more}{'+' if r.needs_truncated else ''} larger need{'s' if more != 1 else ''}"
            elif r.needs_truncated:
                need += ", perhaps larger ones"
            parts.append(need)
        elif r.needs:
            parts.append(f"then {len(r.needs)}{'+' if r.needs_truncated else ''} need"
                         f"{'s' if len(r.needs) != 1 else ''}, none single")
        elif r.needs_truncated:
            parts.append("then no single need, perhaps larger ones")
        return f"  ({'; '.join(parts)})" if parts else ""
    return ""
