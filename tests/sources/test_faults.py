"""Source faults against a local fault server on loopback.

One table, ``FAULTS``: each row is a misbehaving article page of a depa-like site, what the server
does, what the fetcher must raise (or return), and how many requests the server must see.  The
same rows are checked twice:

* ``test_fetch_fault``: one ``Fetcher.fetch`` per row (typed error, request count);
* ``test_crawl_accounts_for_every_url``: one crawl over a listing that links to every row; every
  URL is accounted for (discovered = fetched + unchanged + failed + soft_404, disallowed apart),
  no page is requested more often than its row says, ``parse_all`` quarantines every failure with
  its reason, and a second crawl requests no article page at all.

Faults already covered one by one in ``test_fetch.py`` (429 with Retry-After, 500s, slow headers,
redirect loop and to another host, oversize, truncated, TIS-620 labels) are rows here too, so that
the crawl's accounting is checked with them; the rest is new.  The private-address guard is on in
the crawl: the fault server's own address (``127.0.0.1``) stands in for a public site, while
``localhost`` (a *name* that resolves to 127.0.0.1) and ``10.0.0.1`` are refused.
"""

from __future__ import annotations

import gzip
import socket
import struct
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from smartcity.sources import fetch as fetch_module
from smartcity.sources.config import SourceConfig
from smartcity.sources.crawl import crawl
from smartcity.sources.fetch import (
    Fetcher,
    FetchPolicy,
    FetchTimeout,
    HostNotAllowed,
    HttpStatusError,
    NetworkError,
    PrivateAddressError,
    RobotsDisallowed,
    TooLarge,
    TooManyRedirects,
    TruncatedBody,
    is_private_host,
)
from smartcity.sources.parse import parse_all

TITLE = "เมืองอัจฉริยะ 36 เมือง"
PAGE = (f'<html><head><meta charset="{{charset}}"><title>{TITLE}</title></head><body>'
        f'<h1 class="article-title">{TITLE}</h1><div class="article-content">'
        + f'<p>{TITLE} ใน 25 จังหวัด ประกาศโดยสำนักงานส่งเสริมเศรษฐกิจดิจิทัล</p>' * 4
        + '</div></body></html>')
MAX_BYTES = 100_000
READ_TIMEOUT = 0.4
RETRIES = 1
MAX_REDIRECTS = 3


def page(charset: str = "utf-8", encoding: str = "utf-8", meta: bool = True) -> bytes:
    html = PAGE.format(charset=charset)
    if not meta:
        html = html.replace(f'<meta charset="{charset}">', "")
    return html.encode(encoding)


# --------------------------------------------------------------------------- the fault server


def _send(h: BaseHTTPRequestHandler, status: int, body: bytes = b"", headers: dict | None = None) -> None:
    h.send_response(status)
    headers = dict(headers or {})
    headers.setdefault("Content-Length", str(len(body)))
    for key, value in headers.items():
        h.send_header(key, value)
    h.end_headers()
    h.wfile.write(body)


def _reset(h: BaseHTTPRequestHandler) -> None:
    """Close with a TCP RST (SO_LINGER 0), not a clean FIN."""
    h.wfile.flush()
    h.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    h.connection.close()
    h.close_connection = True


def _ok(h, n):
    _send(h, 200, page(), {"Content-Type": "text/html; charset=utf-8"})


def _429_retry_after(h, n):
    if n == 1:
        _send(h, 429, b"slow down", {"Retry-After": "7"})
    else:
        _ok(h, n)


def _503_always(h, n):
    _send(h, 503, b"busy")


def _502_once(h, n):
    _send(h, 502, b"bad gateway") if n == 1 else _ok(h, n)


def _slow_headers(h, n):
    time.sleep(READ_TIMEOUT * 3)
    _ok(h, n)


def _stall_mid_body(h, n):
    body = page()
    h.send_response(200)
    h.send_header("Content-Length", str(len(body)))
    h.end_headers()
    h.wfile.write(body[:50])
    h.wfile.flush()
    time.sleep(READ_TIMEOUT * 3)
    h.close_connection = True


def _reset_before_response(h, n):
    _reset(h)


def _reset_mid_body(h, n):
    body = page()
    h.send_response(200)
    h.send_header("Content-Length", str(len(body)))
    h.end_headers()
    h.wfile.write(body[:50])
    _reset(h)


def _truncated(h, n):
    h.send_response(200)
    h.send_header("Content-Length", "5000")
    h.end_headers()
    h.wfile.write(page()[:100])
    h.close_connection = True


def _wrong_charset_header(h, n):  # says UTF-8 in the header, is TIS-620 (no meta)
    _send(h, 200, page(encoding="cp874", meta=False), {"Content-Type": "text/html; charset=utf-8"})


def _wrong_charset_meta(h, n):  # says UTF-8 in the header and the meta tag, is TIS-620
    _send(h, 200, page("utf-8", "cp874"), {"Content-Type": "text/html; charset=utf-8"})


def _latin1_header_utf8_body(h, n):  # Apache's default ISO-8859-1 over a UTF-8 page without meta
    _send(h, 200, page(meta=False), {"Content-Type": "text/html; charset=ISO-8859-1"})


def _missing_charset(h, n):  # TIS-620, no label anywhere
    _send(h, 200, page(encoding="cp874", meta=False), {"Content-Type": "text/html"})


def _bogus_charset(h, n):
    _send(h, 200, page("x-bogus"), {"Content-Type": "text/html; charset=also-bogus"})


def _redirect(location):
    def respond(h, n):
        _send(h, 302, b"", {"Location": location.format(port=h.server.server_address[1])})
    return respond


def _gzip_bomb(h, n):
    _send(h, 200, GZIP_BOMB, {"Content-Type": "text/html", "Content-Encoding": "gzip"})


def _oversize_chunked(h, n):
    h.send_response(200)
    h.send_header("Content-Type", "text/html")
    h.send_header("Transfer-Encoding", "chunked")
    h.end_headers()
    chunk = b"<p>" + b"x" * 8000 + b"</p>"
    for _ in range(MAX_BYTES // len(chunk) + 5):
        h.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
    h.wfile.write(b"0\r\n\r\n")


def _not_found(h, n):
    _send(h, 404, b"<p>not here</p>")


GZIP_BOMB = gzip.compress(b"\0" * 50_000_000, compresslevel=9)  # ~50 kB that inflate to 50 MB


@dataclass(frozen=True)
class Fault:
    respond: object  # (handler, n-th request of this path) -> None
    outcome: str  # crawl outcome: fetched | failed | disallowed
    requests: int  # requests the server must see for this page in one crawl (retries included)
    error: type | None = None  # what Fetcher.fetch raises; None: the page, whose text reads TITLE


FAULTS: dict[str, Fault] = {
    "ok": Fault(_ok, "fetched", 1),
    "429-retry-after": Fault(_429_retry_after, "fetched", 2),
    "503-always": Fault(_503_always, "failed", 1 + RETRIES, HttpStatusError),
    "502-once": Fault(_502_once, "fetched", 2),
    "404": Fault(_not_found, "failed", 1, HttpStatusError),
    "timeout-headers": Fault(_slow_headers, "failed", 1 + RETRIES, FetchTimeout),
    "timeout-mid-body": Fault(_stall_mid_body, "failed", 1, FetchTimeout),
    "reset-before-response": Fault(_reset_before_response, "failed", 1 + RETRIES, NetworkError),
    "reset-mid-body": Fault(_reset_mid_body, "failed", 1, TruncatedBody),
    "truncated-body": Fault(_truncated, "failed", 1, TruncatedBody),
    "wrong-charset-header": Fault(_wrong_charset_header, "fetched", 1),
    "wrong-charset-meta": Fault(_wrong_charset_meta, "fetched", 1),
    "latin1-header-utf8-body": Fault(_latin1_header_utf8_body, "fetched", 1),
    "missing-charset": Fault(_missing_charset, "fetched", 1),
    "bogus-charset": Fault(_bogus_charset, "fetched", 1),
    "redirect-loop": Fault(_redirect("/th/article-view/redirect-loop"), "failed", 1 + MAX_REDIRECTS,
                           TooManyRedirects),
    "redirect-other-host": Fault(_redirect("http://example.org/th/article-view/x"), "failed", 1,
                                 HostNotAllowed),
    "redirect-private-ip": Fault(_redirect("http://10.0.0.1/th/article-view/x"), "failed", 1,
                                 PrivateAddressError),
    "redirect-name-to-loopback": Fault(_redirect("http://localhost:{port}/th/article-view/ok"), "failed", 1,
                                       PrivateAddressError),
    "redirect-to-robots-disallowed": Fault(_redirect("/th/article-view/private-page"), "failed", 1,
                                           RobotsDisallowed),
    "gzip-bomb": Fault(_gzip_bomb, "failed", 1, TooLarge),
    "oversize-chunked": Fault(_oversize_chunked, "failed", 1, TooLarge),
    # robots.txt: Disallow: /th/article-view/private
    "private-page": Fault(_ok, "disallowed", 0, RobotsDisallowed),
}
ROBOTS = b"User-agent: *\nDisallow: /th/article-view/private\n"


class _FaultHandler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        server = self.server
        with server.lock:
            server.hits[self.path] = server.hits.get(self.path, 0) + 1
            n = server.hits[self.path]
        if self.path == "/robots.txt":
            _send(self, 200, server.robots, {"Content-Type": "text/plain"})
        elif self.path == "/th/article":
            links = "".join(f'<a href="/th/article-view/{name}">{name}</a>' for name in server.listed)
            _send(self, 200, f'<div class="article-list">{links}</div>'.encode(),
                  {"Content-Type": "text/html; charset=utf-8"})
        elif self.path.startswith("/th/article-view/") and self.path.rsplit("/", 1)[1] in FAULTS:
            FAULTS[self.path.rsplit("/", 1)[1]].respond(self, n)
        else:
            _not_found(self, n)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):  # resets and stalls are the point: stay quiet
        pass


@pytest.fixture
def fault_server():
    server = _Server(("127.0.0.1", 0), _FaultHandler)
    server.hits, server.lock, server.robots, server.listed = {}, threading.Lock(), ROBOTS, list(FAULTS)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield server, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def guard_on(monkeypatch):
    """The private-address guard on, with the fault server's literal 127.0.0.1 as a 'public' host."""
    monkeypatch.setattr(fetch_module, "is_private_host", lambda host: host != "127.0.0.1"
                        and is_private_host(host))


class FakeSleep:
    def __init__(self):
        self.calls: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)


def fetcher(sleep=None) -> Fetcher:
    policy = FetchPolicy(
        delay=0.0, read_timeout=READ_TIMEOUT, max_bytes=MAX_BYTES, retries=RETRIES, backoff=0.01,
        max_redirects=MAX_REDIRECTS, allowed_hosts=frozenset({"127.0.0.1", "localhost", "10.0.0.1"}),
        allow_private_hosts=False,
    )
    return Fetcher(policy, sleep=sleep or FakeSleep())


def article(name: str) -> str:
    return f"/th/article-view/{name}"


# --------------------------------------------------------------------------- one fetch per fault


@pytest.mark.parametrize("name", list(FAULTS))
def test_fetch_fault(fault_server, guard_on, name):
    server, base = fault_server
    fault = FAULTS[name]
    sleep = FakeSleep()
    f = fetcher(sleep)
    if fault.error is None:
        result = f.fetch(base + article(name))
        assert result.status == 200 and TITLE in result.text()
    else:
        with pytest.raises(fault.error) as info:
            f.fetch(base + article(name))
        assert len(info.value.content) <= MAX_BYTES  # never more than the cap is held
    assert server.hits.get(article(name), 0) == fault.requests, server.hits
    assert f.requests_made == fault.requests + 1  # + robots.txt: the fetcher counts what the server saw
    if name == "429-retry-after":
        assert 7.0 in sleep.calls  # the server's Retry-After, not the 0.01 s back-off


# --------------------------------------------------------------------------- one crawl over every fault


def depa_source(base: str) -> SourceConfig:
    return SourceConfig(site="depa", listings=[base + "/th/article"], delay=0.0)


def test_crawl_accounts_for_every_url(fault_server, guard_on, tmp_path):
    server, base = fault_server
    report = crawl([depa_source(base)], tmp_path, fetcher=fetcher()).as_dict()
    counts = report["sources"]["depa"]

    outcomes = [fault.outcome for fault in FAULTS.values()]
    assert report["balanced"]
    assert counts["discovered"] + counts["disallowed"] == len(FAULTS)  # nothing dropped
    assert counts["discovered"] == (counts["fetched"] + counts["unchanged"] + counts["failed"]
                                    + counts["soft_404"])
    assert (counts["fetched"], counts["failed"], counts["disallowed"]) == (
        outcomes.count("fetched"), outcomes.count("failed"), outcomes.count("disallowed"))
    # nothing fetched twice: each page exactly as often as its row says (retries are the row's)
    assert {name: server.hits.get(article(name), 0) for name in FAULTS} == \
        {name: fault.requests for name, fault in FAULTS.items()}
    assert server.hits["/robots.txt"] == 1 and server.hits["/th/article"] == 1
    assert server.hits.get(article("private-page"), 0) == 0

    # every failure is quarantined with its reason; every fetched page parses, Thai intact
    result = parse_all(tmp_path)
    titles = {a.url.removeprefix(base): a.title for a in result.articles}
    quarantined = {q.url.removeprefix(base): q for q in result.quarantined}
    for name, fault in FAULTS.items():
        if fault.outcome == "fetched":
            assert titles[article(name)] == TITLE, (name, titles[article(name)])
        elif fault.outcome == "failed":
            assert quarantined[article(name)].stage == "fetch" and quarantined[article(name)].reason, name
    assert len(titles) + len(quarantined) == counts["discovered"]

    # a second crawl: fetched pages are known, failed ones wait out their back-off: no page request
    server.hits.clear()
    again = crawl([depa_source(base)], tmp_path, fetcher=fetcher()).as_dict()["sources"]["depa"]
    assert not any(path.startswith("/th/article-view/") for path in server.hits), server.hits
    assert (again["fetched"], again["failed"]) == (0, outcomes.count("failed"))
    assert again["discovered"] == again["unchanged"] + again["failed"] + again["soft_404"]


def test_robots_that_disallows_mid_crawl(fault_server, guard_on, tmp_path):
    """robots.txt is read once per host and crawl (RFC 9309 allows a day's cache): a Disallow that
    appears mid-crawl holds from the next crawl, which then requests none of those pages and counts
    them as disallowed, not as discovered, failed or dropped."""
    server, base = fault_server
    server.listed = ["ok", "502-once", "wrong-charset-meta"]

    original = FAULTS["ok"].respond

    def flip_robots_after_first_page(h, n):
        server.robots = b"User-agent: *\nDisallow: /th/article-view/\n"
        original(h, n)

    FAULTS["ok"] = Fault(flip_robots_after_first_page, "fetched", 1)
    try:
        first = crawl([depa_source(base)], tmp_path, fetcher=fetcher()).as_dict()["sources"]["depa"]
    finally:
        FAULTS["ok"] = Fault(original, "fetched", 1)
    assert (first["discovered"], first["fetched"], first["disallowed"]) == (3, 3, 0)
    assert server.hits[article("502-once")] == 2 and server.hits["/robots.txt"] == 1

    server.hits.clear()
    server.listed.append("404")  # a new page, under the new Disallow too
    second = crawl([depa_source(base)], tmp_path, fetcher=fetcher()).as_dict()["sources"]["depa"]
    assert second["disallowed"] == 4 and second["discovered"] == 0
    assert not any(path.startswith("/th/article-view/") for path in server.hits), server.hits
    assert len(parse_all(tmp_path).articles) == 3  # what was archived before stays


# --------------------------------------------------------------------------- the SSRF guard itself


def _resolving_to(*addresses):
    def getaddrinfo(host, *args, **kwargs):
        return [(socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, 0))
                for a in addresses]
    return getaddrinfo


@pytest.mark.parametrize(
    ("addresses", "private"),
    [
        (["93.184.215.14"], False),  # public
        (["10.1.2.3"], True),
        (["192.168.0.7"], True),
        (["172.16.5.5"], True),
        (["127.0.0.53"], True),
        (["169.254.169.254"], True),  # cloud metadata (link-local)
        (["100.64.0.1"], True),  # shared address space (carrier-grade NAT): not public
        (["0.0.0.0"], True),
        (["::1"], True),
        (["fe80::1"], True),
        (["fd00::1"], True),  # unique local
        (["::ffff:127.0.0.1"], True),  # IPv4-mapped loopback
        (["93.184.215.14", "10.0.0.1"], True),  # one private answer is enough
        (["2606:2800:220:1:248:1893:25c8:1946"], False),
    ],
)
def test_private_host_guard_on_what_a_name_resolves_to(monkeypatch, addresses, private):
    monkeypatch.setattr(socket, "getaddrinfo", _resolving_to(*addresses))
    assert is_private_host("news.example.go.th") is private


@pytest.mark.parametrize(
    ("content", "content_type", "expected"),
    [
        (("<p>" + TITLE * 50).encode() + b"\xff</p>",
         "text/html; charset=utf-8", "utf-8"),  # a stray byte in a UTF-8 page: the label holds
        (f"<p>{TITLE}</p>".encode("cp874"), "text/html; charset=utf-8", "cp874"),
        (f"<p>{TITLE}</p>".encode(), "text/html; charset=iso-8859-1", "utf-8"),
        (f"<p>{TITLE}</p>".encode(), "text/html; charset=tis-620", "utf-8"),
        (b"<p>plain ascii</p>", "text/html; charset=iso-8859-1", "iso-8859-1"),
        ("<p>caf\xe9</p>".encode("latin-1"), "text/html; charset=iso-8859-1", "iso-8859-1"),
    ],
)
def test_a_charset_label_the_bytes_contradict_is_skipped(content, content_type, expected):
    from smartcity.sources.fetch import detect_encoding

    assert detect_encoding(content, content_type) == expected


def test_localhost_resolves_to_a_private_address():
    assert is_private_host("localhost") and is_private_host("127.0.0.1")
