"""Diagnostics and query results are plain dataclasses that dump as pydantic models did (argmap.dumpable).

What would break: a result whose dump differs from a ``BaseModel`` with the same annotations (field
order, defaults, nested results, JSON text), a text command that imports pydantic again (the
start-up cost of issue 13), or a forged cache entry that smuggles a diagnostic of the wrong shape.
"""

from __future__ import annotations

import dataclasses
import subprocess
import sys
import typing

import pytest
from pydantic import BaseModel, create_model

import argmap.analysis.queries as q
from argmap.dumpable import Dumpable
from argmap.language.diagnostics import Diagnostic
from argmap.language.loader import load

RESULTS = [q.Scenario, q.ConflictItem, q.Verdicts, q.VerdictNeeds, q.Why, q.Cuts, q.Remaining, q.WhatBreaks,
           q.Crux, q.Cruxes, q.FailedExpect, q.TestReport, q.CheckReport, Diagnostic]


def as_base_model(cls: type, made: dict) -> type[BaseModel]:
    """The BaseModel the dataclass stands for: same fields, types and defaults, nested results too."""
    if cls in made:
        return made[cls]
    hints = typing.get_type_hints(cls)

    def swap(tp):
        if isinstance(tp, type) and dataclasses.is_dataclass(tp):
            return as_base_model(tp, made)
        args = typing.get_args(tp)
        if not args:
            return tp
        origin = typing.get_origin(tp)
        new = tuple(swap(a) for a in args)
        if origin is typing.Union or str(origin) == "<class 'types.UnionType'>":
            return typing.Union[new]
        if origin is typing.Literal:
            return tp
        return origin[new]

    fields = {}
    for f in dataclasses.fields(cls):
        if f.default is not dataclasses.MISSING:
            default = f.default
        elif f.default_factory is not dataclasses.MISSING:
            from pydantic import Field
            default = Field(default_factory=f.default_factory)
        else:
            default = ...
        fields[f.name] = (swap(hints[f.name]), default)
    made[cls] = create_model(cls.__name__, **fields)
    return made[cls]


@pytest.fixture(scope="module")
def corpus():
    return load("claims")


def corpus_results(amap):
    yield q.verdicts(amap)
    yield q.verdicts(amap, worldview="hubinger2020_leanings")
    yield q.verdict_needs(amap)
    yield q.why(amap, "deference.inner")
    yield q.why(amap, "microscope_ai.outer", worldview="hubinger2020_leanings")
    yield q.cuts(amap, "imitative_amp_rat.inner")
    yield q.what_breaks(amap, "myopia_verification", explain=True)
    yield q.what_breaks(amap, "hch_aligned", explain=True)
    yield q.cruxes(amap)
    yield q.run_tests(amap)
    yield q.check("claims")
    yield q.check("tests/fixtures/diagnostics/e302_inconsistent_worldview.argmap")
    yield q.Scenario(worldview="w", assume=["a"])


def test_every_result_is_a_dumpable_dataclass():
    for cls in RESULTS:
        assert dataclasses.is_dataclass(cls) and issubclass(cls, Dumpable), cls
        assert not issubclass(cls, BaseModel), cls


def test_dumps_equal_a_base_model_with_the_same_fields(corpus):
    made: dict = {}
    seen = set()
    for result in corpus_results(corpus):
        model = as_base_model(type(result), made)
        mirror = model.model_validate(result.model_dump())
        assert result.model_dump() == mirror.model_dump()
        assert result.model_dump(mode="json") == mirror.model_dump(mode="json")
        assert result.model_dump_json() == mirror.model_dump_json()
        assert result.model_dump_json(indent=2) == mirror.model_dump_json(indent=2)
        seen.add(type(result))
    assert {q.Verdicts, q.VerdictNeeds, q.Why, q.Cuts, q.WhatBreaks, q.Cruxes, q.TestReport, q.CheckReport} <= seen


def test_nested_results_dump_as_nested_models(corpus):
    r = q.what_breaks(corpus, "myopia_verification", explain=True)
    dumped = r.model_dump(mode="json")
    assert list(dumped) == ["assumption", "breaks", "loses", "weakens", "unaffected", "forced", "forced_by",
                            "undecided", "completes", "remaining"]
    some = next(iter(dumped["remaining"].values()))
    assert list(some) == ["supports", "of", "needs", "truncated", "supports_truncated", "of_truncated",
                          "needs_truncated"]
    report = q.check("tests/fixtures/diagnostics/e302_inconsistent_worldview.argmap")
    assert list(report.model_dump()["diagnostics"][0]) == [f.name for f in dataclasses.fields(Diagnostic)]


def test_validate_copy_and_schema():
    d = Diagnostic(severity="error", code="E1", message="m", file="f", line=1, column=2)
    assert Diagnostic.model_validate(d.model_dump()) == d
    assert d.model_copy(update={"hint": "h"}).hint == "h" and d.hint is None
    with pytest.raises(Exception):
        Diagnostic.model_validate({**d.model_dump(), "severity": "fatal"})
    assert q.Why.model_json_schema()["properties"]["status"]["enum"] == ["holds", "fails", "open", "inconsistent"]
    w = q.Why(verdict="v", status="open", supports=[{"a": True}])
    assert q.Why.model_validate(w.model_dump()) == w


@pytest.mark.parametrize("args", [["check"], ["verdicts"], ["why", "deference.inner"],
                                  ["what-breaks", "myopia_verification"]])
def test_text_commands_do_not_import_pydantic(args):
    code = ("import sys\nfrom argmap.cli import main\ntry:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'pydantic'), file=sys.stderr)")
    proc = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=120)
    assert proc.stderr.strip().splitlines()[-1] == "[]", proc.stderr[-2000:]


def test_json_commands_still_dump_through_pydantic():
    code = ("import sys\nfrom argmap.cli import main\ntry:\n    main(['verdicts', '--json'])\nexcept SystemExit:\n"
            "    pass\nprint('pydantic' in sys.modules, file=sys.stderr)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.stderr.strip().splitlines()[-1] == "True", proc.stderr[-2000:]
    assert '"verdicts": {' in proc.stdout
