"""Asset events: when there is one and what it says (smartcity.assets, no Airflow)."""

from __future__ import annotations

import pytest

from smartcity import assets


def test_source_event_only_when_pages_were_fetched():
    assert assets.source_event("depa", {"discovered": 9, "fetched": 0, "unchanged": 9}) is None
    extra = assets.source_event("depa", {"discovered": 9, "fetched": 2, "unchanged": 7,
                                         "window": {"start": "a", "end": "b"}})
    assert extra["source"] == "depa" and extra["fetched"] == 2 and extra["unchanged"] == 7
    assert extra["window"] == {"start": "a", "end": "b"}
    assert assets.source_uri("thaigov wayback/x") == "smartcity://source/thaigov%20wayback%2Fx"


@pytest.mark.parametrize(("portal", "uri"), [
    ("http://127.0.0.1:5000", "ckan://127.0.0.1:5000/dataset/th-smart-city-figures"),
    ("https://Data.Example.go.th/", "ckan://data.example.go.th/dataset/th-smart-city-figures"),
    ("https://user:secret@portal.example/ckan", "ckan://portal.example/ckan/dataset/th-smart-city-figures"),
    ("portal.example:8080", "ckan://portal.example:8080/dataset/th-smart-city-figures"),
])
def test_dataset_uri_names_portal_and_dataset(portal, uri):
    assert assets.dataset_uri(portal, "th-smart-city-figures") == uri


def test_dataset_event_only_when_ckan_changed():
    unchanged = {"dataset": "x", "dataset_action": "unchanged", "write_calls": 0, "rows": 5}
    assert assets.dataset_event(unchanged) is None
    created = {"dataset": "x", "dataset_action": "created", "write_calls": 4, "rows": 5,
               "url": "http://h/dataset/x", "resources_created": ["figures.csv"]}
    extra = assets.dataset_event(created)
    assert extra["rows"] == 5 and extra["changed"] is True and extra["action"] == "created"
    assert extra["resources_created"] == ["figures.csv"]
    # a resource rewritten while the metadata stays: still a change
    assert assets.dataset_event({**unchanged, "write_calls": 1})["changed"] is True


def test_dataset_alias_matches_the_dags():
    from pathlib import Path

    dags = Path(__file__).resolve().parents[1] / "dags"
    consumer = (dags / "smartcity_figures_consumer.py").read_text()
    assert f'AssetAlias("{assets.dataset_alias("figures")}")' in consumer
    text = (dags / "smartcity_pipeline.py").read_text()
    assert f'AssetAlias("{assets.SOURCE_ALIAS}")' in text and f'AssetAlias("{assets.ARCHIVE_ALIAS}")' in text
