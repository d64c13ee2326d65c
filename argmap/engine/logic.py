"""The meaning of a map, computed with Z3. This is the only module that imports z3 (local.py
imports python-sat, for statuses on large maps).

Encoding (see docs/semantics.md). Every assumption is a free Boolean. Every claim and verdict ``d``
is defined by its completion ``d = support_1 or ... or support_n``; every conflict asserts
``not EXPR``. Because support cycles are rejected before this stage, the definitions are a
conservative extension: every assignment of the assumptions extends to exactly one model of the
definitions, so claims and verdicts are functions of the assumptions and only conflicts (and a
worldview) can make a scenario inconsistent.

The map is compiled into SMT-LIB text and loaded with ``from_string`` into long-lived ``QF_FD``
solvers (building terms through the Python API costs ~10× more). Worldviews and
``--assume/--deny`` are passed as assumption literals, so every query of a run reuses the same
solvers incrementally. A map of up to ``SHARD_SIZE`` ids has one solver for everything. A larger
map decides consistency on conflict components and statuses on slices (argmap/slicing.py
explains why that is exact): one solver over the whole map pays O(map) for every node it decides,
which made ``verdicts`` grow 100× from 10k to 100k statements. Statuses go to small MiniSat
instances that hold the slices of a few nodes (argmap/engine/local.py); nodes whose slices are too
wide for them go to the whole-map solver. The whole-map solver is still compiled, on first use,
for counter-examples and the MARCO fallback; a separate solver with a tracking literal per
definition and per conflict is built only when an inconsistency has to be explained.

Statuses. A three-valued (Kleene) propagation decides most nodes in linear time; it is sound
because the definitions are functional. It runs over the map compiled once into a flat gate list
(argmap/engine/circuit.py), as does the bit-parallel sampling. What they leave open goes to
``consequences()``, which decides entailment of every remaining node of a solver (or shard) in
one call.

Minimal supports (ATMS labels) are the prime implicants of ``R ∧ W → V`` over the free assumption
literals that are consistent with ``R ∧ W``. They are computed in two ways:

1. Exactly, without a solver, as Blake's canonical form of ``¬K ∨ V`` minus the terms that contain
   a nogood (argmap/implicants.py: DNFs built bottom-up over the acyclic map, closed under
   consensus). This is the normal path: all 48 verdicts of the corpus take ~0.1 s.
2. When an intermediate DNF passes ``TERM_CAP`` terms, by MARCO (Liffiton et al., "Fast, flexible
   MUS enumeration", Constraints 2016) over literal selectors: a *map* solver proposes a set of
   literals (never both polarities of one assumption) that is neither a superset of a support found
   so far nor a subset of a known counter-example; the *subset* solver checks whether the set
   entails V. If it does, the set is shrunk (unsat core, then deletion) to a minimal implicant and
   its supersets are blocked; if not, the solver's counter-model is a full assignment, which is a
   maximal non-implicant, and its subsets are blocked. Every prime implicant is reached (MARCO's
   completeness argument carries over because implication is upward-closed on consistent literal
   sets); minimal implicants inconsistent with the map (nogoods) are dropped. Counter-examples can
   be very many when supports are long, so this path has a budget of ``MARCO_BUDGET`` solver calls.
   Before MARCO, two shortcuts find the complete lists of a node with few supports and cut sets
   over a wide slice, where MARCO would spend its budget proving them complete: a node that is
   the conjunction of its single points of failure (``_one_conjunction``), and a cover of found
   implicants of the node and of its negation (``_cover``, ``_from_cover``).

Both consider only the slice of assumptions that can matter: V's cone plus every conflict
transitively sharing an assumption with it (outside that slice a literal can never be necessary).
Worst case: the number of prime implicants is exponential in the slice (3^n/n); answers stop at
``limit`` supports (or the budget) and say so (``truncated``) instead of hanging.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Iterable

import z3

from argmap.engine import budget
from argmap.language.diagnostics import InconclusiveError
from argmap.language.model import And, ArgumentMap, Formula, Not, Ref, refs
from argmap.engine.slicing import Shard, Slicer
from argmap.engine.z3solver import qf_fd_solver
from argmap.language.validate import dependencies, topological_order

DEFAULT_TIMEOUT_MS = 60_000
TERM_CAP = 2_000           # terms in one intermediate DNF before falling back to MARCO (absorption
                           # is quadratic: 20,000 terms took tens of seconds; the corpus peaks at 182)
CONJUNCTION_CAP = 2_000    # the same for `_one_conjunction`'s few-term forms (a cap of its own: the
                           # oracle tests force MARCO with TERM_CAP 0 and this path with it)
COVER_ROUNDS = 32          # implicants `_cover` may find before it leaves a node to MARCO (sampled
                           # covers on wide 10k held at most 22, or past 1,000)
CHEAP_SLICE = 96           # free assumptions in a slice from which Blake's form is no longer tried for
                           # an explanation (wide 1k: 1.8 s for one form at 96-160, most failing)
CALLS_PER_SET = 5          # with a command budget: rounds per set of --limit before `stopped_by: calls`
MARCO_BUDGET = 5_000       # solver calls the fallback may spend before it reports `truncated`
SHARD_SIZE = 2_000         # ids per sub-map when statuses are decided shard by shard
BATCH_SHARE = 0.9          # the nodes the fallback decides get a solver of their own when their
                           # slices hold less than this share of the map (see _fallback_solver)
SAMPLE_MIN = 4             # undecided nodes worth a sampling pass before the solver
STRATEGIES = ("auto", "sharded", "whole", "fallback", "local")
Literal = tuple[str, bool]          # (assumption id, value)


@functools.cache
def _have_pysat() -> bool:
    """python-sat is a dependency, but an environment without it still gets exact answers (from
    the whole-map solver), only slower, instead of an ImportError."""
    from importlib.util import find_spec
    return find_spec("pysat") is not None


@dataclass(frozen=True)
class Tracked:
    """A statement that took part in an inconsistency: a definition, a conflict or a fixed literal."""

    kind: str                       # "claim" | "verdict" | "conflict" | "fixed"
    id: str
    value: bool | None = None       # for "fixed": the value the scenario gives the assumption


def sorted_supports(supports) -> list[dict[str, bool]]:
    """The order every answer uses: smaller sets first, then by literal (positive before negative)."""
    return sorted(supports, key=lambda s: (len(s), sorted((k, not v) for k, v in s.items())))


class Engine:
    """One compiled map: every query of a run reuses its solvers (one, or one per shard), all in one Z3 context."""

    def __init__(self, amap: ArgumentMap, timeout_ms: int = DEFAULT_TIMEOUT_MS,
                 shard_size: int | None = SHARD_SIZE, strategy: str = "auto", sampling: bool = True):
        self.amap = amap
        self.timeout_ms = timeout_ms
        self.order = topological_order(amap)
        self.slicer = Slicer(amap, dependencies(amap))
        self.assumption_ids = list(amap.assumptions)
        self.names: dict[str, str] = {}
        for i, a in enumerate(self.assumption_ids):
            self.names[a] = f"a{i}"
        for j, d in enumerate(self.order):
            self.names[d] = f"d{j}"
        self.ids = {v: k for k, v in self.names.items()}
        self.ctx = z3.Context()
        # Maps larger than one shard decide consistency by conflict components and statuses on
        # slices (see argmap/slicing.py): one solver over the whole map costs O(map) per decided
        # node. A conflict over no assumption belongs to no component; such maps (none are valid:
        # every claim needs a support) keep the whole-map solver, which handles it like any other.
        self.shard_size = shard_size
        # ``strategy`` (how statuses are decided on such maps): "auto" on small SAT instances
        # holding nodes' slices (local.py), leaving nodes whose slices are too wide to the
        # whole-map solver; "local" the same on any map; "sharded" on one Z3 solver per shard;
        # "fallback" always on the whole-map solver; "whole" never shards anything.
        # ``sampling`` rules out open nodes by random models before any solver (sampling.py).
        if strategy not in STRATEGIES:
            raise ValueError(f"strategy must be one of {STRATEGIES}")
        self.strategy = strategy
        self.sampling = sampling
        self.sharded = (strategy != "whole" and shard_size is not None and len(self.names) > shard_size
                        and not self.slicer.constant_conflicts())
        self.local_too_wide = False                 # a query left nodes to the whole-map solver
        self._budget_bound = False                  # the last solver call ends at the budget's end
        self.paths_used: set[str] = set()           # which deciders ran (tests force each one)
        self._conflict_order: list[str] | None = None
        self._circuit = None
        self._sample_cache: dict = {}
        self._values_cache: dict = {}
        self._local = None                          # small SAT instances (local.py), kept
        self.stopped_by: str | None = None          # why the last enumeration was truncated
        self._support_cache: dict = {}
        self._solver = None
        self._batch: Shard | None = None            # the fallback's solver over fewer ids than the map
        self._forced_alone: dict = {}                # single_supports: what each scenario forces, per solver
        self._vars: dict[str, object] = {}
        self._bodies: dict[str, str] = {}
        self._position = {d: j for j, d in enumerate(self.order)}
        self._rank = {n: k for k, n in enumerate(self.names)}    # assumptions first, then map order
        self._conflict_index = {c: k for k, c in enumerate(amap.conflicts)}
        self._tracked = None
        self._lit_cache: dict = {}
        self._shard_of: dict[str, Shard] = {}
        self._component_shards: list[Shard] | None = None
        self._consistent_cache: dict = {}

    @property
    def solver(self):
        """The solver over the whole map, compiled on first use."""
        if self._solver is None:
            self._solver = self._new_solver(self._map_smt(tracked=False))
        return self._solver

    def _new_solver(self, text: str):
        solver = qf_fd_solver(self.ctx)
        solver.set("timeout", self.timeout_ms)
        if self.sharded:
            # Large maps: consequences() makes many satisfiable calls that each assign the whole
            # map, and Z3's default (EMA) restarts cost more of them there. Static restarts, same
            # answers: consequences() on the whole wide 100k map 3.87 -> 3.25 s, on two other
            # seeds 4.16 -> 3.18 and 3.33 -> 2.86 s, chain 100k 5.24 -> 3.37 s; wide 10k
            # `verdicts` cold 265 -> 219 ms, what-breaks' twin batch 0.73 -> 0.51 s. On the
            # corpus (small, unsharded) they cost a few ms per query, so small maps keep the default.
            solver.set("sat.restart", "static")
        solver.from_string(text)
        return solver

    # ---- compilation --------------------------------------------------------------------------
    def _formula(self, f: Formula) -> str:
        if isinstance(f, Ref):
            return self.names[f.name]
        if isinstance(f, Not):
            return f"(not {self._formula(f.arg)})"
        op = "and" if isinstance(f, And) else "or"
        return f"({op} {' '.join(self._formula(a) for a in f.args)})"

    def _body(self, node_id: str) -> str:
        text = self._bodies.get(node_id)
        if text is None:
            # from the gate list the Kleene pass already compiled: plain ints, no formula walk
            circuit = self.circuit
            text = circuit.text(circuit.base + circuit.entry(node_id)[2])
            self._bodies[node_id] = text       # neighbouring shards share most of their definitions
        return text

    def _smt(self, declared: Iterable[str], derived: list[str], conflicts: list[str], tracked: bool) -> str:
        """Declarations, definitions and conflicts as SMT-LIB text. With ``tracked`` every assertion
        is guarded by its tracking literal: ``t<j>`` for the map's j-th derived node in topological
        order, ``c<k>`` for its k-th conflict (the same names in every solver of the context)."""
        names = self.names
        out = [f"(declare-const {names[i]} Bool)" for i in declared]

        def add(label: str, body: str) -> None:
            out.append(f"(declare-const {label} Bool)(assert (=> {label} {body}))" if tracked else f"(assert {body})")
        for d in derived:
            add(f"t{self._position[d]}", f"(= {names[d]} {self._body(d)})")
        for c in conflicts:
            add(f"c{self._conflict_index[c]}", f"(not {self._formula(self.amap.conflicts[c].formula)})")
        return "\n".join(out)

    def _map_smt(self, tracked: bool) -> str:
        return self._smt(self.names, self.order, list(self.amap.conflicts), tracked)

    # ---- basic checks -------------------------------------------------------------------------
    def var(self, node_id: str):
        term = self._vars.get(node_id)
        if term is None:
            term = self._vars[node_id] = z3.Bool(self.names[node_id], self.ctx)
        return term

    def lit(self, name: str, value: bool):
        # Cached so that every literal stays alive: Z3 reuses the ids of freed terms, and
        # unsat cores are matched to literals by id.
        key = (name, value)
        term = self._lit_cache.get(key)
        if term is None:
            v = self.var(name)
            term = self._lit_cache[key] = v if value else z3.Not(v)
        return term

    def _lits(self, fixed: dict[str, bool]) -> list:
        return [self.lit(a, v) for a, v in sorted(fixed.items())]

    def _timed(self, solver) -> None:
        """Give the next call only what is left of the command's budget (argmap/engine/budget.py)."""
        ms = budget.remaining_ms(self.timeout_ms)
        # whether the budget's end, not the per-call cap, bounds this call: Z3 can stop a
        # fraction of a millisecond before the monotonic deadline, when `expired()` is still false
        self._budget_bound = ms < self.timeout_ms
        solver.set("timeout", ms)

    def _unknown(self, solver) -> InconclusiveError:
        if budget.expired() or (self._budget_bound and solver.reason_unknown() in ("canceled", "timeout")):
            return budget.exceeded("inside a solver call")
        return InconclusiveError(f"the solver could not decide ({solver.reason_unknown()}); "
                                 f"try a larger --timeout (now {self.timeout_ms} ms)")

    def _check(self, solver, assumptions: list) -> bool:
        self._timed(solver)
        result = solver.check(*assumptions)
        if result == z3.unknown:
            raise self._unknown(solver)
        return result == z3.sat

    def consistent(self, fixed: dict[str, bool]) -> bool:
        """Whether the map has a model in which every fixed literal holds."""
        # shard-sized component solvers are cheaper than a sampling pass over every conflict's closure
        if self.sampling and (not self.sharded or self.strategy == "fallback") and self._samples(fixed, self._conflict_nodes()).valid:
            self.paths_used.add("sampled-consistency")
            return True             # a sampled lane satisfies every conflict: it is a model
        if not self.sharded:
            return self._check(self.solver, self._lits(fixed))
        return self._inconsistent_component(fixed) is None

    def _conflict_nodes(self) -> list[str]:
        """The derived nodes every conflict is computed from, in topological order."""
        if self._conflict_order is None:
            needed = self.slicer.closures(r.name for c in self.amap.conflicts.values() for r in refs(c.formula))
            self._conflict_order = sorted((d for d in needed if d in self._position),
                                          key=self._position.__getitem__)
        return self._conflict_order

    @property
    def circuit(self):
        """The map as a flat gate list (argmap/engine/circuit.py), compiled on first use."""
        if self._circuit is None:
            from argmap.engine.circuit import Circuit
            self._circuit = Circuit(self.amap, self.order, self.assumption_ids)
        return self._circuit

    def _samples(self, fixed: dict[str, bool], order: list[str]):
        """Random models (argmap/engine/sampling.py) over ``order`` plus the conflicts' closures."""
        from argmap.engine.sampling import sample
        key = (tuple(sorted(fixed.items())), len(order))
        found = self._sample_cache.get(key)
        if found is None:
            circuit = self.circuit
            if order is self.order:
                nodes = circuit.nodes
            else:
                if order is not self._conflict_order:
                    extra = set(order)
                    order = order + [d for d in self._conflict_nodes() if d not in extra]
                nodes = circuit.selection(order)
            found = sample(circuit, nodes, fixed, self.slicer)
            # bounded memory: the last few passes only. A query samples twice per scenario (the
            # conflicts' closure for consistency, then the nodes asked about), so keeping one
            # evicted the other and every repeated `verdicts` paid both passes again.
            if len(self._sample_cache) >= 4:
                self._sample_cache.pop(next(iter(self._sample_cache)))
            self._sample_cache[key] = found
        return found

    def _inconsistent_component(self, fixed: dict[str, bool]) -> Shard | None:
        """The first group of conflict components that the fixed literals make unsatisfiable.

        Components share no assumption, so the map is consistent exactly when each one is; a
        group's answer depends only on the literals over its own ids, so it is cached by them.
        """
        if self._component_shards is None:
            self._component_shards = self.slicer.component_shards(self.shard_size)
        for k, shard in enumerate(self._component_shards):
            own = tuple(sorted((a, v) for a, v in fixed.items() if a in shard.ids))
            ok = self._consistent_cache.get((k, own))
            if ok is None:
                ok = self._consistent_cache[(k, own)] = self._check(self._shard_solver(shard),
                                                                    [self.lit(a, v) for a, v in own])
            if not ok:
                return shard
        return None

    def _shard_solver(self, shard: Shard):
        if shard.solver is None:
            shard.solver = self._new_solver(self._shard_smt(shard))
        return shard.solver

    def _shard_parts(self, shard: Shard) -> tuple[list[str], list[str]]:
        """A shard's derived nodes (topological order) and conflicts (map order)."""
        derived = sorted((d for d in shard.ids if d in self._position), key=self._position.__getitem__)
        conflicts = [c for g in sorted(shard.groups) for c in self.slicer.group_conflicts(g)]
        return derived, conflicts

    def _shard_smt(self, shard: Shard, tracked: bool = False) -> str:
        return self._smt(sorted(shard.ids, key=self._rank.__getitem__), *self._shard_parts(shard), tracked)

    def model(self, fixed: dict[str, bool], extra: Iterable = ()) -> dict[str, bool] | None:
        """A full assignment of the assumptions consistent with the scenario (and ``extra``)."""
        if not self._check(self.solver, self._lits(fixed) + list(extra)):
            return None
        m = self.solver.model()
        return {a: z3.is_true(m.eval(self.var(a), model_completion=True)) for a in self.assumption_ids}

    def counterexample(self, fixed: dict[str, bool], node: str, value: bool) -> dict[str, bool] | None:
        """An assignment consistent with the scenario under which ``node`` has ``value``."""
        return self.model(fixed, [self.lit(node, value)])

    # ---- statuses -----------------------------------------------------------------------------
    def kleene_values(self, fixed: dict[str, bool], nodes: list[str] | None = None) -> dict[str, bool | None]:
        """Three-valued values of every derived node (of ``nodes``' closures when they are few).

        Assumptions that are not fixed are absent, which ``kleene`` reads as unknown.
        """
        order, val = self._kleene(fixed, nodes)
        slot = self.circuit.slot
        values: dict[str, bool | None] = dict(fixed)
        for d in order:
            values[d] = val[slot[d]]
        return values

    def _kleene(self, fixed: dict[str, bool], nodes: list[str] | None) -> tuple[list[str], list]:
        """The nodes evaluated (``nodes``' closures, or the whole map) and every slot's value."""
        order = self.order if nodes is None else self._closure_order(nodes)
        return order, self.circuit.kleene(fixed, None if order is self.order else self.circuit.selection(order))

    def _closure_order(self, nodes: list[str]) -> list[str]:
        """``nodes`` and everything they depend on, in topological order (all of it when large:
        what-breaks and why ask about a few nodes, verdicts about all of them)."""
        if len(nodes) * 16 >= len(self.order):
            return self.order
        needed = self.slicer.closures(nodes, cap=len(self.order) // 4)
        if needed is None:
            return self.order
        return sorted((d for d in needed if d in self._position), key=self._position.__getitem__)

    def values(self, fixed: dict[str, bool], nodes: Iterable[str]) -> dict[str, bool | None]:
        """For each node: True if entailed, False if refuted, None if open. Scenario must be consistent."""
        nodes = list(nodes)
        key = tuple(sorted(fixed.items()))
        known = self._values_cache.get(key)
        if known is not None and all(n in known for n in nodes):
            return {n: known[n] for n in nodes}
        out = self._values(fixed, nodes)
        # a query asks the same scenario again (check's expectations, report sections, warm
        # `verdicts`): keep the answers of the last few scenarios
        if known is None:
            if len(self._values_cache) >= 4:
                self._values_cache.pop(next(iter(self._values_cache)))
            known = self._values_cache[key] = {}
        known.update(out)
        return out

    def _values(self, fixed: dict[str, bool], nodes: list[str]) -> dict[str, bool | None]:
        _, val = self._kleene(fixed, nodes)
        slot = self.circuit.slot
        out = {n: val[slot[n]] for n in nodes}
        undecided = [n for n in nodes if out[n] is None]
        if not undecided:
            return out
        if self.sharded and self.strategy == "sharded":
            # one Z3 solver per shard: an exact path of its own, which the oracle tests run against
            # the others (auto no longer takes it: small SAT instances decide faster, local.py)
            fresh = [n for n in dict.fromkeys(undecided) if n not in self._shard_of]
            for shard in self.slicer.pack(fresh, self.shard_size) if fresh else []:
                for n in shard.members:
                    self._shard_of[n] = shard
            self.paths_used.add("sharded")
            batches: dict[int, tuple[Shard, list[str]]] = {}
            for n in undecided:
                shard = self._shard_of[n]
                batches.setdefault(id(shard), (shard, []))[1].append(n)
            for shard, members in batches.values():
                lits = [self.lit(a, v) for a, v in sorted(fixed.items()) if a in shard.ids]
                self._decide(self._shard_solver(shard), lits, members, out)
            return out
        expect: dict[str, bool] = {}
        if self.sampling and len(undecided) >= SAMPLE_MIN:
            # a node two random models disagree on is open: no solver need refute it
            samples = self._samples(fixed, self._closure_order(undecided))
            if samples.valid:
                self.paths_used.add("sampled-open")
                undecided = [n for n in undecided if not samples.varies(n)]
                expect = {n: samples.seen(n) for n in undecided}
        solver_nodes = undecided     # what a fallback solver is sized for (see _fallback_solver)
        if undecided and self._decides_locally():
            if self._local is None:
                from argmap.engine.local import LocalDecider
                self._local = LocalDecider(self.circuit, self.slicer)
            undecided = self._local.decide(undecided, fixed, expect, out)
            self.paths_used.add("local")
            if undecided:
                # cones too wide for small instances: the whole-map solver decides the rest
                self.local_too_wide = True
                self.paths_used.add("local-left")
        if undecided:
            self.paths_used.add("fallback" if self.sharded else "whole")
            self._decide(self._fallback_solver(solver_nodes), self._lits(fixed), undecided, out)
        return out

    def _fallback_solver(self, nodes: list[str]):
        """The solver that decides ``nodes`` when small instances do not: the whole-map solver, or
        one over the union of their slices when that is clearly smaller. A slice decides exactly
        what the whole map decides (argmap/engine/slicing.py), and so does a union of slices.
        Every satisfiable call of ``consequences()`` assigns all of its solver's variables, so
        fewer ids make each call cheaper: on wide 100k the 4,025 verdicts left after sampling
        read 78% of the map, and ``consequences()`` took 4.93 s instead of 8.52 s. The
        last such solver is kept for later queries whose nodes it holds. ``nodes`` are those left
        before the small instances ran, not after: once they have given up, the same question
        asked again (warm `verdicts`) leaves all of them here and must find them in that solver."""
        if not self.sharded:
            return self.solver
        batch = self._batch
        if batch is not None:
            # A union of slices is closed (a member's slice lies inside it), so membership is
            # enough, without walking the nodes' closures again. One union solver per engine:
            # queries that ask about a node or two at a time (the explorer's lists, `cuts`'
            # ranking) would otherwise compile one each (wide 10k: ~4,400 ids per query, and
            # `export --format html` ran for minutes past its budget).
            ids = batch.ids
            return self._shard_solver(batch) if all(n in ids for n in nodes) else self.solver
        shard = self.slicer.union_shard(nodes)
        if len(shard.ids) >= BATCH_SHARE * len(self.names):
            return self.solver
        self.paths_used.add("fallback-union")
        self._batch = shard
        return self._shard_solver(shard)

    def _decides_locally(self) -> bool:
        """Whether statuses go to small SAT instances (argmap/engine/local.py) before the
        whole-map solver: forced by ``strategy="local"``; under ``auto``, on maps larger than one
        shard until one query found cones too wide for them."""
        if self.strategy == "local":
            return True
        return self.strategy == "auto" and self.sharded and not self.local_too_wide and _have_pysat()

    def _decide(self, solver, lits: list, nodes: list[str], out: dict) -> None:
        """Set ``out[n]`` to True/False for every node the solver proves under ``lits``."""
        for name, value in self._forced(solver, lits, nodes).items():
            if name in out:
                out[name] = value

    # ---- explanations -------------------------------------------------------------------------
    def conflict(self, fixed: dict[str, bool], keep: Literal | None = None) -> list[Tracked]:
        """A minimal set of statements that cannot hold together with the fixed literals.

        ``keep`` is a literal that is part of the question (e.g. ``not A`` in what-breaks) and
        is therefore never reported or removed. On a sharded map the core is sought in the first
        conflict component that is inconsistent on its own: a minimal core of a part is a minimal
        core of the whole, and the part's solver is a fraction of the size.
        """
        if self.sharded:
            found = self._component_conflict(fixed, keep)
            if found is not None:
                return found
        if self._tracked is None:
            self._tracked = self._new_solver(self._map_smt(tracked=True))
        return self._minimal_core(self._tracked, self.order, list(self.amap.conflicts), fixed, keep)

    def _component_conflict(self, fixed: dict[str, bool], keep: Literal | None) -> list[Tracked] | None:
        if keep is not None and fixed.get(keep[0]) is (not keep[1]):
            return None             # the question contradicts a fixed literal, not a component
        shard = self._inconsistent_component({**fixed, keep[0]: keep[1]} if keep else fixed)
        if shard is None:
            return None
        if shard.tracked is None:
            shard.tracked = self._new_solver(self._shard_smt(shard, tracked=True))
        own_keep = keep if keep is not None and keep[0] in shard.ids else None
        return self._minimal_core(shard.tracked, *self._shard_parts(shard),
                                  {a: v for a, v in fixed.items() if a in shard.ids}, own_keep)

    def _minimal_core(self, solver, derived: list[str], conflicts: list[str], fixed: dict[str, bool],
                      keep: Literal | None) -> list[Tracked]:
        """Unsat core over tracking literals (definitions, conflicts, fixed literals), minimised by deletion."""
        items: dict = {}
        for d in derived:
            items[z3.Bool(f"t{self._position[d]}", self.ctx)] = Tracked(self.amap.derived(d).kind, d)
        for c in conflicts:
            items[z3.Bool(f"c{self._conflict_index[c]}", self.ctx)] = Tracked("conflict", c)
        for a, v in sorted(fixed.items()):
            if keep is not None and (a, v) == keep:
                continue
            items[self.lit(a, v)] = Tracked("fixed", a, v)
        base = [self.lit(*keep)] if keep else []
        if self._check(solver, base + list(items)):
            return []
        core = [lit for lit in solver.unsat_core()]
        order = {lit.sexpr(): i for i, lit in enumerate(items)}
        core = sorted((c for c in core if c.sexpr() in order), key=lambda c: order[c.sexpr()])
        i = 0
        while i < len(core):
            trial = core[:i] + core[i + 1:]
            if not self._check(solver, base + trial):
                smaller = {c.sexpr() for c in solver.unsat_core()}
                core = [c for c in trial if c.sexpr() in smaller]
            else:
                i += 1
        by_key = {k.sexpr(): t for k, t in items.items()}
        return [by_key[c.sexpr()] for c in core]

    # ---- minimal supports ---------------------------------------------------------------------
    def cone(self, node: str) -> frozenset[str]:
        """Assumptions a node's value depends on."""
        return self.slicer.cone(node)

    def slice(self, node: str) -> list[str]:
        """The assumptions that can occur in a minimal support of ``node`` (see argmap/slicing.py)."""
        return self.slicer.slice(node)

    def conflict_cones(self) -> list[frozenset[str]]:
        """For each conflict (in map order), the assumptions its expression depends on."""
        return self.slicer.conflict_cones()

    def supports(self, node: str, fixed: dict[str, bool], limit: int = 1000,
                 must: Literal | None = None, value: bool = True,
                 stream_limit: int | None = None) -> tuple[list[dict[str, bool]], bool]:
        """Minimal supports of ``node`` (of ``not node`` with ``value=False``) under ``fixed``.

        When the answer is truncated, ``self.stopped_by`` says which bound stopped it: "limit"
        (``limit``), "budget" (the command's --timeout) or "calls" (the enumeration's cap of solver
        rounds: ``MARCO_BUDGET`` in library use, CALLS_PER_SET per set of ``limit`` under a budget).

        Computed exactly as Blake's canonical form (argmap.engine.implicants) when the DNFs stay under
        ``TERM_CAP`` terms, else streamed with MARCO within a budget of solver calls. With
        ``must``, only supports containing that literal are returned. ``stream_limit``: where
        MARCO streams them, stop after this many (stopped_by "shown"; the terminal's `why` counts
        only what it shows when counting further is not cheap). Returns (supports sorted by
        size, then literals; truncated).
        """
        from argmap.engine.implicants import TermLimit
        self.stopped_by = None
        if must is not None and (must[0] in fixed or must[0] not in self.slice(node)):
            return [], False        # outside the slice a literal is in no minimal support
        if self.consistent(fixed) and self.values(fixed, [node])[node] is value:
            # cheap answer first: entailed by the scenario alone, so the empty set is the one
            # minimal support (enumerating could take exponential time to find just that)
            return ([] if must is not None else [{}]), False
        try:
            with budget.share(0.5):
                found = self._blake_cached(node, fixed, value)
        except (TermLimit, budget.BudgetExceeded, RecursionError):
            # too many terms, or half the time left: MARCO streams supports and can stop partway
            # (RecursionError: the DNF builder recurses along dependency paths, which on the wide
            # 100k map are deeper than Python's stack allows; MARCO gives the same answers)
            if not self.consistent(fixed):
                # no set of literals is consistent with R ∧ W; and the guided phase works on the
                # node's slice, which cannot see an inconsistency in another conflict component
                return [], False
            found = self._one_conjunction(node, fixed, value)
            if found is None:
                found = self._from_cover(node, fixed, value)
            if found is not None:
                if must is not None:
                    found = [x for x in found if x.get(must[0]) is must[1]]
                found = sorted_supports(found)
                if len(found) > limit:
                    self.stopped_by = "limit"
                return found[:limit], len(found) > limit
            universe = [a for a in self.slice(node) if a not in fixed]
            cap = limit if stream_limit is None else min(limit, stream_limit)
            # what the cover found before it gave up are minimal supports already: MARCO starts from them
            seeds = self._cover(node, fixed)[1][value] if must is None else ()
            found, truncated = self._marco(universe, self._lits(fixed), self.lit(node, not value),
                                           cap, must, keep_nogoods=False, target=(node, value, fixed),
                                           seeds=seeds)
            if truncated and self.stopped_by == "limit" and cap < limit:
                self.stopped_by = "shown"
            return found, truncated
        if must is not None:
            found = [s for s in found if s.get(must[0]) is must[1]]
        found = [dict(s) for s in found]        # callers may keep or change them; the cache stays
        if len(found) > limit:
            self.stopped_by = "limit"
        return found[:limit], len(found) > limit

    def cheap_supports(self, node: str, fixed: dict[str, bool], value: bool = True,
                       limit: int = 1000) -> tuple[list[dict[str, bool]], bool] | None:
        """``supports`` when Blake's form answers it cheaply, else None: never MARCO's enumeration.

        For explanations, which may be left partial but should not wait: on a wide slice MARCO
        finds a few supports quickly and can then spend its whole budget proving there are no
        more (wide 1k: 15 s for the three single needs of one verdict). Tried only on slices of
        fewer than CHEAP_SLICE free assumptions, and given up at TERM_CAP terms or after half of
        the time its caller has left."""
        from argmap.engine.implicants import TermLimit
        if self.consistent(fixed) and self.values(fixed, [node])[node] is value:
            return [{}], False
        # (a cone that reaches the gate's size says so after a short walk; the slice is O(map) on
        # a wide one: 1.2 s of closures for what-breaks' 337 explanations on wide 10k)
        if self.slicer.cone_reaches(node, CHEAP_SLICE + len(fixed)) or \
                sum(a not in fixed for a in self.slice(node)) >= CHEAP_SLICE:
            return None
        try:
            with budget.share(0.5):
                found = self._blake_cached(node, fixed, value)
        except (TermLimit, RecursionError, budget.BudgetExceeded):
            return None             # (past half of its time a form is not cheap either)
        found = [dict(s) for s in found]
        return found[:limit], len(found) > limit

    def _one_conjunction(self, node: str, fixed: dict[str, bool], value: bool) -> list[dict[str, bool]] | None:
        """The minimal supports of ``node`` (of ``not node`` with ``value=False``) under a
        consistent ``fixed`` when the node is equivalent, under the conflicts K, to the conjunction
        S of its single points of failure; else None. Then they come from a formula of a few
        terms instead of the node's slice.

        Each single point of failure l has K ∧ ¬l ⊨ ¬node, so K ∧ node ⊨ S; one solver call checks
        S ⊨ node. Then K ⊨ (node ↔ S): the supports are the prime implicants of ¬K ∨ S consistent
        with K, the cut sets those of ¬K ∨ ¬S, and only the conflict components that share an
        assumption with S matter (a consensus needs a shared variable). Blake's form of those few
        terms gives them. MARCO cannot see this: on the wide 10k map it spent the whole budget
        proving that a 19-literal conjunction over a slice of ~2,000 assumptions has no other
        support (`why p83_deception.inner`: exit 3 at 60 s)."""
        singles = self.single_supports(node, fixed, value=False)
        if not singles or singles == [{}]:
            return None
        conjunction = {a: not v for s in singles for a, v in s.items()}
        solver = self._fallback_solver([node]) if self.sharded else self.solver
        lits = self._lits(fixed) + [self.lit(a, v) for a, v in sorted(conjunction.items())]
        if self._check(solver, lits + [self.lit(node, False)]):
            return None             # S does not entail the node: it has other supports
        # S as one term; ¬S as one term per literal negated
        terms = [conjunction] if value else [{a: not v} for a, v in conjunction.items()]
        return self._from_terms(terms, fixed, "one-conjunction")

    def _from_terms(self, terms: list[dict[str, bool]], fixed: dict[str, bool], path: str) -> list[dict[str, bool]] | None:
        """The prime implicants of ¬K ∨ (the disjunction of ``terms``) consistent with K, over the
        assumptions the terms mention and the conflict components those touch (a consensus
        needs a shared variable, so no other component matters); None past CONJUNCTION_CAP
        terms. ``path`` is recorded in ``paths_used`` when it answers."""
        from argmap.engine.implicants import TermLimit
        groups, group_of = self.slicer.groups()
        mentioned = {a for term in terms for a in term}
        touched = {group_of[a] for a in mentioned if a in group_of}
        names = sorted((mentioned | {a for g in touched for a in groups[g]}) - set(fixed),
                       key=self._rank.__getitem__)
        index = {a: i for i, a in enumerate(names)}
        bits = [(sum(1 << index[a] for a, v in t.items() if v), sum(1 << index[a] for a, v in t.items() if not v))
                for t in terms]
        try:
            found = self._consistent_implicants(names, fixed, lambda dnf: bits, CONJUNCTION_CAP)
        except (TermLimit, RecursionError):
            return None
        self.paths_used.add(path)
        return found

    def _from_cover(self, node: str, fixed: dict[str, bool], value: bool) -> list[dict[str, bool]] | None:
        """The minimal supports of ``node`` (of ``not node`` with ``value=False``) under a
        consistent ``fixed`` from a cover (``_cover``) of few implicants, else None.

        Once every model of K ∧ W is covered by a found implicant of the node or of its negation,
        K ⊨ (node ↔ F), F the disjunction of the node's found implicants (G those of its negation):
        a model satisfying some term of F makes the node true, one satisfying a term of G false,
        and each model satisfies one or the other. So the supports are the prime implicants of
        ¬K ∨ F consistent with K, the cut sets those of ¬K ∨ G, over the assumptions F (or G)
        mentions and the conflict components they touch: Blake's form of a few terms. This
        generalises ``_one_conjunction`` (F one term, G its literals negated) to nodes whose
        slice holds thousands of assumptions of which a few dozen matter (wide 10k,
        `why p57_transparency.inner`: MARCO spent the whole budget proving its lists complete)."""
        complete, sides = self._cover(node, fixed)
        return self._from_terms(sides[value], fixed, "cover") if complete else None

    def _cover(self, node: str, fixed: dict[str, bool]) -> tuple[bool, tuple[list, list]]:
        """Minimal implicants of ``not node`` and of ``node`` (cut sets and supports) under a
        consistent ``fixed`` that together cover every model of the node's slice (K ∧ W):
        (True, (cut sets, supports)); or (False, what was found) after ``COVER_ROUNDS`` of them
        or a fifth of the time left. Each round asks the slice's solver for a model that no found
        implicant covers and shrinks it (``_justified``) to a minimal implicant of the value the
        node takes there, so every round finds a new one and the number of rounds is the size of
        the cover, not of the slice. On the wide 10k map the covers sampled were either small
        (at most 22 implicants) or past 1,000. Remembered per node and scenario: `why` asks both
        sides, and MARCO starts from a cover that gave up."""
        key = (node, tuple(sorted(fixed.items())))
        known = self.__dict__.setdefault("_covers", {})
        if key in known:
            return known[key]
        if len(known) >= 64:
            known.clear()
        found: tuple[list, list] = ([], [])
        if COVER_ROUNDS <= 0:
            return False, found
        universe = [a for a in self.slice(node) if a not in fixed]
        base = self._lits(fixed)
        complete = False
        try:
            with budget.share(0.2):
                solver = self._slice_solver((node, True, fixed))
                self._guides = getattr(self, "_guides", 0) + 1
                act = z3.Bool(f"cover{self._guides}", self.ctx)     # switches the blocking clauses on
                for _ in range(COVER_ROUNDS + 1):
                    if budget.expired():
                        break
                    if not self._fast_check(solver, base + [act]):
                        complete = True
                        break
                    if len(found[0]) + len(found[1]) == COVER_ROUNDS:
                        break
                    m = solver.model()
                    v = self._read(m, [node])[node]
                    implicant = self._justified(m, universe, base, [self.lit(node, not v)], (node, v, fixed), solver)
                    found[v].append(dict(implicant))
                    solver.add(self._or([z3.Not(act)] + [self.lit(a, not b) for a, b in implicant]))
        except InconclusiveError:
            pass                    # (the budget's share ran out in a solver call)
        known[key] = complete, found
        return known[key]

    def single_supports(self, node: str, fixed: dict[str, bool], value: bool = True) -> list[dict[str, bool]]:
        """The minimal supports of size one of ``node`` (of ``not node`` with ``value=False``, i.e.
        its single points of failure) under a consistent ``fixed``, by one ``consequences()`` call
        on the solver that decided its status, however many larger ones there are.

        A free literal l is one iff R ∧ W ∧ l is consistent and R ∧ W ∧ l ⊨ (node = value), that
        is iff R ∧ W ∧ (node ≠ value) ⊨ ¬l while R ∧ W alone does not entail ¬l. (If the node is
        not open under ``fixed`` the answer is [] or [{}], as for ``supports``.) The enumeration
        finds the same sets when it runs to the end, but where MARCO streams them (Blake's
        forms past ``TERM_CAP``) it can stop early with the first ones found, not the smallest:
        on the chain 10k map, 9 of 482 open verdicts spent 3-10 s each to list a few dozen."""
        status = self.values(fixed, [node])[node]
        if status is value:
            return [{}]
        if status is not None:
            return []
        # the solver that decided the node's status (the verdicts' union solver, or the map's):
        # compiled already, where a solver over each node's slice cost ~0.1 s a node on wide 10k
        solver = self._fallback_solver([node]) if self.sharded else self.solver
        base = self._lits(fixed)
        # sampled models of R ∧ W ∧ (node ≠ value) on which an assumption takes both values rule
        # it out for free: the solver is asked only about the rest (wide 10k, what-breaks'
        # explanations: ~1,000 candidates a verdict, 13 ms a call, most of it passing them in)
        free = self._constant_on_samples(fixed, [a for a in self.slice(node) if a not in fixed],
                                         (node, not value))
        under = self._forced(solver, base + [self.lit(node, not value)], free) if free else {}
        if not under:
            return []
        # of those, the ones R ∧ W forces alone are no support (remembered per scenario and solver)
        maybe = set(self._constant_on_samples(fixed, list(under), None))
        key = (tuple(sorted(fixed.items())), id(solver))
        if key not in self._forced_alone and len(self._forced_alone) >= 4:
            self._forced_alone.pop(next(iter(self._forced_alone)))
        alone = self._forced_alone.setdefault(key, {})
        ask = [a for a in maybe if a not in alone]
        if ask:
            got = self._forced(solver, base, ask)
            alone.update((a, got.get(a)) for a in ask)
        return [{a: not v} for a, v in sorted(under.items()) if not (a in maybe and alone[a] is not None)]

    def _constant_on_samples(self, fixed: dict[str, bool], names: list[str],
                             given: tuple[str, bool] | None) -> list[str]:
        """``names`` less those that take both values over the sampled models of R ∧ W (with
        ``given``'s node at its value), which nothing entails; all of them when no sample is one."""
        samples = self._samples(fixed, self.order)
        lanes = samples.valid
        if given is not None:
            k = samples.slot.get(given[0])
            if k is None:
                return names
            bits = samples.bits[k]
            lanes &= bits if given[1] else ~bits
        if not lanes:
            return names
        out = []
        for a in names:
            k = samples.slot.get(a)
            b = samples.bits[k] & lanes if k is not None else 0
            if k is None or b == 0 or b == lanes:
                out.append(a)
        return out

    def _forced(self, solver, lits: list, names: list[str]) -> dict[str, bool]:
        """The values of ``names`` that every model of the solver under ``lits`` shares.

        ``Solver.consequences`` through the C API: the Python wrapper checks and wraps every
        variable passed in and every consequence read back (~1,000 of each per call for
        what-breaks' explanations on wide 10k: a third of the call's time)."""
        from z3 import z3core
        self._timed(solver)
        ref, push = self.ctx.ref(), z3core.Z3_ast_vector_push
        asms, variables, implied = (z3.AstVector(None, self.ctx) for _ in range(3))
        for a in lits:
            push(ref, asms.vector, a.as_ast())
        by_id = {}
        for n in names:
            v = self.var(n)
            push(ref, variables.vector, v.as_ast())
            by_id[v.get_id()] = n
        result = z3core.Z3_solver_get_consequences(ref, solver.solver, asms.vector, variables.vector,
                                                   implied.vector)
        if result == z3.Z3_L_UNDEF:
            raise self._unknown(solver)
        kind = z3core.Z3_get_decl_kind
        out = {}
        for i in range(z3core.Z3_ast_vector_size(ref, implied.vector)):
            app = z3core.Z3_to_app(ref, z3core.Z3_ast_vector_get(ref, implied.vector, i))
            if kind(ref, z3core.Z3_get_app_decl(ref, app)) == z3.Z3_OP_IMPLIES:
                app = z3core.Z3_to_app(ref, z3core.Z3_get_app_arg(ref, app, 1))
            positive = kind(ref, z3core.Z3_get_app_decl(ref, app)) != z3.Z3_OP_NOT
            atom = z3core.Z3_app_to_ast(ref, app) if positive else z3core.Z3_get_app_arg(ref, app, 0)
            name = by_id.get(z3core.Z3_get_ast_id(ref, atom))
            if name is not None:
                out[name] = positive
        return out

    def _blake_cached(self, node: str, fixed: dict[str, bool], value: bool) -> list[dict[str, bool]]:
        """Blake supports, remembered: `check` asks `uses`/`requires`/`independent of` about the
        same nodes again and again (the corpus: 88 closures for 157 expectations)."""
        from argmap.engine.implicants import TermLimit
        key = (node, value, tuple(sorted(fixed.items())))
        found = self._support_cache.get(key)
        if found is None:
            try:
                found = self._blake_supports(node, fixed, value)
            except (TermLimit, RecursionError) as e:
                # remembered too: the DNF passes the cap again, after as long (wide 1k: ~0.5 s a
                # node, asked again by every what-breaks of `cruxes` and by both sides of `diff`)
                found = e
            if len(self._support_cache) >= 512:        # bounded: a long-lived engine asks forever
                self._support_cache.clear()
            self._support_cache[key] = found
        if isinstance(found, BaseException):
            raise type(found)(*found.args)      # a fresh one: re-raising would grow its traceback
        return found

    def _blake_supports(self, node: str, fixed: dict[str, bool], value: bool) -> list[dict[str, bool]]:
        names = [a for a in self.slice(node) if a not in fixed]
        return sorted_supports(self._consistent_implicants(names, fixed, lambda dnf: dnf.node(node, value), TERM_CAP))

    def _consistent_implicants(self, names: list[str], fixed: dict[str, bool], target, cap: int) -> list[dict[str, bool]]:
        """The prime implicants of ¬K ∨ T over ``names`` (free assumptions) that hold no nogood,
        by Blake's form: T is ``target(dnf)``'s terms, K the conflicts whose cones meet ``names``.
        Raises TermLimit past ``cap`` terms."""
        from argmap.engine.implicants import DNF, blake, contains, to_literals
        dnf = DNF(self.amap, {a: i for i, a in enumerate(names)}, fixed, cap)
        relevant = set(names)
        conflict_terms = []
        for c, cone in zip(self.amap.conflicts.values(), self.conflict_cones()):
            if cone & relevant:
                conflict_terms += dnf.formula(c.formula, True)
        nogoods = blake(conflict_terms, cap)
        terms = blake(target(dnf) + conflict_terms, cap)
        return [to_literals(t, names) for t in terms if not any(contains(t, ng) for ng in nogoods)]

    def nogoods(self, limit: int = 1000, among: Iterable[str] | None = None) -> tuple[list[dict[str, bool]], bool]:
        """Minimal sets of assumption literals that the map makes inconsistent (the ATMS nogoods).

        ``among``: only those of the conflicts whose cones meet these assumptions. Given a node's
        slice, that is every nogood a set of the slice's literals (plus a consistent scenario) can
        contain: a nogood lies within one conflict component, and a component that meets the
        slice lies in it (argmap/engine/slicing.py). All of them took 10 s on topics 100k (500
        conflicts) for what-breaks to explain one verdict."""
        from argmap.engine.implicants import DNF, TermLimit, blake, to_literals
        conflicts, cones = list(self.amap.conflicts.values()), self.conflict_cones()
        if among is not None:
            keep = set(among)
            chosen = [k for k, cone in enumerate(cones) if cone & keep]
            conflicts, cones = [conflicts[k] for k in chosen], [cones[k] for k in chosen]
        involved = frozenset().union(*cones)
        names = [a for a in self.assumption_ids if a in involved]
        try:
            dnf = DNF(self.amap, {a: i for i, a in enumerate(names)}, {}, TERM_CAP)
            terms = blake([t for c in conflicts for t in dnf.formula(c.formula, True)], TERM_CAP)
        except TermLimit:
            return self._marco(names, [], None, limit, None, keep_nogoods=True)
        found = sorted_supports(to_literals(t, names) for t in terms)
        self.stopped_by = "limit" if len(found) > limit else None
        return found[:limit], len(found) > limit

    def _marco(self, universe, base, goal_negated, limit, must, keep_nogoods, target=None, seeds=()):
        if must is not None and must[0] not in universe:
            return [], False
        from argmap.engine.marco_map import MarcoMap
        goal = [goal_negated] if goal_negated is not None else []
        mapper = MarcoMap(universe, self.ctx, use_pysat=_have_pysat())
        if must is not None:
            mapper.require(must)
        found: list[dict[str, bool]] = []
        for support in seeds:       # minimal supports found before (by ``_cover``)
            found.append(dict(support))
            mapper.no_superset(sorted(support.items()))
        try:
            return self._marco_loop(mapper, universe, base, goal, limit, must, keep_nogoods, found, target)
        except budget.BudgetExceeded:
            if not found:
                raise               # nothing to show: inconclusive (exit 3)
            self.stopped_by = "budget"
            return sorted_supports(found), True
        finally:
            mapper.close()

    def _marco_loop(self, mapper, universe, base, goal, limit, must, keep_nogoods, found, target=None):
        truncated = False
        # Library use stops after MARCO_BUDGET rounds; a command also at its deadline, and after
        # CALLS_PER_SET rounds per set of ``limit`` (at least MARCO_BUDGET), so that a raised
        # --limit searches longer. A command used to run to its deadline whenever the list could
        # not be proved complete: `why` on a 600-statement wide map spent half of a 300 s budget
        # on needs that 5,000 rounds had found in 1.9 s (834 of them). The answer says which
        # bound stopped it.
        calls = MARCO_BUDGET if budget.active() is None else max(MARCO_BUDGET, CALLS_PER_SET * limit)
        self.stopped_by = None
        guided = goal and must is None and not keep_nogoods
        if len(found) >= limit:     # seeds enough already
            truncated = len(found) > limit or mapper.seed() is not None
            self.stopped_by = "limit" if truncated else None
            return sorted_supports(found)[:limit], truncated
        # with a target, a solver over the node's slice alone (exact: argmap/engine/slicing.py)
        # serves both phases: each model and check then costs O(slice), not O(map), the guided
        # phase's blocking clauses die with it instead of piling up in the whole-map solver, and
        # a large map's whole-map solver is not compiled at all. (what-breaks' queries with
        # ``must`` keep the shared whole-map solver: one slice solver per verdict would cost
        # more than their few calls.)
        solver = self._slice_solver(target) if guided and target is not None else self.solver
        if guided:
            stop = self._guided(universe, base, goal, limit, found, mapper, calls, solver, target)
            if stop == "calls":
                self.stopped_by = "calls"
                return sorted_supports(found), True
            if stop == "limit":
                truncated = mapper.seed() is not None
                self.stopped_by = "limit" if truncated else None
                return sorted_supports(found), truncated
        while (seed := mapper.seed()) is not None:
            calls -= 1
            if calls < 0:
                truncated, self.stopped_by = True, "calls"
                break
            if budget.expired():
                if not found:
                    raise budget.exceeded("while listing minimal supports")
                truncated, self.stopped_by = True, "budget"
                break
            # the check and the counter-model's values through the C API: z3's wrappers cost
            # ~40 µs a value and check every argument's sort (wide 600: 70 s for 5,000 calls)
            seed_lits = {self.lit(*lit).get_id(): lit for lit in seed}
            if self._fast_check(solver, base + [self.lit(*l) for l in seed] + goal):
                # a counter-model is a full assignment: a maximal non-implicant; block its subsets
                full = self._read(solver.model(), universe)
                mapper.some_of([(a, not v) for a, v in full.items()])
                continue
            core_ids = {c.get_id() for c in solver.unsat_core()}
            implicant = [lit for key, lit in seed_lits.items() if key in core_ids]
            if must is not None and must not in implicant:
                implicant.append(must)
            implicant = self._shrink(sorted(implicant), base, goal, keep=must, solver=solver)
            if must is not None:
                reduced = [l for l in implicant if l != must]
                if self._entails(base, reduced, goal, solver):
                    mapper.no_superset(reduced)
                    continue
            mapper.no_superset(implicant)
            if not keep_nogoods and not self._fast_check(solver, base + [self.lit(*l) for l in implicant]):
                continue            # a nogood: entails anything, supports nothing
            found.append(dict(implicant))
            if must is not None:
                break
            if len(found) >= limit:
                truncated = mapper.seed() is not None
                self.stopped_by = "limit" if truncated else None
                break
        return sorted_supports(found), truncated

    def _guided(self, universe, base, goal, limit, found, mapper, max_rounds, solver, target=None) -> str | None:
        """MARCO's first phase: supports shrunk from models of V, each model avoiding every
        support found so far. A model that satisfies V fixes V's whole slice, so it entails V and
        shrinks to a new minimal support in a few calls; MARCO alone proposes small seeds first
        and can spend thousands of calls on counter-examples before its first support (20
        independent pairs: nothing within 60 s). Not complete on its own (every model may contain
        some found support), so the MARCO loop that follows finishes the enumeration.
        Returns "limit" when ``limit`` supports were found, "calls" after ``max_rounds`` rounds
        (library use without a time budget), None when no further model exists."""
        want = z3.Not(goal[0])
        self._guides = getattr(self, "_guides", 0) + 1
        act = z3.Bool(f"guide{self._guides}", self.ctx)       # switches this search's blocking clauses on
        for implicant in found:     # seeds: its models avoid them too
            solver.add(self._or([z3.Not(act)] + [self.lit(a, not v) for a, v in implicant.items()]))
        rounds = 0
        while len(found) < limit:
            if budget.expired():
                raise budget.exceeded("while listing minimal supports")
            rounds += 1
            if max_rounds is not None and rounds > max_rounds:
                return "calls"
            if not self._fast_check(solver, base + [want, act]):
                return None
            m = solver.model()
            if target is not None:
                implicant = self._justified(m, universe, base, goal, target, solver)
            else:
                seed = [(a, z3.is_true(m.eval(self.var(a), model_completion=True))) for a in universe]
                if self._check(self.solver, base + [self.lit(*l) for l in seed] + goal):
                    raise AssertionError("a model of V restricted to V's slice must entail V")
                core_ids = {c.get_id() for c in self.solver.unsat_core()}
                implicant = self._shrink(sorted(l for l in seed if self.lit(*l).get_id() in core_ids),
                                         base, goal, None)
            found.append(dict(implicant))
            # MARCO's map never proposes a superset again; this search's models avoid it too
            # (built through the C API: z3.Or/z3.Not check every argument's sort, ~20 ms a clause
            # of 200 literals)
            mapper.no_superset(implicant)
            solver.add(self._or([z3.Not(act)] + [self.lit(a, not v) for a, v in implicant]))
        return "limit"

    def _or(self, terms: list):
        from z3 import z3core
        array = (z3.Ast * len(terms))(*[t.as_ast() for t in terms])
        return z3.BoolRef(z3core.Z3_mk_or(self.ctx.ref(), len(terms), array), self.ctx)

    def _slice_solver(self, target):
        """A fresh solver over ``node``'s slice: its closure and the conflict components it touches."""
        return self._new_solver(self._shard_smt(self.slicer.slice_shard(target[0])))

    def _fast_check(self, solver, assumptions: list) -> bool:
        """``_check`` without the Python wrapper's per-literal sort checks (~30 µs a literal; the
        enumeration passes hundreds of literals per call). Same budget and ``unknown`` handling."""
        from z3 import z3core
        self._timed(solver)
        array = (z3.Ast * len(assumptions))(*[a.as_ast() for a in assumptions])
        result = z3core.Z3_solver_check_assumptions(self.ctx.ref(), solver.solver, len(assumptions), array)
        if result == z3.Z3_L_UNDEF:
            raise self._unknown(solver)
        return result == z3.Z3_L_TRUE

    def _entails(self, base: list, lits: list[Literal], goal: list, solver=None) -> bool:
        if solver is None:
            return not self._check(self.solver, base + [self.lit(*l) for l in lits] + goal)
        return not self._fast_check(solver, base + [self.lit(*l) for l in lits] + goal)

    def _justified(self, m, universe, base, goal, target, solver) -> list[Literal]:
        """A minimal support inside the model ``m`` of V: justified and flip-tested in Python
        (argmap/engine/justify.py), so the solver deletes only the literals neither settles."""
        from argmap.engine import justify
        node, value, fixed = target
        key = (node, tuple(sorted(fixed.items())))
        cached = getattr(self, "_justify_parts", None)
        if cached is None or cached[0] != key:
            shard = self.slicer.slice_shard(node)
            needed = shard.ids
            order = sorted((d for d in needed if d in self._position), key=self._position.__getitem__)
            conflicts = [self.amap.conflicts[c].formula for g in sorted(shard.groups)
                         for c in self.slicer.group_conflicts(g)]
            reads = [a for a in needed if a in self.amap.assumptions and a not in fixed]
            cached = self._justify_parts = (key, order, conflicts, reads)
        _, order, conflicts, reads = cached
        flips = justify.Flips(self.amap, order, conflicts, {**fixed, **self._read(m, reads)}, reads)
        if flips.values[node] is not value:
            raise AssertionError("the guided model must give the node its value")
        support = justify.justify(self.amap, node, value, flips.values, set(universe))
        known = flips.needed(node, value, support)
        return self._shrink(sorted(support.items()), base, goal, None, needed={(a, support[a]) for a in known},
                            solver=solver)

    def _read(self, m, names: list[str]) -> dict[str, bool]:
        """The model's values of the nodes ``names``."""
        return dict(zip(names, self._read_terms(m, [self.var(a) for a in names])))

    def _read_terms(self, m, terms: list) -> list[bool]:
        """The model's values of Boolean ``terms`` through the C API: ``m.eval`` and ``is_true``
        cost ~40 µs a variable in Python wrappers (44 ms a model for a 1,028-assumption slice)."""
        from z3 import z3core
        ref, model, out = self.ctx.ref(), m.model, (z3.Ast * 1)()
        evaluate, value, true = z3core.Z3_model_eval, z3core.Z3_get_bool_value, z3.Z3_L_TRUE
        values = []
        for t in terms:
            evaluate(ref, model, t.as_ast(), True, out)
            values.append(value(ref, out[0]) == true)
        return values

    def _shrink(self, lits: list[Literal], base: list, goal: list, keep: Literal | None,
                needed: set = frozenset(), solver=None) -> list[Literal]:
        """Deletion: drop each literal whose absence still entails the goal. ``needed`` literals
        are known to be in every implicant below ``lits`` (never tried; unsat cores keep them)."""
        i = 0
        ids = {l: self.lit(*l).get_id() for l in lits}
        while i < len(lits):
            if lits[i] == keep or lits[i] in needed:
                i += 1
                continue
            trial = lits[:i] + lits[i + 1:]
            if self._entails(base, trial, goal, solver):
                core_ids = {c.get_id() for c in (solver or self.solver).unsat_core()}
                lits = [l for l in trial if ids[l] in core_ids or l == keep]
            else:
                i += 1
        return lits
