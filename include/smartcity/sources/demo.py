"""The demo snapshot server: the bundled ``demo_site/`` served on loopback (stdlib only).

Three sites live under path prefixes (``/thaigov/``, ``/depa/``, ``/sco/``).  Beyond static files
the server does what the real sites do and the tests need:

* a missing thaigov article id answers **200** with the soft-404 page (the title is exactly
  ``รัฐบาลไทย-ข่าวทำเนียบรัฐบาล-``), as the issue reports the real site does;
* every file has a strong ``ETag`` and a ``Last-Modified``; a matching ``If-None-Match`` or
  ``If-Modified-Since`` answers 304;
* a query string selects a variant file: ``listing?per_page=10`` -> ``listing@per_page=10.html``;
* requests are counted per path (``server.counts``), so a test can show that a re-run fetched no
  article page again.

``smartcity demo-serve [--port 8765]`` serves until interrupted.
"""

from __future__ import annotations

import argparse
import collections
import email.utils
import hashlib
import logging
import re
import sys
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

log = logging.getLogger(__name__)

SITE_ROOT = Path(__file__).resolve().parent / "demo_site"
# One fixed date: the snapshot does not change, so neither do its validators.
LAST_MODIFIED = "Mon, 12 Jan 2026 00:00:00 GMT"
_SOFT_404_PATHS = re.compile(r"^/thaigov/(?:news/contents/(?:ministry_)?details|(?:th|en)/news)/\d+$")
_TYPES = {".html": "text/html", ".xml": "application/xml; charset=utf-8", ".txt": "text/plain; charset=utf-8"}


def resolve(path: str, query: str, root: Path = SITE_ROOT) -> Path | None:
    """The file serving ``path`` + ``query``, or None.  Never leaves ``root``."""
    rel = unquote(path).lstrip("/")
    candidates: list[str] = []
    if rel == "" or rel.endswith("/"):
        candidates.append(rel + "index.html")
    elif Path(rel).suffix:
        candidates.append(rel)
    else:
        candidates += [rel + ".html", rel + "/index.html"]
    if query:
        candidates = [re.sub(r"(\.\w+)$", "@" + query.replace("/", "_") + r"\1", c) for c in candidates]
    base = root.resolve()
    for candidate in candidates:
        target = (base / candidate).resolve()
        if base in target.parents and target.is_file():
            return target
    return None


class DemoServer(ThreadingHTTPServer):
    """A ThreadingHTTPServer with a per-path request counter."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], root: Path = SITE_ROOT):
        super().__init__(address, _Handler)
        self.root = root
        self.counts: collections.Counter[str] = collections.Counter()
        self._count_lock = threading.Lock()

    def count(self, path: str) -> None:
        with self._count_lock:
            self.counts[path] += 1


class _Handler(BaseHTTPRequestHandler):
    server: DemoServer
    server_version = "smartcity-demo/1.0"

    def log_message(self, format: str, *args: object) -> None:
        log.debug("demo %s - " + format, self.address_string(), *args)

    def do_HEAD(self) -> None:
        self._serve(head=True)

    def do_GET(self) -> None:
        self._serve(head=False)

    def _serve(self, *, head: bool) -> None:
        parts = urlsplit(self.path)
        self.server.count(parts.path + (f"?{parts.query}" if parts.query else ""))
        target = resolve(parts.path, parts.query, self.server.root)
        status = HTTPStatus.OK
        if target is None and _SOFT_404_PATHS.match(parts.path):
            target = self.server.root / "thaigov" / "_soft404.html"  # HTTP 200, like the real site
        if target is None:
            self._send(HTTPStatus.NOT_FOUND, b"not found\n", "text/plain; charset=utf-8", None, head)
            return
        body = target.read_bytes()
        etag = '"' + hashlib.sha256(body).hexdigest()[:20] + '"'
        if self._not_modified(etag):
            self.send_response(HTTPStatus.NOT_MODIFIED)
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", LAST_MODIFIED)
            self.end_headers()
            return
        self._send(status, body, _TYPES.get(target.suffix, "application/octet-stream"), etag, head)

    def _not_modified(self, etag: str) -> bool:
        match = self.headers.get("If-None-Match")
        if match is not None:
            return etag in [m.strip() for m in match.split(",")] or match.strip() == "*"
        since = self.headers.get("If-Modified-Since")
        if since:
            try:
                return email.utils.parsedate_to_datetime(since) >= email.utils.parsedate_to_datetime(
                    LAST_MODIFIED
                )
            except (TypeError, ValueError):
                return False
        return False

    def _send(self, status: int, body: bytes, ctype: str, etag: str | None, head: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        if etag:
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", LAST_MODIFIED)
        self.end_headers()
        if not head:
            self.wfile.write(body)


def serve(host: str = "127.0.0.1", port: int = 0, root: Path = SITE_ROOT) -> tuple[DemoServer, str]:
    """Start the demo server in a daemon thread; returns ``(server, base_url)``.

    Stop it with ``server.shutdown(); server.server_close()``.  ``port=0`` picks a free port.
    """
    server = DemoServer((host, port), root)
    thread = threading.Thread(target=server.serve_forever, name="smartcity-demo", daemon=True)
    thread.start()
    base_url = f"http://{host}:{server.server_address[1]}"
    log.info("demo snapshot served at %s", base_url)
    return server, base_url


def main(argv: list[str]) -> int:
    """``smartcity demo-serve [--host H] [--port P]``: serve the demo snapshot until interrupted."""
    parser = argparse.ArgumentParser(prog="smartcity demo-serve")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args(argv)
    server = DemoServer((args.host, args.port))
    sys.stdout.write(f"serving the demo snapshot at http://{args.host}:{server.server_address[1]}/ "
                     "(thaigov/, depa/, sco/); Ctrl-C stops\n")
    sys.stdout.flush()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0
