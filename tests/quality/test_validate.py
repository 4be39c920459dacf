"""Real Great Expectations runs of every suite: a good frame passes, each critical expectation
stops a frame that breaks it, warnings pass and report."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest

from smartcity.quality import DATASETS, DataQualityError, load_suite, validate_frame
from smartcity.quality.validate import _column_of
from tests.quality.conftest import FRAMES, NOW


def _identity(exp_type: str, kwargs: dict) -> tuple:
    cond = kwargs.get("row_condition")
    return exp_type, _column_of(kwargs), json.dumps(cond.get("parameter") if cond else None)


def _bad_text(regex: str) -> str:
    return " " if regex == r"\S" else "!! not valid !!"


def break_frame(frame: pd.DataFrame, exp: dict, suite: dict) -> pd.DataFrame:
    """A copy of the good ``frame`` that violates expectation ``exp`` (row 0 is the culprit)."""
    df = frame.copy()
    kw = exp["kwargs"]
    derived = {d["name"]: d for d in suite["meta"]["derived_columns"]}
    col = kw.get("column")
    source = derived[col].get("from") if col in derived else col
    kind = exp["type"]
    if kind == "expect_table_columns_to_match_ordered_list":
        return df.rename(columns={df.columns[1]: "unexpected_column"})
    if kind == "expect_table_row_count_to_be_between":
        return df.head(0)
    if kind == "expect_column_values_to_not_be_null":
        df[col] = df[col].astype(object)
        df.loc[0, col] = None
    elif kind == "expect_column_values_to_be_unique":
        df.loc[1, col] = df.loc[0, col]
    elif kind == "expect_compound_columns_to_be_unique":
        for c in kw["column_list"]:
            df.loc[1, c] = df.loc[0, c]
    elif kind == "expect_column_values_to_match_regex":
        df[col] = df[col].astype(object)
        df.loc[0, col] = _bad_text(kw["regex"])
    elif kind == "expect_column_values_to_be_in_set":
        df.loc[0, col] = "bogus"
    elif kind == "expect_column_pair_values_to_be_in_set":
        df.loc[0, kw["column_B"]] = "THB" if df.loc[0, kw["column_B"]] != "THB" else "count"
    elif kind == "expect_column_values_to_be_in_type_list":
        df[col] = df[col].astype(object)
        df.loc[0, col] = "twelve"
    elif kind == "expect_column_pair_values_a_to_be_greater_than_b":
        a, b = kw["column_A"], kw["column_B"]
        if a in derived:
            df.loc[0, derived[a]["from"]], df.loc[0, derived[b]["from"]] = "2023-01-01", "2023-01-05"
        else:
            df.loc[0, a] = df.loc[0, b]
    elif kind == "expect_column_values_to_match_json_schema":
        df.loc[0, col] = "{}"
    elif kind == "expect_column_values_to_be_between":
        if col in derived:  # a date window: a day before 2015
            df.loc[0, source] = (
                "2014-12-31T00:00:00Z" if derived[col]["kind"] == "timestamp" else "2014-12-31"
            )
        elif "row_condition" in kw:
            metric = kw["row_condition"]["parameter"][0]
            df.loc[0, "metric"] = metric
            if "unit" in df.columns:
                df.loc[0, "unit"] = "THB" if metric == "amount_thb" else "count"
            df.loc[0, col] = float(kw["max_value"]) + 1
        else:
            df.loc[0, col] = kw["min_value"] - 1
    elif kind == "expect_column_value_lengths_to_be_between" and kw.get("max_value"):
        df[col] = df[col].astype(object)
        df.loc[0, col] = "ก" * (kw["max_value"] + 1)
    else:
        raise AssertionError(f"no breaker for {kind}")
    return df


def _criticals() -> list:
    cases = []
    for dataset in DATASETS:
        suite = load_suite(dataset)
        for i, exp in enumerate(suite["expectations"]):
            if exp["meta"]["severity"] == "critical":
                if suite["meta"].get("may_be_empty") and "row_count" in exp["type"]:
                    continue  # an empty frame passes these suites: tests/quality/test_empty_datasets.py
                cases.append(
                    pytest.param(
                        dataset, i, id=f"{dataset}-{i}-{exp['type'][7:]}-{_column_of(exp['kwargs'])}"
                    )
                )
    return cases


@pytest.mark.parametrize("dataset", DATASETS)
def test_good_frame_passes(dataset):
    report = validate_frame(dataset, FRAMES[dataset](), now=NOW)
    assert report.success, report.describe_critical()
    assert report.critical_failures == []
    assert report.evaluated == len(load_suite(dataset)["expectations"])
    report.raise_for_critical()  # does not raise


@pytest.mark.parametrize(("dataset", "index"), _criticals())
def test_each_critical_expectation_stops_a_frame_that_breaks_it(dataset, index):
    suite = load_suite(dataset)
    exp = suite["expectations"][index]
    bad = break_frame(FRAMES[dataset](), exp, suite)
    report = validate_frame(dataset, bad, now=NOW)
    assert not report.success
    failed = {_identity(f.expectation, f.kwargs) for f in report.critical_failures}
    assert _identity(exp["type"], exp["kwargs"]) in failed
    with pytest.raises(DataQualityError) as info:
        report.raise_for_critical()
    assert exp["type"] in str(info.value)


def test_failure_names_the_offending_rows():
    frame = FRAMES["figures"]()
    frame.loc[3, "value"] = 20_000.0  # a zone count far beyond any plausible number
    report = validate_frame("figures", frame, now=NOW)
    [failure] = [f for f in report.critical_failures if f.column == "value"]
    assert failure.unexpected_count == 1
    assert failure.examples == [{"value": 20_000.0, "figure_id": frame.loc[3, "figure_id"]}]
    with pytest.raises(DataQualityError, match=frame.loc[3, "figure_id"]):
        report.raise_for_critical()


def test_warning_only_failure_passes_and_reports():
    frame = FRAMES["figures"]()
    frame.loc[0, "published"] = None  # undated: published, but flagged
    frame.loc[1, "value"] = 39.0
    report = validate_frame("figures", frame, now=NOW)
    assert report.success
    assert {f.column for f in report.warnings} == {"published"}
    summary = report.as_dict()
    assert summary["warnings_failed"] == 1 and summary["critical_failed"] == 0
    json.dumps(summary)  # JSON-safe


def test_breakdown_that_does_not_add_up_is_a_warning_with_its_gap():
    frame = FRAMES["figures"]()
    frame.loc[2, "value"] = 30.0  # 27 -> 30: the parts now sum to 95, the article says 92
    report = validate_frame("figures", frame, now=NOW)
    assert report.success
    [warning] = report.warnings
    assert warning.column == "_breakdown_gap"
    assert warning.examples == [{"_breakdown_gap": 3.0, "figure_id": frame.loc[0, "figure_id"]}]


def test_now_is_injected_at_run_time():
    frame = FRAMES["figures"]()
    frame["published"] = "2026-11-22"
    late = validate_frame("figures", frame, now=NOW)  # 10:00 in Bangkok on the 21st
    assert any(f.column == "_published_ts" for f in late.critical_failures)
    assert validate_frame("figures", frame, now=NOW + dt.timedelta(days=1)).success


def test_list_fields_may_be_lists_or_json_text():
    frame = FRAMES["totals"]()
    frame["sources"] = frame["sources"].map(json.loads)
    frame["values_seen"] = frame["values_seen"].map(json.loads)
    assert validate_frame("totals", frame, now=NOW).success
    frame.at[0, "sources"] = []
    assert not validate_frame("totals", frame, now=NOW).success


def test_conflict_total_is_published_with_a_warning():
    frame = FRAMES["totals"]()
    frame.loc[0, "status"] = "conflict"
    report = validate_frame("totals", frame, now=NOW)
    assert report.success and [w.column for w in report.warnings] == ["status"]


def test_data_docs_are_built(tmp_path):
    report = validate_frame("checks", FRAMES["checks"](), docs_dir=tmp_path / "docs", now=NOW)
    assert report.docs_index == tmp_path / "docs" / "index.html"
    assert "checks" in report.docs_index.read_text(encoding="utf-8")
    assert list((tmp_path / "docs" / "validations").rglob("*.html"))
