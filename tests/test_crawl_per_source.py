"""Per-source crawl as the DAG's mapped tasks call it: list the sources, crawl each on its own
(concurrently, as Celery workers may), merge the reports; a source whose crawl failed keeps its
archived pages in the run and is named in the report."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

import pytest

from smartcity import pipeline


def test_per_source_crawls_add_up_to_one_crawl_of_every_source(tmp_path):
    whole_dir = pipeline.run_dir("whole", tmp_path / "a")
    whole = pipeline.crawl(whole_dir, "demo", data_dir=tmp_path / "a")

    data = tmp_path / "b"
    directory = pipeline.run_dir("mapped", data)
    names = pipeline.list_sources(directory, "demo")
    assert names == whole["configured_sources"] == ["thaigov", "depa", "smartcity_office"]
    # all at once: the demo server's fixed port is waited for, the crawl state shared
    with ThreadPoolExecutor(len(names)) as pool:
        reports = list(pool.map(lambda n: pipeline.crawl_source(directory, "demo", n, data_dir=data), names))
    assert [list(r["sources"]) for r in reports] == [[n] for n in names]
    summary = pipeline.crawl_summary(directory)
    assert summary["failed_sources"] == []
    for key in ("discovered", "fetched", "unchanged", "failed", "soft_404", "balanced"):
        assert summary[key] == whole[key], key
    assert json.loads((directory / "crawl.json").read_text())["configured_sources"] == names
    assert pipeline.configured_sources(directory) == names
    pages = pipeline.parse(whole_dir, data_dir=tmp_path / "a")["pages"]
    assert pipeline.parse(directory, data_dir=data)["pages"] == pages


def test_a_failed_source_is_reported_and_its_archived_pages_still_parsed(tmp_path):
    first = pipeline.run_dir("first", tmp_path)
    pipeline.crawl(first, "demo", data_dir=tmp_path)
    pages = pipeline.parse(first, data_dir=tmp_path)["pages"]

    directory = pipeline.run_dir("second", tmp_path)
    names = pipeline.list_sources(directory, "demo")
    for name in names[1:]:  # the first source's crawl "failed": no report
        pipeline.crawl_source(directory, "demo", name, data_dir=tmp_path)
    summary = pipeline.crawl_summary(directory)
    assert summary["failed_sources"] == names[:1] and set(summary["sources"]) == set(names[1:])
    assert pipeline.configured_sources(directory) == names
    assert pipeline.parse(directory, data_dir=tmp_path)["pages"] == pages


def test_listing_again_forgets_an_earlier_try_and_unknown_names_fail(tmp_path):
    directory = pipeline.run_dir("r", tmp_path)
    names = pipeline.list_sources(directory, "demo")
    pipeline.crawl_source(directory, "demo", names[0], data_dir=tmp_path)
    pipeline.list_sources(directory, "demo")
    assert not list(directory.glob("crawl-*.json"))
    with pytest.raises(pipeline.StageError, match="no source named"):
        pipeline.crawl_source(directory, "demo", "nowhere", data_dir=tmp_path)
    with pytest.raises(pipeline.StageError, match="no source configuration"):
        pipeline.list_sources(directory, None)
