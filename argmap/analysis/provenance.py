"""Checking every `cite` of a map against the source texts (by each source's `file`).

The project does not carry the texts; each `source` names where to get it (`url`) and the SHA-256
of the file's bytes the quotes were checked against (`sha256`). A check first says, per source,
whether the copy it found is that file, then which quotes it does not contain.
"""

from __future__ import annotations

import hashlib
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
    url: str | None = None


class SourceText(BaseModel):
    """One source's text as found: ``matches`` / ``differs`` (from the fingerprint), ``unpinned``
    (the map gives no fingerprint) or ``missing``."""
    source: str
    file: str | None
    url: str | None
    fingerprint: str
    sha256: str | None = None           # of the copy found
    expected: str | None = None         # the map's `sha256`


class QuoteReport(BaseModel):
    checked: int
    not_found: list[QuoteProblem]
    missing_sources: list[SourceProblem]
    sources: list[SourceText] = []


def where_to_get(amap: ArgumentMap) -> str:
    """One message naming every source text, its file name and where to get it."""
    lines = ["the source texts are not part of argmap (they are their authors' writing); to check the "
             "quotes, save each as the file named below in one folder and pass it with --sources DIR "
             "or ARGMAP_SOURCES=DIR:"]
    for sid, src in amap.sources.items():
        lines.append(f"  {src.file or '(no file given)'}  ← {src.url or 'no url given'}  ({sid}: {src.title})")
    return "\n".join(lines)


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
    found: list[SourceText] = []
    root = Path(sources_dir)
    if not root.is_dir():
        from argmap.language.source import shown_name      # a path the user typed: printed escaped
        return QuoteReport(checked=0, not_found=[], missing_sources=[
            SourceProblem(source=sid, problem=f"{shown_name(str(sources_dir))} is not a directory", url=src.url)
            for sid, src in amap.sources.items()] or [
            SourceProblem(source="*", problem=f"{shown_name(str(sources_dir))} is not a directory")])
    for sid, src in amap.sources.items():
        if not src.file:
            missing.append(SourceProblem(source=sid, problem="the source declares no `file`", url=src.url))
            continue
        path = root / src.file
        try:
            data = path.read_bytes()
            texts[sid] = data.decode("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            problem = f"cannot read {path}: {getattr(exc, 'strerror', None) or exc}"
            missing.append(SourceProblem(source=sid, problem=problem, url=src.url))
            found.append(SourceText(source=sid, file=src.file, url=src.url, fingerprint="missing",
                                    expected=src.sha256))
            continue
        digest = hashlib.sha256(data).hexdigest()
        status = "unpinned" if src.sha256 is None else "matches" if digest == src.sha256 else "differs"
        found.append(SourceText(source=sid, file=src.file, url=src.url, fingerprint=status, sha256=digest,
                                expected=src.sha256))
    not_found, checked = [], 0
    for c in citations(amap):
        if c.source not in texts:
            continue
        checked += 1
        if not quote_occurs(c.quote, texts[c.source]):
            not_found.append(QuoteProblem(source=c.source, locator=c.locator, quote=c.quote,
                                          file=c.span.file, line=c.span.line))
    return QuoteReport(checked=checked, not_found=not_found, missing_sources=missing, sources=found)
