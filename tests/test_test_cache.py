"""The suite's own cache folders: a run killed before ``atexit`` leaves one behind in the temp
folder; a later run removes it once it is an hour old (tests/conftest.py), and never a live
run's folder."""

from __future__ import annotations

import os
import subprocess
import sys
import time

from conftest import _PREFIX, _sweep_stale_caches


def test_a_killed_runs_folder_goes_and_live_ones_stay(tmp_path):
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    dead_pid = int(gone.stdout)             # (its process has exited; a reuse would only keep it)
    dead = tmp_path / f"{_PREFIX}{dead_pid}-abc123"
    dead_but_recent = tmp_path / f"{_PREFIX}{dead_pid}-abc124"
    mine = tmp_path / f"{_PREFIX}{os.getpid()}-def456"
    parent = tmp_path / f"{_PREFIX}{os.getppid()}-ghi789"
    old_form = tmp_path / f"{_PREFIX}oldrand1"
    recent_old_form = tmp_path / f"{_PREFIX}oldrand2"
    unrelated = tmp_path / "someone-elses-folder"
    for d in (dead, dead_but_recent, mine, parent, old_form, recent_old_form, unrelated):
        (d / "argmap").mkdir(parents=True)
    for d in (dead, mine, parent, old_form, unrelated):
        os.utime(d, (time.time() - 90_000,) * 2)        # a day and a bit

    _sweep_stale_caches(tmp_path)

    left = {d.name for d in tmp_path.iterdir()}
    assert dead.name not in left and old_form.name not in left
    assert {dead_but_recent.name, mine.name, parent.name, recent_old_form.name, unrelated.name} <= left
