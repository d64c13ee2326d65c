"""What may be typed at the cursor: statement keywords, attribute keywords, ids and worldview names.

The context is read from the line before the cursor and the statement the line belongs to, so it
works on text that does not parse yet. Candidates come from the lexical index (`index`), so an id
declared a second ago is offered before the map parses again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from argmap.language.grammar import STATEMENT_KEYWORDS
from argmap.language.model import COMPONENTS
from argmap.language.parse import ATTRIBUTES

_PARTIAL = re.compile(r"[A-Za-z0-9_.]*\Z")
_LEXEME = re.compile(r'"(?:[^"\\\n]|\\.)*"?|#.*|[^"#]+')
_CLOSED = re.compile(r'"(?:[^"\\\n]|\\.)*"')
PROPOSITIONS = ("assumption", "claim", "verdict")
OPERATORS = ("and", "or", "not")


@dataclass(frozen=True)
class Candidate:
    label: str
    kind: str           # keyword | assumption | claim | verdict | worldview | source | proposal | ...
    detail: str = ""


def completions(line_before: str, statement_keyword: str, declared: dict[str, str],
                texts: dict[str, str] | None = None) -> tuple[int, list[Candidate]]:
    """Candidates at the cursor, and the code point column where the word being typed starts.

    ``declared`` maps every declared id to its kind (verdicts included); ``texts`` gives an id's
    text for the detail line.

    >>> ids = {"a": "assumption", "c": "claim", "p.inner": "verdict", "w": "worldview", "s": "source"}
    >>> start, got = completions("expect under ", "expect", ids)
    >>> start, [c.label for c in got]
    (13, ['w'])
    >>> [c.label for c in completions("  if a and ", "claim", ids)[1]]
    ['a', 'c', 'p.inner', 'not']
    >>> [c.label for c in completions("cl", "", ids)[1]]
    ['claim']
    """
    texts = texts or {}
    if _in_string_or_comment(line_before):
        return len(line_before), []
    partial = _PARTIAL.search(line_before).group()
    start = len(line_before) - len(partial)
    head = line_before[:start]
    words = head.split()
    indented = line_before[:1] in (" ", "\t")

    def ids(*kinds: str) -> list[Candidate]:
        return [Candidate(n, k, texts.get(n, "")) for n, k in declared.items() if k in kinds]

    def keywords(*names: str) -> list[Candidate]:
        return [Candidate(n, "keyword") for n in names]

    if not indented and not words:
        found = keywords(*STATEMENT_KEYWORDS)
    elif indented and not words:
        allowed = ATTRIBUTES.get(statement_keyword, ())
        found = keywords(*(a.rstrip(":") for a in allowed))
    elif words[-1] in ("assume", "deny", "credence") and indented:
        found = ids("assumption")
    elif words[-1] == "cite":
        found = ids("source")
    elif indented and words[0] in ("cite", "note", "by", "year", "file"):
        found = []                               # quoted text and numbers follow
    elif words[-1] == "under" or (words[-1] == "consistent" and words[0] == "expect"):
        found = ids("worldview")
    elif not indented and words[0] == "expect":
        found = _expect(words, ids, keywords)
    elif not indented and len(words) < 3 and words[0] in STATEMENT_KEYWORDS:
        found = []                               # naming a new statement: nothing to complete
    else:
        found = (ids(*PROPOSITIONS) + keywords("not") if _wants_operand(words)
                 else keywords("and", "or", "unless"))
    prefix = partial.lower()
    return start, [c for c in found if c.label.startswith(prefix)]


def _in_string_or_comment(line_before: str) -> bool:
    """Whether the cursor is inside a string or a comment (the prose of a map: nothing to complete).

    >>> _in_string_or_comment('claim c: "text a'), _in_string_or_comment('  if a # b'), _in_string_or_comment('  cite s "x" ')
    (True, True, False)
    """
    last = None
    for m in _LEXEME.finditer(line_before):
        last = m
    return last is not None and last.end() == len(line_before) and (
        last.group().startswith("#") or (last.group().startswith('"') and not _CLOSED.fullmatch(last.group())))


def _expect(words: list[str], ids, keywords) -> list:
    if words[-1] in ("expect",) or words[-1].endswith(":"):
        return ids("claim", "verdict") + keywords("consistent", *(("under",) if words[-1] == "expect" else ()))
    if words[-1] in ("requires", "uses", "independent_of"):
        return ids("assumption") + (keywords("not") if words[-1] != "independent_of" else [])
    if words[-1] == "not":
        return ids("assumption")
    return keywords("requires", "uses", "independent_of", "holds", "fails", "open")


def _wants_operand(words: list[str]) -> bool:
    """After `if`, `and`, `or`, `not`, `unless`, `(` or `COMPONENT:` an id comes, else an operator."""
    last = words[-1]
    return (last in ("if", "and", "or", "not", "unless") or last.endswith(("(", ":"))
            or last.rstrip(":") in COMPONENTS)
