"""End to end through the real Airflow: `airflow dags test smartcity_pipeline` on the demo
snapshot publishes to the real local CKAN; a second run changes nothing.

Each session uses its own Airflow home, data directory and dataset prefix, so it never touches
what `make run` published.
"""

from __future__ import annotations

import json
import os
import subprocess
import uuid
from pathlib import Path

import ckanapi
import pytest
import requests

from smartcity.publish.publisher import purge_published
from tests.airflow_cli import airflow, run_succeeded

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]
DATASETS = ("articles", "events", "figures", "registry", "totals")


@pytest.fixture(scope="module")
def pipeline_env(ckan_env, tmp_path_factory) -> dict[str, str]:
    home = tmp_path_factory.mktemp("airflow_home")
    prefix = f"it-{uuid.uuid4().hex[:6]}"
    connection = {"conn_type": "http", "host": ckan_env["url"], "password": ckan_env["token"]}
    env = {
        **os.environ,
        "AIRFLOW_HOME": str(home),
        "SMARTCITY_DATA_DIR": str(tmp_path_factory.mktemp("data")),
        "SMARTCITY_DATASET_PREFIX": prefix,
        "SMARTCITY_SOURCES": "demo",
        "AIRFLOW_CONN_CKAN_DEFAULT": json.dumps(connection),
    }
    migrate = airflow(["db", "migrate"], env, home / "migrate.log")
    assert migrate.returncode == 0, migrate.stderr[-3000:]
    return env


@pytest.fixture(scope="module")
def first_run(pipeline_env, ckan_client, tmp_path_factory):
    log = tmp_path_factory.mktemp("logs") / "first.log"
    result = airflow(["dags", "test", "smartcity_pipeline"], pipeline_env, log)
    prefix = "demo-" + pipeline_env["SMARTCITY_DATASET_PREFIX"]  # a demo run's names say demo
    yield result, log, prefix
    for key in DATASETS:
        try:  # cleanup of this session's datasets; one that was never created is fine
            ckan_client.action.dataset_purge(id=f"{prefix}-{key}")
        except ckanapi.NotFound:
            pass


def _snapshot(ckan_client, prefix: str) -> dict[str, dict]:
    snapshot = {}
    for key in DATASETS:
        package = ckan_client.action.package_show(id=f"{prefix}-{key}")
        snapshot[key] = {
            "metadata_modified": package["metadata_modified"],
            "resources": {
                r["name"]: (r["id"], r.get("last_modified"), r.get("url")) for r in package["resources"]
            },
        }
    return snapshot


def test_dag_run_succeeds_and_publishes_every_dataset(first_run, ckan_client):
    result, log, prefix = first_run
    assert run_succeeded(result), f"dags test failed, see {log}:\n{(result.stdout + result.stderr)[-4000:]}"
    for key in DATASETS:
        package = ckan_client.action.package_show(id=f"{prefix}-{key}")
        assert package["state"] == "active"
        formats = {r["format"].upper() for r in package["resources"]}
        assert "CSV" in formats, f"{key} has no CSV resource: {formats}"


def test_figures_are_queryable_in_the_datastore(first_run, ckan_client):
    _, _, prefix = first_run
    package = ckan_client.action.package_show(id=f"{prefix}-figures")
    datastore = [r for r in package["resources"] if r.get("datastore_active")]
    assert datastore, "the figures dataset has no DataStore table"
    found = ckan_client.action.datastore_search(resource_id=datastore[0]["id"], limit=1000)
    metrics = {row["metric"] for row in found["records"]}
    assert found["total"] > 0 and {"smart_city_count", "zone_count"} <= metrics
    assert "figure_id" in {field["id"] for field in found["fields"]}


def test_csv_downloads_start_with_a_bom_and_keep_thai(first_run, ckan_client, ckan_env):
    _, _, prefix = first_run
    package = ckan_client.action.package_show(id=f"{prefix}-articles")
    csv_resource = next(r for r in package["resources"] if r["format"].upper() == "CSV")
    response = requests.get(csv_resource["url"], timeout=30)
    response.raise_for_status()
    assert response.content.startswith(b"\xef\xbb\xbf")
    assert "เมืองอัจฉริยะ" in response.content.decode("utf-8-sig")


def test_second_run_changes_nothing(first_run, pipeline_env, ckan_client, tmp_path):
    _, _, prefix = first_run
    before = _snapshot(ckan_client, prefix)
    result = airflow(["dags", "test", "smartcity_pipeline"], pipeline_env, tmp_path / "second.log")
    assert run_succeeded(result), (result.stdout + result.stderr)[-4000:]
    assert _snapshot(ckan_client, prefix) == before


def test_each_source_emitted_an_asset_event(first_run, pipeline_env):
    import sqlite3

    database = Path(pipeline_env["AIRFLOW_HOME"]) / "airflow.db"
    with sqlite3.connect(database) as db:
        uris = {row[0] for row in db.execute(
            "SELECT a.uri FROM asset_event e JOIN asset a ON a.id = e.asset_id"
        )}
    assert {f"smartcity://source/{name}" for name in ("thaigov", "depa", "smartcity_office")} <= uris


def test_a_dry_run_publishes_nothing(first_run, pipeline_env, ckan_client, tmp_path):
    _, _, prefix = first_run
    before = _snapshot(ckan_client, prefix)
    args = ["dags", "test", "smartcity_pipeline", "-c", "'{\"dry_run\": true}'"]
    result = airflow(args, pipeline_env, tmp_path / "dry.log")
    assert run_succeeded(result), (result.stdout + result.stderr)[-4000:]
    log = result.stdout + result.stderr
    assert log.count("dry run: ") >= len(DATASETS) and "publish figures:" not in log
    assert _snapshot(ckan_client, prefix) == before


def _datastore_figures(ckan_client, prefix: str) -> dict[str, dict]:
    package = ckan_client.action.package_show(id=f"{prefix}-figures")
    table = next(r for r in package["resources"] if r.get("datastore_active"))
    found = ckan_client.action.datastore_search(resource_id=table["id"], limit=1000)
    return {row["figure_id"]: row for row in found["records"]}


def test_a_curators_decisions_apply_through_the_dag(first_run, pipeline_env, ckan_client, tmp_path):
    """Low-confidence figures wait for review; an accepted one is published, a rejected one is
    gone and stays gone in the next run (decisions from SMARTCITY_DECISIONS)."""
    _, _, prefix = first_run
    runs = sorted(Path(pipeline_env["SMARTCITY_DATA_DIR"], "runs").glob("*/review_candidates.jsonl"))
    pending = [json.loads(line) for line in runs[0].read_text(encoding="utf-8").splitlines() if line]
    assert pending, "the demo snapshot has a low-confidence figure to review"
    before = _datastore_figures(ckan_client, prefix)
    accepted = pending[0]["figure_id"]
    rejected = sorted(before)[0]
    assert accepted not in before  # a review candidate is not published as a fact
    decisions = tmp_path / "decisions.jsonl"
    env = {**pipeline_env, "SMARTCITY_DECISIONS": str(decisions)}
    review = [".venv/bin/smartcity", "review", "--decisions", str(decisions)]
    for command in (["accept", accepted], ["reject", rejected, "--note", "not the programme"]):
        subprocess.run([*review, *command], cwd=REPO, env=env, check=True, capture_output=True)
    for name in ("decided", "again"):
        result = airflow(["dags", "test", "smartcity_pipeline"], env, tmp_path / f"{name}.log")
        assert run_succeeded(result), (result.stdout + result.stderr)[-4000:]
        after = _datastore_figures(ckan_client, prefix)
        assert after[accepted]["review"] == "accepted" and after[accepted]["confidence"] == "low"
        assert rejected not in after
        assert set(after) == (set(before) - {rejected}) | {accepted}
    newest = max(Path(env["SMARTCITY_DATA_DIR"], "runs").glob("*/review_candidates.jsonl"),
                 key=lambda p: p.stat().st_mtime)
    assert accepted not in newest.read_text(encoding="utf-8")


def test_a_source_slice_without_named_lists_goes_green_and_publishes_empty_tables(
        pipeline_env, ckan_client, tmp_path):
    """A corpus slice (tests/fixtures/thaigov_corpus: one page about the programme with figures,
    no named list of cities, no event) through the DAG: every validate_* passes, and registry and
    events are published as empty tables with their dictionary."""
    corpus = REPO / "tests" / "fixtures" / "thaigov_corpus"
    sources = tmp_path / "slice.yaml"
    sources.write_text(f"sources:\n  - site: thaigov_corpus\n    path: {corpus}\n", encoding="utf-8")
    prefix = f"it-slice-{uuid.uuid4().hex[:6]}"
    env = {**pipeline_env, "SMARTCITY_SOURCES": str(sources), "SMARTCITY_DATASET_PREFIX": prefix,
           "SMARTCITY_DATA_DIR": str(tmp_path / "data")}
    try:
        result = airflow(["dags", "test", "smartcity_pipeline"], env, tmp_path / "slice.log")
        assert run_succeeded(result), (result.stdout + result.stderr)[-4000:]
        packages = {key: ckan_client.action.package_show(id=f"{prefix}-{key}") for key in DATASETS}
    finally:
        purge_published(ckan_client, prefix)
    rows = {key: int({e["key"]: e["value"] for e in p.get("extras", [])}.get("row_count", p.get("row_count")))
            for key, p in packages.items()}
    assert rows["registry"] == 0 and rows["events"] == 0, rows
    assert rows["articles"] > 0 and rows["figures"] > 0, rows
    for key in ("registry", "events"):
        names = {r["name"] for r in packages[key]["resources"]}
        assert f"{key}.csv" in names and any("dictionary" in n for n in names), names
