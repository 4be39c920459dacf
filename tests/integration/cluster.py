"""A distributed Airflow of this checkout for integration tests (``scripts/airflow_cluster.sh``:
api-server, scheduler, dag-processor, Celery worker), each test module with its own state folder,
metadata database, Redis db number, ports, data folder and dataset prefix; and a client of its
REST API.  ``started`` brings one up (after clearing what an interrupted session left) and always
stops it."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "scripts" / "airflow_cluster.sh"
DAG_ID = "smartcity_pipeline"
FINAL = {"success", "failed"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def script(command: str, env: dict[str, str], timeout: float = 300) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [str(SCRIPT), command], cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout
    )
    assert result.returncode == 0, f"airflow_cluster.sh {command} failed:\n{result.stderr[-3000:]}"
    return result


def drop_database(name: str) -> None:
    """A fresh metadata database per session: no run left over from an interrupted one."""
    subprocess.run(
        [str(REPO / "scripts" / "pg_admin.sh"), "-d", "postgres",
         "-c", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'],
        check=True, capture_output=True, timeout=60,
    )


def cluster_env(*, cluster_dir: Path, database: str, redis_db: int, ckan: dict, data_dir: Path, prefix: str,
                **settings: str) -> dict[str, str]:
    """The environment of a test cluster: its own state, database, Redis db, ports and data, the
    CKAN connection ``ckan`` (``{"url", "token"}``, as a ``ckan`` connection), the demo snapshot
    as sources, short retry delays; ``settings`` added as they are.  No CKAN_URL/CKAN_API_TOKEN:
    the connection is what the tasks use."""
    connection = {"conn_type": "ckan", "host": ckan["url"], "password": ckan["token"]}
    env = {
        **os.environ,
        "SMARTCITY_CLUSTER_DIR": str(cluster_dir),
        "SMARTCITY_AIRFLOW_DB": database,
        "SMARTCITY_REDIS_DB": str(redis_db),
        "AIRFLOW_API_PORT": str(free_port()),
        "AIRFLOW_WORKER_LOG_PORT": str(free_port()),
        "SMARTCITY_DATA_DIR": str(data_dir),
        "SMARTCITY_DATASET_PREFIX": prefix,
        "SMARTCITY_SOURCES": "demo",
        "SMARTCITY_RETRY_DELAY": "3",
        "AIRFLOW_CONN_CKAN_DEFAULT": json.dumps(connection),
        **settings,
    }
    for key in ("CKAN_URL", "CKAN_API_TOKEN"):
        env.pop(key, None)
    return env


@contextmanager
def started(env: dict[str, str], dag_ids: tuple[str, ...] = (DAG_ID,)) -> Iterator[AirflowApi]:
    """Bring the cluster of ``env`` up on a fresh metadata database, wait until ``dag_ids`` are
    parsed and unpause them in that order; yield its API client; stop it whatever happens."""
    script("down", env, timeout=120)  # leftovers of an interrupted session
    drop_database(env["SMARTCITY_AIRFLOW_DB"])
    try:
        script("up", env)
        cluster_dir = Path(env["SMARTCITY_CLUSTER_DIR"])
        password = json.loads((cluster_dir / "passwords.json").read_text())["admin"]
        api = AirflowApi(f"http://127.0.0.1:{env['AIRFLOW_API_PORT']}", password)
        for dag_id in dag_ids:
            deadline = time.monotonic() + 120
            while api.call("GET", f"/dags/{dag_id}").status_code != 200:  # parsed by the dag-processor
                assert time.monotonic() < deadline, f"the dag-processor did not parse {dag_id}"
                time.sleep(1)
            response = api.call("PATCH", f"/dags/{dag_id}", json={"is_paused": False})
            assert response.status_code == 200, response.text
        yield api
    finally:
        subprocess.run([str(SCRIPT), "down"], cwd=REPO, env=env, capture_output=True, timeout=120)


class AirflowApi:
    """The Airflow 3 public REST API with a JWT from the simple auth manager."""

    def __init__(self, base_url: str, password: str) -> None:
        self.base = base_url
        self.password = password
        self.session = requests.Session()
        self.login()

    def login(self) -> None:
        response = self.session.post(
            f"{self.base}/auth/token", json={"username": "admin", "password": self.password}, timeout=30
        )
        response.raise_for_status()
        self.session.headers["Authorization"] = f"Bearer {response.json()['access_token']}"

    def call(self, method: str, path: str, **kwargs) -> requests.Response:
        response = self.session.request(method, f"{self.base}/api/v2{path}", timeout=30, **kwargs)
        if response.status_code == 401:  # token expired: log in again once
            self.login()
            response = self.session.request(method, f"{self.base}/api/v2{path}", timeout=30, **kwargs)
        return response

    def trigger(self, conf: dict | None = None) -> str:
        body = {"logical_date": None, "conf": conf or {}}
        response = self.call("POST", f"/dags/{DAG_ID}/dagRuns", json=body)
        assert response.status_code in (200, 201), response.text
        return response.json()["dag_run_id"]

    def run_state(self, run_id: str) -> str:
        response = self.call("GET", f"/dags/{DAG_ID}/dagRuns/{run_id}")
        response.raise_for_status()
        return response.json()["state"]

    def task_instances(self, run_id: str) -> dict[str, dict]:
        response = self.call("GET", f"/dags/{DAG_ID}/dagRuns/{run_id}/taskInstances", params={"limit": 100})
        response.raise_for_status()
        return {ti["task_id"]: ti for ti in response.json()["task_instances"]}

    def wait(self, run_id: str, timeout: float) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            state = self.run_state(run_id)
            if state in FINAL:
                return state
            time.sleep(1)
        states = {k: (v["state"], v["try_number"]) for k, v in self.task_instances(run_id).items()}
        pytest.fail(f"run {run_id} not finished after {timeout} s: {states}")

    def task_log(self, run_id: str, task_id: str, try_number: int) -> str:
        response = self.call(
            "GET", f"/dags/{DAG_ID}/dagRuns/{run_id}/taskInstances/{task_id}/logs/{try_number}",
            params={"full_content": "true"}, headers={"Accept": "application/json"},
        )
        response.raise_for_status()
        return json.dumps(response.json(), ensure_ascii=False)
