"""`argmap export --format graphml`: the map as a directed graph for graph tools (yEd, Gephi, networkx).

The graph's ``scenario`` attribute names the scenario of the statuses (``--worldview/--assume/
--deny``; default the empty worldview). Nodes are the assumptions, claims, verdicts and
conflicts, keyed by their ids, with the
attributes ``kind``, ``text``, ``status`` (under the scenario: ``holds``, ``fails``, ``open``, or
``inconsistent`` when the scenario is), ``file`` and ``line``. A conflict node's text is its
expression, and its status ``fails`` (the expression is never true). Edges go from a statement to the
claim or verdict it bears on: ``kind`` is ``support`` for an id in an ``if`` (or component) line
and ``defeat`` for one in its ``unless`` part, with ``support`` (the 1-based line number among the
node's supports) and ``negated`` (the id occurs under an odd number of ``not``); a conflict gets a
``conflict`` edge from each id of its expression. Text is XML-escaped, and characters XML 1.0
forbids are replaced by U+FFFD, so any claim text gives a well-formed file.
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape, quoteattr

from argmap.export import Exported
from argmap.language.model import ArgumentMap, Not, Ref, show

_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")

NODE_KEYS = (("kind", "string"), ("text", "string"), ("status", "string"), ("file", "string"), ("line", "int"))
EDGE_KEYS = (("kind", "string"), ("support", "int"), ("negated", "boolean"))


def _xml(text: str) -> str:
    # A raw CR would be read back as LF (XML normalises line ends); a character reference is not.
    return escape(_XML_FORBIDDEN.sub("\ufffd", text), {"\r": "&#13;"})


def literals(formula, negated: bool = False):
    """(id, under an odd number of `not`) for every reference, left to right (formulas are shallow)."""
    if isinstance(formula, Ref):
        yield formula.name, negated
    elif isinstance(formula, Not):
        yield from literals(formula.arg, not negated)
    else:
        for arg in formula.args:
            yield from literals(arg, negated)


def node_statuses(amap: ArgumentMap, scenario) -> dict[str, str]:
    """Status of every assumption, claim and verdict under the scenario ('inconsistent' for all if it is)."""
    from argmap.analysis.queries import statuses
    from argmap.errors import InconsistentError
    nodes = [*amap.assumptions, *amap.claims, *amap.verdicts]
    try:
        return statuses(amap, scenario, nodes=nodes)
    except InconsistentError:
        return dict.fromkeys(nodes, "inconsistent")


def export(amap: ArgumentMap, scenario, title=None) -> Exported:
    status = node_statuses(amap, scenario)
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
           'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
           'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
           'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">']
    for prefix, target, keys in (("n", "node", NODE_KEYS), ("e", "edge", EDGE_KEYS)):
        out += [f'  <key id="{prefix}_{name}" for="{target}" attr.name="{name}" attr.type="{kind}"/>'
                for name, kind in keys]
    out.append('  <key id="g_scenario" for="graph" attr.name="scenario" attr.type="string"/>')
    out.append('  <graph id="argmap" edgedefault="directed">')
    out.append(f'    <data key="g_scenario">{_xml(scenario.describe())}</data>')

    def node(node_id: str, kind: str, text: str, span, node_status: str) -> None:
        data = {"kind": kind, "text": text, "status": node_status, "file": span.file, "line": str(span.line)}
        out.append(f"    <node id={quoteattr(node_id)}>")
        out.extend(f"      <data key=\"n_{k}\">{_xml(v)}</data>" for k, v in data.items())
        out.append("    </node>")

    for a in amap.assumptions.values():
        node(a.id, "assumption", a.text, a.span, status[a.id])
    for c in amap.claims.values():
        node(c.id, "claim", c.text, c.span, status[c.id])
    for v in amap.verdicts.values():
        title_text = amap.proposals[v.proposal].title if v.proposal in amap.proposals else v.proposal
        node(v.id, "verdict", f"{title_text} {v.text.removeprefix(v.proposal).strip()}", v.span, status[v.id])
    for k in amap.conflicts.values():
        # The node is the conflict's expression, which no consistent scenario makes true.
        consistent = "inconsistent" not in status.values()
        node(k.id, "conflict", show(k.formula), k.span, "fails" if consistent else "inconsistent")

    count = 0

    def edge(source: str, target: str, kind: str, support: int | None, negated: bool) -> None:
        nonlocal count
        out.append(f"    <edge id=\"e{count}\" source={quoteattr(source)} target={quoteattr(target)}>")
        out.append(f'      <data key="e_kind">{kind}</data>')
        if support is not None:
            out.append(f'      <data key="e_support">{support}</data>')
        out.append(f'      <data key="e_negated">{"true" if negated else "false"}</data>')
        out.append("    </edge>")
        count += 1

    for node_obj in [*amap.claims.values(), *amap.verdicts.values()]:
        for i, s in enumerate(node_obj.supports, start=1):
            for name, negated in literals(s.when):
                edge(name, node_obj.id, "support", i, negated)
            if s.unless is not None:
                for name, negated in literals(s.unless):
                    edge(name, node_obj.id, "defeat", i, negated)
    for k in amap.conflicts.values():
        for name, negated in literals(k.formula):
            edge(name, k.id, "conflict", None, negated)
    out += ["  </graph>", "</graphml>"]
    return Exported("\n".join(out) + "\n")
