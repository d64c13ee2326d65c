"""`argmap lsp`: the language server, wiring pygls to the pure modules of this package.

Threads: pygls runs handlers on one asyncio loop. All reading and solving goes through one worker
thread (``solver``), never two at once: a map's Z3 engine lives in one context that must not be
used from two threads (RELIABILITY.md §5), and one worker also keeps parsing off the typing path.

Diagnostics: a change waits ``SYNTAX_DELAY`` of quiet, then the map is read; with errors they are
published at once. Without, the solver's checks (inconsistency, failed `expect`) run after
``SEMANTIC_DELAY`` more, and everything is published together, so the editor never shows a flicker
of "no problems" between keystrokes. A newer change cancels the waiting one.
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from lsprotocol import types as t
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from argmap.errors import ArgmapError
from argmap.language.diagnostics import Diagnostic
from argmap.language.grammar import KEYWORDS
from argmap.lsp import completion as completion_mod
from argmap.lsp.hover import Facts, hover_markdown
from argmap.lsp.index import ID, FileIndex, MapIndex, Occurrence, index_file
from argmap.lsp.mapstate import (Reader, Reading, current_texts, map_dir, semantic_diagnostics, statuses,
                                 support_facts, workspace_map)
from argmap.lsp.positions import UTF8, UTF16, UTF32, diagnostic_range, from_lsp, to_lsp

SYNTAX_DELAY = 0.15      # seconds of quiet before a re-read (one keystroke is ~0.1-0.3 s apart)
SEMANTIC_DELAY = 0.3     # more quiet before the solver's checks
SUPPORTS_CAP = 100

log = logging.getLogger("argmap.lsp")

SYMBOL_KINDS = {"source": t.SymbolKind.Module, "assumption": t.SymbolKind.Constant,
                "claim": t.SymbolKind.Function, "proposal": t.SymbolKind.Class,
                "verdict": t.SymbolKind.Method, "conflict": t.SymbolKind.Operator,
                "worldview": t.SymbolKind.Namespace, "expect": t.SymbolKind.Event}
COMPLETION_KINDS = {"keyword": t.CompletionItemKind.Keyword, "assumption": t.CompletionItemKind.Constant,
                    "claim": t.CompletionItemKind.Function, "verdict": t.CompletionItemKind.Method,
                    "worldview": t.CompletionItemKind.Module, "source": t.CompletionItemKind.Reference,
                    "proposal": t.CompletionItemKind.Class, "conflict": t.CompletionItemKind.Operator}


class ArgmapServer(LanguageServer):
    def __init__(self, version: str):
        super().__init__("argmap", version, text_document_sync_kind=t.TextDocumentSyncKind.Incremental)
        self.reader = Reader()
        self.solver = ThreadPoolExecutor(max_workers=1, thread_name_prefix="argmap-solver")
        self.pending: dict[str, asyncio.Task] = {}          # map folder → its scheduled check
        self.readings: dict[str, Reading] = {}              # map folder → its latest reading
        self.published: dict[str, set[str]] = {}            # map folder → uris with diagnostics
        self._indexes: dict[str, tuple[str, FileIndex]] = {}
        self.options: dict = {}                             # the client's initializationOptions

    # ---- the map behind a document ----------------------------------------------------------
    @property
    def root(self) -> str | None:
        ws = self.workspace
        if ws.root_path:
            return ws.root_path
        folders = list(ws.folders.values())
        return to_fs_path(folders[0].uri) if folders else None

    @property
    def encoding(self) -> str:
        enc = str(self.workspace.position_encoding or "utf-16")
        return {"utf-8": UTF8, "utf-32": UTF32}.get(enc, UTF16)

    def open_texts(self) -> dict[str, str]:
        out = {}
        for uri, doc in self.workspace.text_documents.items():
            path = to_fs_path(uri)
            if path and path.endswith(".argmap"):
                out[str(Path(path).resolve())] = doc.source
        return out

    def folder_of(self, uri: str) -> str:
        return map_dir(self.root, str(Path(to_fs_path(uri)).resolve()))

    def texts(self, folder: str) -> dict[str, str]:
        return current_texts(folder, self.open_texts(), recursive=folder == workspace_map(self.root))

    def index(self, folder: str) -> MapIndex:
        files = {}
        for path, text in self.texts(folder).items():
            cached = self._indexes.get(path)
            if cached is None or cached[0] != text:
                cached = self._indexes[path] = (text, index_file(path, text))
            files[path] = cached[1]
        return MapIndex(files)

    async def run(self, fn, *args):
        return await asyncio.get_running_loop().run_in_executor(self.solver, fn, *args)

    async def reading(self, folder: str) -> Reading:
        reading = self.readings.get(folder)
        if reading is None:
            reading = self.readings[folder] = await self.run(self.reader.read, self.texts(folder))
        return reading

    # ---- diagnostics ------------------------------------------------------------------------
    def schedule(self, uri: str) -> None:
        self.schedule_folder(self.folder_of(uri))

    def schedule_folder(self, folder: str) -> None:
        old = self.pending.pop(folder, None)
        if old is not None:
            old.cancel()
        self.pending[folder] = asyncio.ensure_future(self._check(folder))

    async def _check(self, folder: str) -> None:
        try:
            await self._check_now(folder)
        except asyncio.CancelledError:
            raise
        except Exception as exc:        # a bug here must not silently stop the diagnostics
            log.exception("checking %s failed", folder)
            self.window_log_message(t.LogMessageParams(
                type=t.MessageType.Error, message=f"argmap: checking the map failed: {exc!r}"))

    async def _check_now(self, folder: str) -> None:
        await asyncio.sleep(SYNTAX_DELAY)
        reading = await self.run(self.reader.read, self.texts(folder))
        self.readings[folder] = reading
        if reading.has_errors:
            self.publish(folder, reading, [])
            return
        await asyncio.sleep(SEMANTIC_DELAY)
        try:
            # (the statuses hover shows are computed at the first hover, not here: on a 10k map
            # they took 85-115 ms of every edit before its diagnostics could be published)
            semantic = await self.run(semantic_diagnostics, reading)
        except ArgmapError as exc:          # e.g. the solver timed out: say so, keep the rest
            self.window_log_message(t.LogMessageParams(
                type=t.MessageType.Warning, message=f"argmap: the solver's checks did not finish: {exc}"))
            semantic = []
            reading.cache["statuses"] = {}  # hover says there is no status rather than wait again
        self.publish(folder, reading, semantic)

    def publish(self, folder: str, reading: Reading, semantic: list[Diagnostic]) -> None:
        by_file: dict[str, list[t.Diagnostic]] = {name: [] for name in reading.lines}
        for d in list(reading.diagnostics) + semantic:
            lines = reading.lines.get(d.file, [])
            by_file.setdefault(d.file, []).append(self.lsp_diagnostic(d, lines))
        uris = set()
        for name, diags in by_file.items():
            uri = from_fs_path(name)
            uris.add(uri)
            self.text_document_publish_diagnostics(t.PublishDiagnosticsParams(uri=uri, diagnostics=diags))
        for uri in self.published.get(folder, set()) - uris:      # files that left the map
            self.text_document_publish_diagnostics(t.PublishDiagnosticsParams(uri=uri, diagnostics=[]))
        self.published[folder] = uris

    def lsp_diagnostic(self, d: Diagnostic, lines: list[str]) -> t.Diagnostic:
        start, end = diagnostic_range(lines, d.line, d.column, self.encoding)
        rng = t.Range(start=t.Position(*start), end=t.Position(*end))
        message, related = d.message, None
        if d.hint:
            if self._client_shows_related():
                related = [t.DiagnosticRelatedInformation(
                    location=t.Location(uri=from_fs_path(d.file), range=rng), message=f"hint: {d.hint}")]
            else:
                message = f"{d.message}\nhint: {d.hint}"
        severity = t.DiagnosticSeverity.Error if d.severity == "error" else t.DiagnosticSeverity.Warning
        return t.Diagnostic(range=rng, message=message, severity=severity, code=d.code, source="argmap",
                            related_information=related, data={"hint": d.hint} if d.hint else None)

    def _client_shows_related(self) -> bool:
        if self.options.get("hintsInMessage"):
            return False            # a client that takes related information but does not show it
        caps = self.client_capabilities
        pub = caps.text_document and caps.text_document.publish_diagnostics
        return bool(pub and pub.related_information)

    # ---- positions ----------------------------------------------------------------------------
    def line_text(self, uri: str, row: int) -> str:
        lines = self.workspace.get_text_document(uri).lines
        return lines[row].rstrip("\r\n") if 0 <= row < len(lines) else ""

    def lsp_range(self, occ: Occurrence, lines: dict[str, list[str]], end: int | None = None) -> t.Range:
        text = lines[occ.file][occ.line] if occ.line < len(lines[occ.file]) else ""
        return t.Range(start=t.Position(occ.line, to_lsp(text, occ.start, self.encoding)),
                       end=t.Position(occ.line, to_lsp(text, occ.end if end is None else end, self.encoding)))

    def lines(self, folder: str) -> dict[str, list[str]]:
        return {p: text.split("\n") for p, text in self.texts(folder).items()}

    def occurrence(self, uri: str, pos: t.Position) -> tuple[str, MapIndex, Occurrence | None]:
        folder = self.folder_of(uri)
        idx = self.index(folder)
        path = str(Path(to_fs_path(uri)).resolve())
        column = from_lsp(self.line_text(uri, pos.line), pos.character, self.encoding)
        fi = idx.files.get(path)
        return folder, idx, fi.at(pos.line, column) if fi else None

    def location(self, occ: Occurrence, lines, end: int | None = None) -> t.Location:
        return t.Location(uri=from_fs_path(occ.file), range=self.lsp_range(occ, lines, end))

    # ---- hover facts ----------------------------------------------------------------------------
    async def facts_for(self, folder: str, reading: Reading, name: str) -> Facts:
        if reading.has_errors:
            return Facts(why_missing="none while the map has errors")
        if name not in reading.amap.claims and name not in reading.amap.verdicts:
            return Facts()
        key = ("facts", name)
        if key not in reading.cache:
            found = reading.cache.get("statuses")
            if found is None:
                try:
                    found = await self.run(statuses, reading)
                except ArgmapError:         # inconclusive: hover shows no status
                    found = {}
                reading.cache["statuses"] = found
            status = found.get(name)
            count, capped, needs, needs_capped = None, False, None, False
            if status in ("holds", "open", "fails"):
                try:
                    count, capped, needs, needs_capped = await self.run(support_facts, reading, name, SUPPORTS_CAP)
                except ArgmapError:         # inconclusive: the status stands, the rest is unknown
                    pass
            reading.cache[key] = Facts(status=status, supports=count, supports_capped=capped,
                                       needs=tuple(needs) if needs is not None else None,
                                       needs_capped=needs_capped)
        return reading.cache[key]


def create_server(version: str = "0") -> ArgmapServer:
    server = ArgmapServer(version)

    @server.feature(t.INITIALIZE)
    def initialize(ls: ArgmapServer, params: t.InitializeParams):
        options = params.initialization_options
        ls.options = options if isinstance(options, dict) else {}

    @server.feature(t.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: ArgmapServer, params: t.DidOpenTextDocumentParams):
        ls.schedule(params.text_document.uri)

    @server.feature(t.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: ArgmapServer, params: t.DidChangeTextDocumentParams):
        ls.schedule(params.text_document.uri)

    @server.feature(t.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: ArgmapServer, params: t.DidSaveTextDocumentParams):
        ls.schedule(params.text_document.uri)

    @server.feature(t.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: ArgmapServer, params: t.DidCloseTextDocumentParams):
        ls.schedule(params.text_document.uri)      # the file on disk counts again

    @server.feature(t.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def watched_files(ls: ArgmapServer, params: t.DidChangeWatchedFilesParams):
        # a file saved, created or deleted outside the editor (git checkout, another program)
        for folder in {ls.folder_of(change.uri) for change in params.changes if change.uri.endswith(".argmap")}:
            ls.schedule_folder(folder)

    @server.feature(t.TEXT_DOCUMENT_HOVER)
    async def hover(ls: ArgmapServer, params: t.HoverParams):
        folder, idx, occ = ls.occurrence(params.text_document.uri, params.position)
        if occ is None:
            return None
        reading = await ls.reading(folder)
        text = hover_markdown(reading.amap, occ.name, await ls.facts_for(folder, reading, occ.name))
        if text is None:
            text = f"`{occ.name}` is not declared in this map"
        return t.Hover(contents=t.MarkupContent(kind=t.MarkupKind.Markdown, value=text),
                       range=ls.lsp_range(occ, ls.lines(folder)))

    @server.feature(t.TEXT_DOCUMENT_DEFINITION)
    def definition(ls: ArgmapServer, params: t.DefinitionParams):
        folder, idx, occ = ls.occurrence(params.text_document.uri, params.position)
        if occ is None:
            return None
        lines = ls.lines(folder)
        return [ls.location(d, lines) for d in idx.declarations(occ.name)] or None

    @server.feature(t.TEXT_DOCUMENT_REFERENCES)
    def references(ls: ArgmapServer, params: t.ReferenceParams):
        folder, idx, occ = ls.occurrence(params.text_document.uri, params.position)
        if occ is None:
            return None
        lines = ls.lines(folder)
        return [ls.location(o, lines) for o in idx.references(occ.name, params.context.include_declaration)]

    @server.feature(t.TEXT_DOCUMENT_PREPARE_RENAME)
    def prepare_rename(ls: ArgmapServer, params: t.PrepareRenameParams):
        folder, idx, occ = ls.occurrence(params.text_document.uri, params.position)
        if occ is None:
            return None
        target = idx.rename_target(occ)
        return t.PrepareRenamePlaceholder(range=ls.lsp_range(occ, ls.lines(folder), occ.proposal_end),
                                          placeholder=target)

    @server.feature(t.TEXT_DOCUMENT_RENAME)
    def rename(ls: ArgmapServer, params: t.RenameParams):
        folder, idx, occ = ls.occurrence(params.text_document.uri, params.position)
        if occ is None:
            return None
        target = idx.rename_target(occ)
        new = params.new_name.strip()
        if "." in new and "." in occ.name:
            new = new.split(".", 1)[0]          # `q.inner` typed over `p.inner` renames p to q
        problem = rename_problem(target, new, idx.declared_names())
        if problem:
            raise ValueError(problem)
        lines = ls.lines(folder)
        changes: dict[str, list[t.TextEdit]] = {}
        for o in idx.references(target):
            changes.setdefault(from_fs_path(o.file), []).append(
                t.TextEdit(range=ls.lsp_range(o, lines), new_text=new))
        return t.WorkspaceEdit(changes=changes)

    @server.feature(t.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    def document_symbol(ls: ArgmapServer, params: t.DocumentSymbolParams):
        uri = params.text_document.uri
        folder = ls.folder_of(uri)
        path = str(Path(to_fs_path(uri)).resolve())
        fi = ls.index(folder).files.get(path)
        if fi is None:
            return []
        lines = {path: ls.workspace.get_text_document(uri).source.split("\n")}
        out = []
        for st in fi.statements:
            last = lines[path][st.last_line] if st.last_line < len(lines[path]) else ""
            whole = t.Range(start=t.Position(st.first_line, 0),
                            end=t.Position(st.last_line, to_lsp(last, len(last), ls.encoding)))
            if st.id_occurrence is not None:
                name, selection = st.name, ls.lsp_range(st.id_occurrence, lines)
            else:                       # an expect: named by what it says
                head = lines[path][st.first_line]
                name = head.split("#", 1)[0].strip()
                selection = t.Range(start=t.Position(st.first_line, 0),
                                    end=t.Position(st.first_line, to_lsp(head, len(st.keyword), ls.encoding)))
            children = [t.DocumentSymbol(name=c.name, kind=SYMBOL_KINDS["verdict"],
                                         range=ls.lsp_range(c, lines), selection_range=ls.lsp_range(c, lines))
                        for c in st.children]
            out.append(t.DocumentSymbol(name=name or st.keyword, kind=SYMBOL_KINDS.get(st.keyword, t.SymbolKind.Object),
                                        detail=st.keyword, range=whole, selection_range=selection,
                                        children=children or None))
        return out

    @server.feature(t.TEXT_DOCUMENT_COMPLETION,
                    t.CompletionOptions(trigger_characters=["."]))
    def completion(ls: ArgmapServer, params: t.CompletionParams):
        uri = params.text_document.uri
        folder = ls.folder_of(uri)
        idx = ls.index(folder)
        path = str(Path(to_fs_path(uri)).resolve())
        row = params.position.line
        line = ls.line_text(uri, row)
        col = from_lsp(line, params.position.character, ls.encoding)
        fi = idx.files.get(path)
        keyword = ""
        if fi is not None:
            keyword = next((s.keyword for s in reversed(fi.statements) if s.first_line <= row), "")
        declared = idx.declared_names()
        reading = ls.readings.get(folder)
        texts = {}
        if reading is not None:
            texts = {n: reading.amap.text_of(n) for n in declared if reading.amap.kind_of(n)}
        start, found = completion_mod.completions(line[:col], keyword, declared, texts)
        rng = t.Range(start=t.Position(row, to_lsp(line, start, ls.encoding)), end=params.position)
        items = [t.CompletionItem(label=c.label, kind=COMPLETION_KINDS.get(c.kind), detail=c.detail or c.kind,
                                  text_edit=t.TextEdit(range=rng, new_text=c.label)) for c in found]
        return t.CompletionList(is_incomplete=False, items=items)

    return server


def rename_problem(old: str, new: str, declared: dict[str, str]) -> str | None:
    """Why ``old`` cannot be renamed to ``new`` (None when it can).

    >>> rename_problem("a", "B", {}), rename_problem("a", "not", {}), rename_problem("a", "c", {"c": "claim"})
    ('`B` is not an id: lower-case ASCII letters, digits and `_`, starting with a letter', '`not` is a keyword', '`c` is already declared (a claim)')
    """
    if not ID.match(new):
        return f"`{new}` is not an id: lower-case ASCII letters, digits and `_`, starting with a letter"
    if new in KEYWORDS:
        return f"`{new}` is a keyword"
    if new != old and new in declared:
        return f"`{new}` is already declared (a {declared[new]})"
    return None


def serve(version: str = "0") -> None:
    """Speak LSP on stdin/stdout until the client says `exit`."""
    create_server(version).start_io()
