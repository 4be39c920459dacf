"""A loopback HTTP proxy in front of the real CKAN that answers 500 to the Nth API call.

Test infrastructure: it lets a test break a publish half-way through against the REAL CKAN.
``mode="before"`` fails without forwarding (CKAN never saw the call); ``mode="after"`` forwards
the call, lets CKAN commit it, and still answers 500 (the nastier case: a write that happened
but was reported as failed).
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import requests

_HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "content-encoding"}


class FaultyProxy:
    """``with FaultyProxy(upstream, fail_at=3) as proxy: ... proxy.url ...``"""

    def __init__(self, upstream: str, *, fail_at: int, mode: str = "before") -> None:
        self.upstream = upstream.rstrip("/")
        self.fail_at = fail_at
        self.mode = mode
        self.calls: list[str] = []
        self.failed: str | None = None
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> FaultyProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:  # keep test output quiet
                return

            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                with proxy._lock:
                    proxy.calls.append(self.path)
                    fail = len(proxy.calls) == proxy.fail_at
                if fail and proxy.mode == "before":
                    proxy.failed = self.path
                    return self._reply(500, b"<html>Internal Server Error (injected)</html>", "text/html")
                headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP_BY_HOP | {"host"}}
                upstream = requests.request(
                    self.command, proxy.upstream + self.path, data=body, headers=headers,
                    allow_redirects=False, timeout=60,
                )
                if fail:
                    proxy.failed = self.path
                    return self._reply(500, b"<html>Internal Server Error (injected)</html>", "text/html")
                self._reply(upstream.status_code, upstream.content, upstream.headers.get("Content-Type", ""))

            def _reply(self, status: int, body: bytes, ctype: str) -> None:
                self.send_response(status)
                if ctype:
                    self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = _serve
            do_POST = _serve

        return Handler
