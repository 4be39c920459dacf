"""Every CKAN call of the publisher goes through ``Calls``: it counts reads and writes (a run
with no change must make zero writes) and turns ckanapi/requests errors into our typed errors.
``ckanapi.NotFound`` is passed through as is: show-then-create relies on it."""

from __future__ import annotations

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
        "resource_create",
        "resource_patch",
        "resource_delete",
        "datastore_create",
        "datastore_upsert",
        "datastore_delete",
        "xloader_submit",
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
        except (ckanapi.ValidationError, ckanapi.NotAuthorized, ckanapi.SearchError) as exc:
            raise CkanRejected(f"CKAN refused {action}: {exc}") from exc
        except requests.RequestException as exc:
            # the message of a requests error names the URL (no token: that travels in a header)
            raise CkanUnavailable(f"CKAN unreachable during {action}: {type(exc).__name__}: {exc}") from exc
        except ckanapi.CKANAPIError as exc:
            # ckanapi raises the base error for non-JSON answers, e.g. a 500 page or a proxy error
            raise CkanUnavailable(f"CKAN failed during {action}: {str(exc)[:300]}") from exc

    @property
    def base_url(self) -> str:
        return getattr(self.ckan, "address", "").rstrip("/")

    @property
    def write_total(self) -> int:
        return sum(self.writes.values())
