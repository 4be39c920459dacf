"""Empty is not broken: every dataset may legitimately be empty (a source slice, such as a
backfill day, with no page about the programme, no named list of cities, no announced event);
a drop from the last published version is the publisher's check (tests/publish/test_row_count_drop.py,
tests/publish/test_row_count_integration.py)."""

from __future__ import annotations

import pandas as pd
import pytest

from smartcity import records
from smartcity.pipeline import DATASET_FILES
from smartcity.quality.suites import load_suite
from smartcity.quality.validate import may_be_empty, validate_frame
from tests.quality.conftest import registry_frame


def _empty(dataset: str) -> pd.DataFrame:
    return pd.DataFrame(columns=records.columns(DATASET_FILES[dataset][1]))


def test_every_dataset_may_be_empty_and_says_why():
    for dataset in DATASET_FILES:
        suite = load_suite(dataset)
        assert may_be_empty(suite), dataset
        assert "publish" in suite["meta"]["may_be_empty_why"] or dataset in {"registry", "events"}


@pytest.mark.parametrize("dataset", sorted(DATASET_FILES))
def test_an_empty_table_passes_and_says_so(dataset, now):
    report = validate_frame(dataset, _empty(dataset), now=now)
    assert report.success, report.describe_critical()
    assert report.empty_allowed and report.row_count == 0
    assert report.as_dict()["empty_allowed"] is True
    report.raise_for_critical()  # no error


@pytest.mark.parametrize("dataset", sorted(DATASET_FILES))
def test_an_empty_table_is_still_checked_for_its_columns(dataset, now):
    frame = _empty(dataset)
    frame = frame.drop(columns=[frame.columns[-1]])
    report = validate_frame(dataset, frame, now=now)
    assert not report.success and report.critical_failures


def test_an_empty_registry_still_needs_its_columns(now):
    frame = _empty("registry").drop(columns=["kind"])
    report = validate_frame("registry", frame, now=now)
    assert not report.success
    assert {f.expectation for f in report.critical_failures} >= {"expect_table_columns_to_match_ordered_list"}


def test_a_registry_with_rows_is_checked_as_before(now):
    report = validate_frame("registry", registry_frame(), now=now)
    assert report.success and not report.empty_allowed
