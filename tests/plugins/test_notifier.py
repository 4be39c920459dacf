"""The failure notifier: one alert per failed task try, with a reason people can act on, logged
and posted to a webhook on loopback; a dead webhook never masks the failure."""

from __future__ import annotations

import logging
from types import SimpleNamespace

import pytest
from airflow.sdk import BaseNotifier

from smartcity_ckan.notifier import LOST, SmartcityFailureNotifier
from tests.alert_receiver import AlertReceiver


@pytest.fixture(autouse=True)
def _alert_state(tmp_path, monkeypatch):
    monkeypatch.setenv("SMARTCITY_ALERT_STATE_DIR", str(tmp_path / "alerts"))
    monkeypatch.delenv("SMARTCITY_ALERT_WEBHOOK", raising=False)


def _context(error: BaseException | None, try_number: int = 1) -> dict:
    ti = SimpleNamespace(dag_id="smartcity_pipeline", task_id="validate_figures", try_number=try_number,
                         map_index=-1, run_id="manual__2026")
    context = {"task_instance": ti, "run_id": "manual__2026"}
    if error is not None:
        context["exception"] = error
    return context


@pytest.fixture
def receiver():
    sink = AlertReceiver("/hook")
    yield sink.url, sink.received
    sink.close()


def test_is_an_airflow_notifier():
    assert isinstance(SmartcityFailureNotifier(), BaseNotifier)


def test_reason_is_the_exception_or_lost():
    assert SmartcityFailureNotifier.reason(_context(ValueError("3 critical expectations failed"))) == (
        "ValueError: 3 critical expectations failed"
    )
    assert SmartcityFailureNotifier.reason(_context(None)) == LOST == "lost: no heartbeat"


def test_alert_is_logged_and_posted_once(receiver, monkeypatch, caplog):
    url, received = receiver
    monkeypatch.setenv("SMARTCITY_ALERT_WEBHOOK", url)
    notifier = SmartcityFailureNotifier()
    with caplog.at_level(logging.INFO, logger="smartcity.alerts"):
        notifier(_context(RuntimeError("CKAN answered 500")))
        notifier(_context(RuntimeError("CKAN answered 500")))  # the same try again: no second alert
    assert caplog.text.count("SMARTCITY ALERT: smartcity_pipeline.validate_figures failed") == 1
    assert "CKAN answered 500" in caplog.text
    assert len(received) == 1
    alert = received[0]
    assert alert["text"].startswith("SMARTCITY ALERT:")
    assert alert["reason"] == "RuntimeError: CKAN answered 500"
    assert (alert["task_id"], alert["run_id"], alert["try_number"]) == ("validate_figures", "manual__2026", 1)


def test_a_lost_task_reported_twice_alerts_once_and_a_later_try_alerts_again(receiver):
    url, received = receiver
    notifier = SmartcityFailureNotifier(webhook=url)
    notifier(_context(None))  # the scheduler: no heartbeat
    notifier(_context(None))  # the scheduler again: the executor reports the task gone
    notifier(_context(None, try_number=2))
    assert [a["reason"] for a in received] == [LOST, LOST]
    assert [a["try_number"] for a in received] == [1, 2]


def test_a_dead_webhook_is_logged_not_raised(monkeypatch, caplog):
    monkeypatch.setenv("SMARTCITY_ALERT_WEBHOOK", "http://127.0.0.1:9/closed")
    with caplog.at_level(logging.WARNING, logger="smartcity.alerts"):
        SmartcityFailureNotifier(timeout=2)(_context(RuntimeError("boom")))
    assert "alert webhook failed" in caplog.text


def test_a_run_that_timed_out_alerts_once_with_the_schedulers_reason(receiver):
    url, received = receiver
    run = SimpleNamespace(dag_id="smartcity_pipeline", run_id="scheduled__2026-12-01")
    context = {"dag_run": run, "reason": "timed_out", "run_id": run.run_id}
    notifier = SmartcityFailureNotifier(webhook=url)
    notifier(context)
    notifier(context)  # reported twice: one alert
    assert [a["reason"] for a in received] == ["run failed: timed_out"]
    assert received[0]["text"] == ("SMARTCITY ALERT: smartcity_pipeline run scheduled__2026-12-01 failed: "
                                   "run failed: timed_out")


def test_a_missed_deadline_alerts_through_airflows_own_callback_runner(receiver, monkeypatch):
    """The executor runs the DAG's deadline callback with Airflow's ``execute_callback``: our
    notifier class is built from its path and called with the JSON context the scheduler sends."""
    import structlog
    from airflow.sdk.execution_time.callback_supervisor import execute_callback

    url, received = receiver
    monkeypatch.setenv("SMARTCITY_ALERT_WEBHOOK", url)
    context = {"dag_run": {"dag_id": "smartcity_pipeline", "run_id": "manual__2026", "state": "running"},
               "deadline": {"id": "d-1", "deadline_time": "2026-12-01T03:00:00+00:00"}}
    ok, error = execute_callback("smartcity_ckan.notifier.SmartcityFailureNotifier", {"context": context},
                                 None, None, structlog.get_logger())
    assert ok, error
    assert len(received) == 1
    assert received[0]["kind"] == "deadline"
    assert received[0]["text"] == (
        "SMARTCITY ALERT: smartcity_pipeline run manual__2026 is late: deadline missed: the run had not"
        " finished by 2026-12-01T03:00:00+00:00")
