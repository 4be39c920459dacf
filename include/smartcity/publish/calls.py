"""Every CKAN call of the publisher goes through ``Calls``: it counts reads and writes (a run
with no change must make zero writes) and turns ckanapi/requests errors into our typed errors.
``ckanapi.NotFound`` is passed through as is: show-then-create relies on it.

Which errors are which (``refusal`` decides):

* ``CkanRejected`` (permanent: the DAG does not retry it): a validation error (naming each
  refused field), not authorised, a search query CKAN cannot parse, and any other HTTP 4xx answer
  (403 or 413 from CKAN or a proxy) except 408 and 429;
* ``CkanUnavailable`` (transient: retried): no connection, a timeout, a 5xx, 408 or 429, and
  the search index failing (Solr down).
"""

from __future__ import annotations

import re
from collections import Counter

import ckanapi
import requests

from smartcity.publish.errors import CkanRejected, CkanUnavailable

WRITE_ACTIONS = frozenset(
    {
        "organization_create",
        "organization_patch",
        "package_create",
        "package_patch",
        "package_revise",
        "resource_create",
        "resource_patch",
        "resource_delete",
        "datastore_create",
        "datastore_upsert",
        "datastore_delete",
        "xloader_submit",
        "resource_create_default_resource_views",
    }
)


class Calls:
    """``call(action, data, files=None)`` on a ckanapi ``RemoteCKAN`` (or anything with its
    ``call_action``), counted and with typed errors."""

    def __init__(self, ckan: object) -> None:
        self.ckan = ckan
        self.writes: Counter[str] = Counter()
        self.reads = 0
        self.portal = None  # the detected portal shape, cached by smartcity.publish.portal

    def __call__(self, action: str, data: dict | None = None, files: dict | None = None) -> object:
        if action in WRITE_ACTIONS:
            self.writes[action] += 1  # counted when attempted: a failed write may still have landed
        else:
            self.reads += 1
        try:
            return self.ckan.call_action(action, data or {}, files=files)  # type: ignore[attr-defined]
        except ckanapi.NotFound:
            raise
        except requests.RequestException as exc:
            # the message of a requests error names the URL (no token: that travels in a header)
            raise CkanUnavailable(f"CKAN unreachable during {action}: {type(exc).__name__}: {exc}") from exc
        except ckanapi.CKANAPIError as exc:
            rejected = refusal(action, exc)
            if rejected is not None:
                raise rejected from exc
            # e.g. a 500 page, a proxy's 502, Solr down while indexing
            raise CkanUnavailable(f"CKAN failed during {action}: {str(exc)[:300]}") from exc

    @property
    def base_url(self) -> str:
        return getattr(self.ckan, "address", "").rstrip("/")

    @property
    def write_total(self) -> int:
        return sum(self.writes.values())


# ckanapi reports an answer it cannot read as the repr of [url, status, body]
_STATUS = re.compile(r"""^\[(?:'[^']*'|"[^"]*"), (\d{3}),""")
TRANSIENT_4XX = frozenset({408, 425, 429})  # request timeout, too early, too many requests


def http_status(exc: BaseException) -> int | None:
    """The HTTP status of a ckanapi error about an answer that was not a CKAN error object."""
    match = _STATUS.match(str(exc.args[0]) if exc.args else "")
    return int(match.group(1)) if match else None


def _one_line(value: object) -> str:
    if isinstance(value, list):
        return "; ".join(_one_line(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_one_line(v)}" for k, v in value.items())
    return " ".join(str(value).split())


def refusal(action: str, exc: ckanapi.CKANAPIError) -> CkanRejected | None:
    """A ``CkanRejected`` naming what CKAN refused in ``exc``, or None when ``exc`` may heal."""
    if isinstance(exc, ckanapi.ValidationError):
        error = exc.error_dict if isinstance(exc.error_dict, dict) else {"error": exc.error_dict}
        fields = {
            str(k): [_one_line(m) for m in (v if isinstance(v, list) else [v])]
            for k, v in error.items() if k != "__type"
        }
        reason = "invalid " + ("; ".join(f"{k}: {' '.join(v)}" for k, v in fields.items()) or "data")
        return _rejected(action, reason, 409, fields)
    if isinstance(exc, ckanapi.NotAuthorized):
        detail = exc.args[0] if exc.args else ""
        message = detail.get("message", "") if isinstance(detail, dict) else str(detail)
        reason = f"not authorised: {_one_line(message)}".rstrip(": ")
        return _rejected(action, reason, 403)
    if isinstance(exc, ckanapi.SearchQueryError):
        reason = f"search query refused: {_one_line(exc)}"
        return _rejected(action, reason, 400)
    status = http_status(exc)
    if status is not None and 400 <= status < 500 and status not in TRANSIENT_4XX:
        reason = "request too large (HTTP 413)" if status == 413 else f"HTTP {status}"
        return _rejected(action, f"{reason}: {_one_line(exc)[:200]}", status)
    return None


def _rejected(action: str, reason: str, status: int, fields: dict | None = None) -> CkanRejected:
    reason = reason[:1000]
    return CkanRejected(f"CKAN refused {action}: {reason}", action=action, status=status, reason=reason,
                        fields=fields)
