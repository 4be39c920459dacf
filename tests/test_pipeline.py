"""The pipeline's stages as the DAG calls them, without Airflow: real demo server, real GX."""

from __future__ import annotations

import json

import pytest

from smartcity import pipeline, records
from smartcity.quality import DataQualityError


@pytest.fixture(scope="module")
def first_run(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("data")
    directory = pipeline.run_dir("run-1", data_dir)
    counts = {
        "crawl": pipeline.crawl(directory, "demo", data_dir=data_dir),
        "parse": pipeline.parse(directory, data_dir=data_dir),
        "extract": pipeline.extract(directory),
        "reconcile": pipeline.reconcile(directory),
    }
    return data_dir, directory, counts


def test_run_directory_names_are_filesystem_safe(tmp_path):
    directory = pipeline.run_dir("manual__2026-11-21T03:05:57+00:00", tmp_path)
    assert directory.parent == tmp_path / "runs" and ":" not in directory.name and "+" not in directory.name


def test_stages_account_for_every_page_and_figure(first_run):
    _, directory, counts = first_run
    crawl = counts["crawl"]
    assert crawl["balanced"] is True
    assert crawl["discovered"] == crawl["fetched"] + crawl["unchanged"] + crawl["failed"] + crawl["soft_404"]
    assert counts["parse"]["pages"] > 0 and counts["parse"]["quarantined"] > 0
    extract = counts["extract"]
    assert extract["pages"] == counts["parse"]["pages"]
    assert extract["pages"] == extract["articles"] + extract["not_about_programme"]
    figures = list(pipeline.read_jsonl(directory / "figures.jsonl"))
    assert len(figures) == counts["extract"]["figures"] > 0
    articles = {a["url"]: a for a in pipeline.read_jsonl(directory / "articles.jsonl")}
    pages = {p["url"]: p for p in pipeline.read_jsonl(directory / pipeline.PAGES_FILE)}
    for figure in figures:
        text = pipeline.article_text(pages[figure["source_url"]])
        assert text[figure["start"] : figure["end"]] == figure["evidence"]
        assert figure["figure_id"] and figure["source"] == articles[figure["source_url"]]["source"]
    assert len({f["figure_id"] for f in figures}) == len(figures)
    quarantined = list(pipeline.read_jsonl(directory / pipeline.QUARANTINE_FILE))
    assert all(q["reason"] for q in quarantined)


def test_only_pages_about_the_programme_become_articles_each_with_its_reason(first_run):
    _, directory, _ = first_run
    articles = list(pipeline.read_jsonl(directory / "articles.jsonl"))
    pages = list(pipeline.read_jsonl(directory / pipeline.PAGES_FILE))
    assert 0 < len(articles) <= len(pages)
    by_url = {p["url"]: p for p in pages}
    for article in articles:
        assert article["relevance"] and article["relevance"].split(": ", 1)[0] in {
            "title", "item", "paragraph", "body-on-programme-page"
        }
        assert article["relevance_evidence"]
        flat = " ".join(pipeline.article_text(by_url[article["url"]]).split())
        assert " ".join(article["relevance_evidence"].split()) in flat
        # the programme passages instead of the body: words of the page, bounded, at least one
        assert "body" not in article and 1 <= article["passage_count"]
        passages = article["passages"].split("\n\n")
        assert len(passages) == min(article["passage_count"], records.MAX_PASSAGES)
        for passage in passages:
            assert len(passage) <= records.PASSAGE_CHARS
            assert passage.rstrip("…") in flat
    published = {a["url"] for a in articles}
    assert {f["source_url"] for f in pipeline.read_jsonl(directory / "figures.jsonl")} <= published
    events = list(pipeline.read_jsonl(directory / "events.jsonl"))
    assert events and {e["source_url"] for e in events} <= published
    all_events = list(pipeline.read_jsonl(directory / pipeline.PAGE_EVENTS_FILE))
    assert len(all_events) >= len(events)


def test_a_rerun_rebuilds_identical_datasets(first_run):
    data_dir, first, _ = first_run
    second = pipeline.run_dir("run-2", data_dir)
    crawl = pipeline.crawl(second, "demo", data_dir=data_dir)
    assert crawl["fetched"] == 0, "an unchanged snapshot must not be fetched again"
    pipeline.parse(second, data_dir=data_dir)
    pipeline.extract(second)
    pipeline.reconcile(second)
    for name in ("articles.jsonl", "events.jsonl", "figures.jsonl", "registry.jsonl", "totals.jsonl"):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_validate_passes_clean_data_and_writes_data_docs(first_run):
    _, directory, _ = first_run
    result = pipeline.validate(directory, "figures")
    assert result["success"] is True
    assert (directory / "data_docs" / "figures" / "index.html").exists()
    assert json.loads((directory / "validation_figures.json").read_text(encoding="utf-8"))["row_count"] > 0


def test_a_critical_failure_stops_the_dataset_and_names_the_rows(first_run, tmp_path):
    _, directory, _ = first_run
    broken = pipeline.run_dir("broken", tmp_path)
    figures = list(pipeline.read_jsonl(directory / "figures.jsonl"))
    figures[0]["metric"] = "tourist_count"  # not in the metric vocabulary
    bad_id = figures[0]["figure_id"]
    pipeline.write_jsonl(broken / "figures.jsonl", figures)
    with pytest.raises(DataQualityError) as raised:
        pipeline.validate(broken, "figures")
    message = str(raised.value)
    assert "expect_column_values_to_be_in_set" in message and bad_id in message
    assert (broken / "validation_figures.json").exists()


def test_a_missing_stage_input_is_a_clear_error(tmp_path):
    with pytest.raises(pipeline.StageError, match="did the earlier stage run"):
        pipeline.extract(pipeline.run_dir("empty", tmp_path))
