"""A polite HTTP fetcher on ``requests``.

Politeness is configuration (``FetchPolicy``), not an afterthought:

* robots.txt is obeyed (Protego, which understands the ``*`` and ``$`` wildcards that
  ``urllib.robotparser`` ignores), fetched once per host with our own user agent;
  its ``Crawl-delay`` raises the per-host delay, never lowers it;
* one request at a time (a lock) and at least ``delay`` seconds between two requests to a host
  (default 2 s; the demo and the tests set 0);
* an honest ``User-Agent`` naming the project and a contact URL (``settings.USER_AGENT``);
* connect/read timeouts; retries with exponential backoff on 429 and 5xx, timeouts and refused
  connections, honouring ``Retry-After`` (seconds or an HTTP date) up to ``max_retry_after``.
  The retry policy is urllib3's ``Retry`` (the library publishing's retries use too), mounted on
  the session; its waits go through the fetcher, so the per-host delay holds between attempts
  and tests can inject ``sleep``;
* a cap on bytes per page, enforced while streaming;
* redirects followed by hand, at most ``max_redirects``, only to allow-listed hosts, never to a
  private, loopback or link-local address unless ``allow_private_hosts`` (tests, demo);
* conditional GET (``If-None-Match`` / ``If-Modified-Since``): a 304 is a result, not an error;
* the encoding (UTF-8 or TIS-620/cp874) from the ``Content-Type`` header, a ``<meta>`` tag, a
  BOM, or the bytes themselves (charset-normalizer).

Every failure is a ``FetchError`` subclass carrying the URL (and any bytes received).
"""

from __future__ import annotations

import codecs
import ipaddress
import logging
import re
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import charset_normalizer
import requests
from protego import Protego
from requests.adapters import HTTPAdapter
from urllib3.exceptions import ConnectTimeoutError, ReadTimeoutError
from urllib3.util.retry import Retry

from smartcity import settings

log = logging.getLogger(__name__)


# --------------------------------------------------------------------------- errors


class FetchError(Exception):
    """A page could not be fetched.  ``content`` holds whatever bytes did arrive (maybe none)."""

    def __init__(self, url: str, message: str, *, content: bytes = b"", status: int | None = None):
        super().__init__(f"{message}: {url}")
        self.url = url
        self.reason = message
        self.content = content
        self.status = status


class RobotsDisallowed(FetchError):
    """robots.txt forbids this URL to our user agent."""


class HostNotAllowed(FetchError):
    """The URL (or a redirect target) is on a host outside the allow-list."""


class PrivateAddressError(FetchError):
    """The host resolves to a private, loopback or link-local address (SSRF guard)."""


class TooManyRedirects(FetchError):
    """More redirects than ``max_redirects``."""


class TooLarge(FetchError):
    """The body is larger than ``max_bytes``."""


class TruncatedBody(FetchError):
    """The connection closed before the announced body had arrived."""


class FetchTimeout(FetchError):
    """Connect or read timeout, after retries."""


class HttpStatusError(FetchError):
    """A non-success status (after retries for 429/5xx)."""


class NetworkError(FetchError):
    """DNS failure, refused connection and the like, after retries."""


# --------------------------------------------------------------------------- policy and result


@dataclass(frozen=True)
class FetchPolicy:
    """How politely to fetch.  Defaults are for real sites; tests and the demo set ``delay=0``."""

    user_agent: str = settings.USER_AGENT
    delay: float = 2.0  # seconds between two requests to one host
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    max_bytes: int = 5_000_000
    max_redirects: int = 5
    retries: int = 3  # extra attempts on 429 / 5xx / timeouts
    backoff: float = 1.0  # first retry waits this long, then doubles
    max_retry_after: float = 120.0  # a longer Retry-After is an error, not a nap
    allowed_hosts: frozenset[str] = field(default_factory=frozenset)  # empty: the first URL's host
    allow_private_hosts: bool = False
    obey_robots: bool = True


@dataclass
class FetchResult:
    """One fetched page.  ``status`` is 200-ish or 304 (then ``content`` is empty)."""

    url: str  # the final URL, after redirects
    requested_url: str
    status: int
    content: bytes
    content_type: str | None
    encoding: str | None
    etag: str | None
    last_modified: str | None

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    def text(self) -> str:
        """The body decoded with the detected encoding (undecodable bytes replaced)."""
        return decode(self.content, self.content_type)[0]


# --------------------------------------------------------------------------- encodings

_CHARSET_ALIASES = {
    "tis-620": "cp874",
    "tis620": "cp874",
    "tis_620": "cp874",
    "windows-874": "cp874",
    "x-windows-874": "cp874",
    "iso-8859-11": "cp874",
    "cp874": "cp874",
    "iso8859-11": "cp874",
    "utf-8": "utf-8",
    "utf8": "utf-8",
}
# What a page without a charset label may be in: UTF-8, TIS-620 (cp874 is its superset), Western.
_SNIFF_CANDIDATES = ["utf_8", "cp874", "tis_620", "iso8859_11", "cp1252"]
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)


def _normal_charset(name: str | None) -> str | None:
    """The Python codec for a charset label, or None for no label or one Python does not know."""
    if not name:
        return None
    name = name.strip().lower()
    # cp874 is a superset of TIS-620 (it adds a few punctuation marks in 0x80-0x9F), so decoding
    # every TIS-620 label with it loses nothing.
    name = _CHARSET_ALIASES.get(name, name)
    try:
        codecs.lookup(name)
    except LookupError:
        return None  # a bogus label ("x-bogus"): the next clue (meta, BOM, the bytes) decides
    return name


def _label_fits(content: bytes, label: str) -> bool:
    """False when the bytes contradict a charset label (a site's header or template is wrong).

    UTF-8 declared, but more than a tenth of the non-ASCII bytes are not UTF-8 (TIS-620 text
    served as UTF-8: a stray byte or two in a UTF-8 page is not a wrong label); or a single-byte
    charset declared (Apache's default ISO-8859-1, TIS-620) on bytes that are all valid UTF-8 beyond
    ASCII, which text in a single-byte charset practically never is.
    """
    non_ascii = len(content.translate(None, bytes(range(128))))
    if not non_ascii:
        return True
    if codecs.lookup(label).name == "utf-8":
        return content.decode("utf-8", errors="replace").count("\ufffd") * 10 <= non_ascii
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


def detect_encoding(content: bytes, content_type: str | None = None) -> str:
    """The encoding of an HTML page: header charset, then ``<meta>``, then BOM, then the bytes.

    A label the bytes contradict (``_label_fits``) is skipped for the next clue.

    Takes the raw bytes and the ``Content-Type`` header; returns a Python codec name
    (``"utf-8"`` or ``"cp874"`` for Thai pages in TIS-620).
    """
    if content_type:
        m = _HEADER_CHARSET.search(content_type)
        if m and (label := _normal_charset(m.group(1))) and _label_fits(content, label):
            return label
    m = _META_CHARSET.search(content[:4096])
    if m and (label := _normal_charset(m.group(1).decode("ascii", "replace"))) \
            and _label_fits(content, label):
        return label
    if content.startswith(b"\xef\xbb\xbf"):
        return "utf-8"
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        # Not UTF-8: let charset-normalizer choose among the encodings Thai sites use.  Unrestricted,
        # it takes short TIS-620 text for Japanese cp932, so the candidates are isolated.
        best = charset_normalizer.from_bytes(content[:65536], cp_isolation=_SNIFF_CANDIDATES).best()
        if best is None:
            return "latin-1"
        return _normal_charset(best.encoding.replace("_", "-")) or "latin-1"
    return "utf-8"


def decode(content: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Decode a page; returns ``(text, encoding)``.  Undecodable bytes become U+FFFD."""
    encoding = detect_encoding(content, content_type)  # always a codec Python knows
    return content.decode(encoding, errors="replace"), encoding


# --------------------------------------------------------------------------- helpers


def is_private_host(host: str) -> bool:
    """True when ``host`` is, or resolves to, an address not on the public internet (private,
    loopback, link-local, reserved, shared, ...: anything ``ipaddress`` does not call global).

    A name that does not resolve is not private (the request will then fail as a network error).
    """
    try:
        infos = socket.getaddrinfo(host, None)
    except socket.gaierror:
        return False
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if (
            address.is_private
            or address.is_loopback
            or address.is_link_local
            or address.is_reserved
            or address.is_multicast
            or address.is_unspecified
            or not address.is_global  # e.g. 100.64.0.0/10, carrier-grade NAT: not on the internet
        ):
            return True
    return False


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


# --------------------------------------------------------------------------- the retry policy

RETRY_STATUSES = frozenset({429, *range(500, 600)})


class RetryAfterTooLong(Exception):
    """The server asked us to come back later than ``max_retry_after``: an error, not a nap."""

    def __init__(self, status: int, seconds: float):
        super().__init__(f"HTTP {status}, Retry-After {seconds:.0f} s is too long")
        self.status = status
        self.seconds = seconds


class PoliteRetry(Retry):
    """urllib3's ``Retry`` whose waits are handed to ``pause`` (the fetcher).

    The wait before retry n is ``backoff_factor * 2**(n-1)``, or the server's ``Retry-After`` when
    longer; a ``Retry-After`` beyond ``max_retry_after`` raises ``RetryAfterTooLong``.
    """

    def __init__(self, *args, pause: Callable[[float], None] | None = None,
                 max_retry_after: float = 120.0, **kwargs):
        super().__init__(*args, **kwargs)
        self.pause = pause or time.sleep
        self.max_retry_after = max_retry_after

    def new(self, **kwargs) -> PoliteRetry:
        kwargs.setdefault("pause", self.pause)
        kwargs.setdefault("max_retry_after", self.max_retry_after)
        return super().new(**kwargs)

    def sleep(self, response=None) -> None:
        asked = self.get_retry_after(response) if response is not None else None
        if asked is not None and asked > self.max_retry_after:
            raise RetryAfterTooLong(response.status, asked)
        wait = self.backoff_factor * 2 ** max(len(self.history) - 1, 0)
        self.pause(max(wait, asked or 0.0))


def retry_policy(policy: FetchPolicy, pause: Callable[[float], None]) -> PoliteRetry:
    """The retry policy of a ``FetchPolicy``: GETs retried on 429/5xx, timeouts, connection errors."""
    return PoliteRetry(
        total=policy.retries, connect=policy.retries, read=policy.retries, status=policy.retries,
        other=0, redirect=0, status_forcelist=RETRY_STATUSES, backoff_factor=policy.backoff,
        raise_on_status=False, respect_retry_after_header=True, pause=pause,
        max_retry_after=policy.max_retry_after,
    )


# --------------------------------------------------------------------------- the fetcher


class Fetcher:
    """Fetch pages politely.  One instance per crawl; safe to share between threads (serialised).

    ``sleep`` and ``clock`` are injectable so unit tests need not wait.
    """

    def __init__(
        self,
        policy: FetchPolicy | None = None,
        *,
        session: requests.Session | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.policy = policy or FetchPolicy()
        self.session = session or requests.Session()
        self.session.headers["User-Agent"] = self.policy.user_agent
        adapter = HTTPAdapter(max_retries=retry_policy(self.policy, self._retry_pause))
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self._current_host = ""
        self._sleep = sleep
        self._clock = clock
        self._lock = threading.Lock()  # concurrency 1
        self._last_request: dict[str, float] = {}
        self._robots: dict[str, Protego | None] = {}  # None: no robots.txt, all allowed
        self._crawl_delay: dict[str, float] = {}
        self.requests_made = 0

    # ----- public

    def fetch(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> FetchResult:
        """GET ``url`` (conditionally when ``etag``/``last_modified`` are given).

        Returns a ``FetchResult`` (status 304 when unchanged); raises a ``FetchError`` subclass.
        """
        with self._lock:
            return self._fetch(url, etag=etag, last_modified=last_modified)

    def allowed(self, url: str) -> bool:
        """True when robots.txt lets our user agent fetch ``url`` (always, if robots are off)."""
        with self._lock:
            return self._robots_allow(url)

    # ----- internals

    def _check_host(self, url: str, first_host: str) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            raise HostNotAllowed(url, f"scheme {parts.scheme!r} not allowed")
        host = (parts.hostname or "").lower()
        allowed = self.policy.allowed_hosts or frozenset({first_host})
        if host not in allowed:
            raise HostNotAllowed(url, f"host {host!r} is not allow-listed")
        if not self.policy.allow_private_hosts and is_private_host(host):
            raise PrivateAddressError(url, f"host {host!r} is a private or loopback address")

    def _wait_turn(self, host: str) -> None:
        delay = max(self.policy.delay, self._crawl_delay.get(host, 0.0))
        last = self._last_request.get(host)
        if last is not None and delay > 0:
            remaining = last + delay - self._clock()
            if remaining > 0:
                self._sleep(remaining)
        self._last_request[host] = self._clock()

    def _robots_allow(self, url: str) -> bool:
        if not self.policy.obey_robots:
            return True
        origin = _origin(url)
        if origin not in self._robots:
            self._robots[origin] = self._load_robots(origin)
        parser = self._robots[origin]
        if parser is None:
            return True
        return parser.can_fetch(url, self.policy.user_agent)

    def _load_robots(self, origin: str) -> Protego | None:
        robots_url = origin + "/robots.txt"
        keep_out = Protego.parse("User-agent: *\nDisallow: /\n")
        try:
            response = self._request(robots_url, headers={})
            body = self._read(robots_url, response)
        except (requests.RequestException, FetchError) as exc:
            # Unreachable robots.txt: be conservative and fetch nothing from this host this run.
            log.warning("robots.txt unreachable at %s (%s): not fetching from this host", robots_url, exc)
            return keep_out
        status = response.status_code
        if status in (401, 403) or status >= 500:
            # The convention urllib's robotparser follows too: forbidden or broken means "keep out".
            return keep_out
        if status >= 400:
            return None  # no robots.txt: everything allowed
        parser = Protego.parse(body.decode("utf-8", "replace"))
        delay = parser.crawl_delay(self.policy.user_agent)
        if delay:
            self._crawl_delay[_host(origin)] = float(delay)
        return parser

    def _retry_pause(self, wait: float) -> None:
        """Wait before a retry: the back-off, and never less than the host's delay."""
        host = self._current_host
        delay = max(self.policy.delay, self._crawl_delay.get(host, 0.0))
        last = self._last_request.get(host)
        if last is not None and delay > 0:
            wait = max(wait, last + delay - self._clock())
        log.info("retrying a request to %s in %.1f s", host, wait)
        if wait > 0:
            self._sleep(wait)
        self._last_request[host] = self._clock()
        self.requests_made += 1

    def _request(self, url: str, headers: dict[str, str]) -> requests.Response:
        self._current_host = _host(url)
        self._wait_turn(self._current_host)
        self.requests_made += 1
        return self.session.get(
            url,
            headers=headers,
            timeout=(self.policy.connect_timeout, self.policy.read_timeout),
            allow_redirects=False,  # followed by hand, so every hop is checked
            stream=True,
        )

    def _read(self, url: str, response: requests.Response) -> bytes:
        """Read a streamed body, enforcing ``max_bytes``; always closes the response."""
        cap = self.policy.max_bytes
        try:
            announced = response.headers.get("Content-Length")
            if announced and announced.isdigit() and int(announced) > cap:
                raise TooLarge(url, f"Content-Length {announced} exceeds the cap of {cap} bytes")
            chunks: list[bytes] = []
            size = 0
            try:
                for chunk in response.iter_content(65536):
                    size += len(chunk)
                    if size > cap:
                        raise TooLarge(url, f"body exceeds the cap of {cap} bytes", content=b"".join(chunks))
                    chunks.append(chunk)
            except (requests.exceptions.ChunkedEncodingError,
                    requests.exceptions.ContentDecodingError) as exc:
                raise TruncatedBody(url, f"body cut short ({exc.__class__.__name__})",
                                    content=b"".join(chunks)) from exc
            except requests.exceptions.ConnectionError as exc:
                # requests turns a read timeout while streaming the body (a server that stalls
                # after the headers) into a ConnectionError: typed here, or it escapes the crawl.
                cause = exc.args[0] if exc.args else None
                error = FetchTimeout if isinstance(cause, ReadTimeoutError) else NetworkError
                raise error(url, f"body not received ({exc.__class__.__name__})",
                            content=b"".join(chunks)) from exc
            return b"".join(chunks)
        finally:
            response.close()

    def _fetch(self, url: str, *, etag: str | None, last_modified: str | None) -> FetchResult:
        first_host = _host(url)
        current = url
        headers: dict[str, str] = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        for _hop in range(self.policy.max_redirects + 1):
            self._check_host(current, first_host)
            if not self._robots_allow(current):
                raise RobotsDisallowed(current, "robots.txt disallows this URL")
            response = self._with_retries(current, headers)
            if response.is_redirect:
                location = response.headers.get("Location", "")
                response.close()
                current = urljoin(current, location)
                log.debug("redirect %s -> %s", url, current)
                continue
            status = response.status_code
            content_type = response.headers.get("Content-Type")
            result_headers = response.headers
            if status == 304:
                response.close()
                return FetchResult(current, url, 304, b"", content_type, None,
                                   result_headers.get("ETag") or etag,
                                   result_headers.get("Last-Modified") or last_modified)
            body = self._read(current, response)
            if status >= 400:
                raise HttpStatusError(current, f"HTTP {status}", content=body, status=status)
            return FetchResult(
                current, url, status, body, content_type, detect_encoding(body, content_type),
                result_headers.get("ETag"), result_headers.get("Last-Modified"),
            )
        raise TooManyRedirects(url, f"more than {self.policy.max_redirects} redirects")

    def _with_retries(self, url: str, headers: dict[str, str]) -> requests.Response:
        """One request under the retry policy; a final 429/5xx, timeout or network error is typed."""
        attempts = self.policy.retries + 1
        try:
            response = self._request(url, headers)
        except RetryAfterTooLong as exc:
            raise HttpStatusError(url, str(exc), status=exc.status) from exc
        except requests.Timeout as exc:
            raise FetchTimeout(url, f"timed out after {attempts} attempts") from exc
        except requests.ConnectionError as exc:
            reason = getattr(exc.args[0], "reason", None) if exc.args else None
            if isinstance(reason, ReadTimeoutError | ConnectTimeoutError):
                raise FetchTimeout(url, f"timed out after {attempts} attempts") from exc
            raise NetworkError(url, f"connection failed: {exc.__class__.__name__}") from exc
        status = response.status_code
        if status in RETRY_STATUSES:
            body = self._read(url, response)
            raise HttpStatusError(url, f"HTTP {status} after {attempts} attempts", content=body,
                                  status=status)
        return response
