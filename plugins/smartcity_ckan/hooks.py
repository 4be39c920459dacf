"""``CkanHook``: an Airflow connection -> a configured ``ckanapi.RemoteCKAN``.

Connection ``ckan_default`` (type ``http``): ``host`` is the CKAN URL (``http://127.0.0.1:5000``;
a bare host gets ``http://``, ``schema``/``port`` are honoured), ``password`` is the API token.
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
    conn_type = "http"
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
            timeout = self.timeout or DEFAULT_TIMEOUT
            token = conn.password or None
            self._client = make_client(self._url, token, timeout=timeout, retries=self.retries)
        return self._client

    def test_connection(self) -> tuple[bool, str]:
        """Call ``status_show``; returns (True, "CKAN <version> at <url>") or (False, why)."""
        import ckanapi
        import requests

        try:
            status = self.get_conn().call_action("status_show", {})
        except (ckanapi.CKANAPIError, requests.RequestException, ValueError) as exc:
            return False, f"CKAN at {self._url or self.ckan_conn_id} failed status_show: {type(exc).__name__}"
        version = status.get("ckan_version", "?")
        return True, f"CKAN {version} at {self._url}"

    @classmethod
    def get_ui_field_behaviour(cls) -> dict[str, Any]:
        """Connection form hints: host is the CKAN URL, password the API token."""
        return {
            "hidden_fields": ["login", "extra"],
            "relabeling": {"host": "CKAN URL", "password": "API token"},
            "placeholders": {"host": "http://127.0.0.1:5000"},
        }
