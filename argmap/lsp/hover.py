"""The hover card of an id: what it says, where it is quoted from, and what the engine makes of it.

Pure text building (Markdown), testable without an editor. Every piece of map text is escaped:
a claim's text is the author's, and Markdown link or HTML syntax in it must show as written, not
turn into a link or markup in the editor.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from argmap.language.model import ArgumentMap, Provenance, show

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~&\"'])")


def md(text: str) -> str:
    """Escape every Markdown/HTML-active character (CommonMark lets any ASCII punctuation be escaped).

    >>> md("[click](javascript:alert(1)) <b>x</b> *y*")
    '\\\\[click\\\\]\\\\(javascript:alert\\\\(1\\\\)\\\\) \\\\<b\\\\>x\\\\</b\\\\> \\\\*y\\\\*'
    """
    return _MD_SPECIAL.sub(r"\\\1", text)


@dataclass(frozen=True)
class Facts:
    """What the engine knows about a claim or verdict under the empty worldview."""

    status: str | None = None           # holds | fails | open | inconsistent; None: not computed
    supports: int | None = None         # number of minimal supports
    supports_capped: bool = False
    why_missing: str | None = None      # why there is no status (e.g. the map has errors)
    needs: tuple[dict[str, bool], ...] | None = None    # clauses: one literal of each must hold
    needs_capped: bool = False


def hover_markdown(amap: ArgumentMap, name: str, facts: Facts | None = None) -> str | None:
    """The card for ``name``, or None when the map declares no such id."""
    kind = amap.kind_of(name)
    if kind is None:
        return None
    facts = facts or Facts()
    builder = {"assumption": _assumption, "claim": _derived, "verdict": _derived, "proposal": _proposal,
               "conflict": _conflict, "worldview": _worldview, "source": _source}[kind]
    lines = [f"**{kind}** `{name}`", ""] + builder(amap, name, facts)
    return "\n".join(lines).rstrip() + "\n"


def _status_lines(name: str, facts: Facts) -> list[str]:
    """One paragraph per fact (a single newline would run them together in Markdown)."""
    if facts.status is None:
        return [f"*status:* {md(facts.why_missing or 'not computed yet')}"]
    out = [f"*status (empty worldview):* **{facts.status}**"]
    if facts.supports is not None:
        more = " or more" if facts.supports_capped else ""
        out += ["", f"*minimal supports:* {facts.supports}{more} (`argmap why {name}` lists them)"]
    if facts.needs is not None:
        out += ["", _needs_line(name, facts)]
    return out


NEEDS_SHOWN = 8


def _needs_line(name: str, facts: Facts) -> str:
    """What the node needs: every clause it implies (a size-1 clause is a single point of failure).

    >>> _needs_line("v", Facts(status="open", needs=({"a": True}, {"b": True, "c": False})))
    '*needs:* `a`; `b or not c`'
    """
    if not facts.needs:
        return "*needs:* nothing (no assumption's failure can make it fail)"
    clauses = [" or ".join(a if v else f"not {a}" for a, v in sorted(c.items())) for c in facts.needs]
    shown = "; ".join(f"`{c}`" for c in clauses[:NEEDS_SHOWN])
    rest = len(clauses) - NEEDS_SHOWN
    more = f"; and {rest}{' or more' if facts.needs_capped else ''} more (`argmap why {name}`)" if rest > 0 else (
        " (or more)" if facts.needs_capped else "")
    return f"*needs:* {shown}{more}"


def _derived(amap: ArgumentMap, name: str, facts: Facts) -> list[str]:
    node = amap.derived(name)
    out = [md(node.text), ""]
    if name in amap.verdicts:
        out += [f"*proposal* `{node.proposal}`: {md(amap.proposals[node.proposal].title)}", ""]
    out.append("*holds when any of:*" if len(node.supports) > 1 else "*holds when:*")
    out += [f"- `{show(s.formula)}`" for s in node.supports] or ["- nothing (no support line)"]
    out += ["", *_status_lines(name, facts)]
    prov = getattr(node, "provenance", None)
    if prov is None and name in amap.verdicts:
        prov = amap.proposals[node.proposal].provenance
    return out + _provenance(prov)


def _assumption(amap: ArgumentMap, name: str, facts: Facts) -> list[str]:
    node = amap.assumptions[name]
    out = [md(node.text), ""]
    fixed = [(w.id, w.fixed()[name]) for w in amap.worldviews.values() if name in w.fixed()]
    if fixed:
        out.append("*fixed by:* " + ", ".join(f"`{w}` ({'assume' if v else 'deny'})" for w, v in fixed))
    else:
        out.append("*free:* no worldview fixes it")
    return out + _provenance(node.provenance)


def _proposal(amap: ArgumentMap, name: str, facts: Facts) -> list[str]:
    node = amap.proposals[name]
    out = [md(node.title), "", "*verdicts:* " + (", ".join(f"`{v}`" for v in node.verdicts) or "none")]
    return out + _provenance(node.provenance)


def _conflict(amap: ArgumentMap, name: str, facts: Facts) -> list[str]:
    node = amap.conflicts[name]
    return [f"*never true:* `{show(node.formula)}`"] + _provenance(node.provenance)


def _worldview(amap: ArgumentMap, name: str, facts: Facts) -> list[str]:
    node = amap.worldviews[name]
    out = [md(node.text), ""]
    for ln in node.lines:
        value = f" {ln.credence}" if ln.kind == "credence" else ""
        out.append(f"- {ln.kind} `{ln.assumption}`{value}")
    return out + _provenance(node.provenance)


def _source(amap: ArgumentMap, name: str, facts: Facts) -> list[str]:
    node = amap.sources[name]
    meta = ", ".join(md(str(x)) for x in (node.by, node.year) if x)
    return [md(node.title) + (f" ({meta})" if meta else "")] + _provenance(node.provenance)


def _provenance(prov: Provenance | None) -> list[str]:
    if prov is None or not (prov.citations or prov.notes):
        return []
    out = [""]
    for c in prov.citations:
        out += [f"*{md(c.source)}, {md(c.locator)}:*", f"> {md(c.quote)}", ""]
    out += [f"*note:* {md(n)}" for n in prov.notes]
    return out
