"""A curator's decisions (smartcity.review): recorded, loaded, applied; the command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from smartcity import review


def _row(figure_id: str, confidence: str, scope: str | None = "new") -> dict:
    return {"figure_id": figure_id, "confidence": confidence, "scope": scope, "qualifier": "exact",
            "metric": "smart_city_count", "value": 7.0, "unit": "count", "region": None,
            "source_url": "https://example.invalid/a", "rule": "r", "evidence": "e"}


def test_without_decisions_high_is_published_and_low_is_pending():
    published, pending, rejected = review.apply([_row("a", "high"), _row("b", "low")], {})
    assert [r["figure_id"] for r in published] == ["a"]
    assert [r["figure_id"] for r in pending] == ["b"] and rejected == 0
    assert published[0]["review"] is None


def test_decisions_accept_reject_and_correct(tmp_path: Path):
    path = tmp_path / "review" / "decisions.jsonl"
    review.record(path, review.Decision("b", "accept", note="checked the release"))
    review.record(path, review.Decision("a", "reject"))
    review.record(path, review.Decision("c", "correct", scope="", qualifier="approx"))
    decisions = review.load(path)
    assert decisions["a"].by and decisions["a"].at  # stamped
    rows = [_row("a", "high"), _row("b", "low"), _row("c", "low", scope="total")]
    published, pending, rejected = review.apply(rows, decisions)
    by_id = {r["figure_id"]: r for r in published}
    assert set(by_id) == {"b", "c"} and pending == [] and rejected == 1
    assert by_id["b"]["review"] == "accepted"
    corrected = by_id["c"]
    assert (corrected["review"], corrected["scope"], corrected["qualifier"]) == ("corrected", None, "approx")


def test_the_last_decision_on_a_figure_wins(tmp_path: Path):
    path = tmp_path / "d.jsonl"
    review.record(path, review.Decision("a", "reject"))
    review.record(path, review.Decision("a", "accept"))
    assert review.load(path)["a"].action == "accept"
    assert len(path.read_text(encoding="utf-8").splitlines()) == 2  # appended, history kept


@pytest.mark.parametrize("line", ['{"figure_id": "a", "action": "maybe"}', "not json",
                                  '{"figure_id": "a", "action": "correct"}'])
def test_a_malformed_decision_is_an_error_naming_file_and_line(tmp_path: Path, line: str):
    path = tmp_path / "d.jsonl"
    path.write_text('{"figure_id": "x", "action": "reject"}\n' + line + "\n", encoding="utf-8")
    with pytest.raises(review.DecisionError, match=r"d\.jsonl:2"):
        review.load(path)


def test_decisions_path_prefers_the_variable_then_the_environment(monkeypatch, tmp_path: Path):
    monkeypatch.setenv("SMARTCITY_DECISIONS", str(tmp_path / "env.jsonl"))
    assert review.decisions_path(str(tmp_path / "var.jsonl")) == tmp_path / "var.jsonl"
    assert review.decisions_path(None) == tmp_path / "env.jsonl"
    monkeypatch.delenv("SMARTCITY_DECISIONS")
    monkeypatch.setenv("SMARTCITY_DATA_DIR", str(tmp_path / "data"))
    assert review.decisions_path(None) == tmp_path / "data" / "review" / "decisions.jsonl"


def test_the_command_lists_pending_candidates_and_records_decisions(tmp_path: Path, capsys):
    run = tmp_path / "runs" / "r1"
    run.mkdir(parents=True)
    rows = [{**_row(i, "low"), "context": "ข้อความรอบ ๆ", "article_title": "หัวข้อ", "published": None}
            for i in ("f1", "f2")]
    (run / "review_candidates.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    decisions = tmp_path / "d.jsonl"
    assert review.main(["--decisions", str(decisions), "list", "--run", str(run)]) == 0
    out = capsys.readouterr().out
    assert "2 pending of 2" in out and "f1" in out and "ข้อความรอบ ๆ" in out
    assert review.main(["--decisions", str(decisions), "reject", "f1", "--note", "not the programme"]) == 0
    assert review.main(["--decisions", str(decisions), "correct", "f2", "--scope", "none"]) == 0
    capsys.readouterr()
    assert review.main(["--decisions", str(decisions), "list", "--run", str(run)]) == 0
    assert "0 pending of 2" in capsys.readouterr().out
    loaded = review.load(decisions)
    assert loaded["f1"].note == "not the programme" and loaded["f2"].scope == ""
    assert review.main(["--decisions", str(decisions), "correct", "f2"]) == 2  # nothing to correct
