"""A brute-force truth-table oracle for small maps: the meaning of LANGUAGE.md, computed naively.

Written independently of argmap.engine.logic (no solver, no propagation): it enumerates every assignment
of the assumptions and every partial assignment (term) to find statuses and minimal supports.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field


@dataclass
class SmallMap:
    assumptions: list[str]
    claims: dict[str, list[tuple[str, str | None]]] = field(default_factory=dict)   # id -> [(when, unless)]
    verdicts: dict[str, list[tuple[str, str | None]]] = field(default_factory=dict)  # "p.outer" -> supports
    conflicts: list[str] = field(default_factory=list)
    worldviews: dict[str, dict[str, bool]] = field(default_factory=dict)

    def text(self) -> str:
        out = [f'assumption {a}: "assumption {a}"' for a in self.assumptions]
        for cid, sups in self.claims.items():
            out.append(f'claim {cid}: "claim {cid}"')
            out += [f"  if {w}" + (f" unless {u}" if u else "") for w, u in sups]
        proposals: dict[str, list[str]] = {}
        for vid, sups in self.verdicts.items():
            pid, comp = vid.split(".")
            proposals.setdefault(pid, []).extend(f"  {comp}: {w}" + (f" unless {u}" if u else "") for w, u in sups)
        for pid, lines in proposals.items():
            out.append(f'proposal {pid}: "proposal {pid}"')
            out += lines
        out += [f"conflict k{i}: {c}" for i, c in enumerate(self.conflicts)]
        for wid, fixed in self.worldviews.items():
            out.append(f'worldview {wid}: "worldview {wid}"')
            out += [f"  {'assume' if v else 'deny'} {a}" for a, v in fixed.items()]
        return "\n".join(out) + "\n"


def evaluate(expr: str, env: dict[str, bool]) -> bool:
    # The generated expressions use only ids, `and`, `or`, `not` and parentheses, whose Python
    # precedence (not > and > or) is the language's, so Python can evaluate them directly.
    names = {k.replace(".", "__"): v for k, v in env.items()}
    return bool(eval(expr.replace(".", "__"), {"__builtins__": {}}, names))  # noqa: S307


class Oracle:
    def __init__(self, m: SmallMap):
        self.m = m
        self.nodes = list(m.claims) + list(m.verdicts)
        self.worlds = []
        for values in itertools.product([False, True], repeat=len(m.assumptions)):
            env = dict(zip(m.assumptions, values))
            for nid, sups in list(m.claims.items()) + list(m.verdicts.items()):
                env[nid] = any(evaluate(w, env) and not (u and evaluate(u, env)) for w, u in sups)
            if not any(evaluate(c, env) for c in m.conflicts):
                self.worlds.append(env)

    def models(self, fixed: dict[str, bool]):
        return [w for w in self.worlds if all(w[a] == v for a, v in fixed.items())]

    def status(self, node: str, fixed: dict[str, bool]) -> str:
        ms = self.models(fixed)
        if not ms:
            return "inconsistent"
        vals = {w[node] for w in ms}
        return "holds" if vals == {True} else "fails" if vals == {False} else "open"

    def nogoods(self) -> list[dict[str, bool]]:
        """Minimal terms that no model satisfies."""
        terms = []
        for choice in itertools.product([None, False, True], repeat=len(self.m.assumptions)):
            term = {a: v for a, v in zip(self.m.assumptions, choice) if v is not None}
            if not any(all(w[a] == v for a, v in term.items()) for w in self.worlds):
                terms.append(term)
        minimal = [t for t in terms if not any(o != t and o.items() <= t.items() for o in terms)]
        return sorted(minimal, key=lambda s: (len(s), sorted((k, not v) for k, v in s.items())))

    def supports(self, node: str, fixed: dict[str, bool], value: bool = True) -> list[dict[str, bool]]:
        free = [a for a in self.m.assumptions if a not in fixed]
        ms = self.models(fixed)
        implicants = []
        for choice in itertools.product([None, False, True], repeat=len(free)):
            term = {a: v for a, v in zip(free, choice) if v is not None}
            covered = [w for w in ms if all(w[a] == v for a, v in term.items())]
            if covered and all(w[node] == value for w in covered):
                implicants.append(term)
        minimal = [t for t in implicants
                   if not any(o != t and o.items() <= t.items() for o in implicants)]
        return sorted(minimal, key=lambda s: (len(s), sorted((k, not v) for k, v in s.items())))

    def what_breaks(self, a: str, fixed: dict[str, bool], verdicts: list[str]) -> dict:
        after_fixed = {**fixed, a: False}
        if fixed.get(a) is True or not self.models(after_fixed):      # W ∧ ¬A has no model
            return {"forced": True, "breaks": [], "loses": [], "weakens": [], "unaffected": list(verdicts)}
        out = {"forced": False, "breaks": [], "loses": [], "weakens": [], "unaffected": []}
        for v in verdicts:
            before, after = self.status(v, fixed), self.status(v, after_fixed)
            sups = self.supports(v, fixed)
            with_a = [s for s in sups if s.get(a) is True]
            if before != "fails" and after == "fails":
                out["breaks"].append(v)
            elif before == "holds" and after != "holds":
                out["loses"].append(v)
            elif with_a and len(with_a) < len(sups):
                out["weakens"].append(v)
            else:
                out["unaffected"].append(v)
        return out

    def needs(self, node: str, fixed: dict[str, bool]) -> list[dict[str, bool]]:
        """V's prime implicates over the free assumptions, found directly as clauses (not from
        supports): minimal clauses C, each a dict of literals of which one must hold, such that
        every model of V satisfies C and some model falsifies every literal of C."""
        free = [a for a in self.m.assumptions if a not in fixed]
        ms = self.models(fixed)
        clauses = []
        for choice in itertools.product([None, False, True], repeat=len(free)):
            clause = {a: v for a, v in zip(free, choice) if v is not None}
            implied = all(any(w[a] == v for a, v in clause.items()) for w in ms if w[node])
            refutable = any(all(w[a] != v for a, v in clause.items()) for w in ms)
            if implied and refutable:
                clauses.append(clause)
        minimal = [c for c in clauses if not any(o != c and o.items() <= c.items() for o in clauses)]
        return sorted(minimal, key=lambda s: (len(s), sorted((k, not v) for k, v in s.items())))

    def cuts(self, node: str, fixed: dict[str, bool]) -> list[dict[str, bool]]:
        """Cut sets: each need read negated (a minimal consistent way for the node to fail)."""
        return [{a: not v for a, v in c.items()} for c in self.needs(node, fixed)]

    def takes_down(self, cut: dict[str, bool], fixed: dict[str, bool], others: list[str]) -> list[str]:
        """The verdicts among ``others`` that do not fail under ``fixed`` but fail with ``cut`` added."""
        return [v for v in others if self.status(v, fixed) != "fails"
                and self.status(v, {**fixed, **cut}) == "fails"]
