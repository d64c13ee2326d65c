"""How quickly `argmap lsp` answers, as an editor sees it; numbers for docs/performance.md.

    python3 benchmarks/bench_lsp.py [--reps 5] [--size 1000]

Two parts, medians of ``--reps``:

* in process: reading the bundled corpus (and a generated map of ``--size`` statements) from
  texts, cold (empty parse cache) and after a one-statement edit (the cache holds the rest);
* over stdio with the tests' JSON-RPC client, on a copy of the corpus: from `didOpen` to the first
  published diagnostics (a cold server: grammar, read, solver); from a change that misspells an id
  to its E201 (includes the 0.15 s quiet period); from the fix to the clean result with the solver's
  checks (includes 0.15 + 0.3 s of quiet); and hover, definition, references, completion and
  rename on a warm server.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "benchmarks")]

from lsp_client import LspClient  # noqa: E402

from argmap.lsp.mapstate import Reader  # noqa: E402


def median_ms(samples: list[float]) -> str:
    return f"{statistics.median(samples) * 1000:.0f} ms"


def in_process(texts: dict[str, str], reps: int) -> tuple[list[float], list[float]]:
    cold, edit = [], []
    name = next(n for n, t in texts.items() if "\nclaim " in t)
    for i in range(reps):
        reader = Reader()
        t0 = time.perf_counter()
        reader.read(texts)
        cold.append(time.perf_counter() - t0)
        changed = dict(texts)
        changed[name] = texts[name].replace("\nclaim ", f"\nclaim edited{i}_", 1)
        t0 = time.perf_counter()
        reader.read(changed)
        edit.append(time.perf_counter() - t0)
    return cold, edit


def over_stdio(reps: int) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {}
    for _ in range(reps):
        with tempfile.TemporaryDirectory() as tmp:
            shutil.copytree(ROOT / "claims", Path(tmp) / "claims")
            path = Path(tmp) / "claims" / "hubinger" / "p04_imitative_amp_rat.argmap"
            text = path.read_text(encoding="utf-8")
            uri = path.resolve().as_uri()
            client = LspClient(cwd=tmp)
            try:
                client.request("initialize", {"processId": None, "rootUri": Path(tmp).resolve().as_uri(),
                                              "capabilities": {}})
                client.notify("initialized", {})

                def published(pred):
                    return client.wait_for(lambda n: n["method"] == "textDocument/publishDiagnostics"
                                           and n["params"]["uri"] == uri and pred(n["params"]["diagnostics"]))

                t0 = time.perf_counter()
                client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "argmap",
                                                                        "version": 1, "text": text}})
                published(lambda ds: True)
                out.setdefault("open → first diagnostics (cold server)", []).append(time.perf_counter() - t0)

                bad = text.replace("  if myopia_verification", "  if myopia_verificaton", 1)
                t0 = time.perf_counter()
                client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2},
                                                         "contentChanges": [{"text": bad}]})
                published(lambda ds: any(d["code"] == "E201" for d in ds))
                out.setdefault("typo → its E201", []).append(time.perf_counter() - t0)

                t0 = time.perf_counter()
                client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 3},
                                                         "contentChanges": [{"text": text}]})
                published(lambda ds: not any(d["severity"] == 1 for d in ds))
                out.setdefault("fix → clean, solver checks included", []).append(time.perf_counter() - t0)

                lines = text.split("\n")
                row = next(i for i, ln in enumerate(lines) if ln.startswith("  inner: "))
                where = {"textDocument": {"uri": uri}, "position": {"line": row, "character": 10}}
                for method, extra in (("textDocument/hover", {}), ("textDocument/definition", {}),
                                      ("textDocument/references", {"context": {"includeDeclaration": True}}),
                                      ("textDocument/rename", {"newName": "renamed_claim"})):
                    t0 = time.perf_counter()
                    reply = client.request(method, {**where, **extra})
                    assert "result" in reply, reply
                    out.setdefault(method.split("/")[1] + " (warm)", []).append(time.perf_counter() - t0)
                t0 = time.perf_counter()
                client.request("textDocument/completion", {"textDocument": {"uri": uri}, "position": {
                    "line": row, "character": 11}})
                out.setdefault("completion (warm)", []).append(time.perf_counter() - t0)
                client.request("shutdown")
                client.notify("exit")
                client.proc.wait(timeout=15)
            finally:
                client.close()
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--size", type=int, default=1000)
    args = ap.parse_args()
    from generate import generate
    corpus = {str(p): p.read_text(encoding="utf-8") for p in sorted((ROOT / "claims").rglob("*.argmap"))}
    print("| reading from texts | cold | after a one-statement edit |\n| --- | --- | --- |")
    for label, texts in (("bundled corpus", corpus), (f"generated, {args.size} statements", generate(args.size))):
        cold, edit = in_process(texts, args.reps)
        print(f"| {label} | {median_ms(cold)} | {median_ms(edit)} |")
    print("\n| over stdio (corpus) | median |\n| --- | --- |")
    for label, samples in over_stdio(args.reps).items():
        print(f"| {label} | {median_ms(samples)} |")


if __name__ == "__main__":
    main()
