"""Readable text for `argmap prob`: the probability matrix and a verdict's importance table."""

from __future__ import annotations

from argmap.language.model import COMPONENTS, ArgumentMap
from argmap.analysis.textout import _table
from argmap.words import count


def fmt(x: float | None, digits: int = 3) -> str:
    return "-" if x is None else f"{x:.{digits}f}"


def probability_matrix(amap: ArgumentMap, probs: dict[str, float | None]) -> list[list[str]]:
    rows = [["proposal", *COMPONENTS]]
    for pid in amap.proposals:
        rows.append([pid] + [fmt(probs.get(f"{pid}.{c}")) if f"{pid}.{c}" in probs else "" for c in COMPONENTS])
    return rows


def defaults_line(result, total: int) -> str:
    n = len(result.defaulted)
    if not n:
        return "Every assumption has a credence or a fixed value."
    has, count_as = ("has", "counts as") if n == 1 else ("have", "count as")
    return (f"{n} of {total} assumptions {has} no credence here and {count_as} {result.default_credence:g} "
            f"(--default-credence).")


def probability_text(amap: ArgumentMap, result, cred, scenario: str) -> str:
    out = [f"P(verdict | conflicts) under {scenario}: exact, by weighted model counting on BDDs.",
           defaults_line(result, len(amap.assumptions))]
    if cred.given:
        out.append(f"{count(len(cred.given), 'credence')} given, "
                   f"{count(len(cred.fixed), 'assumption fixed', 'assumptions fixed')}.")
    out += ["", _table(probability_matrix(amap, result.verdicts))]
    return "\n".join(out)


def _ratio(x: float | None) -> str:
    return "inf" if x is None else f"{x:.3f}"


def importance_text(amap: ArgumentMap, table) -> str:
    out = [f"Importance for {table.verdict} (P = {table.probability:.4f}). Top event: the verdict fails; "
           f"basic event: an assumption is false.",
           "B = P(V|A) - P(V|not A) (Birnbaum); FV = (Q - Q|A)/Q (Fussell-Vesely, risk-decrease form);",
           "RAW = Q|not A / Q; RRW = Q / Q|A, with Q = P(V fails). '-' undefined, inf where Q|A = 0.", ""]
    rows = [["assumption", "credence", "P(V|A)", "P(V|not A)", "Birnbaum", "FV", "RAW", "RRW"]]
    for r in table.assumptions:
        q1 = None if r.p_if_true is None else 1 - r.p_if_true
        rrw = _ratio(r.rrw) if q1 is not None and 1 - table.probability > 0 else "-"
        rows.append([r.assumption + (" (fixed)" if r.fixed else ""), f"{r.credence:g}", fmt(r.p_if_true),
                     fmt(r.p_if_false), fmt(r.birnbaum), fmt(r.fussell_vesely), fmt(r.raw), rrw])
    if len(rows) == 1:
        out.append("No assumption can affect it.")
    else:
        out.append(_table(rows))
    return "\n".join(out)
