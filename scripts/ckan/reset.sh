#!/usr/bin/env bash
# Fresh start for the local CKAN: stop it, drop its databases, delete its configuration,
# secrets, token, uploads and search index (the documents of its Solr core). Keeps the CKAN
# venv and the download cache (pass --all to delete .local/ckan entirely and drop the roles too).
# Honours the same env as up.sh (SMARTCITY_CKAN_HOME, PGPORT, CKAN_DB_*, CKAN_DS_*, SOLR_CORE).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
LOCAL="${SMARTCITY_CKAN_HOME:-$ROOT/.local/ckan}"
PGPORT="${PGPORT:-5432}"
DB_USER="${CKAN_DB_USER:-ckan_default}"
DB_NAME="${CKAN_DB_NAME:-ckan_smartcity}"
DS_NAME="${CKAN_DS_NAME:-datastore_smartcity}"
DS_RO_USER="${CKAN_DS_RO_USER:-datastore_ro}"

say() { echo "ckan-reset: $*" >&2; }
for ident in "$DB_USER" "$DB_NAME" "$DS_NAME" "$DS_RO_USER"; do
    [[ "$ident" =~ ^[a-z_][a-z0-9_]*$ ]] || { say "not a plain PostgreSQL identifier: $ident"; exit 1; }
done

pg_admin() { "$ROOT/scripts/pg_admin.sh" -d postgres "$@"; }  # psql as the superuser

"$HERE/down.sh"
"$HERE/solr.sh" clear "${SOLR_CORE:-ckan}"  # this CKAN's core only; the other CKAN's stays
for db in "$DB_NAME" "$DS_NAME"; do
    say "dropping database $db"
    pg_admin -c "DROP DATABASE IF EXISTS $db WITH (FORCE)"
done
if [ "${1:-}" = "--all" ]; then
    for role in "$DS_RO_USER" "$DB_USER"; do
        say "dropping role $role"
        pg_admin -c "DROP ROLE IF EXISTS $role"
    done
    rm -rf "$LOCAL"
else
    rm -rf "$LOCAL/storage" "$LOCAL/ckan.ini" "$LOCAL/secrets.env" "$LOCAL/api_token" \
        "$LOCAL/airflow.env" "$LOCAL/.db_initialised" "$LOCAL/.template_hash" "$LOCAL"/*.log
fi
say "done; scripts/ckan/up.sh sets everything up again"
