"""Where commands may write: the file-safety rules of `render`, `export` and `report` (issue 15).

* ``-o -`` is standard output.
* A command never writes over one of its own inputs (a map file, or a folder of the map): the
  output's real path (symlinks resolved) is compared with every input's.
* A single output file is written atomically (temporary file in the same folder, then rename). If
  ``-o`` names a symlink, the link's target is written and the link stays; a target that is not a
  regular file (``/dev/stdout``, a FIFO, a terminal) is written in place, never replaced by a file.
* A report goes only into a folder that is empty, new, or marked as argmap's by :data:`MARKER`
  (``--force`` overrides that rule, no other). Inside it, nothing is followed through a symlink:
  ``README.md``, ``figures/`` or a figure that is a link is an error; stale figures are deleted
  only if the marker lists them as written by an earlier run and they are regular files.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from argmap.errors import UsageError

STDOUT = "-"
MARKER = ".argmap-report"
MARKER_HEADER = ("# This folder was written by `argmap report`, which may overwrite or delete the files\n"
                 "# listed below (and only those) when it writes here again.\n")


def shown_path(path) -> str:
    """A path as messages print it: escapes and newlines made visible (argmap.language.source)."""
    from argmap.language.source import shown_name      # (lazy: `argmap --help` loads this module)
    return shown_name(str(path))


def _real(path: Path) -> str:
    return os.path.realpath(path)


def input_paths(maps) -> set[str]:
    """Real paths of a command's inputs: each ``--map`` path and every ``*.argmap`` file under it."""
    out: set[str] = set()
    for m in maps:
        p = Path(m)
        out.add(_real(p))
        if p.is_dir():
            out.update(_real(f) for f in p.rglob("*.argmap"))
    return out


def refuse_inputs(path: Path, inputs: set[str]) -> None:
    if _real(path) in inputs:
        raise UsageError(f"`{shown_path(path)}` is an input of this command; refusing to write over it",
                         hint="choose another output path")


def write_file(path: Path, data: bytes, inputs: set[str] = frozenset()) -> None:
    """Write ``data`` to ``path`` under the rules of this module (never over an input)."""
    refuse_inputs(path, inputs)
    try:
        mode = os.stat(path).st_mode            # follows a link: what would really be written
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise UsageError(f"cannot write `{shown_path(path)}`: {exc.strerror or exc}") from None
    if mode is not None and stat.S_ISDIR(mode):
        raise UsageError(f"`{shown_path(path)}` is a folder", hint="name a file")
    try:
        if mode is not None and not stat.S_ISREG(mode):        # /dev/stdout, a FIFO: write into it
            with open(path, "wb") as fh:
                fh.write(data)
            return
        target = Path(_real(path)) if path.is_symlink() else path     # keep the link, write its target
        tmp = target.with_name(f".{target.name}.tmp{os.getpid()}")
        try:
            tmp.write_bytes(data)
            os.replace(tmp, target)
        finally:
            tmp.unlink(missing_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot write `{shown_path(path)}`: {exc.strerror or exc}") from None


# ---- report folders ----------------------------------------------------------------------------
def _marked(root: Path) -> list[str] | None:
    """The files an earlier report run listed in the marker, or None if the folder has no marker."""
    marker = root / MARKER
    if marker.is_symlink() or not marker.is_file():
        return None
    lines = marker.read_text(encoding="utf-8", errors="replace").splitlines()
    return [ln for ln in lines if ln and not ln.startswith("#")]


def _no_link(path: Path, what: str) -> None:
    if path.is_symlink():
        raise UsageError(f"{what} `{shown_path(path)}` is a symbolic link; argmap never writes through links",
                         hint=f"remove the link (rm {shown_path(path)}) or choose another folder")


def prepare_report_folder(out_dir: str, names: list[str], inputs: set[str], force: bool = False) -> list[str]:
    """Check that a report may be written into ``out_dir`` with the relative paths ``names``;
    create it if needed. Returns the stale files (relative paths) an earlier run wrote that this
    one does not. Raises UsageError (exit 2) when a rule forbids writing."""
    root = Path(out_dir)
    if root.exists() and not root.is_dir():
        raise UsageError(f"`{shown_path(root)}` exists and is not a folder", hint="name a folder for the report")
    if _real(root) in inputs or any(i.startswith(_real(root) + os.sep) and i.endswith(".argmap") for i in inputs):
        raise UsageError(f"`{shown_path(root)}` holds the map this report reads; refusing to write the report there",
                         hint="choose another folder, e.g. -o docs/report")
    previous = _marked(root) if root.is_dir() else None
    if root.is_dir() and previous is None and any(root.iterdir()) and not force:
        raise UsageError(f"`{shown_path(root)}` is not empty and was not written by `argmap report` (no {MARKER} file)",
                         hint="choose an empty or new folder, or pass --force to write there anyway")
    _no_link(root / MARKER, "the marker")
    for name in names:
        parts = Path(name).parts
        for i in range(1, len(parts) + 1):
            _no_link(root.joinpath(*parts[:i]), "the output")
        refuse_inputs(root / name, inputs)
    try:
        root.mkdir(parents=True, exist_ok=True)
        for name in names:
            (root / name).parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot write the report to `{shown_path(root)}`: {exc.strerror or exc}") from None
    stale = []
    for name in previous or []:
        p = root / name
        if name in names or ".." in Path(name).parts or Path(name).is_absolute():
            continue
        if any(root.joinpath(*Path(name).parts[:i]).is_symlink() for i in range(1, len(Path(name).parts) + 1)):
            continue
        if p.is_file():
            stale.append(name)
    return stale


def write_report_folder(out_dir: str, files: dict[str, bytes], inputs: set[str] = frozenset(),
                        force: bool = False) -> list[str]:
    """Write ``files`` (relative path → bytes) into a report folder under the rules above, remove
    the stale files of an earlier run, and record what was written in the marker."""
    root = Path(out_dir)
    names = sorted(files)
    stale = prepare_report_folder(out_dir, names, inputs, force)
    written = []
    for name in names:
        write_file(root / name, files[name], inputs)
        written.append(str(root / name))
    for name in stale:
        (root / name).unlink(missing_ok=True)
    write_file(root / MARKER, (MARKER_HEADER + "".join(f"{n}\n" for n in names)).encode("utf-8"), inputs)
    return written
