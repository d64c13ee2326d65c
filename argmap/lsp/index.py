"""Where every id of a map is declared and used, read from the text alone.

The index is lexical on purpose: it works while a file does not parse (an editor's text is broken
most of the time it is being typed), and it knows the exact range of each occurrence, which the
model does not keep for every kind of reference (`assume X`, `cite S`, `expect V uses A`).
Positions here are 0-based lines and 0-based code point columns; `positions` converts them.

What counts as what:
- the id after a statement keyword at column 0 (`claim c: ...`) declares it, with that kind;
- `outer:` (any component) at the start of a proposal's attribute line declares the verdict
  `PROPOSAL.outer`;
- every other word outside strings and comments that is not a keyword refers to an id. A dotted
  word `p.inner` refers to the verdict and, through its first part, to the proposal `p`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from argmap.language.grammar import KEYWORDS, STATEMENT_KEYWORDS
from argmap.language.model import COMPONENTS

ID = re.compile(r"[a-z][a-z0-9_]*\Z")
DECLARING = ("source", "assumption", "claim", "proposal", "conflict", "worldview")
_TOKEN = re.compile(r'(?P<string>"(?:[^"\\\n]|\\.)*"?)|(?P<comment>#.*)'
                    r"|(?P<word>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)?)|(?P<other>\S)")


@dataclass(frozen=True, slots=True)
class Occurrence:
    file: str
    line: int               # 0-based
    start: int              # 0-based code point columns, end exclusive
    end: int
    name: str               # the id it denotes: `a`, `p` or the verdict `p.inner`
    declares: bool = False
    kind: str = ""          # for a declaration: its statement kind (`claim`, ..., `verdict`)

    @property
    def proposal_end(self) -> int:
        """End of the proposal part of a verdict reference (`p` in `p.inner`)."""
        dot = self.name.find(".")
        return self.start + dot if dot >= 0 else self.end


@dataclass(frozen=True, slots=True)
class Statement:
    """A statement's extent, for document symbols (lines 0-based, inclusive)."""

    keyword: str
    name: str | None
    first_line: int
    last_line: int
    id_occurrence: Occurrence | None
    children: tuple[Occurrence, ...] = ()       # a proposal's verdict declarations


@dataclass
class FileIndex:
    file: str
    occurrences: list[Occurrence] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)

    def at(self, line: int, column: int) -> Occurrence | None:
        """The occurrence under the cursor (a cursor just after a word still counts as on it)."""
        best = None
        for occ in self.occurrences:
            if occ.line == line and occ.start <= column <= occ.end:
                if best is None or column < occ.end:
                    best = occ
        return best


def index_file(file: str, text: str) -> FileIndex:
    out = FileIndex(file)
    keyword, declared, first, last, id_occ, children = "", None, None, -1, None, []

    def close() -> None:
        if first is not None and keyword in STATEMENT_KEYWORDS:
            out.statements.append(Statement(keyword, declared, first, last, id_occ, tuple(children)))

    for row, line in enumerate(text.split("\n")):
        tokens = [(m.lastgroup, m.group(), m.start()) for m in _TOKEN.finditer(line)]
        starts_statement = line[:1] not in ("", " ", "\t", "#")
        if starts_statement:
            close()
            keyword = tokens[0][1] if tokens and tokens[0][0] == "word" else ""
            declared, first, id_occ, children = None, row, None, []
        if first is not None and any(kind != "comment" for kind, _, _ in tokens):
            last = row
        words = [(i, text_, col) for i, (kind, text_, col) in enumerate(tokens) if kind == "word"]
        for i, word, col in words:
            nxt = tokens[i + 1][1] if i + 1 < len(tokens) else ""
            if starts_statement and i == 0:
                continue                                    # the statement keyword
            if starts_statement and i == 1 and keyword in DECLARING and ID.match(word):
                declared = word
                id_occ = Occurrence(file, row, col, col + len(word), word, True, keyword)
                out.occurrences.append(id_occ)
                continue
            if (not starts_statement and keyword == "proposal" and declared and i == 0
                    and nxt == ":" and word in COMPONENTS):
                occ = Occurrence(file, row, col, col + len(word), f"{declared}.{word}", True, "verdict")
                out.occurrences.append(occ)
                children.append(occ)
                continue
            if word in KEYWORDS or not all(ID.match(part) for part in word.split(".")):
                continue
            if not starts_statement and i == 0 and nxt == ":":
                continue                                    # an unknown component: not an id
            out.occurrences.append(Occurrence(file, row, col, col + len(word), word))
    close()
    return out


class MapIndex:
    """The index of every file of one map."""

    def __init__(self, files: dict[str, FileIndex]):
        self.files = files

    @classmethod
    def build(cls, texts: dict[str, str]) -> "MapIndex":
        return cls({name: index_file(name, text) for name, text in texts.items()})

    def all(self):
        for fi in self.files.values():
            yield from fi.occurrences

    def declarations(self, name: str) -> list[Occurrence]:
        return [o for o in self.all() if o.declares and o.name == name]

    def declared_names(self) -> dict[str, str]:
        """Every declared id → its kind (the first declaration wins, as in the map)."""
        out: dict[str, str] = {}
        for o in self.all():
            if o.declares:
                out.setdefault(o.name, o.kind)
        return out

    def references(self, name: str, include_declaration: bool = True) -> list[Occurrence]:
        """Every place ``name`` occurs; for a proposal, also the first part of its verdict ids.

        A proposal's range inside `p.inner` is just `p` (what a rename of the proposal rewrites).
        """
        out = []
        for o in self.all():
            if o.declares and not include_declaration:
                continue
            if o.name == name:
                out.append(o)
            elif "." not in name and o.name.startswith(name + ".") and not o.declares:
                out.append(Occurrence(o.file, o.line, o.start, o.proposal_end, name))
        return out

    def rename_target(self, occ: Occurrence) -> str:
        """What a rename at ``occ`` renames: a verdict id renames its proposal."""
        return occ.name.split(".", 1)[0]
