"""A node's slice as SMT-LIB text under names of the caller's choosing.

`argmap diff` compares a verdict in two maps by putting both slices in one solver (a miter):
the two maps number their ids differently, so each slice is written with its derived nodes
under a prefix of its own and its assumptions under names shared by both maps.
"""

from __future__ import annotations


def slice_text(eng, shard, node: str, prefix: str, shared: dict[str, str], out: list[str]) -> tuple[str, str]:
    """Append to ``out`` the definitions of ``shard``'s derived nodes (``prefix`` + the engine's
    name) and one literal for its conflicts holding (``prefix + "k"``), assumptions named by
    ``shared`` (assumption id → name, declared by the caller). Returns the names of the
    conflicts' literal and of ``node``."""
    circuit, names = eng.circuit, eng.names
    slot_name = {circuit.slot[i]: (shared[i] if i in eng.amap.assumptions else prefix + names[i]) for i in shard.ids}

    def leaf(k: int) -> str:
        return slot_name[k]
    for d in eng.order:
        if d in shard.ids:
            out.append(f"(declare-const {prefix}{names[d]} Bool)"
                       f"(assert (= {prefix}{names[d]} {circuit.text(circuit.base + circuit.entry(d)[2], leaf)}))")
    ks = [f"(not {circuit.text(circuit.base + circuit.conflict_range(c)[1], leaf)})"
          for g in sorted(shard.groups) for c in eng.slicer.group_conflicts(g)]
    body = "true" if not ks else ks[0] if len(ks) == 1 else f"(and {' '.join(ks)})"
    out.append(f"(declare-const {prefix}k Bool)(assert (= {prefix}k {body}))")
    return prefix + "k", prefix + names[node]
