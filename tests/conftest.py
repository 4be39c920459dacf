"""Fixtures shared by the whole suite: the real CKAN integration tests run against.

``ckan_env`` makes sure a CKAN is there and returns ``{"url": ..., "token": ...}``:

* with ``CKAN_URL`` and ``CKAN_API_TOKEN`` both set (a user's own CKAN), it checks that
  CKAN answers ``status_show`` and uses them as they are;
* otherwise it runs ``scripts/ckan/up.sh`` (which returns in well under a second when the
  local CKAN is already healthy and its token valid, and sets everything up when not)
  and reads the token from ``.local/ckan/api_token``.

If CKAN cannot be made available the requesting tests fail with the script's message:
integration tests are never skipped silently.

Kept import-light on purpose: no pandas / Great Expectations / Airflow at import time.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
LOCAL_CKAN = Path(os.environ.get("SMARTCITY_CKAN_HOME", ROOT / ".local" / "ckan"))
LOCAL_URL = f"http://127.0.0.1:{os.environ.get('CKAN_PORT', '5000')}"
USER_AGENT = "smartcity-tests/0.1 (integration tests of the smartcity pipeline)"
UP_TIMEOUT_S = 900  # a cold set-up downloads and builds CKAN's venv


def pytest_configure(config: pytest.Config) -> None:
    """Declare the markers this suite uses (pyproject declares them too; this keeps
    ``--strict-markers`` happy when tests run from another rootdir)."""
    config.addinivalue_line(
        "markers", "integration: talks to the real local CKAN / Airflow started by the project's scripts"
    )


def _status_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/api/3/action/status_show", timeout=5) as resp:
            return resp.status == 200
    except (urllib.error.URLError, OSError):
        return False


@pytest.fixture(scope="session")
def ckan_env() -> dict[str, str]:
    """The CKAN to test against: ``{"url": base URL without trailing slash, "token": API token}``."""
    url = os.environ.get("CKAN_URL", "").rstrip("/")
    token = os.environ.get("CKAN_API_TOKEN", "")
    if url and token:
        if not _status_ok(url):
            pytest.fail(f"CKAN_URL={url} does not answer /api/3/action/status_show")
        return {"url": url, "token": token}
    env = {k: v for k, v in os.environ.items() if k not in ("CKAN_URL", "CKAN_API_TOKEN")}
    try:
        proc = subprocess.run(
            [str(ROOT / "scripts" / "ckan" / "up.sh")],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=UP_TIMEOUT_S, check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"scripts/ckan/up.sh did not finish in {UP_TIMEOUT_S} s; see {LOCAL_CKAN}/*.log")
    if proc.returncode != 0:
        pytest.fail(f"scripts/ckan/up.sh failed (exit {proc.returncode}):\n{proc.stderr[-3000:]}")
    token_file = LOCAL_CKAN / "api_token"
    token = token_file.read_text(encoding="utf-8").strip()
    if not token:
        pytest.fail(f"{token_file} is empty after scripts/ckan/up.sh")
    return {"url": LOCAL_URL, "token": token}


@pytest.fixture(scope="session")
def ckan_client(ckan_env: dict[str, str]) -> Iterator[Any]:
    """A ``ckanapi.RemoteCKAN`` authenticated as the sysadmin of ``ckan_env``."""
    import ckanapi  # imported here: only integration tests pay for it

    with ckanapi.RemoteCKAN(ckan_env["url"], apikey=ckan_env["token"], user_agent=USER_AGENT) as client:
        yield client


@pytest.fixture(scope="session")
def postgres_dsn() -> str:
    """A libpq DSN of a loopback PostgreSQL database of the tests' own: a login role with a
    password made for this session (a fresh PostgreSQL asks loopback clients for one), created
    through ``scripts/pg_admin.sh`` as the superuser, whatever the server's authentication."""
    role, password = "smartcity_test", secrets.token_hex(16)
    sql = (
        f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{role}') THEN "
        f"CREATE ROLE {role} LOGIN; END IF; END $$;\n"
        f"ALTER ROLE {role} PASSWORD '{password}';\n"
        f"SELECT 1 FROM pg_database WHERE datname = '{role}';\n"
    )
    pg_admin = [str(ROOT / "scripts" / "pg_admin.sh"), "-d", "postgres"]
    proc = subprocess.run(pg_admin, input=sql, capture_output=True, text=True, timeout=60, check=False)
    if proc.returncode != 0:
        pytest.fail(f"scripts/pg_admin.sh failed: {proc.stderr[-2000:]}")
    if "1" not in proc.stdout.split():
        subprocess.run([*pg_admin, "-c", f"CREATE DATABASE {role} OWNER {role}"], capture_output=True,
                       text=True, timeout=60, check=True)
    port = os.environ.get("PGPORT", "5432")
    return f"host=127.0.0.1 port={port} user={role} password={password} dbname={role}"
