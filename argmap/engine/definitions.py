"""Nodes and conflicts as SMT-LIB text under names of the caller's choosing.

Two questions need copies of part of the map in one solver: `argmap diff` puts a verdict's slice
from each of two maps side by side (a miter; the maps number their ids differently), and the
pair search of argmap/engine/pair_search.py holds one copy per assignment of a few assumptions.
Each copy names its derived nodes with a prefix of its own; what it shares with the others, or
fixes to a constant, is the caller's choice of ``name`` for each slot.
"""

from __future__ import annotations


def write(eng, derived: list[str], conflicts: list[str], prefix: str, name, out: list[str]) -> str:
    """Append to ``out`` a definition of each of ``derived`` (topological order) under ``prefix``
    plus the engine's name, and one literal ``prefix + "k"`` for every one of ``conflicts`` holding,
    over ``name(slot)`` for the slots they read (``circuit.text``'s leaves). Returns that literal."""
    circuit, names = eng.circuit, eng.names
    for d in derived:
        out.append(f"(declare-const {prefix}{names[d]} Bool)"
                   f"(assert (= {prefix}{names[d]} {circuit.text(circuit.base + circuit.entry(d)[2], name)}))")
    ks = [f"(not {circuit.text(circuit.base + circuit.conflict_range(c)[1], name)})" for c in conflicts]
    body = "true" if not ks else ks[0] if len(ks) == 1 else f"(and {' '.join(ks)})"
    out.append(f"(declare-const {prefix}k Bool)(assert (= {prefix}k {body}))")
    return prefix + "k"


def engine_name(eng, slot: int) -> str:
    """The engine's own name of a slot (``a<i>`` or ``d<j>``, as ``circuit.text`` writes it)."""
    na = eng.circuit.n_assumptions
    return f"a{slot}" if slot < na else f"d{slot - na}"


def slice_text(eng, shard, node: str, prefix: str, shared: dict[str, str], out: list[str]) -> tuple[str, str]:
    """``shard``'s derived nodes under ``prefix`` and its conflicts as one literal, its assumptions
    named by ``shared`` (assumption id → name, declared by the caller). Returns the names of the
    conflicts' literal and of ``node``."""
    slot_name = {eng.circuit.slot[i]: (shared[i] if i in eng.amap.assumptions else prefix + eng.names[i])
                 for i in shard.ids}
    conflicts = [c for g in sorted(shard.groups) for c in eng.slicer.group_conflicts(g)]
    k = write(eng, [d for d in eng.order if d in shard.ids], conflicts, prefix, slot_name.__getitem__, out)
    return k, prefix + eng.names[node]
