"""Colours on a terminal: statuses, diagnostics and errors, in one place.

Whether to colour: `--color always|never|auto` (auto: only when the stream is a terminal and
NO_COLOR is unset or empty, https://no-color.org). Colour is added to finished text, after any
padding, so tables stay aligned; JSON is never passed through here. click.echo strips colour codes
from a stream that is not a terminal unless asked to keep them, so `echo` asks only for `always`.
"""

from __future__ import annotations

import os
import re
import sys

import click

MODES = ("auto", "always", "never")

STATUS_STYLE = {"holds": {"fg": "green"}, "fails": {"fg": "red", "bold": True}, "FAILS": {"fg": "red", "bold": True},
                "open": {"fg": "yellow"}, "inconsistent": {"fg": "magenta", "bold": True},
                "INCONSISTENT": {"fg": "magenta", "bold": True}}
SEVERITY_STYLE = {"error": {"fg": "red", "bold": True}, "warning": {"fg": "yellow", "bold": True}}

# A status word standing alone as a table cell (two spaces or a line edge on each side), or at
# the end of a `status under ...:` line.
_CELL = re.compile(r"(?:(?<=  )|(?<=^))(holds|FAILS|fails|open|INCONSISTENT|inconsistent)(?=  |$)", re.M)
_STATUS_LINE = re.compile(r"^(status under .*: )(holds|fails|open|inconsistent)$", re.M)
_DIAG_HEAD = re.compile(r"^(.*?:\d+:\d+: )(error|warning)(\[[A-Z]\d+\])(:)", re.M)
_CARET = re.compile(r"^(\s+\| *)(\^)$", re.M)
_HINT = re.compile(r"^(  hint:)", re.M)


def mode() -> str:
    ctx = click.get_current_context(silent=True)
    chosen = (ctx.find_root().obj or {}).get("color") if ctx is not None else None
    return chosen or "auto"


def enabled(err: bool = False) -> bool:
    """Whether text for stdout (or stderr) gets colour now."""
    chosen = mode()
    if chosen != "auto":
        return chosen == "always"
    if os.environ.get("NO_COLOR"):
        return False
    stream = sys.stderr if err else sys.stdout
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def echo(text: str, err: bool = False) -> None:
    click.echo(text, err=err, color=True if mode() == "always" else None)


def status_table(text: str, err: bool = False) -> str:
    """Colour the status cells of a table (the verdict matrix): only for text that is a table."""
    if not enabled(err):
        return text
    return _CELL.sub(lambda m: click.style(m[1], **STATUS_STYLE[m[1]]), text)


def status_line(text: str, err: bool = False) -> str:
    """Colour the status of a `status under ...: S` line (`why`); claim texts are left alone."""
    if not enabled(err):
        return text
    return _STATUS_LINE.sub(lambda m: m[1] + click.style(m[2], **STATUS_STYLE[m[2]]), text)


def diagnostic(text: str, err: bool = True) -> str:
    """Colour a formatted diagnostic: its severity and code, the caret and the hint label."""
    if not enabled(err):
        return text
    text = _DIAG_HEAD.sub(lambda m: m[1] + click.style(m[2] + m[3], **SEVERITY_STYLE[m[2]]) + m[4], text)
    text = _CARET.sub(lambda m: m[1] + click.style(m[2], fg="red", bold=True), text)
    return _HINT.sub(lambda m: click.style(m[1], fg="cyan"), text)


def label(text: str, kind: str, err: bool = True) -> str:
    """Colour a leading label such as `error:`, `note:`, `ok:` or `failed:`."""
    if not enabled(err):
        return text
    style = {"error": {"fg": "red", "bold": True}, "failed": {"fg": "red", "bold": True},
             "warning": {"fg": "yellow", "bold": True}, "note": {"fg": "cyan"},
             "ok": {"fg": "green", "bold": True}}[kind]
    return click.style(text, **style)
