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


def test_image_is_built_from_pinned_requirements():
    dockerfile = (REPO / "Dockerfile").read_text(encoding="utf-8")
    assert re.search(r"^FROM apache/airflow:3\.3\.2-python3\.11$", dockerfile, re.M)
    assert "pip install --no-cache-dir -r /opt/airflow/requirements.txt" in dockerfile
    pins = (REPO / "requirements.txt").read_text(encoding="utf-8")
    assert "apache-airflow==3.3.2" in pins and "celery==5.6.3" in pins


def test_no_secret_values_committed(compose):
    text = (REPO / "docker-compose.yaml").read_text(encoding="utf-8")
    assert not re.search(r"(?i)(token|secret|fernet)[A-Z_]*:\s*['\"]?[A-Za-z0-9_\-]{20,}", text)


def test_celery_result_backend_names_the_psycopg2_driver(compose):
    """SQLAlchemy 2.1 maps a bare ``db+postgresql://`` to psycopg 3, which kills the worker at start."""
    env = compose["services"]["airflow-worker"]["environment"]
    assert env["AIRFLOW__CELERY__RESULT_BACKEND"].startswith("db+postgresql+psycopg2://")
    assert env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"].startswith("postgresql+psycopg2://")


def test_requirements_bring_the_postgres_and_celery_drivers():
    """Airflow 3.3 on PostgreSQL also opens an async connection (asyncpg); Celery needs redis."""
    pins = (REPO / "requirements.in").read_text(encoding="utf-8")
    assert "apache-airflow[postgres,celery]==3.3.2" in pins
    locked = (REPO / "requirements.txt").read_text(encoding="utf-8")
    for driver in ("asyncpg==", "psycopg2-binary==", "redis==", "apache-airflow-providers-celery=="):
        assert re.search(rf"^{re.escape(driver)}", locked, re.M), f"{driver} not pinned"
