"""Shell completion of ids: click calls these for arguments and options while the user presses Tab.

The map is the one `--map` names on the command line being completed (or the default map). Any
problem — no map, a map with errors, an unreadable file — completes nothing rather than printing:
whatever reaches the terminal during completion would garble the command line. Enable it with
`eval "$(_ARGMAP_COMPLETE=bash_source argmap)"` (zsh_source, fish_source: docs/cli.md).

Parsing the corpus on every Tab took about half a second, so the ids (with their texts) are cached
per map in ``${XDG_CACHE_HOME:-~/.cache}/argmap/complete-<hash of the map's paths>.json``, valid
while every map file keeps its path, size and modification time (:func:`fingerprint`). The cache
is only ever a shortcut: written atomically, ignored when unreadable or stale, safe to delete
(argmap.cachedir, shared with the parse cache; `ARGMAP_NO_CACHE=1` turns it off).
"""

from __future__ import annotations

import os

from click.shell_completion import CompletionItem

KINDS = ("assumption", "claim", "verdict", "worldview", "proposal")
CACHE_FORMAT = 1            # bump when the cached table changes shape


def _paths(ctx) -> list[str]:
    root = ctx.find_root()
    paths = list(root.params.get("maps") or ())
    if not paths:
        from argmap.cli.default_map import default_map
        paths = default_map()[0]
    return [os.fspath(p) for p in paths]


def fingerprint(paths: list[str]) -> list | None:
    """What the ids of the map at ``paths`` depend on: each ``*.argmap`` file's absolute path, size
    and modification time (in ns), as the map's folders are walked (the walk of
    argmap.language.source, which reads them; a file added, removed, renamed or edited changes
    it), plus the size limit and argmap's version. None if a path cannot be examined: the map is
    then read as usual (and its errors complete nothing)."""
    from argmap import __version__
    files: list[str] = []
    try:
        for p in paths:
            if p == "-" or not os.path.exists(p):
                return None
            if not os.path.isdir(p):
                files.append(p)
                continue
            for here, dirs, names in os.walk(p):
                dirs.sort()
                linked = [d for d in dirs if os.path.islink(os.path.join(here, d))]
                files += [os.path.join(here, n) for n in names + linked if n.endswith(".argmap")]
        stats = []
        for f in sorted(set(files)):
            st = os.stat(f)
            stats.append([os.path.abspath(f), st.st_size, st.st_mtime_ns])
    except (OSError, ValueError):
        return None
    return [CACHE_FORMAT, __version__, os.environ.get("ARGMAP_MAX_BYTES"), [os.path.abspath(p) for p in paths], stats]


def cache_file(paths: list[str]) -> str | None:
    """One cache file per map (its absolute paths), so an edited map replaces its own entry; None
    when there is no cache folder (argmap.cachedir: none that is absolute, or ARGMAP_NO_CACHE)."""
    import hashlib
    import json

    from argmap.cachedir import cache_dir
    base = cache_dir()
    if base is None:
        return None
    digest = hashlib.sha256(json.dumps([os.path.abspath(p) for p in paths]).encode("utf-8", "surrogateescape"))
    return os.path.join(base, f"complete-{digest.hexdigest()[:24]}.json")


def _read_cache(path: str, key: list) -> dict | None:
    import json
    try:
        with open(path, encoding="utf-8") as fh:
            doc = json.load(fh)
        table = doc["ids"]
        if doc["key"] != key or sorted(table) != sorted(KINDS):
            return None
        if not all(isinstance(n, str) and isinstance(t, str) for rows in table.values() for n, t in rows):
            return None
        return table
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None           # unreadable, not ours, or from another version: parse the map instead


def _write_cache(path: str, key: list, table: dict) -> None:
    import json

    from argmap.cachedir import write_atomically
    try:
        text = json.dumps({"key": key, "ids": table}, ensure_ascii=False)
    except ValueError:
        return
    write_atomically(path, text)


def _read_table(paths: list[str]) -> dict | None:
    import contextlib
    import io
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            from argmap.language.loader import read_map
            amap, _ = read_map(paths)
        return {kind: [[n, t] for n, t in _rows(amap, kind)] for kind in KINDS}
    except Exception:           # completion must never fail loudly, whatever the map holds
        return None


def ids(ctx) -> dict | None:
    """{kind: [[id, text], ...]} of the map being completed, from the cache when it is current."""
    paths = _paths(ctx)
    key = fingerprint(paths)
    where = cache_file(paths) if key is not None else None
    if where is not None and (table := _read_cache(where, key)) is not None:
        return table
    table = _read_table(paths)
    if table is not None and where is not None and fingerprint(paths) == key:   # (not edited meanwhile)
        _write_cache(where, key, table)
    return table


def _items(ctx, incomplete: str, kinds: tuple[str, ...]) -> list[CompletionItem]:
    table = ids(ctx)
    if table is None:
        return []
    return [CompletionItem(name, help=f"{kind}: {text}"[:80])
            for kind in kinds for name, text in table[kind] if name.startswith(incomplete)]


def _rows(amap, kind: str):
    if kind == "verdict":
        yield from ((v, amap.text_of(v)) for v in amap.verdicts)
        return
    table = {"assumption": amap.assumptions, "claim": amap.claims,
             "worldview": amap.worldviews, "proposal": amap.proposals}[kind]
    for name, st in table.items():
        yield name, getattr(st, "text", None) or getattr(st, "title", "") or ""


def verdicts_and_claims(ctx, param, incomplete):
    """`why V`, `render --verdict V`: verdicts (`proposal.component`) and claims."""
    return _items(ctx, incomplete, ("verdict", "claim"))


def verdicts(ctx, param, incomplete):
    return _items(ctx, incomplete, ("verdict",))


def assumptions(ctx, param, incomplete):
    return _items(ctx, incomplete, ("assumption",))


def worldviews(ctx, param, incomplete):
    return _items(ctx, incomplete, ("worldview",))


def proposals(ctx, param, incomplete):
    return _items(ctx, incomplete, ("proposal",))
