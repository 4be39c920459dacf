#!/usr/bin/env bash
# Make sure PostgreSQL and Redis answer on loopback (127.0.0.1:5432 and :6379).
#
#   running            -> nothing to do
#   installed, stopped -> start them (no systemd needed)
#   missing            -> apt-get install them when root, else print the command and fail
#
# Never skips silently: exits non-zero with a message saying what to do.
# Env: PGPORT (5432), REDIS_PORT (6379).
set -euo pipefail

PGPORT="${PGPORT:-5432}"
REDIS_PORT="${REDIS_PORT:-6379}"
missing_pkgs=()

say() { echo "ensure_services: $*" >&2; }

pg_up() { pg_isready -q -h 127.0.0.1 -p "$PGPORT" 2>/dev/null; }
redis_up() {
    if command -v redis-cli >/dev/null 2>&1; then
        [ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" = "PONG" ]
    else
        # redis-cli missing: speak the protocol through bash's /dev/tcp
        exec 3<>"/dev/tcp/127.0.0.1/$REDIS_PORT" 2>/dev/null || return 1
        printf 'PING\r\n' >&3
        local reply
        read -r -t 2 reply <&3 || true
        exec 3>&-
        [ "${reply%$'\r'}" = "+PONG" ]
    fi
}

wait_for() {  # wait_for <check-function> <name>
    local i
    for i in $(seq 1 30); do
        if "$1"; then return 0; fi
        sleep 0.5
    done
    say "$2 did not come up within 15 s"
    return 1
}

# ---- PostgreSQL
if pg_up; then
    :
elif command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ] && [ -n "$(ls /etc/postgresql 2>/dev/null)" ]; then
    version="$(ls /etc/postgresql | sort -V | tail -1)"
    say "starting PostgreSQL $version (cluster main)"
    if [ "$(id -u)" -eq 0 ] || [ "$(id -un)" = "postgres" ]; then
        pg_ctlcluster --skip-systemctl-redirect "$version" main start
    else
        say "PostgreSQL is installed but stopped; run: sudo pg_ctlcluster $version main start"
        exit 1
    fi
    wait_for pg_up PostgreSQL
else
    missing_pkgs+=(postgresql)
fi

# ---- Redis
if redis_up; then
    :
elif command -v redis-server >/dev/null 2>&1; then
    say "starting redis-server on 127.0.0.1:$REDIS_PORT"
    redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no >/dev/null
    wait_for redis_up Redis
else
    missing_pkgs+=(redis-server)
fi

if [ "${#missing_pkgs[@]}" -gt 0 ]; then
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1 && [ -z "${_ENSURE_SERVICES_AFTER_APT:-}" ]; then
        say "installing ${missing_pkgs[*]} with apt-get"
        DEBIAN_FRONTEND=noninteractive apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing_pkgs[@]}" >/dev/null
        # a fresh install: start what was missing, by the same rules as above
        _ENSURE_SERVICES_AFTER_APT=1 exec "$0" "$@"
    fi
    say "missing: ${missing_pkgs[*]}. Install them, then re-run:"
    say "    sudo apt-get install -y ${missing_pkgs[*]}"
    exit 1
fi
