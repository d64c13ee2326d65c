"""The package layout shows the pipeline and has no import cycle (issue: layout per stage).

The import graph is read from the source (every ``import``/``from`` statement, including those
inside functions, which load lazily but still make one module depend on another), so a cycle
anywhere fails here, not only one that breaks at import time.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "argmap"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imported_modules(path: Path) -> set[str]:
    """The argmap modules ``path`` imports (a package import counts as its ``__init__``)."""
    me = module_name(path)
    package = me if path.name == "__init__.py" else me.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            names = [base] + [f"{base}.{a.name}" for a in node.names]
        else:
            continue
        for name in names:
            while name and name not in MODULES:        # `argmap.x.y` where y is a function: keep `argmap.x`
                name = name.rpartition(".")[0]
            if name and name != me:
                found.add(name)
    # importing a.b.c runs a/__init__ and a/b/__init__ first, but those are edges of theirs, not of `me`
    return found


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(n: str) -> list[str] | None:
        state[n] = 1
        stack.append(n)
        for m in sorted(graph.get(n, ())):
            if state.get(m) == 1:
                return stack[stack.index(m):] + [m]
            if m not in state and (c := visit(m)):
                return c
        stack.pop()
        state[n] = 2
        return None

    for n in sorted(graph):
        if n not in state and (c := visit(n)):
            return c
    return None


def test_no_import_cycle_anywhere():
    graph = {name: imported_modules(path) for name, path in MODULES.items()}
    # A package's __init__ importing its own submodules is how a package offers them, not a cycle
    # in the pipeline, unless a submodule imports the package back (which `graph` still sees).
    assert find_cycle(graph) is None, " → ".join(find_cycle(graph))


def test_the_cycle_finder_finds_a_planted_cycle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


STAGES = ["language", "engine", "analysis", "render", "explorer", "report", "export", "lsp", "cli"]


def stage(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in STAGES else None


def test_stages_depend_only_on_earlier_stages():
    """The pipeline order holds: no stage imports a later one (errors is shared by all)."""
    order = {s: i for i, s in enumerate(STAGES)}
    backwards = []
    for name, path in MODULES.items():
        mine = stage(name)
        for dep in imported_modules(path):
            theirs = stage(dep)
            if mine and theirs and order[theirs] > order[mine]:
                backwards.append(f"{name} → {dep}")
    assert not backwards, backwards


def test_only_the_engine_imports_z3():
    offenders = []
    for name, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            mods = ([a.name for a in node.names] if isinstance(node, ast.Import)
                    else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            if any(m == "z3" or m.startswith("z3.") for m in mods) and stage(name) != "engine":
                offenders.append(name)
    assert not offenders, offenders


@pytest.mark.parametrize("name", sorted(n for n in MODULES if not n.endswith("__main__")))
def test_each_module_imports_alone(name):
    """Each module imports in a fresh interpreter on its own (no hidden order dependence)."""
    proc = subprocess.run([sys.executable, "-c", f"import {name}"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr[-2000:]


def test_help_does_not_import_the_solver():
    code = ("import sys; from click.testing import CliRunner; from argmap.cli import main; "
            "r = CliRunner().invoke(main, ['--help']); assert r.exit_code == 0, r.output; "
            "print(sorted(m for m in ('z3', 'lark', 'pydantic') if m in sys.modules))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "z3" not in proc.stdout, proc.stdout


def test_solving_creates_one_z3_context():
    """Each Z3 context costs ~6 ms to create; the engine makes its own, and nothing may make
    Z3's global one behind its back (``z3.SolverFor(logic, ctx=...)`` did, via the logic's name)."""
    code = ("import z3, z3.z3 as core; from argmap.analysis import queries; "
            "from argmap.language.loader import read_map; amap, _ = read_map('claims'); "
            "made = []; init = z3.Context.__init__; "
            "z3.Context.__init__ = lambda self, *a, **k: (made.append(1), init(self, *a, **k))[1]; "
            "assert not [d for d in queries.semantic_diagnostics(amap) if d.severity == 'error']; "
            "queries.why(amap, 'deference.inner'); print(len(made), core._main_ctx is None)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          cwd=PACKAGE.parent, env={**os.environ, "ARGMAP_NO_CACHE": "1"})
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.split() == ["1", "True"], proc.stdout
