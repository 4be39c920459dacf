#!/usr/bin/env bash
# A distributed Airflow of THIS checkout on loopback, as data engineers run it (no Docker):
# api-server, scheduler, dag-processor and a Celery worker as separate background processes,
# CeleryExecutor, metadata in the loopback PostgreSQL (its own database), Redis as the broker.
#
#   scripts/airflow_cluster.sh up        start what is not running (idempotent; restarts a dead worker)
#   scripts/airflow_cluster.sh down      stop this cluster's processes and free its ports
#   scripts/airflow_cluster.sh status    one line per component
#   scripts/airflow_cluster.sh airflow ARGS...   the Airflow CLI against this cluster's metadata DB
#
# Every process runs in its own session (pid = process group, in <dir>/pids/<name>.pid), with
# <dir>/run as its working directory; `down` signals those process groups, then any process left
# whose working directory is <dir>/run (e.g. a SIGKILLed worker's orphans), never a process found
# by name.  (Not the environment: the api-server and Celery set their process titles, which
# overwrites what /proc/PID/environ shows.)  Secrets (Fernet key, JWT secret, API secret key, the admin password) are generated once into
# <dir>/secrets.env and <dir>/passwords.json (mode 600) and shared by every component.
#
# Settings (environment; defaults in brackets):
#   SMARTCITY_CLUSTER_DIR [.local/airflow-cluster]   state: AIRFLOW_HOME, logs, pids, secrets
#   SMARTCITY_AIRFLOW_DB [smartcity_airflow]         metadata database (created when missing)
#   SMARTCITY_AIRFLOW_DB_USER [smartcity_airflow]    its owner: a login role with a generated password
#                                                    (in <dir>/secrets.env), made with scripts/pg_admin.sh
#   PGHOST/PGPORT [127.0.0.1/5432]                   the loopback PostgreSQL
#   REDIS_PORT [6379], SMARTCITY_REDIS_DB [11]       the broker and its database number
#   AIRFLOW_API_PORT [8089], AIRFLOW_WORKER_LOG_PORT [8795], AIRFLOW_WORKER_CONCURRENCY [4]
#   SMARTCITY_DATA_DIR [./data], SMARTCITY_SOURCES, SMARTCITY_DATASET_PREFIX, SMARTCITY_ALERT_WEBHOOK,
#   SMARTCITY_RETRY_DELAY and any AIRFLOW__SECTION__KEY are passed to every component as they are.
# The CKAN connection comes from .local/ckan/airflow.env (written by scripts/ckan/up.sh) unless
# AIRFLOW_CONN_CKAN_DEFAULT is set.
set -euo pipefail
# no daemon started here may hold a descriptor of the caller (its lock file): close them
# shellcheck disable=SC1091
. "$(dirname "${BASH_SOURCE[0]}")/close_fds.sh"

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CLUSTER_DIR="${SMARTCITY_CLUSTER_DIR:-$REPO_ROOT/.local/airflow-cluster}"
mkdir -p "$CLUSTER_DIR"
CLUSTER_DIR="$(cd "$CLUSTER_DIR" && pwd)"
DB_NAME="${SMARTCITY_AIRFLOW_DB:-smartcity_airflow}"
PGHOST="${PGHOST:-127.0.0.1}"
PGPORT="${PGPORT:-5432}"
DB_USER="${SMARTCITY_AIRFLOW_DB_USER:-smartcity_airflow}"
REDIS_PORT="${REDIS_PORT:-6379}"
REDIS_DB="${SMARTCITY_REDIS_DB:-11}"
API_PORT="${AIRFLOW_API_PORT:-8089}"
LOG_PORT="${AIRFLOW_WORKER_LOG_PORT:-8795}"
CONCURRENCY="${AIRFLOW_WORKER_CONCURRENCY:-4}"
COMPONENTS=(api-server dag-processor scheduler worker)
AIRFLOW="$REPO_ROOT/.venv/bin/airflow"
RUN_DIR="$CLUSTER_DIR/run"  # every component's working directory: what marks it as this cluster's

say() { echo "airflow-cluster: $*" >&2; }

# ---------------------------------------------------------------- environment of every component
cluster_env() {
    export SMARTCITY_AIRFLOW_CLUSTER="$CLUSTER_DIR"
    mkdir -p "$RUN_DIR"
    export AIRFLOW_HOME="$CLUSTER_DIR/home"
    # what every local Airflow command shares: DAGs, plugins, data directory, the CKAN connection
    # shellcheck disable=SC1091
    . "$REPO_ROOT/scripts/airflow_env.sh"
    export AIRFLOW__CORE__EXECUTOR=CeleryExecutor
    set -a
    # shellcheck disable=SC1091
    . "$CLUSTER_DIR/secrets.env"
    set +a
    local db_auth="$DB_USER:$SMARTCITY_AIRFLOW_DB_PASS"
    export AIRFLOW__DATABASE__SQL_ALCHEMY_CONN="postgresql+psycopg2://$db_auth@$PGHOST:$PGPORT/$DB_NAME"
    export AIRFLOW__CELERY__BROKER_URL="redis://127.0.0.1:$REDIS_PORT/$REDIS_DB"
    # +psycopg2: a bare db+postgresql:// means psycopg 3 under SQLAlchemy 2.1 (not installed)
    export AIRFLOW__CELERY__RESULT_BACKEND="db+postgresql+psycopg2://$db_auth@$PGHOST:$PGPORT/$DB_NAME"
    export AIRFLOW__CELERY__WORKER_CONCURRENCY="$CONCURRENCY"
    export AIRFLOW__CORE__EXECUTION_API_SERVER_URL="http://127.0.0.1:$API_PORT/execution/"
    export AIRFLOW__API__HOST=127.0.0.1
    export AIRFLOW__API__PORT="$API_PORT"
    export AIRFLOW__API__BASE_URL="http://127.0.0.1:$API_PORT"
    export AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT="$LOG_PORT"
    export AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS="admin:admin"
    export AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE="$CLUSTER_DIR/passwords.json"
    mkdir -p "$CLUSTER_DIR/logs" "$CLUSTER_DIR/pids"
}

ensure_secrets() {  # generated once; every component (and every host of a real cluster) shares them
    (
        umask 077
        if [ ! -s "$CLUSTER_DIR/secrets.env" ]; then
            "$REPO_ROOT/.venv/bin/python" - > "$CLUSTER_DIR/secrets.env.tmp" <<'PY'
import secrets
from cryptography.fernet import Fernet
print(f"AIRFLOW__CORE__FERNET_KEY={Fernet.generate_key().decode()}")
print(f"AIRFLOW__API_AUTH__JWT_SECRET={secrets.token_urlsafe(48)}")
print(f"AIRFLOW__API__SECRET_KEY={secrets.token_urlsafe(48)}")
print(f"SMARTCITY_AIRFLOW_DB_PASS={secrets.token_hex(24)}")
PY
            mv "$CLUSTER_DIR/secrets.env.tmp" "$CLUSTER_DIR/secrets.env"
        fi
        if [ ! -s "$CLUSTER_DIR/passwords.json" ]; then
            "$REPO_ROOT/.venv/bin/python" -c \
                'import json, secrets; print(json.dumps({"admin": secrets.token_urlsafe(18)}))' \
                > "$CLUSTER_DIR/passwords.json.tmp"
            mv "$CLUSTER_DIR/passwords.json.tmp" "$CLUSTER_DIR/passwords.json"
        fi
    )
    chmod 600 "$CLUSTER_DIR/secrets.env" "$CLUSTER_DIR/passwords.json"
}

ensure_database() {  # the metadata database and its owner, as the superuser (whatever the auth)
    local pg_admin=("$REPO_ROOT/scripts/pg_admin.sh" -d postgres)
    [[ "$DB_USER" =~ ^[a-z_][a-z0-9_]*$ ]] || { say "not a plain PostgreSQL role name: $DB_USER"; return 1; }
    "${pg_admin[@]}" >/dev/null <<SQL
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$DB_USER') THEN
    CREATE ROLE $DB_USER LOGIN;
  END IF;
END
\$\$;
ALTER ROLE $DB_USER PASSWORD '$SMARTCITY_AIRFLOW_DB_PASS';
SQL
    if [ "$("${pg_admin[@]}" -c "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'")" != "1" ]; then
        say "creating PostgreSQL database $DB_NAME"
        "${pg_admin[@]}" -c "CREATE DATABASE \"$DB_NAME\" OWNER $DB_USER" >/dev/null
    fi
}

# ---------------------------------------------------------------- processes
pid_file() { echo "$CLUSTER_DIR/pids/$1.pid"; }

is_ours() {  # is_ours PID: alive and working in this cluster's run directory
    local pid="$1"
    [ -n "$pid" ] || return 1
    [ "$(readlink "/proc/$pid/cwd" 2>/dev/null)" = "$RUN_DIR" ]
}

component_pid() {  # the component's pid (= process group) when it runs, else nothing
    local file pid
    file="$(pid_file "$1")"
    [ -f "$file" ] || return 0
    pid="$(cat "$file")"
    if is_ours "$pid"; then echo "$pid"; fi
}

command_of() {
    case "$1" in
        api-server) echo "api-server --host 127.0.0.1 --port $API_PORT --workers 1" ;;
        scheduler) echo "scheduler" ;;
        dag-processor) echo "dag-processor" ;;
        worker) echo "celery worker --concurrency $CONCURRENCY --celery-hostname smartcity-$API_PORT@%h" ;;
    esac
}

start_component() {
    local name="$1" log
    log="$CLUSTER_DIR/logs/$name.log"
    [ -f "$log" ] && mv -f "$log" "$log.1"
    # setsid: a session of its own, so pid = process group and `down` can signal the whole tree
    # shellcheck disable=SC2046
    (cd "$RUN_DIR" && exec setsid bash -c 'echo $$ > "$0"; exec "$@"' "$(pid_file "$name")" \
        "$AIRFLOW" $(command_of "$name") > "$log" 2>&1 < /dev/null) &
    say "started $name (log: $log)"
}

wait_until() {  # wait_until SECONDS DESCRIPTION COMMAND...
    local limit="$1" what="$2" i
    shift 2
    for ((i = 0; i < limit * 2; i++)); do
        if "$@"; then return 0; fi
        sleep 0.5
    done
    say "$what did not happen within $limit s"
    return 1
}

PY="$REPO_ROOT/.venv/bin/python"  # for HTTP and port checks: no curl or ss needed

api_healthy() {
    "$PY" -c "import urllib.request as u; u.urlopen('http://127.0.0.1:$API_PORT/api/v2/monitor/health', timeout=2)" \
        >/dev/null 2>&1
}

worker_ready() { grep -q "ready\." "$CLUSTER_DIR/logs/worker.log" 2>/dev/null; }

port_free() {  # nothing accepts connections on 127.0.0.1:PORT
    "$PY" -c "import socket, sys; s = socket.socket(); s.settimeout(1); sys.exit(s.connect_ex(('127.0.0.1', $1)) == 0)"
}

stop_group() {  # stop_group NAME: TERM the process group, then KILL what is left after 15 s
    local name="$1" pid i
    pid="$(component_pid "$name")"
    if [ -n "$pid" ]; then
        kill -TERM -- "-$pid" 2>/dev/null || true
        for ((i = 0; i < 30; i++)); do
            kill -0 -- "-$pid" 2>/dev/null || break
            sleep 0.5
        done
        kill -KILL -- "-$pid" 2>/dev/null || true
        say "stopped $name (process group $pid)"
    fi
    rm -f "$(pid_file "$name")"
}

sweep_marked() {  # processes of this cluster that left their group (orphans): KILL them
    local proc pid found=0
    for proc in /proc/[0-9]*; do
        pid="${proc#/proc/}"
        [ "$pid" = "$$" ] && continue
        if is_ours "$pid"; then
            kill -KILL "$pid" 2>/dev/null && found=$((found + 1))
        fi
    done
    if [ "$found" -gt 0 ]; then say "killed $found leftover process(es) of this cluster"; fi
}

# ---------------------------------------------------------------- commands
cmd_up() {
    "$REPO_ROOT/scripts/ensure_services.sh"
    ensure_secrets
    cluster_env
    local missing=() name
    for name in "${COMPONENTS[@]}"; do
        [ -n "$(component_pid "$name")" ] || missing+=("$name")
    done
    if [ "${#missing[@]}" -eq 0 ]; then
        say "already up: http://127.0.0.1:$API_PORT"
        return 0
    fi
    for name in "${missing[@]}"; do
        case "$name" in
            api-server) port_free "$API_PORT" || { say "port $API_PORT is taken"; return 1; } ;;
            worker) port_free "$LOG_PORT" || { say "worker log port $LOG_PORT is taken"; return 1; } ;;
        esac
    done
    ensure_database
    if [[ " ${missing[*]} " == *" api-server "* ]]; then
        local migrate_log="$CLUSTER_DIR/logs/db-migrate.log"
        "$AIRFLOW" db migrate > "$migrate_log" 2>&1 || { tail -20 "$migrate_log" >&2; return 1; }
    fi
    for name in "${missing[@]}"; do start_component "$name"; done
    wait_until 120 "the api-server answering on :$API_PORT" api_healthy
    if [[ " ${missing[*]} " == *" worker "* ]]; then
        wait_until 90 "the Celery worker becoming ready" worker_ready
    fi
    say "up: http://127.0.0.1:$API_PORT (user admin, password in $CLUSTER_DIR/passwords.json)"
}

cmd_down() {
    local name
    # the worker first, so it takes no new task while the rest stops
    for name in worker scheduler dag-processor api-server; do stop_group "$name"; done
    sweep_marked
    wait_until 15 "port $API_PORT being freed" port_free "$API_PORT" || true
    wait_until 15 "port $LOG_PORT being freed" port_free "$LOG_PORT" || true
}

cmd_status() {
    local name pid rc=0
    for name in "${COMPONENTS[@]}"; do
        pid="$(component_pid "$name")"
        if [ -n "$pid" ]; then
            printf '%-14s running (process group %s)\n' "$name" "$pid"
        else
            printf '%-14s stopped\n' "$name"
            rc=3
        fi
    done
    echo "api: http://127.0.0.1:$API_PORT  metadata: postgresql://$PGHOST:$PGPORT/$DB_NAME  broker: redis db $REDIS_DB"
    return "$rc"
}

case "${1:-}" in
    up) cmd_up ;;
    down) cmd_down ;;
    status) cmd_status ;;
    airflow)
        shift
        ensure_secrets
        cluster_env
        exec "$AIRFLOW" "$@"
        ;;
    *)
        echo "usage: $0 up|down|status|airflow ARGS..." >&2
        exit 2
        ;;
esac
