"""`argmap report`: every section, deterministic bytes, figures from argmap.render."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from argmap.cli import main

TINY = Path(__file__).parent / "fixtures" / "maps" / "tiny"
EXTRA = '''worldview optimist: "Everything works"
  assume tools_work
  assume overseer_honest
  deny obfuscation
  credence model_myopic 0.3

worldview myopia_fan: "Myopia it is"
  assume model_myopic
'''


def _map(tmp_path: Path) -> Path:
    d = tmp_path / "map"
    d.mkdir()
    shutil.copy(TINY / "tiny.argmap", d / "tiny.argmap")
    (d / "extra.argmap").write_text(EXTRA, encoding="utf-8")
    return d


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_report_sections_and_determinism(tmp_path):
    d = _map(tmp_path)
    runs = []
    for name in ("a", "b"):
        r = CliRunner().invoke(main, ["--map", str(d), "report", "-o", str(tmp_path / name), "--json"])
        assert r.exit_code == 0, r.output
        runs.append(_files(tmp_path / name))
    assert runs[0] == runs[1]
    text = runs[0]["README.md"].decode()
    for heading in ("## Verdicts under each worldview", "## Top cruxes", "## What breaks", "## Cross-document tensions",
                    "## Worldview comparisons", "## Probabilities"):
        assert heading in text
    # without a worldview the conflict rules out obfuscation together with myopia
    assert "### `hidden_and_myopic`" in text and "**binds**" in text
    # probabilities only under the worldview with credences, with tiny's exact numbers
    assert "### `optimist`" in text.split("## Probabilities")[1]
    assert "| `plan.performance` | 0.700 |" in text
    # cruxes between the worldviews (extra.argmap sorts first: optimist → pessimist), as `argmap crux` gives them
    assert ("`plan.inner`: holds → open; cruxes: {free `overseer_honest`} or {deny `tools_work`} "
            "or {free `obfuscation`}") in text
    svgs = [k for k in runs[0] if k.endswith(".svg")]
    assert "figures/matrix-none.svg" in svgs and "figures/cruxes.svg" in svgs
    for k in svgs:
        assert f"]({k})" in text
        assert runs[0][k].lstrip().startswith(b"<?xml") or b"<svg" in runs[0][k][:400]


def test_report_tension_fires(tmp_path):
    d = _map(tmp_path)
    (d / "more.argmap").write_text('worldview hider: "Models hide"\n  assume obfuscation\n', encoding="utf-8")
    r = CliRunner().invoke(main, ["--map", str(d), "report", "-o", str(tmp_path / "r"), "--no-figures"])
    assert r.exit_code == 0, r.output
    text = (tmp_path / "r" / "README.md").read_text()
    assert "**fires** under `myopia_fan` + `hider` (with `model_myopic`, `obfuscation`)" in text
    assert not list((tmp_path / "r" / "figures").glob("*.svg"))


def test_report_bad_output(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    r = CliRunner().invoke(main, ["--map", str(TINY), "report", "-o", str(blocker / "sub"), "--no-figures"])
    assert r.exit_code == 2 and "cannot write" in r.output
