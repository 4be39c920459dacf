"""No worker held while the portal's xloader works, through a real scheduler and a Celery worker
with ONE slot (``AIRFLOW_WORKER_CONCURRENCY=1``), publishing to the GDC-like CKAN whose
ckanext-xloader loads every uploaded CSV into the DataStore.

The portal's jobs worker (``ckan jobs worker``, which runs xloader's loads) is paused with
SIGSTOP, so every load stays pending.  ``loaded_figures`` and ``loaded_totals`` (reschedule-mode
sensors) then wait for their tables: between two looks a sensor is ``up_for_reschedule`` and the
one slot must be free, which is seen when the other sensor runs while it waits (with a sensor in
poke mode holding the slot, that never happens and the test fails).  The jobs worker is resumed;
the loads finish, the sensors see the row counts, the run succeeds, the DataStore holds every
row and the figures dataset's Asset event comes from ``loaded_figures``.

Its own cluster (state folder, metadata database, Redis db, ports, data folder, dataset prefix);
what it published is purged, the jobs worker resumed and the cluster stopped at the end.
"""

from __future__ import annotations

import json
import os
import signal
import time
import uuid
from pathlib import Path
from types import SimpleNamespace

import ckanapi
import pytest

from smartcity.publish.publisher import purge_published
from tests.integration.cluster import cluster_env, started
from tests.publish.gdc_portal import GDC_HOME, gdc_env

__all__ = ["gdc_env"]
pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]
CLUSTER_DIR = REPO / ".local" / "airflow-cluster-xloader"
DB_NAME = "smartcity_airflow_xloader"
DAG_ID = "smartcity_pipeline"
DATASETS = ("articles", "events", "figures", "registry", "totals")
WAITING = ("loaded_figures", "loaded_totals")  # the datasets with DataStore tables


def _jobs_worker(sig: int) -> None:
    """Send ``sig`` to the GDC portal's jobs worker (its process group: RQ forks a work horse)."""
    pid = int((GDC_HOME / "worker.pid").read_text().strip())
    os.killpg(os.getpgid(pid), sig)


@pytest.fixture(scope="module")
def cluster(gdc_env, tmp_path_factory):
    prefix = f"it-xl-{uuid.uuid4().hex[:6]}"
    env = cluster_env(
        cluster_dir=CLUSTER_DIR, database=DB_NAME, redis_db=14, ckan=gdc_env,
        data_dir=tmp_path_factory.mktemp("xloader_data"), prefix=prefix,
        AIRFLOW_WORKER_CONCURRENCY="1",  # one slot: a sensor holding it would stop every other task
        SMARTCITY_CKAN_ORG=f"{prefix}-org",
        SMARTCITY_MAINTAINER_EMAIL="opendata@smartcity.test",  # the GDC schema requires a contact
        SMARTCITY_XLOADER_POKE_S="3",
        SMARTCITY_XLOADER_TIMEOUT_S="600",
        AIRFLOW__SCHEDULER__USE_JOB_SCHEDULE="False",  # only the run this test triggers
    )
    try:
        with started(env) as api:
            yield SimpleNamespace(api=api, prefix=prefix)
    finally:
        _jobs_worker(signal.SIGCONT)  # whatever happened, the portal loads again
        with ckanapi.RemoteCKAN(gdc_env["url"], apikey=gdc_env["token"]) as ckan:
            purge_published(ckan, prefix, f"{prefix}-org")


def test_the_wait_for_xloader_holds_no_worker_slot(cluster, gdc_env):
    api = cluster.api
    _jobs_worker(signal.SIGSTOP)
    try:
        run_id = api.trigger()
        # both sensors must be seen running while the other waits up_for_reschedule: with one
        # worker slot, that is only possible when a waiting sensor does not hold it
        seen: set[tuple[str, str]] = set()
        deadline = time.monotonic() + 420
        while time.monotonic() < deadline and len(seen) < 2:
            states = {k: v["state"] for k, v in api.task_instances(run_id).items()}
            assert api.run_state(run_id) in {"queued", "running"}, api.task_instances(run_id)
            for task_id in WAITING:
                other = WAITING[1 - WAITING.index(task_id)]
                if states.get(task_id) == "up_for_reschedule" and states.get(other) == "running":
                    seen.add((task_id, other))
            time.sleep(0.5)
        assert len(seen) == 2, f"a waiting sensor held the only worker slot: {states}"
        instances = api.task_instances(run_id)
        assert all(instances[f"publish_{d}"]["state"] == "success" for d in DATASETS)
        assert all(instances[t]["try_number"] == 1 for t in WAITING)  # rescheduled, never retried
    finally:
        _jobs_worker(signal.SIGCONT)

    assert api.wait(run_id, 300) == "success", api.task_instances(run_id)
    entry = f"/dags/{DAG_ID}/dagRuns/{run_id}/taskInstances/loaded_figures/xcomEntries/return_value"
    xcom = api.call("GET", entry, params={"deserialize": "true"}).json()["value"]
    done = xcom if isinstance(xcom, dict) else json.loads(xcom)
    assert done["pending_loads"] == [] and done["datastore"]["figures"]["status"] == "loaded"
    with ckanapi.RemoteCKAN(gdc_env["url"], apikey=gdc_env["token"]) as ckan:
        resource = ckan.action.resource_show(id=done["resource_ids"]["figures.csv"])
        assert resource["datastore_active"] and resource.get("datastore_hash"), resource
        total = ckan.action.datastore_search(resource_id=resource["id"], limit=0)["total"]
    assert total == done["rows"] == done["datastore"]["figures"]["written"] > 0
    log = api.task_log(run_id, "loaded_figures", 1)
    assert "xloader still loading" in log and "loaded by xloader" in log

    response = api.call("GET", "/assets/events", params={"source_run_id": run_id, "limit": 100})
    events = {e["uri"].rsplit("/", 1)[1]: e for e in response.json()["asset_events"]
              if e["uri"].startswith("ckan://")}
    assert events[f"demo-{cluster.prefix}-figures"]["source_task_id"] == "loaded_figures"
    assert events[f"demo-{cluster.prefix}-figures"]["extra"]["rows"] > 0
