"""
### Thai smart-city figures: scrape -> parse -> extract -> reconcile -> validate -> publish

Scrapes official news about Thailand's national smart-city programme (Royal Thai Government
news, depa, the Thailand Smart City Office), extracts the counts and amounts the articles state,
reconciles city and zone totals across sources and over time, validates every dataset with its
Great Expectations suite and publishes the datasets that pass to CKAN.

* **Sources** (no default: an unset configuration fails `list_sources` with a message saying how to set
  it): the DAG run parameter `sources`, else the Airflow Variable `smartcity_sources`, else the
  environment variable `SMARTCITY_SOURCES`; each is a path to a YAML source configuration (e.g. a
  local checkout of the public-domain thaigov corpus, or Wayback Machine captures), or `demo` for
  the bundled demo snapshot.  Live thaigov.go.th is opt-in only: see the README.
* **Per source**: `list_sources` names the enabled sources; `crawl` is mapped over them (one task
  instance per source, named after it), so a failing source fails and alerts alone; `parse` runs
  once every crawl is done (trigger rule `all_done_min_one_success`), with the archived pages of
  every configured source, and the others' data is published.
* **Assets**: a crawl that archived new or changed pages emits an event for
  `smartcity://source/<name>` (alias `smartcity-sources`; extra: its counts) and for
  `smartcity://archive/raw-pages`; when `publish_<dataset>` changed its CKAN dataset,
  `loaded_<dataset>` emits one for `ckan://<portal>/dataset/<name>` (alias
  `smartcity-ckan-<dataset>`; extra: rows, changed) once its DataStore tables are loaded.
  Nothing new, no event: a DAG scheduled on them runs when there is new data
  (`dags/smartcity_figures_consumer.py`).
* **Data interval**: Wayback and live sources crawl the run's data interval (a backfill over a
  past range crawls that range); a run without one (manual, no logical date) crawls everything
  the sources list.  The corpus source reads what changed on disk (see the README).
* **Params for manual runs**: `sources` (above) and `dry_run` (true: every stage runs, the
  datasets are validated, nothing is published: the `publish_*` tasks log and are skipped).
* **Review**: only high-confidence figures are published as facts; the others wait in
  `review_candidates.jsonl` of the run for a curator (`smartcity review list`). Decisions
  (accept, reject, correct) are read every run from the file named by the Variable
  `smartcity_decisions`, else `SMARTCITY_DECISIONS`, else `<data>/review/decisions.jsonl`.
* **CKAN**: the connection `ckan_default` (host = CKAN URL, password = API token).
* **No worker held while CKAN works**: on a portal with ckanext-xloader, `publish_<dataset>`
  uploads and submits the loads and returns; `loaded_<dataset>` is a reschedule-mode sensor that
  looks every `SMARTCITY_XLOADER_POKE_S` seconds (default 30), holding no worker slot in between,
  for up to `SMARTCITY_XLOADER_TIMEOUT_S` (default 600), then checks the row counts.  Without
  xloader (tables loaded through the API by publish) it is done at its first poke.
* **Gating**: a dataset whose critical expectations fail is not published (its last good version
  stays on CKAN) and its `validate_*` task fails naming the expectations and rows; the others
  still publish.
* **Re-runs and backfills are safe**: datasets are rebuilt from the raw-page archive and
  published idempotently, so a re-run with nothing new makes no write to CKAN.
* **Retries**: what can heal is retried (a lost worker, CKAN down, a timeout: 2 retries, exponential
  back-off from `SMARTCITY_RETRY_DELAY` seconds, default 120); what cannot is not (a data-quality
  failure, a wrong source configuration: `AirflowFailException`).
  A permanent CKAN refusal (validation error naming the field, not authorised, too large, bad
  metadata) fails its `publish_*` task at once; CKAN down, a timeout or a 5xx is retried.
* **Time limits**: every task has an `execution_timeout` sized for its stage (`SMARTCITY_TIMEOUT_<TASK>`
  minutes overrides one, e.g. `SMARTCITY_TIMEOUT_CRAWL=240`); a run is failed after
  `dagrun_timeout` (`SMARTCITY_RUN_TIMEOUT`, default 360 minutes); with `SMARTCITY_RUN_DEADLINE`
  set, a deadline alert fires when a run has not finished that many minutes after it was queued
  (off by default: `airflow dags test` of Airflow 3.3.2 fails on a DAG with a deadline alert).
* **Alerts**: one per failed task, with its reason (the exception, or `lost: no heartbeat`), one
  when a run fails or times out, and one when a run misses its deadline (if set); in the log and, when
  `SMARTCITY_ALERT_WEBHOOK` is set, posted there.

All logic lives in the `smartcity` package under `include/`; this file only wires tasks.
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta

from airflow.sdk import (
    Asset,
    AssetAlias,
    DeadlineAlert,
    DeadlineReference,
    Param,
    PokeReturnValue,
    SyncCallback,
    dag,
    get_current_context,
    task,
)
from airflow.timetables.interval import CronDataIntervalTimetable

from smartcity_ckan.notifier import SmartcityFailureNotifier

DATASETS = ("articles", "events", "figures", "registry", "totals")
# a crawl that archived new or changed pages adds events for the Asset smartcity://source/<name>
# and smartcity://archive/raw-pages through these aliases; one that found nothing adds none
# (names in smartcity.assets, not imported here: parsing stays light)
SOURCE_ASSETS = AssetAlias("smartcity-sources")
ARCHIVE_ASSETS = AssetAlias("smartcity-archive")
# a publish_<dataset> that changed its CKAN dataset adds an event for ckan://<portal>/dataset/<name>
DATASET_ASSETS = {dataset: AssetAlias(f"smartcity-ckan-{dataset}") for dataset in DATASETS}


def _run_stage(stage: str, *args, **kwargs):
    """Call ``smartcity.pipeline.<stage>`` on this run's directory (keyed by the Airflow run id)."""
    from smartcity import pipeline

    return getattr(pipeline, stage)(pipeline.run_dir(get_current_context()["run_id"]), *args, **kwargs)


def _retry_delay() -> timedelta:
    """The first retry's delay (doubling after): ``SMARTCITY_RETRY_DELAY`` seconds, default 120."""
    return timedelta(seconds=float(os.environ.get("SMARTCITY_RETRY_DELAY", "120")))


# Minutes a task may run (execution_timeout), per stage: a few times what the stage takes on the
# whole public thaigov corpus (63,000 pages: crawl 40 s, parse 35 s, extract 7 s), with room for a
# live crawl's politeness delays and for CKAN's loader (publish waits up to 10 minutes for it).
TIMEOUTS = {"list_sources": 5, "crawl": 120, "parse": 60, "extract": 60, "reconcile": 15,
            "validate": 20, "publish": 45, "loaded": 5}


def _minutes(variable: str, default: float) -> timedelta:
    return timedelta(minutes=float(os.environ.get(variable) or default))


def _timeout(stage: str) -> timedelta:
    """``execution_timeout`` of a stage: ``SMARTCITY_TIMEOUT_<STAGE>`` minutes, else ``TIMEOUTS``."""
    return _minutes(f"SMARTCITY_TIMEOUT_{stage.upper()}", TIMEOUTS[stage])


def _seconds(variable: str, default: float) -> float:
    return float(os.environ.get(variable) or default)


def _deadline() -> DeadlineAlert | None:
    """An alert while a run is still unfinished ``SMARTCITY_RUN_DEADLINE`` minutes after it was
    queued; off when unset: ``airflow dags test`` of Airflow 3.3.2 fails on any DAG with a deadline
    alert (``'dict' object has no attribute 'hex'`` in ``DagRun.update_state``)."""
    if not os.environ.get("SMARTCITY_RUN_DEADLINE"):
        return None
    return DeadlineAlert(
        reference=DeadlineReference.DAGRUN_QUEUED_AT,
        interval=_minutes("SMARTCITY_RUN_DEADLINE", 180),
        callback=SyncCallback(SmartcityFailureNotifier),
        name="smartcity_run_deadline",
    )


@dag(
    dag_id="smartcity_pipeline",
    doc_md=__doc__,
    # daily data intervals: the run for 2025-10-01 covers [2025-10-01, 2025-10-02) UTC and crawls
    # that (a bare "@daily" is a CronTriggerTimetable in Airflow 3: start == end, no interval)
    schedule=CronDataIntervalTimetable("@daily", timezone="UTC"),
    # the earliest day a backfill may cover (the sources' news starts in September 2020); with
    # catchup=False no past run is made unless you ask for it (airflow backfill create)
    start_date=datetime(2020, 9, 1),
    catchup=False,
    max_active_runs=1,
    tags=["smartcity", "ckan", "great-expectations", "thai"],
    dagrun_timeout=_minutes("SMARTCITY_RUN_TIMEOUT", 360),
    # the run fails (and alerts) after dagrun_timeout; a deadline alert can come earlier (opt-in)
    deadline=_deadline(),
    on_failure_callback=SmartcityFailureNotifier(),
    params={
        "sources": Param(
            None, type=["null", "string"],
            description="a source YAML path or 'demo' (unset: Variable smartcity_sources)",
        ),
        "dry_run": Param(
            False, type="boolean",
            description="run every stage but publish nothing (the publish tasks log and skip)",
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
    @task(execution_timeout=_timeout("list_sources"))
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

    @task(outlets=[ARCHIVE_ASSETS, SOURCE_ASSETS], map_index_template="{{ source_name }}",
          execution_timeout=_timeout("crawl"))
    def crawl(sources_file: str, source: str) -> dict:
        from smartcity import assets
        from smartcity.sources.config import ConfigError
        from smartcity_ckan.failures import no_retry_on

        # one source per task: a site or network failure fails (and retries) this source only
        context = get_current_context()
        context["source_name"] = source
        # the run's data interval is the crawl's window; a manual run without one has none
        interval = (context.get("data_interval_start"), context.get("data_interval_end"))
        with no_retry_on(ConfigError):
            report = _run_stage("crawl_source", sources_file, source, interval=interval)
        extra = assets.source_event(source, report)
        if extra is not None:  # new or changed pages archived: downstream has something to read
            context["outlet_events"][SOURCE_ASSETS].add(Asset(assets.source_uri(source)), extra=extra)
            context["outlet_events"][ARCHIVE_ASSETS].add(Asset(assets.ARCHIVE_URI), extra=extra)
        return report

    # parse runs once every crawl is done, failed ones included (their archived pages are used),
    # but not when none succeeded (a bad configuration, or every source down)
    @task(trigger_rule="all_done_min_one_success", execution_timeout=_timeout("parse"))
    def parse(_crawled) -> dict:
        _run_stage("crawl_summary")
        return _run_stage("parse")

    @task(execution_timeout=_timeout("extract"))
    def extract(_parsed: dict) -> dict:
        from airflow.sdk import Variable

        # a curator's decisions (accept / reject / correct figures): Variable, else the environment
        return _run_stage("extract", Variable.get("smartcity_decisions", default=None))

    @task(execution_timeout=_timeout("reconcile"))
    def reconcile(_extracted: dict) -> dict:
        return _run_stage("reconcile")

    @task(execution_timeout=_timeout("validate"))
    def validate(dataset: str) -> dict:
        from smartcity.quality.validate import DataQualityError
        from smartcity_ckan.failures import no_retry_on

        # bad data does not heal by retrying; a lost worker or a crash does (retries as usual)
        with no_retry_on(DataQualityError):
            return _run_stage("validate", dataset)

    @task(execution_timeout=_timeout("publish"))
    def publish(dataset: str) -> dict:
        from airflow.sdk.exceptions import AirflowSkipException

        from smartcity.publish.errors import PERMANENT
        from smartcity_ckan.failures import no_retry_on
        from smartcity_ckan.hooks import CkanHook

        if get_current_context()["params"].get("dry_run"):
            raise AirflowSkipException(f"dry run: {dataset} validated, not published")

        # a refusal CKAN will repeat (403, a validation error, too large, bad metadata) fails at
        # once, naming the field or reason; CKAN down, a timeout or a 5xx is retried.  A portal's
        # xloader loads are submitted, not waited for: loaded_<dataset> waits without a worker.
        with no_retry_on(*PERMANENT), CkanHook().get_conn() as ckan:
            return _run_stage("publish", dataset, ckan, wait_for_loads=False)

    # waits for the portal's loader in reschedule mode: between two pokes the task is
    # up_for_reschedule and holds no worker slot; done at the first poke when nothing is pending
    @task.sensor(mode="reschedule", poke_interval=_seconds("SMARTCITY_XLOADER_POKE_S", 30),
                 timeout=_seconds("SMARTCITY_XLOADER_TIMEOUT_S", 600), execution_timeout=_timeout("loaded"))
    def loaded(summary: dict, dataset: str) -> PokeReturnValue:
        from smartcity import assets, pipeline
        from smartcity.publish.errors import PERMANENT, DataStoreLoadFailed
        from smartcity_ckan.failures import no_retry_on
        from smartcity_ckan.hooks import CkanHook

        with no_retry_on(*PERMANENT, DataStoreLoadFailed), CkanHook().get_conn() as ckan:
            done = pipeline.datastore_loaded(summary, ckan)
            portal = getattr(ckan, "address", "")  # the portal's URL (ckanapi.RemoteCKAN)
        if done is None:
            return PokeReturnValue(is_done=False)
        extra = assets.dataset_event(done)
        if extra is not None and portal:  # the dataset changed on CKAN, tables loaded
            uri = assets.dataset_uri(portal, done["dataset"])
            get_current_context()["outlet_events"][DATASET_ASSETS[dataset]].add(Asset(uri), extra=extra)
        return PokeReturnValue(is_done=True, xcom_value=done)

    crawled = crawl.expand_kwargs(list_sources())
    reconciled = reconcile(extract(parse(crawled)))
    for dataset in DATASETS:
        checked = validate.override(task_id=f"validate_{dataset}")(dataset)
        reconciled >> checked
        published = publish.override(task_id=f"publish_{dataset}")(dataset)
        checked >> published
        loaded.override(task_id=f"loaded_{dataset}", outlets=[DATASET_ASSETS[dataset]])(published, dataset)


smartcity_pipeline()
