"""The language server (`argmap lsp`): live diagnostics, hover, navigation, rename and completion.

Pure modules, testable without the protocol: ``positions`` (argmap columns ↔ LSP positions),
``index`` (where each id is declared and used, from the text), ``mapstate`` (the editor's texts →
the map and its diagnostics), ``hover`` and ``completion``. ``server`` wires them to pygls, which
is an optional dependency (``pip install 'argmap[lsp]'``): nothing here imports it but ``server``.
"""
