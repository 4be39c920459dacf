"""Parse the archive: articles, events and quarantine, as a pure function of archive + state.

``parse_all`` re-parses the latest archived version of every known article/event URL, so the
published datasets depend only on what was archived, and re-running it gives the same result.
Pages that never arrived (fetch failures) and pages that would not parse are returned as
``Quarantined`` with their reason and archive key: nothing is dropped silently.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from smartcity import records
from smartcity.sources import corpus
from smartcity.sources.base import ParseError
from smartcity.sources.events import event_from_fields, events_from_text
from smartcity.sources.sites import UnknownSite, adapter_for
from smartcity.sources.state import PageState, open_archive, open_state

log = logging.getLogger(__name__)


@dataclass
class ParseResult:
    """Articles, events and quarantined pages of one parse."""

    articles: list[records.Article] = field(default_factory=list)
    events: list[records.Event] = field(default_factory=list)
    quarantined: list[records.Quarantined] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {
            "articles": len(self.articles),
            "events": len(self.events),
            "quarantined": len(self.quarantined),
        }


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


def parse_all(data_dir: Path, sources: Iterable[str] | None = None) -> ParseResult:
    """Parse every known article/event page of ``data_dir``'s archive.

    ``sources``: the names of the sources configured now; pages of other sources (removed from
    the configuration, or de-authorised) are left out.  None reads every source (development).
    Returns ``ParseResult`` with articles (sorted by URL), events (deduplicated by ``event_id``,
    event pages first) and quarantined pages (fetch failures and parse failures).
    """
    data_dir = Path(data_dir)
    wanted = None if sources is None else set(sources)
    state = open_state(data_dir)
    try:
        pages = [p for p in state.all() if p.kind in ("article", "event")
                 and (wanted is None or p.source in wanted)]
    finally:
        state.close()
    if wanted is not None:
        log.info("parse: pages of the configured sources %s: %d", sorted(wanted), len(pages))
    archive = open_archive(data_dir)
    result = ParseResult()
    page_events: list[records.Event] = []
    text_events: list[records.Event] = []
    for page in sorted(pages, key=lambda p: p.url):
        if page.archive_key is None:
            # Never fetched successfully: quarantined at the fetch stage, with what bytes did arrive.
            result.quarantined.append(records.Quarantined(
                url=page.url, source=page.source, stage="fetch", reason=page.error or "never fetched",
                archive_key=page.error_key, at=page.checked_at or "",
            ))
            continue
        try:
            content = archive.get(page.archive_key)
            article, events = parse_page(content, page)
        except (ParseError, UnknownSite, FileNotFoundError) as exc:
            reason = f"{type(exc).__name__}: {exc}"
            result.quarantined.append(records.Quarantined(
                url=page.url, source=page.source, stage="parse", reason=reason,
                archive_key=page.archive_key, at=page.fetched_at or page.checked_at or "",
            ))
            continue
        result.articles.append(article)
        for event in events:
            (page_events if page.kind == "event" else text_events).append(event)
    seen: set[str] = set()
    for event in [*page_events, *text_events]:
        if event.event_id not in seen:  # the same event named on several pages is one event
            seen.add(event.event_id)
            result.events.append(event)
    log.info("parse: %d articles, %d events, %d quarantined", len(result.articles), len(result.events),
             len(result.quarantined))
    return result
