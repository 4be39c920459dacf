"""The CKAN hook: connection -> client, retry policy, test_connection, and the token kept secret."""

from __future__ import annotations

import json
import logging
import socket

import pytest

from smartcity import settings
from smartcity.publish.client import make_session
from smartcity_ckan.hooks import CkanHook

FAKE_TOKEN = "tok-never-to-be-logged-0123456789"


def _set_conn(monkeypatch, conn_id: str, host: str, token: str, conn_type: str = "ckan", **extra) -> None:
    payload = {"conn_type": conn_type, "host": host, "password": token}
    if extra:
        payload["extra"] = extra
    monkeypatch.setenv(f"AIRFLOW_CONN_{conn_id.upper()}", json.dumps(payload))


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_class_attributes():
    assert CkanHook.conn_name_attr == "ckan_conn_id"
    assert CkanHook.default_conn_name == "ckan_default"
    assert CkanHook.conn_type == "ckan"
    assert CkanHook.hook_name == "CKAN"
    assert CkanHook().ckan_conn_id == "ckan_default"


def test_get_conn_builds_an_identified_client(monkeypatch):
    _set_conn(monkeypatch, "ckan_unit", "http://127.0.0.1:5999/", FAKE_TOKEN)
    hook = CkanHook("ckan_unit")
    client = hook.get_conn()
    assert client.address == "http://127.0.0.1:5999"
    assert client.user_agent == settings.USER_AGENT
    assert client.apikey == FAKE_TOKEN
    assert hook.get_conn() is client  # one client per hook
    assert FAKE_TOKEN not in repr(hook)
    assert FAKE_TOKEN not in repr(client)


def test_an_http_connection_of_earlier_set_ups_still_works(monkeypatch):
    _set_conn(monkeypatch, "ckan_old", "http://127.0.0.1:5999", FAKE_TOKEN, conn_type="http")
    client = CkanHook("ckan_old").get_conn()
    assert client.address == "http://127.0.0.1:5999" and client.apikey == FAKE_TOKEN


def test_the_read_timeout_comes_from_the_connections_extra(monkeypatch):
    _set_conn(monkeypatch, "ckan_slow", "http://127.0.0.1:5999", FAKE_TOKEN, read_timeout=600)
    session = CkanHook("ckan_slow").get_conn().session
    assert session.default_timeout == (5.0, 600.0)


def test_airflow_lists_the_ckan_connection_type_with_its_form():
    """Through Airflow's own ProvidersManager: the entry point of the installed ``smartcity``
    distribution registers the type, its hook, its form and its Test Connection."""
    from airflow.providers_manager import ProvidersManager

    manager = ProvidersManager()
    hook = manager.hooks["ckan"]
    assert hook.hook_class_name == "smartcity_ckan.hooks.CkanHook"
    assert hook.package_name == "smartcity" and hook.hook_name == "CKAN" and hook.connection_testable
    behaviour = manager.field_behaviours["ckan"]
    assert behaviour["relabeling"] == {"host": "CKAN URL", "password": "API token"}
    assert "login" in behaviour["hidden_fields"]
    assert "extra__ckan__read_timeout" in manager.connection_form_widgets
    assert CkanHook.get_ui_field_behaviour()["relabeling"] == behaviour["relabeling"]


def test_no_token_is_reported_by_test_connection(monkeypatch):
    from unittest import mock

    _set_conn(monkeypatch, "ckan_anon", "http://127.0.0.1:5999", "")
    hook = CkanHook("ckan_anon")
    with mock.patch.object(type(hook.get_conn()), "call_action", return_value={"ckan_version": "2.11.6"}):
        ok, message = hook.test_connection()
    assert ok is False and "no API token" in message


def test_bare_host_gets_a_scheme_and_port():
    class Conn:
        conn_id, host, schema, port = "x", "ckan.example.org", None, 8080

    assert CkanHook.url_from_connection(Conn) == "http://ckan.example.org:8080"
    Conn.host = ""
    with pytest.raises(ValueError, match="no host"):
        CkanHook.url_from_connection(Conn)


def test_retry_policy_never_resends_creates():
    session = make_session("http://127.0.0.1:5000")
    base = "http://127.0.0.1:5000/api/action/"
    show = session.get_adapter(base + "package_show").max_retries
    create = session.get_adapter(base + "resource_create").max_retries
    upsert = session.get_adapter(base + "datastore_upsert").max_retries
    assert show.status == 3 and 500 in show.status_forcelist and "POST" in show.allowed_methods
    assert upsert.status == 3
    assert create.connect == 3  # a refused connection never reached CKAN: safe to retry
    assert create.status == 0 and create.read == 0


def test_connection_refused_is_reported_without_the_token(monkeypatch, caplog):
    _set_conn(monkeypatch, "ckan_down", f"http://127.0.0.1:{_closed_port()}", FAKE_TOKEN)
    caplog.set_level(logging.DEBUG)
    ok, message = CkanHook("ckan_down", retries=0).test_connection()
    assert ok is False
    assert "status_show" in message
    assert FAKE_TOKEN not in message
    assert FAKE_TOKEN not in caplog.text


@pytest.mark.integration
def test_test_connection_against_the_real_ckan(monkeypatch, caplog, ckan_env):
    _set_conn(monkeypatch, "ckan_it", ckan_env["url"], ckan_env["token"])
    caplog.set_level(logging.DEBUG)
    hook = CkanHook("ckan_it")
    ok, message = hook.test_connection()
    assert ok is True, message
    assert message.startswith("CKAN 2.") and "token of " in message  # the token was checked
    assert "datastore" in hook.get_conn().action.status_show()["extensions"]
    assert ckan_env["token"] not in caplog.text
    assert ckan_env["token"] not in message
    assert ckan_env["token"] not in repr(hook)


@pytest.mark.integration
def test_test_connection_refuses_a_token_ckan_does_not_know(monkeypatch, ckan_env):
    _set_conn(monkeypatch, "ckan_wrong", ckan_env["url"], FAKE_TOKEN)
    ok, message = CkanHook("ckan_wrong").test_connection()
    assert ok is False and "token was not accepted" in message
    assert FAKE_TOKEN not in message


@pytest.mark.integration
def test_a_wrong_token_is_refused_by_ckan(monkeypatch, ckan_env):
    _set_conn(monkeypatch, "ckan_bad", ckan_env["url"], FAKE_TOKEN)
    client = CkanHook("ckan_bad").get_conn()
    import ckanapi

    with pytest.raises((ckanapi.NotAuthorized, ckanapi.CKANAPIError)):
        client.action.config_option_list()
