"""A small LSP client for the tests: JSON-RPC 2.0 with Content-Length framing over a subprocess.

It speaks to `python -m argmap lsp` exactly as an editor does, so the tests see the real protocol
(framing, ids, notifications, server-to-client requests). Every wait has a hard timeout.
"""

from __future__ import annotations

import json
import queue
import subprocess
import sys
import threading
import time

TIMEOUT = 30.0


class LspClient:
    def __init__(self, cwd: str):
        self.proc = subprocess.Popen([sys.executable, "-m", "argmap", "lsp"], cwd=cwd,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.inbox: queue.Queue = queue.Queue()
        self.notifications: list[dict] = []
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()
        self.stderr: list[bytes] = []
        threading.Thread(target=lambda: self.stderr.extend(self.proc.stderr), daemon=True).start()

    def _read(self) -> None:
        out = self.proc.stdout
        while True:
            length = None
            while True:
                header = out.readline()
                if not header:
                    self.inbox.put(None)
                    return
                header = header.strip()
                if not header:
                    break
                name, _, value = header.partition(b":")
                if name.lower() == b"content-length":
                    length = int(value)
            self.inbox.put(json.loads(out.read(length)))

    def send(self, message: dict) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def notify(self, method: str, params: dict | None = None) -> None:
        self.send({"method": method, "params": params})

    def _next(self, deadline: float) -> dict:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("no message from the server in time; stderr:\n" + self.err())
        try:
            msg = self.inbox.get(timeout=remaining)
        except queue.Empty:
            raise TimeoutError("no message from the server in time; stderr:\n" + self.err()) from None
        if msg is None:
            raise EOFError("the server closed its output; stderr:\n" + self.err())
        if "method" in msg and "id" in msg:           # a request from the server: answer it
            self.send({"id": msg["id"], "result": None})
        elif "method" in msg:
            self.notifications.append(msg)
        return msg

    def request(self, method: str, params: dict | None = None, timeout: float = TIMEOUT):
        """Send a request and return its response message (with `result` or `error`)."""
        self.next_id += 1
        my_id = self.next_id
        self.send({"id": my_id, "method": method, "params": params})
        deadline = time.monotonic() + timeout
        while True:
            msg = self._next(deadline)
            if msg.get("id") == my_id and "method" not in msg:
                return msg

    def wait_for(self, predicate, timeout: float = TIMEOUT) -> dict:
        """The first notification (already received or coming) for which ``predicate`` holds."""
        seen = 0
        deadline = time.monotonic() + timeout
        while True:
            for note in self.notifications[seen:]:
                if predicate(note):
                    self.notifications.remove(note)
                    return note
            seen = len(self.notifications)
            self._next(deadline)

    def err(self) -> str:
        return b"".join(self.stderr).decode("utf-8", "replace")[-3000:]

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(timeout=10)
