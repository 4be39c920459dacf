# Sourced by the Makefile's scripts: the environment every local Airflow command runs in.
# Metadata on SQLite (Airflow's embedded default) under .local/airflow; DAGs and plugins from the repo.
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export AIRFLOW_HOME="${AIRFLOW_HOME:-$REPO_ROOT/.local/airflow}"
export AIRFLOW__CORE__DAGS_FOLDER="$REPO_ROOT/dags"
export AIRFLOW__CORE__PLUGINS_FOLDER="$REPO_ROOT/plugins"
export AIRFLOW__CORE__LOAD_EXAMPLES=False
export AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION=True
export AIRFLOW__LOGGING__LOGGING_LEVEL="${AIRFLOW__LOGGING__LOGGING_LEVEL:-INFO}"
export SMARTCITY_DATA_DIR="${SMARTCITY_DATA_DIR:-$REPO_ROOT/data}"
export PYTHONPATH="$REPO_ROOT/plugins${PYTHONPATH:+:$PYTHONPATH}"
# The CKAN connection (ckan_default) written by scripts/ckan/up.sh; mode 600, never printed.
if [ -z "${AIRFLOW_CONN_CKAN_DEFAULT:-}" ] && [ -f "$REPO_ROOT/.local/ckan/airflow.env" ]; then
  set -a
  # shellcheck disable=SC1091
  . "$REPO_ROOT/.local/ckan/airflow.env"
  set +a
fi
mkdir -p "$AIRFLOW_HOME"
