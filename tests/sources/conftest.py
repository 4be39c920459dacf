"""Fixtures: a local HTTP server (stdlib, in a thread) and the demo snapshot server."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from smartcity.sources import demo

TIS_TEXT = "เมืองอัจฉริยะ 36 เมือง"


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):  # keep test output quiet
        pass

    def _send(self, status, body=b"", headers=None):
        self.send_response(status)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        if "Content-Length" not in (headers or {}):
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        hits = self.server.hits
        hits[self.path] = hits.get(self.path, 0) + 1
        n = hits[self.path]
        p = self.path
        if p == "/robots.txt":
            robots = b"User-agent: *\nDisallow: /private\nDisallow: /*.pdf$\n"
            self._send(200, robots, {"Content-Type": "text/plain"})
        elif p == "/ok":
            self._send(200, "<p>สวัสดี</p>".encode(), {"Content-Type": "text/html; charset=utf-8"})
        elif p == "/429":
            if n == 1:
                self._send(429, b"slow down", {"Retry-After": "3"})
            else:
                self._send(200, b"<p>now fine</p>", {"Content-Type": "text/html"})
        elif p == "/500":
            self._send(500, b"boom")
        elif p == "/503-once":
            if n == 1:
                self._send(503, b"busy")
            else:
                self._send(200, b"<p>recovered</p>")
        elif p == "/slow":
            time.sleep(1.5)
            self._send(200, b"late")
        elif p == "/redirect-out":
            self._send(302, b"", {"Location": "http://example.org/elsewhere"})
        elif p == "/redirect-in":
            self._send(301, b"", {"Location": "/ok"})
        elif p == "/redirect-loop":
            self._send(302, b"", {"Location": "/redirect-loop"})
        elif p == "/big":
            self._send(200, b"x" * 200_000, {"Content-Type": "text/html"})
        elif p == "/big-chunked":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()  # no Content-Length: the cap must hold while streaming
            for _ in range(50):
                self.wfile.write(b"y" * 10_000)
            self.close_connection = True
        elif p == "/tis":
            self._send(
                200, f"<p>{TIS_TEXT}</p>".encode("cp874"), {"Content-Type": "text/html; charset=TIS-620"}
            )
        elif p == "/tis-meta":
            body = f'<html><head><meta charset="tis-620"></head><body><p>{TIS_TEXT}</p></body></html>'
            self._send(200, body.encode("cp874"), {"Content-Type": "text/html"})
        elif p == "/etag":
            if self.headers.get("If-None-Match") == '"v1"':
                self.send_response(304)
                self.send_header("ETag", '"v1"')
                self.end_headers()
            else:
                self._send(
                    200, b"<p>tagged</p>", {"ETag": '"v1"', "Last-Modified": "Mon, 12 Jan 2026 00:00:00 GMT"}
                )
        elif p == "/truncated":
            self.send_response(200)
            self.send_header("Content-Length", "1000")
            self.end_headers()
            self.wfile.write(b"<p>only part")
            self.close_connection = True
        elif p == "/private/page":
            self._send(200, b"secret")
        else:
            self._send(404, b"nope")


@pytest.fixture
def http_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    server.hits = {}
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def demo_server():
    server, base_url = demo.serve()
    yield server, base_url
    server.shutdown()
    server.server_close()
