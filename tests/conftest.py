import os
from pathlib import Path

from hypothesis import settings

settings.register_profile("ci", max_examples=60, deadline=None, derandomize=True, print_blob=True)
settings.register_profile("dev", max_examples=40, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT.parent / "shared" / "sources"


def toggle_scenario(fixed: dict):
    """A toggle state of the explorer (assumption -> value) as a query scenario."""
    from argmap.analysis.queries import Scenario
    return Scenario(assume=[a for a, v in fixed.items() if v], deny=[a for a, v in fixed.items() if not v])


def engine_statuses(amap, fixed: dict, ids: list[str]) -> dict[str, str]:
    """What the explorer must show for a toggle state: the engine's statuses, or all "inconsistent"."""
    from argmap.language.diagnostics import InconsistentError
    from argmap.analysis.queries import statuses
    try:
        return statuses(amap, toggle_scenario(fixed), nodes=ids)
    except InconsistentError:
        return {n: "inconsistent" for n in ids}
