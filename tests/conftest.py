import atexit
import os
import shutil
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import settings

settings.register_profile("ci", max_examples=60, deadline=None, derandomize=True, print_blob=True)
settings.register_profile("dev", max_examples=40, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

ROOT = Path(__file__).resolve().parent.parent

# argmap's caches (argmap.cachedir) go to a folder of this run, never the user's: tests that read a
# map twice then run with the parse cache warm. `ARGMAP_NO_CACHE=1 pytest` runs them without.
_PREFIX = "argmap-test-cache-"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)     # (PermissionError: another user's process, alive)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    return True


def _sweep_stale_caches(folder: Path) -> None:
    """Remove the cache folders of earlier runs that were killed before ``atexit`` ran (a
    timeout, ^C twice). Each is named after its run's process id; one whose process is gone and
    that is an hour old is garbage (the hour: another container sharing /tmp has other process
    ids). Folders of the older unnamed form (``argmap-test-cache-<random>``) cannot tell; they
    go once a day old."""
    for old in folder.glob(f"{_PREFIX}*"):
        pid, _, rest = old.name[len(_PREFIX):].partition("-")
        try:
            age = time.time() - old.stat().st_mtime
        except OSError:
            continue            # another run removed it first
        if pid.isdigit() and rest:
            stale = age > 3_600 and int(pid) != os.getpid() and not _alive(int(pid))
        else:
            stale = age > 86_400
        if stale and old.is_dir():
            shutil.rmtree(old, ignore_errors=True)


_sweep_stale_caches(Path(tempfile.gettempdir()))
_CACHE = tempfile.mkdtemp(prefix=f"{_PREFIX}{os.getpid()}-")
os.environ["XDG_CACHE_HOME"] = _CACHE
atexit.register(shutil.rmtree, _CACHE, True)


def source_texts(amap) -> Path:
    """The folder of the source texts, from $ARGMAP_SOURCES. The project does not carry them: when
    they are absent the quote tests skip, saying where to get them, except under
    ARGMAP_REQUIRE_SOURCES=1 (CI), where they fail."""
    import pytest
    from argmap.analysis.provenance import where_to_get
    folder = os.environ.get("ARGMAP_SOURCES")
    if folder and all((Path(folder) / s.file).is_file() for s in amap.sources.values() if s.file):
        return Path(folder)
    why = (f"ARGMAP_SOURCES={folder!r} lacks a source text" if folder else "ARGMAP_SOURCES is not set")
    message = f"quote check skipped: {why}; {where_to_get(amap)}"
    if os.environ.get("ARGMAP_REQUIRE_SOURCES") == "1":
        pytest.fail(message.replace("quote check skipped", "ARGMAP_REQUIRE_SOURCES=1 but"), pytrace=False)
    pytest.skip(message)


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


@pytest.fixture(autouse=True)
def _collectable_after_each_test():
    """A command run through CliRunner freezes everything alive in this process, as the CLI's
    read_map does in its own one-shot process (argmap.cachedir.one_shot_process); here the
    process goes on, so each test gives the frozen objects back to the collector."""
    yield
    import gc
    gc.unfreeze()
