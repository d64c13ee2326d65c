"""A cache of what one file's text builds to: its statements and the diagnostics found on the way.

Parsing and building the corpus's 20 files took about 0.2 s of every command. A file's part of the
front half (cut into statements, parse with recovery, build the statement objects) depends only on
its name (diagnostics carry it) and its text, plus argmap's own front-end code, so the result is
kept in ``<cache folder>/front-<hash of the file's absolute path>.json`` (argmap.cachedir) under a
key made of exactly those: the text's SHA-256, the name, and the SHA-256 of the grammar and of the
front-end modules' source (an edited parser or builder invalidates every entry, even without a
version bump). One entry per file path: an edit replaces that file's entry instead of adding one.
Everything after (assembling the map, validation, the engine) runs as without the cache, so a
cached read and an uncached one give identical maps and diagnostics (tests/test_filecache.py).

The entry is JSON, decoded into the model's own classes only (a fixed table of names): a forged
entry can at worst describe a wrong map to its own user, never run code. Anything unexpected in an
entry (unreadable, another key, an unknown class, a wrong field count) means a miss.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import os
from dataclasses import dataclass

from argmap.language import model
from argmap.language.diagnostics import Diagnostic
from argmap.language.source import SourceFile

CACHE_FORMAT = 1                  # bump when the entry's shape changes
FRONT_END_MODULES = ("assemble.py", "build.py", "diagnostics.py", "filecache.py", "grammar.py", "model.py",
                     "parse.py", "source.py")
# Larger files are parsed every time: an entry is about 1.6× its file (the corpus: 292 kB of text,
# 464 kB of entries), and a generated 100k-statement map would leave tens of MB in the user's home.
MAX_CACHED_CHARS = 1_000_000


@dataclass
class FilePart:
    """One file's contribution to the map, in the order build_map uses it."""

    statements: list
    diagnostics: list[Diagnostic]
    damaged: set[str]
    mentioned: set[str]


# ---- the key ------------------------------------------------------------------------------------
@functools.lru_cache(maxsize=1)
def front_end_digest() -> str:
    """SHA-256 of what turns text into statements: the grammar, Lark's version, and the source of
    the modules that cut, parse and build (and of this one). Read as files, not imported: a read
    served from the cache imports no Lark. Lark's version is read as the text of its
    ``__init__.py``, which states it (``importlib.metadata.version`` cost ~18 ms of every start)."""
    from argmap.language import grammar
    h = hashlib.sha256(f"{CACHE_FORMAT}\0{grammar.grammar_sha256()}\0".encode())
    h.update(_lark_init())
    here = os.path.dirname(os.path.abspath(__file__))
    for name in FRONT_END_MODULES:
        with open(os.path.join(here, name), "rb") as fh:
            h.update(fh.read())
    return h.hexdigest()


def _lark_init() -> bytes:
    """The text of the installed Lark's ``__init__.py`` (found, not imported), or nothing."""
    import importlib.util
    spec = importlib.util.find_spec("lark")
    try:
        with open(spec.origin, "rb") as fh:
            return fh.read()
    except (AttributeError, TypeError, OSError):
        return b""


def _key(src: SourceFile) -> str:
    text = src.text.encode("utf-8", "surrogatepass")
    return hashlib.sha256(b"\0".join([front_end_digest().encode(), src.name.encode("utf-8", "surrogatepass"),
                                      text])).hexdigest()


def _entry_path(src: SourceFile) -> str | None:
    from argmap.cachedir import cache_dir
    base = cache_dir()
    if base is None or src.name == "<stdin>" or len(src.text) > MAX_CACHED_CHARS:
        return None
    where = os.path.abspath(src.name).encode("utf-8", "surrogatepass")
    return os.path.join(base, f"front-{hashlib.sha256(where).hexdigest()[:24]}.json")


# ---- encoding: JSON with tagged objects -----------------------------------------------------------
def _classes() -> dict[str, type]:
    from argmap.language.assemble import _Attr
    table = {c.__name__: c for c in vars(model).values() if dataclasses.is_dataclass(c) and isinstance(c, type)}
    table.pop("ArgumentMap")
    table["_Attr"] = _Attr
    return table


CLASSES = _classes()
DIAGNOSTIC_FIELDS = tuple(f.name for f in dataclasses.fields(Diagnostic))
# the type each field must have in an entry (Diagnostic is a plain dataclass: nothing else checks)
_DIAGNOSTIC_TYPES = {"severity": str, "code": str, "message": str, "file": str, "line": int, "column": int,
                     "hint": (str, type(None)), "source_line": (str, type(None))}


def _encode(x):
    kind = type(x)
    if x is None or kind in (str, int, float, bool):
        return x
    if kind is list:
        return [_encode(v) for v in x]
    if kind is tuple:
        return {"t": [_encode(v) for v in x]}
    if kind is set:
        return {"s": sorted(_encode(v) for v in x)}
    name = kind.__name__
    if CLASSES.get(name) is kind:
        if name == "_Attr":
            values = [x.kind, x.values, x.span]
        else:
            values = [getattr(x, f.name) for f in dataclasses.fields(x)]
        return {"c": name, "f": [_encode(v) for v in values]}
    if kind is Diagnostic:            # (a list, not a dict: every JSON object goes through the decoder)
        return {"d": [_encode(getattr(x, name)) for name in DIAGNOSTIC_FIELDS]}
    raise TypeError(f"not cacheable: {kind.__name__}")      # e.g. a lark Token: then no entry at all


def _decode_object(d: dict):
    if "c" in d:
        return CLASSES[d["c"]](*d["f"])
    if "t" in d:
        return tuple(d["t"])
    if "s" in d:
        return set(d["s"])
    if "d" in d:
        fields = dict(zip(DIAGNOSTIC_FIELDS, d["d"], strict=True))
        if not all(isinstance(fields[k], t) and type(fields[k]) is not bool for k, t in _DIAGNOSTIC_TYPES.items()):
            raise ValueError("a diagnostic of the wrong shape")
        if fields["severity"] not in ("error", "warning"):
            raise ValueError("a diagnostic of an unknown severity")
        return Diagnostic(**fields)
    raise ValueError("unknown object in a cache entry")


# ---- read and write -------------------------------------------------------------------------------
def read(src: SourceFile) -> FilePart | None:
    where = _entry_path(src)
    if where is None:
        return None
    try:
        with open(where, encoding="utf-8") as fh:
            doc = json.load(fh, object_hook=_decode_object)
        if doc[0] != _key(src):
            return None
        statements, diags, damaged, mentioned = doc[1:]
        if not (isinstance(statements, list) and isinstance(diags, list) and isinstance(damaged, set)
                and isinstance(mentioned, set) and all(isinstance(d, Diagnostic) for d in diags)):
            return None
        return FilePart(statements, diags, damaged, mentioned)
    except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError, RecursionError):
        return None                       # unreadable, forged or from other code: parse instead


def write(src: SourceFile, part: FilePart) -> None:
    from argmap.cachedir import write_atomically
    where = _entry_path(src)
    if where is None:
        return
    try:
        text = json.dumps([_key(src), _encode(part.statements), _encode(part.diagnostics),
                           _encode(part.damaged), _encode(part.mentioned)], ensure_ascii=False)
    except (TypeError, ValueError, RecursionError):
        return
    write_atomically(where, text)
