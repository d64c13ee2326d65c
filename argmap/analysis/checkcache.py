"""Answers of `check` and `test` kept between runs: which `expect` lines passed and which scenarios
were consistent, each under a key made of exactly what decides it.

Why. On the corpus, deciding its 195 `expect` lines again was about half of every `argmap check`
(~90 ms of ~190 ms, Z3's import included), and most of the language server's work after each
keystroke, although an edit changes the answer of only the lines whose slice it touches. The key of
an answer is therefore the slice, not the map:

* a scenario's consistency is a function of the map's conflicts, the definitions of every id they
  are computed from, and the scenario's values for those ids' assumptions (definitions are
  functional, every other assumption is free: docs/semantics.md);
* when the whole map is consistent under the scenario, a node's status and its minimal supports are
  those of its *slice* (its closure plus every conflict component its cone touches; the argument is
  in argmap/engine/slicing.py). So an expectation's outcome is a function of its own fields, the
  definitions and conflicts of its target's slice, and the scenario's values for the slice's
  assumptions; the cache uses a remembered pass only after the scenario is known to be consistent.

Both keys also hold the SHA-256 of the engine's source (argmap/engine, the query code, this module),
so an edited engine answers everything afresh. Only passes and "consistent" are kept: a failure is
decided again, which also words its message. The file (``check-<hash of the map's paths>.json`` in
argmap.cachedir's folder) holds the keys the last run used and nothing else, so it never grows and
an unchanged map answers from it entirely. It holds hex digests only: a forged file can at worst make
its own user's failing expectation look passed, never run code. Used only where the program asks
for disk caches (argmap.cachedir.use_file_cache: the command line), never by library calls. The
language server keeps its keys in memory instead (``MemoryKeys``, one per reader).
"""

from __future__ import annotations

import functools
import hashlib
import json
import os

from argmap.language.model import And, ArgumentMap, Expect, Formula, Not, Or, Ref

CACHE_FORMAT = 1
_ENGINE_SOURCES = (("engine", None), ("analysis", "queries.py"), ("analysis", "checkcache.py"),
                   ("language", "model.py"), ("language", "validate.py"))
_KEEP = 100_000             # keys kept per map at most (~6.6 MB; a larger run keeps some of its answers)


@functools.lru_cache(maxsize=1)
def engine_digest() -> str:
    """SHA-256 of the code that decides the answers (read as files: nothing is imported)."""
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    h = hashlib.sha256(f"argmap-check-{CACHE_FORMAT}".encode())
    for folder, name in _ENGINE_SOURCES:
        where = os.path.join(package, folder)
        names = [name] if name else sorted(n for n in os.listdir(where) if n.endswith(".py"))
        for n in names:
            with open(os.path.join(where, n), "rb") as fh:
                h.update(n.encode() + b"\0" + fh.read() + b"\0")
    return h.hexdigest()


def formula_key(f: Formula) -> str:
    """A prefix encoding of a formula: equal strings, equal formulas (iterative: formulas may be deep)."""
    out: list[str] = []
    stack: list = [f]
    while stack:
        f = stack.pop()
        if isinstance(f, str):
            out.append(f)
        elif isinstance(f, Ref):
            out.append(f.name)
        elif isinstance(f, Not):
            out.append("!")
            stack.append(f.arg)
        else:
            out.append("&(" if isinstance(f, And) else "|(" if isinstance(f, Or) else "?(")
            stack.append(")")
            stack.extend(reversed(f.args))
    return " ".join(out)


class DiskKeys:
    """The keys on disk: one file per map, holding the keys its last run used."""

    def __init__(self, path: str):
        self.path = path

    def load(self) -> set[str]:
        try:
            with open(self.path, encoding="utf-8") as fh:
                doc = json.load(fh)
            if doc.get("format") != CACHE_FORMAT or doc.get("engine") != engine_digest():
                return set()
            return {k for k in doc["keys"] if isinstance(k, str) and len(k) == 64}
        except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
            return set()

    def save(self, used: set[str], known: set[str]) -> None:
        if used != known:
            from argmap.cachedir import write_atomically
            write_atomically(self.path, json.dumps({"format": CACHE_FORMAT, "engine": engine_digest(),
                                                    "keys": sorted(used)[:_KEEP]}))


class MemoryKeys:
    """The keys in memory, for a long-lived process (the language server: one per map it serves).
    Keys of every run are kept (up to ``_KEEP``), so undoing an edit answers from memory too."""

    def __init__(self):
        self.keys: set[str] = set()

    def load(self) -> set[str]:
        return self.keys

    def save(self, used: set[str], known: set[str]) -> None:
        self.keys = (known | used) if len(known) + len(used) <= _KEEP else set(used)


class RememberedAnswers:
    """One run's view of a map's remembered answers: read once, asked per question, saved once."""

    def __init__(self, amap: ArgumentMap, store: DiskKeys | MemoryKeys):
        from argmap.engine.slicing import Slicer
        from argmap.language.validate import dependencies
        self.amap = amap
        self.store = store
        self.slicer = Slicer(amap, dependencies(amap))
        self.known: set[str] = store.load()
        self.used: set[str] = set()
        self._definitions: dict[str, str] = {}
        self._slices: dict[str, tuple[str, frozenset[str]]] = {}
        self._conflict_part: tuple[str, frozenset[str]] | None = None

    # ---- keys ---------------------------------------------------------------------------------
    def _definition(self, node: str) -> str:
        text = self._definitions.get(node)
        if text is None:
            derived = self.amap.derived(node)
            if derived is None:
                text = "assumption" if node in self.amap.assumptions else "unknown"
            else:
                text = derived.kind + " " + " ; ".join(formula_key(s.formula) for s in derived.supports)
            self._definitions[node] = text
        return text

    def _digest(self, ids, conflicts) -> str:
        h = hashlib.sha256()
        for i in sorted(ids):
            h.update(f"{i}\0{self._definition(i)}\n".encode("utf-8", "surrogatepass"))
        for c in sorted(conflicts):
            h.update(f"conflict {c}\0{formula_key(self.amap.conflicts[c].formula)}\n"
                     .encode("utf-8", "surrogatepass"))
        return h.hexdigest()

    def _conflicts_key(self) -> tuple[str, frozenset[str]]:
        """Digest of every conflict and what it is computed from, and that part's assumptions."""
        if self._conflict_part is None:
            from argmap.language.model import refs
            ids = self.slicer.closures(r.name for c in self.amap.conflicts.values() for r in refs(c.formula))
            self._conflict_part = (self._digest(ids, self.amap.conflicts),
                                   frozenset(i for i in ids if i in self.amap.assumptions))
        return self._conflict_part

    def _slice_key(self, node: str) -> tuple[str, frozenset[str]]:
        """Digest of ``node``'s slice (definitions and conflicts), and the slice's assumptions."""
        found = self._slices.get(node)
        if found is None:
            shard = self.slicer.slice_shard(node)
            conflicts = [c for g in shard.groups for c in self.slicer.group_conflicts(g)]
            found = self._slices[node] = (self._digest(shard.ids, conflicts),
                                          frozenset(i for i in shard.ids if i in self.amap.assumptions))
        return found

    @staticmethod
    def _key(*parts) -> str:
        return hashlib.sha256("\0".join(map(str, (engine_digest(), *parts))).encode("utf-8", "surrogatepass")).hexdigest()

    def consistency_key(self, fixed: dict[str, bool]) -> str:
        digest, assumptions = self._conflicts_key()
        return self._key("consistent", digest, sorted((a, v) for a, v in fixed.items() if a in assumptions))

    def expect_key(self, ex: Expect, fixed: dict[str, bool]) -> str:
        digest, assumptions = self._slice_key(ex.target)
        return self._key("expect", ex.kind, ex.target, ex.status, ex.assumption, ex.positive, digest,
                         sorted((a, v) for a, v in fixed.items() if a in assumptions))

    # ---- questions ----------------------------------------------------------------------------
    def consistent(self, fixed: dict[str, bool], decide) -> bool:
        """Whether the map is consistent under ``fixed``: remembered, else ``decide(fixed)``
        (the caller, queries.Answers, asks once per scenario)."""
        key = self.consistency_key(fixed)
        ok = key in self.known or decide(fixed)
        if ok:
            self.used.add(key)
        return ok

    def passed(self, ex: Expect, fixed: dict[str, bool]) -> bool:
        """Whether ``ex`` is remembered as passed (its scenario must be consistent: ask that first)."""
        if ex.kind == "consistent" or ex.target is None:
            return False
        key = self.expect_key(ex, fixed)
        if key in self.known:
            self.used.add(key)
            return True
        return False

    def note_passed(self, ex: Expect, fixed: dict[str, bool]) -> None:
        if ex.kind != "consistent" and ex.target is not None:
            self.used.add(self.expect_key(ex, fixed))

    def save(self) -> None:
        self.store.save(self.used, self.known)


def remembered(amap: ArgumentMap, store: MemoryKeys | None = None) -> RememberedAnswers | None:
    """The map's remembered answers: from ``store`` if given, else from disk, or None where disk
    caches are not wanted (library use, ``ARGMAP_NO_CACHE``, no cache folder, standard input)."""
    if store is not None:
        return RememberedAnswers(amap, store)
    from argmap.cachedir import cache_dir, file_cache_enabled
    base = cache_dir()
    if not file_cache_enabled() or base is None or not amap.files or "<stdin>" in amap.files:
        return None
    where = "\0".join(sorted(os.path.abspath(f) for f in amap.files)).encode("utf-8", "surrogatepass")
    return RememberedAnswers(amap, DiskKeys(os.path.join(base, f"check-{hashlib.sha256(where).hexdigest()[:24]}.json")))
