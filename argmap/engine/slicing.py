"""Which part of a map a question depends on: cones, conflict components, slices and shards.

Plain graph code, no solver. The engine (argmap/logic.py) uses it for two things:

* minimal supports only ever mention assumptions of a node's *slice*;
* statuses and consistency are decided on slices and components, small sub-maps, instead of
  the whole map.

Why a shard gives the same answer as the whole map. Claims and verdicts are functions of the
assumptions (their definitions are acyclic), so only conflicts constrain the assumptions. Merge
conflicts whose cones share an assumption into *components*: components share no assumption, so
the map is consistent under a scenario exactly when every component is, each one checked on its
own. For a node ``n``, its slice is its cone plus every component the cone touches. If the whole
map is consistent under the scenario, any assignment of the slice that satisfies the slice's
conflicts and the scenario extends to a model of the whole map (the other components are
satisfiable on their own, the remaining assumptions are free, and definitions are functional).
So ``n`` is entailed (refuted) by the whole map exactly when it is by the definitions and
conflicts of its slice. A shard is any sub-map that contains the whole slice of every node it
decides; nodes are packed into shards of about ``size`` statements in map order, which keeps
neighbouring nodes (that share most of their cones) together.

Cost: a node's closure costs O(its cone); packing all verdicts costs O(sum of their cones), linear
in the map when cones stay bounded. When cones are wide (claims citing anything said before) the
shards overlap almost completely and their total size grows like map × shards. The engine's
default decides statuses on small SAT instances that grow slice by slice instead
(argmap/engine/local.py, the same exactness argument); packed Z3 shards remain an exact path of
their own (``strategy="sharded"``), and consistency is still decided per component.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from argmap.language.model import ArgumentMap, refs


@dataclass
class Shard:
    """A sub-map: the ids it declares, the conflict components it asserts, the nodes it decides."""

    ids: set[str] = field(default_factory=set)
    groups: set[int] = field(default_factory=set)
    members: list[str] = field(default_factory=list)
    solver: object = None           # compiled lazily by the engine
    tracked: object = None          # the same with tracking literals, to explain an inconsistency


class Slicer:
    def __init__(self, amap: ArgumentMap, deps: dict[str, set[str]]):
        self.amap = amap
        self.deps = deps
        self._cones: dict[str, frozenset[str]] = {}
        self._conflict_cones: list[frozenset[str]] | None = None
        self._groups: tuple[list[frozenset[str]], dict[str, int]] | None = None
        self._group_ids: list[set[str]] | None = None
        self._group_conflicts: list[list[str]] | None = None
        self._index = {a: i for i, a in enumerate(amap.assumptions)}
        self._dependents: dict[str, list[str]] | None = None

    # ---- cones --------------------------------------------------------------------------------
    def closure(self, node: str) -> set[str]:
        """Every id ``node``'s value is computed from, itself included (assumptions and derived)."""
        return self.closures((node,))

    def closures(self, nodes, cap: int | None = None) -> set[str] | None:
        """The union of ``nodes``' closures in O(its size): a walk stops at ids already found,
        where a union of separate closures costs their summed sizes (quadratic when cones are
        wide: 4,025 closures of ~40% of wide 100k took 270 s). None once it holds more than
        ``cap`` ids, for callers that then take the whole map anyway."""
        seen: set[str] = set()
        deps = self.deps
        for node in nodes:
            if node in seen:
                continue
            seen.add(node)
            stack = [node]
            while stack:
                for d in deps.get(stack.pop(), ()):
                    if d not in seen:
                        seen.add(d)
                        stack.append(d)
            if cap is not None and len(seen) > cap:
                return None
        return seen

    def forward(self, sources) -> set[str]:
        """The derived nodes that depend on any of ``sources``, found by walking from them along
        the reversed dependencies: O(what is found), where a pass over the whole map cost
        O(map) for every assumption `what-breaks` or `cruxes` asks about (topics 100k: two
        passes of ~50 ms each per what-breaks, for a forward cone of a few hundred nodes)."""
        if self._dependents is None:
            dependents: dict[str, list[str]] = {}
            for d, inputs in self.deps.items():
                for x in inputs:
                    dependents.setdefault(x, []).append(d)
            self._dependents = dependents
        dependents = self._dependents
        out: set[str] = set()
        stack = list(sources)
        while stack:
            for d in dependents.get(stack.pop(), ()):
                if d not in out:
                    out.add(d)
                    stack.append(d)
        return out

    def cone(self, node: str) -> frozenset[str]:
        """Assumptions a node's value depends on."""
        found = self._cones.get(node)
        if found is None:
            assumptions = self.amap.assumptions
            found = self._cones[node] = frozenset(n for n in self.closure(node) if n in assumptions)
        return found

    def cone_reaches(self, node: str, count: int) -> bool:
        """Whether ``node``'s cone holds at least ``count`` assumptions, walking only until it does
        (O(count) on a wide cone, where ``cone`` is O(map))."""
        assumptions, deps = self.amap.assumptions, self.deps
        seen, stack, found = {node}, [node], 0
        while stack:
            for x in deps.get(stack.pop(), ()):
                if x not in seen:
                    seen.add(x)
                    if x in assumptions:
                        found += 1
                        if found >= count:
                            return True
                    else:
                        stack.append(x)
        return False

    def conflict_cones(self) -> list[frozenset[str]]:
        """For each conflict (in map order), the assumptions its expression depends on."""
        if self._conflict_cones is None:
            self._conflict_cones = [frozenset().union(*(self.cone(r.name) for r in refs(c.formula)))
                                    for c in self.amap.conflicts.values()]
        return self._conflict_cones

    # ---- conflict components ------------------------------------------------------------------
    def groups(self) -> tuple[list[frozenset[str]], dict[str, int]]:
        """Conflict cones merged where they share an assumption (union-find), and each assumption's group."""
        if self._groups is None:
            parent: dict[int, int] = {}

            def find(k: int) -> int:
                while parent[k] != k:
                    parent[k] = parent[parent[k]]
                    k = parent[k]
                return k
            cones = self.conflict_cones()
            owner: dict[str, int] = {}
            for k, cone in enumerate(cones):
                parent[k] = k
                for a in cone:
                    if a in owner:
                        parent[find(k)] = find(owner[a])
                    else:
                        owner[a] = k
            merged: dict[int, set[str]] = {}
            conflicts: dict[int, list[str]] = {}
            for k, (cid, cone) in enumerate(zip(self.amap.conflicts, cones)):
                if cone:            # a conflict over no assumption is constant: see constant_conflicts
                    merged.setdefault(find(k), set()).update(cone)
                    conflicts.setdefault(find(k), []).append(cid)
            roots = list(merged)
            groups = [frozenset(merged[r]) for r in roots]
            self._group_conflicts = [conflicts[r] for r in roots]
            group_of = {a: i for i, g in enumerate(groups) for a in g}
            self._groups = (groups, group_of)
        return self._groups

    def group_conflicts(self, group: int) -> list[str]:
        """The conflicts (ids, map order) of one component."""
        self.groups()
        return self._group_conflicts[group]

    def group_ids(self, group: int) -> set[str]:
        """Every id a component's conflicts are computed from."""
        if self._group_ids is None:
            self._group_ids = []
            for g in range(len(self.groups()[0])):
                self._group_ids.append(self.closures(
                    r.name for cid in self.group_conflicts(g) for r in refs(self.amap.conflicts[cid].formula)))
        return self._group_ids[group]

    def constant_conflicts(self) -> list[str]:
        """Conflicts whose expression depends on no assumption (their value is fixed by the map)."""
        return [cid for cid, cone in zip(self.amap.conflicts, self.conflict_cones()) if not cone]

    def touched_groups(self, node: str) -> set[int]:
        group_of = self.groups()[1]
        return {group_of[a] for a in self.cone(node) if a in group_of}

    def in_slice(self, node: str, assumption: str) -> bool:
        """Whether ``assumption`` is in ``node``'s slice (so can change ``node``'s status)."""
        if assumption in self.cone(node):
            return True
        group = self.groups()[1].get(assumption)
        return group is not None and group in self.touched_groups(node)

    # ---- slices and shards --------------------------------------------------------------------
    def slice(self, node: str) -> list[str]:
        """The assumptions that can occur in a minimal support of ``node``, in map order.

        That is ``node``'s cone plus every conflict component that touches it; the components are
        computed once, so a slice costs O(its size), not O(#conflicts · #assumptions).
        """
        groups = self.groups()[0]
        relevant = set(self.cone(node))
        for g in self.touched_groups(node):
            relevant |= groups[g]
        return sorted(relevant, key=self._index.__getitem__)

    def slice_shard(self, node: str) -> Shard:
        """The sub-map of ``node``'s slice: its closure plus every conflict component it touches
        (the ids those components' conflicts are computed from)."""
        shard = Shard(ids=set(self.closure(node)), groups=set(self.touched_groups(node)))
        for g in shard.groups:
            shard.ids |= self.group_ids(g)
        return shard

    def union_shard(self, nodes) -> Shard:
        """The sub-map of every node's slice at once (``slice_shard`` of each, joined), in
        O(its size). A component's own ids touch no other component, so one pass suffices."""
        ids = self.closures(nodes)
        group_of = self.groups()[1]
        shard = Shard(ids=ids, groups={group_of[i] for i in ids if i in group_of})
        for g in shard.groups:
            ids |= self.group_ids(g)
        return shard

    def pack(self, nodes, size: int) -> list[Shard]:
        """Shards of about ``size`` ids that together contain the slice of every node (in order)."""
        shards: list[Shard] = []
        current = Shard()
        group_of = self.groups()[1]
        for n in nodes:
            need = self.closure(n)
            groups = {group_of[i] for i in need if i in group_of}
            for g in groups - current.groups:
                need |= self.group_ids(g)
            new = [i for i in need if i not in current.ids]
            if current.members and len(current.ids) + len(new) > size:
                shards.append(current)
                current = Shard()
                for g in groups:
                    need |= self.group_ids(g)
                new = need
            current.ids.update(new)
            current.groups |= groups
            current.members.append(n)
        if current.members:
            shards.append(current)
        return shards

    def component_shards(self, size: int) -> list[Shard]:
        """Every conflict component in exactly one shard of about ``size`` ids (for consistency)."""
        shards: list[Shard] = []
        current = Shard()
        for g in range(len(self.groups()[0])):
            ids = self.group_ids(g)
            if current.groups and len(current.ids) + len(ids) > size:
                shards.append(current)
                current = Shard()
            current.ids |= ids
            current.groups.add(g)
        if current.groups:
            shards.append(current)
        return shards
