"""The argument map as immutable data: statements refer to each other by id, never by object.

This is the output of parse → build and the input of every later stage. It holds exactly what
the user wrote (texts, citations, notes, positions); meaning is computed elsewhere (argmap.engine.logic).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Union

COMPONENTS = ("outer", "inner", "training", "performance")


@dataclass(frozen=True, slots=True)
class Span:
    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


# ---- formulas ---------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Ref:
    name: str                       # an assumption, claim or verdict id (``p.outer``)
    span: Span = field(compare=False, hash=False)


@dataclass(frozen=True, slots=True)
class Not:
    arg: "Formula"


@dataclass(frozen=True, slots=True)
class And:
    args: tuple["Formula", ...]


@dataclass(frozen=True, slots=True)
class Or:
    args: tuple["Formula", ...]


Formula = Union[Ref, Not, And, Or]


def refs(formula: Formula) -> list[Ref]:
    """Every reference in a formula, left to right (iteratively: formulas may be wide)."""
    out: list[Ref] = []
    stack = [formula]
    while stack:
        f = stack.pop()
        if isinstance(f, Ref):
            out.append(f)
        elif isinstance(f, Not):
            stack.append(f.arg)
        else:
            stack.extend(reversed(f.args))
    return out


def show(formula: Formula) -> str:
    """The formula in the language's own syntax, fully parenthesised where precedence needs it."""
    if isinstance(formula, Ref):
        return formula.name
    if isinstance(formula, Not):
        inner = show(formula.arg)
        return f"not {inner}" if isinstance(formula.arg, (Ref, Not)) else f"not ({inner})"
    if isinstance(formula, And):
        return " and ".join(show(a) if not isinstance(a, Or) else f"({show(a)})" for a in formula.args)
    return " or ".join(show(a) for a in formula.args)


# ---- provenance -------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Citation:
    source: str
    locator: str
    quote: str
    span: Span


@dataclass(frozen=True, slots=True)
class Provenance:
    citations: tuple[Citation, ...] = ()
    notes: tuple[str, ...] = ()


# ---- statements -------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Source:
    id: str
    title: str
    span: Span
    by: str | None = None
    year: int | None = None
    file: str | None = None
    url: str | None = None          # where a reader gets the text
    sha256: str | None = None       # of the file's bytes that the quotes were checked against
    provenance: Provenance = Provenance()


@dataclass(frozen=True, slots=True)
class Assumption:
    id: str
    text: str
    span: Span
    provenance: Provenance = Provenance()


@dataclass(frozen=True, slots=True)
class Support:
    """One sufficient support: ``when and not (unless)``."""

    when: Formula
    unless: Formula | None
    span: Span

    @property
    def formula(self) -> Formula:
        return self.when if self.unless is None else And((self.when, Not(self.unless)))


@dataclass(frozen=True, slots=True)
class Claim:
    id: str
    text: str
    supports: tuple[Support, ...]
    span: Span
    provenance: Provenance = Provenance()
    kind: Literal["claim"] = "claim"


@dataclass(frozen=True, slots=True)
class Verdict:
    """``PROPOSAL.COMPONENT``: derived like a claim from the proposal's component lines."""

    id: str
    proposal: str
    component: str
    supports: tuple[Support, ...]
    span: Span
    kind: Literal["verdict"] = "verdict"

    @property
    def text(self) -> str:
        return f"{self.proposal} is {_COMPONENT_WORDS[self.component]}"


_COMPONENT_WORDS = {"outer": "outer aligned", "inner": "inner aligned",
                    "training": "training competitive", "performance": "performance competitive"}


@dataclass(frozen=True, slots=True)
class Proposal:
    id: str
    title: str
    span: Span
    verdicts: tuple[str, ...]           # verdict ids this proposal declares, in component order
    provenance: Provenance = Provenance()
    component_notes: tuple[tuple[str, tuple[str, ...]], ...] = ()


@dataclass(frozen=True, slots=True)
class Conflict:
    id: str
    formula: Formula
    span: Span
    provenance: Provenance = Provenance()


@dataclass(frozen=True, slots=True)
class WorldviewLine:
    kind: Literal["assume", "deny", "credence"]
    assumption: str
    span: Span
    credence: float | None = None
    provenance: Provenance = Provenance()


@dataclass(frozen=True, slots=True)
class Worldview:
    id: str
    text: str
    lines: tuple[WorldviewLine, ...]
    span: Span
    provenance: Provenance = Provenance()

    def fixed(self) -> dict[str, bool]:
        """The assumptions this worldview fixes (assume → True, deny → False; credence 1/0 too)."""
        out: dict[str, bool] = {}
        for ln in self.lines:
            if ln.kind == "assume" or (ln.kind == "credence" and ln.credence == 1.0):
                out[ln.assumption] = True
            elif ln.kind == "deny" or (ln.kind == "credence" and ln.credence == 0.0):
                out[ln.assumption] = False
        return out

    def credences(self) -> dict[str, float]:
        return {ln.assumption: ln.credence for ln in self.lines if ln.kind == "credence"}


ExpectKind = Literal["requires", "uses", "independent_of", "status", "consistent"]


@dataclass(frozen=True, slots=True)
class Expect:
    kind: ExpectKind
    span: Span
    text: str                            # the statement as written, for reports
    under: str | None = None             # worldview id
    target: str | None = None            # verdict or claim id
    assumption: str | None = None
    positive: bool = True                # `requires not A` / `uses not A`
    status: str | None = None            # holds | fails | open
    provenance: Provenance = Provenance()


Derived = Union[Claim, Verdict]


@dataclass
class ArgumentMap:
    """A whole map: every statement of every file, one namespace.

    Dicts keep declaration order (sorted file order, then line order), which every output uses.
    """

    files: list[str] = field(default_factory=list)
    sources: dict[str, Source] = field(default_factory=dict)
    assumptions: dict[str, Assumption] = field(default_factory=dict)
    claims: dict[str, Claim] = field(default_factory=dict)
    proposals: dict[str, Proposal] = field(default_factory=dict)
    verdicts: dict[str, Verdict] = field(default_factory=dict)
    conflicts: dict[str, Conflict] = field(default_factory=dict)
    worldviews: dict[str, Worldview] = field(default_factory=dict)
    expects: list[Expect] = field(default_factory=list)
    diagnostics: list = field(default_factory=list)     # warnings of a loaded map
    # Left by syntax errors (argmap.language.parse.damage), so that validation adds no follow-on
    # errors: names whose declaration is broken or incomplete, and words of the dropped lines.
    damaged: set = field(default_factory=set, repr=False, compare=False)
    mentioned_in_damage: set = field(default_factory=set, repr=False, compare=False)
    _cache: dict = field(default_factory=dict, repr=False, compare=False)

    def derived(self, node_id: str) -> Derived | None:
        return self.claims.get(node_id) or self.verdicts.get(node_id)

    def kind_of(self, node_id: str) -> str | None:
        for kind, table in (("assumption", self.assumptions), ("claim", self.claims),
                            ("verdict", self.verdicts), ("proposal", self.proposals),
                            ("conflict", self.conflicts), ("worldview", self.worldviews),
                            ("source", self.sources)):
            if node_id in table:
                return kind
        return None

    def text_of(self, node_id: str) -> str:
        node = self.assumptions.get(node_id) or self.derived(node_id)
        return node.text if node is not None else node_id

    def span_of(self, node_id: str) -> Span | None:
        for table in (self.assumptions, self.claims, self.verdicts, self.proposals,
                      self.conflicts, self.worldviews, self.sources):
            if node_id in table:
                return table[node_id].span
        return None

    def statement_count(self) -> int:
        return (len(self.sources) + len(self.assumptions) + len(self.claims) + len(self.proposals)
                + len(self.conflicts) + len(self.worldviews) + len(self.expects))
