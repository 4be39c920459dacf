"""
### Thai smart-city figures: scrape -> parse -> extract -> reconcile -> validate -> publish

Scrapes official news about Thailand's national smart-city programme (Royal Thai Government
news, depa, the Thailand Smart City Office), extracts the counts and amounts the articles state,
reconciles city and zone totals across sources and over time, validates every dataset with its
Great Expectations suite and publishes the datasets that pass to CKAN.

* **Sources** (no default: an unset configuration fails `crawl` with a message saying how to set
  it): the DAG run parameter `sources`, else the Airflow Variable `smartcity_sources`, else the
  environment variable `SMARTCITY_SOURCES`; each is a path to a YAML source configuration (e.g. a
  local checkout of the public-domain thaigov corpus, or Wayback Machine captures), or `demo` for
  the bundled demo snapshot.  Live thaigov.go.th is opt-in only: see the README.
* **CKAN**: the connection `ckan_default` (host = CKAN URL, password = API token).
* **Gating**: a dataset whose critical expectations fail is not published (its last good version
  stays on CKAN) and its `validate_*` task fails naming the expectations and rows; the others
  still publish.
* **Re-runs and backfills are safe**: datasets are rebuilt from the raw-page archive and
  published idempotently, so a re-run with nothing new makes no write to CKAN.
* **Retries**: what can heal is retried (a lost worker, CKAN down, a timeout: 2 retries, exponential
  back-off from `SMARTCITY_RETRY_DELAY` seconds, default 120); what cannot is not (a data-quality
  failure, a wrong source configuration: `AirflowFailException`).
* **Alerts**: one per failed task, with its reason (the exception, or `lost: no heartbeat`),
  in the task log and, when `SMARTCITY_ALERT_WEBHOOK` is set, posted there.

All logic lives in the `smartcity` package under `include/`; this file only wires tasks.
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta

from airflow.sdk import Asset, Param, dag, get_current_context, task

from smartcity_ckan.notifier import SmartcityFailureNotifier

DATASETS = ("articles", "events", "figures", "registry", "totals")
ARCHIVE = Asset("smartcity://archive/raw-pages")


def _run_stage(stage: str, *args):
    """Call ``smartcity.pipeline.<stage>`` on this run's directory (keyed by the Airflow run id)."""
    from smartcity import pipeline

    return getattr(pipeline, stage)(pipeline.run_dir(get_current_context()["run_id"]), *args)


def _retry_delay() -> timedelta:
    """The first retry's delay (doubling after): ``SMARTCITY_RETRY_DELAY`` seconds, default 120."""
    return timedelta(seconds=float(os.environ.get("SMARTCITY_RETRY_DELAY", "120")))


@dag(
    dag_id="smartcity_pipeline",
    doc_md=__doc__,
    schedule="@daily",
    start_date=datetime(2026, 1, 1),
    catchup=False,
    max_active_runs=1,
    tags=["smartcity", "ckan", "great-expectations", "thai"],
    params={
        "sources": Param(
            None, type=["null", "string"],
            description="a source YAML path or 'demo' (unset: Variable smartcity_sources)",
        ),
    },
    default_args={
        "owner": "smartcity-data",
        "retries": 2,
        "retry_delay": _retry_delay(),
        "retry_exponential_backoff": True,
        "on_failure_callback": SmartcityFailureNotifier(),
    },
)
def smartcity_pipeline():
    @task
    def list_sources() -> list[dict]:
        from airflow.sdk import Variable

        from smartcity.sources.config import ConfigError, choose_sources
        from smartcity_ckan.failures import no_retry_on

        # A missing or wrong source configuration fails the task at once, saying how to set it
        # (no retry: it does not heal).
        with no_retry_on(ConfigError):
            choice = choose_sources(
                get_current_context()["params"].get("sources"),
                Variable.get("smartcity_sources", default=None),
                os.environ.get("SMARTCITY_SOURCES"),
            )
            # one small dict per source (its name and the configuration it is read from)
            return [{"sources_file": choice, "source": name} for name in _run_stage("list_sources", choice)]

    @task(outlets=[ARCHIVE], map_index_template="{{ source_name }}")
    def crawl(sources_file: str, source: str) -> dict:
        from smartcity.sources.config import ConfigError
        from smartcity_ckan.failures import no_retry_on

        # one source per task: a site or network failure fails (and retries) this source only
        get_current_context()["source_name"] = source
        with no_retry_on(ConfigError):
            return _run_stage("crawl_source", sources_file, source)

    # parse runs once every crawl is done, failed ones included (their archived pages are used),
    # but not when none succeeded (a bad configuration, or every source down)
    @task(trigger_rule="all_done_min_one_success")
    def parse(_crawled) -> dict:
        _run_stage("crawl_summary")
        return _run_stage("parse")

    @task
    def extract(_parsed: dict) -> dict:
        return _run_stage("extract")

    @task
    def reconcile(_extracted: dict) -> dict:
        return _run_stage("reconcile")

    @task
    def validate(dataset: str) -> dict:
        from smartcity.quality.validate import DataQualityError
        from smartcity_ckan.failures import no_retry_on

        # bad data does not heal by retrying; a lost worker or a crash does (retries as usual)
        with no_retry_on(DataQualityError):
            return _run_stage("validate", dataset)

    @task
    def publish(dataset: str) -> dict:
        from smartcity_ckan.hooks import CkanHook

        with CkanHook().get_conn() as ckan:
            return _run_stage("publish", dataset, ckan)

    crawled = crawl.expand_kwargs(list_sources())
    reconciled = reconcile(extract(parse(crawled)))
    for dataset in DATASETS:
        checked = validate.override(task_id=f"validate_{dataset}")(dataset)
        reconciled >> checked
        checked >> publish.override(task_id=f"publish_{dataset}")(dataset)


smartcity_pipeline()
