// Tokenize a file with VS Code's own TextMate engine (vscode-textmate + vscode-oniguruma), to
// cross-check the grammar and editors/tmhighlight.py. Prints one JSON array per line of input:
// [[text, [scopes...]], ...]. Usage: NODE_PATH=DIR/node_modules node textmate_tokens.cjs GRAMMAR FILE
const fs = require("fs");
const path = require("path");
const tm = require("vscode-textmate");
const onig = require("vscode-oniguruma");

const [grammarPath, filePath] = process.argv.slice(2);
const wasm = fs.readFileSync(path.join(path.dirname(require.resolve("vscode-oniguruma")), "onig.wasm"));

onig.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength)).then(async () => {
  const registry = new tm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (sources) => new onig.OnigScanner(sources),
      createOnigString: (s) => new onig.OnigString(s),
    }),
    loadGrammar: async () => tm.parseRawGrammar(fs.readFileSync(grammarPath, "utf8"), grammarPath),
  });
  const grammar = await registry.loadGrammar("source.argmap");
  let state = tm.INITIAL;
  const out = [];
  for (const line of fs.readFileSync(filePath, "utf8").split("\n")) {
    const r = grammar.tokenizeLine(line, state);
    out.push(r.tokens.map((t) => [line.substring(t.startIndex, t.endIndex), t.scopes]).filter((t) => t[0]));
    state = r.ruleStack;
  }
  process.stdout.write(JSON.stringify(out));
});
