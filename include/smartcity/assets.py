"""What the pipeline's Asset events say, and when there is one (no Airflow import here).

* A source: ``smartcity://source/<name>``, one event when its crawl archived new or changed pages
  (``fetched`` > 0), with the crawl's counts as extra.  A crawl that found nothing new is no event,
  so a DAG scheduled on a source runs when there is new data, not every day.
* A published CKAN dataset: ``ckan://<portal host[:port][/path]>/dataset/<name>``, one event when
  publishing changed it (any write to CKAN), with extra ``rows``, ``changed``, the dataset's page
  and what was written.  An unchanged dataset (a re-run, a day with nothing new) is no event.

The DAG emits them through asset aliases, since the names are known only when the task runs (the
source's name, the portal of the connection, the dataset's name with its prefix).
"""

from __future__ import annotations

from urllib.parse import quote, urlsplit

SOURCE_URI = "smartcity://source/{name}"
ARCHIVE_URI = "smartcity://archive/raw-pages"
SOURCE_ALIAS = "smartcity-sources"
ARCHIVE_ALIAS = "smartcity-archive"
CRAWL_COUNTS = ("discovered", "fetched", "unchanged", "failed", "read", "out_of_window")


def dataset_alias(dataset: str) -> str:
    """The asset alias a ``publish_<dataset>`` task emits through (``smartcity-ckan-figures``)."""
    return f"smartcity-ckan-{dataset}"


def source_uri(name: str) -> str:
    """``smartcity://source/<name>`` (the name percent-encoded)."""
    return SOURCE_URI.format(name=quote(name, safe=""))


def source_event(name: str, report: dict) -> dict | None:
    """The extra of a source's Asset event for its crawl ``report``, or None when the crawl
    archived nothing new or changed (no event).  Extra: the source's name, counts and window."""
    counts = {key: int(report.get(key) or 0) for key in CRAWL_COUNTS}
    if counts["fetched"] <= 0:
        return None
    return {"source": name, **counts, "window": report.get("window")}


def dataset_uri(portal_url: str, dataset_name: str) -> str:
    """``ckan://<host[:port][/path]>/dataset/<name>`` for a dataset on the portal at ``portal_url``.

    Scheme and any credentials are dropped (Airflow refuses a URI holding a password); the host is
    lower case, so the same portal gives the same URI however its URL was written.
    """
    parts = urlsplit(portal_url if "://" in portal_url else f"http://{portal_url}")
    host = (parts.hostname or "").lower()
    if not host:
        raise ValueError(f"no host in the portal URL {portal_url!r}")
    port = f":{parts.port}" if parts.port else ""
    path = parts.path.rstrip("/")
    return f"ckan://{host}{port}{path}/dataset/{quote(dataset_name, safe='')}"


def dataset_event(summary: dict) -> dict | None:
    """The extra of a dataset's Asset event for a publish ``summary`` (``PublishReport.as_dict()``),
    or None when publishing changed nothing on CKAN (no event).

    Changed means any write call (the dataset created or patched, a resource or DataStore table
    written); extra: ``dataset`` (the CKAN name), ``rows``, ``changed``, ``action``, ``url`` and the
    resources created, updated and removed.
    """
    action = summary.get("dataset_action")
    changed = int(summary.get("write_calls") or 0) > 0 or action not in (None, "unchanged")
    if not changed:
        return None
    return {
        "dataset": summary.get("dataset"),
        "rows": int(summary.get("rows") or 0),
        "changed": True,
        "action": summary.get("dataset_action"),
        "url": summary.get("url"),
        "resources_created": list(summary.get("resources_created") or []),
        "resources_updated": list(summary.get("resources_updated") or []),
        "resources_removed": list(summary.get("resources_removed") or []),
    }
