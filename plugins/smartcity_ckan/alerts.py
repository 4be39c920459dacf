"""Failure alerts for the smartcity DAGs.

A failed task logs one line that names the DAG, task, run and try, and the exception, so a data
engineer can grep task logs for ``SMARTCITY ALERT``.  When ``SMARTCITY_ALERT_WEBHOOK`` is set the
same text is posted there as JSON (``{"text": ...}``, the shape Slack and Teams incoming webhooks
take); a webhook that fails is logged, never raised, so an alert cannot mask the original error.
"""

from __future__ import annotations

import json
import logging
import os
import urllib.error
import urllib.request

log = logging.getLogger("smartcity.alerts")


def failure_message(context) -> str:
    """One line describing a failed task instance from its Airflow context."""
    ti = context.get("task_instance") or context.get("ti")
    dag_id = getattr(ti, "dag_id", "?")
    task_id = getattr(ti, "task_id", "?")
    try_number = getattr(ti, "try_number", "?")
    run_id = context.get("run_id", "?")
    error = context.get("exception")
    return f"SMARTCITY ALERT: {dag_id}.{task_id} failed (run {run_id}, try {try_number}): {error}"


def log_task_failure(context) -> None:
    """``on_failure_callback``: log the alert and post it to the configured webhook, if any."""
    message = failure_message(context)
    log.error(message)
    webhook = os.environ.get("SMARTCITY_ALERT_WEBHOOK")
    if not webhook:
        return
    request = urllib.request.Request(
        webhook,
        data=json.dumps({"text": message}).encode("utf-8"),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=10):  # the URL is operator configuration
            pass
    except (urllib.error.URLError, TimeoutError) as exc:
        log.warning("alert webhook failed: %s", exc)
