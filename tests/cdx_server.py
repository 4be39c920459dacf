"""A loopback stand-in of the Wayback Machine: the CDX API (with ``from``/``to``, as the real one
filters them: inclusive, 14-digit prefixes) and the ``id_`` capture server.

The captures are our own test pages in thaigov's real markup (tests/fixtures/thaigov), captured on
the dates of ``CAPTURES``.  Every CDX query is kept in ``server.queries`` and every capture asked
for in ``server.captures_fetched``, so a test can say what a crawl asked for.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "thaigov"
ORIGIN = "https://www.thaigov.go.th/news/contents/details/"
# page id -> (capture timestamp, fixture): captures on 2025-09-30, 10-01 (two), 10-03
CAPTURES = {
    "80001": ("20250930235959", "details_both_dates.html"),
    "80002": ("20251001000000", "details_no_short_date.html"),
    "80003": ("20251001120000", "details_dates_differ.html"),
    "80004": ("20251003080000", "details_both_dates.html"),
}


def _bound(value: str | None, template: str) -> str | None:
    return None if not value else value[:14] + template[len(value[:14]):]


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def _send(self, status: int, body: bytes, ctype: str = "text/html; charset=utf-8") -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        parts = urlsplit(self.path)
        if parts.path == "/robots.txt":
            self._send(200, b"User-agent: *\nAllow: /\n", "text/plain")
        elif parts.path == "/cdx/search/cdx":
            query = {k: v[0] for k, v in parse_qs(parts.query).items()}
            self.server.queries.append(query)
            lo, hi = _bound(query.get("from"), "00000101000000"), _bound(query.get("to"), "99991231235959")
            rows = [["timestamp", "original", "digest"]]
            for page_id, (stamp, _) in sorted(CAPTURES.items()):
                if (lo is None or stamp >= lo) and (hi is None or stamp <= hi):
                    rows.append([stamp, ORIGIN + page_id, f"D{page_id}"])
            self._send(200, json.dumps(rows).encode(), "application/json")
        elif parts.path.startswith("/web/"):
            stamp, _, original = parts.path.removeprefix("/web/").partition("id_/")
            entry = CAPTURES.get(original.rsplit("/", 1)[-1])
            self.server.captures_fetched.append(original)
            if entry is None or entry[0] != stamp:
                self._send(404, b"not archived")
            else:
                self._send(200, (FIXTURES / entry[1]).read_bytes())
        else:
            self._send(404, b"nope")


class CdxServer:
    """Serves on 127.0.0.1 (a free port, or ``port``) in a thread until ``close()``."""

    def __init__(self, port: int = 0) -> None:
        self.server = ThreadingHTTPServer(("127.0.0.1", port), _Handler)
        self.server.daemon_threads = True
        self.server.queries, self.server.captures_fetched = [], []
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def queries(self) -> list[dict]:
        return self.server.queries

    @property
    def captures_fetched(self) -> list[str]:
        return self.server.captures_fetched

    def source(self, **kw) -> dict:
        """A wayback source entry (YAML-ready) reading this server."""
        return {"site": "wayback", "name": "thaigov-wayback", "target": "thaigov", "prefixes": [ORIGIN],
                "cdx_url": self.base + "/cdx/search/cdx", "capture_base": self.base + "/web",
                "delay": 0.0, "retries": 0, "allow_private_hosts": True, **kw}

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
