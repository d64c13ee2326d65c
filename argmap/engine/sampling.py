"""Random models of a map, many at once, to rule out entailment cheaply (plain Python, no solver).

A node is *open* under a scenario exactly when some model of the map makes it true and another
makes it false. Finding those two models one solver call at a time is what made ``verdicts``
fall off a cliff on maps whose cones are wide: ``consequences()`` has to refute every open node
separately. Here each assumption gets ``LANES`` random bits (one lane per sample; fixed
assumptions get all-ones or all-zeros), and one pass over the acyclic map computes every node's
bits with ``& | ~`` on Python integers, i.e. ``LANES`` evaluations for the price of about one.
Lanes differ in bias (from mostly false to mostly true assumptions), so that deep conjunctions
and wide disjunctions take both values somewhere.

A lane is a model only if it satisfies every conflict. Conflict components share no assumption
(argmap/engine/slicing.py), so a lane that violates component ``g`` is *repaired* by copying, for
``g``'s assumptions only, the values of a lane that satisfies ``g``; the other components are
untouched, so after one repair pass (and a second evaluation) every lane satisfies every
component that had at least one satisfying lane. What this proves is exact and one-sided:

* a lane that satisfies every conflict is a model: the scenario is consistent;
* a node that takes both values over the valid lanes is open.

Everything else (a node constant over the lanes, a component no lane satisfied) is left to the
solver. Cost: two linear passes over the nodes asked about and their closures.
"""

from __future__ import annotations

import random
import zlib

from argmap.engine.circuit import Circuit

LANES = 128


class Samples:
    """Bits of every evaluated node over ``lanes`` samples, and the lanes that are models."""

    def __init__(self, bits: list[int], slot: dict[str, int], valid: int, mask: int):
        self.bits, self.slot, self.valid, self.mask = bits, slot, valid, mask

    def varies(self, node: str) -> bool:
        """True when two valid lanes disagree on ``node`` (so it is neither entailed nor refuted)."""
        b = self.bits[self.slot[node]] & self.valid
        return b != 0 and b != self.valid

    def seen(self, node: str) -> bool | None:
        """The value every valid lane gives ``node``, if they agree (None when no lane is valid)."""
        b = self.bits[self.slot[node]] & self.valid
        return None if not self.valid or b not in (0, self.valid) else b != 0


def _bias_blocks(lanes: int) -> list[int]:
    """Masks of eight equal blocks of lanes; block k draws an assumption true with probability
    1/32, 1/8, 1/4, 1/2, 1/2, 3/4, 7/8, 31/32. Uniform lanes alone almost never make a deep
    conjunction true (or a wide disjunction false), so they would leave such nodes to the solver."""
    width = max(1, lanes // 8)
    return [((1 << width) - 1) << (k * width) for k in range(8)]


def _biased(rng: random.Random, lanes: int, blocks: list[int]) -> int:
    r = [rng.getrandbits(lanes) for _ in range(5)]
    a2, o2 = r[0] & r[1], r[0] | r[1]
    a3, o3 = a2 & r[2], o2 | r[2]
    a5, o5 = a3 & r[3] & r[4], o3 | r[3] | r[4]
    parts = (a5, a3, a2, r[0], r[1], o2, o3, o5)
    out = 0
    for block, part in zip(blocks, parts):
        out |= block & part
    return out


def _drawn(circuit: Circuit, lanes: int, seed: int, fixed: dict[str, bool]) -> list[int]:
    """Random bits for every assumption slot, drawn once per circuit and dealt out anew for each
    scenario. Drawing them per call cost ~3 µs an assumption, and what-breaks samples a scenario
    per assumption asked about (cruxes on topics 10k: 965 passes × 3,000 assumptions, about a
    third of its time). Dealt out, not reused as they are: with the same bits in every scenario, a
    node that no lane flipped under one scenario stayed unflipped under the next, and went to the
    solver again (cruxes on wide 3k, --timeout 120: 4,700 undecided pairs became 8,100). So each
    scenario takes the drawn list rotated by an offset from its literals (the empty scenario by
    none: its bits are those drawn per call before)."""
    key = (lanes, seed)
    cache = circuit.__dict__.setdefault("_drawn", {})
    found = cache.get(key)
    if found is None:
        rng = random.Random(seed)       # deterministic: only speed, never an answer, depends on it
        blocks = _bias_blocks(lanes)
        found = cache[key] = [_biased(rng, lanes, blocks) for _ in range(circuit.n_assumptions)]
    if not fixed or len(found) < 2:
        return found
    offset = zlib.crc32(repr(sorted(fixed.items())).encode()) % len(found)
    return found[offset:] + found[:offset]


def sample(circuit: Circuit, nodes: list[tuple[int, int, int]], fixed: dict[str, bool],
           slicer, lanes: int = LANES, seed: int = 0) -> Samples:
    """Samples over the derived nodes ``nodes`` (circuit entries, topological, closed under
    dependencies and containing every conflict's closure) and the map's assumptions."""
    mask = (1 << lanes) - 1
    for cid in circuit.amap.conflicts:
        circuit.conflict_range(cid)     # compiled before the list is sized
    bits = [0] * circuit.size
    slot = circuit.slot
    drawn = _drawn(circuit, lanes, seed, fixed)
    bits[:len(drawn)] = drawn           # (assumptions hold the first slots)
    for a, v in fixed.items():
        k = slot.get(a)
        if k is not None and k < len(drawn):
            bits[k] = mask if v else 0
    circuit.evaluate_bits(bits, mask, nodes)
    groups, _ = slicer.groups()
    valid = mask
    repaired = False
    for g, ids in enumerate(groups):
        violated = 0
        for cid in slicer.group_conflicts(g):
            violated |= circuit.conflict_bits(cid, bits, mask)
        if not violated:
            continue
        good = mask & ~violated
        if not good:
            valid &= ~violated          # no lane satisfies this component: leave it to the solver
            continue
        donor = (good & -good).bit_length() - 1
        for a in ids:
            k = slot.get(a)
            if a not in fixed and k is not None and k < circuit.n_assumptions:
                b = bits[k]
                bits[k] = (b & ~violated) | (violated if b >> donor & 1 else 0)
        repaired = True
    for cid in slicer.constant_conflicts():
        valid &= mask ^ circuit.conflict_bits(cid, bits, mask)
    if repaired:
        circuit.evaluate_bits(bits, mask, nodes)
    return Samples(bits, slot, valid, mask)
