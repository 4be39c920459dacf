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
SMARTCITY_SOURCES="${SMARTCITY_SOURCES:-demo}" "$REPO_ROOT/.venv/bin/airflow" dags test smartcity_pipeline > "$log" 2>&1 || status=$?
echo "airflow dags test finished in $(( $(date +%s) - start )) s"
# `dags test` ends its log with "DagRun Finished: ... state=<final state>".
final_state=$(grep -o "DagRun Finished:.* state=[a-z_]*" "$log" | tail -1 | sed -E 's/.* state=//')
if [ "$status" -ne 0 ] || [ "$final_state" != "success" ]; then
  grep -E "SMARTCITY ALERT|ERROR|DataQualityError|Traceback" "$log" | tail -30 >&2 || true
  echo "error: the pipeline run ended with state '${final_state:-unknown}' (exit $status); see $log" >&2
  exit 1
fi
echo "run state: $final_state; stage counts:"
grep -E "\] (crawl|parse|extract|reconcile|validate [a-z]+|publish [a-z]+): " "$log" \
  | sed -E 's/^.*\] ((crawl|parse|extract|reconcile|validate [a-z]+|publish [a-z]+): .*) \[smartcity.*$/  \1/' \
  | cut -c1-220 || true
echo "task times:"
"$REPO_ROOT/.venv/bin/python" "$REPO_ROOT/scripts/stage_times.py" "$log"
SMARTCITY_SOURCES="${SMARTCITY_SOURCES:-demo}" "$REPO_ROOT/.venv/bin/python" "$REPO_ROOT/scripts/list_datasets.py"
