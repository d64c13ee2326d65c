"""The editor support in editors/: the VS Code extension's files fit together, the TextMate grammar
is valid and gives the scopes a reader expects, and it tokenizes exactly as VS Code's own engine
does (vscode-textmate + vscode-oniguruma from the npm registry)."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
VSCODE = ROOT / "editors" / "vscode"
GRAMMAR = VSCODE / "syntaxes" / "argmap.tmLanguage.json"

_spec = importlib.util.spec_from_file_location("tmhighlight", ROOT / "editors" / "tmhighlight.py")
tmhighlight = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(tmhighlight)

SAMPLE = '''# a comment with claim and "quotes"
claim c: "text with # and \\" and \\n bad" # trailing
  if a and not (b or p.inner) unless x
proposal p: "P"
  inner: c
worldview w: "W"
  credence a 0.5
  cite doc "§1" "<script>alert(1)</script>"
expect under w: p.inner uses a
clam x: "typo"
'''


def regexes(node):
    if isinstance(node, dict):
        for key in ("match", "begin", "end"):
            if key in node:
                yield node[key]
        for value in node.values():
            yield from regexes(value)
    elif isinstance(node, list):
        for value in node:
            yield from regexes(value)


def test_the_extension_files_fit_together():
    pkg = json.loads((VSCODE / "package.json").read_text(encoding="utf-8"))
    lang = pkg["contributes"]["languages"][0]
    assert lang["id"] == "argmap" and lang["extensions"] == [".argmap"]
    assert json.loads((VSCODE / lang["configuration"]).read_text(encoding="utf-8"))["comments"]["lineComment"] == "#"
    gram = pkg["contributes"]["grammars"][0]
    assert gram["language"] == "argmap"
    assert json.loads((VSCODE / gram["path"]).read_text(encoding="utf-8"))["scopeName"] == gram["scopeName"]
    assert (VSCODE / pkg["main"]).is_file()
    props = pkg["contributes"]["configuration"]["properties"]
    assert props["argmap.server.command"]["default"] == "argmap" and props["argmap.server.args"]["default"] == ["lsp"]
    assert "vscode-languageclient" in pkg["dependencies"]
    assert not (VSCODE / "node_modules").exists()
    source = (VSCODE / pkg["main"]).read_text(encoding="utf-8")
    assert 'config.get("server.args", ["lsp"])' in source and "TransportKind.stdio" in source


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_the_extension_client_is_valid_javascript():
    proc = subprocess.run(["node", "--check", str(VSCODE / "extension.js")], capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0, proc.stderr


def test_the_word_pattern_and_every_grammar_regex_compile():
    conf = json.loads((VSCODE / "language-configuration.json").read_text(encoding="utf-8"))
    assert re.fullmatch(conf["wordPattern"], "plan.inner") and not re.fullmatch(conf["wordPattern"], "a b")
    found = list(regexes(json.loads(GRAMMAR.read_text(encoding="utf-8"))))
    assert len(found) > 20
    for rx in found:
        re.compile(rx)


def scopes_of(text: str) -> list[list[tuple[str, str]]]:
    return [[(piece, sc[-1]) for piece, sc in line if piece.strip()]
            for line in tmhighlight.Grammar.load().tokenize(text)]


def test_the_grammar_gives_each_part_of_a_statement_its_scope():
    lines = scopes_of(SAMPLE)
    assert lines[0] == [("# a comment with claim and \"quotes\"", "comment.line.number-sign.argmap")]
    assert lines[1][:2] == [("claim", "keyword.other.statement.claim.argmap"), ("c", "entity.name.function.claim.argmap")]
    assert ("text with # and ", "string.quoted.double.argmap") in lines[1]       # no comment inside a string
    assert ('\\"', "constant.character.escape.argmap") in lines[1]
    assert ("\\n", "invalid.illegal.escape.argmap") in lines[1]
    assert lines[1][-1] == ("# trailing", "comment.line.number-sign.argmap")
    assert lines[2] == [("if", "keyword.control.if.argmap"), ("a", "variable.other.id.argmap"),
                        ("and", "keyword.operator.logical.argmap"), ("not", "keyword.operator.logical.argmap"),
                        ("(", "punctuation.parenthesis.argmap"), ("b", "variable.other.id.argmap"),
                        ("or", "keyword.operator.logical.argmap"), ("p", "variable.other.proposal.argmap"),
                        (".", "punctuation.accessor.argmap"), ("inner", "support.type.component.argmap"),
                        (")", "punctuation.parenthesis.argmap"), ("unless", "keyword.control.unless.argmap"),
                        ("x", "variable.other.id.argmap")]
    assert lines[4][0] == ("inner", "support.type.component.argmap")
    assert ("0.5", "constant.numeric.argmap") in lines[6]
    assert lines[7][:2] == [("cite", "keyword.other.cite.argmap"), ("doc", "variable.other.source.argmap")]
    assert ("uses", "keyword.other.expect.argmap") in lines[8] and ("under", "keyword.other.expect.argmap") in lines[8]
    assert lines[9][0] == ("clam", "invalid.illegal.statement.argmap")


def test_a_continuation_marker_is_highlighted_and_its_string_is_a_string():
    lines = scopes_of('assumption a: "a long text "  \n  ... "goes on # here"\n  cite s "§1" "q "\n'
                      '    ... "more" # done\n  note "x" ... "not at a line start"\n')
    assert lines[1] == [("...", "keyword.operator.continuation.argmap"),
                        ('"', "punctuation.definition.string.begin.argmap"),
                        ("goes on # here", "string.quoted.double.argmap"),
                        ('"', "punctuation.definition.string.end.argmap")]
    assert lines[3][0] == ("...", "keyword.operator.continuation.argmap")
    assert lines[3][-1] == ("# done", "comment.line.number-sign.argmap")
    assert ("...", "keyword.operator.continuation.argmap") not in lines[4]      # E114: not a marker there


def test_the_highlighted_page_shows_hostile_text_as_text():
    page = tmhighlight.to_html(SAMPLE, 'x"><script>alert(2)</script>')
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "default-src 'none'" in page


@pytest.fixture(scope="module")
def node_modules(tmp_path_factory):
    """VS Code's TextMate engine and its language client library from the npm registry, in a
    temporary folder (never in the repository)."""
    if shutil.which("npm") is None or shutil.which("node") is None:
        if os.environ.get("ARGMAP_REQUIRE_NODE"):
            pytest.fail("node and npm are required (ARGMAP_REQUIRE_NODE is set)")
        pytest.skip("node/npm are not installed")
    folder = tmp_path_factory.mktemp("textmate")
    proc = subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--silent", "--prefix", str(folder),
                           "vscode-textmate@9", "vscode-oniguruma@2", "vscode-languageclient@9"],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return folder / "node_modules"


def test_the_python_tokenizer_agrees_with_vscode_textmate_on_the_corpus(node_modules, tmp_path):
    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "claims").rglob("*.argmap")))
    text += "\n" + SAMPLE + 'claim u: "unterminated # x\n  if a and\n'
    sample = tmp_path / "all.argmap"
    sample.write_text(text, encoding="utf-8")
    proc = subprocess.run(["node", str(ROOT / "editors" / "textmate_tokens.cjs"), str(GRAMMAR), str(sample)],
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "NODE_PATH": str(node_modules)})
    assert proc.returncode == 0, proc.stderr
    theirs = json.loads(proc.stdout)
    ours = tmhighlight.Grammar.load().tokenize(text)

    def merged(line):
        out = []
        for piece, scopes in line:
            if out and out[-1][1] == tuple(scopes):
                out[-1] = (out[-1][0] + piece, tuple(scopes))
            else:
                out.append((piece, tuple(scopes)))
        return out

    assert len(theirs) == len(ours)
    differing = [(i, merged(a), merged(b)) for i, (a, b) in enumerate(zip(theirs, ours)) if merged(a) != merged(b)]
    assert not differing, differing[:3]


# A stand-in for VS Code's API, enough for the extension to activate outside the editor; the
# language client's start() is replaced so that it reports what it would start.
FAKE_VSCODE = """
const stub = { get: (t, k) => (k in t ? t[k] : new Proxy(function () {}, stub)),
               apply: () => new Proxy(function () {}, stub), construct: () => new Proxy({}, stub) };
const settings = JSON.parse(process.env.FAKE_SETTINGS || "{}");
module.exports = new Proxy({
  version: "1.90.0",
  workspace: new Proxy({
    getConfiguration: (section) => ({ get: (key, dflt) => (key in settings ? settings[key] : dflt) }),
    createFileSystemWatcher: (glob) => ({ glob }),
  }, stub),
  window: new Proxy({ showErrorMessage: (m) => console.log("ERROR " + m) }, stub),
}, stub);
"""
ACTIVATE = """
const lc = require("vscode-languageclient/node");
lc.LanguageClient.prototype.start = function () {
  console.log(JSON.stringify({ server: this._serverOptions, selector: this._clientOptions.documentSelector,
                               watch: this._clientOptions.synchronize.fileEvents.glob }));
  return Promise.resolve();
};
require(process.argv[2]).activate({ subscriptions: [] });
"""


def test_the_extension_starts_argmap_lsp_with_the_configured_command(node_modules, tmp_path):
    (tmp_path / "fake" / "vscode").mkdir(parents=True)
    (tmp_path / "fake" / "vscode" / "index.js").write_text(FAKE_VSCODE, encoding="utf-8")
    (tmp_path / "activate.js").write_text(ACTIVATE, encoding="utf-8")
    env = {**os.environ, "NODE_PATH": f"{tmp_path / 'fake'}{os.pathsep}{node_modules}"}
    for settings, command in (({}, "argmap"), ({"server.command": "/opt/venv/bin/argmap"}, "/opt/venv/bin/argmap")):
        proc = subprocess.run(["node", str(tmp_path / "activate.js"), str(VSCODE / "extension.js")], env={
            **env, "FAKE_SETTINGS": json.dumps(settings)}, capture_output=True, text=True, timeout=60)
        assert proc.returncode == 0, proc.stderr
        started = json.loads(proc.stdout)
        assert started["server"] == {"command": command, "args": ["lsp"], "transport": 0}     # 0: stdio
        assert started["selector"] == [{"scheme": "file", "language": "argmap"}]
        assert started["watch"] == "**/*.argmap"
