#!/usr/bin/env bash
# Start a real local CKAN 2.11.6 (+ its core on the local Apache Solr 9, scripts/ckan/solr.sh)
# for development and tests.
#
# Idempotent: when CKAN already answers and the API token works, it exits in well under
# a second. From nothing it creates, under .local/ckan/ (git-ignored):
#   venv/         CKAN 2.11.6 from PyPI + its pinned requirements (own venv: its pins
#                 clash with Airflow's)
#   ckan.ini      `ckan generate config` + scripts/ckan/ckan.ini.template
#   secrets.env   generated database / admin passwords (mode 600)
#   storage/      uploads
#   api_token     the sysadmin's API token (mode 600) -- never printed
#   airflow.env   AIRFLOW_CONN_CKAN_DEFAULT=<json> for `set -a; . .local/ckan/airflow.env`
#   *.pid, *.log  the background CKAN
# and its Solr core (default `ckan`) on the checkout's one Solr node, under .local/solr/.
# plus PostgreSQL roles/databases ckan_default, datastore_ro, ckan_smartcity,
# datastore_smartcity. Downloads are cached in ~/.cache/smartcity-ckan (and uv's cache).
# uv and pip are the project's own (.venv/bin/uv, .venv/bin/python -m pip): run
# scripts/bootstrap_venv.sh first (`make ckan-up` does).
#
# Bring your own CKAN: with CKAN_URL and CKAN_API_TOKEN both set, only checks that CKAN
# answers status_show and writes airflow.env from them.
#
# Env: SMARTCITY_CKAN_HOME (.local/ckan), SMARTCITY_CKAN_CACHE (~/.cache/smartcity-ckan),
#      CKAN_PORT (5000), SOLR_PORT (8983), SOLR_CORE (ckan), PGPORT (5432), REDIS_PORT (6379),
#      CKAN_START_TIMEOUT (120 s), CKAN_DB_USER (ckan_default), CKAN_DB_NAME
#      (ckan_smartcity), CKAN_DS_NAME (datastore_smartcity), CKAN_DS_RO_USER (datastore_ro)
#      -- set them all to run a second, independent instance next to the first.
#      A second instance may also set (scripts/ckan/up_gdc.sh does):
#      CKAN_EXTRA_TEMPLATE   a second options file applied after ckan.ini.template (plugins,
#                            schema, ...), placeholders as in the first plus @SCRIPTS@
#      CKAN_EXTRA_PACKAGES   space-separated requirements installed into the CKAN venv
#                            (ckanext-scheming==..., ...)
#      CKAN_EXTRA_FILES      files the extra options read (a change restarts CKAN, as a
#                            template change does)
#      CKAN_JOBS_WORKER=1    also run `ckan jobs worker` (background jobs, e.g. xloader) and
#                            write a sysadmin token for it into ckanext.xloader.api_token
set -euo pipefail
# no daemon started here may hold a descriptor of the caller (its lock file): close them
# shellcheck disable=SC1091
. "$(dirname "${BASH_SOURCE[0]}")/../close_fds.sh"
umask 077

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
CKAN_VERSION=2.11.6
LOCAL="${SMARTCITY_CKAN_HOME:-$ROOT/.local/ckan}"
CACHE="${SMARTCITY_CKAN_CACHE:-$HOME/.cache/smartcity-ckan}"
CKAN_PORT="${CKAN_PORT:-5000}"
SOLR_PORT="${SOLR_PORT:-8983}"
SOLR_CORE="${SOLR_CORE:-ckan}"
PGPORT="${PGPORT:-5432}"
REDIS_PORT="${REDIS_PORT:-6379}"
TIMEOUT="${CKAN_START_TIMEOUT:-120}"
SITE_URL="http://127.0.0.1:$CKAN_PORT"
VENV="$LOCAL/venv"
INI="$LOCAL/ckan.ini"
TOKEN_FILE="$LOCAL/api_token"
ENV_FILE="$LOCAL/airflow.env"
SECRETS="$LOCAL/secrets.env"
TEMPLATE="$HERE/ckan.ini.template"
ADMIN_USER=smartcity_admin
DB_USER="${CKAN_DB_USER:-ckan_default}"
DB_NAME="${CKAN_DB_NAME:-ckan_smartcity}"
DS_NAME="${CKAN_DS_NAME:-datastore_smartcity}"
DS_RO_USER="${CKAN_DS_RO_USER:-datastore_ro}"

say() { echo "ckan-up: $*" >&2; }
die() { say "ERROR: $*"; exit 1; }
for ident in "$DB_USER" "$DB_NAME" "$DS_NAME" "$DS_RO_USER"; do
    [[ "$ident" =~ ^[a-z_][a-z0-9_]*$ ]] || die "not a plain PostgreSQL identifier: $ident"
done

# ---------------------------------------------------------------- helpers
status_ok() {  # status_ok <url>: CKAN answers status_show
    curl -fsS -m 3 -o /dev/null "$1/api/3/action/status_show" 2>/dev/null
}
token_ok() {  # token_ok <url> <token-file>: the token authenticates as a sysadmin
    # config_option_list is sysadmin-only; the header comes from stdin so the token
    # never appears on a command line.
    [ -s "$2" ] || return 1
    printf 'Authorization: %s\n' "$(cat "$2")" |
        curl -fsS -m 5 -o /dev/null -H @- "$1/api/3/action/config_option_list" 2>/dev/null
}
solr_ok() { curl -fsS -m 2 -o /dev/null "http://127.0.0.1:$SOLR_PORT/solr/$SOLR_CORE/admin/ping" 2>/dev/null; }
write_airflow_env() {  # write_airflow_env <url> <token-file>
    local tmp="$ENV_FILE.tmp"
    mkdir -p "$(dirname "$ENV_FILE")"
    URL="$1" python3 - "$2" >"$tmp" <<'PY'
import json, os, shlex, sys
token = open(sys.argv[1], encoding="utf-8").read().strip()
conn = {"conn_type": "http", "host": os.environ["URL"], "password": token}
print("AIRFLOW_CONN_CKAN_DEFAULT=" + shlex.quote(json.dumps(conn, separators=(",", ":"))))
PY
    chmod 600 "$tmp"
    mv "$tmp" "$ENV_FILE"
}
EXTRA_TEMPLATE="${CKAN_EXTRA_TEMPLATE:-}"
EXTRA_PACKAGES="${CKAN_EXTRA_PACKAGES:-}"
JOBS_WORKER="${CKAN_JOBS_WORKER:-0}"
template_hash() {  # the plain instance hashes ckan.ini.template alone, as it always did
    if [ -n "$EXTRA_TEMPLATE" ]; then
        # shellcheck disable=SC2086  # files the extra options name (schema, licences)
        { cat "$TEMPLATE" "$EXTRA_TEMPLATE" ${CKAN_EXTRA_FILES:-}; echo "$JOBS_WORKER"; } | sha256sum | cut -c1-16
    else
        sha256sum "$TEMPLATE" | cut -c1-16
    fi
}
worker_ok() {  # no worker wanted, or the recorded one is alive
    [ "$JOBS_WORKER" = 1 ] || return 0
    [ -s "$LOCAL/worker.pid" ] && kill -0 "$(cat "$LOCAL/worker.pid")" 2>/dev/null
}

# ---------------------------------------------------------------- bring your own CKAN
if [ -n "${CKAN_URL:-}" ] && [ -n "${CKAN_API_TOKEN:-}" ]; then
    url="${CKAN_URL%/}"
    status_ok "$url" || die "CKAN_URL=$url does not answer /api/3/action/status_show"
    tokfile="$(mktemp)"
    trap 'rm -f "$tokfile"' EXIT
    printf '%s' "$CKAN_API_TOKEN" >"$tokfile"
    write_airflow_env "$url" "$tokfile"
    say "using your CKAN at $url; wrote $ENV_FILE"
    exit 0
fi

# ---------------------------------------------------------------- fast path
if status_ok "$SITE_URL" && solr_ok && token_ok "$SITE_URL" "$TOKEN_FILE" &&
    [ -s "$ENV_FILE" ] && [ "$(cat "$LOCAL/.template_hash" 2>/dev/null)" = "$(template_hash)" ] && worker_ok; then
    exit 0
fi

started=$(date +%s)
mkdir -p "$LOCAL" "$CACHE" "$LOCAL/storage"
# One set-up at a time (several test sessions may call up.sh at once).
# The daemons started below get `9>&-`: holding the lock fd, they would block every later up.sh.
exec 9>"$LOCAL/.up.lock"
flock 9

# ---------------------------------------------------------------- services
"$ROOT/scripts/ensure_services.sh"

pg_admin() { "$ROOT/scripts/pg_admin.sh" "$@"; }  # psql as the superuser, whatever the auth

# ---------------------------------------------------------------- CKAN venv
# uv and pip by path, from the project's .venv (scripts/bootstrap_venv.sh): nothing from PATH.
PROJECT_PY="$ROOT/.venv/bin/python"
UV="$ROOT/.venv/bin/uv"
[ -x "$UV" ] && [ -x "$PROJECT_PY" ] || die "$UV is missing: run scripts/bootstrap_venv.sh (make venv) first"
export UV_SYSTEM_CERTS="${UV_SYSTEM_CERTS:-1}"  # the system's CA store, as in bootstrap_venv.sh
SDIST="$CACHE/ckan-$CKAN_VERSION.tar.gz"
REQS="$CACHE/ckan-$CKAN_VERSION-requirements.txt"
if [ ! -s "$REQS" ]; then
    if [ ! -s "$SDIST" ]; then
        say "downloading the CKAN $CKAN_VERSION sdist (for its pinned requirements.txt)"
        "$PROJECT_PY" -m pip download -q --disable-pip-version-check "ckan==$CKAN_VERSION" \
            --no-binary :all: --no-deps -d "$CACHE" >>"$LOCAL/setup.log" 2>&1 ||
            die "pip download ckan==$CKAN_VERSION failed: see $LOCAL/setup.log"
        [ -s "$SDIST" ] || die "pip download gave no $SDIST"
    fi
    tar -xzOf "$SDIST" "ckan-$CKAN_VERSION/requirements.txt" >"$REQS.tmp"
    mv "$REQS.tmp" "$REQS"
fi
want_stamp="ckan==$CKAN_VERSION $(sha256sum "$REQS" | cut -c1-16)"
[ -z "$EXTRA_PACKAGES" ] || want_stamp="$want_stamp $EXTRA_PACKAGES"
if [ "$(cat "$VENV/.smartcity-stamp" 2>/dev/null)" != "$want_stamp" ]; then
    if ! command -v pg_config >/dev/null 2>&1; then
        # psycopg2 (pinned by CKAN) builds from source against libpq
        if [ "$(id -u)" -eq 0 ]; then
            say "installing libpq-dev and gcc with apt-get (psycopg2 builds against libpq)"
            DEBIAN_FRONTEND=noninteractive apt-get update -qq
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpq-dev gcc >/dev/null
        else
            die "psycopg2 needs libpq-dev and gcc: sudo apt-get install -y libpq-dev gcc"
        fi
    fi
    say "installing CKAN $CKAN_VERSION into $VENV"
    # CKAN's venv on the same Python 3.11 as .venv (uv resolves a venv's python to its base)
    [ -x "$VENV/bin/python" ] || "$UV" venv -q --python "$PROJECT_PY" "$VENV"
    "$UV" pip install -q --python "$VENV/bin/python" -r "$REQS" "ckan==$CKAN_VERSION"
    if [ -n "$EXTRA_PACKAGES" ]; then
        say "installing into $VENV: $EXTRA_PACKAGES"
        # shellcheck disable=SC2086  # one word per requirement
        "$UV" pip install -q --python "$VENV/bin/python" $EXTRA_PACKAGES
    fi
    echo "$want_stamp" >"$VENV/.smartcity-stamp"
fi
CKAN="$VENV/bin/ckan"

# ---------------------------------------------------------------- secrets
if [ ! -s "$SECRETS" ]; then
    gen() { python3 -c 'import secrets; print(secrets.token_urlsafe(24))'; }
    {
        echo "DB_PASS=$(gen)"
        echo "DS_RO_PASS=$(gen)"
        echo "ADMIN_PASS=$(gen)"
    } >"$SECRETS"
fi
# shellcheck disable=SC1090
. "$SECRETS"

# ---------------------------------------------------------------- PostgreSQL
pg_admin -d postgres <<SQL
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$DB_USER') THEN
    CREATE ROLE $DB_USER LOGIN;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$DS_RO_USER') THEN
    CREATE ROLE $DS_RO_USER LOGIN;
  END IF;
END
\$\$;
ALTER ROLE $DB_USER PASSWORD '$DB_PASS';
ALTER ROLE $DS_RO_USER PASSWORD '$DS_RO_PASS';
SQL
for db in "$DB_NAME" "$DS_NAME"; do
    if [ -z "$(pg_admin -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$db'")" ]; then
        say "creating database $db"
        pg_admin -d postgres -c "CREATE DATABASE $db OWNER $DB_USER ENCODING 'UTF8' TEMPLATE template0"
    fi
done

# ---------------------------------------------------------------- ckan.ini
want_hash="$(template_hash)"
if [ ! -s "$INI" ] || [ "$(cat "$LOCAL/.template_hash" 2>/dev/null)" != "$want_hash" ]; then
    [ -s "$INI" ] || "$CKAN" generate config "$INI" >/dev/null
    opts=()
    while IFS= read -r line; do
        case "$line" in ''|'#'*) continue ;; esac
        line="${line//@SITE_URL@/$SITE_URL}"
        line="${line//@DB_USER@/$DB_USER}"
        line="${line//@DB_PASS@/$DB_PASS}"
        line="${line//@DB_NAME@/$DB_NAME}"
        line="${line//@DS_NAME@/$DS_NAME}"
        line="${line//@DS_RO_USER@/$DS_RO_USER}"
        line="${line//@DS_RO_PASS@/$DS_RO_PASS}"
        line="${line//@PGPORT@/$PGPORT}"
        line="${line//@SOLR_PORT@/$SOLR_PORT}"
        line="${line//@SOLR_CORE@/$SOLR_CORE}"
        line="${line//@REDIS_PORT@/$REDIS_PORT}"
        line="${line//@STORAGE@/$LOCAL/storage}"
        line="${line//@SCRIPTS@/$HERE}"
        line="${line//@LOCAL@/$LOCAL}"
        opts+=("$(echo "$line" | sed -E 's/[[:space:]]*=[[:space:]]*/=/')")
    done < <(cat "$TEMPLATE" ${EXTRA_TEMPLATE:+"$EXTRA_TEMPLATE"})
    "$CKAN" config-tool "$INI" "${opts[@]}" >/dev/null
    chmod 600 "$INI"
    echo "$want_hash" >"$LOCAL/.template_hash.pending"
    restart_ckan=1
else
    restart_ckan=0
fi

# ---------------------------------------------------------------- Solr
# The checkout's one Solr node (built and started if need be) with this CKAN's core, configured
# with the schema.xml of the CKAN just installed. A new core is filled from the database below.
schema="$(compgen -G "$VENV/lib/python3*/site-packages/ckan/config/solr/schema.xml" | head -1 || true)"
[ -n "$schema" ] || die "no ckan/config/solr/schema.xml in $VENV"
core_is_new=0
[ -e "${SMARTCITY_SOLR_HOME:-$ROOT/.local/solr}/home/$SOLR_CORE/core.properties" ] || core_is_new=1
SOLR_PORT="$SOLR_PORT" "$HERE/solr.sh" up "$SOLR_CORE" "$schema" "$LOCAL" 9>&- ||
    die "the Solr core $SOLR_CORE on 127.0.0.1:$SOLR_PORT did not come up (above)"

# ---------------------------------------------------------------- database schema
if [ ! -e "$LOCAL/.db_initialised" ] || [ "$restart_ckan" = 1 ]; then
    say "ckan db init / db upgrade"
    "$CKAN" -c "$INI" db init >>"$LOCAL/setup.log" 2>&1 || die "ckan db init failed: see $LOCAL/setup.log"
    "$CKAN" -c "$INI" db upgrade >>"$LOCAL/setup.log" 2>&1 || die "ckan db upgrade failed: see $LOCAL/setup.log"
    "$CKAN" -c "$INI" datastore set-permissions 2>>"$LOCAL/setup.log" | pg_admin -d "$DS_NAME" >/dev/null ||
        die "datastore set-permissions failed: see $LOCAL/setup.log"
    touch "$LOCAL/.db_initialised"
fi
if [ "$core_is_new" = 1 ]; then
    # datasets already in the database (a CKAN set up before this core existed) into the index
    "$CKAN" -c "$INI" search-index rebuild -o >>"$LOCAL/setup.log" 2>&1 ||
        die "ckan search-index rebuild failed: see $LOCAL/setup.log"
fi

# ---------------------------------------------------------------- sysadmin
if [ -z "$(pg_admin -d "$DB_NAME" -c "SELECT 1 FROM \"user\" WHERE name = '$ADMIN_USER' AND state = 'active'")" ]; then
    say "creating sysadmin $ADMIN_USER"
    "$CKAN" -c "$INI" user add "$ADMIN_USER" email="$ADMIN_USER@localhost.invalid" \
        password="$ADMIN_PASS" >>"$LOCAL/setup.log" 2>&1 || die "ckan user add failed: see $LOCAL/setup.log"
fi
if [ -z "$(pg_admin -d "$DB_NAME" -c "SELECT 1 FROM \"user\" WHERE name = '$ADMIN_USER' AND sysadmin")" ]; then
    "$CKAN" -c "$INI" sysadmin add "$ADMIN_USER" >>"$LOCAL/setup.log" 2>&1 ||
        die "ckan sysadmin add failed: see $LOCAL/setup.log"
fi

# ---------------------------------------------------------------- background-jobs token
# ckanext.xloader.api_token: the worker calls the API as the sysadmin with it. Made with the
# CLI (no server needed) and written into ckan.ini before CKAN starts; never printed.
if [ "$JOBS_WORKER" = 1 ] && ! grep -q '^ckanext.xloader.api_token = ..' "$INI"; then
    say "creating the background-jobs API token (written to $INI, not shown)"
    jobs_token="$("$CKAN" -c "$INI" user token add "$ADMIN_USER" smartcity-jobs 2>>"$LOCAL/setup.log" |
        tail -1 | tr -d '[:space:]')"
    [ -n "$jobs_token" ] || die "ckan user token add (jobs) gave no token: see $LOCAL/setup.log"
    "$CKAN" config-tool "$INI" "ckanext.xloader.api_token=$jobs_token" >/dev/null
    unset jobs_token
    restart_ckan=1
fi

# ---------------------------------------------------------------- CKAN server
pid_alive() { [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }
if [ "$restart_ckan" = 1 ] && pid_alive "$LOCAL/worker.pid"; then
    "$HERE/down.sh" --ckan-only  # the worker too: it reads ckan.ini once
fi
if [ "$restart_ckan" = 1 ] && pid_alive "$LOCAL/ckan.pid"; then
    "$HERE/down.sh" --ckan-only
fi
if ! status_ok "$SITE_URL"; then
    if pid_alive "$LOCAL/ckan.pid"; then
        say "CKAN (pid $(cat "$LOCAL/ckan.pid")) is running but not answering yet"
    else
        say "starting CKAN on $SITE_URL (log: $LOCAL/ckan.log)"
        setsid nohup "$CKAN" -c "$INI" run -H 127.0.0.1 -p "$CKAN_PORT" --disable-reloader --threaded \
            >>"$LOCAL/ckan.log" 2>&1 </dev/null 9>&- &
        echo $! >"$LOCAL/ckan.pid"
    fi
    deadline=$(( $(date +%s) + TIMEOUT ))
    until status_ok "$SITE_URL"; do
        pid_alive "$LOCAL/ckan.pid" || die "CKAN exited during start-up: see $LOCAL/ckan.log"
        [ "$(date +%s)" -lt "$deadline" ] || die "CKAN not healthy after ${TIMEOUT}s: see $LOCAL/ckan.log"
        sleep 0.3
    done
fi
if [ "$JOBS_WORKER" = 1 ] && ! pid_alive "$LOCAL/worker.pid"; then
    say "starting the background-jobs worker (log: $LOCAL/worker.log)"
    setsid nohup "$CKAN" -c "$INI" jobs worker >>"$LOCAL/worker.log" 2>&1 </dev/null 9>&- &
    echo $! >"$LOCAL/worker.pid"
fi
[ -e "$LOCAL/.template_hash.pending" ] && mv "$LOCAL/.template_hash.pending" "$LOCAL/.template_hash"

# ---------------------------------------------------------------- API token
if ! token_ok "$SITE_URL" "$TOKEN_FILE"; then
    say "creating an API token for $ADMIN_USER (written to $TOKEN_FILE, not shown)"
    token="$("$CKAN" -c "$INI" user token add "$ADMIN_USER" smartcity-airflow 2>>"$LOCAL/setup.log" |
        tail -1 | tr -d '[:space:]')"
    [ -n "$token" ] || die "ckan user token add gave no token: see $LOCAL/setup.log"
    printf '%s\n' "$token" >"$TOKEN_FILE.tmp"
    unset token
    chmod 600 "$TOKEN_FILE.tmp"
    mv "$TOKEN_FILE.tmp" "$TOKEN_FILE"
    token_ok "$SITE_URL" "$TOKEN_FILE" || die "the new API token is refused by CKAN: see $LOCAL/ckan.log"
fi
write_airflow_env "$SITE_URL" "$TOKEN_FILE"

say "CKAN $CKAN_VERSION is up at $SITE_URL ($(( $(date +%s) - started )) s); token in $TOKEN_FILE"
