"""Prime implicants by Tison's method (argmap.engine.implicants.blake) against brute force on
random DNFs: every prime implicant, nothing else, whatever DNF of the function one starts from."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from argmap.engine.implicants import blake

N = 5


def _holds(term, x) -> bool:
    p, n = term
    return all((x >> i & 1) == 1 for i in range(N) if p >> i & 1) and all(
        (x >> i & 1) == 0 for i in range(N) if n >> i & 1)


def brute_primes(models: set[int]) -> set[tuple[int, int]]:
    implicants = []
    for choice in itertools.product([None, 0, 1], repeat=N):
        p = sum(1 << i for i, c in enumerate(choice) if c == 1)
        n = sum(1 << i for i, c in enumerate(choice) if c == 0)
        if all(x in models for x in range(2 ** N) if _holds((p, n), x)):
            implicants.append((p, n))
    return {t for t in implicants
            if not any(o != t and not (o[0] & ~t[0]) and not (o[1] & ~t[1]) for o in implicants)}


terms = st.tuples(st.integers(0, 2 ** N - 1), st.integers(0, 2 ** N - 1)).map(lambda t: (t[0] & ~t[1], t[1]))


@settings(max_examples=300, deadline=None)
@given(st.lists(terms, max_size=8))
def test_blake_gives_exactly_the_prime_implicants(dnf):
    models = {x for x in range(2 ** N) if any(_holds(t, x) for t in dnf)}
    assert set(blake(dnf, 10_000)) == brute_primes(models), dnf


def test_a_cyclic_function_gets_all_six_primes():
    """f = a¬b ∨ b¬c ∨ c¬a: three of its six prime implicants (a¬c, b¬a, c¬b) are not in the
    given DNF and come only from consensus."""
    a, b, c = 1, 2, 4
    dnf = [(a, b), (b, c), (c, a)]
    models = {x for x in range(2 ** N) if any(_holds(t, x) for t in dnf)}
    want = brute_primes(models)
    assert len(want) == 6
    assert set(blake(dnf, 100)) == want


@settings(max_examples=300)
@given(st.lists(st.sampled_from([None, True, False]), min_size=1, max_size=70))
def test_to_literals_names_each_literal_in_the_order_of_names(choice):
    # (it walks the term's bits, not every name: the result must be what the plain reading gives)
    from argmap.engine.implicants import to_literals
    names = [f"a{i}" for i in range(len(choice))]
    p = sum(1 << i for i, c in enumerate(choice) if c is True)
    n = sum(1 << i for i, c in enumerate(choice) if c is False)
    got = to_literals((p, n), names)
    want = {name: c for name, c in zip(names, choice) if c is not None}
    assert got == want and list(got) == list(want)


@settings(max_examples=200)
@given(st.lists(st.tuples(st.integers(0, 2 ** 8 - 1), st.integers(0, 2 ** 8 - 1)), max_size=40))
def test_minimize_keeps_exactly_the_minimal_consistent_terms_by_size(terms):
    from argmap.engine.implicants import contains, minimize
    consistent = {t for t in terms if not t[0] & t[1]}
    want = {t for t in consistent if not any(o != t and contains(t, o) for o in consistent)}
    got = minimize(terms)
    assert set(got) == want and len(got) == len(want)
    sizes = [bin(p | n).count("1") for p, n in got]
    assert sizes == sorted(sizes)
