# The two commands of the README are `make run` and `make test`; both set everything up first.
SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV := .venv
BIN := $(VENV)/bin

.PHONY: help venv services ckan-up ckan-down ckan-gdc-up ckan-gdc-down airflow-up airflow-down airflow-status airflow-init browser spreadsheet run test test-unit stop lint bench score-seeds clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-13s %s\n", $$1, $$2}'

venv: $(VENV)/.installed  ## create/update .venv (python3 -m venv, uv inside it) from the locks requirements.txt + requirements-dev.txt
$(VENV)/.installed: requirements.txt requirements-dev.txt pyproject.toml scripts/bootstrap_venv.sh
	scripts/bootstrap_venv.sh
	@touch $@

services:  ## make sure PostgreSQL and Redis run on loopback (installs them with apt if missing)
	scripts/ensure_services.sh

ckan-up: venv services  ## start the local CKAN 2.11 (DataStore; its core on Apache Solr 9 at :8983) at http://127.0.0.1:5000
	scripts/ckan/up.sh

ckan-down:  ## stop the local CKAN, and Solr unless the GDC-like CKAN still uses it (data is kept)
	scripts/ckan/down.sh

ckan-gdc-up: venv services  ## start the GDC-like CKAN (scheming + GDC schema, DCAT, xloader) at http://127.0.0.1:5001
	scripts/ckan/up_gdc.sh

ckan-gdc-down:  ## stop the GDC-like CKAN and its jobs worker, and Solr unless the plain CKAN still uses it (data is kept)
	scripts/ckan/up_gdc.sh --down

airflow-up: ckan-up  ## start this checkout's CeleryExecutor Airflow (api-server :8089, scheduler, dag-processor, worker)
	scripts/airflow_cluster.sh up

airflow-down:  ## stop this checkout's Airflow processes (by their pid files in .local/airflow-cluster)
	scripts/airflow_cluster.sh down

airflow-status:  ## show which of this checkout's Airflow processes run
	scripts/airflow_cluster.sh status

airflow-init: venv  ## create/upgrade Airflow's metadata database (SQLite under .local/airflow)
	@mkdir -p .local
	@scripts/airflow.sh db migrate > .local/airflow-db-migrate.log 2>&1 || { tail -20 .local/airflow-db-migrate.log; exit 1; }

browser:  ## install Debian's chromium + chromium-driver for the browser test, if missing
	scripts/ensure_browser.sh

spreadsheet:  ## install Debian's headless LibreOffice Calc for the spreadsheet round-trip test, if missing
	scripts/ensure_libreoffice.sh

run: ckan-up airflow-init  ## run the pipeline once through Airflow on the demo snapshot and publish to CKAN
	scripts/run_pipeline.sh

test: ckan-up ckan-gdc-up airflow-init browser spreadsheet  ## run every test (unit, parser, GX, Airflow and CKAN integration, browser)
	$(BIN)/ruff check .
	$(BIN)/pytest -q -p no:cacheprovider

test-unit: venv  ## only the tests that need no CKAN
	$(BIN)/pytest -q -m "not integration"

stop: airflow-down ckan-down ckan-gdc-down  ## stop what this checkout started (Airflow processes, both CKANs, jobs worker, Solr: by their pid files in .local/)
	scripts/ckan/solr.sh down

lint: venv
	$(BIN)/ruff check .

bench: venv  ## run the benchmarks and print their figures
	@for b in bench/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

score-seeds: venv  ## score the extractor on ../shared/seeds (development set, not in the test suite)
	$(BIN)/python bench/score_seeds.py

clean: stop  ## stop, then delete this checkout's local state (.venv, .local, data; shared services and databases stay)
	rm -rf .local data $(VENV)
