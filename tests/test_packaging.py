"""The wheel works on its own: built from the repository, installed into a fresh venv, run elsewhere.

This catches what tests run from the checkout cannot: a grammar that is read from the repository
instead of from the package (pyproject's force-include), a missing entry point or `__main__`.
The new venv does not see the base interpreter's packages (a fresh machine has none there); it sees
exactly the site-packages of the interpreter running the tests, named in a `.pth` file, for the
dependencies (no download). argmap itself must come from the wheel: a `.pth` line adds a folder to
the path without running the `.pth` files inside it, so the editable install of the checkout stays
out of reach.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT

pytestmark = [pytest.mark.slow, pytest.mark.timeout(180)]


def run(cmd, cwd, timeout=120):
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    proc = subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout)
    return proc


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    base = tmp_path_factory.mktemp("pkg")
    wheels = base / "wheels"
    cmd = [sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "-w", wheels, "-q"]
    if importlib.util.find_spec("hatchling"):
        cmd.append("--no-build-isolation")       # the backend is here already: no download
    proc = run(cmd, cwd=base, timeout=150)
    assert proc.returncode == 0, proc.stderr
    (wheel,) = wheels.glob("argmap-*.whl")
    venv = base / "venv"
    proc = run([sys.executable, "-m", "venv", venv], cwd=base)
    assert proc.returncode == 0, proc.stderr
    bindir = venv / ("Scripts" if os.name == "nt" else "bin")
    python = bindir / "python"
    proc = run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], cwd=base)
    assert proc.returncode == 0, proc.stderr
    ours = [p for p in sys.path if p.endswith(("site-packages", "dist-packages")) and Path(p).is_dir()]
    ours += [sysconfig.get_paths()[k] for k in ("purelib", "platlib")]
    (Path(proc.stdout.strip()) / "test-dependencies.pth").write_text("\n".join(dict.fromkeys(ours)) + "\n")
    proc = run([python, "-m", "pip", "install", "-q", "--no-deps", "--no-index", wheel], cwd=base)
    assert proc.returncode == 0, proc.stderr
    # Somewhere that is not the repository, with a copy of the tiny map.
    work = base / "elsewhere"
    shutil.copytree(ROOT / "tests" / "fixtures" / "maps" / "tiny", work / "tiny")
    return {"wheel": wheel, "python": python, "argmap": bindir / "argmap", "work": work, "venv": venv}


def test_the_wheel_carries_the_grammar(installed):
    with zipfile.ZipFile(installed["wheel"]) as zf:
        names = set(zf.namelist())
        assert "argmap/grammar/argmap.lark" in names
        packaged = zf.read("argmap/grammar/argmap.lark").decode("utf-8")
        entry_points = next(zf.read(n).decode() for n in names if n.endswith(".dist-info/entry_points.txt"))
    assert packaged == (ROOT / "grammar" / "argmap.lark").read_text(encoding="utf-8")
    assert "argmap = argmap.cli:main" in entry_points
    assert "argmap/__main__.py" in names


def test_installed_argmap_checks_a_map_outside_the_repository(installed):
    proc = run([installed["argmap"], "check", "tiny"], cwd=installed["work"])
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "ok: 0 errors, 0 warnings"
    proc = run([installed["argmap"], "--map", "tiny", "verdicts", "--json"], cwd=installed["work"])
    assert proc.returncode == 0 and '"plan.outer": "open"' in proc.stdout, proc.stderr
    # A map with an error still gives a diagnostic (the grammar's words), not a traceback.
    (installed["work"] / "broken.argmap").write_text('assumption a "A"\n', encoding="utf-8")
    proc = run([installed["argmap"], "check", "broken.argmap"], cwd=installed["work"])
    assert proc.returncode == 1 and "error[E101]: expected `:`" in proc.stderr


def test_python_dash_m_argmap_help(installed):
    proc = run([installed["python"], "-m", "argmap", "--help"], cwd=installed["work"])
    assert proc.returncode == 0, proc.stderr
    assert "Usage: python -m argmap" in proc.stdout and "check" in proc.stdout


def test_the_grammar_is_read_from_inside_the_installed_package(installed):
    probe = ("import argmap, pathlib; from importlib import resources; "
             "p = resources.files('argmap').joinpath('grammar', 'argmap.lark'); "
             "print(pathlib.Path(argmap.__file__).resolve()); print(p.is_file()); print(p)")
    proc = run([installed["python"], "-c", probe], cwd=installed["work"])
    assert proc.returncode == 0, proc.stderr
    module, is_file, grammar = proc.stdout.splitlines()
    venv = str(installed["venv"].resolve())
    assert module.startswith(venv) and is_file == "True"
    assert Path(grammar).resolve() == Path(module).parent / "grammar" / "argmap.lark"
    # And nothing of the repository is on the path: the repo fallback would not exist here.
    assert not str(ROOT) in module
