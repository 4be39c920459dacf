"""Integration tests against the real local CKAN 2.11.6 that scripts/ckan/up.sh starts (its
core on the real Apache Solr 9, scripts/ckan/solr.sh), or the user's own CKAN given by CKAN_URL
+ CKAN_API_TOKEN.

Everything created here carries a per-session random suffix and is purged afterwards.
"""

from __future__ import annotations

import io
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import requests

pytestmark = pytest.mark.integration

TITLE = "ตัวชี้วัดเมืองอัจฉริยะ ทดสอบระบบ"
NOTES = "ชุดข้อมูลสำหรับทดสอบการค้นหาภาษาไทย: จำนวนเมืองอัจฉริยะรายภาค"
CSV = "\ufeffregion,city_count\nภาคเหนือ,7\nภาคใต้,5\n".encode()


@pytest.fixture(scope="module")
def names() -> dict[str, str]:
    suffix = uuid.uuid4().hex[:8]
    return {"org": f"test-ckan-org-{suffix}", "dataset": f"test-ckan-ds-{suffix}"}


@pytest.fixture(scope="module")
def published(ckan_client: Any, names: dict[str, str]) -> Iterator[dict[str, Any]]:
    """An organization, a dataset and an uploaded CSV resource; purged at the end."""
    import ckanapi

    org = ckan_client.action.organization_create(name=names["org"], title="หน่วยงานทดสอบ (integration)")
    try:
        dataset = ckan_client.action.package_create(
            name=names["dataset"], title=TITLE, notes=NOTES, owner_org=org["id"],
            tags=[{"name": "smartcity-test"}], license_id="cc-by",
        )
        resource = ckan_client.action.resource_create(
            package_id=dataset["id"], name="เมืองรายภาค.csv", format="CSV",
            upload=("regions.csv", io.BytesIO(CSV)),
        )
        yield {"org": org, "dataset": dataset, "resource": resource}
    finally:
        for action, ident in (("dataset_purge", names["dataset"]), ("organization_purge", names["org"])):
            try:
                getattr(ckan_client.action, action)(id=ident)
            except ckanapi.NotFound:
                pass


def test_status_show_lists_the_datastore(ckan_client: Any) -> None:
    status = ckan_client.action.status_show()
    assert "datastore" in status["extensions"]
    assert status["ckan_version"].startswith("2.")


def test_uploaded_resource_downloads_with_its_bom(published: dict[str, Any],
                                                  ckan_env: dict[str, str]) -> None:
    url = published["resource"]["url"]
    assert url.startswith(ckan_env["url"]) and "/download/" in url
    body = requests.get(url, timeout=10).content
    assert body == CSV


def test_package_search_by_name_org_and_thai_text(ckan_client: Any, published: dict[str, Any],
                                                   names: dict[str, str]) -> None:
    by_name = ckan_client.action.package_search(q=f"name:{names['dataset']}")
    assert [d["name"] for d in by_name["results"]] == [names["dataset"]]
    by_org = ckan_client.action.package_search(fq=f"organization:{names['org']}")
    assert by_org["count"] == 1
    assert by_org["results"][0]["resources"][0]["format"] == "CSV"
    by_text = ckan_client.action.package_search(q="ตัวชี้วัดเมืองอัจฉริยะ", rows=100)
    assert names["dataset"] in [d["name"] for d in by_text["results"]]
    none = ckan_client.action.package_search(q=f"name:{names['dataset']}-nope")
    assert none["count"] == 0


def test_package_search_facets(ckan_client: Any, published: dict[str, Any], names: dict[str, str]) -> None:
    result = ckan_client.action.package_search(
        fq=f"organization:{names['org']}", **{"facet.field": '["tags", "res_format"]'}
    )
    assert result["facets"]["tags"] == {"smartcity-test": 1}
    assert result["facets"]["res_format"] == {"CSV": 1}


def test_organization_show_counts_the_dataset(ckan_client: Any, published: dict[str, Any],
                                              names: dict[str, str]) -> None:
    org = ckan_client.action.organization_show(id=names["org"], include_datasets=True)
    assert org["package_count"] == 1
    assert [d["name"] for d in org["packages"]] == [names["dataset"]]


def test_datastore_upsert_search_and_sql(ckan_client: Any, published: dict[str, Any]) -> None:
    resource_id = published["resource"]["id"]
    ckan_client.action.datastore_create(
        resource_id=resource_id, force=True, primary_key=["region"],
        fields=[{"id": "region", "type": "text"}, {"id": "city_count", "type": "int"}],
        records=[{"region": "ภาคเหนือ", "city_count": 7}, {"region": "ภาคใต้", "city_count": 5}],
    )
    # an upsert on the primary key updates in place instead of adding a row
    ckan_client.action.datastore_upsert(
        resource_id=resource_id, force=True, method="upsert",
        records=[{"region": "ภาคใต้", "city_count": 6}, {"region": "ภาคกลาง", "city_count": 9}],
    )
    found = ckan_client.action.datastore_search(resource_id=resource_id, sort="region")
    assert found["total"] == 3
    assert {r["region"]: r["city_count"] for r in found["records"]} == {
        "ภาคเหนือ": 7, "ภาคใต้": 6, "ภาคกลาง": 9}
    filtered = ckan_client.action.datastore_search(resource_id=resource_id, filters={"region": "ภาคใต้"})
    assert [r["city_count"] for r in filtered["records"]] == [6]
    sql = ckan_client.action.datastore_search_sql(
        sql=f'SELECT SUM(city_count) AS total FROM "{resource_id}"'
    )
    assert int(sql["records"][0]["total"]) == 22


def test_web_ui_pages_show_the_dataset(published: dict[str, Any], names: dict[str, str],
                                       ckan_env: dict[str, str]) -> None:
    base = ckan_env["url"]
    for path in (f"/dataset/{names['dataset']}", f"/organization/{names['org']}", "/dataset/"):
        page = requests.get(base + path, timeout=10)
        assert page.status_code == 200, path
        assert TITLE in page.text, path
    search = requests.get(f"{base}/dataset/", params={"q": "ตัวชี้วัดเมืองอัจฉริยะ"}, timeout=10)
    assert search.status_code == 200 and TITLE in search.text


def test_deleted_dataset_leaves_search(ckan_client: Any, published: dict[str, Any],
                                       names: dict[str, str]) -> None:
    # runs last in this module: delete, check search, restore for the purge in teardown
    ckan_client.action.package_delete(id=names["dataset"])
    assert ckan_client.action.package_search(q=f"name:{names['dataset']}")["count"] == 0
    ckan_client.action.package_patch(id=names["dataset"], state="active")
    assert ckan_client.action.package_search(q=f"name:{names['dataset']}")["count"] == 1
