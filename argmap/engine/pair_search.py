"""Whether some minimal support contains a literal, decided exactly without listing supports.

Two searches over the same characterisation (below): ``by_worlds`` when the literal's conflict
component is small (a handful of solver calls), else ``in_some_support`` (counter-example guided).

argmap/engine/relevance.py answers most such questions with two one-call tests, neither complete
(its docstring gives an example both miss). The questions they leave were answered by listing the
supports that contain the literal (MARCO): about 1 s each on the generated wide 1k map, 22 of the
37 s of `cruxes` there. This module decides them by a counterexample-guided search instead.

Let T be the target (V, or ¬V for cut sets), K the conflicts of V's slice, g = ¬K ∨ T over the
slice's free assumptions, and ℓ the literal (A or ¬A). A minimal support (a prime implicant of g
consistent with K) contains ℓ exactly when there are two assignments

    z ⊨ ℓ ∧ K ∧ T        and        w ⊨ ¬ℓ ∧ K ∧ ¬T

such that P = {ℓ} ∪ {the literals z and w share} is an implicant of g.

* If so: P \\ {ℓ} holds in w, where g is false, so every prime implicant inside P keeps ℓ; it is
  consistent with K, since z satisfies it and K.
* Conversely, let Q be such a prime implicant. Some z ⊇ Q satisfies K (and then T, as Q implies
  g). Q \\ {ℓ} is not an implicant, so it holds in some w with K ∧ ¬T, and w falsifies ℓ (else
  w ⊇ Q). Both contain Q \\ {ℓ}, so P ⊇ Q, and a superset of an implicant is one.

The search. One solver holds the slice twice: w under the engine's names with its conflicts
asserted, z under ``z_`` names with its conflicts as one literal, passed with every pick. It picks a pair (z, w), then asks the w copy for a y with
ℓ, K and ¬T that agrees with P. None: P is an implicant, the answer is yes. Otherwise the
justification J of "K and ¬T" read from y (argmap/engine/justify.py: literals of y under which
Kleene propagation already makes T and every conflict false) holds in a counterexample for every
P that does not contradict it, so each later pair must have some v ∈ J with z_v = w_v ≠ y_v:
one clause over defined literals "z and w both give v the value b". The current pair breaks
that clause, so every round removes at least one pair and the search ends; when no pair is
left, the answer is no. Both answers are proofs; only the number of rounds depends on luck.
"""

from __future__ import annotations

import itertools

import z3

from argmap.engine import budget, justify
from argmap.engine.definitions import engine_name, slice_text, write

PREFIX = "z_"               # the second copy's names (the engine's are a<i>, d<j>)
MAX_ROUNDS = 2000           # then the caller lists supports instead (None)
KEPT = 4                    # pair solvers kept per engine (each is two copies of a slice)


class Pairs:
    """Two copies of one node's slice in one solver, and what the justifications read."""

    def __init__(self, eng, node: str):
        shard = eng.slicer.slice_shard(node)
        self.ids = shard.ids
        self.assumptions = sorted((a for a in shard.ids if a in eng.amap.assumptions), key=eng._rank.__getitem__)
        # w: the slice under the engine's names, its conflicts asserted; z: a copy, whose
        # conflicts holding is the literal ``self.k``
        z_names = {a: PREFIX + eng.names[a] for a in self.assumptions}
        text = [eng._shard_smt(shard)] + [f"(declare-const {n} Bool)" for n in z_names.values()]
        k, _ = slice_text(eng, shard, node, PREFIX, z_names, text)
        self.solver = eng._new_solver("\n".join(text))
        self.k = z3.Bool(k, eng.ctx)
        self.order = sorted((d for d in shard.ids if d in eng._position), key=eng._position.__getitem__)
        self.conflicts = [eng.amap.conflicts[c].formula for g in sorted(shard.groups)
                          for c in eng.slicer.group_conflicts(g)]
        self._agree: dict[tuple[str, bool], object] = {}
        self._questions = 0
        self._eng = eng

    def z(self, name: str):
        return z3.Bool(PREFIX + self._eng.names[name], self._eng.ctx)

    def agree(self, name: str, value: bool):
        """The literal "z and w both give ``name`` the value ``value``" (defined once, kept)."""
        found = self._agree.get((name, value))
        if found is None:
            eng = self._eng
            found = z3.Bool(f"e{int(value)}_{eng.names[name]}", eng.ctx)
            self.solver.add(found == z3.And(_lit(self.z(name), value), eng.lit(name, value)))
            self._agree[(name, value)] = found
        return found

    def question(self):
        """A fresh literal that switches one question's clauses on."""
        self._questions += 1
        return z3.Bool(f"pq{self._questions}", self._eng.ctx)


def _lit(term, value: bool):
    return term if value else z3.Not(term)


def pairs(eng, node: str) -> Pairs:
    kept = eng.__dict__.setdefault("_pairs", {})
    found = kept.get(node)
    if found is None:
        while len(kept) >= KEPT:
            kept.pop(next(iter(kept)))
        found = kept[node] = Pairs(eng, node)
    return found


def in_some_support(eng, node: str, fixed: dict[str, bool], must: tuple[str, bool], value: bool = True,
                    max_rounds: int | None = None) -> bool | None:
    """Whether some minimal support of ``node`` (of ``not node`` with ``value=False``) under
    ``fixed`` contains the literal ``must``; None after ``max_rounds`` rounds (``MAX_ROUNDS``). ``must``'s
    assumption must be free under ``fixed``, and the scenario consistent."""
    a, polarity = must
    p = pairs(eng, node)
    if a not in p.ids:
        return False
    solver = p.solver
    free = [x for x in p.assumptions if x not in fixed and x != a]
    w_terms = [eng.var(x) for x in free]
    z_terms = [p.z(x) for x in free]
    scenario = sorted((x, v) for x, v in fixed.items() if x in p.ids)
    w_fixed = [eng.lit(x, v) for x, v in scenario]
    z_fixed = [_lit(p.z(x), v) for x, v in scenario]
    w_not_target = _lit(eng.var(node), not value)
    q = p.question()
    pick = w_fixed + z_fixed + [p.k, _lit(p.z(a), polarity), eng.lit(a, not polarity),
                                _lit(p.z(node), value), w_not_target, q]
    counter = w_fixed + [eng.lit(a, polarity), w_not_target]
    try:
        for _ in range(MAX_ROUNDS if max_rounds is None else max_rounds):
            if budget.expired():
                raise budget.exceeded("while deciding whether a minimal support contains an assumption")
            if not eng._fast_check(solver, pick):
                return False
            m = solver.model()
            zs, ws = eng._read_terms(m, z_terms), eng._read_terms(m, w_terms)
            # the counter-example nearest to w first: w with the literal made true, checked in
            # Python. Its justification is then mostly w's own values, so the clause asks w itself
            # to change, which excludes many more pairs than an arbitrary y's clause
            y = dict(zip(free, ws))
            values = {**fixed, **y, a: polarity}
            justify.evaluate(eng.amap, p.order, values)
            if values[node] is value or any(justify._eval(c, values, None) for c in p.conflicts):
                shared = [eng.lit(x, zv) for x, zv, wv in zip(free, zs, ws) if zv == wv]
                if not eng._fast_check(solver, counter + shared):
                    return True
                y = dict(zip(free, eng._read_terms(solver.model(), w_terms)))
                values = {**fixed, **y, a: polarity}
                justify.evaluate(eng.amap, p.order, values)
            reason = justify.justify(eng.amap, node, not value, values, set(free),
                                     also=[(c, False) for c in p.conflicts])
            solver.add(eng._or([z3.Not(q)] + [p.agree(x, not v) for x, v in sorted(reason.items())]))
        return None
    finally:
        solver.add(z3.Not(q))           # this question's clauses are never needed again


# ---- A's conflict component small: the pairs need differ only there ------------------------------
COMPONENT_MAX = 4           # free assumptions besides A in A's conflict component: 2^5 worlds at most


def by_worlds(eng, node: str, fixed: dict[str, bool], must: tuple[str, bool], value: bool = True) -> bool | None:
    """The same question, decided in at most 4^|C| solver calls when C, the other free assumptions
    of A's conflict component, is small; None when it is not.

    K is K_C ∧ K_rest with K_C over C ∪ {A} only (components share no assumption). Given a witness
    pair (z, w) and its prime implicant Q, z can be replaced by w outside C ∪ {A}, with z's values
    kept on C: that z still satisfies K (K_C as before, K_rest as w does) and contains Q. So some
    witness pair differs only on C ∪ {A}. With x the values they share and D ⊆ C where they
    differ, P is an implicant iff g holds in each of the 2^|D| worlds (x, ℓ, C's shared values, d).
    One solver holds a copy of everything that depends on C ∪ {A} per assignment of C ∪ {A} (the
    rest shared); each (z_C, w_C) is then one call: K ∧ T in z's world, K ∧ ¬T in w's, g in every
    world of D."""
    a, polarity = must
    groups, group_of = eng.slicer.groups()
    g = group_of.get(a)
    comp = [] if g is None else sorted((x for x in groups[g] if x != a and x not in fixed), key=eng._rank.__getitem__)
    if len(comp) > COMPONENT_MAX:
        return None
    shard = eng.slicer.slice_shard(node)
    if a not in shard.ids:
        return False
    circuit, names = eng.circuit, eng.names
    varied = [a] + comp
    forward = eng.slicer.forward(set(varied)) & shard.ids
    order = [d for d in eng.order if d in forward]
    copied = {circuit.slot[d] for d in forward}
    conflicts = eng.slicer.group_conflicts(g) if g is not None else []
    key = f"pw{getattr(eng, '_worlds', 0)}"
    eng._worlds = getattr(eng, "_worlds", 0) + 1
    out = [eng._shard_smt(shard)]

    def world(bits: tuple[bool, ...]) -> str:
        prefix = f"{key}_{''.join('1' if b else '0' for b in bits)}_"
        given = {circuit.slot[x]: b for x, b in zip(varied, bits)}

        def name(k: int) -> str:
            if k in given:
                return "true" if given[k] else "false"
            return prefix + engine_name(eng, k) if k in copied else engine_name(eng, k)
        write(eng, order, conflicts, prefix, name, out)
        t = prefix + names[node] if node in forward else names[node]
        t = t if value else f"(not {t})"
        out.append(f"(declare-const {prefix}t Bool)(assert (= {prefix}t {t}))"
                   f"(declare-const {prefix}g Bool)(assert (= {prefix}g (or (not {prefix}k) {prefix}t)))")
        return prefix

    assignments = list(itertools.product((False, True), repeat=len(comp)))
    prefixes = {(l, c): world((l,) + c) for l in (False, True) for c in assignments}
    solver = eng._new_solver("\n".join(out))

    def b(prefix: str, name: str):
        return z3.Bool(prefix + name, eng.ctx)
    base = [eng.lit(x, v) for x, v in sorted(fixed.items()) if x in shard.ids]
    for zc in assignments:
        zp = prefixes[(polarity, zc)]
        for wc in assignments:
            if budget.expired():
                raise budget.exceeded("while deciding whether a minimal support contains an assumption")
            wp = prefixes[(not polarity, wc)]
            differ = [i for i in range(len(comp)) if zc[i] != wc[i]]
            ys = []
            for d in itertools.product((False, True), repeat=len(differ)):
                c = list(zc)
                for i, v in zip(differ, d):
                    c[i] = v
                ys.append(b(prefixes[(polarity, tuple(c))], "g"))
            if eng._fast_check(solver, base + [b(zp, "k"), b(zp, "t"), b(wp, "k"), z3.Not(b(wp, "t"))] + ys):
                return True
    return False
