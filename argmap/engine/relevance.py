"""Whether some minimal support of a node contains a given literal, in one or two solver calls.

`what-breaks A` puts an open verdict V in `weakens` when some minimal support of V contains A
(docs/semantics.md). Minimal supports are the prime implicants of g = (¬K ∨ V) over the free
assumptions that are consistent with K (K: the conflicts, with the scenario's literals fixed).
Listing them to look for A is exponential when V's slice holds hundreds of assumptions (the
`wide` benchmark shape: > 120 s at 10k statements). Two sound tests answer most questions with
one satisfiability call each. For an assignment x of the free assumptions, let x1 = x[A:=1]
and x0 = x[A:=0]:

* **yes**: if some x has K(x1) ∧ V(x1) ∧ K(x0) ∧ ¬V(x0), every prime implicant of g that covers
  x1 contains A (one without A would also cover x0, where g is false), and it is consistent with
  K (x1 satisfies K): A is in a minimal support.
* **no**: if no x has g(x1) ∧ ¬g(x0), no prime implicant of g contains A: dropping A from one
  would leave an implicant (every x0 it covers has g(x0) ≥ g(x1) = 1).

Neither is complete. With K = ¬(A ∧ E) and V = A ∨ ¬E, {A} is a minimal support, yet every x
with K(x0) ∧ ¬V(x0) has E = 1, where K(x1) fails; and g(x1) ∧ ¬g(x0) holds at E = 1. So when
both are inconclusive the caller asks the exact search of argmap/engine/pair_search.py, and
lists supports (Engine.supports with ``must``) only if that search passes its cap of rounds.
For the literal ``not A`` the roles of x1 and x0 swap; for supports of ``not V`` (cut sets)
V is negated.

The two worlds are one solver: the whole map (its conflicts asserted, so K(x0) holds in every
model, with ``not A`` passed as an assumption literal) plus a *twin* of everything that depends
on A, with A replaced by ``true``. Nodes outside A's forward cone are shared by both worlds. The
twin's conflicts are not asserted but defined into one literal, so the extension is
conservative: every model of the map extends to exactly one model of the twin solver. Because
K(x0) is asserted, the solver cannot look for an x with ¬K(x0); that only matters for the "no"
test of ``not A`` when a conflict mentions A, which then stays inconclusive.

`what-breaks` asks about every verdict at once (``uses_many``): each verdict gets two defined
literals, one per test, and a single ``consequences()`` call decides them all (wide 10k: 403
verdicts in 0.55 s; one ``check()`` per verdict took 4–35 s, single satisfiable calls up to 15 s,
because every satisfiable answer assigns the whole map). Random models were tried first as
witnesses of "yes" and dropped: flipping A in a random model almost never flips a deep verdict
(1 of 337 on the wide 10k map).
"""

from __future__ import annotations

from argmap.errors import InconclusiveError
from argmap.language.model import refs

SLICE_MIN = 48      # cones smaller than this keep the enumeration: Blake is exact, cached, and
                    # cheaper than compiling a twin (the corpus and the topics shape stay as they were)
TWIN = "r_"         # prefix of the twin's names (the engine's names are a<i>, d<j>, t<j>, c<k>)
SWEEP_LANES = 256   # random lanes that show a node's copy different without a solver call
SWEEP_CHECK_MS = 200    # one equivalence question of the sweep; past it the node counts as different
SWEEP_SHARE = 0.25  # of the time left, for the whole sweep
SWEEP_MIN = 2_000   # nodes depending on A from which the twin is swept (the wide 1k map's cones
                    # hold 300-450: its twins decide in one call, and a sweep cost 0.03 s each)
SWEEP_WARM_MS = 10_000  # the sweep's first call (see _sweep)
SWEEP_GIVE_UP = 32  # calls that find the copy different (or run out) before the sweep stops asking


class Twin:
    """The map plus a copy, with one assumption true, of everything that depends on it."""

    def __init__(self, eng, assumption: str):
        self.assumption = assumption
        self._eng = eng
        circuit = eng.circuit
        self._solver = eng._new_solver(eng._map_smt(tracked=False))
        # the nodes whose copy differs from the original (see _sweep); a copy reads the original
        # of every other node
        self._written: set[str] = set()
        forward = reach(eng, {assumption})
        if len(forward) >= SWEEP_MIN:
            forward = self._sweep(eng, assumption, forward)
        self.forward = forward
        leaf = self._leaf(forward)
        out = [self._copy(d, forward) for d in eng.order if d in forward and d not in self._written]
        touched = [f"(not {circuit.text(circuit.base + circuit.conflict_range(cid)[1], leaf)})"
                   for cid, c in eng.amap.conflicts.items()
                   if any(r.name == assumption or r.name in forward for r in refs(c.formula))]
        # K in the twin: the conflicts that do not mention A are the same in both worlds (asserted)
        self.has_conflicts = bool(touched)
        body = "true" if not touched else touched[0] if len(touched) == 1 else f"(and {' '.join(touched)})"
        out.append(f"(declare-const {TWIN}k Bool)(assert (= {TWIN}k {body}))")
        self._solver.from_string("\n".join(out))
        self._terms: dict[str, object] = {}
        self._defined: set[str] = set()
        self._answers: tuple = (None, {})
        self.undecided: set[str] = set()     # nodes whose tests ran out of the budget (uses)

    def _leaf(self, copied: set[str]):
        """``circuit.text``'s leaves in the twin: A is true, the nodes of ``copied`` are their
        copies, every other slot is the engine's own name."""
        eng = self._eng
        na, own, order = eng.circuit.n_assumptions, eng.circuit.slot[self.assumption], eng.order

        def leaf(k: int) -> str:
            if k == own:
                return "true"
            plain = f"a{k}" if k < na else f"d{k - na}"
            return TWIN + plain if k >= na and order[k - na] in copied else plain
        return leaf

    def _copy(self, d: str, copied: set[str]) -> str:
        """The definition of ``d``'s copy, reading the copies of ``copied``."""
        eng = self._eng
        circuit, name = eng.circuit, TWIN + eng.names[d]
        return (f"(declare-const {name} Bool)"
                f"(assert (= {name} {circuit.text(circuit.base + circuit.entry(d)[2], self._leaf(copied))}))")

    def _sweep(self, eng, assumption: str, forward: set[str]) -> set[str]:
        """The nodes of ``forward`` (those that depend on A) whose copy is not proved equal to the
        original in every model of the map with A false, where the copy has A true; their copies
        are left defined in the solver, with those of the nodes tried and proved equal.

        Why: on the wide 10k map, `what-breaks s26_loss_a` left 156 of 388 verdicts undecided,
        each test an equivalence check of a verdict's two copies (5 s and more in one call),
        though A changed only 10 of its 5,945 dependent nodes in 1,024 random lanes: most of
        the cone ignores A. Proved bottom-up (SAT sweeping), each node is cheap: a node none of
        whose inputs differs is the same without a question, a node that a random lane shows
        different differs, and only the rest get one short solver call, whose "equal" is a
        fact of the solver's own models (K holds in every one, and A is false in every query),
        so copies that read the original there answer exactly as before. A call that does not
        finish in SWEEP_CHECK_MS, or a sweep past its part of the budget, leaves the node
        different: only speed depends on it. Where A matters to much of its cone (a root of the
        wide map), lanes rarely show it and most calls find a difference (wide 10k,
        s0_myopia_a: 3,801 of 4,613 calls, 40 s), so after SWEEP_GIVE_UP such calls the sweep
        asks no more: a node then differs when an input does, as without the sweep."""
        import random

        import z3
        circuit, names = eng.circuit, eng.names
        na, own = circuit.n_assumptions, circuit.slot[assumption]
        deps = eng.slicer.deps
        order = [d for d in eng.order if d in forward]
        # random lanes, both worlds: the whole map with A false, then A's cone again with A true
        mask = (1 << SWEEP_LANES) - 1
        rnd = random.Random(0)
        entries = circuit.nodes
        bits0 = [0] * circuit.size
        for k in range(na):
            bits0[k] = rnd.getrandbits(SWEEP_LANES)
        bits0[own] = 0
        circuit.evaluate_bits(bits0, mask, entries)
        bits1 = list(bits0)
        bits1[own] = mask
        circuit.evaluate_bits(bits1, mask, circuit.selection(order))
        return sweep(self._solver, order,
                     must_copy=lambda d, differs: any(x == assumption or x in differs for x in deps[d]),
                     lanes_differ=lambda d: bits0[circuit.slot[d]] != bits1[circuit.slot[d]],
                     copy_text=self._copy,
                     same=lambda d: z3.Bool(TWIN + names[d], eng.ctx) == eng.var(d),
                     lits=[eng.lit(assumption, False)], written=self._written)

    @property
    def solver(self):
        return self._solver

    def term(self, node: str, twin: bool):
        """The z3 literal of ``node`` in the world where the assumption is true (``twin``) or false."""
        import z3
        if not twin or node not in self.forward:
            return self._eng.var(node)
        key = TWIN + self._eng.names[node]
        found = self._terms.get(key)
        if found is None:
            found = self._terms[key] = z3.Bool(key, self._eng.ctx)
        return found

    def conflicts_hold(self):
        """The literal "the twin world satisfies every conflict" (the false world always does)."""
        import z3
        found = self._terms.get(TWIN + "k")
        if found is None:
            found = self._terms[TWIN + "k"] = z3.Bool(TWIN + "k", self._eng.ctx)
        return found


    def uses(self, fixed: dict[str, bool], nodes: list[str]) -> dict[str, bool | None]:
        """The two tests for the literal A (true) and supports of V, for many verdicts in one
        ``consequences()`` call: True ("yes"), False ("no") or None (neither decides).

        For each node two fresh literals are defined (conservatively): ``y`` = K(x1) ∧ V(x1) ∧
        ¬V(x0), ``n`` = g(x1) ∧ ¬V(x0) (K(x0) is asserted). The test "yes" holds when ``y`` is
        not refuted, "no" when ``n`` is refuted. Deciding every node's literals at once lets Z3
        reuse each model for all of them; one call per node cost O(map) per satisfiable answer
        (wide 10k: 400 calls, 4–35 s, with single calls up to 15 s)."""
        import z3
        eng = self._eng
        names = eng.names
        key = tuple(sorted(fixed.items()))
        if self._answers[0] != key:
            self._answers = (key, {})         # one scenario at a time: bounded memory
        known = self._answers[1]
        if all(n in known for n in nodes):  # a long-lived engine (check, a server) asks again
            return {n: known[n] for n in nodes}
        self.undecided = set()
        fresh = [n for n in dict.fromkeys(nodes) if n not in self._defined]
        out = []
        for n in fresh:
            t1 = (TWIN + names[n]) if n in self.forward else names[n]
            t0 = names[n]
            out.append(f"(declare-const y_{t0} Bool)(assert (= y_{t0} (and {TWIN}k {t1} (not {t0}))))"
                       f"(declare-const n_{t0} Bool)(assert (= n_{t0} (and (or (not {TWIN}k) {t1}) (not {t0}))))")
            self._defined.add(n)
        if out:
            self.solver.from_string("\n".join(out))
        var = {}
        for n in nodes:
            var[z3.Bool(f"y_{names[n]}", eng.ctx)] = (n, "y")
            var[z3.Bool(f"n_{names[n]}", eng.ctx)] = (n, "n")
        lits = eng._lits(fixed) + [eng.lit(self.assumption, False)]
        from argmap.engine import budget
        with budget.share(0.25):
            eng._timed(self.solver)
            result, implied = self.solver.consequences(lits, list(var))
        if result == z3.unknown:
            if budget.active() is None and not eng._budget_bound:
                raise eng._unknown(self.solver)
            # One hard question stalls the whole batch: proving that flipping A cannot flip V is
            # an equivalence check of V's two copies (wide 10k, s26_loss_a: 55 of 388 verdicts
            # undecided after 1 s each, the batch not done in 150 s). Ask one verdict at a time,
            # each within its part of the budget left; those still open are `undecided`.
            out = self._one_by_one(lits, nodes)
            known.update({n: v for n, v in out.items() if n not in self.undecided})
            return out
        if result == z3.unsat:
            # W ∧ ¬A is inconsistent: A is forced, so no x has K(x0) and both tests say "no"
            known.update({n: False for n in nodes})
            return {n: False for n in nodes}
        refuted = set()
        by_name = {v.decl().name(): key for v, key in var.items()}
        for imp in implied:
            consequent = imp.arg(1) if z3.is_implies(imp) else imp
            if z3.is_not(consequent):
                refuted.add(by_name[consequent.arg(0).decl().name()])
        out = {n: True if (n, "y") not in refuted else False if (n, "n") in refuted else None for n in nodes}
        known.update(out)
        return out

    def _one_by_one(self, lits: list, nodes: list[str]) -> dict[str, bool | None]:
        """The two tests of ``uses`` as two ``check()`` calls per node, in two rounds: first each
        node within an equal part of half the budget left (most take milliseconds), then those
        left within equal parts of the rest. A node still open is None and in ``undecided``."""
        import z3
        from argmap.engine import budget
        eng, names = self._eng, self._eng.names
        out: dict[str, bool | None] = {}
        todo = list(nodes)
        for fraction in (0.5, 1.0):
            left: list[str] = []
            with budget.share(fraction):
                for k, n in enumerate(todo):
                    y, no = z3.Bool(f"y_{names[n]}", eng.ctx), z3.Bool(f"n_{names[n]}", eng.ctx)
                    try:
                        with budget.share(1 / (len(todo) - k)):
                            out[n] = True if eng._check(self.solver, lits + [y]) else (
                                False if not eng._check(self.solver, lits + [no]) else None)
                    except InconclusiveError:
                        left.append(n)
            todo = left
        for n in todo:
            out[n] = None
            self.undecided.add(n)
        return out


def sweep(solver, order: list[str], must_copy, lanes_differ, copy_text, same, lits: list,
          written: set[str]) -> set[str]:
    """SAT sweeping of copies, bottom-up (``order``: topological): the nodes whose copy is not
    proved equal to its original in every model of ``solver`` under ``lits``. A node that
    ``must_copy`` (given the nodes found different so far) gets its copy written
    (``copy_text``, also given them; the name is added to ``written``); unless ``lanes_differ``
    shows it different, one call of at most SWEEP_CHECK_MS asks whether ``same(d)`` can fail.
    Proved equal, it is left out and its dependents read the original; anything else (a
    difference, no answer in time, a sweep past its part of the budget or past SWEEP_GIVE_UP
    calls that found a difference) counts as different, which only costs speed. Used by the
    what-breaks twin (``Twin._sweep``) and by diff's miter (argmap/engine/miter.py)."""
    import z3
    from argmap.engine import budget
    differs: set[str] = set()
    pending: list[str] = []
    misses = 0
    with budget.share(SWEEP_SHARE):
        try:
            # the first call on a fresh solver pays for Z3's preprocessing of the whole map (1-2
            # s at 100k statements): not within one question's SWEEP_CHECK_MS
            solver.set("timeout", budget.remaining_ms(SWEEP_WARM_MS))
            solver.check(*lits)
        except budget.BudgetExceeded:
            misses = SWEEP_GIVE_UP
        for d in order:
            if not must_copy(d, differs):
                continue                    # reads only originals: the same node
            pending.append(copy_text(d, differs))
            written.add(d)
            if not lanes_differ(d) and misses < SWEEP_GIVE_UP and not budget.expired():
                solver.from_string("\n".join(pending))
                pending = []
                try:
                    solver.set("timeout", budget.remaining_ms(SWEEP_CHECK_MS))
                except budget.BudgetExceeded:
                    misses = SWEEP_GIVE_UP          # (the sweep's part ran out between two reads)
                else:
                    if solver.check(*lits, z3.Not(same(d))) == z3.unsat:
                        continue            # proved equal: dependents read the original
                    misses += 1
            differs.add(d)
    if pending:
        solver.from_string("\n".join(pending))
    return differs


def twin(eng, assumption: str) -> Twin:
    """The engine's twin for ``assumption``; only the last one is kept (cruxes asks about every
    assumption in turn, and each twin is a whole-map solver)."""
    found = getattr(eng, "_twin", None)
    if found is None or found.assumption != assumption:
        found = eng._twin = Twin(eng, assumption)
    return found


def quick(eng, node: str, fixed: dict[str, bool], must: tuple[str, bool], value: bool = True) -> bool | None:
    """True if the one-call test proves that some minimal support of ``node`` (of ``not node`` with
    ``value=False``) under ``fixed`` contains ``must``; False if the other test proves none does;
    None if neither decides. ``must``'s assumption must be free under ``fixed``."""
    import z3
    a, polarity = must
    tw = twin(eng, a)
    base = eng._lits(fixed) + [eng.lit(a, False)]

    def target(in_twin: bool, holds: bool):
        t = tw.term(node, in_twin)
        return t if holds is value else z3.Not(t)
    # the world where the literal holds, and the other one; the false world always satisfies K
    must_twin = polarity
    k_must = [tw.conflicts_hold()] if must_twin else []
    k_other = [] if must_twin else [tw.conflicts_hold()]
    other_fails = k_other + [target(not must_twin, False)]
    if eng._check(tw.solver, base + k_must + [target(must_twin, True)] + other_fails):
        return True                 # the usual answer on wide maps: one call
    # not "yes"; "no" needs g(x_must) ∧ ¬g(x_other) unsatisfiable, g = ¬K ∨ T, K(x_other) ∧ ¬T(x_other)
    if k_must and eng._check(tw.solver, base + [target(must_twin, True)] + other_fails):
        return None
    if k_must and tw.has_conflicts and eng._check(tw.solver, base + [z3.Not(k_must[0])] + other_fails):
        return None
    if not k_must and tw.has_conflicts:
        # the literal `not A` holds in the false world, whose K this solver asserts: it cannot
        # look for x with ¬K(x0) ∧ K(x1) ∧ ¬T(x1), which also makes the "no" test fail
        return None
    return False


def in_some_support(eng, node: str, fixed: dict[str, bool], must: tuple[str, bool],
                    value: bool = True, force: str | None = None) -> bool | None:
    """Whether some minimal support of ``node`` (``not node`` with ``value=False``) under ``fixed``
    contains the literal ``must``: by the quick tests when the slice is wide, then (when they
    are inconclusive) from Blake's list if it stays small, else by the exact searches of
    argmap/engine/pair_search.py; on a narrow slice, or when those give up, by enumerating the
    supports that contain it. None: the enumeration stopped at MARCO's cap of solver calls
    (library use, no command budget) before it found one, which proves nothing either way (a
    command's budget raises instead).

    ``force``: "quick" always tries the quick tests first, then Blake's list if it stays small,
    then the searches; "search" the same without the quick tests (``uses_many`` has asked them);
    for tests, "worlds" the two searches without Blake, "pairs" only the counter-example guided
    one, "enumerate" only the enumeration. The path taken is recorded in ``eng.paths_used``
    ("relevance-yes", "relevance-no", "relevance-listed", "relevance-worlds", "relevance-pairs",
    "relevance-fallback")."""
    if must[0] in fixed or must[0] not in eng.slice(node):
        return False                # outside the slice a literal is in no minimal support
    wide = len(eng.slice(node)) >= SLICE_MIN
    if force == "quick" or (force is None and wide):
        answer = quick(eng, node, fixed, must, value)
        if answer is not None:
            eng.paths_used.add("relevance-yes" if answer else "relevance-no")
            return answer
    if force in ("quick", "search", "pairs", "worlds") or (force is None and wide):
        answer = _listed_or_searched(eng, node, fixed, must, value, blake=force not in ("pairs", "worlds"),
                                     worlds=force != "pairs")
        if answer is not None:
            return answer
    eng.paths_used.add("relevance-fallback")
    found, truncated = eng.supports(node, fixed, must=must, value=value)
    return True if found else (None if truncated else False)


def _listed_or_searched(eng, node: str, fixed: dict[str, bool], must: tuple[str, bool],
                        value: bool, blake: bool = True, worlds: bool = True) -> bool | None:
    """Blake's list when it stays small (exact, remembered per node: on chain maps it answers
    a whole report's questions at once, where the pair search cost 0.1 s each), else the
    searches over pairs (``by_worlds`` when A's conflict component is small, then the guided
    one); None if all give up. ``blake``, ``worlds``: False skips that step (tests)."""
    from argmap.engine import budget, pair_search
    from argmap.engine.implicants import TermLimit
    if not eng.consistent(fixed):
        return False                # no support at all (the search sees one slice, not the map)
    try:
        if blake:
            with budget.share(0.5):
                found = eng._blake_cached(node, fixed, value)
            eng.paths_used.add("relevance-listed")
            return any(s.get(must[0]) is must[1] for s in found)
    except (TermLimit, budget.BudgetExceeded, RecursionError):
        pass                        # (as Engine.supports: too many terms, or half the time left)
    answer = pair_search.by_worlds(eng, node, fixed, must, value) if worlds else None
    if answer is not None:
        eng.paths_used.add("relevance-worlds")
        return answer
    answer = pair_search.in_some_support(eng, node, fixed, must, value)
    if answer is not None:
        eng.paths_used.add("relevance-pairs")
    return answer


def reach(eng, sources: set[str]) -> set[str]:
    """The derived nodes that depend on any of ``sources`` (Slicer.forward)."""
    return eng.slicer.forward(sources)


def affected(eng, assumption: str) -> set[str]:
    """The derived nodes whose slice holds ``assumption``: those that depend on it or on any
    assumption of its conflict component. One walk forward from them, where asking each
    verdict's slice walks every verdict's cone (wide 100k: 0.12 s a verdict, 6,664 verdicts)."""
    groups, group_of = eng.slicer.groups()
    g = group_of.get(assumption)
    return reach(eng, {assumption} | (set(groups[g]) if g is not None else set()))


def wide(eng, node: str) -> bool:
    """Whether ``node``'s cone holds at least SLICE_MIN assumptions; the walk stops there, so a
    wide cone costs O(SLICE_MIN) instead of O(cone). (A narrow cone with a wide slice is left to
    the enumeration, which is exact too: only speed depends on this test.) Remembered per engine:
    cruxes asks it for every verdict once per assumption (wide 10k: ~50 µs a verdict, 400
    verdicts, most of a warm what-breaks)."""
    key = (node, SLICE_MIN)
    known = eng.__dict__.setdefault("_wide", {})
    if key not in known:
        known[key] = eng.slicer.cone_reaches(node, SLICE_MIN)
    return known[key]


def uses_many(eng, fixed: dict[str, bool], assumption: str, nodes: list[str],
              force: str | None = None, inside: set[str] | None = None) -> dict[str, bool | None]:
    """For each of ``nodes`` whose slice is wide (all of them with ``force="quick"``): whether
    some minimal support under ``fixed`` contains ``assumption`` (true), by the two tests in one
    batch; nodes neither test decides go to the exact pair search (``in_some_support``; the
    enumeration after it only if it passes its cap of rounds), each within an equal part of the
    budget left. None: undecided within the budget (the tests' solver calls or the search ran
    out of it). Nodes with narrow slices are left out: their supports are cheap
    to list (Blake) and the caller asks for them. ``inside``: which of ``nodes`` have the
    assumption in their slice, when the caller knows (``affected``; a superset is exact, only
    slower, a subset is not)."""
    from argmap.engine import budget
    if assumption in fixed:
        return {n: False for n in nodes}
    if inside is None:
        inside = affected(eng, assumption)
    asked = [n for n in nodes if n in inside and (force == "quick" or (force is None and wide(eng, n)))]
    out: dict[str, bool | None] = {n: False for n in nodes if n not in inside}
    if not asked:
        return out
    tw = twin(eng, assumption)
    answers = tw.uses(fixed, asked)
    left = [n for n, answer in answers.items() if answer is None and n not in tw.undecided]
    for n, answer in answers.items():
        if answer is not None:
            eng.paths_used.add("relevance-yes" if answer else "relevance-no")
        out[n] = answer
    for k, n in enumerate(left):
        try:
            with budget.share(1 / (len(left) - k)):
                out[n] = in_some_support(eng, n, fixed, (assumption, True), force="search")
        except InconclusiveError:
            if budget.active() is None:
                raise               # a solver's own timeout in library use: no part to blame
            out[n] = None
    return out
