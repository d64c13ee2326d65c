"""A progress line for long work (`report` takes about 8 s on the corpus): one line on stderr,
rewritten in place, shown only on a terminal and only once the work has taken a moment.

    with Progress("report") as progress:
        for section in sections:
            progress.step(section)            # "report: cruxes (3/9)"
            ...

Library code (argmap.report and friends) cannot import the CLI; it takes a plain callback such as
``progress.step`` (or None) and calls it with the name of each step.
"""

from __future__ import annotations

import sys
import time

import argmap.cli.style as style


class Progress:
    def __init__(self, label: str, total: int | None = None, delay: float = 0.5, stream=None):
        self.label, self.total, self.delay = label, total, delay
        self.stream = stream if stream is not None else sys.stderr
        self.started = time.monotonic()
        self.done = 0
        self.shown = 0              # width of the line on the terminal, to blank it at the end
        try:
            self.live = self.stream.isatty()
        except (AttributeError, ValueError):
            self.live = False

    def step(self, what: str) -> None:
        """Start step ``what``; the line appears only after ``delay`` seconds of work."""
        self.done += 1
        if not self.live or time.monotonic() - self.started < self.delay:
            return
        count = f" ({self.done}/{self.total})" if self.total else ""
        from argmap.language.source import shown_name      # step names may come from file names
        line = f"{self.label}: {shown_name(what)}{count}"[:200]
        self._write("\r" + style.label(line, "note") + " " * max(0, self.shown - len(line)))
        self.shown = len(line)

    def close(self) -> None:
        if self.shown:
            self._write("\r" + " " * self.shown + "\r")
            self.shown = 0

    def _write(self, text: str) -> None:
        self.stream.write(text)
        self.stream.flush()

    def __enter__(self) -> "Progress":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
