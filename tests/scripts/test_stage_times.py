"""scripts/stage_times.py reads task durations out of an `airflow dags test` log."""

from __future__ import annotations

import importlib.util
from pathlib import Path

_SPEC = importlib.util.spec_from_file_location(
    "stage_times", Path(__file__).resolve().parents[2] / "scripts" / "stage_times.py"
)
stage_times = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(stage_times)

# Two lines in the shape Airflow 3.3's task runner logs them (values made up).
LOG = [
    "2026-01-02T03:04:10.500000Z [info     ] Pushing xcom [task] loc=task_runner.py:1 "
    "ti=RuntimeTaskInstance(id=UUID('x'), task_id='crawl', dag_id='d', run_id='r', try_number=1, "
    "start_date=datetime.datetime(2026, 1, 2, 3, 4, 0, 250000, tzinfo=datetime.timezone.utc), "
    "end_date=None)\n",
    "2026-01-02T03:04:11.000000Z [info     ] something else task_id='parse'\n",
    "2026-01-02T03:05:00.000000Z [info     ] Pushing xcom [task] loc=task_runner.py:1 "
    "ti=RuntimeTaskInstance(id=UUID('y'), task_id='publish_figures', dag_id='d', run_id='r', try_number=2, "
    "start_date=datetime.datetime(2026, 1, 2, 3, 4, 58, tzinfo=datetime.timezone.utc), end_date=None)\n",
]


def test_durations_from_start_date_to_the_pushed_result():
    assert stage_times.stage_times(LOG) == [("crawl", 10.25), ("publish_figures", 2.0)]


def test_a_log_without_task_results_gives_nothing():
    assert stage_times.stage_times(["no tasks here\n"]) == []


def test_mapped_instances_are_named_by_map_index():
    line = (
        "2026-01-02T03:04:02.000000Z [info     ] Pushing xcom [task] loc=task_runner.py:1 "
        "ti=RuntimeTaskInstance(id=UUID('z'), task_id='crawl', dag_id='d', run_id='r', try_number=1, "
        "dag_version_id=UUID('v'), map_index=2, hostname='h', "
        "start_date=datetime.datetime(2026, 1, 2, 3, 4, 1, tzinfo=datetime.timezone.utc), end_date=None)\n"
    )
    assert stage_times.stage_times([line, LOG[0]]) == [("crawl[2]", 1.0), ("crawl", 10.25)]
