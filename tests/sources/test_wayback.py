"""The Wayback Machine source against a loopback stand-in of the CDX API and the capture server.

The captures are our own test pages in thaigov's real markup (tests/fixtures/thaigov).
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from smartcity.sources import wayback
from smartcity.sources.config import ConfigError, SourceConfig
from smartcity.sources.crawl import crawl
from smartcity.sources.parse import parse_all
from smartcity.sources.state import open_state

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "thaigov"
ORIGIN = "https://www.thaigov.go.th/news/contents/details/"
# original id -> (capture timestamp, fixture); 70003 has a second, later capture (collapsed away)
CAPTURES = {
    "70001": ("20230419010203", "details_both_dates.html"),
    "70002": ("20230704111111", "details_no_short_date.html"),
    "70003": ("20230413000000", "details_dates_differ.html"),
    "70009": ("20230501000000", "soft404.html"),
    "70010": ("20230502000000", None),  # listed, but the capture answers 404
}


class _Archive(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def _send(self, status: int, body: bytes, ctype: str = "text/html; charset=utf-8") -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        self.server.requests.append(self.path)
        parts = urlsplit(self.path)
        if parts.path == "/robots.txt":
            self._send(200, b"User-agent: *\nDisallow: /private/\n", "text/plain")
        elif parts.path == "/cdx/search/cdx":
            query = {k: v[0] for k, v in parse_qs(parts.query).items()}
            self.server.queries.append(query)
            rows = [["timestamp", "original", "digest"]]
            rows += [[ts, ORIGIN + i, f"D{i}"] for i, (ts, _) in sorted(CAPTURES.items())]
            # a listing page: not an article, so never fetched
            rows.append(["20230420000000", "https://www.thaigov.go.th/news/contents/index/5", "L"])
            # two pages: the first ends with a resume key, as the real API does with showResumeKey
            if "resumeKey" not in query:
                body = [*rows[:3], [], ["key-2"]]
            else:
                body = [rows[0], *rows[3:]]
            self._send(200, json.dumps(body).encode(), "application/json")
        elif parts.path.startswith("/web/"):
            stamp, _, original = parts.path.removeprefix("/web/").partition("id_/")
            page_id = original.rsplit("/", 1)[-1]
            entry = CAPTURES.get(page_id)
            if entry is None or entry[1] is None or entry[0] != stamp:
                self._send(404, b"not archived")
            else:
                self._send(200, (FIXTURES / entry[1]).read_bytes())
        else:
            self._send(404, b"nope")


@pytest.fixture
def archive_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Archive)
    server.daemon_threads = True
    server.requests, server.queries = [], []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def source(base: str, **kw) -> SourceConfig:
    settings = {
        "site": "wayback", "name": "thaigov-wayback", "target": "thaigov", "prefixes": [ORIGIN],
        "from_date": "2023", "to_date": "2023-12-31", "cdx_url": base + "/cdx/search/cdx",
        "capture_base": base + "/web", "delay": 0.0, "retries": 0, "allow_private_hosts": True,
    }
    return SourceConfig(**{**settings, **kw})


def test_parse_cdx_with_resume_key():
    content = json.dumps([["timestamp", "original"], ["20230101000000", "https://h/a"], [], ["k"]]).encode()
    captures, resume = wayback.parse_cdx(content)
    assert captures == [wayback.Capture("20230101000000", "https://h/a")] and resume == "k"
    assert captures[0].url("https://web.archive.org/web") == "https://web.archive.org/web/20230101000000id_/https://h/a"
    assert captures[0].captured_at == "2023-01-01T00:00:00+00:00"
    assert wayback.parse_cdx(b"") == ([], None)
    with pytest.raises(wayback.CdxError):
        wayback.parse_cdx(b"<html>busy</html>")


def test_config_needs_target_and_prefixes():
    with pytest.raises(ConfigError, match="target"):
        SourceConfig(site="wayback", prefixes=["x/"])
    with pytest.raises(ConfigError, match="prefixes"):
        SourceConfig(site="wayback", target="thaigov")
    assert source("http://127.0.0.1:1").enabled  # no authorisation: the Archive is asked, not thaigov
    assert source("http://127.0.0.1:1").to_date == "20231231"


def test_crawl_lists_fetches_and_parses_captures(archive_server, tmp_path):
    server, base = archive_server
    report = crawl([source(base)], tmp_path).as_dict()
    counts = report["sources"]["thaigov-wayback"]
    assert (counts["discovered"], counts["fetched"], counts["soft_404"], counts["failed"]) == (5, 3, 1, 1)
    assert report["balanced"]
    first, second = server.queries
    assert first["matchType"] == "prefix" and first["url"] == ORIGIN and first["output"] == "json"
    assert (first["from"], first["to"], first["collapse"], first["filter"]) == (
        "2023", "20231231", "urlkey", "statuscode:200")
    assert second["resumeKey"] == "key-2"
    assert all("id_/" in p for p in server.requests if p.startswith("/web/"))

    result = parse_all(tmp_path)
    by_url = {a.url: a for a in result.articles}
    article = by_url[ORIGIN + "70003"]
    assert article.article_id == "thaigov:70003" and article.source == "thaigov-wayback"
    assert article.published == "2023-04-12"  # the long date, parsed by the thaigov adapter
    assert article.fetched_at == "2023-04-13T00:00:00+00:00"  # the capture time
    state = open_state(tmp_path)
    try:
        page = state.get(ORIGIN + "70003")
        assert page.origin == f"{base}/web/20230413000000id_/{ORIGIN}70003" and page.site == "thaigov"
    finally:
        state.close()
    assert [q.url for q in result.quarantined] == [ORIGIN + "70010"]


def test_second_run_fetches_no_capture(archive_server, tmp_path):
    server, base = archive_server
    crawl([source(base)], tmp_path)
    server.requests.clear()
    report = crawl([source(base)], tmp_path).as_dict()
    assert report["fetched"] == 0 and report["balanced"]
    captures = [p for p in server.requests if p.startswith("/web/")]
    assert captures == [], captures  # known pages and the recent failure cost no request


def test_robots_of_the_archive_are_obeyed(archive_server, tmp_path):
    server, base = archive_server
    crawl([source(base, capture_base=base + "/private")], tmp_path)
    assert not any(p.startswith("/private/") for p in server.requests)
