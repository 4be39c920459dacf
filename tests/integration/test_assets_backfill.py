"""Assets and data intervals through a real scheduler (``scripts/airflow_cluster.sh``: api-server,
scheduler, dag-processor, Celery worker), the real local CKAN and a loopback Wayback stand-in.

1. Unpausing the pipeline makes the scheduler start the latest day's run (demo snapshot); its
   ``publish_figures`` creates the figures dataset on CKAN and emits
   ``ckan://<portal>/dataset/<name>`` (extra: rows, changed), which makes the scheduler start
   ``smartcity_figures_consumer``; the consumer reads the figures back through the CKAN API.
2. A second run with nothing new changes nothing on CKAN: no dataset or source event, no
   consumer run.
3. ``airflow backfill create`` (``POST /api/v2/backfills``) over 2025-10-01..03 with a Wayback
   source: each run's crawl asks the CDX API for its own day only, fetches only that day's
   captures, and emits the source's event only on the days that had captures; the days' datasets
   are empty (no page about the programme) and every run is green.

Its own cluster (state folder, metadata database, Redis db, ports, data folder, dataset prefix),
with the job schedule on (asset-triggered runs need it); purged and stopped at the end.
"""

from __future__ import annotations

import json
import time
import uuid
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml

from smartcity.publish.publisher import purge_published
from tests.cdx_server import ORIGIN, CdxServer
from tests.integration.cluster import AirflowApi, cluster_env, started

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]
CLUSTER_DIR = REPO / ".local" / "airflow-cluster-assets"
DB_NAME = "smartcity_airflow_assets"
PIPELINE, CONSUMER = "smartcity_pipeline", "smartcity_figures_consumer"
DATASETS = ("articles", "events", "figures", "registry", "totals")


def _runs(api: AirflowApi, dag_id: str) -> list[dict]:
    response = api.call("GET", f"/dags/{dag_id}/dagRuns", params={"limit": 100, "order_by": "run_after"})
    response.raise_for_status()
    return response.json()["dag_runs"]


def _wait_for(what: str, probe, timeout: float):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = probe()
        if value:
            return value
        time.sleep(2)
    pytest.fail(f"{what}: not after {timeout} s")


def _finished(api: AirflowApi, dag_id: str, run_id: str, timeout: float = 300) -> str:
    def probe():
        state = api.call("GET", f"/dags/{dag_id}/dagRuns/{run_id}").json()["state"]
        return state if state in ("success", "failed") else None
    return _wait_for(f"{dag_id} {run_id}", probe, timeout)


def _events(api: AirflowApi, **params) -> list[dict]:
    response = api.call("GET", "/assets/events", params={"limit": 100, **params})
    response.raise_for_status()
    return response.json()["asset_events"]


@pytest.fixture(scope="module")
def cluster(ckan_env, ckan_client, tmp_path_factory):
    prefix = f"it-assets-{uuid.uuid4().hex[:6]}"
    env = cluster_env(
        cluster_dir=CLUSTER_DIR, database=DB_NAME, redis_db=13, ckan=ckan_env,
        data_dir=tmp_path_factory.mktemp("assets_data"), prefix=prefix,
        AIRFLOW__SCHEDULER__USE_JOB_SCHEDULE="True",  # asset-triggered runs are scheduled runs
    )
    cdx = CdxServer()
    try:
        # the consumer first: it must be there for the event
        with started(env, (CONSUMER, PIPELINE)) as api:
            yield SimpleNamespace(api=api, env=env, prefix=prefix, cdx=cdx,
                                  tmp=tmp_path_factory.mktemp("assets"))
    finally:
        cdx.close()
        purge_published(ckan_client, prefix)


def test_published_figures_trigger_the_consumer_once(cluster, ckan_env):
    api = cluster.api
    # unpausing started the latest day's run (catchup=False): a scheduled run with an interval
    first = _wait_for("the scheduled run", lambda: _runs(api, PIPELINE), 60)[0]
    assert first["run_type"] == "scheduled" and first["data_interval_start"]
    assert _finished(api, PIPELINE, first["dag_run_id"]) == "success"

    name = f"demo-{cluster.prefix}-figures"
    events = _events(api, source_dag_id=PIPELINE, source_run_id=first["dag_run_id"])
    figures = [e for e in events if e["uri"].endswith(f"/dataset/{name}")]
    assert len(figures) == 1, [e["uri"] for e in events]
    host = ckan_env["url"].split("://", 1)[1].rstrip("/")
    assert figures[0]["uri"] == f"ckan://{host}/dataset/{name}"
    assert figures[0]["extra"]["changed"] is True and figures[0]["extra"]["rows"] > 0
    assert {e["uri"] for e in events} >= {"smartcity://source/thaigov", "smartcity://archive/raw-pages"}

    consumer = _wait_for("the consumer run", lambda: _runs(api, CONSUMER), 120)
    assert len(consumer) == 1 and consumer[0]["run_type"] == "asset_triggered"
    run_id = consumer[0]["dag_run_id"]
    assert _finished(api, CONSUMER, run_id, timeout=180) == "success"
    xcom = api.call("GET", f"/dags/{CONSUMER}/dagRuns/{run_id}/taskInstances/summarise_figures"
                           "/xcomEntries/return_value", params={"deserialize": "true"}).json()["value"]
    summary = xcom if isinstance(xcom, dict) else json.loads(xcom)
    assert summary["dataset"] == name and summary["rows"] == figures[0]["extra"]["rows"]
    assert summary["metrics"] and summary["event"]["extra"]["changed"] is True

    # nothing new: no write to CKAN, no dataset or source event, no consumer run
    response = api.call("POST", f"/dags/{PIPELINE}/dagRuns", json={"logical_date": None, "conf": {}})
    assert response.status_code in (200, 201), response.text
    second = response.json()["dag_run_id"]
    assert _finished(api, PIPELINE, second) == "success"
    assert _events(api, source_dag_id=PIPELINE, source_run_id=second) == []
    time.sleep(10)  # what a wrongly triggered consumer run would need to appear
    assert len(_runs(api, CONSUMER)) == 1


def test_backfill_crawls_each_days_captures_only(cluster):
    api, cdx = cluster.api, cluster.cdx
    sources = cluster.tmp / "wayback.yaml"
    sources.write_text(yaml.safe_dump({"sources": [cdx.source()]}), encoding="utf-8")
    cdx.queries.clear()
    cdx.captures_fetched.clear()
    body = {"dag_id": PIPELINE, "from_date": "2025-10-01T00:00:00Z", "to_date": "2025-10-03T00:00:00Z",
            "dag_run_conf": {"sources": str(sources), "dry_run": True}, "max_active_runs": 1}
    response = api.call("POST", "/backfills", json=body)
    assert response.status_code in (200, 201), response.text
    backfill_id = response.json()["id"]

    def done():
        runs = [r for r in _runs(api, PIPELINE) if r["run_type"] == "backfill"]
        return runs if len(runs) == 3 and all(r["state"] in ("success", "failed") for r in runs) else None
    runs = _wait_for(f"backfill {backfill_id}", done, 420)
    # the captures are our thaigov test pages, none about the programme: each day's datasets are
    # empty, which is valid (empty is not broken), so every run is green, validate_* included
    for run in runs:
        states = {k: v["state"] for k, v in api.task_instances(run["dag_run_id"]).items()}
        assert run["state"] == "success", (run["dag_run_id"], states)
        assert all(states[f"validate_{d}"] == "success" for d in DATASETS), states
        assert all(states[f"publish_{d}"] == "skipped" for d in DATASETS), states  # a dry run
    assert sorted(r["data_interval_start"][:10] for r in runs) == ["2025-10-01", "2025-10-02", "2025-10-03"]

    # one CDX query per run, each for its own day only
    assert sorted((q["from"], q["to"]) for q in cdx.queries) == [
        ("20251001000000", "20251001235959"), ("20251002000000", "20251002235959"),
        ("20251003000000", "20251003235959")]
    # the 09-30 capture is never fetched; those of 10-01 and 10-03 once each
    assert sorted(cdx.captures_fetched) == [ORIGIN + "80002", ORIGIN + "80003", ORIGIN + "80004"]
    # the source's Asset event on the days with new captures only (10-02 had none)
    by_day = {r["data_interval_start"][:10]: r["dag_run_id"] for r in runs}
    events = {day: [e["uri"] for e in _events(api, source_dag_id=PIPELINE, source_run_id=run_id)]
              for day, run_id in by_day.items()}
    assert events["2025-10-02"] == []
    for day in ("2025-10-01", "2025-10-03"):
        assert "smartcity://source/thaigov-wayback" in events[day], events
        assert not any(uri.startswith("ckan://") for uri in events[day])  # dry run: nothing published
