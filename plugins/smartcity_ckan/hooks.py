"""``CkanHook``: an Airflow connection -> a configured ``ckanapi.RemoteCKAN``.

Connection ``ckan_default`` of type ``ckan`` (registered by ``smartcity.airflow_provider``, so the UI
lists it with its own form and a Test Connection button); a connection of type ``http`` works the
same (what earlier set-ups wrote, e.g.
``AIRFLOW_CONN_CKAN_DEFAULT='{"conn_type": "http", "host": ..., "password": ...}'``).
``host`` is the CKAN URL (``http://127.0.0.1:5000``; a bare host gets ``http://``,
``schema``/``port`` are honoured), ``password`` is the API token, and the optional extra
``read_timeout`` (seconds) bounds one call.  Test Connection checks the portal
(``status_show``) and the token (``user_show`` of the token's own user).
The client has our User-Agent, timeouts and the retry policy of ``smartcity.publish.client``
(connection errors retried for every action; 5xx and read timeouts only for read-only and
idempotent actions, never for ``*_create``).  The token is never logged and never in a repr.
"""

from __future__ import annotations

from typing import Any

from airflow.sdk.bases.hook import BaseHook


class CkanHook(BaseHook):
    """Talks to CKAN through ``ckanapi``; ``get_conn()`` returns a ``RemoteCKAN``."""

    conn_name_attr = "ckan_conn_id"
    default_conn_name = "ckan_default"
    conn_type = "ckan"
    hook_name = "CKAN"

    def __init__(
        self,
        ckan_conn_id: str = default_conn_name,
        *,
        timeout: tuple[float, float] | None = None,
        retries: int = 3,
    ) -> None:
        super().__init__()
        self.ckan_conn_id = ckan_conn_id
        self.timeout = timeout
        self.retries = retries
        self._client: Any = None
        self._url: str | None = None

    def __repr__(self) -> str:
        return f"<CkanHook conn_id={self.ckan_conn_id!r} url={self._url!r}>"

    @staticmethod
    def url_from_connection(conn: Any) -> str:
        """The CKAN base URL of an Airflow connection (host with scheme, port and path)."""
        host = (conn.host or "").strip().rstrip("/")
        if not host:
            raise ValueError(f"connection {conn.conn_id!r} has no host (the CKAN URL)")
        if "://" not in host:
            scheme = conn.schema or "http"
            host = f"{scheme}://{host}"
            if conn.port:
                host = f"{host}:{conn.port}"
        return host

    def get_conn(self) -> Any:
        """A ``ckanapi.RemoteCKAN`` for the connection (created once per hook)."""
        if self._client is None:
            from smartcity.publish.client import DEFAULT_TIMEOUT, make_client

            conn = self.get_connection(self.ckan_conn_id)
            self._url = self.url_from_connection(conn)
            self.log.info("CKAN connection %s -> %s", self.ckan_conn_id, self._url)
            timeout = self.timeout or self.timeout_from_connection(conn, DEFAULT_TIMEOUT)
            token = conn.password or None
            self._client = make_client(self._url, token, timeout=timeout, retries=self.retries)
        return self._client

    @staticmethod
    def timeout_from_connection(conn: Any, default: tuple[float, float]) -> tuple[float, float]:
        """(connect, read) seconds: the connection's extra ``read_timeout`` when set, else ``default``."""
        try:
            extra = conn.extra_dejson or {}
        except (AttributeError, ValueError):
            extra = {}
        read = extra.get("read_timeout") or extra.get("extra__ckan__read_timeout")
        try:
            return (default[0], float(read)) if read else default
        except (TypeError, ValueError):
            return default

    def test_connection(self) -> tuple[bool, str]:
        """Check the portal and the token: ``status_show`` (reachable, which CKAN), then
        ``user_show`` without an id, which CKAN answers with the user the token belongs to and
        refuses for an anonymous caller (no token, or one CKAN does not know).  Returns
        (True, "CKAN <version> at <url>: token of <user>") or (False, why); never the token."""
        import ckanapi
        import requests

        where = self._url or self.ckan_conn_id
        try:
            client = self.get_conn()
            where = self._url or where
            status = client.call_action("status_show", {})
        except (ckanapi.CKANAPIError, requests.RequestException, ValueError) as exc:
            return False, f"CKAN at {where} failed status_show: {type(exc).__name__}"
        version = status.get("ckan_version", "?")
        if not client.apikey:
            return False, f"CKAN {version} at {where}: the connection has no API token (password)"
        try:
            user = client.call_action("user_show", {})
        except (ckanapi.NotFound, ckanapi.NotAuthorized):
            return False, f"CKAN {version} at {where}: the API token was not accepted"
        except (ckanapi.CKANAPIError, requests.RequestException) as exc:
            return False, f"CKAN {version} at {where} failed user_show: {type(exc).__name__}"
        role = " (sysadmin)" if user.get("sysadmin") else ""
        return True, f"CKAN {version} at {where}: token of {user.get('name', '?')}{role}"

    @classmethod
    def get_ui_field_behaviour(cls) -> dict[str, Any]:
        """Connection form hints (for Airflow versions that read them from the hook; 3.2+ reads
        the same declaration from ``smartcity.airflow_provider``)."""
        from smartcity.airflow_provider import UI_FIELD_BEHAVIOUR

        return {key.replace("-", "_"): value for key, value in UI_FIELD_BEHAVIOUR.items()}

    @classmethod
    def get_connection_form_widgets(cls) -> dict[str, Any]:
        """The extra field ``read_timeout`` as a form widget (Airflow before 3.2, with the FAB UI;
        3.2+ draws it from ``conn-fields`` in ``smartcity.airflow_provider``)."""
        from flask_appbuilder.fieldwidgets import BS3TextFieldWidget
        from wtforms import IntegerField
        from wtforms.validators import NumberRange, Optional

        from smartcity.airflow_provider import CONN_FIELDS

        field = CONN_FIELDS["read_timeout"]
        return {
            "read_timeout": IntegerField(field["label"], validators=[Optional(), NumberRange(min=1)],
                                         widget=BS3TextFieldWidget(), default=field["schema"]["default"]),
        }
