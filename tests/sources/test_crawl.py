"""Crawl + parse end to end against the demo snapshot server (loopback)."""

import dataclasses
import re

from smartcity.sources.config import demo_sources
from smartcity.sources.crawl import crawl, parse_feed, parse_sitemap
from smartcity.sources.parse import parse_all
from smartcity.sources.state import open_state

ARTICLE_PATH = re.compile(r"/(details|ministry_details|news|article-view|smart-city-plan|events)/[^/?]+/?$")


def article_requests(counts) -> int:
    return sum(n for path, n in counts.items() if ARTICLE_PATH.search(path) and "/page/" not in path)


def test_first_crawl_balances_and_archives(demo_server, tmp_path):
    _server, base = demo_server
    report = crawl(demo_sources(base), tmp_path).as_dict()
    assert report["balanced"]
    assert (
        report["discovered"]
        == report["fetched"] + report["unchanged"] + report["failed"] + report["soft_404"]
    )
    assert report["sources"]["thaigov"]["soft_404"] == 1
    assert report["sources"]["depa"]["failed"] == 1  # the broken link answers 404
    assert report["fetched"] == 13
    archived = list((tmp_path / "archive").rglob("*.html.gz"))
    assert archived and all(re.fullmatch(r"[0-9a-f]{2}", p.parent.name) for p in archived)
    assert all(p.name.startswith(p.parent.name) for p in archived)


def test_rerun_fetches_no_article_page_again(demo_server, tmp_path):
    server, base = demo_server
    crawl(demo_sources(base), tmp_path)
    first = article_requests(server.counts)
    assert first >= 13
    server.counts.clear()
    report = crawl(demo_sources(base), tmp_path).as_dict()
    assert article_requests(server.counts) == 0, dict(server.counts)
    assert report["fetched"] == 0 and report["balanced"]
    # stop condition: the first listing page held only known items, so page 2 was not read
    assert "/thaigov/news/contents/index/999?per_page=10" not in server.counts


def test_parse_all_articles_events_quarantine(demo_server, tmp_path):
    _server, base = demo_server
    crawl(demo_sources(base), tmp_path)
    result = parse_all(tmp_path)
    urls = {a.url.removeprefix(base) for a in result.articles}
    assert "/thaigov/news/contents/details/48474" in urls
    assert "/thaigov/news/contents/details/48499" not in urls  # soft 404: not an article
    reasons = {q.url.removeprefix(base): (q.stage, q.reason) for q in result.quarantined}
    assert reasons["/thaigov/news/contents/details/48490"][0] == "parse"  # truncated
    assert reasons["/depa/th/article-view/20200101_99"] == ("fetch", "HTTP 404")
    assert len(result.articles) + len(result.quarantined) == 14
    truncated = next(q for q in result.quarantined if q.stage == "parse")
    assert truncated.archive_key and (tmp_path / "archive" / truncated.archive_key).exists()

    by_name = {e.name: e for e in result.events}
    showcase = by_name["Smart Economy Showcase"]
    assert (showcase.start_date, showcase.province_code) == ("2021-11-19", "TH-90")
    week = by_name["Thailand Smart City Week 2020"]
    assert (week.start_date, week.end_date) == ("2020-10-16", "2020-10-22")  # year from the article
    ascn = by_name["ASEAN Smart Cities Network Conference and Exhibition 2019"]
    assert ascn.source_url.endswith("/sco/events/ascn-2019/")  # the event page wins over the mention
    assert len({e.event_id for e in result.events}) == len(result.events)

    article = next(a for a in result.articles if a.url.endswith("48474"))
    assert article.article_id == "thaigov:48474" and article.published == "2021-11-19"
    assert len(article.content_hash) == 64 and article.fetched_at


def test_parse_all_is_idempotent(demo_server, tmp_path):
    _server, base = demo_server
    crawl(demo_sources(base), tmp_path)
    assert parse_all(tmp_path) == parse_all(tmp_path)


def test_failed_page_not_requested_again(demo_server, tmp_path):
    _server, base = demo_server
    crawl(demo_sources(base), tmp_path)
    state = open_state(tmp_path)
    broken = state.get(base + "/depa/th/article-view/20200101_99")
    state.close()
    assert broken.status == 404 and broken.error == "HTTP 404"


def test_thaigov_needs_authorisation(demo_server, tmp_path):
    server, base = demo_server
    sources = demo_sources(base)
    sources[0] = dataclasses.replace(sources[0], authorised=False)
    assert not sources[0].enabled
    report = crawl(sources, tmp_path).as_dict()
    assert "thaigov" not in report["sources"]
    assert not any(p.startswith("/thaigov/") for p in server.counts)


def test_parse_sitemap_and_feed():
    sitemap = b"""<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
    <url><loc>https://h/th/news/1</loc><lastmod>2026-01-02</lastmod></url><url><loc>/th/news/2</loc></url></urlset>"""
    urls, children = parse_sitemap(sitemap, "https://h/sitemap.xml")
    assert urls == [("https://h/th/news/1", "2026-01-02"), ("https://h/th/news/2", None)] and children == []
    index = b"""<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
    <sitemap><loc>https://h/s1.xml</loc></sitemap></sitemapindex>"""
    assert parse_sitemap(index, "https://h/")[1] == ["https://h/s1.xml"]
    atom = b"""<feed xmlns="http://www.w3.org/2005/Atom"><entry><link href="https://h/a/1"/>
    <updated>2024-07-01T00:00:00Z</updated></entry></feed>"""
    assert parse_feed(atom, "https://h/") == [("https://h/a/1", "2024-07-01T00:00:00Z")]


def test_id_walk_stops_after_soft_404s(demo_server, tmp_path):
    server, base = demo_server
    source = dataclasses.replace(
        demo_sources(base)[0],
        listings=[],
        sitemaps=[],
        id_walk={"template": base + "/thaigov/news/contents/details/{id}", "start": 48474, "max_misses": 3},
    )
    report = crawl([source], tmp_path).as_dict()["sources"]["thaigov"]
    # 48474 and 48480 exist; 48475-48477 are soft 404s: three in a row stop the walk at 48477
    assert report["fetched"] == 1 and report["soft_404"] == 3
    assert "/thaigov/news/contents/details/48478" not in server.counts


def test_sitemap_lastmod_change_refetches_conditionally(demo_server, tmp_path):
    server, base = demo_server
    crawl(demo_sources(base), tmp_path)
    state = open_state(tmp_path)
    page = state.get(base + "/thaigov/th/news/90210")
    page.lastmod = "2025-01-01"  # older than the sitemap's 2026-01-12: the site announces a change
    state.put(page)
    state.close()
    server.counts.clear()
    report = crawl(demo_sources(base), tmp_path).as_dict()
    assert server.counts["/thaigov/th/news/90210"] == 1
    assert report["sources"]["thaigov"]["unchanged"] >= 1 and report["fetched"] == 0  # 304


def test_failed_page_is_retried_after_its_back_off_and_requeued(demo_server, tmp_path):
    from datetime import datetime, timedelta

    from smartcity.sources.cli import main
    from smartcity.sources.crawl import requeue_failed, retry_due

    server, base = demo_server
    broken = "/depa/th/article-view/20200101_99"
    crawl(demo_sources(base), tmp_path)
    server.counts.clear()
    crawl(demo_sources(base), tmp_path)
    assert server.counts[broken] == 0  # within its back-off: no request
    state = open_state(tmp_path)
    page = state.get(base + broken)
    state.close()
    now = datetime.fromisoformat(page.checked_at)
    assert not retry_due(page, now + timedelta(hours=23))  # a 404 waits a day first
    assert retry_due(page, now + timedelta(days=1, seconds=1))
    page.attempts = 10
    assert not retry_due(page, now + timedelta(days=6)) and retry_due(page, now + timedelta(days=7))
    page.status, page.attempts = 503, 1  # a transient failure waits an hour
    assert retry_due(page, now + timedelta(hours=1)) and not retry_due(page, now + timedelta(minutes=59))

    assert requeue_failed(tmp_path, source="smartcity_office") == 0
    assert main(["--requeue-failed", "--source", "depa", "--data-dir", str(tmp_path)]) == 0
    server.counts.clear()
    report = crawl(demo_sources(base), tmp_path).as_dict()
    assert server.counts[broken] == 1 and report["sources"]["depa"]["failed"] == 1  # tried again, still 404


def test_parse_feed_rss_relative_links_and_garbage():
    import pytest

    from smartcity.sources.base import ParseError

    rss = """<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>
    <item><title>ข่าวทดสอบ</title><link>/th/article-view/1</link>
    <pubDate>Wed, 15 Jan 2025 03:00:00 GMT</pubDate></item></channel></rss>""".encode()
    expected = [("https://h/th/article-view/1", "Wed, 15 Jan 2025 03:00:00 GMT")]
    assert parse_feed(rss, "https://h/th/rss.xml") == expected
    with pytest.raises(ParseError):
        parse_feed(b"\x00not a feed", "https://h/")
