#!/usr/bin/env bash
# Run the whole pipeline once through Airflow (`airflow dags test`) and print the dataset URLs.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/airflow_env.sh"
cd "$REPO_ROOT"
mkdir -p .local/logs
log=".local/logs/dags-test-$(date +%Y%m%dT%H%M%S).log"
echo "running smartcity_pipeline through Airflow (log: $log) ..."
start=$(date +%s)
status=0
"$REPO_ROOT/.venv/bin/airflow" dags test smartcity_pipeline > "$log" 2>&1 || status=$?
echo "airflow dags test finished in $(( $(date +%s) - start )) s"
# `dags test` reports the run's final state in its log; a failed task fails this script.
if [ "$status" -ne 0 ] || grep -q "state=failed\|DagRunState.FAILED\|Marking run <DagRun.*failed" "$log"; then
  grep -E "SMARTCITY ALERT|ERROR|DataQualityError|Traceback" "$log" | tail -30 >&2 || true
  echo "error: the pipeline run failed; see $log" >&2
  exit 1
fi
grep -E "\] (crawl|parse|extract|reconcile|validate|publish)" "$log" | sed -E 's/^.*\] //' | tail -20 || true
"$REPO_ROOT/.venv/bin/python" "$REPO_ROOT/scripts/list_datasets.py"
