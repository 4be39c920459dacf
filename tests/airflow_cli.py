"""The real Airflow CLI of this checkout, as the integration tests run it (`airflow dags test`)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def airflow(args: list[str], env: dict[str, str], log_path: Path) -> subprocess.CompletedProcess:
    """``.venv/bin/airflow ARGS`` with the project's Airflow environment; output kept in ``log_path``."""
    command = f'. scripts/airflow_env.sh && exec .venv/bin/airflow {" ".join(args)}'
    result = subprocess.run(
        ["bash", "-c", command], cwd=REPO, env=env, capture_output=True, text=True, timeout=900
    )
    log_path.write_text(result.stdout + "\n--- stderr ---\n" + result.stderr, encoding="utf-8")
    return result


def run_succeeded(result: subprocess.CompletedProcess) -> bool:
    """`dags test` ends with "DagRun Finished: ... state=<final state>"."""
    finished = re.findall(r"DagRun Finished:.* state=(\w+)", result.stdout + result.stderr)
    return result.returncode == 0 and finished[-1:] == ["success"]
