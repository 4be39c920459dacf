"""Totals come from published figures only: a low-confidence candidate never reaches them.

Runs the extract and reconcile stages (no Airflow, no crawl) over pages written here.  The
grader is wrapped so that it marks one fact low, as :mod:`smartcity.extract.confidence` does for a
statement it cannot tie to the programme; the test is about what the stages do with such a row.
"""

from __future__ import annotations

import json

import pytest

from smartcity import pipeline
from smartcity.extract import programme

PAGES = [
    # two publishers state 36 cities; one of them also states 39, which the wrapped grader marks low
    {"url": "https://a.example/1", "source": "depa", "published": "2023-06-30",
     "title": "ดีป้าประกาศผลการรับรองเมืองอัจฉริยะ",
     "body": "ปัจจุบันมีเมืองอัจฉริยะที่ได้รับการรับรองรวมทั้งสิ้น 36 เมือง"},
    {"url": "https://b.example/2", "source": "thaigov", "published": "2023-07-03",
     "title": "depa announces certified smart cities",
     "body": "Thailand now has a total of 36 certified smart cities."},
    {"url": "https://b.example/3", "source": "thaigov", "published": "2024-09-01",
     "title": "ดีป้าประกาศผลการรับรองเมืองอัจฉริยะ",
     "body": "ปัจจุบันมีเมืองอัจฉริยะที่ได้รับการรับรองรวมทั้งสิ้น 39 เมือง"},
]


def _run(tmp_path, demote: float | None, monkeypatch) -> tuple[list[dict], list[dict], list[dict]]:
    real = programme.extract_programme

    def graded(text: str) -> programme.Extraction:
        result = real(text)
        low = [f for f in result.figures if f.value == demote]
        for f in low:
            f.confidence, f.rule = "low", "demoted by the test"
        result.figures = [f for f in result.figures if f not in low]
        result.candidates += low
        return result

    monkeypatch.setattr(programme, "extract_programme", graded)
    directory = pipeline.run_dir(f"run-{demote}", tmp_path)
    directory.mkdir(parents=True, exist_ok=True)
    (directory / pipeline.PAGES_FILE).write_text(
        "".join(json.dumps({"language": "th", **p}, ensure_ascii=False) + "\n" for p in PAGES),
        encoding="utf-8")
    (directory / pipeline.PAGE_EVENTS_FILE).write_text("", encoding="utf-8")
    pipeline.extract(directory, decisions=tmp_path / "no-decisions.jsonl")
    pipeline.reconcile(directory)

    def rows(name: str) -> list[dict]:
        return list(pipeline.read_jsonl(directory / name))

    return rows("figures.jsonl"), rows(pipeline.REVIEW_FILE), rows("totals.jsonl")


def test_the_pages_give_two_totals_when_every_figure_is_high(tmp_path, monkeypatch):
    _, candidates, totals = _run(tmp_path, None, monkeypatch)
    assert candidates == []
    assert [(t["metric"], t["value"]) for t in totals] == [
        ("smart_city_count", 36.0), ("smart_city_count", 39.0)]


@pytest.mark.parametrize("demote", [39.0, 36.0])
def test_a_low_confidence_candidate_never_reaches_the_totals(tmp_path, monkeypatch, demote):
    figures, candidates, totals = _run(tmp_path, demote, monkeypatch)
    assert candidates and {c["value"] for c in candidates} == {demote}
    assert {c["confidence"] for c in candidates} == {"low"}
    assert demote not in {f["value"] for f in figures}
    assert demote not in {t["value"] for t in totals}
    assert demote not in {v for t in totals for v in t["values_seen"]}
    # every total is stated by published figures of each of its sources
    for t in totals:
        stating = {f["source_url"] for f in figures
                   if (f["metric"], f["value"]) == (t["metric"], t["value"])}
        assert set(t["sources"]) <= stating
