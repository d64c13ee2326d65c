"""Defects found by hostile testing: each must be a clear error (exit 2, nothing written, no
traceback), never a silent skip, and file names must never act on the terminal."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from argmap.cli import main
from conftest import ROOT

TINY = ROOT / "tests" / "fixtures" / "maps" / "tiny" / "tiny.argmap"


def run(*args, env=None):
    result = CliRunner().invoke(main, [str(a) for a in args], env=env)
    # An exception other than SystemExit would mean click printed a traceback-worthy crash.
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    return result


def a_map(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(TINY, folder / "tiny.argmap")
    return folder


# ---- tracebacks that must be clear errors -----------------------------------------------------
@pytest.mark.parametrize("value", ["lots", "-1", "0", "1e3", ""])
def test_a_bad_argmap_max_bytes_is_a_usage_error(value):
    result = run("--map", TINY, "check", env={"ARGMAP_MAX_BYTES": value})
    assert result.exit_code == 2 and "ARGMAP_MAX_BYTES" in result.stderr


def test_argmap_max_bytes_still_lowers_the_limit():
    result = run("check", TINY, env={"ARGMAP_MAX_BYTES": "100"})
    assert result.exit_code == 1 and "E003" in result.stderr


def test_a_path_component_longer_than_255_characters(tmp_path):
    result = run("--map", tmp_path / ("x" * 300), "check")
    assert result.exit_code == 2 and "255" in result.stderr


@pytest.mark.parametrize("option", ["--timeout", "--layout-timeout"])
@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "1e999"])
def test_seconds_must_be_finite(tmp_path, option, value):
    out = tmp_path / "x.svg"
    args = (["--timeout", value, "--map", TINY, "verdicts"] if option == "--timeout"
            else ["--map", TINY, "render", "--matrix", "--layout-timeout", value, "-o", out])
    result = run(*args)
    assert result.exit_code == 2 and option in result.stderr and not out.exists()


def test_a_file_name_that_is_not_utf8_exports_html(tmp_path):
    folder = tmp_path / "m"
    folder.mkdir()
    name = os.fsdecode(b"bad\xff.argmap")
    shutil.copy(TINY, folder / name)
    out = tmp_path / "x.html"
    result = run("--map", folder, "export", "--format", "html", "-o", out)
    assert result.exit_code == 0, result.stderr
    assert "bad\\xff.argmap" in out.read_text(encoding="utf-8")


def test_an_internal_error_exits_70_with_the_traceback_in_a_file(monkeypatch):
    import argmap.analysis.queries as queries

    def broken(*a, **k):
        raise RuntimeError("planted bug\nwith a second line")
    monkeypatch.setattr(queries, "verdicts", broken)
    result = run("--map", TINY, "verdicts")
    assert result.exit_code == 70
    assert "internal error: RuntimeError: planted bug with a second line" in result.stderr
    saved = result.stderr.rsplit(" ", 1)[-1].strip()
    assert Path(saved).is_file() and "RuntimeError" in Path(saved).read_text()
    Path(saved).unlink()


# ---- accepted silently before ------------------------------------------------------------------
@pytest.mark.parametrize("kind", ["dangling", "fifo", "devzero"])
def test_a_non_regular_argmap_entry_in_a_folder_is_an_error(tmp_path, kind):
    folder = a_map(tmp_path / "m")
    entry = folder / "odd.argmap"
    if kind == "dangling":
        entry.symlink_to(tmp_path / "nowhere.argmap")
    elif kind == "fifo":
        os.mkfifo(entry)
    else:
        entry.symlink_to("/dev/zero")
    result = run("--map", folder, "check")
    assert result.exit_code == 2 and "odd.argmap" in result.stderr


def test_a_link_to_a_map_file_is_read(tmp_path):
    folder = a_map(tmp_path / "m")
    (folder / "tiny.argmap").rename(tmp_path / "real.argmap")
    (folder / "link.argmap").symlink_to(tmp_path / "real.argmap")
    assert run("--map", folder, "check").exit_code == 0


@pytest.mark.parametrize("text, place", [
    ('  assumption a: "A"\n', "1:3"),
    ('# a comment\n  assumption a: "A"\n', "2:3"),
])
def test_an_indented_statement_before_the_first_statement_is_an_error(tmp_path, text, place):
    f = tmp_path / "m.argmap"
    f.write_text(text + TINY.read_text())
    result = run("check", f)
    assert result.exit_code == 1
    assert f"{f}:{place}: error[E101]: an indented line with no statement above it" in result.stderr
    assert "E201" not in result.stderr and "E202" not in result.stderr      # no follow-on errors


# ---- permissions, as a user who is not root ----------------------------------------------------
AS_NOBODY = """
import os, sys
from argmap.cli import main
try:                        # import everything `check` needs while still root (/root holds Python)
    main(["--map", sys.argv[1], "check"], standalone_mode=False)
except SystemExit:
    pass
os.setegid(65534)
os.seteuid(65534)
main(sys.argv[2:])
"""


def run_as_nobody(*args):
    if os.geteuid() != 0:
        pytest.skip("needs root to switch to the unprivileged user 65534")
    return subprocess.run([sys.executable, "-c", AS_NOBODY, str(TINY), *map(str, args)],
                          capture_output=True, text=True, timeout=120)


@pytest.fixture
def shared_dir():
    d = Path(tempfile.mkdtemp(prefix="argmap-perm-"))
    d.chmod(0o755)                  # pytest's tmp_path is 0700 root: user 65534 could not enter it
    yield d
    shutil.rmtree(d)


def test_an_unreadable_subfolder_of_the_map_exits_2(shared_dir):
    folder = a_map(shared_dir / "m")
    a_map(folder / "sub").chmod(0o700)
    (folder / "tiny.argmap").chmod(0o644)
    folder.chmod(0o755)
    proc = run_as_nobody("--map", folder, "check")
    assert proc.returncode == 2 and "sub" in proc.stderr and "Permission denied" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_a_path_under_a_folder_the_user_may_not_enter_exits_2(shared_dir):
    folder = a_map(shared_dir / "m")
    folder.chmod(0o700)
    proc = run_as_nobody("--map", folder / "tiny.argmap", "check")
    assert proc.returncode == 2 and "Permission denied" in proc.stderr and "Traceback" not in proc.stderr


def test_an_unreadable_file_exits_2(shared_dir):
    folder = a_map(shared_dir / "m")
    (folder / "tiny.argmap").chmod(0o600)
    proc = run_as_nobody("--map", folder, "check")
    assert proc.returncode == 2 and "cannot read" in proc.stderr and "Traceback" not in proc.stderr


# ---- terminal injection through file names ------------------------------------------------------
@pytest.mark.parametrize("name", ["esc\x1b[31mred.argmap", "two\nf.argmap:1:1: error[E999]: forged.argmap",
                                  "bell\x07.argmap"])
def test_file_names_are_cleaned_like_source_lines(tmp_path, name):
    f = tmp_path / name
    f.write_text('claim c: "C"\n  if mystery\n')
    for args in (["check", f], ["--map", f, "verdicts"]):
        result = run(*args)
        assert result.exit_code in (1, 2)
        assert not any(ch in result.stderr for ch in "\x1b\x07")
        assert not any(line.startswith("f.argmap:1:1") or "E999" in line.split(":", 1)[0]
                       for line in result.stderr.splitlines())
        assert "\\n" in result.stderr or "\\x1b" in result.stderr or "\\x07" in result.stderr


# ---- output paths the user typed are printed escaped ----------------------------------------------
EVIL = "esc\x1b[31m two\nwrote forged"          # an escape sequence, and a newline that forges a line


def _clean(output: str) -> None:
    """Nothing acts on the terminal and no line is forged; the name is shown with visible escapes."""
    assert "\x1b" not in output, repr(output)
    assert not any(line.startswith("wrote forged") for line in output.splitlines()), output
    assert "esc\\x1b[31m two\\nwrote forged" in output, output


@pytest.mark.parametrize("command", [
    ["render", "-o", "{out}.dot"],
    ["export", "--format", "json", "-o", "{out}.json"],
    ["export", "--format", "html", "-o", "{out}.html"],
    ["report", "--no-figures", "-o", "{out}"],
])
def test_written_output_paths_are_escaped(tmp_path, command):
    out = str(tmp_path / EVIL)
    result = run("--map", a_map(tmp_path / "m"), *[a.format(out=out) for a in command])
    assert result.exit_code == 0, result.output
    assert any(p.name.startswith("esc\x1b") for p in tmp_path.iterdir())      # the file has its real name
    assert "wrote " in result.output
    _clean(result.output)


@pytest.mark.parametrize("command", [
    ["render", "-o", "{out}/x.svg"],
    ["export", "--format", "json", "-o", "{out}/x.json"],
    ["render", "-o", "{out}.unknown"],
])
def test_output_paths_in_errors_are_escaped(tmp_path, command):
    out = str(tmp_path / EVIL)
    result = run("--map", a_map(tmp_path / "m"), *[a.format(out=out) for a in command])
    assert result.exit_code == 2
    _clean(result.output)


def test_report_refusal_names_the_folder_escaped(tmp_path):
    out = tmp_path / EVIL
    out.mkdir()
    (out / "mine.txt").write_text("not argmap's")
    result = run("--map", a_map(tmp_path / "m"), "report", "--no-figures", "-o", out)
    assert result.exit_code == 2 and "is not empty" in result.output
    _clean(result.output)


def test_fmt_and_diff_name_files_escaped(tmp_path):
    d = tmp_path / EVIL
    d.mkdir()
    (d / "m.argmap").write_text('assumption   a:   "A"\n', encoding="utf-8")
    result = run("fmt", d / "m.argmap")
    assert result.exit_code == 0 and "reformatted " in result.output
    _clean(result.output)
    result = run("diff", a_map(tmp_path / "old"), d)
    assert result.exit_code == 0 and "+++ " in result.output
    _clean(result.output)


def test_a_sources_folder_is_named_escaped(tmp_path):
    m = tmp_path / "m"
    m.mkdir()
    (m / "m.argmap").write_text('source s: "S"\n  file "s.txt"\nassumption a: "A"\n  cite s "1" "q"\n',
                                encoding="utf-8")
    result = run("--map", m, "sources", "verify", "--sources", tmp_path / EVIL)
    assert result.exit_code == 2, result.output
    _clean(result.output)


def test_a_closed_pipe_is_not_an_internal_error():
    """`argmap verdicts --json | head -1`: the reader goes away before the output is written; no
    traceback, no exit 70 (it was an "internal error"), but SIGPIPE's 141 like other tools."""
    import subprocess
    import sys
    proc = subprocess.Popen([sys.executable, "-m", "argmap", "--map", str(ROOT / "claims"), "verdicts", "--json"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, "ARGMAP_NO_CACHE": "1"})
    proc.stdout.close()                       # the reader is gone before the first byte
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 141, err
    assert "internal error" not in err and "Traceback" not in err
