"""One bad page never stops a stage: at the page boundary of ``parse`` and ``extract`` any failure
of one page is quarantined with its error type, message and archive key, counted in the stage's
result and logged once; the other pages go on.  A failure that is not about one page (the archive
directory gone, the state database unreadable) still fails the stage.

Pages are put in a real archive and crawl-state store (``Archive.put``, ``StateStore.put_many``),
as the crawler leaves them.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest

from smartcity import pipeline
from smartcity.sources import parse as parse_module
from smartcity.sources.base import ParseError
from smartcity.sources.demo import SITE_ROOT
from smartcity.sources.parse import ArchiveUnavailable, parse_all
from smartcity.sources.state import PageState, open_archive, open_state

DEMO = "http://127.0.0.1:8765"
GOOD = {  # url -> (source, file of the demo snapshot)
    f"{DEMO}/depa/th/article-view/20250115_01": ("depa", "depa/th/article-view/20250115_01.html"),
    f"{DEMO}/sco/news/smart-city-39/": ("smartcity_office", "sco/news/smart-city-39/index.html"),
    f"{DEMO}/thaigov/news/contents/details/48480": ("thaigov", "thaigov/news/contents/details/48480.html"),
}
HOSTILE = {  # url -> (source, site, bytes)
    f"{DEMO}/depa/th/article-view/hostile-cdata": (
        "depa", "depa", b'<![CDATA[<h1 class="entry-title">\x1e</h1><![CDATA['),
    f"{DEMO}/sco/news/hostile-comment-only/": ("smartcity_office", "smartcity_office", b"<!-- -->"),
    f"{DEMO}/thaigov/news/contents/details/1": ("thaigov", "thaigov", b"\x00\x01\x02"),
    f"{DEMO}/depa/th/article-view/unknown-site": ("depa", "no-such-site", b"<p>x</p>"),
}
CORRUPT = f"{DEMO}/depa/th/article-view/corrupt-gzip"
MISSING = f"{DEMO}/sco/news/missing-file/"


def build(data_dir: Path) -> dict[str, str]:
    """Good and hostile pages in ``data_dir``'s archive and state; returns url -> archive key."""
    archive = open_archive(data_dir)
    rows, keys = [], {}
    for url, (source, rel) in GOOD.items():
        keys[url] = archive.put((SITE_ROOT / rel).read_bytes())
        rows.append(PageState(url=url, source=source, site=source, kind="article", status=200,
                              archive_key=keys[url], fetched_at="2026-12-01T00:00:00Z"))
    for url, (source, site, content) in HOSTILE.items():
        keys[url] = archive.put(content)
        rows.append(PageState(url=url, source=source, site=site, kind="article", status=200,
                              archive_key=keys[url], fetched_at="2026-12-01T00:00:00Z"))
    # a file of the archive that is not gzip, and a key whose file is gone
    keys[CORRUPT] = archive.put(b"<p>soon corrupt</p>")
    archive.path(keys[CORRUPT]).write_bytes(b"not gzip at all")
    keys[MISSING] = archive.put(b"<p>soon gone</p>")
    archive.path(keys[MISSING]).unlink()
    for url, source in ((CORRUPT, "depa"), (MISSING, "smartcity_office")):
        rows.append(PageState(url=url, source=source, site=source, kind="article", status=200,
                              archive_key=keys[url], fetched_at="2026-12-01T00:00:00Z"))
    state = open_state(data_dir)
    try:
        state.put_many(rows)
    finally:
        state.close()
    return keys


@pytest.fixture
def data_dir(tmp_path, monkeypatch) -> Path:
    monkeypatch.delenv("SMARTCITY_STATE_DSN", raising=False)
    monkeypatch.setenv("SMARTCITY_STAGE_CACHE", "0")
    return tmp_path / "data"


def test_parse_all_quarantines_every_bad_page_and_parses_the_good_ones(data_dir):
    keys = build(data_dir)
    result = parse_all(data_dir)
    assert {a.url for a in result.articles} == set(GOOD)
    quarantined = {q.url: q for q in result.quarantined}
    assert set(quarantined) == {*HOSTILE, CORRUPT, MISSING}
    for url, item in quarantined.items():
        assert item.stage == "parse" and item.archive_key == keys[url]
    assert quarantined[CORRUPT].reason.startswith("BadGzipFile: ")
    assert quarantined[MISSING].reason.startswith("FileNotFoundError: ")
    assert quarantined[f"{DEMO}/depa/th/article-view/unknown-site"].reason.startswith("UnknownSite: ")
    assert quarantined[f"{DEMO}/depa/th/article-view/hostile-cdata"].reason.startswith("ParseError: ")
    assert result.quarantined_by() == {"parse: BadGzipFile": 1, "parse: FileNotFoundError": 1,
                                       "parse: ParseError": 3, "parse: UnknownSite": 1}
    assert result.archive_keys == {url: keys[url] for url in GOOD}


def test_an_unexpected_error_of_one_page_is_quarantined_with_its_type(data_dir, monkeypatch):
    build(data_dir)
    real = parse_module.parse_page
    bad = f"{DEMO}/sco/news/smart-city-39/"

    def parse_page(content, page):
        if page.url == bad:
            raise ValueError("Input object is not an XML element: HtmlComment")
        return real(content, page)

    monkeypatch.setattr(parse_module, "parse_page", parse_page)
    result = parse_all(data_dir)
    item = next(q for q in result.quarantined if q.url == bad)
    assert item.reason == "ValueError: Input object is not an XML element: HtmlComment"
    assert {a.url for a in result.articles} == set(GOOD) - {bad}
    assert result.quarantined_by()["parse: ValueError"] == 1


def test_a_long_message_is_cut(data_dir, monkeypatch):
    build(data_dir)

    def parse_page(content, page):
        raise ParseError("x" * 10_000)

    monkeypatch.setattr(parse_module, "parse_page", parse_page)
    result = parse_all(data_dir)
    assert all(len(q.reason) < parse_module.MAX_REASON_CHARS + 40 for q in result.quarantined)


def test_memory_error_is_not_a_page_failure(data_dir, monkeypatch):
    build(data_dir)

    def parse_page(content, page):
        raise MemoryError

    monkeypatch.setattr(parse_module, "parse_page", parse_page)
    with pytest.raises(MemoryError):
        parse_all(data_dir)


def test_the_archive_gone_fails_the_stage(data_dir):
    build(data_dir)
    shutil.rmtree(data_dir / "archive")
    with pytest.raises(ArchiveUnavailable):
        parse_all(data_dir)


def test_the_archive_gone_mid_parse_fails_the_stage(data_dir, monkeypatch):
    build(data_dir)
    real = parse_module.parse_page

    def parse_page(content, page):  # the first page parsed takes the archive with it
        shutil.rmtree(data_dir / "archive", ignore_errors=True)
        return real(content, page)

    monkeypatch.setattr(parse_module, "parse_page", parse_page)
    with pytest.raises(ArchiveUnavailable):
        parse_all(data_dir)


def test_an_unreadable_state_database_fails_the_stage(data_dir):
    build(data_dir)
    state_file = data_dir / "state.sqlite3"
    state_file.write_bytes(b"this is not a SQLite database" * 100)
    import sqlite3

    with pytest.raises(sqlite3.DatabaseError):
        parse_all(data_dir)


def _run_parse(data_dir: Path) -> tuple[Path, dict]:
    directory = pipeline.run_dir("boundary", data_dir)
    pipeline.write_json(directory / "crawl.json", {"configured_sources": ["depa", "smartcity_office",
                                                                          "thaigov"]})
    return directory, pipeline.parse(directory, data_dir=data_dir)


def test_parse_stage_counts_and_logs_each_quarantined_page_once(data_dir, caplog):
    build(data_dir)
    with caplog.at_level(logging.INFO, logger="smartcity"):
        directory, counts = _run_parse(data_dir)
    assert counts["pages"] == len(GOOD) and counts["quarantined"] == len(HOSTILE) + 2
    assert counts["quarantined_by"]["parse: ParseError"] == 3
    rows = list(pipeline.read_jsonl(directory / pipeline.QUARANTINE_FILE))
    assert {r["url"] for r in rows} == {*HOSTILE, CORRUPT, MISSING}
    assert all(r["reason"] and r["archive_key"] for r in rows)
    for url in {*HOSTILE, CORRUPT, MISSING}:
        assert sum(url in r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING) == 1
    summary = [r.getMessage() for r in caplog.records if r.getMessage().startswith("parse: {")]
    assert summary and '"quarantined_by"' in summary[-1]
    # the pages carry their archive key to extract
    assert all(p["archive_key"] for p in pipeline.read_jsonl(directory / pipeline.PAGES_FILE))


def test_extract_quarantines_a_page_whose_extraction_raises(data_dir, monkeypatch, caplog):
    from smartcity.extract import programme

    keys = build(data_dir)
    directory, _ = _run_parse(data_dir)
    real = programme.extract_programme
    bad = f"{DEMO}/depa/th/article-view/20250115_01"
    bad_title = next(p["title"] for p in pipeline.read_jsonl(directory / pipeline.PAGES_FILE)
                     if p["url"] == bad)

    def extract_programme(text, *args, **kwargs):
        if text.startswith(bad_title):
            raise IndexError("list index out of range")
        return real(text, *args, **kwargs)

    monkeypatch.setattr(programme, "extract_programme", extract_programme)
    with caplog.at_level(logging.INFO, logger="smartcity"):
        counts = pipeline.extract(directory)
    assert counts["quarantined"] == 1 and counts["quarantined_by"] == {"extract: IndexError": 1}
    assert counts["pages"] == counts["articles"] + counts["not_about_programme"] + counts["quarantined"]
    rows = list(pipeline.read_jsonl(directory / pipeline.EXTRACT_QUARANTINE_FILE))
    assert rows == [{"url": bad, "source": "depa", "stage": "extract",
                     "reason": "IndexError: list index out of range", "archive_key": keys[bad],
                     "at": "2026-12-01T00:00:00Z"}]
    assert bad not in {a["url"] for a in pipeline.read_jsonl(directory / "articles.jsonl")}
    assert all("archive_key" not in a for a in pipeline.read_jsonl(directory / "articles.jsonl"))
    assert sum(bad in r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING) == 1
