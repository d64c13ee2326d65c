"""Shrinking a model to a minimal support with plain Python first, the solver last.

The solver enumeration (argmap/engine/logic.py, ``_guided``) finds a model of V and shrinks it to
a minimal support. Deleting literals one solver call at a time cost ~1 s per support on the wide
10k map, whose supports hold up to 234 of a slice's 1,028 assumptions. Two linear passes do most
of that work without the solver:

1. **Justification** (``justify``): walk down from V, keeping for each true disjunction one true
   disjunct and for each false conjunction one false conjunct (all of them for true conjunctions
   and false disjunctions). The assumption literals reached form a set S under which three-valued
   (Kleene) propagation already gives V its value, so R ∧ S ⊨ V: an implicant, and consistent
   (it is part of a model).
2. **Flip witnesses** (``Flips``): for each free assumption, the model with that one assumption
   flipped is evaluated, all of them at once as the bits of Python integers (lane 0 is the model
   itself, which the justification reads). A flipped model that
   satisfies the conflicts and gives V the other value proves that S without the literal is not
   an implicant, so that literal stays in every support shrunk from S (a subset of a
   non-implicant is a non-implicant).

Only the literals left unproven go to the solver's deletion, so the answer is the same minimal
support; only the number of solver calls changes.
"""

from __future__ import annotations

from argmap.language.model import And, ArgumentMap, Formula, Not, Ref


def evaluate(amap: ArgumentMap, order: list[str], values: dict, mask: int | None = None) -> None:
    """Give every derived node of ``order`` (topological) its value from ``values``: bools, or
    with ``mask`` ints whose bits are lanes (``mask`` has every lane's bit set)."""
    for d in order:
        out = 0 if mask is not None else False
        for s in amap.derived(d).supports:
            out = out | _eval(s.formula, values, mask)
        values[d] = out


def _eval(f: Formula, values: dict, mask):
    if isinstance(f, Ref):
        return values[f.name]
    if isinstance(f, Not):
        v = _eval(f.arg, values, mask)
        return mask ^ v if mask is not None else not v
    if isinstance(f, And):
        out = mask if mask is not None else True
        for a in f.args:
            out = out & _eval(a, values, mask)
        return out
    out = 0 if mask is not None else False
    for a in f.args:
        out = out | _eval(a, values, mask)
    return out


def justify(amap: ArgumentMap, node: str, value: bool, values: dict, free: set[str],
            also: list[tuple[Formula, bool]] = ()) -> dict[str, bool]:
    """Literals over ``free`` assumptions, taken from the model ``values`` (every node of ``node``'s
    closure evaluated), under which Kleene propagation gives ``node`` the value ``value``, and
    each formula of ``also`` (e.g. a conflict, false) its value."""
    out: dict[str, bool] = {}
    seen: set[tuple[str, bool]] = set()
    stack = [(node, value)]

    def costless(f: Formula) -> bool:
        # a fixed assumption, or a node already justified: choosing it adds nothing to the support
        if not isinstance(f, Ref):
            return False
        name = f.name
        return (name in amap.assumptions and name not in free) or (name, True) in seen or (name, False) in seen

    def pick(options: list[Formula]) -> Formula:
        return next((f for f in options if costless(f)), options[0])

    def need(f: Formula, v: bool) -> None:
        if isinstance(f, Ref):
            stack.append((f.name, v))
        elif isinstance(f, Not):
            need(f.arg, not v)
        elif isinstance(f, And) is v:       # a true conjunction or a false disjunction: every part
            for a in f.args:
                need(a, v)
        else:                               # a false conjunction or a true disjunction: one part
            need(pick([a for a in f.args if _eval(a, values, None) is v]), v)

    for f, v in also:
        need(f, v)
    while stack:
        n, v = stack.pop()
        if (n, v) in seen:
            continue
        seen.add((n, v))
        if n in amap.assumptions:
            if n in free:
                out[n] = v
            continue
        supports = amap.derived(n).supports
        if v:
            need(pick([s.formula for s in supports if _eval(s.formula, values, None)]), True)
        else:
            for s in supports:
                need(s.formula, False)
    return out


class Flips:
    """A model and, in lane i + 1, the same model with ``flippable[i]`` flipped, evaluated in one
    pass over ``order`` (the node's closure and its conflicts', topological) on Python integers.
    Lane 0 gives the model's own values (``values``) for the justification; the other lanes are
    the flip tests, so one linear pass serves both."""

    def __init__(self, amap: ArgumentMap, order: list[str], conflicts: list[Formula],
                 model: dict[str, bool], flippable: list[str]):
        mask = (1 << (len(flippable) + 1)) - 1
        bits = {a: mask if v else 0 for a, v in model.items()}
        self.bit = {a: 1 << (i + 1) for i, a in enumerate(flippable)}
        for a, b in self.bit.items():
            bits[a] ^= b
        evaluate(amap, order, bits, mask)
        ok = mask
        for c in conflicts:
            ok &= mask ^ _eval(c, bits, mask)
        self.bits, self.ok, self.mask = bits, ok, mask
        self.values = {n: bool(b & 1) for n, b in bits.items()}

    def needed(self, node: str, value: bool, support: dict[str, bool]) -> set[str]:
        """The assumptions of ``support`` whose flip keeps every conflict false and gives ``node``
        the other value: each is in every minimal support below ``support``."""
        other = self.bits[node] if not value else self.mask ^ self.bits[node]
        hits = self.ok & other
        return {a for a in support if hits & self.bit.get(a, 0)}
