"""Reading map files: paths → decoded text, with every reading problem as a diagnostic."""

from __future__ import annotations

import errno
import os
import stat
import sys
from dataclasses import dataclass
from pathlib import Path

from argmap.language.diagnostics import Diagnostic, UsageError

MAX_BYTES = 5_000_000     # the default size limit of one file; ARGMAP_MAX_BYTES changes it


def size_limit() -> int:
    """The size limit of one file: ARGMAP_MAX_BYTES if set (a positive whole number), else MAX_BYTES."""
    raw = os.environ.get("ARGMAP_MAX_BYTES")
    if raw is None:
        return MAX_BYTES
    text = raw.strip().replace("_", "")
    if not text.isdigit() or int(text) < 1 or len(text) > 18:
        raise UsageError(f"ARGMAP_MAX_BYTES must be a positive whole number of bytes, not `{shown_name(raw)}`",
                         hint=f"e.g. ARGMAP_MAX_BYTES=20000000, or unset it for the default of {MAX_BYTES:,}")
    return int(text)


def display_name(path: str) -> str:
    """How diagnostics and outputs name the file read from ``path``."""
    return "<stdin>" if path == "-" else shown_name(path)


def shown_name(name: str) -> str:
    """A file name (or any path text) made safe to print: a name comes from the file system, so it
    may hold bytes that are not UTF-8 (kept by Python as lone surrogates, which cannot be encoded),
    escape sequences that act on a terminal, or a newline that forges a second diagnostic line.
    Each of those is shown as a visible escape (``\\xff``, ``\\x1b``, ``\\n``); other text is kept.

    >>> shown_name("ok/é.argmap"), shown_name("a\\nb\\x1b[31m"), shown_name("bad\\udcff.argmap")
    ('ok/é.argmap', 'a\\\\nb\\\\x1b[31m', 'bad\\\\xff.argmap')
    """
    if name.isprintable():
        return name
    out = []
    for ch in name:
        if "\udc80" <= ch <= "\udcff":                 # a byte that is not UTF-8 (surrogateescape)
            out.append(f"\\x{ord(ch) - 0xDC00:02x}")
        elif ch.isprintable():
            out.append(ch)
        elif ch == "\n":
            out.append("\\n")
        elif ord(ch) < 0x100:
            out.append(f"\\x{ord(ch):02x}")
        else:
            out.append(f"\\u{ord(ch):04x}")
    return "".join(out)


@dataclass(frozen=True)
class SourceFile:
    name: str          # as shown in diagnostics
    text: str          # BOM removed; CRLF and lone CR turned into LF (so line numbers match editors)

    def line(self, number: int) -> str:
        lines = self.lines
        return lines[number - 1] if 0 < number <= len(lines) else ""

    @property
    def lines(self) -> list[str]:
        cached = self.__dict__.get("_lines")
        if cached is None:
            cached = self.text.split("\n")
            object.__setattr__(self, "_lines", cached)
        return cached


def collect_paths(paths: list[str]) -> list[str]:
    """Every ``*.argmap`` file under ``paths`` in sorted order (``-`` is standard input).

    A path that does not exist, or a directory without any ``.argmap`` file, is a usage error
    (exit 2), not an empty map. So is anything inside a directory that would otherwise be skipped
    without a word: a subfolder that cannot be read, or an ``*.argmap`` entry that is not a regular
    file (a dangling link, a FIFO, a link to a device).
    """
    found: list[str] = []
    for raw in paths:
        if raw == "-":
            found.append("-")
            continue
        kind = _kind(raw)
        if kind == "dir":
            inside = _argmap_files(raw)
            if not inside:
                # Checking nothing and answering "ok" would hide a wrong path.
                raise UsageError(f"{shown_name(raw)}: no .argmap files in this directory",
                                 hint="give the directory that holds the map (default: claims/)")
            found.extend(inside)
        elif kind == "file":
            found.append(raw)
        else:
            raise UsageError(f"{shown_name(raw)}: not a regular file or directory",
                             hint="a map is .argmap text files; a FIFO or device cannot be read as one")
    seen: set[str] = set()
    unique = [f for f in found if not (f in seen or seen.add(f))]
    return unique


def _kind(path: str) -> str:
    """'dir', 'file' or 'other'; an unreachable path (missing, too long, no permission) is a usage error."""
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        if exc.errno == errno.ENOENT or (exc.errno == errno.ENOTDIR and not os.path.lexists(path)):
            if os.path.islink(path):
                raise UsageError(f"{shown_name(path)}: a link to a file that does not exist",
                                 hint="fix or remove the link") from None
            raise UsageError(f"{shown_name(path)}: no such file or directory",
                             hint="give a .argmap file or a directory of them (default: claims/)") from None
        raise UsageError(f"{shown_name(path)}: cannot read: {exc.strerror or exc}",
                         hint=_ERRNO_HINTS.get(exc.errno)) from None
    return "dir" if stat.S_ISDIR(mode) else "file" if stat.S_ISREG(mode) else "other"


_ERRNO_HINTS = {
    errno.ENAMETOOLONG: "a file or folder name has at most 255 bytes",
    errno.EACCES: "you may not read this path (check its permissions)",
    errno.ELOOP: "a symbolic link points back at itself",
}


def _argmap_files(folder: str) -> list[str]:
    """The ``*.argmap`` files under ``folder``, sorted; symbolic links to folders are not followed
    (no loops), links to files are."""
    def refuse(exc: OSError) -> None:
        raise UsageError(f"{shown_name(exc.filename or folder)}: cannot read this folder of the map: "
                         f"{exc.strerror or exc}", hint=_ERRNO_HINTS.get(exc.errno)) from None

    out: list[str] = []
    for here, dirs, files in os.walk(folder, onerror=refuse):
        dirs.sort()
        for name in files + [d for d in dirs if os.path.islink(os.path.join(here, d))]:
            if name.endswith(".argmap"):
                path = os.path.join(here, name)
                if _kind(path) != "file":
                    raise UsageError(f"{shown_name(path)}: not a regular file",
                                     hint="every *.argmap entry of the map's folder is read; "
                                          "rename or remove this one")
                out.append(str(Path(path)))      # as pathlib spells it: no "./", one "/"
    return sorted(out)


def read_source(path: str, max_bytes: int | None = None) -> tuple[SourceFile | None, list[Diagnostic]]:
    """Read and decode one file. Problems come back as diagnostics (or a UsageError if it cannot
    be read at all), never as other exceptions."""
    max_bytes = size_limit() if max_bytes is None else max_bytes
    name = display_name(path)
    try:
        if path == "-":
            data = sys.stdin.buffer.read(max_bytes + 1)
        else:
            with open(path, "rb") as fh:
                data = fh.read(max_bytes + 1)
    except OSError as exc:
        raise UsageError(f"{name}: cannot read: {exc.strerror or exc}") from None
    if len(data) > max_bytes:
        return None, [Diagnostic(severity="error", code="E003", file=name, line=1, column=1,
                                 message=f"file is larger than the limit of {max_bytes:,} bytes",
                                 hint="split the map into several files, or raise ARGMAP_MAX_BYTES")]
    return decode(name, data)


def decode(name: str, data: bytes) -> tuple[SourceFile | None, list[Diagnostic]]:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _line_col(_normalise(data[: exc.start].decode("utf-8", "replace")))
        bad = data[exc.start: max(exc.end, exc.start + 1)]      # just the offending bytes
        what = f"byte {bad.hex()}" if len(bad) == 1 else f"bytes {bad.hex(' ')}"
        return None, [Diagnostic(severity="error", code="E001", file=name, line=line, column=col,
                                 message=f"invalid UTF-8 ({what})",
                                 hint="save the file as UTF-8")]
    text = _normalise(text)
    nul = text.find("\x00")
    if nul >= 0:
        line, col = _line_col(text[:nul])
        src = SourceFile(name, text)
        return None, [Diagnostic(severity="error", code="E002", file=name, line=line, column=col,
                                 message="NUL byte in the file", source_line=src.line(line),
                                 hint="this looks like a binary file; maps are UTF-8 text")]
    return SourceFile(name, text), []


def _normalise(text: str) -> str:
    """Drop a BOM and read CRLF and lone CR as LF, so that lines and columns match editors."""
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def _line_col(prefix: str) -> tuple[int, int]:
    line = prefix.count("\n") + 1
    return line, len(prefix) - (prefix.rfind("\n") + 1) + 1
