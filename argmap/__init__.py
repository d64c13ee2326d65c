"""argmap: a formal argument map and consistency checker for proposals to build safe advanced AI.

The pipeline is visible in the subpackages: ``language`` (source → parse → build → validate:
``load``) → ``engine`` (the only place that talks to Z3 or a BDD) → ``analysis`` (queries as
result dataclasses that dump through pydantic, cruxes, probabilities) → ``render`` / ``export`` /
``explorer`` / ``report`` → ``cli``.

>>> import argmap, pathlib
>>> tiny = pathlib.Path(argmap.__file__).parent.parent / "tests" / "fixtures" / "maps" / "tiny"
>>> argmap.check(tiny)
CheckReport(ok=True, diagnostics=[])
>>> m = argmap.load(tiny)
>>> argmap.verdicts(m).verdicts["plan.outer"]
'open'
>>> argmap.verdicts(m, assume=["overseer_honest", "tools_work"]).verdicts["plan.outer"]
'holds'
>>> argmap.why(m, "plan.inner").supports
[{'model_myopic': True}, {'overseer_honest': True, 'tools_work': True, 'obfuscation': False}]
>>> r = argmap.what_breaks(m, "overseer_honest")
>>> r.breaks, r.weakens
(['plan.outer'], ['plan.inner'])
>>> [c.assumption for c in argmap.cruxes(m).cruxes][:2]
['overseer_honest', 'model_myopic']
>>> argmap.run_tests(m).passed
5
"""

__version__ = "0.1.0"

# Everything is imported on first use, so that `import argmap` (and `argmap --help`) stays fast.
_EXPORTS = {
    "ArgmapError": "errors", "InconclusiveError": "errors", "InconsistentError": "errors",
    "MapError": "errors", "ToolMissingError": "errors", "UsageError": "errors",
    "Diagnostic": "language.diagnostics", "ArgumentMap": "language.model",
    "load": "language.loader", "read_map": "language.loader",
    "check": "analysis.queries", "verdicts": "analysis.queries", "why": "analysis.queries",
    "what_breaks": "analysis.queries", "cruxes": "analysis.queries", "run_tests": "analysis.queries",
    "cuts": "analysis.queries",
    "statuses": "analysis.queries", "Scenario": "analysis.queries",
}

__all__ = [*_EXPORTS, "__version__"]


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'argmap' has no attribute {name!r}")
    import importlib
    return getattr(importlib.import_module(f"argmap.{module}"), name)
