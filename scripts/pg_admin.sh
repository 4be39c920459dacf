#!/usr/bin/env bash
# psql as the PostgreSQL superuser of this machine, whatever its authentication:
#
#   scripts/pg_admin.sh -d postgres -c "SELECT 1"      arguments go to psql as they are
#   scripts/pg_admin.sh -d mydb < statements.sql        SQL on standard input works too
#
# A fresh `apt-get install postgresql` on Debian authenticates local socket connections with
# `peer` and 127.0.0.1 with `scram-sha-256`; some machines set `trust`. Tried in this order:
#   1. TCP as `postgres` without a password (trust): `-w`, never a password prompt;
#   2. as root: the socket as the `postgres` system user (peer), with runuser;
#   3. the socket as the current user, when that role is a superuser (the `postgres` user
#      itself, or after `createuser --superuser`);
# otherwise it fails with the command that grants the current user a superuser role.
# Always -v ON_ERROR_STOP=1 -qAt. Env: PGPORT (5432).
set -euo pipefail

PGPORT="${PGPORT:-5432}"
common=(-p "$PGPORT" -v ON_ERROR_STOP=1 -qAt)

if psql -w -h 127.0.0.1 -p "$PGPORT" -U postgres -d postgres -qAtc 'select 1' </dev/null >/dev/null 2>&1; then
    exec psql -w -h 127.0.0.1 -U postgres "${common[@]}" "$@"
elif [ "$(id -u)" -eq 0 ] && id postgres >/dev/null 2>&1; then
    cd /  # the postgres user may not read the caller's working directory
    exec runuser -u postgres -- psql "${common[@]}" "$@"
elif psql -w -p "$PGPORT" -d postgres -qAtc 'select 1 where current_setting($$is_superuser$$) = $$on$$' \
        </dev/null 2>/dev/null | grep -qx 1; then
    exec psql -w "${common[@]}" "$@"
fi
echo "pg_admin: cannot connect to PostgreSQL as its superuser 'postgres'. Run once:" >&2
echo "    sudo -u postgres createuser --superuser $(id -un)" >&2
echo "  or run this command as root." >&2
exit 1
