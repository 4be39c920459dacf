"""The thaigov corpus as a source: a small corpus tree of our own text under tests/fixtures."""

from __future__ import annotations

import os
import shutil
from datetime import date
from pathlib import Path

import pytest

from smartcity.sources import corpus
from smartcity.sources.base import ParseError
from smartcity.sources.config import ConfigError, SourceConfig, load_sources
from smartcity.sources.crawl import crawl
from smartcity.sources.parse import parse_all
from smartcity.sources.state import open_state

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "thaigov_corpus"
ECONOMY = "data/2022/11/18/ด้านเศรษฐกิจ_3_1b2c3d4e-aaaa-4bbb-8ccc-0123456789ab.txt"
CABINET = "data/2021/06/02/สรุปข่าวการประชุม ครม_2.txt"
EMPTY = "data/2024/02/19/_1_0f0e0d0c-1111-4222-8333-444455556666.txt"
ENGLISH = "data/2020/09/30/Government News_4_aaaabbbb-cccc-4ddd-8eee-ffff00001111.txt"


@pytest.fixture
def tree(tmp_path) -> Path:
    """A copy of the fixture corpus (tests change files in it)."""
    root = tmp_path / "thaigov-v2"
    shutil.copytree(FIXTURE, root)
    return root


def source(root: Path, name: str = "thaigov_corpus") -> SourceConfig:
    return SourceConfig(site="thaigov_corpus", name=name, path=str(root))


def test_split_page_parts():
    page = corpus.split_page((FIXTURE / ECONOMY).read_text(encoding="utf-8"))
    assert page.title == "ทดสอบ: โฆษกแถลงความคืบหน้าโครงการเมืองตัวอย่าง"
    assert page.date_line == "วันศุกร์ที่ 18 พฤศจิกายน 2565" and page.short_date == "17/11/2565"
    assert page.url == "https://www.thaigov.go.th/news/contents/details/99001"
    assert page.body.startswith(page.title)  # the page repeats its headline above the body
    assert "พิมพ์" not in page.body and "17/11/2565" not in page.body
    assert "ที่มา : หน่วยงานสมมุติเพื่อการทดสอบ" in page.body  # a citation inside the body stays
    assert "details/99001" not in page.body  # the page-URL line does not


def test_parse_prefers_the_long_date_and_reads_the_category():
    parsed = corpus.parse((FIXTURE / ECONOMY).read_bytes(), ECONOMY)
    assert parsed.published == date(2022, 11, 18)  # the short date says the 17th
    assert parsed.published_text == "วันศุกร์ที่ 18 พฤศจิกายน 2565"
    assert parsed.category == "ด้านเศรษฐกิจ" and parsed.language == "th"
    assert "41 เมือง ใน 27 จังหวัด" in parsed.body


@pytest.mark.parametrize(
    ("rel", "category"),
    [(ECONOMY, "ด้านเศรษฐกิจ"), (CABINET, "สรุปข่าวการประชุม ครม"), (ENGLISH, "Government News"),
     (EMPTY, None), ("data/2024/01/02/ด้านสังคม _12.txt", "ด้านสังคม"), ("a_b_7.txt", "a_b")],
)
def test_category_from_file_name(rel, category):
    assert corpus.category_of(rel) == category


def test_empty_page_is_a_soft_404():
    with pytest.raises(ParseError, match="soft 404"):
        corpus.parse((FIXTURE / EMPTY).read_bytes(), EMPTY)


def test_page_without_source_line_gets_a_stable_id():
    page = corpus.split_page((FIXTURE / CABINET).read_text(encoding="utf-8"))
    url = corpus.page_url(page, CABINET)
    assert page.url is None and url == corpus.page_url(page, CABINET)
    assert url.startswith("urn:thaigov-corpus:data/2021/06/02/") and " " not in url
    assert corpus.article_id(url).startswith("thaigov_corpus:data/2021/06/02/")
    assert corpus.article_id("https://www.thaigov.go.th/news/contents/details/99001") == "thaigov:99001"


def test_first_crawl_then_nothing_new(tree, tmp_path):
    data = tmp_path / "data"
    first = crawl([source(tree)], data).as_dict()["sources"]["thaigov_corpus"]
    assert (first["discovered"], first["fetched"], first["soft_404"], first["read"]) == (4, 3, 1, 4)
    second = crawl([source(tree)], data).as_dict()
    counts = second["sources"]["thaigov_corpus"]
    assert counts["read"] == 0 and counts["fetched"] == 0  # not one file opened
    assert (counts["unchanged"], counts["soft_404"]) == (3, 1) and second["balanced"]


def test_changed_and_touched_files(tree, tmp_path):
    data = tmp_path / "data"
    crawl([source(tree)], data)
    changed = tree / CABINET
    changed.write_text(changed.read_text(encoding="utf-8") + "ย่อหน้าที่เพิ่มเข้ามาเพื่อการทดสอบ\n", encoding="utf-8")
    touched = tree / ENGLISH
    os.utime(touched, ns=(touched.stat().st_atime_ns, touched.stat().st_mtime_ns + 10**9))
    counts = crawl([source(tree)], data).as_dict()["sources"]["thaigov_corpus"]
    assert (counts["read"], counts["fetched"], counts["unchanged"]) == (2, 1, 2)
    assert crawl([source(tree)], data).as_dict()["sources"]["thaigov_corpus"]["read"] == 0
    article = next(a for a in parse_all(data).articles if a.category == "สรุปข่าวการประชุม ครม")
    assert "ย่อหน้าที่เพิ่มเข้ามา" in article.body


def test_parse_gives_articles_with_provenance(tree, tmp_path):
    data = tmp_path / "data"
    crawl([source(tree)], data)
    result = parse_all(data)
    by_url = {a.url: a for a in result.articles}
    assert len(result.articles) == 3 and result.quarantined == []  # the soft 404 is no article
    article = by_url["https://www.thaigov.go.th/news/contents/details/99001"]
    assert article.article_id == "thaigov:99001" and article.source == "thaigov_corpus"
    assert article.published == "2022-11-18" and article.title.startswith("ทดสอบ: โฆษก")
    assert len(article.content_hash) == 64 and article.fetched_at
    english = by_url["https://www.thaigov.go.th/news/contents/details/99003"]
    assert english.language == "en" and english.category == "Government News"
    state = open_state(data)
    try:
        assert state.get(article.url).origin == ECONOMY  # the file it came from
    finally:
        state.close()


def test_only_configured_sources_are_parsed(tree, tmp_path):
    data = tmp_path / "data"
    crawl([source(tree, "corpus-a")], data)
    assert len(parse_all(data, sources=["corpus-a"]).articles) == 3
    assert parse_all(data, sources=["something-else"]).articles == []


def test_config_reads_relative_path_from_the_yaml_folder(tree, tmp_path):
    config = tmp_path / "conf" / "sources.yaml"
    config.parent.mkdir()
    config.write_text("sources:\n  - site: thaigov_corpus\n    path: ../thaigov-v2\n", encoding="utf-8")
    (loaded,) = load_sources(config)
    assert Path(loaded.path) == tree.resolve() and loaded.name == "thaigov_corpus" and loaded.enabled
    with pytest.raises(ConfigError, match="needs a path"):
        SourceConfig(site="thaigov_corpus")


def test_missing_corpus_path_is_an_error(tmp_path):
    with pytest.raises(corpus.CorpusError, match="not a directory"):
        crawl([source(tmp_path / "nowhere")], tmp_path / "data")
