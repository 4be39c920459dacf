"""The example downstream reader of the figures (smartcity.consumer) against a stub CKAN client."""

from __future__ import annotations

import pytest

from smartcity import consumer

ROWS = [
    {"metric": "smart_city_count", "value": 36, "scope": "total", "source": "thaigov",
     "published": "2024-02-19"},
    {"metric": "smart_city_count", "value": 66, "scope": "target", "source": "depa",
     "published": "2025-01-15"},
    {"metric": "smart_city_count", "value": 30, "scope": "total", "source": "depa", "published": None},
    {"metric": "amount_thb", "value": 1e9, "scope": None, "source": "depa", "published": "2023-06-30"},
]


class StubCkan:
    def __init__(self, resources):
        self.resources, self.calls = resources, []

    def call_action(self, action, data):
        self.calls.append((action, data))
        if action == "package_show":
            return {"name": data["id"], "title": "Figures", "metadata_modified": "m",
                    "resources": self.resources}
        assert action == "datastore_search"
        return {"total": len(ROWS), "records": ROWS[data["offset"]: data["offset"] + data["limit"]]}


def test_dataset_name_from_an_asset_uri():
    uri = "ckan://127.0.0.1:5000/dataset/th-smart-city-figures"
    assert consumer.dataset_name(uri) == "th-smart-city-figures"
    assert consumer.dataset_name("ckan://portal.example/ckan/dataset/a%20b") == "a b"
    with pytest.raises(ValueError):
        consumer.dataset_name("smartcity://source/depa")


def test_summary_reads_every_page_of_the_table():
    ckan = StubCkan([{"id": "r0"}, {"id": "r1", "datastore_active": True}])
    summary = consumer.summarise_dataset(ckan, "ckan://h/dataset/figs")
    assert summary["rows"] == 4 and summary["dataset"] == "figs"
    assert summary["metrics"] == {"amount_thb": 1, "smart_city_count": 3}
    assert summary["max_smart_city_count"] == {"target": 66.0, "total": 36.0}
    assert summary["latest_published"] == "2025-01-15" and summary["sources"] == ["depa", "thaigov"]
    # pages of 3: two datastore_search calls on the table resource
    ckan = StubCkan([{"id": "r1", "datastore_active": True}])
    consumer.read_rows(ckan, "figs", page=3)
    assert [d["offset"] for a, d in ckan.calls if a == "datastore_search"] == [0, 3]


def test_no_table_is_named():
    with pytest.raises(consumer.NoTable, match="figs"):
        consumer.summarise_dataset(StubCkan([{"id": "r0"}]), "figs")
