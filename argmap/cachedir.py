"""Where argmap keeps its caches: ``${XDG_CACHE_HOME:-~/.cache}/argmap/``, per user.

Shared by every stage (like argmap.errors), so it imports nothing of argmap. Every cache is only a
shortcut: written atomically, ignored when unreadable or stale, safe to delete. ``ARGMAP_NO_CACHE=1``
(any value but empty or ``0``) turns all of them off. The parse cache (argmap.language.filecache)
is used only where the program asks for it (:func:`use_file_cache`; the command line does): library
calls such as ``argmap.read_map`` write nothing to the user's disk by themselves, and the
library's benchmarks measure parsing, not cache hits. Caches hold JSON only, never pickles: a
pickle is code, and anything that can write the folder could then run code as the user.
"""

from __future__ import annotations

import os


_file_cache_wanted = False


def use_file_cache(on: bool = True) -> None:
    """Let read_map in this process use the parse cache (the CLI calls this before a command)."""
    global _file_cache_wanted
    _file_cache_wanted = on


def file_cache_enabled() -> bool:
    return _file_cache_wanted and caches_enabled()


# Not a cache, but the same kind of switch, set by the command line for its own process only.
_one_shot = False


def one_shot_process(on: bool = True) -> None:
    """Say that this process runs one command and exits (the CLI calls this): read_map may then
    move the map's objects, with everything else alive, out of the garbage collector's reach
    (``gc.freeze``), a setting of the whole process that a library call must not make for its
    caller. What was frozen stays frozen when the command ends: giving it back to the collector
    would make the interpreter's last collection at exit scan it all (topics 100k: +0.3 s). A
    process that goes on after running a command in process (a test's CliRunner) calls
    ``gc.unfreeze()`` itself (tests/conftest.py does after every test)."""
    global _one_shot
    _one_shot = on


def is_one_shot_process() -> bool:
    return _one_shot


def caches_enabled() -> bool:
    return os.environ.get("ARGMAP_NO_CACHE", "") in ("", "0")


def cache_dir() -> str | None:
    """The folder, or None when caches are off or there is no absolute cache folder (a relative
    XDG_CACHE_HOME is ignored, as the XDG spec says; with no HOME, "~" would be a folder named "~"
    in the current directory)."""
    if not caches_enabled():
        return None
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):
        base = os.path.join(os.path.expanduser("~"), ".cache")
    if not os.path.isabs(base):
        return None
    return os.path.join(base, "argmap")


def write_atomically(path: str, text: str) -> None:
    """Write ``text`` to ``path`` so that readers see the old file or the new one, never half;
    silently nothing when the folder cannot be written (read-only home, full disk: just slower)."""
    import tempfile
    try:
        os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".json", dir=os.path.dirname(path))
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    except (OSError, ValueError):
        pass
