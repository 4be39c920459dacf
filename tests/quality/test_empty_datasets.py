"""Empty is not broken: registry and events may legitimately be empty (a source slice with no
named list of cities, no announced event); articles, figures and totals may not."""

from __future__ import annotations

import pandas as pd
import pytest

from smartcity import records
from smartcity.pipeline import DATASET_FILES
from smartcity.quality.suites import load_suite
from smartcity.quality.validate import DataQualityError, may_be_empty, validate_frame
from tests.quality.conftest import registry_frame


def _empty(dataset: str) -> pd.DataFrame:
    return pd.DataFrame(columns=records.columns(DATASET_FILES[dataset][1]))


def test_only_registry_and_events_may_be_empty():
    assert {d for d in DATASET_FILES if may_be_empty(load_suite(d))} == {"registry", "events"}


@pytest.mark.parametrize("dataset", ["registry", "events"])
def test_an_empty_registry_or_events_table_passes_and_says_so(dataset, now):
    report = validate_frame(dataset, _empty(dataset), now=now)
    assert report.success, report.describe_critical()
    assert report.empty_allowed and report.row_count == 0
    assert report.as_dict()["empty_allowed"] is True
    report.raise_for_critical()  # no error


@pytest.mark.parametrize("dataset", ["articles", "figures", "totals"])
def test_an_empty_articles_figures_or_totals_table_is_a_broken_stage(dataset, now):
    report = validate_frame(dataset, _empty(dataset), now=now)
    assert not report.success and not report.empty_allowed
    assert "expect_table_row_count_to_be_between" in {f.expectation for f in report.critical_failures}
    with pytest.raises(DataQualityError, match="row_count"):
        report.raise_for_critical()


def test_an_empty_registry_still_needs_its_columns(now):
    frame = _empty("registry").drop(columns=["kind"])
    report = validate_frame("registry", frame, now=now)
    assert not report.success
    assert {f.expectation for f in report.critical_failures} >= {"expect_table_columns_to_match_ordered_list"}


def test_a_registry_with_rows_is_checked_as_before(now):
    report = validate_frame("registry", registry_frame(), now=now)
    assert report.success and not report.empty_allowed
