"""Result classes as plain dataclasses that dump exactly as the pydantic models they replace did.

Importing pydantic's ``BaseModel`` and building the first model class costs 80–100 ms, about half
of the bare imports every command is measured against (docs/performance.md, "Corpus start-up"),
and a command that prints text never needs it. So diagnostics and query results are slotted
dataclasses, the one definition of their fields, and pydantic is imported only when a result is
dumped, validated or described as a schema: a ``TypeAdapter`` of the dataclass (built once per
class) gives the same ``model_dump`` / ``model_dump_json`` output, field order and JSON as a
``BaseModel`` with the same annotations (tests/test_dumpable.py compares them).
"""

from __future__ import annotations

import dataclasses

_ADAPTERS: dict[type, object] = {}


def _adapter(cls: type):
    found = _ADAPTERS.get(cls)
    if found is None:
        from pydantic import TypeAdapter
        found = _ADAPTERS[cls] = TypeAdapter(cls)
    return found


class Dumpable:
    """pydantic's dumping API for a dataclass: ``model_dump``, ``model_dump_json``,
    ``model_validate``, ``model_json_schema`` and ``model_copy``."""

    __slots__ = ()

    def model_dump(self, **options) -> dict:
        return _adapter(type(self)).dump_python(self, **options)

    def model_dump_json(self, **options) -> str:
        return _adapter(type(self)).dump_json(self, **options).decode("utf-8")

    def model_copy(self, update: dict | None = None):
        return dataclasses.replace(self, **(update or {}))

    @classmethod
    def model_validate(cls, data):
        """A new instance from plain data (a dict as ``model_dump`` gives), checked by pydantic."""
        return _adapter(cls).validate_python(data)

    @classmethod
    def model_json_schema(cls, **options) -> dict:
        return _adapter(cls).json_schema(**options)
