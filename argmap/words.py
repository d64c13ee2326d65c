"""Counted nouns for messages: "1 file", "2 files", never "1 files" or "file(s)".

Shared by every stage (like argmap.errors), so it imports nothing.
"""

from __future__ import annotations

IRREGULAR = {"analysis": "analyses", "proposal's": "proposals'"}


def count(n: int, noun: str, plural: str | None = None) -> str:
    """``n`` and the noun, singular for exactly one.

    >>> count(1, "worldview"), count(0, "file"), count(2, "verdict"), count(3, "source text")
    ('1 worldview', '0 files', '2 verdicts', '3 source texts')
    >>> count(1, "assumption fixed", "assumptions fixed"), count(2, "analysis")
    ('1 assumption fixed', '2 analyses')
    """
    if n == 1:
        return f"{n} {noun}"
    return f"{n} {plural or IRREGULAR.get(noun) or noun + 's'}"
