"""Parse the archive: articles, events and quarantine, as a pure function of archive + state.

``parse_pages`` re-parses the latest archived version of every known article/event URL, so the
published datasets depend only on what was archived, and re-running it gives the same result.
It yields one page at a time, by URL, so that the parse stage writes each page out as it comes
and its memory does not grow with the archive (``parse_all`` collects them, for tests and the
CLI).  Pages that never arrived (fetch failures) and pages that would not parse are yielded as
``Quarantined`` with their reason and archive key: nothing is dropped silently.

One page never stops a parse: whatever goes wrong with one page (its archived file missing or
corrupt, its site unknown, its markup hostile, a bug an input reaches) quarantines that page, with
the error's type and message, and the others are parsed.  Only what is not about one page fails
the stage: the state database unreadable (raised by the store) or the archive directory missing or
unreadable (``ArchiveUnavailable``).
"""

from __future__ import annotations

import logging
import os
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from smartcity import records
from smartcity.sources import corpus
from smartcity.sources.base import ParseError
from smartcity.sources.events import event_from_fields, events_from_text
from smartcity.sources.sites import UnknownSite, adapter_for
from smartcity.sources.state import Archive, PageState, open_archive, open_state

log = logging.getLogger(__name__)

# A quarantine reason keeps this much of an error's message (a message may quote a whole page).
MAX_REASON_CHARS = 500


class ArchiveUnavailable(RuntimeError):
    """The raw-page archive as a whole cannot be read: a failure of the stage, not of one page."""


@dataclass
class ParseResult:
    """Articles, events and quarantined pages of one parse."""

    articles: list[records.Article] = field(default_factory=list)
    events: list[records.Event] = field(default_factory=list)
    quarantined: list[records.Quarantined] = field(default_factory=list)
    archive_keys: dict[str, str] = field(default_factory=dict)  # url -> archive key of each article

    def counts(self) -> dict[str, int]:
        return {
            "articles": len(self.articles),
            "events": len(self.events),
            "quarantined": len(self.quarantined),
        }

    def quarantined_by(self) -> dict[str, int]:
        """Quarantined pages by stage and error type (``{"parse: ParseError": 3, "fetch": 1}``)."""
        return quarantine_counts(self.quarantined)


def quarantine_counts(items: Iterable[records.Quarantined | dict]) -> dict[str, int]:
    """How many quarantined pages per ``"<stage>: <error type>"`` (fetch failures per stage only,
    their reasons being free text), sorted by key: small enough for a task's result."""
    counts: Counter[str] = Counter()
    for item in items:
        row = item if isinstance(item, dict) else records.as_dict(item)
        stage, reason = row["stage"], row["reason"]
        counts[stage if stage == "fetch" else f"{stage}: {reason.split(':', 1)[0]}"] += 1
    return dict(sorted(counts.items()))


def failure_reason(exc: BaseException) -> str:
    """``"<type>: <message>"`` of an error, the message cut to ``MAX_REASON_CHARS``."""
    message = str(exc)
    if len(message) > MAX_REASON_CHARS:
        message = message[:MAX_REASON_CHARS] + "..."
    return f"{type(exc).__name__}: {message}"


def check_archive(archive: Archive) -> None:
    """Raise ``ArchiveUnavailable`` unless the archive's directory is there and readable."""
    root = archive.root
    if not root.is_dir() or not os.access(root, os.R_OK | os.X_OK):
        raise ArchiveUnavailable(f"the raw-page archive {root} is missing or unreadable")


def parse_page(content: bytes, page: PageState) -> tuple[records.Article, list[records.Event]]:
    """One archived page -> (Article, events).  Raises ParseError or UnknownSite."""
    if page.site == corpus.SITE:
        parsed = corpus.parse(content, page.origin or "")
        article_id = corpus.article_id(page.url)
    else:
        adapter = adapter_for(page.site or page.source)
        parsed = adapter.parse(content, page.url)
        article_id = adapter.article_id(page.url)
    article = records.Article(
        article_id=article_id,
        source=page.source,
        url=page.url,
        title=parsed.title,
        published=parsed.published.isoformat() if parsed.published else None,
        published_text=parsed.published_text,
        category=parsed.category,
        body=parsed.body,
        language=parsed.language,
        fetched_at=page.fetched_at or "",
        content_hash=page.content_hash or "",
    )
    events: list[records.Event] = []
    if parsed.event:
        events.append(event_from_fields(parsed.event, published=parsed.published, source=page.source,
                                        source_url=page.url))
    events += events_from_text(parsed.body, published=parsed.published, source=page.source,
                               source_url=page.url)
    return article, events


@dataclass
class Parsed:
    """One page parsed: its crawl-state row, its article and the events it names."""

    page: PageState
    article: records.Article
    events: list[records.Event]

    @property
    def event_page(self) -> bool:
        """Whether the page is an event page: its events (from the page's own event fields) win
        over the same events named in other pages' text."""
        return self.page.kind == "event"


class OutOfOrder(RuntimeError):
    """The state store returned pages out of URL order (the outputs are sorted by URL as they go)."""


def parse_pages(
    data_dir: Path, sources: Iterable[str] | None = None,
) -> Iterator[Parsed | records.Quarantined]:
    """Parse every known article/event page of ``data_dir``'s archive, one page at a time.

    ``sources``: the names of the sources configured now; pages of other sources (removed from
    the configuration, or de-authorised) are left out.  None reads every source (development).
    Yields, by URL, a ``Parsed`` for each page that parsed and a ``Quarantined`` for each that did
    not (fetch failures and parse failures).  Nothing of a page is kept once it is yielded, so
    memory does not grow with the archive: the caller writes each page out as it comes.
    """
    data_dir = Path(data_dir)
    wanted = None if sources is None else set(sources)
    archive = open_archive(data_dir)
    archive_checked = False
    previous = ""
    selected = 0
    state = open_state(data_dir)
    try:
        for page in state.each():
            if page.kind not in ("article", "event") or (wanted is not None and page.source not in wanted):
                continue
            if page.url < previous:
                raise OutOfOrder(f"the crawl state gave {page.url} after {previous}")
            previous = page.url
            selected += 1
            if page.archive_key is None:
                # Never fetched successfully: quarantined at the fetch stage, with what bytes did arrive.
                yield records.Quarantined(
                    url=page.url, source=page.source, stage="fetch", reason=page.error or "never fetched",
                    archive_key=page.error_key, at=page.checked_at or "",
                )
                continue
            if not archive_checked:  # the archive gone is the stage's failure, not the pages'
                check_archive(archive)
                archive_checked = True
            try:
                content = archive.get(page.archive_key)
            except (OSError, EOFError, zlib.error, ValueError) as exc:
                # missing, corrupt (bad gzip), or a key that is no archive key: this page's file,
                # unless the archive itself is gone (then every page would fail: the stage does)
                check_archive(archive)
                yield _quarantined(page, exc)
                continue
            try:
                article, events = parse_page(content, page)
            except MemoryError:
                raise  # the worker's limit, not this page's content
            except Exception as exc:
                # The page boundary: a page's bytes are the parser's only input, so whatever they make
                # it raise (ParseError, UnknownSite, or a bug they reach) is about this page alone.
                if not isinstance(exc, ParseError | UnknownSite):
                    log.debug("parse: %s raised %s", page.url, type(exc).__name__, exc_info=True)
                yield _quarantined(page, exc)
                continue
            yield Parsed(page, article, events)
    finally:
        state.close()
    if wanted is not None:
        log.info("parse: pages of the configured sources %s: %d", sorted(wanted), selected)


def parse_all(data_dir: Path, sources: Iterable[str] | None = None) -> ParseResult:
    """Every page of :func:`parse_pages` in memory (tests, ``smartcity sources``; the pipeline's
    parse stage streams them instead).

    Returns ``ParseResult`` with articles (sorted by URL), events (deduplicated by ``event_id``,
    event pages first) and quarantined pages (fetch failures and parse failures).
    """
    result = ParseResult()
    page_events: list[records.Event] = []
    text_events: list[records.Event] = []
    for item in parse_pages(data_dir, sources):
        if isinstance(item, records.Quarantined):
            result.quarantined.append(item)
            continue
        result.articles.append(item.article)
        result.archive_keys[item.page.url] = item.page.archive_key
        (page_events if item.event_page else text_events).extend(item.events)
    seen: set[str] = set()
    for event in [*page_events, *text_events]:
        if event.event_id not in seen:  # the same event named on several pages is one event
            seen.add(event.event_id)
            result.events.append(event)
    log.info("parse: %d articles, %d events, %d quarantined", len(result.articles), len(result.events),
             len(result.quarantined))
    return result


def _quarantined(page: PageState, exc: BaseException) -> records.Quarantined:
    return records.Quarantined(
        url=page.url, source=page.source, stage="parse", reason=failure_reason(exc),
        archive_key=page.archive_key, at=page.fetched_at or page.checked_at or "",
    )
