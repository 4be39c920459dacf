"""``SmartcityFailureNotifier``: one alert per failed task, with the reason, people can act on.

Used as the DAG's ``on_failure_callback``.  Airflow runs it in one of two places:

* in the task's own process when the task raised: the alert goes to the **task log** and the
  reason is the exception (``DataQualityError (not retried): 2 critical expectations failed ...``);
* in the **dag-processor** when the task was lost (its worker died, so it stopped sending
  heartbeats and the scheduler failed it after ``[scheduler] task_instance_heartbeat_timeout``):
  there is no exception, and the reason is ``lost: no heartbeat``.

For a lost task the scheduler hands the dag-processor the failure twice (once when it finds no
heartbeat, once when the executor reports the task gone); a marker file per task try (created
with ``O_EXCL`` under ``<data dir>/alerts/``, or ``SMARTCITY_ALERT_STATE_DIR``) keeps it to one
alert.

It is also the DAG's run-level ``on_failure_callback`` (a run that failed or passed its
``dagrun_timeout``: the reason is the scheduler's, e.g. ``run failed: timed_out``) and the callback of
its deadline alert (a run still unfinished at its deadline; Airflow 3.3 runs it in the executor
with ``{"dag_run": {...}, "deadline": {...}}`` as context: ``deadline missed: ...``).  One alert
per run and kind.

When ``SMARTCITY_ALERT_WEBHOOK`` is set, the alert is posted there as JSON (``{"text": ...}``,
what Slack and Teams incoming webhooks take, plus the fields one by one).  A webhook that fails is
logged, never raised: an alert must not mask the failure it reports.
"""

from __future__ import annotations

import json
import logging
import os
import re
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from airflow.sdk import BaseNotifier

log = logging.getLogger("smartcity.alerts")

LOST = "lost: no heartbeat"
TASK, RUN, DEADLINE = "task", "run", "deadline"


def _field(obj: Any, name: str) -> Any:
    """``obj[name]`` of a dict (the deadline callback's JSON context) or ``obj.name``."""
    if isinstance(obj, dict):
        return obj.get(name)
    return getattr(obj, name, None)


def _state_dir() -> Path:
    configured = os.environ.get("SMARTCITY_ALERT_STATE_DIR")
    if configured:
        return Path(configured)
    from smartcity import settings  # light: no pandas, no Airflow

    return settings.data_dir() / "alerts"


class SmartcityFailureNotifier(BaseNotifier):
    """Log (and post, when a webhook is configured) one line per failed task try."""

    template_fields = ()

    def __init__(self, webhook: str | None = None, *, timeout: float = 10.0) -> None:
        super().__init__()
        self.webhook = webhook  # None: SMARTCITY_ALERT_WEBHOOK, read when the alert is sent
        self.timeout = timeout

    @staticmethod
    def kind(context: Any) -> str:
        """``task`` (a task failed or was lost), ``run`` (the run failed or timed out) or
        ``deadline`` (the run is late)."""
        if "deadline" in context:
            return DEADLINE
        if context.get("task_instance") is None and context.get("ti") is None and "dag_run" in context:
            return RUN
        return TASK

    @classmethod
    def reason(cls, context: Any) -> str:
        """The exception as ``Type: message``; ``lost: no heartbeat`` when a task has none;
        ``run failed: <why>`` for a run; ``deadline missed: ...`` for a late run."""
        kind = cls.kind(context)
        if kind == DEADLINE:
            deadline = context.get("deadline") or {}
            when = deadline.get("deadline_time") if isinstance(deadline, dict) else None
            return f"deadline missed: the run had not finished by {when or 'its deadline'}"
        error = context.get("exception")
        if error is None:
            return f"run failed: {context.get('reason') or 'see the run'}" if kind == RUN else LOST
        if isinstance(error, BaseException):
            text = str(error)
            return f"{type(error).__name__}: {text}" if text else type(error).__name__
        return str(error)

    @classmethod
    def alert(cls, context: Any) -> dict[str, Any]:
        """The alert's fields, from an Airflow context (task, run or deadline)."""
        kind = cls.kind(context)
        if kind != TASK:
            run = context.get("dag_run")
            dag = context.get("dag")
            return {
                "kind": kind,
                "dag_id": _field(run, "dag_id") or getattr(dag, "dag_id", None) or "?",
                "task_id": f"<{kind}>",
                "map_index": -1,
                "run_id": context.get("run_id") or _field(run, "run_id") or _field(run, "dag_run_id") or "?",
                "try_number": "-",
                "reason": cls.reason(context),
            }
        ti = context.get("task_instance") or context.get("ti")
        map_index = getattr(ti, "map_index", -1)
        return {
            "kind": kind,
            "dag_id": getattr(ti, "dag_id", "?"),
            "task_id": getattr(ti, "task_id", "?"),
            "map_index": map_index if isinstance(map_index, int) else -1,
            "run_id": context.get("run_id") or getattr(ti, "run_id", "?"),
            "try_number": getattr(ti, "try_number", "?"),
            "reason": cls.reason(context),
        }

    @staticmethod
    def message(alert: dict[str, Any]) -> str:
        if alert.get("kind", TASK) != TASK:
            what = "is late" if alert["kind"] == DEADLINE else "failed"
            return f"SMARTCITY ALERT: {alert['dag_id']} run {alert['run_id']} {what}: {alert['reason']}"
        task = alert["task_id"] if alert["map_index"] < 0 else f"{alert['task_id']}[{alert['map_index']}]"
        return (
            f"SMARTCITY ALERT: {alert['dag_id']}.{task} failed "
            f"(run {alert['run_id']}, try {alert['try_number']}): {alert['reason']}"
        )

    @staticmethod
    def _first_time(alert: dict[str, Any]) -> bool:
        """True once per task try (False for the lost-task duplicate the scheduler sends)."""
        key = "__".join(
            str(alert[k]) for k in ("dag_id", "task_id", "map_index", "run_id", "try_number")
        )
        name = re.sub(r"[^A-Za-z0-9_.-]", "_", key)[:200]
        directory = _state_dir()
        try:
            directory.mkdir(parents=True, exist_ok=True)
            fd = os.open(directory / name, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            return False
        except OSError as exc:  # no writable state: better a duplicate alert than none
            log.warning("alert de-duplication unavailable (%s); sending anyway", exc)
            return True
        os.close(fd)
        return True

    def notify(self, context: Any) -> None:
        alert = self.alert(context)
        if not self._first_time(alert):
            log.info("alert already sent for %s.%s try %s", alert["dag_id"], alert["task_id"],
                     alert["try_number"])
            return
        text = self.message(alert)
        log.error(text)
        webhook = self.webhook or os.environ.get("SMARTCITY_ALERT_WEBHOOK")
        if webhook:
            self._post(webhook, {"text": text, **alert})

    def _post(self, webhook: str, payload: dict[str, Any]) -> None:
        request = urllib.request.Request(
            webhook,
            data=json.dumps(payload, ensure_ascii=False, default=str).encode("utf-8"),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout):  # URL: operator configuration
                pass
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            log.warning("alert webhook failed: %s", exc)
