"""The front half of the pipeline: paths → files → statements → one validated ArgumentMap."""

from __future__ import annotations

import gc
import os
from typing import Callable

from argmap.cachedir import file_cache_enabled, is_one_shot_process
from argmap.language import filecache
from argmap.language.assemble import assemble
from argmap.language.diagnostics import Diagnostic, MapError, sort_diagnostics
from argmap.language.model import ArgumentMap
from argmap.language.parse import Chunk, Parsed, chunks, damage, parse_statement
from argmap.language.source import SourceFile, collect_paths, display_name, read_source
from argmap.language.validate import validate

# New tracked objects (about 40k statements) worth a full collection right after parsing. Measured:
# at 10k statements (126k objects) the collection costs 0.15-0.3 s and saves nothing later; at 100k
# (1.3M objects) it costs about 1 s and saves 1.8 s in the first queries.
LARGE_HEAP_GROWTH = 500_000


def read_map(paths: list[str] | str | os.PathLike = "claims") -> tuple[ArgumentMap, list[Diagnostic]]:
    """Parse and validate every ``*.argmap`` file under ``paths``; never raises for bad map text.

    Returns the map (possibly partial) and every diagnostic, sorted by file, line and column.
    A path that does not exist raises :class:`argmap.UsageError`.

    >>> import argmap, tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "m.argmap").write_text('assumption myopia: "M"\\nclaim c: "C"\\n  if mypia\\n')
    >>> amap, diags = argmap.read_map(d)
    >>> [(x.severity, x.code, x.line, x.column, x.message, x.hint) for x in diags]
    [('warning', 'W301', 1, 12, 'assumption `myopia` is not used by any claim, verdict or conflict', 'use it in an `if` line, or remove it'), ('warning', 'W302', 2, 7, 'nothing depends on claim `c`', "use it in a proposal's component line or another claim's `if` line"), ('error', 'E201', 3, 6, 'unknown id `mypia`', 'did you mean `myopia`?')]
    >>> try:
    ...     argmap.read_map(d / "missing")
    ... except argmap.UsageError as exc:
    ...     print(str(exc).removeprefix(str(d)))
    /missing: no such file or directory
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    # Parsing allocates millions of small objects and frees almost none, so the cyclic garbage
    # collector's full passes only re-scan a growing heap: -29% at 100k statements, -20% at 10k
    # (benchmarks/, docs/performance.md). It is switched back on however parsing ends.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _read_map(paths)
    finally:
        if was_enabled:
            gc.enable()
            # A process that runs one command and exits (the CLI) moves the map's objects out of
            # the collector's reach (gc.freeze, constant time): no pass over them, now or during
            # the queries, which allocate a lot (`argmap verdicts`, parse cache warm: topics 100k
            # 4.1-4.4 s -> 2.7 s, wide 10k 0.64 -> 0.51 s). The map lives until the process ends.
            # Elsewhere (library calls; freezing is the whole process's setting) the collector
            # would scan a large map's objects in three passes (young, middle and, because the
            # old generation looks small, a full one) during the first queries: 1.8 s of the 100k
            # map's check. One full pass now costs about half of that; smaller maps do not gain
            # from it (and a Hypothesis run loads thousands of small ones).
            if is_one_shot_process():
                gc.freeze()
            elif gc.get_count()[0] > LARGE_HEAP_GROWTH:
                gc.collect()


def _read_map(paths: list) -> tuple[ArgumentMap, list[Diagnostic]]:
    files = collect_paths([os.fspath(p) for p in paths])
    diags: list[Diagnostic] = []
    sources: list[SourceFile] = []
    for path in files:
        src, problems = read_source(path)
        diags.extend(problems)
        if src is not None:
            sources.append(src)
    return build_map(sources, diags, [display_name(f) for f in files])


def build_map(sources: list[SourceFile], diags: list[Diagnostic], files: list[str],
              part_of: Callable[[SourceFile], filecache.FilePart] | None = None) -> tuple[ArgumentMap, list[Diagnostic]]:
    """Decoded sources → one validated map, with every diagnostic sorted (``diags`` holds those found
    while reading). The one path from text to model: the CLI reads files through it, the language
    server open documents (with ``part_of`` keeping each file's part, and each statement's parse,
    between keystrokes)."""
    statements = []
    damaged: set[str] = set()
    mentioned: set[str] = set()
    # Without a caller's own `part_of`, a file's part is kept on disk (argmap.language.filecache),
    # only where the program asked for it (the CLI does)
    cached = part_of is None and file_cache_enabled()
    for src in sources:
        if part_of is not None:
            part = part_of(src)
        else:
            part = filecache.read(src) if cached else None
            if part is None:
                part = file_part(src)
                if cached:
                    filecache.write(src, part)
        diags.extend(part.diagnostics)
        damaged |= part.damaged
        mentioned |= part.mentioned
        statements.extend(part.statements)
    amap = assemble(statements, diags, {s.name: s for s in sources}, damaged)
    amap.damaged, amap.mentioned_in_damage = damaged, mentioned
    amap.files = files
    validate(amap, {s.name: s for s in sources}, diags)
    diags = sort_diagnostics(diags)
    amap.diagnostics = diags
    return amap, diags


def file_part(src: SourceFile, parse: Callable[[SourceFile, Chunk], Parsed] = parse_statement) -> filecache.FilePart:
    """One file's statements, with the diagnostics of cutting, parsing and building it (in that
    order) and what its syntax errors damaged."""
    diags: list[Diagnostic] = []
    damaged: set[str] = set()
    mentioned: set[str] = set()
    parts, problems = chunks(src)
    diags.extend(problems)
    statements = []
    built: list[Diagnostic] = []        # (after every syntax error of the file, as they always came)
    for ch in parts:
        result = parse(src, ch)
        diags.extend(result.diagnostics)
        lost, words = damage(ch, result)
        damaged |= lost
        mentioned |= words
        if result.statements is not None:
            statements.extend(result.statements)
            built.extend(result.build_diagnostics)
    diags.extend(built)
    return filecache.FilePart(statements, diags, damaged, mentioned)


def load(paths: list[str] | str = "claims") -> ArgumentMap:
    """Load a map for querying; raise :class:`argmap.MapError` if it has any error diagnostic.

    >>> import argmap, tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "m.argmap").write_text('assumption a: "A"\\nclaim c: "C"\\n  if a\\n')
    >>> m = argmap.load(str(d))
    >>> sorted(m.assumptions), sorted(m.claims)
    (['a'], ['c'])
    """
    amap, diags = read_map(paths)
    if any(d.severity == "error" for d in diags):
        raise MapError(diags)
    return amap
