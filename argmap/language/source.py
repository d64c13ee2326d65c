"""Reading map files: paths → decoded text, with every reading problem as a diagnostic."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from argmap.language.diagnostics import Diagnostic, UsageError

MAX_BYTES = int(os.environ.get("ARGMAP_MAX_BYTES", 5_000_000))


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
    (exit 2), not an empty map.
    """
    found: list[str] = []
    for raw in paths:
        if raw == "-":
            found.append("-")
            continue
        p = Path(raw)
        if p.is_dir():
            inside = sorted(str(f) for f in p.rglob("*.argmap") if f.is_file())
            if not inside:
                # Checking nothing and answering "ok" would hide a wrong path.
                raise UsageError(f"{raw}: no .argmap files in this directory",
                                 hint="give the directory that holds the map (default: claims/)")
            found.extend(inside)
        elif p.is_file():
            found.append(str(p))
        elif p.exists():
            raise UsageError(f"{raw}: not a regular file or directory")
        else:
            raise UsageError(f"{raw}: no such file or directory",
                             hint="give a .argmap file or a directory of them (default: claims/)")
    seen: set[str] = set()
    unique = [f for f in found if not (f in seen or seen.add(f))]
    return unique


def read_source(path: str, max_bytes: int = MAX_BYTES) -> tuple[SourceFile | None, list[Diagnostic]]:
    """Read and decode one file. Problems come back as diagnostics, never as exceptions."""
    name = "<stdin>" if path == "-" else path
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
