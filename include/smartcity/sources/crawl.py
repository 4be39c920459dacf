"""Discover, fetch, archive: one crawl over the configured sources.

Discovery reads listing pages (following pagination until a page holds only known items),
sitemaps (``<loc>``/``<lastmod>``, one level of sitemap index) and RSS/Atom feeds, and can walk
sequential ids (stopping after N soft 404s in a row).  Then every discovered page that is new,
announced as changed (a newer ``lastmod``), or failed before and is due again is fetched, archived
and recorded; everything else is "unchanged" and costs no request.

A page that failed is never given up: it is tried again once its back-off has passed (1 hour after
the first failure, doubling with each failure up to 7 days; a permanent-looking 4xx starts at 1
day), and ``smartcity scrape --requeue-failed`` makes every failed page due at the next crawl.

Every run balances: ``discovered = fetched + unchanged + failed + soft_404``.

A crawl may be given a window (a run's data interval, ``window.py``): Wayback lists only the
captures made in it; a live site fetches only sitemap and feed entries dated in it (the others are
``out_of_window``) and reads its undated listings only when the window reaches the present.
"""

from __future__ import annotations

import logging
import re
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urljoin

import lxml.etree

from smartcity.sources import corpus, wayback
from smartcity.sources.base import ParseError, SiteAdapter
from smartcity.sources.config import CORPUS_SITES, WAYBACK, SourceConfig
from smartcity.sources.fetch import Fetcher, FetchError, RobotsDisallowed
from smartcity.sources.sites import adapter_for
from smartcity.sources.state import Archive, PageState, StateStore, content_hash, open_archive, open_state
from smartcity.sources.window import Window

log = logging.getLogger(__name__)

RETRY_BACKOFF = timedelta(hours=1)  # wait after the first failure; doubles with each failure
PERMANENT_BACKOFF = timedelta(days=1)  # the first wait after a 4xx that will hardly cure itself
MAX_BACKOFF = timedelta(days=7)


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


@dataclass
class SourceCounts:
    """Counts of one source in one crawl."""

    discovered: int = 0  # article/event pages found by discovery
    fetched: int = 0  # new or changed content, archived
    unchanged: int = 0  # known and not announced as changed, or 304, or same bytes
    failed: int = 0  # could not be fetched (quarantined)
    soft_404: int = 0  # "not found" pages served with 200
    disallowed: int = 0  # robots.txt said no (not counted as discovered)
    read: int = 0  # corpus sources: files opened this run (0 when nothing changed)
    out_of_window: int = 0  # dated entries outside the run's window (not counted as discovered)
    discovery_requests: int = 0  # listing / sitemap / feed pages requested
    errors: list[str] = field(default_factory=list)  # discovery problems (a listing that failed)

    @property
    def balanced(self) -> bool:
        return self.discovered == self.fetched + self.unchanged + self.failed + self.soft_404


@dataclass
class CrawlReport:
    """What one crawl did, per source and in total."""

    started_at: str
    finished_at: str = ""
    sources: dict[str, SourceCounts] = field(default_factory=dict)
    window: Window | None = None

    def as_dict(self) -> dict:
        """Small, JSON-safe summary: totals plus per-source counts."""
        keys = ("discovered", "fetched", "unchanged", "failed", "soft_404", "disallowed", "read",
                "out_of_window")
        totals = {k: sum(getattr(c, k) for c in self.sources.values()) for k in keys}
        return {
            **totals,
            "balanced": all(c.balanced for c in self.sources.values()),
            "started_at": self.started_at,
            "finished_at": self.finished_at,
            "window": self.window.as_dict() if self.window else None,
            "sources": {name: asdict(c) for name, c in self.sources.items()},
        }


# --------------------------------------------------------------------------- discovery parsing


def parse_sitemap(content: bytes, base_url: str) -> tuple[list[tuple[str, str | None]], list[str]]:
    """``([(url, lastmod)], [child sitemap urls])`` from a sitemap or sitemap index."""
    try:
        root = lxml.etree.fromstring(content, parser=lxml.etree.XMLParser(resolve_entities=False))
    except lxml.etree.XMLSyntaxError as exc:
        raise ParseError(f"bad sitemap XML: {exc}") from exc
    urls, children = [], []
    for node in root.iter():
        tag = lxml.etree.QName(node).localname if isinstance(node.tag, str) else ""
        if tag not in ("url", "sitemap"):
            continue
        loc = lastmod = None
        for child in node:
            name = lxml.etree.QName(child).localname
            if name == "loc" and child.text:
                loc = urljoin(base_url, child.text.strip())
            elif name == "lastmod" and child.text:
                lastmod = child.text.strip()
        if loc:
            (urls.append((loc, lastmod)) if tag == "url" else children.append(loc))
    return urls, children


def parse_feed(content: bytes, base_url: str) -> list[tuple[str, str | None]]:
    """``[(url, date as written)]`` of an RSS or Atom feed (feedparser; relative links resolved).

    Raises ParseError when the bytes are not a feed at all.
    """
    import feedparser  # only crawls that read feeds pay for it

    feed = feedparser.parse(content, response_headers={"content-location": base_url})
    if feed.bozo and not feed.entries:
        raise ParseError(f"bad feed: {feed.get('bozo_exception')}")
    out = []
    for entry in feed.entries:
        link = entry.get("link")
        if link:
            when = entry.get("published") or entry.get("updated")
            out.append((urljoin(base_url, link), when))
    return out


# --------------------------------------------------------------------------- the crawler


class _SourceCrawl:
    """One source's crawl: discovery then fetching, sharing one polite fetcher."""

    def __init__(
        self, source: SourceConfig, state: StateStore, archive: Archive, fetcher: Fetcher | None = None,
        window: Window | None = None,
    ):
        self.source = source
        self.window = window if source.use_interval else None
        self.adapter: SiteAdapter = adapter_for(source.target if source.site == WAYBACK else source.site)
        self.state = state
        self.archive = archive
        self.fetcher = fetcher or Fetcher(source.policy())
        self.counts = SourceCounts()
        self.found: dict[str, str | None] = {}  # url -> lastmod (insertion order = discovery order)

    def _known(self, url: str) -> bool:
        return self.state.get(url) is not None

    def _add(self, url: str, lastmod: str | None = None, *, dated: bool = False) -> None:
        """Queue a discovered page; ``dated``: ``lastmod`` is its date (a sitemap or feed entry),
        which a window filters."""
        if self.adapter.classify(url) not in ("article", "event"):
            return
        if dated and self.window is not None and not self._in_window(lastmod):
            self.counts.out_of_window += 1
            return
        if url not in self.found or (lastmod and (self.found[url] or "") < lastmod):
            self.found[url] = lastmod

    def _get_discovery_page(self, url: str) -> bytes | None:
        """A listing/sitemap/feed page, or None (logged, recorded) when it cannot be fetched."""
        self.counts.discovery_requests += 1
        try:
            return self.fetcher.fetch(url).content
        except FetchError as exc:
            log.warning("%s: discovery page failed: %s", self.source.name, exc)
            self.counts.errors.append(str(exc))
            return None

    def _in_window(self, lastmod: str | None) -> bool:
        """An entry without a date (or with one we cannot read) is in any window reaching the
        present, as an undated listing item is."""
        assert self.window is not None
        if lastmod:
            try:
                return self.window.contains(lastmod)
            except ValueError:
                pass
        return self.window.is_current()

    def discover(self) -> None:
        undated = self.window is None or self.window.is_current()
        if not undated:
            # listings, fixed URLs and id walks show the site as it is now, not as it was then
            log.info("%s: window %s is in the past: only dated sitemap/feed entries are crawled",
                     self.source.name, self.window.as_dict())
        for start in self.source.listings if undated else ():
            self._walk_listing(start)
        for sitemap in self.source.sitemaps:
            self._read_sitemap(sitemap, depth=0)
        for feed in self.source.feeds:
            content = self._get_discovery_page(feed)
            if content is None:
                continue
            try:
                entries = parse_feed(content, feed)
            except ParseError as exc:
                self.counts.errors.append(f"{exc}: {feed}")
                continue
            for url, when in entries:
                self._add(url, None if when is None else _feed_date(when), dated=True)
        for url in self.source.urls if undated else ():
            self._add(url)
        if self.source.id_walk and undated:
            self._walk_ids(self.source.id_walk)
        self._add_failed_due()

    def _add_failed_due(self) -> None:
        """Pages of this source that failed before and whose back-off has passed: tried again even
        when discovery did not list them this time (a listing of known items stops early)."""
        for page in self.state.all():
            if page.source == self.source.name and page.error and page.url not in self.found \
                    and retry_due(page):
                self._add(page.url, page.lastmod)

    def _walk_listing(self, start: str) -> None:
        queue, seen = [start], set()
        while queue and len(seen) < self.source.max_listing_pages:
            url = queue.pop(0)
            if url in seen:
                continue
            seen.add(url)
            content = self._get_discovery_page(url)
            if content is None:
                continue
            items, pages = self.adapter.links(content, url)
            if items and all(self._known(u) for u in items):
                # Stop condition: a page of only known items; older pages hold nothing new.
                log.info("%s: listing %s holds only known items; stopping pagination", self.source.name, url)
                break
            for item in items:
                self._add(item)
            queue.extend(p for p in pages if p not in seen)

    def _read_sitemap(self, url: str, depth: int) -> None:
        content = self._get_discovery_page(url)
        if content is None:
            return
        try:
            urls, children = parse_sitemap(content, url)
        except ParseError as exc:
            self.counts.errors.append(f"{exc}: {url}")
            return
        for loc, lastmod in urls:
            self._add(loc, lastmod, dated=True)
        if depth == 0:  # one level of sitemap index is enough for news sites
            for child in children:
                self._read_sitemap(child, depth + 1)

    def _walk_ids(self, spec: dict) -> None:
        """Walk sequential ids from ``start``; stop after ``max_misses`` soft 404s in a row."""
        template, start = spec["template"], int(spec["start"])
        max_misses, max_ids = int(spec.get("max_misses", 5)), int(spec.get("max_ids", 100))
        misses = 0
        for offset in range(max_ids):
            url = template.format(id=start + offset)
            known = self.state.get(url)
            if known is not None and known.kind != "missing":
                misses = 0
                continue
            self._add(url)
            outcome = self._process(url, None)
            self.found.pop(url, None)  # processed here, not again below
            misses = misses + 1 if outcome == "soft_404" else 0
            if misses >= max_misses:
                log.info("%s: %d soft 404s in a row; id walk stops at %s", self.source.name, misses, url)
                break

    def fetch_all(self) -> None:
        for url, lastmod in list(self.found.items()):
            self._process(url, lastmod)

    def _process(self, url: str, lastmod: str | None) -> str:
        """Fetch one page if needed; update counts and state; return the outcome name."""
        previous = self.state.get(url)
        fetch_url = self._fetch_url(url)
        if not self.fetcher.allowed(fetch_url):
            self.counts.disallowed += 1
            return "disallowed"
        self.counts.discovered += 1
        if previous is not None:
            announced_change = bool(lastmod and (previous.lastmod or "") < lastmod)
            if previous.kind == "missing" and not announced_change:
                self.counts.soft_404 += 1
                return "soft_404"
            if previous.ok and not announced_change:
                self.counts.unchanged += 1
                return "unchanged"
            if previous.error and not retry_due(previous):
                self.counts.failed += 1  # still quarantined; its back-off has not passed yet
                return "failed"
        kind = self.adapter.classify(url) or "article"
        state = previous or PageState(url=url, source=self.source.name, kind=kind, site=self.adapter.site)
        state.source, state.site = self.source.name, self.adapter.site
        state.checked_at = _now()
        conditional = previous is not None and previous.ok
        try:
            result = self.fetcher.fetch(
                fetch_url,
                etag=previous.etag if conditional else None,
                last_modified=previous.last_modified if conditional else None,
            )
        except FetchError as exc:
            if isinstance(exc, RobotsDisallowed) and exc.url == fetch_url:
                self.counts.discovered -= 1
                self.counts.disallowed += 1
                return "disallowed"
            # A redirect into a path robots.txt forbids is a failure like any other: quarantined and
            # tried again after its back-off, not requested again at every crawl.
            state.error, state.status, state.attempts = exc.reason, exc.status, state.attempts + 1
            if exc.content:
                state.error_key = self.archive.put(exc.content)  # keep what did arrive
            self.state.put(state)
            log.warning("%s: fetch failed: %s", self.source.name, exc)
            self.counts.failed += 1
            return "failed"
        state.status, state.error, state.attempts = result.status, None, 0
        state.lastmod = lastmod or state.lastmod
        if result.not_modified:
            self.state.put(state)
            self.counts.unchanged += 1
            return "unchanged"
        state.etag, state.last_modified = result.etag, result.last_modified
        self._provenance(state, result)
        if self.adapter.is_soft_404(result.content):
            state.kind = "missing"
            state.archive_key = self.archive.put(result.content)
            state.content_hash = content_hash(result.content)
            self.state.put(state)
            self.counts.soft_404 += 1
            return "soft_404"
        digest = content_hash(result.content)
        same = digest == state.content_hash
        state.kind = kind
        state.content_hash = digest
        state.archive_key = self.archive.put(result.content)
        if not same:
            state.fetched_at = self._fetched_at(result)
        self.state.put(state)
        if same:
            self.counts.unchanged += 1
            return "unchanged"
        self.counts.fetched += 1
        return "fetched"


    # ----- hooks (the Wayback source fetches captures instead of the page itself)

    def _fetch_url(self, url: str) -> str:
        """The URL to request for page ``url``."""
        return url

    def _provenance(self, state: PageState, result) -> None:
        """Record where the bytes came from when that is not ``state.url``."""

    def _fetched_at(self, result) -> str:
        return _now()


class _WaybackCrawl(_SourceCrawl):
    """Captures listed by the CDX API, fetched as original bytes (``id_``), keyed by original URL."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.captures: dict[str, wayback.Capture] = {}

    def discover(self) -> None:
        from_date, to_date = self.source.from_date, self.source.to_date
        if self.window is not None:
            span = self.window.cdx_range(from_date, to_date)
            if span is None:
                log.info("%s: window %s is outside from_date/to_date (%s, %s): nothing listed",
                         self.source.name, self.window.as_dict(), from_date, to_date)
                self._add_failed_due()
                return
            from_date, to_date = span
        for prefix in self.source.prefixes:
            resume, listed = None, 0
            while listed < self.source.max_captures:
                query = wayback.cdx_query(
                    self.source.cdx_url, prefix, from_date=from_date, to_date=to_date,
                    limit=min(1000, self.source.max_captures - listed), resume_key=resume,
                )
                content = self._get_discovery_page(query)
                if content is None:
                    break
                try:
                    captures, resume = wayback.parse_cdx(content)
                except wayback.CdxError as exc:
                    self.counts.errors.append(f"{exc}: {query}")
                    break
                for capture in captures:
                    listed += 1
                    if self.adapter.classify(capture.original) in ("article", "event") \
                            and capture.original not in self.captures:
                        self.captures[capture.original] = capture
                        # the capture time is the "lastmod": a later capture is a change
                        self._add(capture.original, capture.timestamp)
                if not resume or not captures:
                    break
        self._add_failed_due()

    def _add_failed_due(self) -> None:
        # only failed pages with a capture listed this run can be fetched again
        for page in self.state.all():
            if page.source == self.source.name and page.error and page.url in self.captures \
                    and page.url not in self.found and retry_due(page):
                self._add(page.url, page.lastmod)

    def _add(self, url: str, lastmod: str | None = None, *, dated: bool = False) -> None:
        # the CDX query applied the window already
        if url not in self.found:
            self.found[url] = lastmod

    def _fetch_url(self, url: str) -> str:
        return self.captures[url].url(self.source.capture_base)

    def _provenance(self, state: PageState, result) -> None:
        state.origin = result.url  # the capture URL (after any redirect to a nearby capture)

    def _fetched_at(self, result) -> str:
        return wayback.captured_at(result.url) or wayback.captured_at(result.requested_url) or _now()


def retry_due(page: PageState, now: datetime | None = None) -> bool:
    """True when a failed page's back-off has passed (or it was re-queued: no ``checked_at``)."""
    if not page.checked_at:
        return True
    try:
        last = datetime.fromisoformat(page.checked_at)
    except ValueError:
        return True
    base = PERMANENT_BACKOFF if _permanent(page.status) else RETRY_BACKOFF
    wait = min(base * 2 ** max(page.attempts - 1, 0), MAX_BACKOFF)
    return (now or datetime.now(UTC)) >= last + wait


def requeue_failed(data_dir: Path, source: str | None = None) -> int:
    """Make every failed page (of ``source``, or of all sources) due at the next crawl.

    Returns how many pages were re-queued.
    """
    state = open_state(Path(data_dir))
    try:
        failed = [p for p in state.all() if p.error and (source is None or p.source == source)]
        for page in failed:
            page.attempts, page.checked_at = 0, None
        if failed:
            state.put_many(failed)
    finally:
        state.close()
    log.info("re-queued %d failed pages", len(failed))
    return len(failed)


def _permanent(status: int | None) -> bool:
    """A 4xx other than 408/429 will not cure itself by the next run."""
    return status is not None and 400 <= status < 500 and status not in (408, 429)


_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}")


def _feed_date(text: str) -> str | None:
    """An RSS/Atom date as an ISO string (comparable with sitemap ``lastmod``), or None."""
    import email.utils

    if _ISO.match(text):
        return text
    try:
        return email.utils.parsedate_to_datetime(text).isoformat()
    except (TypeError, ValueError):
        return None


def _crawl_corpus(source: SourceConfig, state: StateStore, archive: Archive,
                  window: Window | None = None) -> SourceCounts:
    counts = corpus.crawl_corpus(source.name, Path(source.path), state, archive,
                                 window=window if source.use_interval else None)
    return SourceCounts(discovered=counts.discovered, fetched=counts.fetched, unchanged=counts.unchanged,
                        failed=counts.failed, soft_404=counts.soft_404, read=counts.read,
                        out_of_window=counts.out_of_window)


def crawl(sources: list[SourceConfig], data_dir: Path, *, fetcher: Fetcher | None = None,
          window: Window | None = None) -> CrawlReport:
    """Discover and fetch every enabled source into ``data_dir`` (archive + state).

    ``window`` (a run's data interval; None: no window) narrows what sources with ``use_interval``
    fetch (module docstring, ``window.py``).  Returns a ``CrawlReport``; logs one INFO line per
    source.  ``fetcher`` (tests) overrides the per-source fetcher built from each source's
    politeness settings.
    """
    data_dir = Path(data_dir)
    report = CrawlReport(started_at=_now(), window=window)
    state = open_state(data_dir)
    archive = open_archive(data_dir)
    try:
        for source in sources:
            if not source.enabled:
                log.info("%s: disabled, skipped", source.name)
                continue
            if source.site in CORPUS_SITES:
                c = _crawl_corpus(source, state, archive, window)
                report.sources[source.name] = c
                log.info("%s: corpus %s: discovered=%d fetched=%d unchanged=%d failed=%d soft_404=%d "
                         "(files read %d)", source.name, source.path, c.discovered, c.fetched, c.unchanged,
                         c.failed, c.soft_404, c.read)
                continue
            run = (_WaybackCrawl if source.site == WAYBACK else _SourceCrawl)(
                source, state, archive, fetcher, window)
            run.discover()
            run.fetch_all()
            report.sources[source.name] = run.counts
            c = run.counts
            log.info(
                "%s: discovered=%d fetched=%d unchanged=%d failed=%d soft_404=%d disallowed=%d "
                "(discovery requests %d, errors %d)", source.name, c.discovered, c.fetched, c.unchanged,
                c.failed, c.soft_404, c.disallowed, c.discovery_requests, len(c.errors),
            )
    finally:
        state.close()
    report.finished_at = _now()
    return report
