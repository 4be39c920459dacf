"""Empty is not broken, a drop is, against the local CKAN (:5000): the publisher reads the
``row_count`` of the version on the portal; a drop to zero (or by more than half) is refused with
nothing written, an always-empty dataset publishes an empty table with its dictionary."""

from __future__ import annotations

import pytest

from smartcity.publish.errors import RowCountDropped
from smartcity.publish.publisher import publish_dataset
from tests.publish.publish_data import frames, variant

pytestmark = pytest.mark.integration


def test_a_drop_is_refused_and_always_empty_is_published(ckan_client, publish_config, tmp_path):
    config = variant(publish_config, "rows")
    figures = frames()["figures"]
    first = publish_dataset(ckan_client, "figures", figures, out_dir=tmp_path / "1", config=config)
    before = ckan_client.action.package_show(id=first.dataset)
    assert {e["key"]: e["value"] for e in before["extras"]}["row_count"] == str(len(figures))

    for frame, said in ((figures.iloc[0:0], "dropped to zero"), (figures.iloc[:3], "dropped by 75%")):
        with pytest.raises(RowCountDropped, match=said):
            publish_dataset(ckan_client, "figures", frame, out_dir=tmp_path / "2", config=config)
        after = ckan_client.action.package_show(id=first.dataset)
        assert after["metadata_modified"] == before["metadata_modified"]  # nothing written
    within = publish_dataset(ckan_client, "figures", figures.iloc[:8], out_dir=tmp_path / "3", config=config)
    assert within.rows == 8

    registry = frames()["registry"].iloc[0:0]  # a source slice with no named list, every run
    for run in ("4", "5"):
        report = publish_dataset(ckan_client, "registry", registry, out_dir=tmp_path / run, config=config)
        assert report.rows == 0
    package = ckan_client.action.package_show(id=report.dataset)
    assert {e["key"]: e["value"] for e in package["extras"]}["row_count"] == "0"
    names = {r["name"] for r in package["resources"]}
    assert {"registry.csv", "registry-data-dictionary.csv"} <= names, names
