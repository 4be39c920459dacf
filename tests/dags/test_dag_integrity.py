"""DAG integrity: every DAG imports cleanly, carries the defaults we rely on, and parses fast.

The DAG files are parsed by Airflow's own DagBag (no secrets present: parsing must need none).
"""

from __future__ import annotations

import ast
import os
import runpy
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DAGS_DIR = REPO / "dags"
DAG_FILES = sorted(p for p in DAGS_DIR.glob("*.py") if not p.name.startswith("_"))
HEAVY_MODULES = ("pandas", "great_expectations", "pyarrow", "requests", "ckanapi")


@pytest.fixture(scope="module")
def dagbag(tmp_path_factory):
    os.environ.setdefault("AIRFLOW_HOME", str(tmp_path_factory.mktemp("airflow_home")))
    os.environ["AIRFLOW__CORE__LOAD_EXAMPLES"] = "False"
    from airflow.dag_processing.dagbag import DagBag

    return DagBag(dag_folder=str(DAGS_DIR))


def test_dag_files_exist():
    assert DAG_FILES, "no DAG files found under dags/"


def test_no_import_errors(dagbag):
    assert dagbag.import_errors == {}, dagbag.import_errors


def test_every_dag_has_tags_retries_and_no_catchup(dagbag):
    assert dagbag.dags, "DagBag found no DAGs"
    for dag_id, dag in dagbag.dags.items():
        assert dag.tags, f"{dag_id} has no tags"
        assert dag.catchup is False, f"{dag_id} must set catchup=False"
        assert dag.max_active_runs == 1, f"{dag_id} must not run twice at once"
        assert dag.doc_md, f"{dag_id} has no doc_md"
        for task in dag.tasks:
            # validate included: a lost worker heals by retrying; bad data fails at once instead
            # (AirflowFailException, tested in tests/plugins/test_failures.py)
            assert task.retries >= 2, f"{dag_id}.{task.task_id} has retries={task.retries}"
            assert task.on_failure_callback, f"{dag_id}.{task.task_id} has no failure alert"


def test_failure_alerts_are_the_project_notifier(dagbag):
    from smartcity_ckan.notifier import SmartcityFailureNotifier

    for task in dagbag.dags["smartcity_pipeline"].tasks:
        callbacks = task.on_failure_callback
        callbacks = callbacks if isinstance(callbacks, list) else [callbacks]
        assert any(isinstance(c, SmartcityFailureNotifier) for c in callbacks), task.task_id
        assert not task.on_retry_callback, "one alert per failed task, none per retry"


def test_pipeline_shape(dagbag):
    dag = dagbag.dags["smartcity_pipeline"]
    # one mapped crawl per configured source; parse waits for all of them, failed ones included
    crawl = dag.get_task("crawl")
    assert crawl.is_mapped and "list_sources" in crawl.upstream_task_ids
    parse = dag.get_task("parse")
    assert parse.upstream_task_ids == {"crawl"} and parse.trigger_rule == "all_done_min_one_success"


def test_sources_emit_asset_events_and_manual_runs_have_params(dagbag):
    from airflow.sdk import AssetAlias

    dag = dagbag.dags["smartcity_pipeline"]
    outlets = dag.get_task("crawl").partial_kwargs.get("outlets") or dag.get_task("crawl").outlets
    assert any(isinstance(o, AssetAlias) and o.name == "smartcity-sources" for o in outlets)
    params = dag.params
    assert params["dry_run"] is False and params["sources"] is None
    assert "dry_run" in dag.doc_md and "smartcity://source/" in dag.doc_md
    for dataset in ("articles", "events", "figures", "registry", "totals"):
        validate = dag.get_task(f"validate_{dataset}")
        publish = dag.get_task(f"publish_{dataset}")
        assert publish.task_id in validate.downstream_task_ids, f"publish_{dataset} is not gated"
        assert "reconcile" in validate.upstream_task_ids
        loaded = dag.get_task(f"loaded_{dataset}")
        # the wait for the portal's loader holds no worker slot between its looks
        assert loaded.upstream_task_ids == {publish.task_id} and loaded.mode == "reschedule"
        assert loaded.poke_interval >= 5 and loaded.timeout >= 60


@pytest.mark.parametrize("dag_file", DAG_FILES, ids=lambda p: p.name)
def test_no_heavy_imports_at_module_level(dag_file):
    tree = ast.parse(dag_file.read_text(encoding="utf-8"))
    for node in tree.body:  # module level only: imports inside task functions are the point
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        for name in names:
            assert name.split(".")[0] not in HEAVY_MODULES, f"{dag_file.name} imports {name} at module level"


@pytest.mark.parametrize("dag_file", DAG_FILES, ids=lambda p: p.name)
def test_importing_a_dag_file_loads_no_heavy_module(dag_file, tmp_path):
    code = (
        "import importlib.util, sys\n"
        f"spec = importlib.util.spec_from_file_location('dag_under_test', {str(dag_file)!r})\n"
        "module = importlib.util.module_from_spec(spec); spec.loader.exec_module(module)\n"
        f"print('HEAVY=' + ','.join(m for m in {HEAVY_MODULES!r} if m in sys.modules))\n"
    )
    env = {
        **os.environ,
        "AIRFLOW_HOME": str(tmp_path),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "PYTHONPATH": str(REPO / "plugins"),  # Airflow puts its plugins folder on sys.path
    }
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120
    )
    assert result.returncode == 0, result.stderr[-2000:]
    # Airflow's own log lines (a provider's deprecation warning) may come after ours
    lines = [line for line in result.stdout.splitlines() if line.startswith("HEAVY=")]
    assert len(lines) == 1, result.stdout[-2000:]
    assert lines[0] == "HEAVY=", f"importing {dag_file.name} loaded {lines[0]}"


def test_every_task_and_the_run_have_time_limits_and_a_deadline_alert(dagbag, monkeypatch):
    from datetime import timedelta

    from airflow.sdk import DeadlineAlert, SyncCallback

    from smartcity_ckan.notifier import SmartcityFailureNotifier

    dag = dagbag.dags["smartcity_pipeline"]
    limits = {task.task_id: task.execution_timeout for task in dag.tasks}
    assert all(limits.values()), f"tasks without execution_timeout: {limits}"
    assert limits["reconcile"] < limits["parse"] < limits["crawl"]  # sized per stage
    assert timedelta(0) < max(limits.values()) < dag.dagrun_timeout
    # a run that fails or times out alerts; a late one alerts before it times out
    callbacks = dag.on_failure_callback if isinstance(dag.on_failure_callback, list) else [
        dag.on_failure_callback]
    assert any(isinstance(c, SmartcityFailureNotifier) for c in callbacks)
    # the deadline alert is opt-in (airflow dags test of 3.3.2 fails on one): off by default
    assert not dag.deadline
    module = sys.modules[dag.fileloc] if dag.fileloc in sys.modules else None
    namespace = vars(module) if module else runpy.run_path(dag.fileloc)
    monkeypatch.setenv("SMARTCITY_RUN_DEADLINE", "90")
    deadline = namespace["_deadline"]()
    assert isinstance(deadline, DeadlineAlert) and deadline.interval < dag.dagrun_timeout
    assert isinstance(deadline.callback, SyncCallback)
    assert deadline.callback.path == "smartcity_ckan.notifier.SmartcityFailureNotifier"


def test_assets_go_through_aliases_and_the_consumer_is_scheduled_on_the_figures(dagbag):
    from airflow.sdk import AssetAlias

    dag = dagbag.dags["smartcity_pipeline"]
    crawl = dag.get_task("crawl")
    outlets = crawl.partial_kwargs.get("outlets") or crawl.outlets
    # events only when something new was fetched: through aliases, never a fixed outlet
    assert all(isinstance(o, AssetAlias) for o in outlets)
    assert {o.name for o in outlets} == {"smartcity-sources", "smartcity-archive"}
    for dataset in ("articles", "events", "figures", "registry", "totals"):
        # the dataset's event comes once its DataStore tables are loaded, not at upload
        assert not dag.get_task(f"publish_{dataset}").outlets
        outlets = dag.get_task(f"loaded_{dataset}").outlets
        assert [o.name for o in outlets] == [f"smartcity-ckan-{dataset}"]
    consumer = dagbag.dags["smartcity_figures_consumer"]
    assert "smartcity-ckan-figures" in repr(consumer.timetable.asset_condition)
