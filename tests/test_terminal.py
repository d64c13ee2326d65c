"""Terminal niceties: colours (and when they are off), the progress line, shell completion."""

from __future__ import annotations

import os
import pty
import shutil
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


CACHE_HOME = os.environ["XDG_CACHE_HOME"]   # conftest: a folder of this run, removed at exit; never ~/.cache


def complete(words: str, cword: int, shell: str = "bash", cache: str = CACHE_HOME) -> list[str]:
    """What the shell would offer, through click's completion protocol (as the shell calls it)."""
    env = {**os.environ, "COMP_WORDS": words, "COMP_CWORD": str(cword), "_ARGMAP_COMPLETE": f"{shell}_complete",
           "XDG_CACHE_HOME": cache}
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


# ---- the completion cache (issue 15: the corpus was parsed on every Tab) --------------------------
@pytest.fixture(autouse=True)
def _caches_on(request, monkeypatch):
    """The cache tests below test the cache: on, even in a run under ARGMAP_NO_CACHE=1."""
    if "cache" in request.node.name:
        monkeypatch.delenv("ARGMAP_NO_CACHE", raising=False)


def test_no_cache_turns_the_completion_cache_off(tmp_path, monkeypatch):
    cache, d = tmp_path / "cache", _one_map(tmp_path, "alpha beta")
    monkeypatch.setenv("ARGMAP_NO_CACHE", "1")
    assert complete(f"argmap --map {d} what-breaks ", 4, cache=str(cache)) == ["alpha", "beta"]
    assert not cache.exists()


def _one_map(tmp_path, ids: str) -> Path:
    d = tmp_path / "map"
    d.mkdir(exist_ok=True)
    (d / "m.argmap").write_text("".join(f'assumption {i}: "{i.upper()}"\n' for i in ids.split()), encoding="utf-8")
    return d


def _cache_files(cache: Path) -> list[Path]:
    return sorted((cache / "argmap").glob("complete-*.json"))


def test_completion_answers_from_the_cache_while_the_files_keep_size_and_time(tmp_path):
    """The cache is keyed by each file's path, size and mtime: a same-size edit that restores the
    old mtime is (by design) not seen, which shows the second Tab did not parse the map."""
    cache, d = tmp_path / "cache", _one_map(tmp_path, "alpha beta")
    assert complete(f"argmap --map {d} what-breaks ", 4, cache=str(cache)) == ["alpha", "beta"]
    assert len(_cache_files(cache)) == 1
    f = d / "m.argmap"
    before = f.stat()
    f.write_text(f.read_text().replace("beta", "bzta"), encoding="utf-8")         # same size
    os.utime(f, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert complete(f"argmap --map {d} what-breaks ", 4, cache=str(cache)) == ["alpha", "beta"]


@pytest.mark.parametrize("edit", ["content", "touch", "new file", "removed file"])
def test_an_edited_map_invalidates_the_cache(tmp_path, edit):
    cache, d = tmp_path / "cache", _one_map(tmp_path, "alpha beta")
    (d / "z.argmap").write_text('assumption zeta: "Z"\n', encoding="utf-8")
    assert complete(f"argmap --map {d} what-breaks ", 4, cache=str(cache)) == ["alpha", "beta", "zeta"]
    f = d / "m.argmap"
    if edit == "content":
        f.write_text('assumption alpha: "A"\nassumption delta: "D"\n', encoding="utf-8")
        want = ["alpha", "delta", "zeta"]
    elif edit == "touch":             # same size, new mtime: re-read (and here the text changed)
        before = f.stat()
        f.write_text(f.read_text().replace("beta", "gamm"), encoding="utf-8")
        os.utime(f, ns=(before.st_atime_ns, before.st_mtime_ns + 2_000_000_000))
        want = ["alpha", "gamm", "zeta"]
    elif edit == "new file":
        (d / "sub").mkdir()
        (d / "sub" / "n.argmap").write_text('assumption eta: "E"\n', encoding="utf-8")
        want = ["alpha", "beta", "eta", "zeta"]
    else:
        (d / "z.argmap").unlink()
        want = ["alpha", "beta"]
    assert complete(f"argmap --map {d} what-breaks ", 4, cache=str(cache)) == want
    assert len(_cache_files(cache)) == 1                   # the map's entry was replaced, not added to


@pytest.mark.parametrize("damage", ["garbage", "wrong shape", "deleted", "unwritable folder"])
def test_a_broken_or_missing_cache_is_ignored(tmp_path, damage):
    cache, d = tmp_path / "cache", _one_map(tmp_path, "alpha beta")
    assert complete(f"argmap --map {d} what-breaks ", 4, cache=str(cache)) == ["alpha", "beta"]
    [entry] = _cache_files(cache)
    if damage == "garbage":
        entry.write_bytes(b"\xff{not json")
    elif damage == "wrong shape":
        entry.write_text('{"key": [], "ids": {"assumption": [["forged", 1]]}}', encoding="utf-8")
    elif damage == "deleted":
        shutil.rmtree(cache)
    else:
        shutil.rmtree(cache)
        cache.mkdir()
        (cache / "argmap").write_text("a file where the folder should be", encoding="utf-8")
    assert complete(f"argmap --map {d} what-breaks ", 4, cache=str(cache)) == ["alpha", "beta"]
    if damage != "unwritable folder":
        assert complete(f"argmap --map {d} what-breaks ", 4, cache=str(cache)) == ["alpha", "beta"]
        assert len(_cache_files(cache)) == 1 and "alpha" in _cache_files(cache)[0].read_text()


def test_the_cache_write_is_atomic(tmp_path, monkeypatch):
    """A reader sees the old entry or the new one: the entry is written beside and renamed over,
    and no temporary file is left behind."""
    from argmap.cli import complete as comp
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    where = comp.cache_file(["x"])
    comp._write_cache(where, ["k"], {k: [] for k in comp.KINDS})
    replaced = []
    real = os.replace
    monkeypatch.setattr(os, "replace", lambda a, b: (replaced.append((a, b)), real(a, b)))
    comp._write_cache(where, ["k2"], {k: [["a", "A"]] for k in comp.KINDS})
    assert len(replaced) == 1 and replaced[0][1] == where and os.path.dirname(replaced[0][0]) == os.path.dirname(where)
    assert comp._read_cache(where, ["k2"])["assumption"] == [["a", "A"]] and comp._read_cache(where, ["k"]) is None
    assert os.listdir(os.path.dirname(where)) == [os.path.basename(where)]


def test_the_cache_lives_only_in_an_absolute_folder(tmp_path, monkeypatch):
    from argmap.cli import complete as comp
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert comp.cache_file(["claims"]).startswith(str(tmp_path / "argmap" / "complete-"))
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")           # ignored, as the XDG spec says
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert comp.cache_file(["claims"]).startswith(str(tmp_path / "home" / ".cache" / "argmap"))
    monkeypatch.delenv("HOME")
    monkeypatch.setattr(os.path, "expanduser", lambda p: p)           # no home at all: no cache
    assert comp.cache_file(["claims"]) is None
