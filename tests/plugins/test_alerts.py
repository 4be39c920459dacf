"""The failure callback: one greppable line per failed task, and a webhook that cannot mask it."""

from __future__ import annotations

import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from types import SimpleNamespace

from smartcity_ckan.alerts import failure_message, log_task_failure


def _context(error: Exception) -> dict:
    ti = SimpleNamespace(dag_id="smartcity_pipeline", task_id="validate_figures", try_number=1)
    return {"task_instance": ti, "run_id": "manual__2026", "exception": error}


def test_message_names_dag_task_run_and_error():
    message = failure_message(_context(ValueError("3 critical expectations failed")))
    assert message.startswith("SMARTCITY ALERT: smartcity_pipeline.validate_figures failed")
    assert "manual__2026" in message and "3 critical expectations failed" in message


def test_alert_is_logged_and_posted_to_the_webhook(monkeypatch, caplog):
    received: list[dict] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.handle_request, daemon=True)
    thread.start()
    monkeypatch.setenv("SMARTCITY_ALERT_WEBHOOK", f"http://127.0.0.1:{server.server_port}/hook")
    with caplog.at_level(logging.ERROR, logger="smartcity.alerts"):
        log_task_failure(_context(RuntimeError("CKAN answered 500")))
    thread.join(5)
    server.server_close()
    assert "CKAN answered 500" in caplog.text
    assert received and received[0]["text"].startswith("SMARTCITY ALERT:")


def test_a_dead_webhook_is_logged_not_raised(monkeypatch, caplog):
    monkeypatch.setenv("SMARTCITY_ALERT_WEBHOOK", "http://127.0.0.1:9/closed")
    with caplog.at_level(logging.WARNING, logger="smartcity.alerts"):
        log_task_failure(_context(RuntimeError("boom")))
    assert "alert webhook failed" in caplog.text
