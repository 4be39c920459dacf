"""Tests of the service scripts: scripts/ensure_services.sh and scripts/ckan/*.sh (the set-up
of .venv is tested in test_bootstrap.py).

They run the real scripts against loopback services. The bring-your-own-CKAN test points
``up.sh`` at the local CKAN (started through the ``ckan_env`` fixture) with a made-up
token, so it checks that the token is written only to ``airflow.env`` and never printed.
"""

from __future__ import annotations

import json
import os
import shlex
import stat
import subprocess
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# every script but airflow_env.sh and close_fds.sh, which are sourced, not run
SOURCED = {"airflow_env.sh", "close_fds.sh"}
SCRIPTS = sorted([*(p for p in (ROOT / "scripts").glob("*.sh") if p.name not in SOURCED),
                  *(ROOT / "scripts" / "ckan").glob("*.sh"), ROOT / ".ci" / "run"])


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_scripts_are_executable_bash_that_parses(script: Path) -> None:
    assert os.access(script, os.X_OK)
    proc = subprocess.run(["bash", "-n", str(script)], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr


def test_ensure_services_succeeds_when_postgres_and_redis_answer() -> None:
    proc = subprocess.run([str(ROOT / "scripts" / "ensure_services.sh")], capture_output=True, text=True,
                          timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    ready = subprocess.run(["pg_isready", "-h", "127.0.0.1"], capture_output=True, check=False)
    assert ready.returncode == 0


def test_pg_admin_runs_sql_from_arguments_and_from_stdin_without_a_terminal() -> None:
    """As the set-up runs it (CI: no terminal, no password, a fresh cluster's peer/scram auth):
    the superuser probe must not read standard input, which holds the SQL."""
    pg_admin = str(ROOT / "scripts" / "pg_admin.sh")
    arg = subprocess.run([pg_admin, "-d", "postgres", "-c", "SELECT 40 + 2"], capture_output=True,
                         text=True, timeout=60, check=False, stdin=subprocess.DEVNULL)
    assert (arg.returncode, arg.stdout.strip()) == (0, "42"), arg.stderr
    sql = "SELECT current_setting('is_superuser');\nSELECT 6 * 7;\n"
    piped = subprocess.run([pg_admin, "-d", "postgres"], input=sql, capture_output=True, text=True,
                           timeout=60, check=False, start_new_session=True)
    assert (piped.returncode, piped.stdout.split()) == (0, ["on", "42"]), piped.stderr


@pytest.mark.integration
def test_up_with_own_ckan_writes_airflow_env_and_never_prints_token(ckan_env: dict[str, str],
                                                                      tmp_path: Path) -> None:
    fake_token = "byo-token-" + "x" * 40
    env = {**os.environ, "CKAN_URL": ckan_env["url"] + "/", "CKAN_API_TOKEN": fake_token,
           "SMARTCITY_CKAN_HOME": str(tmp_path / "ckan")}
    proc = subprocess.run([str(ROOT / "scripts" / "ckan" / "up.sh")], env=env, capture_output=True,
                          text=True, timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr
    assert fake_token not in proc.stdout + proc.stderr
    env_file = tmp_path / "ckan" / "airflow.env"
    assert stat.S_IMODE(env_file.stat().st_mode) == 0o600
    key, _, value = env_file.read_text(encoding="utf-8").strip().partition("=")
    assert key == "AIRFLOW_CONN_CKAN_DEFAULT"
    conn = json.loads(shlex.split(value)[0])
    assert conn == {"conn_type": "http", "host": ckan_env["url"], "password": fake_token}


@pytest.mark.integration
def test_up_with_own_ckan_fails_loudly_when_it_does_not_answer(tmp_path: Path) -> None:
    env = {**os.environ, "CKAN_URL": "http://127.0.0.1:9", "CKAN_API_TOKEN": "unused",
           "SMARTCITY_CKAN_HOME": str(tmp_path / "ckan")}
    proc = subprocess.run([str(ROOT / "scripts" / "ckan" / "up.sh")], env=env, capture_output=True,
                          text=True, timeout=60, check=False)
    assert proc.returncode != 0
    assert "status_show" in proc.stderr
    assert not (tmp_path / "ckan" / "airflow.env").exists()


@pytest.mark.integration
def test_local_up_is_idempotent_and_keeps_secrets_private(ckan_env: dict[str, str]) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("CKAN_URL", "CKAN_API_TOKEN")}
    proc = subprocess.run([str(ROOT / "scripts" / "ckan" / "up.sh")], env=env, capture_output=True,
                          text=True, timeout=600, check=False)
    assert proc.returncode == 0, proc.stderr
    home = Path(os.environ.get("SMARTCITY_CKAN_HOME", ROOT / ".local" / "ckan"))
    token = (home / "api_token").read_text(encoding="utf-8").strip()
    assert token and token not in proc.stdout + proc.stderr
    for name in ("api_token", "airflow.env", "secrets.env", "ckan.ini"):
        assert stat.S_IMODE((home / name).stat().st_mode) & 0o077 == 0, name


def test_down_leaves_a_foreign_process_alone(tmp_path: Path) -> None:
    # a stale pid file whose pid now belongs to some other program must not be signalled
    home, solr_home = tmp_path / "ckan", tmp_path / "solr"
    home.mkdir()
    solr_home.mkdir()
    sleeper = subprocess.Popen(["sleep", "30"])
    env = {**os.environ, "SMARTCITY_CKAN_HOME": str(home), "SMARTCITY_SOLR_HOME": str(solr_home)}
    try:
        (home / "ckan.pid").write_text(str(sleeper.pid))
        (solr_home / "solr.pid").write_text(str(sleeper.pid))
        proc = subprocess.run([str(ROOT / "scripts" / "ckan" / "down.sh")], env=env,
                              capture_output=True, text=True, timeout=30, check=False)
        assert proc.returncode == 0, proc.stderr
        assert sleeper.poll() is None
        assert "leaving it alone" in proc.stderr
        assert not (home / "ckan.pid").exists()
        proc = subprocess.run([str(ROOT / "scripts" / "ckan" / "solr.sh"), "down"], env=env,
                              capture_output=True, text=True, timeout=30, check=False)
        assert proc.returncode == 0, proc.stderr
        assert sleeper.poll() is None
        assert "not this checkout's Solr" in proc.stderr
        assert not (solr_home / "solr.pid").exists()
    finally:
        sleeper.kill()
        sleeper.wait()


def test_down_stops_this_checkouts_ckan_with_its_children_and_nothing_else(tmp_path: Path) -> None:
    # up.sh starts CKAN with setsid; down.sh signals that process group, found by the pid file
    # under this checkout's .local/ckan and a command line naming this checkout's ckan.ini
    home = tmp_path / "ckan"
    home.mkdir()
    child_pid_file = tmp_path / "child.pid"
    ours = subprocess.Popen(["bash", "-c", f'sleep 60 & echo $! > {child_pid_file}; wait # {home}/ckan.ini'],
                            start_new_session=True)
    other = subprocess.Popen(["sleep", "60"], start_new_session=True)
    try:
        for _ in range(50):
            if child_pid_file.exists() and child_pid_file.read_text().strip():
                break
            time.sleep(0.1)
        child = int(child_pid_file.read_text())
        (home / "ckan.pid").write_text(str(ours.pid))
        proc = subprocess.run([str(ROOT / "scripts" / "ckan" / "down.sh")],
                              env={**os.environ, "SMARTCITY_CKAN_HOME": str(home)},
                              capture_output=True, text=True, timeout=30, check=False)
        assert proc.returncode == 0, proc.stderr
        assert ours.wait(timeout=10) is not None
        assert not _alive(child)
        assert other.poll() is None
        assert not (home / "ckan.pid").exists()
    finally:
        for p in (ours, other):
            p.kill()
            p.wait()


def _alive(pid: int) -> bool:
    """True while ``pid`` runs (a zombie waiting for its parent to reap it counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"
