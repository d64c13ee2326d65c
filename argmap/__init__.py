"""argmap: a formal argument map and consistency checker for proposals to build safe advanced AI.

The pipeline is visible in the modules: source → parse → build → validate (``load``) → logic (the
only module that talks to Z3) → queries (pydantic results) → render → cli.

>>> import argmap
>>> m = argmap.load("tests/fixtures/maps/tiny")
>>> argmap.verdicts(m).verdicts["plan.outer"]
'open'
>>> argmap.verdicts(m, assume=["overseer_honest", "tools_work"]).verdicts["plan.outer"]
'holds'
"""

from .diagnostics import (ArgmapError, Diagnostic, InconclusiveError, InconsistentError, MapError,
                          ToolMissingError, UsageError)
from .loader import load, read_map
from .model import ArgumentMap

__version__ = "0.1.0"

_QUERIES = ("check", "verdicts", "why", "what_breaks", "cruxes", "run_tests", "statuses", "Scenario")

__all__ = ["ArgmapError", "ArgumentMap", "Diagnostic", "InconclusiveError", "InconsistentError", "MapError",
           "ToolMissingError", "UsageError", "load", "read_map", "__version__", *_QUERIES]


def __getattr__(name: str):
    # Queries import the solver; keep `import argmap` (and `argmap --help`) free of z3.
    if name in _QUERIES:
        from . import queries
        return getattr(queries, name)
    raise AttributeError(f"module 'argmap' has no attribute {name!r}")
