"""Integration tests of the real Apache Solr 9 behind the local CKAN (scripts/ckan/solr.sh): what
CKAN's own schema finds in Thai and English for the datasets the publisher writes, facets on
the organization page, and the index across a Solr restart.

The datasets are published by ``publish_dataset`` from the test frames under a per-session
prefix and organization (purged afterwards). With ``CKAN_URL`` set (your own CKAN) its Solr is
not the project's, and these tests are skipped.
"""

from __future__ import annotations

import configparser
import os
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import requests

from smartcity.publish.catalog import DATASETS
from smartcity.publish.client import make_client
from smartcity.publish.publisher import publish_dataset
from tests.publish.publish_data import frames, publish_config, variant

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
LOCAL_CKAN = Path(os.environ.get("SMARTCITY_CKAN_HOME", ROOT / ".local" / "ckan"))
KEYS = ("articles", "events", "figures")
__all__ = ["publish_config"]  # the fixture, shared with tests/publish


@pytest.fixture(scope="module")
def solr_url(ckan_env: dict[str, str]) -> str:
    """This CKAN's ``solr_url`` (its core), from the ckan.ini that up.sh wrote."""
    if os.environ.get("CKAN_URL"):
        pytest.skip("CKAN_URL names your own CKAN: its Solr is not the project's")
    ini = configparser.ConfigParser(interpolation=None, strict=False)
    ini.read(LOCAL_CKAN / "ckan.ini", encoding="utf-8")
    return ini["app:main"]["solr_url"].rstrip("/")


@pytest.fixture(scope="module")
def published(ckan_env: dict[str, str], publish_config: Any, tmp_path_factory: Any) -> dict[str, Any]:
    """Three of the catalogue's datasets as the publisher writes them: {"config", "names"}."""
    config = variant(publish_config, "s")
    out = tmp_path_factory.mktemp("out")
    data = frames()
    with make_client(ckan_env["url"], ckan_env["token"]) as ckan:
        names = {key: publish_dataset(ckan, key, data[key], out_dir=out / key, config=config).dataset
                 for key in KEYS}
    return {"config": config, "names": names}


def _found(ckan_client: Any, published: dict[str, Any], query: str) -> set[str]:
    """The keys of our datasets that CKAN's search (dismax over CKAN's query fields) returns."""
    result = ckan_client.action.package_search(
        q=query, fq=f'organization:"{published["config"].organization}"', rows=50)
    by_name = {name: key for key, name in published["names"].items()}
    return {by_name[d["name"]] for d in result["results"] if d["name"] in by_name}


def test_solr_url_is_apache_solr_9_with_ckans_schema(solr_url: str) -> None:
    node = solr_url.rsplit("/", 1)[0]
    info = requests.get(f"{node}/admin/info/system", params={"wt": "json"}, timeout=10).json()
    assert info["lucene"]["solr-spec-version"].startswith("9."), info["lucene"]
    assert info["lucene"]["lucene-spec-version"].startswith("9."), info["lucene"]
    schema = requests.get(f"{solr_url}/schema/name", params={"wt": "json"}, timeout=10).json()
    assert schema["name"] == "ckan-2.11"
    ping = requests.get(f"{solr_url}/admin/ping", params={"wt": "json"}, timeout=10).json()
    assert ping["status"] == "OK"


@pytest.mark.parametrize(("query", "expected"), [
    # the programme's keyword, in keywords_th of every dataset
    ("เมืองอัจฉริยะ", set(KEYS)),
    # words of the Thai titles and descriptions, published space-separated in keywords_th
    ("บทความ", {"articles"}),
    ("กิจกรรม", {"events"}),
    ("งบประมาณ", {"figures"}),
    ("ข่าว", set(KEYS)),
    # a whole Thai title, which the schema keeps as one token
    (DATASETS["figures"].title_th, {"figures"}),
    # what is NOT found: part of a word run that no keyword splits ("อัจฉริยะ" only ever stands
    # inside "เมืองอัจฉริยะ"), and Thai that is only in the data rows (the DataStore, not Solr)
    ("อัจฉริยะ", set()),
    ("ภาคตะวันออกเฉียงเหนือ", set()),
], ids=["programme-keyword", "title-word", "title-word-2", "description-word", "common-word", "whole-title",
        "part-of-a-word-run", "data-row-only"])
def test_thai_search_finds_whole_words_only(ckan_client: Any, published: dict[str, Any], query: str,
                                            expected: set[str]) -> None:
    assert _found(ckan_client, published, query) == expected


@pytest.mark.parametrize(("query", "expected"), [
    ("smart city", set(KEYS)),
    ("figure", {"figures"}),    # Snowball: "figure" finds "Figures"
    ("budget", {"figures"}),    # ... and "budget" finds "budgets"
    ("forum", {"events"}),
])
def test_english_search_is_stemmed(ckan_client: Any, published: dict[str, Any], query: str,
                                   expected: set[str]) -> None:
    assert _found(ckan_client, published, query) == expected


def test_organization_page_shows_facets(published: dict[str, Any], ckan_env: dict[str, str]) -> None:
    org = published["config"].organization
    page = requests.get(f"{ckan_env['url']}/organization/{org}", timeout=30)
    assert page.status_code == 200
    for facet in ("tags=statistics", "tags=news", "tags=events", "res_format=CSV"):
        assert re.search(rf'href="[^"]*[?&]{re.escape(facet)}"', page.text), facet
    # following a facet narrows the list to what Solr counts for it
    narrowed = requests.get(f"{ckan_env['url']}/organization/{org}", params={"tags": "statistics"},
                            timeout=30)
    assert published["names"]["figures"] in narrowed.text
    assert published["names"]["articles"] not in narrowed.text


def test_facet_counts_through_the_api(ckan_client: Any, published: dict[str, Any]) -> None:
    result = ckan_client.action.package_search(
        fq=f'organization:"{published["config"].organization}"',
        **{"facet.field": '["tags", "res_format", "organization"]', "facet.limit": 50})
    assert result["facets"]["tags"]["smart-city"] == 3
    assert result["facets"]["tags"]["statistics"] == 1
    assert result["facets"]["res_format"]["CSV"] == 3
    assert result["facets"]["organization"] == {published["config"].organization: 3}


def test_index_survives_a_solr_restart(ckan_client: Any, published: dict[str, Any], solr_url: str) -> None:
    # runs last in this module: stops this checkout's Solr node and starts it again through up.sh
    org = published["config"].organization
    query = {"q": f'organization:"{org}"', "wt": "json", "rows": 0}
    before = requests.get(f"{solr_url}/select", params=query, timeout=10).json()["response"]["numFound"]
    assert before == 3
    env = {k: v for k, v in os.environ.items() if k not in ("CKAN_URL", "CKAN_API_TOKEN")}
    down = subprocess.run([str(ROOT / "scripts" / "ckan" / "solr.sh"), "down"], env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert down.returncode == 0, down.stderr
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{solr_url}/admin/ping", timeout=5)
    up = subprocess.run([str(ROOT / "scripts" / "ckan" / "up.sh")], env=env,
                        capture_output=True, text=True, timeout=600, check=False)
    assert up.returncode == 0, up.stderr
    after = requests.get(f"{solr_url}/select", params=query, timeout=10).json()["response"]["numFound"]
    assert after == before
    assert _found(ckan_client, published, "เมืองอัจฉริยะ") == set(KEYS)
