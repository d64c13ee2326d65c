"""The only place that runs Graphviz: a subprocess with a timeout and a memory cap.

Graphviz gives no bounds on layout time or memory (RELIABILITY.md §1.4: a 300-node random cyclic
graph ran for over 10 minutes with default options; 3,000 nodes took 3.4 GB). So ``dot`` never
runs in-process: it gets the layout limits ``-Gnslimit=2 -Gnslimit1=2 -Gmclimit=1``, a wall-clock
timeout and an ``RLIMIT_AS`` cap; a non-zero return code (negative = killed by a signal, e.g. the
SIGSEGV of an out-of-memory dot) counts as failure. A failed or timed-out ``dot`` layout falls back
to ``sfdp`` (force-directed, ~1 s for 3,000 nodes); if that fails too, :class:`LayoutError` (exit 3).
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import time
from dataclasses import dataclass

from argmap.errors import InconclusiveError, ToolMissingError

LAYOUT_LIMITS = ["-Gnslimit=2", "-Gnslimit1=2", "-Gmclimit=1"]
DEFAULT_TIMEOUT = 20.0                     # seconds per layout attempt
DEFAULT_MEMORY = 1536 * 1024 * 1024        # bytes of address space for one Graphviz process
FORMATS = ("svg", "png", "pdf")
INSTALL_HINT = "install Graphviz, e.g. `apt-get install graphviz` (Debian/Ubuntu) or `brew install graphviz`"


class LayoutError(InconclusiveError):
    """Every layout attempt failed or timed out (exit 3)."""

    def __init__(self, message: str, hint: str | None = None):
        self.hint = hint
        super().__init__(message)


class GraphvizMissing(ToolMissingError):
    """Graphviz is not installed (exit 4, with an install hint)."""

    def __init__(self, message: str, hint: str | None = None):
        self.hint = hint
        super().__init__(message)


@dataclass
class Rendered:
    data: bytes
    engine: str                 # the layout engine that produced it
    attempts: list[str]         # what was tried, in order, with why it failed


def find_tool(name: str = "dot") -> str:
    path = shutil.which(name)
    if path is None:
        raise GraphvizMissing(f"`{name}` (Graphviz) is not on PATH; .dot output works without it",
                               hint=INSTALL_HINT)
    return path


def _limit_memory(limit: int):
    def apply() -> None:            # runs in the child between fork and exec
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    return apply


def run_layout(source: str, fmt: str, engine: str = "dot", timeout: float = DEFAULT_TIMEOUT,
               memory: int = DEFAULT_MEMORY) -> tuple[bytes | None, str]:
    """One Graphviz run; returns (output, "") or (None, why it failed). Never raises on failure."""
    exe = find_tool(engine)
    args = [exe, f"-T{fmt}", *LAYOUT_LIMITS] if engine == "dot" else [exe, f"-T{fmt}"]
    try:
        proc = subprocess.run(args, input=source.encode("utf-8"), capture_output=True, timeout=timeout,
                              preexec_fn=_limit_memory(memory), env={**os.environ, "LC_ALL": "C.UTF-8"})
    except subprocess.TimeoutExpired:
        return None, f"{engine}: timed out after {timeout:g} s"
    except OSError as exc:
        return None, f"{engine}: could not run: {exc}"
    if proc.returncode != 0:
        err = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        what = f"killed by signal {-proc.returncode}" if proc.returncode < 0 else f"exit {proc.returncode}"
        return None, f"{engine}: {what}" + (f" ({err[-1][:200]})" if err else "")
    if not proc.stdout:
        return None, f"{engine}: produced no output"
    return proc.stdout, ""


def render(source: str, fmt: str, engine: str = "auto", timeout: float = DEFAULT_TIMEOUT,
           memory: int = DEFAULT_MEMORY, edges: int = 0, unclustered: str | None = None) -> Rendered:
    """Lay out and draw DOT ``source`` as ``fmt`` (svg or png).

    ``engine="auto"``: ``dot`` (hierarchical, best for argument structure), then ``sfdp`` if dot
    fails or times out. Graphs with more than ``BIG_EDGES`` edges go to ``sfdp`` directly, since
    dot's cost there is unbounded in practice. A specific engine is tried alone. Whenever dot is
    tried and ``unclustered`` (the same graph without cluster boxes) is given, dot tries that next:
    Graphviz 2.42's dot aborts on some clustered graphs ("lost edge", "triangulation failed")
    that it lays out well without the boxes, and a flat hierarchy reads better than sfdp's.
    """
    if fmt not in FORMATS:
        raise ValueError(fmt)
    find_tool("dot")                         # the install hint names the package, not the engine
    if engine == "auto":
        chain = ["sfdp"] if edges > BIG_EDGES else ["dot", "sfdp"]
    else:
        chain = [engine]
    tries = [(eng, text) for eng in chain
             for text in ([source, unclustered] if eng == "dot" and unclustered else [source])]
    attempts = []
    for eng, text in tries:
        start = time.monotonic()
        out, why = run_layout(text, fmt, eng, timeout, memory)
        if out is not None:
            return Rendered(out, eng if text is source else f"{eng} (without cluster boxes)", attempts)
        attempts.append(f"{why} [{time.monotonic() - start:.1f} s]")
    raise LayoutError("the layout failed: " + "; ".join(attempts),
                      hint="focus the diagram (--verdict, --proposal, --what-breaks), raise --layout-timeout, "
                           "or write .dot and lay it out yourself")


BIG_EDGES = 1000           # measured: dot took 12-36 s for 1,782 edges, 1.9 s for 912 (docs/rendering.md)
