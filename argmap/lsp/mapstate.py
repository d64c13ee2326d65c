"""The map an editor is looking at: which files make it, their current text, and what they mean.

An editor's unsaved text overrides the file on disk, so the map is read from texts, not paths;
the steps are the loader's (decode → chunks → parse → build → assemble → validate), and the
diagnostics are the ones `argmap check` prints for the same text. Parsing and building are most
of the cost (about 70% of a read of the corpus), and one keystroke changes one statement of one
file, so each file's part (its statements, built) is kept while its text stays the same, and
parsed statements are cached by their text and place; assembling and validating run on every read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from argmap.analysis.checkcache import MemoryKeys
from argmap.language.diagnostics import Diagnostic
from argmap.language.filecache import FilePart
from argmap.language.loader import build_map, file_part
from argmap.language.model import ArgumentMap
from argmap.language.parse import Chunk, Parsed, parse_statement
from argmap.language.source import MAX_BYTES, SourceFile, decode

MAP_FOLDER = "claims"        # a workspace with this folder keeps its map there (as the CLI's default)
CACHE_LIMIT = 50_000         # parsed statements kept; cleared whole when full (a cache, not a store)


def map_dir(workspace_root: str | None, document: str) -> str:
    """The folder whose ``.argmap`` files form the map ``document`` belongs to.

    The workspace's ``claims/`` if it has one, else the workspace root; a file opened from outside
    them forms a map with the files of its own folder.
    """
    doc = Path(document).resolve()
    folder = workspace_map(workspace_root)
    if folder and doc.is_relative_to(folder):
        return folder
    return str(doc.parent)


def workspace_map(workspace_root: str | None) -> str | None:
    """The workspace's own map folder (every ``.argmap`` file below it belongs to the map)."""
    if not workspace_root:
        return None
    root = Path(workspace_root).resolve()
    return str(root / MAP_FOLDER if (root / MAP_FOLDER).is_dir() else root)


def files_on_disk(folder: str, recursive: bool = True) -> list[str]:
    found = Path(folder).rglob("*.argmap") if recursive else Path(folder).glob("*.argmap")
    return sorted(str(p) for p in found if p.is_file())


def current_texts(folder: str, open_documents: dict[str, str], recursive: bool = True) -> dict[str, str]:
    """Every file of the map → its text: the editor's for open files, the disk's for the others.

    ``recursive``: the files below ``folder`` too (the workspace's map), or only those in it (the
    map of a file opened from elsewhere: its neighbours, not the whole tree under its folder).
    """
    texts: dict[str, str] = {}
    for path in files_on_disk(folder, recursive):
        if path in open_documents:
            texts[path] = open_documents[path]
            continue
        try:
            with open(path, "rb") as fh:
                data = fh.read(MAX_BYTES + 1)
        except OSError:
            continue        # deleted or unreadable since the listing: not part of the map now
        texts[path] = data.decode("utf-8", "surrogateescape")
    for path, text in open_documents.items():
        inside = Path(path).parent == Path(folder) or (recursive and Path(path).is_relative_to(folder))
        if path not in texts and Path(path).suffix == ".argmap" and inside:
            texts[path] = text          # new, never saved
    return dict(sorted(texts.items()))


@dataclass
class Reading:
    """One reading of a map: the model, its syntax-and-name diagnostics and each file's lines."""

    amap: ArgumentMap
    diagnostics: list[Diagnostic]
    lines: dict[str, list[str]] = field(default_factory=dict)
    cache: dict = field(default_factory=dict)       # what the server computed from this reading
    answers: MemoryKeys | None = None               # the reader's passed expectations, across readings

    @property
    def has_errors(self) -> bool:
        return any(d.severity == "error" for d in self.diagnostics)


class Reader:
    """Reads maps from texts, caching each parsed statement."""

    def __init__(self):
        self._parsed: dict[tuple[str, int, str], Parsed] = {}
        # each file's part as of the last reading, with the text it was built from: the statements
        # are frozen objects, so a reading may share them with the one before (a 10k-statement map
        # rebuilt all eleven files' statements after every keystroke: ~0.3 s of a 0.55 s read)
        self._parts: dict[str, tuple[str, FilePart]] = {}
        # an edit changes the answer of only the expectations whose slice it touches: the others
        # are answered from here (argmap/analysis/checkcache.py)
        self.answers = MemoryKeys()

    def read(self, texts: dict[str, str]) -> Reading:
        diags: list[Diagnostic] = []
        sources: list[SourceFile] = []
        lines: dict[str, list[str]] = {}
        for name, text in texts.items():
            data = _bytes(text)
            if len(data) > MAX_BYTES:
                diags.append(Diagnostic(severity="error", code="E003", file=name, line=1, column=1,
                                        message=f"file is larger than the limit of {MAX_BYTES:,} bytes",
                                        hint="split the map into several files, or raise ARGMAP_MAX_BYTES"))
                continue
            src, problems = decode(name, data)
            diags.extend(problems)
            if src is None:
                lines[name] = text.split("\n")
                continue
            sources.append(src)
            lines[name] = src.lines
        kept, self._parts = self._parts, {}

        def part_of(src: SourceFile) -> FilePart:
            found = kept.get(src.name)
            part = found[1] if found is not None and found[0] == src.text else file_part(src, self._parse)
            self._parts[src.name] = (src.text, part)
            return part
        amap, diags = build_map(sources, diags, [s.name for s in sources], part_of=part_of)
        return Reading(amap, diags, lines, answers=self.answers)

    def _parse(self, src: SourceFile, ch: Chunk) -> Parsed:
        key = (src.name, ch.first_line, ch.text)
        hit = self._parsed.get(key)
        if hit is None:
            if len(self._parsed) >= CACHE_LIMIT:
                self._parsed.clear()
            hit = self._parsed[key] = parse_statement(src, ch)
        return hit


def semantic_diagnostics(reading: Reading) -> list[Diagnostic]:
    """What only the solver finds (inconsistency, failed `expect`), as `argmap check` reports it;
    nothing while the map has errors, as in `check`."""
    if reading.has_errors or not reading.amap.files:
        return []
    from argmap.analysis.queries import semantic_diagnostics as solve
    return solve(reading.amap, keys=reading.answers)


def statuses(reading: Reading) -> dict[str, str]:
    """Status of every claim and verdict under the empty worldview ({} while the map has errors or
    is inconsistent: hover then says why there is none)."""
    if reading.has_errors or not reading.amap.files:
        return {}
    from argmap.analysis.queries import statuses as solve
    from argmap.errors import InconsistentError
    amap = reading.amap
    try:
        return solve(amap, nodes=list(amap.claims) + list(amap.verdicts))
    except InconsistentError:
        return {n: "inconsistent" for n in list(amap.claims) + list(amap.verdicts)}


def support_facts(reading: Reading, node: str, limit: int = 100):
    """``why`` of ``node`` under the empty worldview, as hover shows it: (number of minimal
    supports, capped?, needs or None, needs capped?). Needs (clauses, one literal of each must
    hold) come from `why` once it reports them (the explanations work); None before that."""
    from argmap.analysis.queries import why
    result = why(reading.amap, node, limit=limit)
    needs = getattr(result, "needs", None)
    return len(result.supports), result.truncated, needs, bool(getattr(result, "needs_truncated", False))


def _bytes(text: str) -> bytes:
    """The bytes a text stands for: a file's undecodable bytes come back as they were on disk; a
    lone surrogate sent by an editor becomes bytes that fail to decode, so it gets E001, not a crash."""
    try:
        return text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogatepass")
