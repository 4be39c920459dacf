#!/usr/bin/env bash
# Start the GDC-like portal: a SECOND, independent local CKAN 2.11.6 on http://127.0.0.1:5001
# that runs what a data.go.th-style portal runs: ckanext-scheming with the project's GDC-like
# dataset schema (scripts/ckan/gdc_dataset.json), ckanext-dcat (DCAT RDF/JSON-LD endpoints) and
# ckanext-xloader (uploaded CSVs COPYed into the DataStore by `ckan jobs worker`).
#
# It is scripts/ckan/up.sh with other ports, databases and home; the plain instance on :5000
# is not touched. Idempotent; < 0.1 s when already healthy. Everything lives under
# .local/ckan-gdc/ (venv, ckan.ini, api_token, airflow.env, logs, pid files).
#   scripts/ckan/up_gdc.sh            start / check
#   scripts/ckan/up_gdc.sh --down     stop it (data kept)
#   scripts/ckan/up_gdc.sh --reset    stop it and drop its databases (reset.sh for this instance)
# The extensions go into the CKAN venv only, never into the project's .venv.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"

export SMARTCITY_CKAN_HOME="${SMARTCITY_GDC_HOME:-$ROOT/.local/ckan-gdc}"
export CKAN_PORT="${GDC_CKAN_PORT:-5001}"
export SOLR_CORE="${GDC_SOLR_CORE:-ckan_gdc}"  # its own core on the checkout's one Solr node
export CKAN_DB_USER="${GDC_DB_USER:-ckan_gdc}"
export CKAN_DB_NAME="${GDC_DB_NAME:-ckan_gdc_smartcity}"
export CKAN_DS_NAME="${GDC_DS_NAME:-datastore_gdc_smartcity}"
export CKAN_DS_RO_USER="${GDC_DS_RO_USER:-datastore_gdc_ro}"
export CKAN_EXTRA_TEMPLATE="$HERE/gdc.ini.template"
export CKAN_EXTRA_FILES="$HERE/gdc_dataset.json $HERE/gdc_licenses.json"
# versions on PyPI that work with CKAN 2.11 (FACTS.md); thai_gdc itself is not on PyPI
export CKAN_EXTRA_PACKAGES="ckanext-scheming==3.1.0 ckanext-dcat==2.4.4 ckanext-xloader==2.6.0"
export CKAN_JOBS_WORKER=1
# never the user's own CKAN: this script is about the local GDC-like one
unset CKAN_URL CKAN_API_TOKEN

case "${1:-}" in
    --down) exec "$HERE/down.sh" ;;
    --reset) exec "$HERE/reset.sh" ;;
    "") exec "$HERE/up.sh" ;;
    *) echo "usage: $0 [--down|--reset]" >&2; exit 2 ;;
esac
