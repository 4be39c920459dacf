#!/usr/bin/env bash
# Run an Airflow CLI command in the project's environment: scripts/airflow.sh dags list
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/airflow_env.sh"
exec "$REPO_ROOT/.venv/bin/airflow" "$@"
