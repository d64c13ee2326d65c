"""Terminal niceties: colours (and when they are off), the progress line, shell completion."""

from __future__ import annotations

import os
import pty
import subprocess
import sys

import pytest
from click.testing import CliRunner

from argmap.cli import main
from conftest import ROOT

TINY = str(ROOT / "tests" / "fixtures" / "maps" / "tiny")
ESC = "\x1b["


def run(*args, env=None):
    result = CliRunner().invoke(main, list(args), env=env)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result


def test_color_always_colours_statuses_and_diagnostics(tmp_path):
    out = run("--color", "always", "--map", TINY, "verdicts").stdout
    assert f"{ESC}33mopen{ESC}0m" in out
    # padding stays outside the colour codes, so the table is still aligned
    plain = run("--map", TINY, "verdicts").stdout
    assert ESC not in plain
    assert [len(line) for line in strip(out).splitlines()] == [len(line) for line in plain.splitlines()]
    bad = tmp_path / "m.argmap"
    bad.write_text('claim c: "C"\n  if mystery\n')
    err = run("--color", "always", "check", str(bad)).stderr
    assert f"{ESC}31m{ESC}1merror[E201]" in err and "hint:" in err


def strip(text: str) -> str:
    import re
    return re.sub(r"\x1b\[[0-9;]*m", "", text)


def test_no_colour_when_piped_with_never_or_in_json():
    assert ESC not in run("--map", TINY, "verdicts").stdout                       # not a terminal
    assert ESC not in run("--color", "never", "--map", TINY, "verdicts").stdout
    assert ESC not in run("--color", "always", "--map", TINY, "verdicts", "--json").stdout
    assert ESC not in run("--color", "always", "--map", TINY, "why", "plan.inner", "--json").stdout


def test_status_words_inside_claim_texts_are_not_coloured(tmp_path):
    f = tmp_path / "m.argmap"
    f.write_text('assumption a: "it holds  open  fails"\nclaim c: "C"\n  if a\n'
                 'proposal p: "P"\n  outer: c\n  inner: c\n  training: c\n  performance: c\n')
    out = run("--color", "always", "--map", str(f), "why", "p.outer").stdout
    assert "a: it holds  open  fails" in out and out.count(ESC) == 2     # the status line: on, off


def on_a_terminal(*args, env_extra=None) -> str:
    """Run the CLI with stdout and stderr on a pseudo-terminal; what the terminal received."""
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    env.update(env_extra or {})
    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "argmap", *args], stdout=follower, stderr=follower,
                            stdin=subprocess.DEVNULL, env=env)
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=120)
    os.close(leader)
    return b"".join(chunks).decode("utf-8", "replace")


def test_auto_colours_a_terminal_unless_no_color_is_set():
    assert ESC in on_a_terminal("--map", TINY, "verdicts")
    assert ESC not in on_a_terminal("--map", TINY, "verdicts", env_extra={"NO_COLOR": "1"})
    assert ESC in on_a_terminal("--color", "always", "--map", TINY, "verdicts", env_extra={"NO_COLOR": "1"})
