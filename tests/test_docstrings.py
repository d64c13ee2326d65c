"""The examples in the public API's docstrings run and pass.

pyproject's `--doctest-modules` runs them when pytest collects argmap/; this test also runs them
when only tests/ is collected, from any working directory, and fails if the examples vanish.
"""

from __future__ import annotations

import doctest
import argmap
from conftest import ROOT

# Public names whose docstrings must keep an example (others may add more).
MUST_HAVE_EXAMPLES = {"argmap", "load", "read_map", "Diagnostic"}


def public_doctests():
    finder = doctest.DocTestFinder(exclude_empty=True)
    tests = {"argmap": finder.find(argmap, "argmap")[:1]}       # the package docstring only
    for name in argmap.__all__:
        obj = getattr(argmap, name)
        if callable(obj) or isinstance(obj, type):
            found = [t for t in finder.find(obj, name) if t.examples]
            if found:
                tests[name] = found
    return tests


def test_every_public_example_passes(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)                 # examples must not depend on the working directory
    tests = public_doctests()
    assert MUST_HAVE_EXAMPLES <= set(tests), sorted(tests)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    report: list[str] = []
    for name, group in sorted(tests.items()):
        for t in group:
            result = runner.run(t, out=report.append)
            assert result.attempted > 0 and result.failed == 0, "".join(report)
    assert runner.summarize(verbose=False).attempted >= 15
