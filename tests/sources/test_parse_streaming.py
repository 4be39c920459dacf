"""Parse and extract stream pages: their memory does not grow with the archive, and what they write
is what the in-memory ``parse_all`` gives, byte for byte.

Synthetic pages in a real archive and crawl-state store; ``parse_page`` is replaced by one that
gives each page a large body and events (some named on several pages, some on event pages), so a
stage that held every page would show it in ``tracemalloc``'s peak, four times the pages costing
about four times the memory.
"""

from __future__ import annotations

import gc
import logging
import tracemalloc
from pathlib import Path

import pytest

from smartcity import pipeline, records
from smartcity.sources import parse as parse_module
from smartcity.sources.parse import parse_all
from smartcity.sources.state import PageState, open_archive, open_state

BODY_CHARS = 40_000  # a long page: a list of N of them holds N * 40 kB (ASCII text, 1 byte a char)
SOURCE = "synthetic"


def build(data_dir: Path, n: int) -> None:
    """``n`` pages, every 10th an event page, two a failed fetch, in ``data_dir``."""
    archive = open_archive(data_dir)
    rows = []
    for i in range(n):
        url = f"https://example.org/news/{i:06d}"
        if i in (3, n - 2):
            rows.append(PageState(url=url, source=SOURCE, kind="article", status=500, error="HTTP 500",
                                  checked_at="2026-12-01T00:00:00Z"))
            continue
        rows.append(PageState(url=url, source=SOURCE, site=SOURCE, kind="event" if i % 10 == 7 else "article",
                              status=200, archive_key=archive.put(f"page {i}".encode()),
                              fetched_at="2026-12-01T00:00:00Z"))
    state = open_state(data_dir)
    try:
        state.put_many(rows)
    finally:
        state.close()


def fake_parse_page(content: bytes, page: PageState) -> tuple[records.Article, list[records.Event]]:
    i = int(content.split()[1])
    # not about the programme (extract reads it and moves on: fast), and as long as any
    body = (f"news {i}: " + "rain in the north " * (BODY_CHARS // 18 + 1))[:BODY_CHARS]
    article = records.Article(
        article_id=f"{SOURCE}:{i}", source=page.source, url=page.url, title=f"ข่าว {i}",
        published="2026-01-01", published_text=None, category=None, body=body, language="th",
        fetched_at=page.fetched_at or "", content_hash=page.content_hash or "")

    def event(key: int, name: str) -> records.Event:
        return records.Event(event_id=f"ev{key:05d}", name=name, start_date=None, end_date=None, venue=None,
                             province=None, province_code=None, organiser=None, source=page.source,
                             source_url=page.url)

    # its own event, and one shared with the pages around it (the event page's record wins)
    return article, [event(100_000 - i, f"own {i}"), event(i // 5, f"{page.kind} {i}")]


@pytest.fixture
def synthetic(tmp_path, monkeypatch):
    monkeypatch.delenv("SMARTCITY_STATE_DSN", raising=False)
    monkeypatch.setenv("SMARTCITY_STAGE_CACHE", "0")
    monkeypatch.setattr(parse_module, "parse_page", fake_parse_page)

    def make(n: int) -> tuple[Path, Path]:
        data_dir = tmp_path / f"data{n}"
        build(data_dir, n)
        directory = pipeline.run_dir("streaming", data_dir)
        pipeline.write_json(directory / "crawl.json", {"configured_sources": [SOURCE]})
        return data_dir, directory

    return make


def peak(stage) -> int:
    """Peak bytes ``tracemalloc`` traced while ``stage()`` ran."""
    gc.collect()
    tracemalloc.start()
    try:
        stage()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_parse_and_extract_memory_does_not_grow_with_the_pages(synthetic, caplog):
    caplog.set_level(logging.ERROR)  # the quarantine warnings are not what is measured
    small, large = synthetic(100), synthetic(400)
    pipeline.parse(small[1], data_dir=small[0])  # imports and first-call caches, before measuring
    pipeline.extract(small[1])
    sizes = ((1, small), (4, large))
    parse_peak = {n: peak(lambda d=d: pipeline.parse(d[1], data_dir=d[0])) for n, d in sizes}
    extract_peak = {n: peak(lambda d=d: pipeline.extract(d[1])) for n, d in sizes}
    held = 300 * BODY_CHARS  # what holding the 300 more pages' bodies alone would add
    assert parse_peak[4] - parse_peak[1] < held / 10, parse_peak
    assert extract_peak[4] - extract_peak[1] < held / 10, extract_peak
    assert parse_peak[4] < 2 * parse_peak[1], parse_peak


def test_the_streamed_parse_writes_what_parse_all_gives(synthetic, tmp_path):
    data_dir, directory = synthetic(120)
    counts = pipeline.parse(directory, data_dir=data_dir)
    result = parse_all(data_dir, sources=[SOURCE])
    expected = tmp_path / "expected"
    expected.mkdir()
    pages = [{**records.as_dict(a), "archive_key": result.archive_keys[a.url]} for a in result.articles]
    pipeline.write_jsonl(expected / "pages", sorted(pages, key=lambda p: p["url"]))
    pipeline.write_jsonl(expected / "events", sorted(result.events, key=lambda e: e.event_id))
    pipeline.write_jsonl(expected / "quarantine", sorted(result.quarantined, key=lambda q: q.url))
    for name, file in (("pages", pipeline.PAGES_FILE), ("events", pipeline.PAGE_EVENTS_FILE),
                       ("quarantine", pipeline.QUARANTINE_FILE)):
        assert (directory / file).read_bytes() == (expected / name).read_bytes(), name
    assert counts == {"pages": 118, "events": len(result.events), "quarantined": 2,
                      "quarantined_by": {"fetch": 2}}
    # an event named on an event page and in other pages' text is the event page's record, once
    shared = {e["event_id"]: e for e in pipeline.read_jsonl(directory / pipeline.PAGE_EVENTS_FILE)}
    assert shared["ev00001"]["name"] == "event 7" and shared["ev00000"]["name"] == "article 0"
    assert not list(directory.glob(".*"))  # no temporary or spill file left behind


def test_pages_out_of_url_order_fail_the_stage_and_leave_no_file(synthetic, monkeypatch):
    from smartcity.sources.state import SqliteStateStore

    data_dir, directory = synthetic(20)
    monkeypatch.setattr(SqliteStateStore, "each", lambda self: iter(reversed(self.all())))
    with pytest.raises(parse_module.OutOfOrder):
        pipeline.parse(directory, data_dir=data_dir)
    assert not (directory / pipeline.PAGES_FILE).exists() and not list(directory.glob(".*"))
