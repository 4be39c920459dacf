"""A CKAN API client with an identifying User-Agent, timeouts and safe retries.

Retry policy (decided here, used by the Airflow hook and the CLI)
-----------------------------------------------------------------
ckanapi sends every action as a POST.  A POST can be retried safely only when repeating it
cannot change the result:

* connection errors (refused, DNS, connect timeout) are retried for every action: the request
  never reached CKAN;
* 5xx answers and read timeouts are retried only for read-only actions (``*_show``,
  ``*_list``, ``*_search``, ``status_show``) and for writes that are idempotent by
  construction (``package_patch``, ``package_revise`` -- guarded by a ``match`` on the version
  it read, so a re-sent one that already landed is refused, never applied twice --,
  ``resource_patch``, ``organization_patch``,
  ``datastore_upsert`` with ``method=upsert``, ``datastore_delete`` with filters,
  ``datastore_create`` on an existing resource id);
* ``package_create``, ``resource_create`` and ``organization_create`` are never re-sent after
  the request went out: CKAN may have committed it before failing, and a blind retry would
  duplicate a resource.  The publisher's next run converges instead (it finds by name).

This is done by mounting a retrying adapter on the URL of each safe action and a
connect-only adapter on the rest of ``/api/action/``.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import ckanapi
import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from smartcity import settings

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = (5.0, 120.0)  # (connect, read) seconds; uploads and big upserts need the read time

SAFE_ACTIONS = (
    "status_show",
    "package_show",
    "package_search",
    "package_list",
    "organization_show",
    "organization_list",
    "resource_show",
    "datastore_search",
    "datastore_search_sql",
    "datastore_info",
    "package_patch",
    "package_revise",
    "resource_patch",
    "organization_patch",
    "datastore_upsert",
    "datastore_delete",
    "datastore_create",
)


class TimeoutSession(requests.Session):
    """A requests Session that applies ``timeout`` when the caller passes none (ckanapi passes
    ``timeout=None`` unless ``CKANAPI_REQUEST_TIMEOUT`` is set, which would wait forever)."""

    def __init__(self, timeout: tuple[float, float] = DEFAULT_TIMEOUT) -> None:
        super().__init__()
        self.default_timeout = timeout

    def request(self, method, url, *args, **kwargs):  # type: ignore[override]
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = self.default_timeout
        return super().request(method, url, *args, **kwargs)


def make_session(
    base_url: str,
    *,
    timeout: tuple[float, float] = DEFAULT_TIMEOUT,
    retries: int = 3,
    backoff: float = 0.5,
) -> TimeoutSession:
    """A session for the CKAN at ``base_url`` with the retry policy of this module."""
    session = TimeoutSession(timeout)
    statuses = (500, 502, 503, 504)
    safe = Retry(
        total=retries,
        connect=retries,
        read=retries,
        status=retries,
        backoff_factor=backoff,
        status_forcelist=statuses,
        allowed_methods=frozenset({"GET", "POST", "HEAD"}),
        raise_on_status=False,  # hand the last 5xx to ckanapi, which turns it into an error
        respect_retry_after_header=True,
    )
    connect_only = Retry(
        total=retries, connect=retries, read=0, status=0, other=0, backoff_factor=backoff,
        allowed_methods=frozenset({"GET", "POST", "HEAD"}),
    )
    root = base_url.rstrip("/")
    session.mount(f"{root}/api/action/", HTTPAdapter(max_retries=connect_only))
    for action in SAFE_ACTIONS:
        session.mount(f"{root}/api/action/{action}", HTTPAdapter(max_retries=safe))
    return session


def make_client(
    url: str,
    token: str | None,
    *,
    user_agent: str | None = None,
    timeout: tuple[float, float] = DEFAULT_TIMEOUT,
    retries: int = 3,
) -> ckanapi.RemoteCKAN:
    """A ``ckanapi.RemoteCKAN`` for ``url`` authenticated with ``token`` (never logged), with
    our User-Agent (``settings.USER_AGENT``) and a session from ``make_session``."""
    session = make_session(url, timeout=timeout, retries=retries)
    log.info("CKAN client for %s (retries=%d, timeout=%s)", url, retries, timeout)
    agent = user_agent or settings.USER_AGENT
    return ckanapi.RemoteCKAN(url, apikey=token, user_agent=agent, session=session)


class MissingCredentials(RuntimeError):
    """No CKAN API token was configured."""


def client_from_env(env: dict[str, str] | None = None) -> ckanapi.RemoteCKAN:
    """A client from ``CKAN_URL`` (default ``http://127.0.0.1:5000``) and ``CKAN_API_TOKEN``;
    without the variable, the token is read from ``CKAN_API_TOKEN_FILE`` (default
    ``.local/ckan/api_token`` in the repository, written by ``scripts/ckan/up.sh``).
    Raises ``MissingCredentials`` if there is no token.  The token is never logged."""
    env = dict(os.environ if env is None else env)
    url = env.get("CKAN_URL") or "http://127.0.0.1:5000"
    token = env.get("CKAN_API_TOKEN")
    if not token:
        default_file = settings.REPO_ROOT / ".local" / "ckan" / "api_token"
        token_file = Path(env.get("CKAN_API_TOKEN_FILE") or default_file)
        if token_file.is_file():
            token = token_file.read_text(encoding="utf-8").strip()
    if not token:
        raise MissingCredentials(
            "no CKAN API token: set CKAN_API_TOKEN (and CKAN_URL), or run scripts/ckan/up.sh"
        )
    return make_client(url, token)
