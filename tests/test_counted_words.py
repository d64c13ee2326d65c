"""Counts that people read say "1 verdict" and "2 verdicts", never "verdict(s)" (issue 15).

Each text is produced twice, from maps built so that the count is 1 and then 2; the expected
words are written out here, not computed with argmap.words.count.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

import argmap
from argmap.analysis.queries import Scenario
from argmap.cli import main
from argmap.cli.render import build_view

COMPONENTS = ["outer", "inner", "training", "performance"]
TWO = pytest.mark.parametrize("n", [1, 2])


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def plan(n: int, extra: str = "") -> str:
    """n assumptions a0.. and one proposal whose n verdicts each rest on one of them."""
    text = "".join(f'assumption a{i}: "A{i}"\n' for i in range(n))
    text += 'proposal p: "P"\n' + "".join(f"  {COMPONENTS[i]}: a{i}\n" for i in range(n))
    return text + extra


def write(d: Path, files: dict[str, str]) -> Path:
    d.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (d / name).write_text(text, encoding="utf-8")
    return d


@TWO
def test_compare_diagram_title(tmp_path, n):
    both = "".join(f"  assume a{i}\n" for i in range(n))
    against = "".join(f"  deny a{i}\n" for i in range(n))
    amap = argmap.load(str(write(tmp_path, {"m.argmap": plan(n, f'worldview w1: "W1"\n{both}'
                                                                 f'worldview w2: "W2"\n{against}')})))
    title = build_view(amap, Scenario(), compare=("w1", "w2")).title
    want = {1: "1 verdict differs, 1 assumption set differently", 2: "2 verdicts differ, 2 assumptions set differently"}
    assert want[n] in title, title


@TWO
def test_matrix_title_verbs_agree(tmp_path, n):
    assumed = "".join(f"  assume a{i}\n" for i in range(n))
    amap = argmap.load(str(write(tmp_path, {"m.argmap": plan(n, f'worldview w: "W"\n{assumed}')})))
    title = build_view(amap, Scenario(worldview="w"), matrix=True).title
    assert title.endswith({1: ": 1 holds, 0 fail, 0 open", 2: ": 2 hold, 0 fail, 0 open"}[n]), title


@TWO
def test_explorer_map_title(tmp_path, n):
    from argmap.explorer.svg import map_svg
    amap = argmap.load(str(write(tmp_path, {f"f{i}.argmap": f'assumption a{i}: "A{i}"\n' for i in range(n)})))
    svg = map_svg(amap)[0]
    assert {1: "1 statement in 1 file", 2: "2 statements in 2 files"}[n] in svg


@TWO
def test_diff_summary(tmp_path, n):
    old = write(tmp_path / "old", {"m.argmap": plan(n)})
    new = write(tmp_path / "new", {"m.argmap": plan(n, "".join(f"conflict k{i}: a{i}\n" for i in range(n)))})
    r = run("diff", old, new)
    want = {1: "1 status change; 1 verdict/worldview pair differs,",
            2: "2 status changes; 2 verdict/worldview pairs differ,"}
    assert want[n] in r.output, r.output


@TWO
def test_diff_refuses_a_side_with_errors(tmp_path, n):
    old = write(tmp_path / "old", {"m.argmap": plan(n)})
    broken = plan(n).replace("  outer: a0\n", "  outer: a0 and nowhere0\n").replace("  inner: a1\n", "  inner: nowhere1\n")
    new = write(tmp_path / "new", {"m.argmap": broken})
    r = run("diff", old, new)
    assert r.exit_code == 2
    assert {1: "the map has 1 error;", 2: "the map has 2 errors;"}[n] in r.output, r.output


@TWO
def test_fmt_summary(tmp_path, n):
    d = write(tmp_path, {f"f{i}.argmap": f'assumption   a{i}:   "A{i}"\n' for i in range(n)})
    r = run("fmt", d)
    assert r.exit_code == 0, r.output
    assert {1: "1 file reformatted, 0 unchanged", 2: "2 files reformatted, 0 unchanged"}[n] in r.output, r.output


@TWO
def test_html_export_notes(tmp_path, n):
    d = write(tmp_path / "m", {"m.argmap": plan(n)})
    r = run("--map", d, "export", "--format", "html", "-o", tmp_path / "x.html")
    assert r.exit_code == 0, r.output
    want = {1: "explorer: 1 assumption, 1 claim or verdict, minimal supports: 1 (and 1 of negations), 0 nogoods,",
            2: "explorer: 2 assumptions, 2 claims and verdicts, minimal supports: 2 (and 2 of negations), 0 nogoods,"}
    assert want[n] in r.output, r.output


@TWO
def test_argdown_header(tmp_path, n):
    d = write(tmp_path / "m", {"m.argmap": plan(n, "".join(f"conflict k{i}: a{i} and not a{i}\n" for i in range(n))
                                                 + "".join(f'claim c{i}: "C"\n  if a{i}\n' for i in range(n)))})
    r = run("--map", d, "export", "--format", "argdown")
    assert r.exit_code == 0, r.output
    want = {1: ": 1 assumption, 1 claim, 1 verdict, 1 conflict", 2: ": 2 assumptions, 2 claims, 2 verdicts, 2 conflicts"}
    assert want[n] in r.output.splitlines()[0], r.output.splitlines()[0]


@TWO
def test_probability_defaults_line(n):
    from types import SimpleNamespace
    from argmap.analysis.probability_text import defaults_line
    line = defaults_line(SimpleNamespace(defaulted=["a"] * n, default_credence=0.5), 4)
    assert line == {1: "1 of 4 assumptions has no credence here and counts as 0.5 (--default-credence).",
                    2: "2 of 4 assumptions have no credence here and count as 0.5 (--default-credence)."}[n]


def test_render_summary_line_agrees_with_its_numbers(tmp_path):
    """A rendered diagram always has several nodes (the legend), so only the plural branch can be
    reached from the CLI; the line must still come from the counted form, not "node(s)"."""
    r = run("--map", write(tmp_path / "m", {"m.argmap": plan(1)}), "render", "-o", tmp_path / "x.dot")
    assert r.exit_code == 0, r.output
    m = re.search(r"\(dot, (\d+) (nodes?), (\d+) (edges?)\)", r.output)
    assert m, r.output
    assert (m.group(2) == "node") == (m.group(1) == "1") and (m.group(4) == "edge") == (m.group(3) == "1")


def _strings(path: Path) -> list[tuple[int, str]]:
    """(line, text) of every string literal: Python via tokenize, JavaScript by a quote regex."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".py":
        import io
        import tokenize
        return [(t.start[0], t.string) for t in tokenize.generate_tokens(io.StringIO(text).readline)
                if t.type == tokenize.STRING]
    return [(i, m.group(0)) for i, line in enumerate(text.splitlines(), 1)
            for m in re.finditer(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'', line)]


def test_no_message_writes_a_parenthesised_plural():
    """The grep of issue 15 as a test: "word(s)" inside a string of the package's Python or
    JavaScript, outside f-string {fields} (words.py names the pattern in its docstring)."""
    root = Path(argmap.__file__).parent
    hits = [f"{p.relative_to(root)}:{line}: {text[:80]}" for p in sorted(root.rglob("*"))
            if p.suffix in (".py", ".js") and p.name != "words.py"
            for line, text in _strings(p) if re.search(r"[A-Za-z]\(s\)", re.sub(r"\{[^{}]*\}", "", text))]
    assert hits == []
