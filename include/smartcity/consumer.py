"""A downstream reader of the published figures: what the example consumer DAG calls.

It reads the figures dataset back through the CKAN API as any team on the portal would (no file of
ours, no database): ``package_show`` for the dataset, ``datastore_search`` for its table, and
summarises it: rows, figures per metric, the latest ``published`` date and the largest stated
count of cities per scope.  Its input is a dataset's Asset URI (``smartcity.assets.dataset_uri``)
or name, and a ckanapi client.
"""

from __future__ import annotations

import logging
from collections import Counter
from urllib.parse import unquote, urlsplit

log = logging.getLogger(__name__)

PAGE = 1000  # rows per datastore_search call (CKAN's default upper limit is 32,000)


class NoTable(LookupError):
    """The dataset has no DataStore table to read (the loader has not run, or failed)."""


def dataset_name(asset_uri: str) -> str:
    """The CKAN dataset name of a ``ckan://<host>/dataset/<name>`` Asset URI."""
    parts = urlsplit(asset_uri)
    _, sep, name = parts.path.rpartition("/dataset/")
    if parts.scheme != "ckan" or not sep or not name:
        raise ValueError(f"not a CKAN dataset Asset URI: {asset_uri!r}")
    return unquote(name)


def read_rows(ckan, dataset: str, *, page: int = PAGE) -> tuple[dict, list[dict]]:
    """``(package, rows)``: the dataset ``dataset`` and every row of its DataStore table.

    The table is the first resource with ``datastore_active``; none is ``NoTable``.  Raises
    ckanapi's ``NotFound`` when the dataset does not exist.
    """
    package = ckan.call_action("package_show", {"id": dataset})
    table = next((r for r in package.get("resources", []) if r.get("datastore_active")), None)
    if table is None:
        raise NoTable(f"{dataset}: no resource has a DataStore table")
    rows: list[dict] = []
    while True:
        found = ckan.call_action("datastore_search", {"resource_id": table["id"], "limit": page,
                                                      "offset": len(rows)})
        batch = found.get("records", [])
        rows.extend(batch)
        if not batch or len(rows) >= int(found.get("total", 0)):
            return package, rows


def summarise(package: dict, rows: list[dict]) -> dict:
    """A small JSON-safe summary of the figures table: counts, metrics, latest date, top counts."""
    metrics = Counter(str(r.get("metric")) for r in rows)
    published = sorted(str(r["published"]) for r in rows if r.get("published"))
    cities: dict[str, float] = {}
    for row in rows:
        if row.get("metric") == "smart_city_count" and row.get("value") not in (None, ""):
            scope = str(row.get("scope") or "unscoped")
            cities[scope] = max(cities.get(scope, 0.0), float(row["value"]))
    return {
        "dataset": package.get("name"),
        "title": package.get("title"),
        "metadata_modified": package.get("metadata_modified"),
        "rows": len(rows),
        "metrics": dict(sorted(metrics.items())),
        "sources": sorted({str(r.get("source")) for r in rows if r.get("source")}),
        "latest_published": published[-1] if published else None,
        "max_smart_city_count": dict(sorted(cities.items())),
    }


def summarise_dataset(ckan, dataset: str) -> dict:
    """Read dataset ``dataset`` (a name or a ``ckan://`` Asset URI) and return :func:`summarise`."""
    name = dataset_name(dataset) if dataset.startswith("ckan://") else dataset
    package, rows = read_rows(ckan, name)
    summary = summarise(package, rows)
    log.info("figures on CKAN: %s", summary)
    return summary
