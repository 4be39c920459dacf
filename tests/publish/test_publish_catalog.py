"""Unit tests of the dataset catalogue: names, DGA metadata, data dictionary."""

from __future__ import annotations

import pandas as pd
import pytest

from smartcity import records
from smartcity.publish import catalog

ALL_RECORD_TYPES = [
    records.Article,
    records.Event,
    records.Figure,
    records.RegistryEntry,
    records.Total,
    records.Check,
    records.Quarantined,
]


@pytest.mark.parametrize("record_type", ALL_RECORD_TYPES, ids=lambda t: t.__name__)
def test_every_column_of_every_record_is_documented(record_type):
    fields = catalog.data_dictionary(record_type)
    assert [f.name for f in fields] == records.columns(record_type)
    for f in fields:
        assert f.label_th and any("\u0e00" <= ch <= "\u0e7f" for ch in f.label_th), f.name
        assert f.description_en[:1].isascii() and f.description_en[:1].isalpha(), f.name
        assert f.type in {"text", "numeric", "int", "date", "timestamp"}


def test_field_types_follow_the_record_annotations():
    figure = {f.name: f for f in catalog.data_dictionary(records.Figure)}
    assert figure["value"].type == "numeric"
    assert figure["start"].type == "int"
    assert figure["published"].type == "date"
    total = {f.name: f for f in catalog.data_dictionary(records.Total)}
    assert total["values_seen"].is_list and total["values_seen"].item_type == "numeric"
    assert total["sources"].is_list and total["sources"].item_type == "text"
    assert {f.name: f for f in catalog.data_dictionary(records.Article)}["fetched_at"].type == "timestamp"


def test_check_columns_have_their_own_meaning():
    check = {f.name: f for f in catalog.data_dictionary(records.Check)}
    assert check["status"].description_en == "pass or fail."


def test_names_are_deterministic_and_configurable(monkeypatch):
    monkeypatch.setenv("SMARTCITY_DATASET_PREFIX", "test-prefix")
    config = catalog.CatalogConfig.from_env()
    assert catalog.DATASETS["figures"].name(config) == "test-prefix-figures"
    assert set(catalog.DATASETS) == {"articles", "events", "figures", "registry", "totals"}


def test_config_defaults_and_upload_limit(monkeypatch):
    for name in ("SMARTCITY_LICENSE_ID", "SMARTCITY_CKAN_MAX_UPLOAD_MB"):
        monkeypatch.delenv(name, raising=False)
    config = catalog.CatalogConfig.from_env()
    assert config.license_id == "cc-by"
    assert config.max_upload_bytes == 10 * 1024 * 1024
    monkeypatch.setenv("SMARTCITY_CKAN_MAX_UPLOAD_MB", "0.5")
    assert catalog.CatalogConfig.from_env().max_upload_bytes == 512 * 1024


def test_primary_keys_and_datastore_tables():
    tables = {t.name: t for ds in catalog.DATASETS.values() for t in ds.tables}
    assert tables["figures"].primary_key == "figure_id" and tables["figures"].datastore
    assert tables["totals"].primary_key == "total_id" and tables["totals"].datastore
    assert tables["checks"].primary_key == "check_id"
    assert [t.name for t in catalog.DATASETS["totals"].tables] == ["totals", "checks"]


def test_buddhist_year():
    assert catalog.buddhist_year("2024-07-01") == 2567
    assert catalog.buddhist_year("2019-01-31") == 2562


def test_temporal_coverage_ignores_missing_and_bad_dates():
    frame = pd.DataFrame({"published": ["2023-05-02", None, "not a date", "2021-12-31", ""]})
    assert catalog.temporal_coverage(frame, ["published"]) == ("2021-12-31", "2023-05-02")
    assert catalog.temporal_coverage(frame.iloc[[1, 2]], ["published"]) is None
    two = pd.DataFrame({"start_date": ["2024-10-16"], "end_date": ["2024-10-22"]})
    assert catalog.temporal_coverage(two, ["start_date", "end_date"]) == ("2024-10-16", "2024-10-22")


def test_package_dict_has_the_dga_fields_computed_from_data():
    frame = pd.DataFrame({"as_of": ["2022-02-01", "2024-07-01"], "metric": ["a", "b"]})
    pkg = catalog.package_dict(catalog.DATASETS["totals"], frame)
    extras = {e["key"]: e["value"] for e in pkg["extras"]}
    for key in ("data_type", "objective", "update_frequency_unit", "update_frequency_interval",
                "geo_coverage", "data_source", "data_format", "data_category", "unit_of_measure"):
        assert extras[key], key
    assert extras["first_year_of_data"] == "2565"
    assert extras["last_year_of_data"] == "2567"
    assert extras["temporal_coverage_start"] == "2022-02-01"
    assert extras["schema_version"] == records.SCHEMA_VERSION
    assert extras["data_type"] == "ข้อมูลสถิติ"
    assert "ยอดรวม" in pkg["title"] and "totals" in pkg["title"].lower()
    assert pkg["license_id"] and pkg["maintainer"]
    assert [t["name"] for t in pkg["tags"]] == sorted(t["name"] for t in pkg["tags"])


def test_record_data_has_no_statistical_unit():
    pkg = catalog.package_dict(catalog.DATASETS["articles"], pd.DataFrame({"published": []}))
    extras = {e["key"]: e["value"] for e in pkg["extras"]}
    assert "unit_of_measure" not in extras
    assert "first_year_of_data" not in extras  # no dates, no coverage claimed
    assert extras["data_type"] == "ข้อมูลระเบียน"


def test_datastore_fields_carry_the_dictionary():
    fields = catalog.datastore_fields(catalog.DATASETS["figures"].main)
    by_id = {f["id"]: f for f in fields}
    assert by_id["figure_id"]["type"] == "text"
    assert by_id["value"]["info"]["label"] == "ค่า"
    assert by_id["value"]["info"]["notes"].startswith("The number")
