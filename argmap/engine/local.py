"""Statuses decided on small SAT instances, each holding the slices of a few nodes (python-sat).

Why. On a map whose cones are local but whose verdicts cite nodes all over it (the *chain* shape
of benchmarks/generate.py), one Z3 solver over the whole map spent most of its time preprocessing
the whole formula: its first ``check()`` grew 28× from 10k to 100k statements, and
``consequences()`` took 7.8 s at 100k. One Z3 solver per shard was slower still (15.9 s): each
Z3 solver costs milliseconds to create and load. A MiniSat instance costs microseconds, so here
a node is decided on an instance that holds only its slice (argmap/engine/slicing.py explains why
a slice decides exactly what the whole map decides, when the scenario is consistent).

How. Nodes are taken in the order of the latest slot they read. A node's clauses are added to
the current instance by a walk over the gate list (argmap/engine/circuit.py) that stops at every
slot the instance already holds, so neighbours that share their cones pay for them once, and an
assumption that enters the instance brings its conflict component along (that is what makes it
the slice). The clauses are the Tseitin definitions of the gates; a node is the same variable as
its last gate. The scenario's fixed assumptions are passed to each call as assumption literals,
so instances are kept for the engine's life and serve every scenario. Once an instance holds
``limit`` variables the next node starts a fresh one: an instance's satisfiable calls cost
O(its size), so instances stay small.

A node is decided by one call when sampling saw it take one value (``expect``: can it take the
other?), by at most two otherwise. A node whose walk passes ``3 * limit`` slots is not decided
here (the walk is rolled back). And once the walks have cost more than 1/``MAP_SHARE`` of the
map's ids per node on average, the rest are left without walking them: with cones that wide the
instances' total work grows like nodes × map, and Z3's ``consequences()`` over one whole-map
solver is cheaper. (Measured: chain and topics maps walk 50–150 slots per node, under 1/700 of
a 100k map; wide maps give up after 26–31 nodes, 0.04–0.07 s, at 10k and 100k.)
"""

from __future__ import annotations

from argmap.engine.circuit import AND, NOT, OR, Circuit

LIMIT = 2_000         # variables per instance before the next node starts a fresh one
MAP_SHARE = 100       # the walks may cost 1/MAP_SHARE of the map's ids per node on average ...
FLOOR = LIMIT // 4    # ... or this many slots per node, whichever is more (small maps) ...
TRIAL = 8             # ... measured over at least this many nodes


class Instance:
    """One MiniSat instance: its solver, the slots it holds and the conflict components it has."""

    __slots__ = ("solver", "var", "groups")

    def __init__(self):
        from pysat.solvers import Minisat22      # the class itself: one wrapper less per clause
        self.solver = Minisat22()
        self.var: dict[int, int] = {}            # slot -> this instance's variable
        self.groups: set[int] = set()


class LocalDecider:
    """Decides nodes on small MiniSat instances; see the module's docstring. Instances are kept
    for the engine's life: a node's instance decides it again under any scenario (the scenario's
    literals are passed as assumptions), so a new worldview or what-breaks' scenarios cost solver
    calls, not walks."""

    def __init__(self, circuit: Circuit, slicer, limit: int | None = None):
        self.circuit, self.slicer = circuit, slicer
        self.limit = LIMIT if limit is None else limit
        slot = circuit.slot
        group_of = slicer.groups()[1]
        self.group_of = {slot[a]: g for a, g in group_of.items() if a in slot}
        self.current: Instance | None = None     # the instance new nodes go to
        self.home: dict[str, Instance] = {}      # node -> the instance holding its slice
        self.walked = self.tried = 0             # slots walked, nodes walked for (the budget)

    def decide(self, nodes: list[str], fixed: dict[str, bool], expect: dict[str, bool],
               out: dict) -> list[str]:
        """Set ``out[n]`` (True entailed, False refuted, None open) under the (consistent)
        scenario ``fixed`` for the nodes decided here; returns the nodes left (slices too wide)."""
        slot = self.circuit.slot
        fixed_slots = [(slot[a], v) for a, v in fixed.items() if a in slot]
        scenario: dict[int, tuple[int, list[int]]] = {}      # id(instance) -> (its size, literals)
        left: list[str] = []
        per_node = max(self.circuit.base // MAP_SHARE, FLOOR)
        for n in sorted(nodes, key=self._last_read):
            inst = self.home.get(n)
            if inst is None:
                if self.tried >= TRIAL and self.walked > self.tried * per_node:
                    # slices this wide make the instances' total work superlinear in the map:
                    # one whole-map solver is cheaper for the rest
                    left.append(n)
                    continue
                self.tried += 1
                inst = self.current
                if inst is None or len(inst.var) > self.limit:
                    inst = self.current = Instance()
                if slot[n] not in inst.var and not self._add(inst, slot[n]):
                    left.append(n)
                    continue
                self.home[n] = inst
            size, lits = scenario.get(id(inst), (-1, []))
            if size != len(inst.var):       # the instance grew: it may hold more fixed assumptions
                var = inst.var
                lits = [var[k] if v else -var[k] for k, v in fixed_slots if k in var]
                scenario[id(inst)] = (len(var), lits)
            out[n] = self._status(inst.solver, lits, inst.var[slot[n]], expect.get(n))
        return left

    def _last_read(self, node: str) -> int:
        """The latest slot (assumption or node) ``node`` reads. Nodes are decided in this order:
        nodes that read the same stretch of the map then share an instance. (Chain 100k, whose
        verdicts cite two random places each: 1.17 s in map order, 0.76 s in this one.)"""
        c = self.circuit
        s, lo, hi = c.entry(node)
        return max((a for op, args in c.gates[lo:hi + 1] for a in args if a < c.base), default=s)

    def _status(self, solver, lits: list[int], x: int, seen: bool | None) -> bool | None:
        solve = solver.solve
        if seen is not None:                # sampling saw ``seen``: can it take the other value?
            return None if solve(assumptions=lits + [-x if seen else x]) else seen
        if not solve(assumptions=lits + [x]):
            return False
        return None if solve(assumptions=lits + [-x]) else True

    def _add(self, inst: Instance, root: int) -> bool:
        """Add to ``inst`` the clauses of node slot ``root`` and of everything it reads that the
        instance lacks; False (and nothing added) when that passes ``3 * limit`` new slots."""
        c = self.circuit
        gates, base, na = c.gates, c.base, c.n_assumptions
        var, group_of, groups = inst.var, self.group_of, inst.groups
        added: list[int] = [root]           # slots given a variable by this walk (for a rollback)
        new_groups: list[int] = []
        var[root] = len(var) + 1
        clauses: list = []
        add = clauses.append
        nodes, conflicts = [root], []
        while nodes or conflicts:
            conflict = not nodes
            if conflict:
                lo, hi = conflicts.pop()
            else:
                s = nodes.pop()
                _, lo, hi = c.entry_of_slot(s)
                var[base + hi] = var[s]     # a node is its last gate
                added.append(base + hi)
            for gi in range(lo, hi + 1):
                op, args = gates[gi]
                for a in args:
                    if a < base and a not in var:
                        var[a] = len(var) + 1
                        added.append(a)
                        if a >= na:
                            nodes.append(a)
                            continue
                        g = group_of.get(a)
                        if g is not None and g not in groups:
                            groups.add(g)
                            new_groups.append(g)
                            for cid in self.slicer.group_conflicts(g):
                                conflicts.append(c.conflict_range(cid))
                o = var.get(base + gi)
                if o is None:
                    o = var[base + gi] = len(var) + 1
                    added.append(base + gi)
                if op == AND:
                    ins = [var[a] for a in args]
                    for a in ins:
                        add((-o, a))
                    add([o] + [-a for a in ins])
                elif op == OR:
                    ins = [var[a] for a in args]
                    for a in ins:
                        add((o, -a))
                    add([-o] + ins)
                elif op == NOT:
                    a = var[args[0]]
                    add((-o, -a))
                    add((o, a))
                else:
                    add((-o,))
            if conflict:
                add((-var[base + hi],))     # the conflict's expression is false
            if len(added) > 3 * self.limit:
                self.walked += len(added)
                for k in added:
                    var.pop(k, None)
                groups.difference_update(new_groups)
                return False
        self.walked += len(added)
        add_clause = inst.solver.add_clause
        for clause in clauses:
            add_clause(clause)
        return True
