"""One time budget for a whole command, and size caps that turn blow-ups into "inconclusive".

``--timeout`` used to bound each Z3 call, while the pure-Python enumerations (Blake's consensus
closure, MARCO's loop, BDD construction, minimal cruxes) ran unbounded: a 60-line map could keep
`why` busy for minutes and `prob` could eat 24 GB. Now the CLI starts one :class:`Deadline` per
command (:func:`start`); every enumeration calls :func:`tick` in its loops, and the engine gives
each Z3 call only the time that is left (:func:`remaining_ms`). When the budget runs out the
command either returns what it has, flagged as partial (``why``: ``"stopped_by": "budget"``), or
raises :class:`BudgetExceeded`, an ``InconclusiveError`` (exit 3).

Memory is capped by size, not by the process: RLIMIT_AS would also abort Z3 mid-call
(RELIABILITY.md §5). A BDD may hold at most ``MAX_BDD_NODES`` nodes (about 150 bytes each in
Python); past that the question is "too large within the budget", also exit 3.

Library callers that never call :func:`start` keep the old behaviour: no overall deadline.
"""

from __future__ import annotations

import time

from argmap.errors import InconclusiveError

MAX_BDD_NODES = 2_000_000           # ~300 MB of Python lists and dicts
_TICKS = 512                        # loop iterations between two clock reads


class BudgetExceeded(InconclusiveError):
    """The command's time budget (``--timeout``) or a size cap ran out before the answer."""


class Deadline:
    def __init__(self, seconds: float):
        self.seconds = seconds
        self.end = time.monotonic() + seconds

    def remaining(self) -> float:
        return self.end - time.monotonic()

    def expired(self) -> bool:
        return time.monotonic() >= self.end


_active: Deadline | None = None
_count = 0


def start(seconds: float | None) -> Deadline | None:
    """Make ``seconds`` from now the deadline of everything that follows (None: no deadline)."""
    global _active
    _active = Deadline(seconds) if seconds is not None else None
    return _active


def active() -> Deadline | None:
    return _active


def expired() -> bool:
    return _active is not None and _active.expired()


def remaining_ms(cap_ms: int) -> int:
    """Milliseconds a solver call may take: ``cap_ms``, or less when the deadline is nearer."""
    if _active is None:
        return cap_ms
    left = int(_active.remaining() * 1000)
    if left <= 0:
        raise exceeded("before a solver call")
    return max(1, min(cap_ms, left))


def exceeded(where: str) -> BudgetExceeded:
    seconds = _active.seconds if _active is not None else 0
    return BudgetExceeded(f"the time budget of {seconds:g} s ran out {where}; "
                          f"the answer would be incomplete. Raise it with --timeout SECONDS")


class share:
    """``with share(0.5):`` the enclosed work gets at most half of the time that is left; past
    that, ``tick``/``expired`` report expiry, so a first method can give way to a second one
    (Blake's closure to MARCO, which can return a partial answer) instead of eating the budget."""

    def __init__(self, fraction: float):
        self.fraction = fraction
        self.saved: Deadline | None = None

    def __enter__(self):
        global _active
        self.saved = _active
        if _active is not None:
            inner = Deadline(_active.seconds)
            inner.end = time.monotonic() + max(0.0, _active.remaining()) * self.fraction
            _active = inner
        return self

    def __exit__(self, *exc):
        global _active
        _active = self.saved
        return False


def tick(where: str) -> None:
    """Called in every loop that can run long: raise BudgetExceeded once the deadline has passed."""
    global _count
    if _active is None:
        return
    _count += 1
    if _count % _TICKS == 0 and _active.expired():
        raise exceeded(where)
