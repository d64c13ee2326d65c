"""Terminal niceties: colours (and when they are off), the progress line, shell completion."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

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


class FakeTerminal:
    def __init__(self, tty: bool):
        self.tty, self.written = tty, ""

    def isatty(self):
        return self.tty

    def write(self, text):
        self.written += text

    def flush(self):
        pass


def test_progress_line_on_a_terminal_is_rewritten_in_place_and_cleared():
    from argmap.cli.progress import Progress
    term = FakeTerminal(True)
    with Progress("report", total=2, delay=0, stream=term) as progress:
        progress.step("verdicts")
        progress.step("cruxes\x1b[31m")
        assert "report: verdicts (1/2)" in term.written and "\rreport: cruxes\\x1b[31m (2/2)" in strip(term.written)
        assert "\n" not in term.written and "\x1b[31m (2/2)" not in term.written
    assert term.written.endswith("\r" + " " * len("report: cruxes\\x1b[31m (2/2)") + "\r")


def test_no_progress_line_when_piped_or_for_quick_work():
    from argmap.cli.progress import Progress
    piped, quick = FakeTerminal(False), FakeTerminal(True)
    with Progress("report", delay=0, stream=piped) as p:
        p.step("verdicts")
    with Progress("report", delay=60, stream=quick) as p:
        p.step("verdicts")
    assert piped.written == "" and quick.written == ""


def complete(words: str, cword: int, shell: str = "bash") -> list[str]:
    """What the shell would offer, through click's completion protocol (as the shell calls it)."""
    env = {**os.environ, "COMP_WORDS": words, "COMP_CWORD": str(cword), "_ARGMAP_COMPLETE": f"{shell}_complete"}
    script = Path(sys.executable).parent / "argmap"          # the installed entry point users run
    proc = subprocess.run([str(script)], env=env, capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert proc.returncode == 0 and proc.stderr == "", proc.stderr
    return [line.split(",", 1)[1] for line in proc.stdout.splitlines() if line]


def test_completion_offers_the_components_of_a_proposal():
    got = complete("argmap why imitative_amp_rat.", 2)
    assert got == [f"imitative_amp_rat.{c}" for c in ("outer", "inner", "training", "performance")]


def test_completion_reads_the_map_named_by_map_before_or_after_the_command():
    assert sorted(complete(f"argmap --map {TINY} what-breaks o", 4)) == ["obfuscation", "overseer_honest"]
    assert sorted(complete(f"argmap what-breaks --map {TINY} o", 4)) == ["obfuscation", "overseer_honest"]


def test_completion_of_worldviews_assumptions_and_commands():
    assert complete("argmap verdicts --worldview hubinger2020_lea", 3) == ["hubinger2020_leanings"]
    assert "tools_work" in complete(f"argmap --map {TINY} render --what-breaks ", 5)
    assert complete("argmap ch", 1) == ["check"]


def test_completion_of_a_missing_map_offers_nothing_and_prints_nothing():
    assert complete("argmap --map /nonexistent/x why p", 4) == []
