"""Cost of one Tab of shell completion on the bundled corpus, with and without the id cache.

    python3 benchmarks/bench_complete.py            # median of 11 runs of each case

Each run is a fresh `argmap` process answering click's completion protocol, as the shell calls
it. "cold" deletes the cache first (the map is parsed, then the cache written); "warm" keeps it
(the files are only stat'ed); "command name" completes `argmap ch` (no map is read).
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def tab(words: str, cword: int, cache: str) -> float:
    env = {**os.environ, "COMP_WORDS": words, "COMP_CWORD": str(cword), "_ARGMAP_COMPLETE": "bash_complete",
           "XDG_CACHE_HOME": cache}
    script = Path(sys.executable).parent / "argmap"
    t = time.perf_counter()
    out = subprocess.run([str(script)], env=env, capture_output=True, text=True, cwd=ROOT, check=True).stdout
    took = time.perf_counter() - t
    assert out.strip(), f"no completion for {words!r}"
    return took


def main(reps: int = 11) -> None:
    cache = tempfile.mkdtemp(prefix="argmap-bench-cache-")
    word = ("argmap why imitative_amp_rat.", 2)
    cases = {"cold (parse, write the cache)": [], "warm (cache hit)": [], "command name (no map)": []}
    for _ in range(reps):
        shutil.rmtree(os.path.join(cache, "argmap"), ignore_errors=True)
        cases["cold (parse, write the cache)"].append(tab(*word, cache))
        cases["warm (cache hit)"].append(tab(*word, cache))
        cases["command name (no map)"].append(tab("argmap ch", 1, cache))
    print(f"| one Tab on the corpus (median of {reps}) | median | min | max |")
    print("| --- | --- | --- | --- |")
    for name, times in cases.items():
        print(f"| {name} | {statistics.median(times):.3f} s | {min(times):.3f} s | {max(times):.3f} s |")
    shutil.rmtree(cache, ignore_errors=True)


if __name__ == "__main__":
    main()
