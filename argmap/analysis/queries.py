"""Questions a user asks of a map, answered as pydantic results (the CLI prints the same objects).

Every function takes a loaded :class:`ArgumentMap` and a scenario (a worldview plus ``assume`` /
``deny`` literals). One :class:`argmap.engine.logic.Engine` is built per map and reused by every query.
"""

from __future__ import annotations

from typing import Literal as Lit

from pydantic import BaseModel, Field

from argmap.language.diagnostics import Diagnostic, InconsistentError, UsageError
from argmap.language.model import ArgumentMap, Expect
from argmap.language.validate import suggest

Status = Lit["holds", "fails", "open", "inconsistent"]
DEFAULT_SUPPORT_LIMIT = 1000


# ---- scenarios --------------------------------------------------------------------------------
class Scenario(BaseModel):
    """A worldview plus literals from the command line; later literals override the worldview's."""

    worldview: str | None = None
    assume: list[str] = Field(default_factory=list)
    deny: list[str] = Field(default_factory=list)

    def fixed(self, amap: ArgumentMap) -> dict[str, bool]:
        out: dict[str, bool] = {}
        if self.worldview is not None:
            if self.worldview not in amap.worldviews:
                raise UsageError(f"unknown worldview `{self.worldview}`",
                                 hint=suggest(self.worldview, amap.worldviews)
                                 or _choices("worldviews", amap.worldviews))
            out.update(amap.worldviews[self.worldview].fixed())
        for names, value in ((self.assume, True), (self.deny, False)):
            for name in names:
                require_assumption(amap, name)
                if name in out and out[name] != value and (name in self.assume and name in self.deny):
                    raise UsageError(f"`{name}` is both assumed and denied")
                out[name] = value
        return out

    def describe(self) -> str:
        parts = [f"worldview {self.worldview}"] if self.worldview else []
        parts += [f"assume {a}" for a in self.assume] + [f"deny {d}" for d in self.deny]
        return ", ".join(parts) or "the empty worldview"


def _choices(what: str, names) -> str:
    names = list(names)
    return f"the map's {what}: " + (", ".join(names[:12]) + (" ..." if len(names) > 12 else "") if names else "none")


def require_assumption(amap: ArgumentMap, name: str) -> None:
    if name not in amap.assumptions:
        kind = amap.kind_of(name)
        if kind:
            raise UsageError(f"`{name}` is a {kind}, not an assumption",
                             hint="only assumptions can be assumed, denied or broken")
        raise UsageError(f"unknown assumption `{name}`",
                         hint=suggest(name, amap.assumptions) or _choices("assumptions", amap.assumptions))


def require_node(amap: ArgumentMap, name: str) -> None:
    if name not in amap.verdicts and name not in amap.claims:
        kind = amap.kind_of(name)
        if kind == "assumption":
            raise UsageError(f"`{name}` is an assumption: it holds only if assumed",
                             hint="ask about a claim or a verdict (`proposal.component`)")
        raise UsageError(f"unknown verdict or claim `{name}`",
                         hint=suggest(name, list(amap.verdicts) + list(amap.claims))
                         or _choices("verdicts", amap.verdicts))


def engine(amap: ArgumentMap, timeout_ms: int | None = None):
    """The map's engine, compiled on first use and cached on the map (one encoding per map)."""
    from argmap.engine.logic import DEFAULT_TIMEOUT_MS, Engine
    if "engine" not in amap._cache:
        amap._cache["engine"] = Engine(amap, timeout_ms or DEFAULT_TIMEOUT_MS)
    return amap._cache["engine"]


# ---- inconsistency ----------------------------------------------------------------------------
class ConflictItem(BaseModel):
    kind: str
    id: str
    file: str | None = None
    line: int | None = None
    text: str


def explain_conflict(amap: ArgumentMap, fixed: dict[str, bool], scenario: Scenario | None = None,
                     keep: tuple[str, bool] | None = None) -> list[ConflictItem]:
    """The minimal set of statements behind an inconsistency, each with its place and text."""
    from argmap.language.model import show
    wv = amap.worldviews.get(scenario.worldview) if scenario and scenario.worldview else None
    items = []
    for t in engine(amap).conflict(fixed, keep=keep):
        if t.kind == "conflict":
            c = amap.conflicts[t.id]
            items.append(ConflictItem(kind="conflict", id=t.id, file=c.span.file, line=c.span.line,
                                      text=f"never: {show(c.formula)}"))
        elif t.kind == "fixed":
            from_cli = scenario is not None and (t.id in scenario.assume or t.id in scenario.deny)
            line = None if from_cli or wv is None else next((ln for ln in wv.lines if ln.assumption == t.id), None)
            verb = "assume" if t.value else "deny"
            origin = f"worldview {wv.id}" if line is not None else "command line"
            items.append(ConflictItem(kind="fixed", id=t.id, file=line.span.file if line else None,
                                      line=line.span.line if line else None,
                                      text=f"{verb} {t.id} ({origin}): {amap.text_of(t.id)}"))
        else:
            node = amap.derived(t.id)
            items.append(ConflictItem(kind=t.kind, id=t.id, file=node.span.file, line=node.span.line,
                                      text=_definition(node)))
    return items


def _definition(node) -> str:
    from argmap.language.model import show
    supports = [show(s.formula) for s in node.supports]
    body = " or ".join(f"({s})" if len(supports) > 1 else s for s in supports) or "false"
    return f"{node.id} holds exactly when {body}"


def _require_consistent(amap, fixed, scenario) -> None:
    if not engine(amap).consistent(fixed):
        raise InconsistentError(f"{scenario.describe()} is inconsistent with the map",
                                explain_conflict(amap, fixed, scenario))


# ---- statuses ---------------------------------------------------------------------------------
def statuses(amap: ArgumentMap, scenario: Scenario | None = None, nodes=None) -> dict[str, Status]:
    """Status of each node (default: every verdict). Raises InconsistentError for a bad scenario."""
    scenario = scenario or Scenario()
    fixed = scenario.fixed(amap)
    _require_consistent(amap, fixed, scenario)
    nodes = list(amap.verdicts) if nodes is None else list(nodes)
    return _statuses(amap, fixed, nodes)


def _statuses(amap, fixed, nodes) -> dict[str, Status]:
    values = engine(amap).values(fixed, nodes)
    return {n: ("open" if v is None else "holds" if v else "fails") for n, v in values.items()}


class Verdicts(BaseModel):
    verdicts: dict[str, Status]


def verdicts(amap: ArgumentMap, worldview: str | None = None, assume=(), deny=()) -> Verdicts:
    """Every verdict's status under a scenario (the 12×4 matrix for the bundled corpus)."""
    scenario = Scenario(worldview=worldview, assume=list(assume), deny=list(deny))
    return Verdicts(verdicts=statuses(amap, scenario))


# ---- why --------------------------------------------------------------------------------------
class Why(BaseModel):
    verdict: str
    status: Status
    supports: list[dict[str, bool]]
    truncated: bool = False
    # which bound stopped a truncated answer: "limit" (--limit), "budget" (--timeout) or
    # "calls" (the solver-call cap of library use without a time budget)
    stopped_by: Lit["limit", "budget", "calls"] | None = None


def why(amap: ArgumentMap, node: str, worldview: str | None = None, assume=(), deny=(),
        limit: int = DEFAULT_SUPPORT_LIMIT) -> Why:
    """Status and every minimal support set of a verdict or claim.

    A support maps assumptions to the values that, together with the scenario, entail the node.
    """
    require_node(amap, node)
    scenario = Scenario(worldview=worldview, assume=list(assume), deny=list(deny))
    fixed = scenario.fixed(amap)
    _require_consistent(amap, fixed, scenario)
    status = _statuses(amap, fixed, [node])[node]
    if status == "fails":
        return Why(verdict=node, status=status, supports=[])
    eng = engine(amap)
    found, truncated = eng.supports(node, fixed, limit=limit)
    return Why(verdict=node, status=status, supports=found, truncated=truncated,
               stopped_by=eng.stopped_by if truncated else None)


# ---- what breaks ------------------------------------------------------------------------------
class WhatBreaks(BaseModel):
    assumption: str
    breaks: list[str]
    loses: list[str]
    weakens: list[str]
    unaffected: list[str]
    forced: bool = False
    forced_by: list[ConflictItem] = Field(default_factory=list)


def what_breaks(amap: ArgumentMap, assumption: str, worldview: str | None = None, assume=(), deny=(),
                nodes=None) -> WhatBreaks:
    """Compare the scenario with the scenario plus ``not assumption``, verdict by verdict."""
    require_assumption(amap, assumption)
    scenario = Scenario(worldview=worldview, assume=list(assume), deny=list(deny))
    fixed = scenario.fixed(amap)
    _require_consistent(amap, fixed, scenario)
    nodes = list(amap.verdicts) if nodes is None else list(nodes)
    return _what_breaks(amap, assumption, fixed, nodes, scenario)


def _what_breaks(amap, assumption, fixed, nodes, scenario, before=None, supports=None,
                 affected=None) -> WhatBreaks:
    eng = engine(amap)
    after_fixed = {**fixed, assumption: False}
    if fixed.get(assumption) is True or not eng.consistent(after_fixed):
        # W ∧ ¬A is unsatisfiable (the dict update above would silently drop W's `assume A`)
        forced_by = explain_conflict(amap, fixed, scenario, keep=(assumption, False))
        return WhatBreaks(assumption=assumption, breaks=[], loses=[], weakens=[], unaffected=list(nodes),
                          forced=True, forced_by=forced_by)
    before = before or _statuses(amap, fixed, nodes)
    # Both scenarios are consistent, so a node whose slice lacks the assumption keeps its status
    # (argmap/slicing.py); only the others are decided again.
    if affected is None:
        affected = [n for n in nodes if eng.slicer.in_slice(n, assumption)]
    after = {**before, **_statuses(amap, after_fixed, affected)} if affected else before
    out = WhatBreaks(assumption=assumption, breaks=[], loses=[], weakens=[], unaffected=[])
    for n in nodes:
        if before[n] != "fails" and after[n] == "fails":
            out.breaks.append(n)
        elif before[n] == "holds" and after[n] != "holds":
            out.loses.append(n)
        elif before[n] == "open" and assumption not in fixed and _uses(eng, n, fixed, (assumption, True), supports):
            # (an open verdict that does not fail after keeps a support without A, so "not every")
            out.weakens.append(n)
        else:
            out.unaffected.append(n)
    return out


def _uses(eng, node, fixed, lit, supports=None) -> bool:
    if supports is not None and node in supports:
        found, truncated = supports[node]
        if not truncated:
            return any(s.get(lit[0]) is lit[1] for s in found)
    found, _ = eng.supports(node, fixed, must=lit)
    return bool(found)


# ---- cruxes -----------------------------------------------------------------------------------
class Crux(BaseModel):
    assumption: str
    breaks: list[str]
    loses: list[str]
    weakens: list[str]
    score: int


class Cruxes(BaseModel):
    cruxes: list[Crux]


def cruxes(amap: ArgumentMap, worldview: str | None = None, assume=(), deny=(),
           limit: int = DEFAULT_SUPPORT_LIMIT) -> Cruxes:
    """Free assumptions ranked by what their failure breaks, then loses, then weakens; ties by id.

    ``score = (breaks·(V+1) + loses)·(V+1) + weakens`` for V verdicts, so that ordering by score is
    exactly that lexicographic order.
    """
    scenario = Scenario(worldview=worldview, assume=list(assume), deny=list(deny))
    fixed = scenario.fixed(amap)
    _require_consistent(amap, fixed, scenario)
    nodes = list(amap.verdicts)
    before = _statuses(amap, fixed, nodes)
    eng = engine(amap)
    supports = {n: eng.supports(n, fixed, limit=limit) for n in nodes if before[n] == "open"}
    affected: dict[str, list[str]] = {}         # assumption -> the verdicts whose slice holds it
    for n in nodes:
        for a in eng.slice(n):
            affected.setdefault(a, []).append(n)
    base = len(nodes) + 1
    out = []
    for a in amap.assumptions:
        if a in fixed:
            continue
        wb = _what_breaks(amap, a, fixed, nodes, scenario, before=before, supports=supports,
                          affected=affected.get(a, []))
        if wb.forced:
            continue
        score = (len(wb.breaks) * base + len(wb.loses)) * base + len(wb.weakens)
        out.append(Crux(assumption=a, breaks=wb.breaks, loses=wb.loses, weakens=wb.weakens, score=score))
    out.sort(key=lambda c: (-c.score, c.assumption))
    return Cruxes(cruxes=out)


# ---- expectations -----------------------------------------------------------------------------
class FailedExpect(BaseModel):
    expect: str
    file: str
    line: int
    why: str


class TestReport(BaseModel):
    passed: int
    failed: list[FailedExpect]


def run_tests(amap: ArgumentMap) -> TestReport:
    """Run every `expect` statement of the map."""
    passed, failed = 0, []
    for ex in amap.expects:
        problem = check_expect(amap, ex)
        if problem is None:
            passed += 1
        else:
            failed.append(FailedExpect(expect=ex.text, file=ex.span.file, line=ex.span.line, why=problem))
    return TestReport(passed=passed, failed=failed)


def _fmt_support(s: dict[str, bool]) -> str:
    return "{" + ", ".join(k if v else f"not {k}" for k, v in sorted(s.items())) + "}"


def _fmt_assignment(amap, assignment: dict[str, bool], node: str | None) -> str:
    eng = engine(amap)
    keys = sorted(eng.cone(node)) if node else sorted(assignment)
    return ", ".join(f"{k}={'true' if assignment[k] else 'false'}" for k in keys) or "(no assumptions)"


def check_expect(amap: ArgumentMap, ex: Expect) -> str | None:
    """None if the expectation holds, else why not (in words, with supports or a counter-example)."""
    scenario = Scenario(worldview=ex.under)
    fixed = scenario.fixed(amap)
    eng = engine(amap)
    where = f"under worldview {ex.under}" if ex.under else "in the map"
    if not eng.consistent(fixed):
        if ex.kind == "consistent":
            return f"{where} is inconsistent: " + "; ".join(
                f"{c.text} [{c.file}:{c.line}]" if c.file else c.text for c in explain_conflict(amap, fixed, scenario))
        return f"{where.capitalize()}, the scenario is inconsistent, so nothing can be tested"
    if ex.kind == "consistent":
        return None
    node = ex.target
    if ex.kind == "status":
        status = _statuses(amap, fixed, [node])[node]
        if status == ex.status:
            return None
        detail = ""
        if ex.status in ("holds", "open") and status != "holds":
            cm = eng.counterexample(fixed, node, False)
            detail = f"; it fails with {_fmt_assignment(amap, cm, node)}" if cm else ""
        if ex.status in ("fails", "open") and status != "fails":
            cm = eng.counterexample(fixed, node, True)
            found, _ = eng.supports(node, fixed, limit=3)
            detail += f"; it holds with {_fmt_assignment(amap, cm, node)}" if cm else ""
            if found:
                detail += "; minimal supports include " + ", ".join(_fmt_support(s) for s in found)
        return f"{node} is {status} {where}, not {ex.status}{detail}"
    lit = (ex.assumption, ex.positive)
    shown = ex.assumption if ex.positive else f"not {ex.assumption}"
    if ex.kind == "uses":
        if _uses(eng, node, fixed, lit):
            return None
        found, truncated = eng.supports(node, fixed, limit=5)
        listing = ", ".join(_fmt_support(s) for s in found) or "none (it cannot hold)"
        return f"no minimal support of {node} {where} contains {shown}; supports: {listing}" + (" ..." if truncated else "")
    if ex.kind == "requires":
        found, truncated = eng.supports(node, fixed, limit=50)
        if not found:
            return f"{node} has no minimal support {where} (it cannot hold), so it requires nothing"
        lacking = [s for s in found if s.get(lit[0]) is not lit[1]]
        if not lacking and truncated:
            other = {**fixed, lit[0]: not lit[1]}
            if eng.consistent(other) and _statuses(amap, other, [node])[node] != "fails":
                lacking = eng.supports(node, other, limit=1)[0]
        if not lacking:
            return None
        return f"{node} has a minimal support {where} without {shown}: {_fmt_support(lacking[0])}"
    # independent_of
    for value in (True, False):
        found, _ = eng.supports(node, fixed, must=(ex.assumption, value))
        if found:
            return f"the minimal support {_fmt_support(found[0])} of {node} {where} contains {ex.assumption}"
    return None


# ---- check ------------------------------------------------------------------------------------
class CheckReport(BaseModel):
    ok: bool
    diagnostics: list[Diagnostic]


def semantic_diagnostics(amap: ArgumentMap) -> list[Diagnostic]:
    """Problems that need the solver: inconsistent map or worldviews, failed expectations."""
    out: list[Diagnostic] = []
    eng = engine(amap)
    if not eng.consistent({}):
        items = explain_conflict(amap, {})
        first = next((i for i in items if i.file), None)
        out.append(Diagnostic(severity="error", code="E301", file=first.file if first else amap.files[0],
                              line=first.line if first else 1, column=1,
                              message="the map is inconsistent: " + "; ".join(
                                  f"{i.text} [{i.file}:{i.line}]" for i in items),
                              hint="a conflict can never be true; relax it or the claims that force it"))
        return out
    for wv in amap.worldviews.values():
        fixed = wv.fixed()
        if not eng.consistent(fixed):
            items = explain_conflict(amap, fixed, Scenario(worldview=wv.id))
            out.append(Diagnostic(severity="error", code="E302", file=wv.span.file, line=wv.span.line,
                                  column=wv.span.column,
                                  message=f"worldview `{wv.id}` is inconsistent: " + "; ".join(
                                      f"{i.text} [{i.file}:{i.line}]" if i.file else i.text for i in items),
                                  hint="drop or change one of the listed lines"))
    for ex in amap.expects:
        problem = check_expect(amap, ex)
        if problem:
            out.append(Diagnostic(severity="error", code="E401", file=ex.span.file, line=ex.span.line,
                                  column=ex.span.column, message=f"expectation failed: {ex.text}: {problem}"))
    return out


def check(paths="claims") -> CheckReport:
    """Everything `argmap check` reports: syntax, names, consistency, expectations."""
    from argmap.language.diagnostics import sort_diagnostics
    from argmap.language.loader import read_map
    amap, diags = read_map(paths)
    if not any(d.severity == "error" for d in diags):
        diags = sort_diagnostics(diags + semantic_diagnostics(amap))
    return CheckReport(ok=not any(d.severity == "error" for d in diags), diagnostics=diags)
