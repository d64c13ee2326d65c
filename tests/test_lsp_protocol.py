"""`argmap lsp` as an editor sees it: a subprocess spoken to in JSON-RPC over stdio.

One session walks through what an editor does: initialize, open a map with a misspelt id, read the
published diagnostics (compared with `argmap check --json` on the same files), fix the typo and get
the solver's findings, hover, go to definition, find references, complete, list symbols, rename
across files (the edit applied must give a map that checks clean), shut down and exit.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("pygls", reason="pygls is in the dev extra; `pip install -e '.[dev]'`")

from lsp_client import LspClient  # noqa: E402

BASE = '''source doc: "A made-up document"

assumption myopia_verification: "An overseer can [verify](javascript:x) that a model is *myopic*."
  cite doc "§3" "verify myopia, at least <b>sometimes</b>"
assumption tools_work: "Transparency tools work."
'''
PLAN = '''claim rat_gradient: "Relaxed adversarial training pushes away from deception."
  if myopia_verificaton
  if tools_work

proposal plan: "A plan"
  inner: rat_gradient
  outer: tools_work

worldview pessimist: "Tools fail"
  deny tools_work

expect plan.inner uses tools_work
expect plan.outer holds
'''


def uri(path: Path) -> str:
    return path.resolve().as_uri()


def position_of(text: str, needle: str, occurrence: int = 0, offset: int = 0) -> dict:
    at = -1
    for _ in range(occurrence + 1):
        at = text.index(needle, at + 1)
    at += offset
    line = text.count("\n", 0, at)
    return {"line": line, "character": at - (text.rfind("\n", 0, at) + 1)}


def apply_edits(text: str, edits: list[dict]) -> str:
    lines = text.split("\n")
    for e in sorted(edits, key=lambda e: (e["range"]["start"]["line"], e["range"]["start"]["character"]),
                    reverse=True):
        s, t = e["range"]["start"], e["range"]["end"]
        assert s["line"] == t["line"], "ids never span lines"
        row = lines[s["line"]]
        lines[s["line"]] = row[: s["character"]] + e["newText"] + row[t["character"]:]
    return "\n".join(lines)


@pytest.fixture
def workspace(tmp_path):
    claims = tmp_path / "claims"
    claims.mkdir()
    (claims / "base.argmap").write_text(BASE, encoding="utf-8")
    (claims / "plan.argmap").write_text(PLAN, encoding="utf-8")
    (tmp_path / "notes.argmap").write_text('assumption elsewhere: "not part of the map"\n')
    return tmp_path


@pytest.fixture
def client(workspace):
    c = LspClient(cwd=str(workspace))
    yield c
    c.close()


def diagnostics_for(client, path: Path, predicate=lambda ds: True) -> list[dict]:
    note = client.wait_for(lambda n: n["method"] == "textDocument/publishDiagnostics"
                           and n["params"]["uri"] == uri(path) and predicate(n["params"]["diagnostics"]))
    return note["params"]["diagnostics"]


def test_an_editor_session(workspace, client):
    claims = workspace / "claims"
    plan, base = claims / "plan.argmap", claims / "base.argmap"
    init = client.request("initialize", {"processId": None, "rootUri": uri(workspace), "capabilities": {
        "textDocument": {"publishDiagnostics": {"relatedInformation": True}}}})
    caps = init["result"]["capabilities"]
    for feature in ("hoverProvider", "definitionProvider", "referencesProvider", "renameProvider",
                    "documentSymbolProvider", "completionProvider"):
        assert caps.get(feature), feature
    client.notify("initialized", {})

    # -- open a map with a misspelt id: E201 at the id, 0-based --------------------------------
    client.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri(plan), "languageId": "argmap", "version": 1, "text": PLAN}})
    diags = diagnostics_for(client, plan, lambda ds: bool(ds))
    e201 = [d for d in diags if d["code"] == "E201"]
    assert len(e201) == 1, diags
    assert e201[0]["range"] == {"start": {"line": 1, "character": 5}, "end": {"line": 1, "character": 5 + len("myopia_verificaton")}}
    assert e201[0]["message"] == "unknown id `myopia_verificaton`"
    assert e201[0]["severity"] == 1
    assert e201[0]["relatedInformation"][0]["message"] == "hint: did you mean `myopia_verification`?"

    # the same codes, messages and places as `argmap check` on the same files
    cli = subprocess.run([sys.executable, "-m", "argmap", "check", "--json", "claims"], cwd=workspace,
                         capture_output=True, text=True, timeout=120)
    expected = sorted((d["code"], d["message"], d["line"] - 1, d["column"] - 1)
                      for d in json.loads(cli.stdout)["diagnostics"] if d["file"].endswith("plan.argmap"))
    got = sorted((d["code"], d["message"], d["range"]["start"]["line"], d["range"]["start"]["character"])
                 for d in diags)
    assert got == expected

    # -- fix the typo (an incremental change): the solver's findings arrive ----------------------
    start = position_of(PLAN, "myopia_verificaton")
    end = {"line": start["line"], "character": start["character"] + len("myopia_verificaton")}
    client.notify("textDocument/didChange", {
        "textDocument": {"uri": uri(plan), "version": 2},
        "contentChanges": [{"range": {"start": start, "end": end}, "text": "myopia_verification"}]})
    text = PLAN.replace("myopia_verificaton", "myopia_verification")
    diags = diagnostics_for(client, plan, lambda ds: not any(d["code"] == "E201" for d in ds))
    assert [(d["code"], d["severity"], d["range"]["start"]["line"]) for d in diags] == [
        ("W303", 2, 4), ("E401", 1, 12)], diags            # a warning stays a warning
    assert diags[1]["message"].startswith("expectation failed: expect plan.outer holds")

    # -- hover -----------------------------------------------------------------------------------
    hover = client.request("textDocument/hover", {"textDocument": {"uri": uri(plan)},
                                                  "position": position_of(text, "rat_gradient", 1, 3)})
    card = hover["result"]["contents"]["value"]
    assert "**claim** `rat_gradient`" in card
    assert "Relaxed adversarial training pushes away from deception" in card
    assert "*status (empty worldview):* **open**" in card
    assert "*minimal supports:* 2 (`argmap why rat_gradient`" in card    # {myopia_verification}, {tools_work}
    assert hover["result"]["range"]["start"] == position_of(text, "rat_gradient", 1)

    hover = client.request("textDocument/hover", {"textDocument": {"uri": uri(plan)},
                                                  "position": position_of(text, "myopia_verification")})
    card = hover["result"]["contents"]["value"]
    assert "verify myopia, at least \\<b\\>sometimes\\</b\\>" in card      # the quote, escaped
    assert "\\[verify\\]\\(javascript:x\\)" in card and "](javascript" not in card
    assert "*free:* no worldview fixes it" in card

    hover = client.request("textDocument/hover", {"textDocument": {"uri": uri(plan)},
                                                  "position": position_of(text, "plan.inner", 0, 6)})
    card = hover["result"]["contents"]["value"]
    assert "**verdict** `plan.inner`" in card and "*proposal* `plan`: A plan" in card

    # -- definition and references, across files ------------------------------------------------
    where = position_of(text, "tools_work", 1)        # in `outer: tools_work`
    found = client.request("textDocument/definition", {"textDocument": {"uri": uri(plan)}, "position": where})
    assert found["result"] == [{"uri": uri(base), "range": {
        "start": position_of(BASE, "tools_work"),
        "end": {"line": 4, "character": position_of(BASE, "tools_work")["character"] + len("tools_work")}}}]
    refs = client.request("textDocument/references", {"textDocument": {"uri": uri(plan)}, "position": where,
                                                      "context": {"includeDeclaration": True}})
    places = sorted((Path(r["uri"]).name, r["range"]["start"]["line"]) for r in refs["result"])
    assert places == [("base.argmap", 4), ("plan.argmap", 2), ("plan.argmap", 6), ("plan.argmap", 9),
                      ("plan.argmap", 11)]

    # -- completion: ids after `if`, worldview names after `under` -------------------------------
    text += "claim c2: \"C\"\n  if my\nexpect under pe"
    client.notify("textDocument/didChange", {"textDocument": {"uri": uri(plan), "version": 3},
                                             "contentChanges": [{"text": text}]})
    lines = text.split("\n")
    items = client.request("textDocument/completion", {"textDocument": {"uri": uri(plan)}, "position": {
        "line": len(lines) - 2, "character": len(lines[-2])}})["result"]["items"]
    assert [i["label"] for i in items] == ["myopia_verification"]
    assert items[0]["textEdit"]["range"]["start"] == {"line": len(lines) - 2, "character": 5}
    items = client.request("textDocument/completion", {"textDocument": {"uri": uri(plan)}, "position": {
        "line": len(lines) - 1, "character": len(lines[-1])}})["result"]["items"]
    assert [i["label"] for i in items] == ["pessimist"]
    text = PLAN.replace("myopia_verificaton", "myopia_verification")
    client.notify("textDocument/didChange", {"textDocument": {"uri": uri(plan), "version": 4},
                                             "contentChanges": [{"text": text}]})

    # -- document symbols --------------------------------------------------------------------------
    symbols = client.request("textDocument/documentSymbol", {"textDocument": {"uri": uri(plan)}})["result"]
    assert [s["name"] for s in symbols] == ["rat_gradient", "plan", "pessimist",
                                            "expect plan.inner uses tools_work", "expect plan.outer holds"]
    assert [c["name"] for c in symbols[1]["children"]] == ["plan.inner", "plan.outer"]
    assert symbols[1]["range"]["start"]["line"] == 4 and symbols[1]["range"]["end"]["line"] == 6

    # -- rename in every file of the map -------------------------------------------------------------
    on_verdict = position_of(text, "plan.inner", 0, 7)          # on `inner` of `plan.inner`
    prepared = client.request("textDocument/prepareRename", {"textDocument": {"uri": uri(plan)},
                                                             "position": on_verdict})["result"]
    assert prepared["placeholder"] == "plan"                     # a verdict id renames its proposal
    assert prepared["range"]["end"]["character"] - prepared["range"]["start"]["character"] == len("plan")
    edit = client.request("textDocument/rename", {"textDocument": {"uri": uri(plan)}, "position": where,
                                                  "newName": "tools_succeed"})["result"]
    assert set(edit["changes"]) == {uri(base), uri(plan)}
    base.write_text(apply_edits(BASE, edit["changes"][uri(base)]), encoding="utf-8")
    plan.write_text(apply_edits(text, edit["changes"][uri(plan)]), encoding="utf-8")
    assert "tools_work" not in base.read_text() + plan.read_text()
    cli = subprocess.run([sys.executable, "-m", "argmap", "check", "--json", "claims"], cwd=workspace,
                         capture_output=True, text=True, timeout=120)
    assert [d["code"] for d in json.loads(cli.stdout)["diagnostics"] if d["severity"] == "error"] == ["E401"]
    bad = client.request("textDocument/rename", {"textDocument": {"uri": uri(plan)}, "position": where,
                                                 "newName": "rat_gradient"})
    assert "error" in bad and "already declared" in bad["error"]["message"]

    # -- shutdown and exit ---------------------------------------------------------------------------
    assert client.request("shutdown")["result"] is None
    client.notify("exit")
    assert client.proc.wait(timeout=15) == 0


def test_a_file_outside_the_maps_folder_is_its_own_map(workspace, client):
    """`notes.argmap` sits beside claims/: it is not checked with the map (no duplicate-id noise)."""
    client.request("initialize", {"processId": None, "rootUri": uri(workspace), "capabilities": {}})
    client.notify("initialized", {})
    notes = workspace / "notes.argmap"
    text = 'assumption elsewhere: "not part of the map"\nclaim x: "X"\n  if elsewhere and tools_work\n'
    client.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri(notes), "languageId": "argmap", "version": 1, "text": text}})
    diags = diagnostics_for(client, notes, lambda ds: bool(ds))
    assert [d["code"] for d in diags if d["severity"] == 1] == ["E201"]     # tools_work is in claims/
    assert "hint: " in diags[0]["message"] or diags[0]["code"] != "E201"    # no relatedInformation support
    client.request("shutdown")
    client.notify("exit")
    assert client.proc.wait(timeout=15) == 0


def test_hints_in_the_message_when_the_client_asks(workspace, client):
    """Neovim and Helix announce related information but do not show it: they can ask for the
    hint as the message's second line (docs/editors.md)."""
    plan = workspace / "claims" / "plan.argmap"
    client.request("initialize", {"processId": None, "rootUri": uri(workspace), "capabilities": {
        "textDocument": {"publishDiagnostics": {"relatedInformation": True}}},
        "initializationOptions": {"hintsInMessage": True}})
    client.notify("initialized", {})
    client.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri(plan), "languageId": "argmap", "version": 1, "text": PLAN}})
    diags = diagnostics_for(client, plan, lambda ds: bool(ds))
    e201 = next(d for d in diags if d["code"] == "E201")
    assert e201["message"] == "unknown id `myopia_verificaton`\nhint: did you mean `myopia_verification`?"
    assert "relatedInformation" not in e201
    client.request("shutdown")
    client.notify("exit")
    assert client.proc.wait(timeout=15) == 0


def test_a_change_on_disk_to_a_file_not_open_is_seen(workspace, client):
    """base.argmap is not open: its text comes from disk, and a watched-file event re-checks the map."""
    claims = workspace / "claims"
    plan, base = claims / "plan.argmap", claims / "base.argmap"
    client.request("initialize", {"processId": None, "rootUri": uri(workspace), "capabilities": {}})
    client.notify("initialized", {})
    text = PLAN.replace("myopia_verificaton", "myopia_verification")
    client.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri(plan), "languageId": "argmap", "version": 1, "text": text}})
    diags = diagnostics_for(client, plan, lambda ds: any(d["code"] == "E401" for d in ds))
    assert not [d for d in diags if d["code"] == "E201"]
    base.write_text(BASE.replace("assumption tools_work", "assumption tools_fail"), encoding="utf-8")
    client.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": uri(base), "type": 2}]})
    diags = diagnostics_for(client, plan, lambda ds: any(d["code"] == "E201" for d in ds))
    # this client does not announce relatedInformation, so the hint is the message's second line
    assert sorted({d["message"] for d in diags if d["code"] == "E201"}) == [
        'unknown id `tools_work`\nhint: declare it: `assumption tools_work: "..."`']
    base_diags = diagnostics_for(client, base, lambda ds: bool(ds))   # the unopened file gets its own
    assert [d["code"] for d in base_diags] == ["W301"]                 # tools_fail is used by nothing
    client.request("shutdown")
    client.notify("exit")
    assert client.proc.wait(timeout=15) == 0


HOSTILE = {
    "nul.argmap": ("assumption a: \"A\"\x00\n", "E002"),
    "surrogate.argmap": ("assumption a: \"\ud800\"\n", "E001"),
    "bom.argmap": ("\ufeffclaim c: \"</script><script>x</script>\"\n  if nope\n", "E201"),
    "long.argmap": ("claim c: \"C\"\n  if " + " and ".join(["a"] * 5000) + " and nope\n", "E201"),
    "deep.argmap": ("claim c: \"C\"\n  if " + "(" * 3000 + "a" + ")" * 3000 + "\n", "E109"),
    "crlf.argmap": ("claim c: \"C\"\r\n  if nope\r\n", "E201"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_text_gets_a_diagnostic_and_the_server_keeps_answering(tmp_path, name):
    text, code = HOSTILE[name]
    (tmp_path / "ok.argmap").write_text('assumption a: "A"\nclaim b: "B"\n  if a\n', encoding="utf-8")
    client = LspClient(cwd=str(tmp_path))
    try:
        client.request("initialize", {"processId": None, "rootUri": uri(tmp_path), "capabilities": {}})
        client.notify("initialized", {})
        path = tmp_path / name
        client.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri(path), "languageId": "argmap", "version": 1, "text": text}})
        diags = diagnostics_for(client, path, lambda ds: bool(ds))
        assert code in [d["code"] for d in diags], diags
        ok = tmp_path / "ok.argmap"
        hover = client.request("textDocument/hover", {"textDocument": {"uri": uri(ok)},
                                                      "position": {"line": 2, "character": 5}})
        assert "**assumption** `a`" in hover["result"]["contents"]["value"]
        assert client.request("shutdown")["result"] is None
        client.notify("exit")
        assert client.proc.wait(timeout=15) == 0
        assert "Traceback" not in client.err()
    finally:
        client.close()


def test_lsp_without_pygls_exits_4_with_an_install_hint(tmp_path):
    """A Python that cannot import pygls: exit 4 and `pip install 'argmap[lsp]'`, no traceback."""
    blocker = tmp_path / "pygls.py"
    blocker.write_text("raise ImportError('pygls is not installed here')\n")
    env = {"PYTHONPATH": str(tmp_path), "PATH": "/usr/bin:/bin"}
    proc = subprocess.run([sys.executable, "-m", "argmap", "lsp"], capture_output=True, text=True,
                          env=env, timeout=60, stdin=subprocess.DEVNULL)
    assert proc.returncode == 4, proc.stderr
    assert "pip install 'argmap[lsp]'" in proc.stderr
    assert "Traceback" not in proc.stderr
