// The VS Code side of argmap: starts `argmap lsp` (stdio) for .argmap files. Highlighting comes
// from syntaxes/argmap.tmLanguage.json; everything else (diagnostics, hover, definitions,
// references, rename, symbols, completion) from the server.
const vscode = require("vscode");
const { LanguageClient, TransportKind } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const config = vscode.workspace.getConfiguration("argmap");
  const command = config.get("server.command", "argmap");
  const args = config.get("server.args", ["lsp"]);
  const serverOptions = { command, args, transport: TransportKind.stdio };
  const clientOptions = {
    documentSelector: [{ scheme: "file", language: "argmap" }],
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher("**/*.argmap") },
  };
  client = new LanguageClient("argmap", "argmap language server", serverOptions, clientOptions);
  client.start().catch((err) => {
    vscode.window.showErrorMessage(
      `argmap: could not start \`${command} ${args.join(" ")}\` (${err.message || err}). ` +
      "Install it with pip install 'argmap[lsp]', or set argmap.server.command."
    );
  });
  context.subscriptions.push({ dispose: () => client && client.stop() });
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
