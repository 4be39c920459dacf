"""Retry what can heal, never what cannot: permanent errors become AirflowFailException."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from airflow.sdk.exceptions import AirflowFailException

from smartcity.pipeline import StageError
from smartcity.quality.validate import DataQualityError
from smartcity.sources.config import ConfigError
from smartcity_ckan.failures import no_retry_on


def test_a_data_quality_failure_is_not_retried():
    report = SimpleNamespace(describe_critical=lambda: "figures: 2 critical expectations failed (rows 3, 7)")
    error = DataQualityError(report)
    with pytest.raises(AirflowFailException, match=r"DataQualityError.*2 critical expectations") as info:
        with no_retry_on(DataQualityError):
            raise error
    assert info.value.__cause__ is error


def test_a_wrapped_configuration_error_is_not_retried():
    with pytest.raises(AirflowFailException, match=r"ConfigError.*unknown site"):
        with no_retry_on(ConfigError):
            try:
                raise ConfigError("unknown site 'x'")
            except ConfigError as exc:
                raise StageError(f"crawl: {exc}") from exc


@pytest.mark.parametrize("error", [ConnectionError("CKAN down"), TimeoutError("read timeout"),
                                   StageError("parse.jsonl does not exist")])
def test_infrastructure_failures_propagate_to_be_retried(error):
    with pytest.raises(type(error)):
        with no_retry_on(DataQualityError, ConfigError):
            raise error
