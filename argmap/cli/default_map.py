"""Which map a command reads when no `--map` is given (shared by the commands and completion)."""

from __future__ import annotations

import os

DEFAULT_MAP = "claims"


def default_map() -> tuple[list[str], str | None]:
    """The map read when no --map is given: `claims/` if it exists, else the current folder's
    `.argmap` files (not its subfolders: the current folder may be a home directory).

    Returns the paths and, for the fallback, a note saying which map was read."""
    if os.path.exists(DEFAULT_MAP):
        return [DEFAULT_MAP], None
    try:
        here = sorted(e.name for e in os.scandir(".") if e.name.endswith(".argmap") and e.is_file())
    except OSError:
        here = []
    if not here:
        return [DEFAULT_MAP], None          # reading it gives the usual "no such file" error and hint
    from argmap.language.source import shown_name        # names come from the file system
    shown = ", ".join(shown_name(n) for n in here[:5]) + (f" and {len(here) - 5} more" if len(here) > 5 else "")
    return here, f"note: no {DEFAULT_MAP}/ folder here; reading the .argmap files of the current folder: {shown}"
