"""All files' statements → one ArgumentMap: one namespace, duplicates and missing lines reported.

Kept apart from argmap.language.build (which needs Lark) so that a map whose files all come from
the parse cache (argmap.language.filecache) is assembled without importing Lark (~30 ms).
"""

from __future__ import annotations

import difflib

from argmap.language.diagnostics import Diagnostic
from argmap.language.model import (COMPONENTS, ArgumentMap, Assumption, Citation, Conflict, Expect, Proposal,
                                   Provenance, Source, Span, Support, Verdict, Worldview)
from argmap.language.source import SourceFile


class _Attr:
    """An attribute line (support, cite, note, assume, ...) before it is attached to its statement."""

    __slots__ = ("kind", "values", "span")

    def __init__(self, kind: str, values: tuple, span: Span):
        self.kind, self.values, self.span = kind, values, span


def assemble(statements: list, diags: list[Diagnostic], sources: dict[str, SourceFile],
             damaged: frozenset[str] | set[str] = frozenset()) -> ArgumentMap:
    """Put every file's statements into one namespace, reporting duplicates with both places.

    ``damaged`` (argmap.language.parse.damage) names what syntax errors left incomplete: a claim or
    component line that was dropped is not reported missing again."""
    amap = ArgumentMap()
    seen: dict[str, Span] = {}

    def declare(ident: str, span: Span) -> bool:
        if ident in seen:
            first = seen[ident]
            diags.append(_diag(sources, "E202", span, f"duplicate id `{ident}` (first declared at {first})",
                               hint="ids share one namespace across all files of the map; rename one"))
            return False
        seen[ident] = span
        return True

    for st in statements:
        if st is None:
            continue
        if isinstance(st, Expect):
            amap.expects.append(st)
        elif isinstance(st, tuple) and st[0] == "claim":
            claim, broken = st[1], st[2]
            if declare(claim.id, claim.span):
                if not claim.supports and not broken and claim.id not in damaged:
                    diags.append(_diag(sources, "E205", claim.span, f"claim `{claim.id}` has no `if` line",
                                       hint=f"a claim is derived from its supports; if `{claim.id}` is "
                                            f"a premise, declare it as `assumption {claim.id}: ...`"))
                amap.claims[claim.id] = claim
        elif isinstance(st, tuple) and st[0] == "proposal":
            _, pid, title, span, attrs = st
            if declare(pid, span):
                _add_proposal(amap, pid, title, span, attrs, diags, sources, damaged)
        else:
            table = {Source: amap.sources, Assumption: amap.assumptions, Conflict: amap.conflicts,
                     Worldview: amap.worldviews}[type(st)]
            if declare(st.id, st.span):
                table[st.id] = st
    return amap


def _add_proposal(amap, pid, title, span, attrs, diags, sources, damaged=frozenset()) -> None:
    by_component: dict[str, list[Support]] = {}
    notes: dict[str, list[str]] = {}
    prov_attrs = []
    last_component = None
    for a in attrs:
        if a.kind == "component":
            name, when, unless = a.values
            last_component = name
            if name not in COMPONENTS:
                close = difflib.get_close_matches(name, COMPONENTS, n=1)
                diags.append(_diag(sources, "E206", a.span, f"unknown component `{name}`",
                                   hint=(f"did you mean `{close[0]}`? " if close else "")
                                   + "the components are outer, inner, training and performance"))
                continue
            if when is not None:
                by_component.setdefault(name, []).append(Support(when, unless, a.span))
        else:
            if a.kind == "note" and last_component in COMPONENTS:
                notes.setdefault(last_component, []).append(a.values[0])
            prov_attrs.append(a)
    cites = tuple(Citation(a.values[0], a.values[1], a.values[2], a.span) for a in prov_attrs if a.kind == "cite")
    all_notes = tuple(a.values[0] for a in prov_attrs if a.kind == "note")
    verdict_ids = []
    for comp in COMPONENTS:
        if comp in by_component:
            vid = f"{pid}.{comp}"
            supports = tuple(by_component[comp])
            amap.verdicts[vid] = Verdict(vid, pid, comp, supports, supports[0].span)
            verdict_ids.append(vid)
    missing = [c for c in COMPONENTS if c not in by_component and f"{pid}.{c}" not in damaged]
    if missing:
        diags.append(_diag(sources, "W303", span, f"proposal `{pid}` gives no {', '.join(missing)} line",
                           severity="warning",
                           hint=f"a verdict without a line does not exist; add e.g. `  {missing[0]}: some_claim`"))
    amap.proposals[pid] = Proposal(pid, title, span, tuple(verdict_ids), Provenance(cites, all_notes),
                                   tuple((k, tuple(v)) for k, v in notes.items()))


def _diag(sources, code, span: Span, message, hint=None, severity="error") -> Diagnostic:
    src = sources.get(span.file)
    return Diagnostic(severity=severity, code=code, message=message, hint=hint, file=span.file,
                      line=span.line, column=span.column, source_line=src.line(span.line) if src else None)
