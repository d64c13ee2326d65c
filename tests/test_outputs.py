"""Where `render`, `export` and `report` may write (issue 15, argmap/outputs.py): never over an input,
`-o -` is standard output, reports only into new, empty or argmap-made folders, no symlink followed
out of a report folder, a link to a device or standard output is written into, not replaced."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from click.testing import CliRunner

from argmap.cli import main
from argmap.outputs import MARKER

from conftest import ROOT

TINY = ROOT / "tests" / "fixtures" / "maps" / "tiny" / "tiny.argmap"


def _run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def _map(tmp_path: Path) -> Path:
    m = tmp_path / "m.argmap"
    shutil.copy(TINY, m)
    return m


def test_export_never_overwrites_its_input_map(tmp_path):
    m = _map(tmp_path)
    before = m.read_bytes()
    r = _run("--map", m, "export", "--format", "json", "-o", m)
    assert r.exit_code == 2 and "input of this command" in r.output
    assert m.read_bytes() == before
    link = tmp_path / "alias.dot"
    link.symlink_to(m)
    r = _run("--map", tmp_path, "render", "--matrix", "-o", link)   # the map's folder: m.argmap is an input
    assert r.exit_code == 2 and m.read_bytes() == before


def test_dash_is_standard_output(tmp_path):
    m = _map(tmp_path)
    r = _run("--map", m, "export", "--format", "dot", "-o", "-")
    assert r.exit_code == 0 and r.stdout.startswith("digraph argmap {")
    r = _run("--map", m, "render", "--matrix", "-o", "-", "--format", "dot")
    assert r.exit_code == 0 and r.stdout.startswith("digraph argmap {")
    r = _run("--map", m, "render", "--matrix", "-o", "-")
    assert r.exit_code == 0 and "<svg" in r.stdout
    r = _run("--map", m, "report", "-o", "-")
    assert r.exit_code == 0 and r.stdout.startswith("# Findings report")
    assert not (tmp_path / "-").exists()


def test_a_link_to_a_device_is_written_into_not_replaced(tmp_path):
    m = _map(tmp_path)
    link = tmp_path / "out.dot"
    link.symlink_to(os.devnull)
    r = _run("--map", m, "render", "--matrix", "-o", link)
    assert r.exit_code == 0, r.output
    assert link.is_symlink() and os.readlink(link) == os.devnull


def test_a_link_to_a_file_keeps_the_link_and_writes_the_target(tmp_path):
    m = _map(tmp_path)
    target = tmp_path / "real.dot"
    target.write_text("old")
    link = tmp_path / "out.dot"
    link.symlink_to(target)
    r = _run("--map", m, "render", "--matrix", "-o", link)
    assert r.exit_code == 0, r.output
    assert link.is_symlink() and target.read_text().startswith("digraph argmap {")


def test_report_refuses_a_folder_it_did_not_make(tmp_path):
    m = _map(tmp_path)
    out = tmp_path / "docs"
    (out / "figures").mkdir(parents=True)
    (out / "README.md").write_text("the user's own readme")
    (out / "figures" / "mine.svg").write_text("<svg/>")
    r = _run("--map", m, "report", "-o", out, "--no-figures")
    assert r.exit_code == 2 and "--force" in r.output
    assert (out / "README.md").read_text() == "the user's own readme"
    r = _run("--map", m, "report", "-o", out, "--force")
    assert r.exit_code == 0, r.output
    assert (out / "figures" / "mine.svg").exists()          # not written by argmap: never deleted
    assert (out / MARKER).is_file()


def test_report_into_the_map_folder_is_refused_even_with_force(tmp_path):
    d = tmp_path / "claims"
    d.mkdir()
    shutil.copy(TINY, d / "tiny.argmap")
    (d / "README.md").write_text("corpus readme")
    for extra in ([], ["--force"]):
        r = _run("--map", d, "report", "-o", d, "--no-figures", *extra)
        assert r.exit_code == 2 and "map this report reads" in r.output
    assert (d / "README.md").read_text() == "corpus readme"


def test_report_reruns_and_removes_only_its_own_stale_figures(tmp_path):
    m = _map(tmp_path)
    out = tmp_path / "r"
    assert _run("--map", m, "report", "-o", out).exit_code == 0
    figures = sorted(p.name for p in (out / "figures").glob("*.svg"))
    assert figures
    (out / "figures" / "user.svg").write_text("<svg/>")
    r = _run("--map", m, "report", "-o", out, "--no-figures")
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in (out / "figures").glob("*.svg")) == ["user.svg"]
    assert "figures/" not in (out / MARKER).read_text()


def test_report_never_follows_links_out_of_its_folder(tmp_path):
    m = _map(tmp_path)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "README.md").write_text("keep me")
    (outside / "cruxes.svg").write_text("keep me too")
    out = tmp_path / "r"
    assert _run("--map", m, "report", "-o", out, "--no-figures").exit_code == 0
    (out / "README.md").unlink()
    (out / "README.md").symlink_to(outside / "README.md")
    r = _run("--map", m, "report", "-o", out, "--no-figures")
    assert r.exit_code == 2 and "symbolic link" in r.output
    assert (outside / "README.md").read_text() == "keep me"
    (out / "README.md").unlink()
    shutil.rmtree(out / "figures", ignore_errors=True)
    (out / "figures").symlink_to(outside)
    (out / MARKER).write_text("README.md\nfigures/cruxes.svg\n")
    for extra in ([], ["--force"]):
        r = _run("--map", m, "report", "-o", out, *extra)
        assert r.exit_code == 2 and "symbolic link" in r.output
    assert (outside / "cruxes.svg").read_text() == "keep me too"


def test_the_bundled_report_folder_is_marked_as_argmaps():
    """`argmap report -o docs/report` must keep working: the folder carries the marker."""
    from argmap.outputs import prepare_report_folder
    marker = ROOT / "docs" / "report" / MARKER
    assert marker.is_file()
    listed = [ln for ln in marker.read_text().splitlines() if ln and not ln.startswith("#")]
    assert "README.md" in listed
    prepare_report_folder(str(ROOT / "docs" / "report"), ["README.md"], set(), force=False)
