"""The pipeline on a distributed Airflow, as data engineers run it: api-server, scheduler,
dag-processor and a Celery worker as separate processes (``scripts/airflow_cluster.sh``), the
metadata in the loopback PostgreSQL, Redis as the broker, the real local CKAN.

1. A run triggered through the REST API (``/api/v2``, JWT from the simple auth manager's
   ``/auth/token``) succeeds and the five datasets are on CKAN.
2. The worker's whole process group is SIGKILLed while a publish task writes to CKAN; a new worker
   is started; the scheduler fails the lost task after the (lowered) heartbeat timeout, retries it,
   and the run converges to success with the same resources and DataStore rows as an undisturbed
   run: 0 duplicate writes.
3. A wrong source configuration fails ``list_sources`` at once (no retry) with exactly one alert, in the
   task log and posted to a webhook receiver on loopback.

The cluster is this session's own (its own state folder, metadata database, Redis db number,
ports, data folder and dataset prefix); what it published is purged at the end, and
``scripts/airflow_cluster.sh down`` stops it even when a test fails.
"""

from __future__ import annotations

import os
import signal
import socket
import time
import uuid
from pathlib import Path
from types import SimpleNamespace

import ckanapi
import pytest

from tests.alert_receiver import AlertReceiver
from tests.integration.cluster import FINAL, AirflowApi, cluster_env, script, started

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]
CLUSTER_DIR = REPO / ".local" / "airflow-cluster-test"
DB_NAME = "smartcity_airflow_test"
DATASETS = ("articles", "events", "figures", "registry", "totals")
HEARTBEAT_TIMEOUT_S = 20


def _datasets(ckan_client, prefix: str) -> dict[str, dict]:
    """Per dataset: resource names and ids, and the row count of every DataStore table."""
    found = {}
    for key in DATASETS:
        package = ckan_client.action.package_show(id=f"demo-{prefix}-{key}")  # the demo snapshot's
        resources = package["resources"]
        rows = {}
        for resource in resources:
            if resource.get("datastore_active"):
                search = ckan_client.action.datastore_search(resource_id=resource["id"], limit=0)
                rows[resource["name"]] = search["total"]
        found[key] = {"names": sorted(r["name"] for r in resources), "ids": {r["id"] for r in resources},
                      "rows": rows}
    return found


def _purge(ckan_client, prefix: str) -> None:
    for key in DATASETS:
        try:
            ckan_client.action.dataset_purge(id=f"demo-{prefix}-{key}")
        except ckanapi.NotFound:
            pass


@pytest.fixture(scope="module")
def cluster(ckan_env, ckan_client, tmp_path_factory):
    prefix = f"it-cluster-{uuid.uuid4().hex[:6]}"
    receiver = AlertReceiver()
    env = cluster_env(
        cluster_dir=CLUSTER_DIR, database=DB_NAME, redis_db=12, ckan=ckan_env,
        data_dir=tmp_path_factory.mktemp("cluster_data"), prefix=prefix,
        SMARTCITY_ALERT_WEBHOOK=receiver.url,
        # recovery from a lost worker within seconds, not the default 5 minutes
        AIRFLOW__SCHEDULER__TASK_INSTANCE_HEARTBEAT_TIMEOUT=str(HEARTBEAT_TIMEOUT_S),
        AIRFLOW__SCHEDULER__TASK_INSTANCE_HEARTBEAT_TIMEOUT_DETECTION_INTERVAL="5",
        # a task handed to the dead worker but not started yet is queued again after this
        AIRFLOW__SCHEDULER__TASK_QUEUED_TIMEOUT="60",
        # only the runs this test triggers (unpausing a @daily DAG would start today's run too)
        AIRFLOW__SCHEDULER__USE_JOB_SCHEDULE="False",
    )
    started_at = time.monotonic()
    try:
        with started(env) as api:
            yield SimpleNamespace(api=api, env=env, prefix=prefix, alerts=receiver.received, figures={},
                                  up_seconds=time.monotonic() - started_at)
    finally:
        receiver.close()
        _purge(ckan_client, prefix)


def test_run_triggered_by_rest_succeeds_and_publishes(cluster, ckan_client):
    started = time.monotonic()
    run_id = cluster.api.trigger()
    state = cluster.api.wait(run_id, timeout=240)
    cluster.figures["trigger_to_success_s"] = round(time.monotonic() - started, 1)
    assert state == "success", {k: v["state"] for k, v in cluster.api.task_instances(run_id).items()}
    datasets = _datasets(ckan_client, cluster.prefix)
    for key, found in datasets.items():
        assert found["names"], f"{key} has no resources"
        assert len(found["names"]) == len(set(found["names"])), f"{key}: {found['names']}"
    assert datasets["figures"]["rows"], "figures has no DataStore table"
    cluster.figures["baseline"] = datasets
    print(f"\ncluster up in {cluster.up_seconds:.0f} s; "
          f"trigger to success {cluster.figures['trigger_to_success_s']} s")


def _kill_worker_during_publish(api: AirflowApi, run_id: str, timeout: float = 200) -> tuple[float, set[str]]:
    """SIGKILL the worker's process group as soon as a publish task runs; returns (when, tasks hit)."""
    pid_file = CLUSTER_DIR / "pids" / "worker.pid"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        tis = api.task_instances(run_id)
        running = {t for t, ti in tis.items() if ti["state"] == "running"}
        if any(t.startswith("publish_") for t in running):
            time.sleep(0.5)  # inside the task: its first CKAN writes are done
            # what runs now is what the kill hits (a short task may have ended during the sleep)
            running = {t for t, ti in api.task_instances(run_id).items() if ti["state"] == "running"}
            if not running:
                continue
            pgid = int(pid_file.read_text())
            os.killpg(pgid, signal.SIGKILL)
            killed_at = time.monotonic()
            for _ in range(50):  # the whole group is gone (task processes included)
                try:
                    os.killpg(pgid, 0)
                except ProcessLookupError:
                    break
                time.sleep(0.1)
            else:
                pytest.fail(f"worker process group {pgid} survived SIGKILL")
            return killed_at, running
        assert api.run_state(run_id) not in FINAL, "the run ended before a publish task could be hit"
        time.sleep(0.3)
    pytest.fail("no publish task ran within the time limit")


def test_killed_worker_is_recovered_without_duplicate_writes(cluster, ckan_client):
    baseline = cluster.figures.get("baseline")
    assert baseline, "needs the undisturbed run of the test before"
    _purge(ckan_client, cluster.prefix)  # so that this run writes everything again
    alerts_before = len(cluster.alerts)

    run_id = cluster.api.trigger()
    killed_at, hit = _kill_worker_during_publish(cluster.api, run_id)
    script("up", cluster.env)  # starts only what is missing: a new worker
    state = cluster.api.wait(run_id, timeout=240)
    recovery_s = round(time.monotonic() - killed_at, 1)
    tis = cluster.api.task_instances(run_id)
    assert state == "success", {k: (v["state"], v["try_number"]) for k, v in tis.items()}
    # The kill interrupted at least one task, which was tried again (the running set read just
    # before the kill can still miss a task that started or ended in between, so no exact match).
    retried = sorted(t for t, ti in tis.items() if ti["try_number"] >= 2)
    assert retried, f"no task was tried again after the kill (running then: {sorted(hit)})"

    after = _datasets(ckan_client, cluster.prefix)
    duplicates = 0
    for key in DATASETS:
        names, expected = after[key]["names"], baseline[key]["names"]
        duplicates += len(names) - len(set(names)) + max(0, len(names) - len(expected))
        duplicates += sum(
            max(0, after[key]["rows"].get(name, 0) - rows) for name, rows in baseline[key]["rows"].items()
        )
        assert names == expected, f"{key}: resources {names} != {expected}"
        assert after[key]["rows"] == baseline[key]["rows"], f"{key}: DataStore rows differ"
    assert duplicates == 0
    assert len(cluster.alerts) == alerts_before, "a lost task that was retried is no failure alert"
    print(f"\nkilled the worker during {sorted(hit)}; retried {retried}; "
          f"recovered (run success) {recovery_s} s after the kill; duplicate writes: {duplicates}")


def test_wrong_configuration_fails_at_once_with_one_alert(cluster, tmp_path):
    bad = tmp_path / "sources.yaml"
    bad.write_text("sources:\n  - site: no-such-site\n", encoding="utf-8")
    alerts_before = len(cluster.alerts)

    run_id = cluster.api.trigger({"sources": str(bad)})
    assert cluster.api.wait(run_id, timeout=120) == "failed"
    listed = cluster.api.task_instances(run_id)["list_sources"]
    assert (listed["state"], listed["try_number"]) == ("failed", 1), "a configuration error is not retried"

    deadline = time.monotonic() + 20
    while len(cluster.alerts) == alerts_before and time.monotonic() < deadline:
        time.sleep(0.5)
    alerts = cluster.alerts[alerts_before:]
    assert len(alerts) == 1, alerts
    assert alerts[0]["task_id"] == "list_sources" and alerts[0]["run_id"] == run_id
    assert "ConfigError" in alerts[0]["reason"] and "no-such-site" in alerts[0]["reason"]
    log = cluster.api.task_log(run_id, "list_sources", 1)
    assert "SMARTCITY ALERT: smartcity_pipeline.list_sources failed" in log


def _port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def test_down_after_a_sigkilled_worker_leaves_nothing(cluster):
    """Kill only the worker's main process (its log server and pool are orphaned, as when a
    supervisor kills the wrong pid); `down` still stops everything and frees the ports."""
    log_port = int(cluster.env["AIRFLOW_WORKER_LOG_PORT"])
    api_port = int(cluster.env["AIRFLOW_API_PORT"])
    assert _port_open(log_port), "the worker's log server is not listening"
    os.kill(int((CLUSTER_DIR / "pids" / "worker.pid").read_text()), signal.SIGKILL)
    time.sleep(1)
    script("down", cluster.env, timeout=120)
    run_dir = str(CLUSTER_DIR / "run")
    left = []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            if os.readlink(proc / "cwd") == run_dir:
                left.append(proc.name)
        except OSError:
            continue
    assert not left, f"processes of the cluster left after down: {left}"
    assert not _port_open(log_port) and not _port_open(api_port)
