"""Publishing against the REAL local CKAN (``scripts/ckan/up.sh``): idempotence, change
detection, Excel-ready downloads, soft-delete recovery, size limit, failures and convergence."""

from __future__ import annotations

import csv
import io
import socket

import ckanapi
import pytest
import requests

from smartcity.publish import publisher
from smartcity.publish.client import make_client
from smartcity.publish.publisher import CkanUnavailable, UploadTooLarge, publish_all, publish_dataset
from tests.publish.faulty_proxy import FaultyProxy
from tests.publish.publish_data import figures_frame, frames, variant

pytestmark = pytest.mark.integration


def _client(ckan_env, url=None, retries=0):
    return make_client(url or ckan_env["url"], ckan_env["token"], retries=retries, timeout=(3.0, 60.0))


def _datastore_rows(ckan_client, resource_id) -> dict[str, dict]:
    result = ckan_client.action.datastore_search(resource_id=resource_id, limit=1000)
    return {r["figure_id"] if "figure_id" in r else r["total_id"]: r for r in result["records"]}


def _converged(ckan_client, name: str, expected_rows: int) -> None:
    """The dataset has one resource per name and its DataStore table holds exactly the data."""
    package = ckan_client.action.package_show(id=name)
    names = [r["name"] for r in package["resources"]]
    assert len(names) == len(set(names)), names
    csv_res = next(r for r in package["resources"] if r["name"] == "figures.csv")
    result = ckan_client.action.datastore_search(resource_id=csv_res["id"], limit=0)
    assert result["total"] == expected_rows


@pytest.fixture(scope="module")
def published(ckan_env, ckan_client, publish_config, tmp_path_factory):
    """Every dataset published once from scratch; returns (config, reports)."""
    config = variant(publish_config, "a")
    with _client(ckan_env) as ckan:
        reports = publish_all(ckan, frames(), out_dir=tmp_path_factory.mktemp("out"), config=config)
    return config, reports


def test_first_publish_creates_everything(published, ckan_client):
    config, reports = published
    assert [r.dataset for r in reports] == [f"{config.prefix}-{k}" for k in
                                           ("articles", "events", "figures", "registry", "totals")]
    totals = reports[-1]
    assert set(totals.resources_created) >= {"totals.csv", "totals.parquet", "totals-data-dictionary.csv",
                                             "checks.csv", "totals-chart.png"}
    package = ckan_client.action.package_show(id=totals.dataset)
    assert package["organization"]["name"] == config.organization
    extras = {e["key"]: e["value"] for e in package["extras"]}
    assert extras["first_year_of_data"] == "2565" and extras["last_year_of_data"] == "2567"
    assert extras["schema_version"] and extras["data_type"] == "ข้อมูลสถิติ"
    assert package["license_id"] == "cc-by"
    figures = reports[2]
    rows = _datastore_rows(ckan_client, figures.resource_ids["figures.csv"])
    assert len(rows) == 12
    info = ckan_client.action.datastore_info(id=figures.resource_ids["figures.csv"])
    fields = {f["id"]: f for f in info["fields"]}
    assert fields["value"]["type"] == "numeric"
    assert fields["value"]["info"]["label"] == "ค่า"
    totals_rows = _datastore_rows(ckan_client, totals.resource_ids["totals.csv"])
    assert totals_rows["tot-2"]["values_seen"] == "[36.0,39.0]"


def test_second_publish_with_no_change_writes_nothing(published, ckan_env, ckan_client, tmp_path):
    config, first = published
    before = {r.dataset: ckan_client.action.package_show(id=r.dataset)["metadata_modified"] for r in first}
    with _client(ckan_env) as ckan:
        again = publish_all(ckan, frames(), out_dir=tmp_path, config=config)
    assert [r.write_calls for r in again] == [0] * 5, [r.write_calls_by_action for r in again]
    after = {r.dataset: ckan_client.action.package_show(id=r.dataset)["metadata_modified"] for r in again}
    assert after == before
    assert [r.resource_ids for r in again] == [r.resource_ids for r in first]


def test_change_one_figure_changes_only_that(ckan_env, ckan_client, publish_config, tmp_path):
    config = variant(publish_config, "b")
    frame = figures_frame()
    with _client(ckan_env) as ckan:
        first = publish_dataset(ckan, "figures", frame, out_dir=tmp_path / "1", config=config)
        rid = first.resource_ids["figures.csv"]
        rows_before = _datastore_rows(ckan_client, rid)
        dictionary_id = first.resource_ids["figures-data-dictionary.csv"]
        dictionary_before = ckan_client.action.resource_show(id=dictionary_id)

        changed = frame.copy()
        changed.loc[changed["figure_id"] == "fig-0005", "value"] = 99.0
        second = publish_dataset(ckan, "figures", changed, out_dir=tmp_path / "2", config=config)
    assert sorted(second.resources_updated) == ["figures.csv", "figures.parquet"]
    assert second.resources_unchanged == ["figures-data-dictionary.csv", "method.md"]
    assert second.resource_ids == first.resource_ids
    assert second.write_calls_by_action.get("package_patch", 0) == 0
    assert second.datastore["figures"]["written"] == 1  # only the changed row is sent
    assert second.datastore["figures"]["unchanged"] == 11
    rows_after = _datastore_rows(ckan_client, rid)
    assert float(rows_after["fig-0005"]["value"]) == 99.0
    for key, row in rows_before.items():
        if key != "fig-0005":
            assert rows_after[key] == row
    assert ckan_client.action.resource_show(id=first.resource_ids["figures-data-dictionary.csv"]) == (
        dictionary_before
    )

    # a figure that left the data leaves the DataStore table
    fewer = changed[changed["figure_id"] != "fig-0003"]
    with _client(ckan_env) as ckan:
        third = publish_dataset(ckan, "figures", fewer, out_dir=tmp_path / "3", config=config)
    assert third.datastore["figures"]["deleted"] == 1
    assert "fig-0003" not in _datastore_rows(ckan_client, rid)
    assert len(_datastore_rows(ckan_client, rid)) == 11


def test_csv_download_reads_as_excel_would(published, ckan_client):
    _config, reports = published
    figures = reports[2]
    resource = ckan_client.action.resource_show(id=figures.resource_ids["figures.csv"])
    raw = requests.get(resource["url"], timeout=30).content
    assert raw.startswith(b"\xef\xbb\xbf")
    table = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert len(table) == 12
    by_id = {row["figure_id"]: row for row in table}
    assert by_id["fig-0001"]["evidence"].startswith("'=HYPERLINK(")
    assert by_id["fig-0002"]["evidence"] == "ประกาศเมืองอัจฉริยะเพิ่มอีก 12 แห่ง"
    assert by_id["fig-0000"]["region"] == "ภาคตะวันออกเฉียงเหนือ"
    assert resource["content_hash"].startswith("sha256:")


def test_soft_deleted_dataset_is_brought_back(ckan_env, ckan_client, publish_config, tmp_path):
    config = variant(publish_config, "c")
    data = frames()
    with _client(ckan_env) as ckan:
        first = publish_dataset(ckan, "events", data["events"], out_dir=tmp_path, config=config)
        ckan_client.action.package_delete(id=first.dataset)
        assert ckan_client.action.package_show(id=first.dataset)["state"] == "deleted"
        back = publish_dataset(ckan, "events", data["events"], out_dir=tmp_path, config=config)
        assert back.dataset_action == "patched"
        assert ckan_client.action.package_show(id=first.dataset)["state"] == "active"
        assert back.resource_ids == first.resource_ids
        third = publish_dataset(ckan, "events", data["events"], out_dir=tmp_path, config=config)
        assert third.write_calls == 0


def test_oversize_upload_refused_before_any_write(ckan_env, ckan_client, publish_config, tmp_path):
    config = variant(publish_config, "d", max_upload_bytes=600)
    with _client(ckan_env) as ckan, pytest.raises(UploadTooLarge, match=r"figures\.csv"):
        publish_dataset(ckan, "figures", figures_frame(), out_dir=tmp_path, config=config)
    with pytest.raises(ckanapi.NotFound):
        ckan_client.action.package_show(id=f"{config.prefix}-figures")
    # and publish_all checks every dataset before the first write
    with _client(ckan_env) as ckan, pytest.raises(UploadTooLarge):
        publish_all(ckan, frames(), out_dir=tmp_path, config=config)
    with pytest.raises(ckanapi.NotFound):
        ckan_client.action.package_show(id=f"{config.prefix}-articles")


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_ckan_down_fails_with_a_typed_error(ckan_env, publish_config, tmp_path):
    config = variant(publish_config, "e")
    with make_client(f"http://127.0.0.1:{_closed_port()}", ckan_env["token"], retries=1) as ckan:
        # the first call asks the portal its shape (status_show)
        with pytest.raises(CkanUnavailable, match="status_show") as info:
            publish_dataset(ckan, "figures", figures_frame(), out_dir=tmp_path, config=config)
    assert ckan_env["token"] not in str(info.value)


# call order on a fresh dataset (plain CKAN): 1 status_show (portal detection),
# 2 organization_show, 3 package_show, 4 package_create, 5-7 resource_create (csv, parquet,
# dictionary), 8 datastore_create, 9 datastore_search, 10-12 datastore_upsert (batches of 4),
# 13 resource_patch (datastore_hash)
FAULTS = [(4, "before"), (4, "after"), (5, "after"), (7, "after"), (9, "after"), (11, "before"),
          (13, "after")]


@pytest.mark.parametrize(("fail_at", "mode"), FAULTS)
def test_500_mid_publish_then_rerun_converges(ckan_env, ckan_client, publish_config, tmp_path, fail_at, mode):
    config = variant(publish_config, f"f{fail_at}{mode[0]}", datastore_batch=4)
    frame = figures_frame()
    with FaultyProxy(ckan_env["url"], fail_at=fail_at, mode=mode) as proxy:
        with _client(ckan_env, proxy.url) as ckan, pytest.raises(publisher.PublishError):
            publish_dataset(ckan, "figures", frame, out_dir=tmp_path / "1", config=config)
    assert proxy.failed is not None
    with _client(ckan_env) as ckan:
        rerun = publish_dataset(ckan, "figures", frame, out_dir=tmp_path / "2", config=config)
        _converged(ckan_client, rerun.dataset, 12)
        assert publish_dataset(ckan, "figures", frame, out_dir=tmp_path / "3", config=config).write_calls == 0


def test_duplicate_resource_left_elsewhere_is_removed(ckan_env, ckan_client, publish_config, tmp_path):
    config = variant(publish_config, "g")
    data = frames()
    with _client(ckan_env) as ckan:
        first = publish_dataset(ckan, "registry", data["registry"], out_dir=tmp_path, config=config)
        ckan_client.action.resource_create(package_id=first.dataset, name="registry.csv", url="http://127.0.0.1:9/x")
        again = publish_dataset(ckan, "registry", data["registry"], out_dir=tmp_path, config=config)
    assert again.resources_removed == ["registry.csv"]
    names = [r["name"] for r in ckan_client.action.package_show(id=first.dataset)["resources"]]
    assert sorted(names) == sorted(set(names))
    assert again.resource_ids == first.resource_ids
