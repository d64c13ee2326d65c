"""Checking every `cite` of a map against the source texts (by each source's `file`)."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel

from argmap.language.model import ArgumentMap, Citation
from argmap.analysis.quotes import quote_occurs


class QuoteProblem(BaseModel):
    source: str
    locator: str
    quote: str
    file: str
    line: int


class SourceProblem(BaseModel):
    source: str
    problem: str


class QuoteReport(BaseModel):
    checked: int
    not_found: list[QuoteProblem]
    missing_sources: list[SourceProblem]


def citations(amap: ArgumentMap) -> list[Citation]:
    """Every citation of the map, in map order."""
    out: list[Citation] = []
    for table in (amap.sources, amap.assumptions, amap.claims, amap.proposals, amap.conflicts, amap.worldviews):
        for st in table.values():
            out.extend(st.provenance.citations)
            for ln in getattr(st, "lines", ()):
                out.extend(ln.provenance.citations)
    for ex in amap.expects:
        out.extend(ex.provenance.citations)
    return out


def verify_quotes(amap: ArgumentMap, sources_dir: str) -> QuoteReport:
    texts: dict[str, str] = {}
    missing: list[SourceProblem] = []
    root = Path(sources_dir)
    if not root.is_dir():
        return QuoteReport(checked=0, not_found=[], missing_sources=[
            SourceProblem(source="*", problem=f"{sources_dir} is not a directory")])
    for sid, src in amap.sources.items():
        if not src.file:
            missing.append(SourceProblem(source=sid, problem="the source declares no `file`"))
            continue
        path = root / src.file
        try:
            texts[sid] = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            missing.append(SourceProblem(source=sid, problem=f"cannot read {path}: {exc}"))
    not_found, checked = [], 0
    for c in citations(amap):
        if c.source not in texts:
            continue
        checked += 1
        if not quote_occurs(c.quote, texts[c.source]):
            not_found.append(QuoteProblem(source=c.source, locator=c.locator, quote=c.quote,
                                          file=c.span.file, line=c.span.line))
    return QuoteReport(checked=checked, not_found=not_found, missing_sources=missing)
