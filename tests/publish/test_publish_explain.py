"""Pages that explain themselves and a catalogue filled as a curator would (no CKAN): every dataset's
notes say how it is made, what scope, qualifier and confidence mean (datasets with figures), the
period covered, how to report an error and how to cite it; a method document goes with every
dataset; the data.go.th fields a publisher knows are filled and nothing is a placeholder; the dates
only the portal knows are kept once set."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pytest

from smartcity.publish import catalog, explain, metadata
from smartcity.publish.bundle import write_bundle
from smartcity.publish.catalog import CatalogConfig
from smartcity.publish.errors import InvalidMetadata
from smartcity.publish.portal import Portal, licences_from_list, rules_from_schema
from smartcity.publish.publisher import _with_dates
from tests.publish.publish_data import frames

GDC_SCHEMA = Path(__file__).resolve().parents[2] / "scripts" / "ckan" / "gdc_dataset.json"
GDC_LICENCES = GDC_SCHEMA.with_name("gdc_licenses.json")  # what the portal's license_list answers
PLACEHOLDER = re.compile(r"example\.(org|com)|TODO|TBD|lorem|placeholder|xxx|n/a", re.IGNORECASE)


def _config(**changes) -> CatalogConfig:
    config = CatalogConfig.from_env()
    return dataclasses.replace(config, **{"maintainer_email": "opendata@smartcity.test", **changes})


def _gdc() -> Portal:
    return Portal(("scheming_datasets", "xloader"), rules_from_schema(json.loads(GDC_SCHEMA.read_text())),
                  licences_from_list(json.loads(GDC_LICENCES.read_text())))


@pytest.mark.parametrize("key", sorted(catalog.DATASETS))
def test_notes_say_how_it_is_made_the_period_where_to_report_and_how_to_cite(key):
    ds = catalog.DATASETS[key]
    notes = metadata.package_dict(ds, frames()[key], _config())["notes"]
    coverage = catalog.temporal_coverage(frames()[key], ds.date_columns)
    assert ds.notes_th in notes and ds.notes_en in notes
    assert explain._MADE[key][1] in notes  # how it is made
    assert f"{coverage[0]} to {coverage[1]}" in notes  # the period, from the data
    assert "Report an error" in notes and "mailto:opendata@smartcity.test" in notes
    assert "Cite as" in notes and ds.name(_config()) in notes and "method.md" in notes
    if key in {"figures", "totals"}:
        for said in ("`total`", "`new`", "`target`", "`more_than`", "`at_least`", "`approx`", "`up_to`",
                     "high confidence", "curator", "review candidates", "ขอบเขต", "ความเชื่อมั่น"):
            assert said in notes, said


def test_errors_are_reported_where_someone_reads_them():
    assert _config(report_url="https://tracker.smartcity.test/new").report_to == "https://tracker.smartcity.test/new"
    assert _config(report_url="").report_to == "mailto:opendata@smartcity.test"  # the contact
    nobody = _config(report_url="", maintainer_email="")  # a local portal only (require_contact)
    assert "mailto" not in nobody.report_to and "http" not in nobody.report_to
    notes = explain.notes(catalog.DATASETS["figures"], nobody, None)
    assert "ผู้ดูแลข้อมูล" in notes and "github.com" not in notes


def test_a_dataset_with_no_dated_row_says_so():
    notes = explain.notes(catalog.DATASETS["events"], _config(), None)
    assert "no dated rows yet" in notes


def test_the_organization_description_is_thai_and_english():
    text = explain.ORGANIZATION_DESCRIPTION
    assert re.search("[\u0e00-\u0e7f]{20}", text) and "Open data on Thailand's smart-city programme" in text
    assert "not official statistics" in text


def test_every_dataset_gets_the_method_document(tmp_path):
    method = explain.method_markdown(_config())
    for heading in ("## Sources and schedule", "## Figures: scope, qualifier, confidence, review",
                    "## Limits", "## Report an error", "## Cite"):
        assert heading in method
    for key, ds in catalog.DATASETS.items():
        bundle = write_bundle(ds, {key: frames()[key]}, tmp_path, None, method)
        upload = next(u for u in bundle.uploads if u.name == explain.METHOD_RESOURCE)
        assert upload.fmt == "Markdown" and upload.path.read_text(encoding="utf-8") == method


@pytest.mark.parametrize("key", sorted(catalog.DATASETS))
def test_the_gdc_fields_a_publisher_knows_are_filled_and_none_is_a_placeholder(key):
    ds = catalog.DATASETS[key]
    sent = metadata.package_dict(ds, frames()[key], _config(), _gdc())
    assert sent["data_classification"] == "เปิดเผย"
    assert (sent["high_value_dataset"], sent["reference_data"], sent["official_statistics"]) == (
        "False", "False", "False")
    assert sent["reference_period"] and sent["accessible_condition"]
    fields = {**sent, **{e["key"]: e["value"] for e in sent.get("extras", [])}}
    assert "url" not in fields and "publisher_url" not in fields  # no project address set: none invented
    code = _config(project_url="https://code.smartcity.test/p")
    configured = metadata.package_dict(ds, frames()[key], code, _gdc())
    fields = {**configured, **{e["key"]: e["value"] for e in configured.get("extras", [])}}
    assert fields["url"] == fields["publisher_url"] == "https://code.smartcity.test/p"
    if ds.data_type == "ข้อมูลสถิติ":
        assert sent["calculation_method"] and sent["disaggregate"]
    for field, value in sent.items():
        if field in {"extras"}:
            continue
        assert value not in ("", None, []), f"{field} is empty"
        assert not PLACEHOLDER.search(json.dumps(value, ensure_ascii=False)), f"{field}: {value}"


def test_no_invented_contact_a_portal_that_requires_one_says_what_to_set():
    ds = catalog.DATASETS["figures"]
    config = dataclasses.replace(CatalogConfig.from_env(), maintainer_email="")
    assert "maintainer_email" not in metadata.package_dict(ds, frames()["figures"], config)  # plain CKAN
    with pytest.raises(InvalidMetadata, match="SMARTCITY_MAINTAINER_EMAIL"):
        metadata.package_dict(ds, frames()["figures"], config, _gdc())


def test_created_date_is_kept_and_last_updated_moves_only_with_the_data():
    gdc, desired = _gdc(), {"name": "x", "extras": []}
    new = _with_dates(desired, None, gdc, True)
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", new["created_date"]) and new["last_updated_date"]
    package = {"created_date": "2026-01-05", "last_updated_date": "2026-02-01",
               "metadata_created": "2025-12-30T10:00:00"}
    same = _with_dates(desired, package, gdc, False)
    assert (same["created_date"], same["last_updated_date"]) == ("2026-01-05", "2026-02-01")
    changed = _with_dates(desired, package, gdc, True)
    assert changed["created_date"] == "2026-01-05" and changed["last_updated_date"] != "2026-02-01"
    # on a plain CKAN they are extras; a dataset made before the field existed: its creation day
    plain = _with_dates(desired, {"metadata_created": "2025-12-30T10:00:00", "extras": []}, Portal(), False)
    assert {"key": "created_date", "value": "2025-12-30"} in plain["extras"]
