"""docker-compose.yaml cannot be started here (no Docker engine): check that it parses and wires
the services, secrets and mounts consistently."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
AIRFLOW_SERVICES = (
    "airflow-apiserver",
    "airflow-scheduler",
    "airflow-dag-processor",
    "airflow-triggerer",
    "airflow-worker",
)
MOUNTED = ("dags", "plugins", "include", "expectations")


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((REPO / "docker-compose.yaml").read_text(encoding="utf-8"))


def test_all_services_present(compose):
    expected = {*AIRFLOW_SERVICES, "airflow-init", "airflow-postgres", "airflow-redis"}
    expected |= {"ckan", "ckan-db", "solr", "ckan-redis"}
    assert expected <= set(compose["services"])


@pytest.mark.parametrize("service", AIRFLOW_SERVICES)
def test_airflow_components_share_image_secrets_and_executor(compose, service):
    spec = compose["services"][service]
    env = spec["environment"]
    assert env["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor"
    for secret in ("AIRFLOW__CORE__FERNET_KEY", "AIRFLOW__API_AUTH__JWT_SECRET", "AIRFLOW__API__SECRET_KEY"):
        assert env[secret] == compose["services"]["airflow-scheduler"]["environment"][secret]
        assert env[secret].startswith("${"), f"{secret} must come from .env, not the repo"
    assert env["AIRFLOW__CORE__EXECUTION_API_SERVER_URL"].startswith("http://airflow-apiserver:8080")
    assert spec["image"] == compose["services"]["airflow-scheduler"]["image"]
    assert spec["build"]["dockerfile"] == "Dockerfile"


@pytest.mark.parametrize("service", AIRFLOW_SERVICES)
def test_airflow_mounts_match_configured_folders(compose, service):
    spec = compose["services"][service]
    mounts = dict(v.split(":", 1) for v in spec["volumes"] if v.startswith("./"))
    for folder in MOUNTED:
        assert (REPO / folder).is_dir(), f"{folder}/ missing from the repo"
        assert mounts[f"./{folder}"] == f"/opt/airflow/{folder}"
    env = spec["environment"]
    assert env["AIRFLOW__CORE__DAGS_FOLDER"] == mounts["./dags"]
    assert env["AIRFLOW__CORE__PLUGINS_FOLDER"] == mounts["./plugins"]


def test_broker_and_metadata_point_at_compose_services(compose):
    env = compose["services"]["airflow-worker"]["environment"]
    assert "@airflow-redis:" in env["AIRFLOW__CELERY__BROKER_URL"]
    assert "@airflow-postgres/" in env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"]
    assert '"host": "http://ckan:5000"' in env["AIRFLOW_CONN_CKAN_DEFAULT"]


def test_ckan_uses_real_solr_datastore_and_redis(compose):
    ckan = compose["services"]["ckan"]
    env = ckan["environment"]
    assert compose["services"]["solr"]["image"].startswith("ckan/ckan-solr:2.11")
    assert ckan["image"].startswith("ckan/ckan-base:2.11")
    assert env["CKAN_SOLR_URL"].startswith("http://solr:8983/")
    assert "@ckan-db/" in env["CKAN_DATASTORE_WRITE_URL"] and "datastore_ro" in env["CKAN_DATASTORE_READ_URL"]
    assert "datastore" in env["CKAN__PLUGINS"].split() and "activity" in env["CKAN__PLUGINS"].split()
    assert env["CKAN__DATASTORE__SQLSEARCH__ENABLED"] == "true"
    assert set(ckan["depends_on"]) == {"ckan-db", "solr", "ckan-redis"}


def test_depends_on_names_existing_services(compose):
    for name, spec in compose["services"].items():
        for dependency in spec.get("depends_on", {}):
            assert dependency in compose["services"], f"{name} depends on unknown {dependency}"


def test_image_installs_the_runtime_lock_only():
    dockerfile = (REPO / "Dockerfile").read_text(encoding="utf-8")
    assert re.search(r"^FROM apache/airflow:3\.3\.2-python3\.11$", dockerfile, re.M)
    assert "pip install --no-cache-dir --require-hashes -r /opt/airflow/requirements.txt" in dockerfile
    code = "\n".join(line for line in dockerfile.splitlines() if not line.startswith("#"))
    assert "requirements-dev" not in code, "test and lint tools do not belong in the image"
    # the image's Airflow stays the one it was built with (Airflow's rule for adding packages)
    pins = _pins("requirements.txt")
    assert pins["apache-airflow"] == pins["apache-airflow-core"] == "3.3.2" and pins["celery"] == "5.6.3"
    assert 'airflow.__version__ != "3.3.2"' in dockerfile
    # the suites the package reads, and the package itself (editable: compose mounts include/)
    assert "COPY --chown=airflow:0 expectations /opt/airflow/expectations" in dockerfile
    assert "pip install --no-cache-dir --no-deps -e /opt/airflow" in dockerfile


def test_no_secret_values_committed(compose):
    text = (REPO / "docker-compose.yaml").read_text(encoding="utf-8")
    assert not re.search(r"(?i)(token|secret|fernet)[A-Z_]*:\s*['\"]?[A-Za-z0-9_\-]{20,}", text)


def test_celery_result_backend_names_the_psycopg2_driver(compose):
    """SQLAlchemy 2.1 maps a bare ``db+postgresql://`` to psycopg 3, which kills the worker at start."""
    env = compose["services"]["airflow-worker"]["environment"]
    assert env["AIRFLOW__CELERY__RESULT_BACKEND"].startswith("db+postgresql+psycopg2://")
    assert env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"].startswith("postgresql+psycopg2://")


def _pins(lock: str) -> dict[str, str]:
    """``{name: version}`` of a lock file (extras dropped)."""
    text = (REPO / lock).read_text(encoding="utf-8")
    return {m["name"].lower(): m["version"]
            for m in re.finditer(r"^(?P<name>[A-Za-z0-9._-]+)(\[[^\]]*\])?==(?P<version>\S+)", text, re.M)}


DEV_TOOLS = ("pytest", "hypothesis", "selenium", "ruff", "iniconfig", "trio", "wsproto")


def test_requirements_bring_one_postgres_driver_per_need_and_celery():
    """psycopg2 for the sync metadata connection and the Celery result backend, asyncpg for
    Airflow 3.3's async one; Celery needs redis. No psycopg 3: nothing of ours asks for it."""
    inputs = (REPO / "requirements.in").read_text(encoding="utf-8")
    assert "apache-airflow[celery]==3.3.2" in inputs
    pins = _pins("requirements.txt")
    for package in ("asyncpg", "psycopg2-binary", "redis", "apache-airflow-providers-celery"):
        assert package in pins, f"{package} not pinned"
    for dropped in ("psycopg", "psycopg-binary", "apache-airflow-providers-postgres"):
        assert dropped not in pins, f"{dropped} is back: one PostgreSQL driver per need"
    for driver in ("psycopg2-binary", "asyncpg"):
        line = inputs.splitlines().index(driver)
        assert inputs.splitlines()[line - 1].lstrip().startswith("#"), f"say why {driver} is kept"


def test_runtime_and_development_locks_are_apart_and_agree():
    runtime, dev = _pins("requirements.txt"), _pins("requirements-dev.txt")
    for tool in DEV_TOOLS:
        assert tool not in runtime, f"{tool} is a development tool in the runtime lock"
        assert tool in dev, f"{tool} missing from requirements-dev.txt"
    assert "apache-airflow" not in dev and "pandas" not in dev, "the dev lock holds the tools only"
    disagree = {n: (runtime[n], dev[n]) for n in runtime.keys() & dev.keys() if runtime[n] != dev[n]}
    assert not disagree, f"the two locks pin different versions: {disagree}"
    assert "-c requirements.txt" in (REPO / "requirements-dev.in").read_text(encoding="utf-8")


@pytest.mark.parametrize("lock", ["requirements.txt", "requirements-dev.txt"])
def test_locks_carry_hashes_and_were_compiled_for_python_3_11(lock):
    text = (REPO / lock).read_text(encoding="utf-8")
    assert "--python-version 3.11 --generate-hashes" in text.splitlines()[1]
    entries = re.split(r"\n(?=[A-Za-z0-9])", text.split("\n", 2)[2])
    unhashed = [e.split()[0] for e in entries if "==" in e.split()[0] and "--hash=sha256:" not in e]
    assert not unhashed, f"pins without hashes in {lock}: {unhashed}"
