"""Empty is not broken, a drop is: the row count compared with the ``row_count`` of the version
the portal holds, before any write (no CKAN: a stand-in answers the reads)."""

from __future__ import annotations

import dataclasses

import ckanapi
import pytest

from smartcity.publish import catalog
from smartcity.publish.calls import Calls
from smartcity.publish.catalog import CatalogConfig
from smartcity.publish.errors import PERMANENT, RowCountDropped
from smartcity.publish.publisher import publish_all, publish_dataset, published_row_count, refuse_row_drop
from smartcity.quality.rowcount import MAX_DROP_SHARE, max_drop_share, row_count_drop
from smartcity.quality.suites import load_suite
from tests.publish.publish_data import frames


@pytest.mark.parametrize(("rows", "previous"), [
    (0, None), (0, 0), (5, None), (5, 0),  # never published, or always empty: valid
    (10, 10), (12, 10), (5, 10), (6, 10),  # growth, or a drop within half
])
def test_what_is_not_a_drop(rows, previous):
    assert row_count_drop(rows, previous) is None


@pytest.mark.parametrize(("rows", "previous", "said"), [
    (0, 1, "dropped to zero"), (0, 500, "dropped to zero"),
    (4, 10, "dropped by 60% (more than 50%)"), (1, 500, "dropped by 100% (more than 50%)"),
])
def test_a_drop_to_zero_or_by_more_than_the_share_is_critical(rows, previous, said):
    failure = row_count_drop(rows, previous)
    assert failure is not None and failure.severity == "critical"
    assert said in failure.error and f"{previous} rows last published" in failure.error
    assert failure.observed == rows


def test_the_share_comes_from_the_suite_else_the_default():
    assert max_drop_share({"meta": {}}) == MAX_DROP_SHARE
    assert max_drop_share({"meta": {"max_row_drop_share": 0.1}}) == 0.1
    assert row_count_drop(85, 100, 0.1) is not None and row_count_drop(95, 100, 0.1) is None
    for key in catalog.DATASETS:  # every suite a publish reads has a usable share
        assert 0 < max_drop_share(load_suite(key)) < 1


class Portal:
    """A CKAN stand-in on loopback: ``packages`` by name for ``package_show``, the status of a plain
    CKAN with no license_list; any write fails the test."""

    address = "http://127.0.0.1:5999"

    def __init__(self, packages: dict[str, dict]) -> None:
        self.packages, self.actions = packages, []

    def call_action(self, action, data=None, files=None):
        self.actions.append(action)
        if action == "status_show":
            return {"extensions": ["datastore"]}
        if action == "package_show" and data["id"] in self.packages:
            return self.packages[data["id"]]
        if action in {"package_show", "license_list"}:
            raise ckanapi.NotFound(action)
        raise AssertionError(f"no write may be made, got {action}")


def _config() -> CatalogConfig:
    return dataclasses.replace(CatalogConfig.from_env(), prefix="rowtest")


def _published(rows: int, top_level: bool = False) -> dict:
    return {"name": "x", "row_count": str(rows)} if top_level else {
        "name": "x", "extras": [{"key": "row_count", "value": str(rows)}]}


def test_the_last_published_count_is_the_portals_row_count_field():
    call = Calls(Portal({"a": _published(7), "b": _published(3, top_level=True),
                         "c": {"name": "c", "extras": []}}))
    assert [published_row_count(call, n) for n in ("a", "b", "c", "missing")] == [7, 3, None, None]


def test_a_drop_to_zero_is_refused_before_any_write(tmp_path):
    figures = catalog.DATASETS["figures"].name(_config())
    portal = Portal({figures: _published(12)})
    empty = frames()["figures"].iloc[0:0]
    with pytest.raises(RowCountDropped, match="0 rows, dropped to zero from the 12 rows") as info:
        publish_dataset(portal, "figures", empty, out_dir=tmp_path, config=_config())
    assert "SMARTCITY_ACCEPT_ROW_DROP=figures" in str(info.value)
    assert isinstance(info.value, PERMANENT)  # the DAG fails it at once, no retry
    with pytest.raises(RowCountDropped):
        publish_all(portal, {**frames(), "figures": empty}, out_dir=tmp_path, config=_config())
    assert set(portal.actions) <= {"status_show", "license_list", "package_show"}


def test_an_always_empty_dataset_passes_and_a_meant_drop_is_let_through():
    registry = catalog.DATASETS["registry"]
    call = Calls(Portal({"never-rows": _published(0), "had-rows": _published(9)}))
    refuse_row_drop(call, registry, "never-rows", 0, env={})  # always empty: valid
    refuse_row_drop(call, registry, "not-yet-published", 0, env={})
    with pytest.raises(RowCountDropped):
        refuse_row_drop(call, registry, "had-rows", 0, env={})
    refuse_row_drop(call, registry, "had-rows", 0, env={"SMARTCITY_ACCEPT_ROW_DROP": "events, registry"})
    with pytest.raises(RowCountDropped):
        refuse_row_drop(call, registry, "had-rows", 0, env={"SMARTCITY_ACCEPT_ROW_DROP": "figures"})
