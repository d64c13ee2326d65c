"""Selection and styling: a map plus a question → a small :class:`ViewGraph` (nodes, edges, clusters).

Everything a diagram shows is decided here; ``dot.py`` only writes it out. Nodes are keyed by map
ids (or ``gate:…`` / ``legend:…`` keys) and carry plain, unescaped text; attribute values other
than ``label``/``tooltip``/``xlabel`` are constants of this module. Edges run from premise to
conclusion, so with ``rankdir=LR`` assumptions stand on the left and verdicts on the right.

Structure of a derived node ``D`` (claim or verdict) with supports ``S1 … Sn``:
* n > 1: an "or" diamond collects the alternatives (``D`` holds when any one does);
* a support that is more than one reference becomes an "and" circle;
* ``not X`` is a red edge with a bar head; ``unless X`` is a red dashed edge labelled "unless".
"""

from __future__ import annotations

from dataclasses import dataclass

from argmap.language.model import COMPONENTS, And, ArgumentMap, Formula, Not, Or, Ref
from argmap.render.graph import VEdge, ViewGraph, VNode  # noqa: F401  (re-exported for callers)
from argmap.render.text import normalise, wrap
from argmap.words import count

# ---- colours and shapes (constants; the legend explains them) --------------------------------
STATUS_FILL = {"holds": "#c8e6c9", "fails": "#ffcdd2", "open": "#eeeeee", None: "#ffffff"}
STATUS_PEN = {"holds": "#2e7d32", "fails": "#c62828", "open": "#616161", None: "#37474f"}
STATUS_MARK = {"holds": "\u2714 holds", "fails": "\u2718 fails", "open": "? open"}
ASSUMPTION = {"shape": "box", "style": "rounded,filled", "fillcolor": "#fff8e1", "color": "#8d6e63"}
CLAIM = {"shape": "box", "style": "filled", "fillcolor": "#e3f2fd", "color": "#37474f"}
VERDICT = {"shape": "box", "style": "filled,bold", "penwidth": "2"}
LOAD_BEARING = {"fillcolor": "#ffd54f", "penwidth": "3", "color": "#e65100"}
AND_GATE = {"shape": "circle", "style": "filled", "fillcolor": "#455a64", "fontcolor": "white",
            "width": "0.35", "fixedsize": "true", "fontsize": "9"}
OR_GATE = {"shape": "diamond", "style": "filled", "fillcolor": "#ffcc80", "width": "0.45",
           "height": "0.45", "fixedsize": "true", "fontsize": "9"}
SUPPORT_EDGE: dict[str, str] = {"color": "#37474f"}
NOT_EDGE = {"color": "#c62828", "arrowhead": "tee", "label": "not", "fontcolor": "#c62828"}
UNLESS_EDGE = {"color": "#c62828", "style": "dashed", "arrowhead": "tee", "label": "unless",
               "fontcolor": "#c62828", "penwidth": "1.5"}
MARKED_EDGE = {"color": "#d50000", "penwidth": "3"}
LEGEND_FONT = "8"          # legends stay small next to the diagram they explain
LEGEND_DEPTH = 3           # sample nodes per legend column
DIM = {"color": "#bdbdbd", "fontcolor": "#9e9e9e", "fillcolor": "#fafafa"}


# ---- labels -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Sizes:
    width: int = 34           # characters per label line
    lines: int = 7            # lines of text before "…"


FOCUS = Sizes()
OVERVIEW = Sizes(width=28, lines=4)


def label(text: str, meta: str, sizes: Sizes = FOCUS) -> str:
    """A node label: the wrapped statement text, then the id and annotations in brackets
    (``[id · note · note]``, broken between notes when longer than a text line)."""
    body = wrap(normalise(text), sizes.width, sizes.lines)
    if not meta:
        return body
    lines: list[str] = []
    for part in meta.split(" \u00b7 "):
        if lines and len(lines[-1]) + 3 + len(part) <= max(sizes.width, 40):
            lines[-1] += " \u00b7 " + part
        else:
            lines.append(part)
    return body + "\n[" + "\n".join(lines) + "]"


def node_attrs(amap: ArgumentMap, nid: str, status: str | None, notes: list[str], sizes: Sizes) -> dict:
    """Attributes of an assumption, claim or verdict node, coloured by its status."""
    text = amap.text_of(nid)
    meta = " \u00b7 ".join([nid, *notes])
    if nid in amap.assumptions:
        attrs = dict(ASSUMPTION)
    elif nid in amap.verdicts:
        attrs = {**VERDICT, "fillcolor": STATUS_FILL[status], "color": STATUS_PEN[status]}
        if status:
            meta += " \u00b7 " + STATUS_MARK[status]
    else:
        attrs = {**CLAIM, "color": STATUS_PEN[status]}
        if status in ("holds", "fails"):
            attrs["penwidth"] = "2"
            meta += " \u00b7 " + STATUS_MARK[status]
    attrs["label"] = label(text, meta, sizes)
    attrs["tooltip"] = normalise(text)
    return attrs


def fixed_notes(fixed: dict[str, bool], nid: str) -> list[str]:
    if nid in fixed:
        return ["assumed" if fixed[nid] else "denied"]
    return []


# ---- support structure ------------------------------------------------------------------------
class Structure:
    """Adds the support structure of derived nodes to a view, gates included.

    ``place(nid)`` must add the node for a map id (the caller decides styling and clusters).
    Returns, for every edge it adds, the map ids it connects, so callers can mark paths.
    """

    def __init__(self, view: ViewGraph, amap: ArgumentMap, place):
        self.view, self.amap, self.place = view, amap, place
        self.gates = 0
        self.gate_children: dict[str, list[str]] = {}       # gate key → ids/gates feeding it
        self.gate_owner: dict[str, str] = {}                 # gate key → the derived node it serves

    def _gate(self, owner: str, kind: str, cluster: str | None) -> str:
        key = f"gate:{self.gates}"
        self.gates += 1
        attrs = dict(AND_GATE if kind == "and" else OR_GATE)
        attrs["label"] = kind
        self.view.node(key, attrs, cluster)
        self.gate_children[key] = []
        self.gate_owner[key] = owner
        return key

    def _link(self, src: str, dst: str, negated: bool, unless: bool = False) -> None:
        attrs = dict(UNLESS_EDGE if unless else NOT_EDGE if negated else SUPPORT_EDGE)
        if unless and negated:                  # `unless not X`: X is then a premise again
            attrs = dict(SUPPORT_EDGE, label="unless not")
        self.view.edge(src, dst, attrs)
        if dst in self.gate_children:
            self.gate_children[dst].append(src)

    def _formula(self, f: Formula, owner: str, cluster: str | None) -> tuple[str, bool]:
        """The node standing for ``f`` and whether it enters negated."""
        negated = False
        while isinstance(f, Not):
            negated, f = not negated, f.arg
        if isinstance(f, Ref):
            self.place(f.name)
            return f.name, negated
        gate = self._gate(owner, "and" if isinstance(f, And) else "or", cluster)
        for arg in f.args:
            key, neg = self._formula(arg, owner, cluster)
            self._link(key, gate, neg)
        return gate, negated

    def expand(self, nid: str) -> None:
        """Add the supports of derived node ``nid`` (one level: its premises are placed, not expanded)."""
        node = self.amap.derived(nid)
        cluster = self.view.get(nid).cluster if self.view.has(nid) else None
        target = nid
        if len(node.supports) > 1:
            target = self._gate(nid, "or", cluster)
            self.view.edge(target, nid, {**SUPPORT_EDGE, "penwidth": "1.5"})
        for sup in node.supports:
            parts = list(sup.when.args) if isinstance(sup.when, And) else [sup.when]
            if sup.unless is None and len(parts) == 1:
                key, neg = self._formula(parts[0], nid, cluster)
                self._link(key, target, neg)
                continue
            gate = self._gate(nid, "and", cluster)
            for part in parts:
                key, neg = self._formula(part, nid, cluster)
                self._link(key, gate, neg)
            if sup.unless is not None:
                key, neg = self._formula(sup.unless, nid, cluster)
                self._link(key, gate, neg, unless=True)
            self._link(gate, target, False)


def premises(amap: ArgumentMap, nid: str) -> list[str]:
    """Ids a derived node refers to directly, in order, without repeats."""
    from argmap.language.model import refs
    node = amap.derived(nid)
    out: list[str] = []
    for sup in node.supports if node else ():
        for r in refs(sup.formula):
            if r.name not in out:
                out.append(r.name)
    return out


def cone_nodes(amap: ArgumentMap, roots) -> list[str]:
    """Every derived node and assumption below ``roots`` (roots included), depth-first, in order."""
    seen: dict[str, None] = {}
    stack = list(reversed(list(roots)))
    while stack:
        n = stack.pop()
        if n in seen:
            continue
        seen[n] = None
        stack.extend(reversed(premises(amap, n)))
    return list(seen)


# ---- legend -----------------------------------------------------------------------------------
def add_legend(view: ViewGraph, nodes: list[tuple[str, dict]], edges: list[tuple[str, dict]]) -> None:
    """A compact cluster "legend": the sample nodes in a grid LEGEND_DEPTH deep (one layout rank per grid
    column, held in order by invisible edges), the sample edges stacked beside them. One column of
    every sample (the earlier layout) took ~40% of a verdict diagram's height."""
    cl = view.cluster("legend", "Legend")
    keys = []
    for i, (text, attrs) in enumerate(nodes):
        key = f"legend:n{i}"
        view.node(key, {**attrs, "label": text, "fontsize": LEGEND_FONT, "height": "0.2", "width": "0.3",
                        "margin": "0.04,0.01", "penwidth": "1"}, cl)
        keys.append(key)
    columns = [keys[i:i + LEGEND_DEPTH] for i in range(0, len(keys), LEGEND_DEPTH)]
    for col in columns:
        view.same_rank.append(col)
    for a, b in zip(columns, columns[1:]):
        view.edge(a[0], b[0], {"style": "invis", "minlen": "1"})
    tails = []
    for i, (text, attrs) in enumerate(edges):
        a, b = f"legend:e{i}a", f"legend:e{i}b"
        view.node(a, {"shape": "box", "label": "", "width": "0.1", "height": "0.1", "style": "invis"}, cl)
        view.node(b, {"shape": "plaintext", "label": text, "fontsize": LEGEND_FONT, "height": "0.15"}, cl)
        view.edge(a, b, {**attrs, "minlen": "1"})
        tails.append(a)
    if tails:
        if columns:
            view.edge(columns[-1][0], tails[0], {"style": "invis", "minlen": "1"})
        view.same_rank.append(tails)


STRUCTURE_LEGEND_EDGES = [
    ("supports", SUPPORT_EDGE),
    ("negated premise (not)", NOT_EDGE | {"label": ""}),
    ("defeater (unless)", UNLESS_EDGE | {"label": ""}),
]


def structure_legend_nodes(extra: list[tuple[str, dict]] = ()) -> list[tuple[str, dict]]:
    return [
        ("assumption", ASSUMPTION),
        ("claim", CLAIM),
        ("verdict: holds", {**VERDICT, "fillcolor": STATUS_FILL["holds"], "color": STATUS_PEN["holds"]}),
        ("verdict: fails", {**VERDICT, "fillcolor": STATUS_FILL["fails"], "color": STATUS_PEN["fails"]}),
        ("verdict: open", {**VERDICT, "fillcolor": STATUS_FILL["open"], "color": STATUS_PEN["open"]}),
        ("all of (and)", {**AND_GATE, "fixedsize": "false", "shape": "box", "style": "rounded,filled"}),
        ("any one of (or)", {**OR_GATE, "fixedsize": "false", "shape": "box", "style": "rounded,filled"}),
        *extra,
    ]


# ---- shared helpers ---------------------------------------------------------------------------
def _engine_statuses(amap: ArgumentMap, fixed: dict[str, bool], nodes) -> dict[str, str]:
    from argmap.analysis.queries import engine
    values = engine(amap).values(fixed, list(nodes))
    return {n: ("open" if v is None else "holds" if v else "fails") for n, v in values.items()}


def _scenario(amap, scenario):
    """The fixed literals of a scenario, after checking that it is consistent (else InconsistentError)."""
    from argmap.analysis.queries import statuses
    statuses(amap, scenario, nodes=[])
    return scenario.fixed(amap)


def file_cluster(amap: ArgumentMap, nid: str) -> str:
    span = amap.span_of(nid)
    return span.file if span else "(other)"


def load_bearing(amap: ArgumentMap, verdict: str, fixed: dict[str, bool], exact_up_to: int = 40) -> dict[str, bool]:
    """Literals in every minimal support of ``verdict`` (LANGUAGE.md's ``requires``), id → value.

    A literal is in every minimal support only if the verdict fails once that literal is flipped
    (otherwise a model with the flipped value contains a support without it), or if flipping it
    is inconsistent with the scenario: the flipped literals that make it fail are its single cut
    sets (one solver call, ``Engine.single_supports``), those the scenario forces are read off its
    values (one more). That gives the candidates; two status queries per assumption of the cone
    cost 16 s on a wide map of 10k statements (1,000 assumptions a cone). For cones of at most
    ``exact_up_to`` assumptions the minimal supports are also enumerated and intersected, which
    is exact; for bigger cones (whose supports can number in the thousands) the candidates are
    used as they are: they differ from the exact set only when the scenario and the map force the
    literal by themselves together with another support.
    """
    from argmap.analysis.queries import engine
    eng = engine(amap)
    cone = [a for a in amap.assumptions if a in eng.cone(verdict) and a not in fixed]
    forced = eng.values(fixed, cone) if cone else {}
    candidates = {a: v for a, v in forced.items() if v is not None}
    inside = set(cone)
    for cut in eng.single_supports(verdict, fixed, value=False):
        ((a, v),) = cut.items()
        if a in inside:
            candidates[a] = not v
    if candidates and len(cone) <= exact_up_to:
        found, truncated = eng.supports(verdict, fixed, limit=256)
        if found and not truncated:
            candidates = {k: v for k, v in candidates.items() if all(s.get(k) is v for s in found)}
    return dict(sorted(candidates.items()))


# ---- views ------------------------------------------------------------------------------------
def verdict_view(amap: ArgumentMap, verdict: str, scenario) -> ViewGraph:
    """A verdict's support structure down to its assumptions; load-bearing assumptions highlighted."""
    fixed = _scenario(amap, scenario)
    nodes = cone_nodes(amap, [verdict])
    derived = [n for n in nodes if amap.derived(n) is not None]
    status = _engine_statuses(amap, fixed, derived)
    bearing = load_bearing(amap, verdict, fixed) if status[verdict] != "fails" else {}
    view = ViewGraph(title=f"{verdict}: {STATUS_MARK[status[verdict]]} under {scenario.describe()}\n"
                           f"{amap.text_of(verdict)}")

    def place(nid: str) -> None:
        notes = fixed_notes(fixed, nid)
        if nid in bearing:
            notes.append("load-bearing" if bearing[nid] else "load-bearing: must be false")
        attrs = node_attrs(amap, nid, status.get(nid), notes, FOCUS)
        if nid in bearing:
            attrs.update(LOAD_BEARING)
        view.node(nid, attrs)

    place(verdict)
    st = Structure(view, amap, place)
    for n in derived:
        st.expand(n)
    add_legend(view, structure_legend_nodes(
        [("load-bearing assumption\n(in every minimal support)", {**ASSUMPTION, **LOAD_BEARING})]),
        STRUCTURE_LEGEND_EDGES)
    return view


def map_view(amap: ArgumentMap, scenario, proposal: str | None = None, cluster_by: str = "document",
             sizes: Sizes = OVERVIEW) -> ViewGraph:
    """The whole map, or one proposal's verdicts and everything below them, in clusters."""
    fixed = _scenario(amap, scenario)
    roots = list(amap.proposals[proposal].verdicts) if proposal else list(amap.verdicts)
    if proposal is None:        # the whole map: also claims no verdict uses, and unused assumptions
        roots += [n for n in amap.claims] + [a for a in amap.assumptions]
    nodes = cone_nodes(amap, roots)
    derived = [n for n in nodes if amap.derived(n) is not None]
    status = _engine_statuses(amap, fixed, derived)
    owner: dict[str, set[str]] = {}
    if cluster_by == "proposal":
        for v in amap.verdicts.values():
            for n in cone_nodes(amap, [v.id]):
                owner.setdefault(n, set()).add(v.proposal)
    what = f"proposal {proposal}: {amap.proposals[proposal].title}" if proposal else "the whole map"
    counts = {k: sum(status[v] == k for v in status if v in amap.verdicts) for k in ("holds", "fails", "open")}
    view = ViewGraph(title=f"{what}, under {scenario.describe()}\n"
                           f"{count(len(nodes), 'statement')}; verdicts: {_status_counts(counts)}")
    # clusters in a fixed order: files in map order (or proposals in map order, then "shared")
    if cluster_by == "proposal":
        for p in amap.proposals.values():
            view.cluster(f"proposal:{p.id}", f"{p.id}: {p.title}")
        view.cluster("proposal:*", "shared by several proposals")
        view.cluster("proposal:-", "used by no verdict")
    else:
        for f in amap.files:
            view.cluster(f"file:{f}", f)

    def cluster_of(nid: str) -> str:
        if cluster_by == "proposal":
            ps = owner.get(nid, set())
            if nid in amap.verdicts:
                ps = {amap.verdicts[nid].proposal}
            return f"proposal:{next(iter(ps))}" if len(ps) == 1 else "proposal:*" if ps else "proposal:-"
        return view.cluster(f"file:{file_cluster(amap, nid)}", file_cluster(amap, nid))

    def place(nid: str) -> None:
        view.node(nid, node_attrs(amap, nid, status.get(nid), fixed_notes(fixed, nid), sizes), cluster_of(nid))

    for n in nodes:
        place(n)
    st = Structure(view, amap, place)
    for n in derived:
        st.expand(n)
    # drop empty clusters so the legend and the layout stay clean
    used = {n.cluster for n in view.nodes}
    view.clusters = {k: v for k, v in view.clusters.items() if k in used}
    add_legend(view, structure_legend_nodes(), STRUCTURE_LEGEND_EDGES)
    return view


def _status_counts(counts: dict[str, int]) -> str:
    """"1 holds, 2 fail, 0 open": verdicts counted by status (the verb agrees with the count)."""
    return (f"{count(counts['holds'], 'holds', 'hold')}, {count(counts['fails'], 'fails', 'fail')}, "
            f"{counts['open']} open")


# Strongest effect first; a path takes the style of the worst it leads to. (what-breaks' `loses`
# is always empty under completion semantics, docs/semantics.md: diagrams do not show it.)
BREAK_STYLES = {
    "breaks": {"color": "#c62828", "penwidth": "3"},
    "weakens": {"color": "#9e9e9e", "penwidth": "1.2", "style": "dashed"},
}


def what_breaks_view(amap: ArgumentMap, assumption: str, scenario, proposal: str | None = None) -> ViewGraph:
    """Before/after denying an assumption: the affected verdicts and the paths from it to them.

    Paths are styled by the strongest effect they carry (BREAK_STYLES): thick red to a verdict that
    now fails, thin dashed grey to one that only loses some minimal supports. Only affected verdicts
    are drawn (with ``--proposal``: all of P's, the others dimmed); unaffected ones are counted in
    the title.
    """
    from argmap.analysis.queries import what_breaks
    verdicts = list(amap.proposals[proposal].verdicts) if proposal else list(amap.verdicts)
    result = what_breaks(amap, assumption, scenario.worldview, scenario.assume, scenario.deny, nodes=verdicts)
    fixed = scenario.fixed(amap)
    category = {v: k for k in BREAK_STYLES for v in getattr(result, k)}
    affected = [v for v in verdicts if v in category]
    rank = {k: i for i, k in enumerate(BREAK_STYLES)}
    worst: dict[str, str] = {}               # node on a path → the strongest effect it carries
    # the derived nodes that depend on the assumption, in one walk (asking each node of each
    # affected verdict's cone for its own cone was cubic: minutes on a wide 10k map)
    from argmap.analysis.queries import engine
    from argmap.engine.relevance import reach
    depends = reach(engine(amap), {assumption}) if affected else set()
    # each node on a path carries the strongest effect of the verdicts whose cones hold it: one
    # walk over the union of each kind's cones, strongest kind first (a walk per verdict was
    # 17 s of 30 on the wide 10k map: 337 cones of ~40% of it)
    for k in BREAK_STYLES:
        for n in cone_nodes(amap, [v for v in affected if category[v] == k]):
            if (n == assumption or n in depends) and n not in worst:
                worst[n] = k
    on_path = set(worst)
    derived_path = [n for n in cone_nodes(amap, affected) if n in on_path and amap.derived(n) is not None]
    shown = verdicts if proposal else affected
    shown_derived = list(dict.fromkeys(derived_path + shown))
    before = _engine_statuses(amap, fixed, shown_derived)
    after = before if result.forced else _engine_statuses(amap, {**fixed, assumption: False}, shown_derived)
    title = (f"What breaks if `{assumption}` fails, under {scenario.describe()}\n"
             f"{count(len(result.breaks), 'verdict breaks', 'verdicts break')}, "
             f"{count(len(result.weakens), 'weakens', 'weaken')}, "
             f"{len(result.unaffected)} unaffected"
             + (f", {len(result.undecided)} undecided within the time budget" if result.undecided else "")
             + ("" if proposal else " (not drawn)"))
    if result.forced:
        title += f"\n{assumption} is forced by the map or the scenario: it cannot fail here, nothing changes"
    view = ViewGraph(title=title)
    for p in dict.fromkeys(amap.verdicts[v].proposal for v in shown):
        view.cluster(f"proposal:{p}", f"{p}: {amap.proposals[p].title}")

    def place(nid: str) -> None:
        if view.has(nid):
            return
        notes = fixed_notes(fixed, nid)
        cluster = f"proposal:{amap.verdicts[nid].proposal}" if nid in amap.verdicts else None
        if nid == assumption:
            notes.append("DENIED here")
        if nid in before:
            b, a = before[nid], after[nid]
            notes.append(f"{b} \u2192 {a}" if a != b else f"stays {b}")
        if nid in category:
            notes.append(category[nid].upper())
        attrs = node_attrs(amap, nid, after.get(nid), notes, FOCUS)
        if nid in on_path:
            style = BREAK_STYLES[worst[nid]]
            attrs["penwidth"] = style["penwidth"]
            if nid not in amap.verdicts:
                attrs["color"] = style["color"]
        elif nid not in category:             # an affected verdict is never dimmed
            attrs.update(DIM)
        view.node(nid, attrs, cluster)

    place(assumption)
    for v in shown:
        place(v)
    st = Structure(view, amap, place)
    for n in derived_path:
        st.expand(n)
    # a gate is on the path when its owner is and something on the path feeds it
    changed = True
    while changed:
        changed = False
        for g, children in st.gate_children.items():
            if g not in worst and st.gate_owner[g] in worst and any(c in worst for c in children):
                worst[g] = worst[st.gate_owner[g]]
                changed = True
    _prune_weakening_context(view, worst, keep=set(shown))
    # a verdict can be affected through a conflict (its slice), with no support path to draw
    for v in affected:
        if v not in depends:
            view.edge(assumption, v, {**BREAK_STYLES[category[v]], "style": "dotted", "label": "via a conflict",
                                      "fontcolor": "#616161"})
    for e in view.edges:
        if e.attrs.get("label") == "via a conflict":
            continue
        if e.src in worst and e.dst in worst and e.attrs.get("style") != "invis":
            e.attrs.update(BREAK_STYLES[worst[e.dst] if rank[worst[e.dst]] >= rank[worst[e.src]] else worst[e.src]])
            e.attrs.pop("label", None) if e.attrs.get("label") == "not" else None
        elif e.src not in worst:
            e.attrs.update({"color": "#bdbdbd", "fontcolor": "#9e9e9e"})
    for n in view.nodes:
        if n.key.startswith("gate:") and n.key not in worst:
            n.attrs.update({"fillcolor": "#e0e0e0", "fontcolor": "#9e9e9e", "color": "#bdbdbd"})
    kinds = [k for k in BREAK_STYLES if any(category.get(v) == k for v in affected)] or ["breaks"]
    add_legend(view, [("verdict after: " + s, {**VERDICT, "fillcolor": STATUS_FILL[s], "color": STATUS_PEN[s]})
                      for s in ("fails", "open", "holds") if any(after.get(v) == s for v in shown)],
               [(f"path to a verdict it {k}", BREAK_STYLES[k]) for k in kinds])
    return view


def _prune_weakening_context(view: ViewGraph, worst: dict[str, str], keep: set[str]) -> None:
    """Drop the off-path premises (and gates) that feed only weakened nodes: a weakening path is
    context, and drawing what else each of its steps needs made the myopia diagram a 6,000-pixel
    hairball. Premises next to a breaking step stay: they say why it breaks."""
    removed: set[str] = set()
    outgoing: dict[str, list[str]] = {}
    for e in view.edges:
        outgoing.setdefault(e.src, []).append(e.dst)
    changed = True
    while changed:
        changed = False
        for n in view.nodes:
            if n.key in worst or n.key in keep or n.key in removed or n.key.startswith("legend:"):
                continue
            outs = outgoing.get(n.key, [])
            if outs and all(d in removed or worst.get(d) == "weakens" for d in outs):
                removed.add(n.key)
                changed = True
    view.nodes[:] = [n for n in view.nodes if n.key not in removed]
    view._index = {n.key: n for n in view.nodes}
    view.edges[:] = [e for e in view.edges if e.src not in removed and e.dst not in removed]


CRUX_EDGES = {"breaks": {"color": "#c62828", "penwidth": "2.5"},      # (no `loses`: always empty)
              "weakens": {"color": "#9e9e9e", "style": "dashed"}}


def cruxes_view(amap: ArgumentMap, scenario, top: int = 10) -> ViewGraph:
    """Assumptions ranked by impact, each linked to the verdicts its failure breaks or weakens.

    Rank is layout order: the assumptions form one column, top to bottom in rank order, held there
    by invisible edges inside the column (Graphviz keeps a flat edge's tail before its head).
    Each label starts with ``#N``; edge colours say breaks / weakens (no edge labels: the
    legend says it once).
    """
    from argmap.analysis.queries import cruxes
    fixed = _scenario(amap, scenario)
    ranked = cruxes(amap, scenario.worldview, scenario.assume, scenario.deny, top=top).cruxes
    ranked = [c for c in ranked if c.breaks or c.weakens]
    linked = [v for v in amap.verdicts if any(v in c.breaks + c.weakens for c in ranked)]
    status = _engine_statuses(amap, fixed, linked)
    view = ViewGraph(title=f"Top {count(len(ranked), 'crux', 'cruxes')} under {scenario.describe()}\n"
                           "ranked by verdicts broken, then weakened if the assumption fails")
    view.cluster("cruxes", "assumptions, by impact (#1 on top)")
    for rank, c in enumerate(ranked, 1):
        notes = [c.assumption, f"breaks {len(c.breaks)}", f"weakens {len(c.weakens)}"]
        if c.undecided:         # (the time budget left them: each weakens or is unaffected)
            notes.append(f"undecided {len(c.undecided)}")
        attrs = node_attrs(amap, c.assumption, None, [], FOCUS)
        attrs["label"] = f"#{rank}  " + label(amap.text_of(c.assumption), " \u00b7 ".join(notes), FOCUS)
        view.node(c.assumption, attrs, "cruxes")
    # Rank order is layout order: top to bottom, crux #k sits on layout rank 2k (an invisible
    # chain), and each verdict one rank below the best-ranked crux that touches it (the only edge
    # that constrains it). Graphviz keeps ranks strictly; an order inside one rank (same_rank plus
    # flat edges, the first attempt) it does not keep.
    view.graph_attrs["rankdir"] = "TB"
    column = [c.assumption for c in ranked]
    for a, b in zip(column, column[1:]):
        view.edge(a, b, {"style": "invis", "weight": "100", "minlen": "2"})
    row: dict[str, str] = {}
    for c in ranked:
        for kind in CRUX_EDGES:
            for v in getattr(c, kind):
                row.setdefault(v, c.assumption)
    for v in linked:
        # (no proposal clusters: they span rows and tangle the edges; the verdict id names it)
        view.node(v, node_attrs(amap, v, status[v], [], FOCUS))
    for c in ranked:
        for kind in CRUX_EDGES:
            for v in getattr(c, kind):
                attrs = {**CRUX_EDGES[kind], "tooltip": f"{c.assumption} {kind} {v}"}
                if row[v] != c.assumption:
                    attrs["constraint"] = "false"
                view.edge(c.assumption, v, attrs)
    view.graph_attrs.update({"ranksep": "0.3", "nodesep": "0.4"})
    add_legend(view, [(f"verdict now: {s}", {**VERDICT, "fillcolor": STATUS_FILL[s], "color": STATUS_PEN[s]})
                      for s in ("holds", "open", "fails")],
               [(f"its failure {k} the verdict", a) for k, a in CRUX_EDGES.items()])
    return view



def grid(view: ViewGraph, rows: list[list[str]], stack_every_column: bool) -> None:
    """Lay out cells as a grid: each row one rank, kept in order by invisible edges, the rows
    stacked by heavy invisible edges between every column, or between the first cells only (for
    large grids: an edge per column would pass the 1,000 edges at which the renderer switches
    to sfdp, which scatters the grid)."""
    for row in rows:
        view.same_rank.append(row)
        for a, b in zip(row, row[1:]):
            view.edge(a, b, {"style": "invis"})
    for upper, lower in zip(rows, rows[1:]):
        for a, b in (zip(upper, lower) if stack_every_column else [(upper[0], lower[0])]):
            view.edge(a, b, {"style": "invis", "weight": "10"})

def matrix_view(amap: ArgumentMap, scenario) -> ViewGraph:
    """The proposal × component verdict matrix as a grid of cells (holds / fails / open)."""
    from argmap.analysis.queries import statuses
    status = statuses(amap, scenario)
    counts = {k: sum(s == k for s in status.values()) for k in ("holds", "fails", "open")}
    view = ViewGraph(title=f"Verdicts under {scenario.describe()}: {_status_counts(counts)}")
    view.graph_attrs.update({"rankdir": "TB", "nodesep": "0.08", "ranksep": "0.08", "splines": "false"})
    cell = {"shape": "box", "style": "filled", "width": "1.5", "height": "0.5", "fixedsize": "true",
            "fontsize": "12"}
    header = ["hdr:proposal", *(f"hdr:{c}" for c in COMPONENTS)]
    view.node("hdr:proposal", {**cell, "label": "proposal", "width": "3.4", "fillcolor": "#cfd8dc"})
    for c in COMPONENTS:
        view.node(f"hdr:{c}", {**cell, "label": c, "fillcolor": "#cfd8dc"})
    rows = [header]
    for p in amap.proposals.values():
        row = [f"row:{p.id}"]
        view.node(row[0], {**cell, "width": "3.4", "height": "0.7", "fillcolor": "#ffffff",
                           "label": label(p.title, p.id, Sizes(width=40, lines=2)),
                           "tooltip": normalise(p.title), "fontsize": "10"})
        for c in COMPONENTS:
            vid = f"{p.id}.{c}"
            s = status.get(vid)
            key = f"cell:{vid}"
            attrs = {**cell, "height": "0.7", "fillcolor": STATUS_FILL[s] if s else "#ffffff",
                     "color": STATUS_PEN[s] if s else "#bdbdbd",
                     "label": STATUS_MARK[s] if s else "(none)",
                     "tooltip": f"{vid}: {s}" if s else f"{p.id} declares no {c} verdict"}
            view.node(key, attrs)
            row.append(key)
        rows.append(row)
    grid(view, rows, stack_every_column=True)
    # legend: one row under the grid
    legend = [f"legend:{s}" for s in ("holds", "fails", "open")]
    for s, key in zip(("holds", "fails", "open"), legend):
        view.node(key, {**cell, "fillcolor": STATUS_FILL[s], "color": STATUS_PEN[s], "fontsize": "9",
                        "label": {"holds": "holds: entailed", "fails": "fails: refuted",
                                  "open": "open: depends on\nfree assumptions"}[s]})
    view.node("legend:title", {**cell, "width": "3.4", "label": "Legend", "style": "solid", "color": "white"})
    legend = ["legend:title", *legend]
    view.same_rank.append(legend)
    for a, b in zip(legend, legend[1:]):
        view.edge(a, b, {"style": "invis"})
    for a, b in zip(rows[-1], legend):
        view.edge(a, b, {"style": "invis", "weight": "10"})
    return view


COLLAPSE_IDLE = 3
COMPARE_EDGES = {"decides": {"color": "#6a1b9a", "penwidth": "2"},
                 "jointly": {"color": "#9575cd", "style": "dashed"}}


def compare_view(amap: ArgumentMap, w1: str, w2: str, scenario) -> ViewGraph:
    """Where two worldviews disagree, drawn from exactly the cruxes `argmap crux W1 W2` reports.

    A crux of one assumption gets a solid "decides" edge to its verdict; the members of a larger
    crux get dashed "jointly" edges. Differences in no crux are dimmed. Cruxes act through the
    verdict's slice, conflicts included (argmap.analysis.double_crux). ``--assume/--deny`` of the
    scenario apply to both sides before the comparison.
    """
    from argmap.analysis.double_crux import double_crux
    result = double_crux(amap, w1, w2, extra=(list(scenario.assume), list(scenario.deny)))
    diffs = [d.assumption for d in result.differences]
    setting_of = {d.assumption: (d.first, d.second) for d in result.differences}
    edges: dict[tuple[str, str], str] = {}
    for v in result.verdicts:
        for crux in v.cruxes:
            kind = "decides" if len(crux) == 1 else "jointly"
            for a in crux:
                if edges.get((a, v.verdict)) != "decides":
                    edges[(a, v.verdict)] = kind

    def setting(value):
        return "assumed" if value is True else "denied" if value is False else "free"

    differ = [v.verdict for v in result.verdicts]
    view = ViewGraph(title=f"{w1} vs {w2}: {count(len(differ), 'verdict differs', 'verdicts differ')}, "
                           f"{count(len(diffs), 'assumption')} set differently"
                           + (f"; both with {scenario.describe()}" if scenario.assume or scenario.deny else "")
                           + "\nedges: the cruxes of `argmap crux`, minimal sets of differences that carry "
                           f"{w1}'s status to {w2}'s")
    view.cluster("diffs", "assumptions the worldviews set differently")
    for p in dict.fromkeys(amap.verdicts[v].proposal for v in differ):
        view.cluster(f"proposal:{p}", f"{p}: {amap.proposals[p].title}")
    in_crux = {a for a, _ in edges}
    idle = [d for d in diffs if d not in in_crux]
    collapse = len(idle) > COLLAPSE_IDLE          # many idle differences: one small list, not a tall column
    for d in diffs:
        if collapse and d not in in_crux:
            continue
        first, second = setting_of[d]
        attrs = node_attrs(amap, d, None, [f"{w1}: {setting(first)}", f"{w2}: {setting(second)}"], FOCUS)
        if d not in in_crux:
            attrs.update(DIM)
        view.node(d, attrs, "diffs")
    if collapse:
        listing = wrap(", ".join(idle), 48, 40)
        view.node("idle:diffs", {**ASSUMPTION, **DIM, "fontsize": "9",
                                 "label": f"{len(idle)} other differences, in no crux:\n{listing}",
                                 "tooltip": ", ".join(idle)}, "diffs")
    for v in result.verdicts:
        attrs = node_attrs(amap, v.verdict, None, [f"{w1}: {v.first}", f"{w2}: {v.second}"], FOCUS)
        attrs["fillcolor"] = "#fff3e0"
        view.node(v.verdict, attrs, f"proposal:{amap.verdicts[v.verdict].proposal}")
    for (a, v), kind in edges.items():
        view.edge(a, v, {**COMPARE_EDGES[kind], "tooltip": f"{a} {kind} {v}"})
    view.graph_attrs["ranksep"] = "1.5"
    add_legend(view, [("in no crux (decides nothing)", {**ASSUMPTION, **DIM}),
                      ("verdict: status under each", {**VERDICT, "fillcolor": "#fff3e0", "color": "#37474f"})],
               [("a crux alone", COMPARE_EDGES["decides"]),
                ("part of a larger crux", COMPARE_EDGES["jointly"])])
    return view


def worldviews_matrix_view(amap: ArgumentMap, columns: list[tuple[str, dict[str, str] | None]]) -> ViewGraph:
    """Every verdict (rows, in map order) under several scenarios (columns), one coloured cell each.

    ``columns``: (heading, verdict → status) per scenario, the statuses None for an inconsistent
    scenario (its column is then white and says so). This replaces one matrix per worldview: the
    columns line up, so a reader sees at a glance where scenarios disagree.
    """
    rows_n = len(amap.verdicts)
    view = ViewGraph(title=f"{count(rows_n, 'verdict')} (rows) under {count(len(columns), 'scenario')} (columns)\n"
                           "green holds (entailed), red fails (refuted), grey open (depends on free assumptions)")
    view.graph_attrs.update({"rankdir": "TB", "nodesep": "0.04", "ranksep": "0.04", "splines": "false"})
    cell = {"shape": "box", "style": "filled", "width": "1.25", "height": "0.28", "fixedsize": "true",
            "fontsize": "9", "penwidth": "0.6"}
    short = {"holds": "\u2714", "fails": "\u2718", "open": "?"}
    header = ["hdr:verdict"]
    view.node("hdr:verdict", {**cell, "label": "verdict", "width": "3.2", "height": "0.6", "fillcolor": "#cfd8dc"})
    for i, (heading, _) in enumerate(columns):
        key = f"hdr:{i}"
        view.node(key, {**cell, "height": "0.6", "fillcolor": "#cfd8dc", "fontsize": "8",
                        "label": wrap(normalise(heading).replace("_", "_ "), 16, 3).replace("_ ", "_"),
                        "tooltip": normalise(heading)})      # (breaks lines after "_", not inside words)
        header.append(key)
    rows = [header]
    for v in amap.verdicts:
        row = [f"row:{v}"]
        view.node(row[0], {**cell, "width": "3.2", "fillcolor": "#ffffff", "label": v, "tooltip": amap.text_of(v)})
        for i, (heading, status) in enumerate(columns):
            s = status[v] if status else None
            key = f"cell:{i}:{v}"
            view.node(key, {**cell, "fillcolor": STATUS_FILL[s], "color": STATUS_PEN[s],
                            "label": short[s] if s else "inconsistent",
                            "tooltip": f"{v} under {heading}: {s or 'inconsistent scenario'}"})
            row.append(key)
        rows.append(row)
    grid(view, rows, stack_every_column=False)
    return view
