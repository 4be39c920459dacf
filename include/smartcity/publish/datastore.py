"""DataStore tables (figures, totals), loaded the way the portal loads them.

* **Through the API** (a portal without ckanext-xloader): ``datastore_create`` with the primary
  key and typed fields carrying the data dictionary in ``info``, rows that left the data
  deleted, only new or changed rows sent by ``datastore_upsert`` (``method=insert`` into an
  empty table), in batches.  ``load_via_api``.
* **By the portal's xloader**: xloader COPYs every uploaded CSV into the DataStore itself.  We
  create the table first (``prepare_for_xloader``: same typed fields and primary key, each
  field's ``info.type_override`` set so xloader keeps the types and the dictionary and, the
  fields matching, TRUNCATEs and COPYs into our table instead of re-creating it as text), then
  upload the CSV, ask xloader to load it (``xloader_submit``) and wait for its job
  (``wait_for_xloader``), then check the row count.

Either way the resource's ``datastore_hash`` is set last by the publisher, so an interrupted
load is redone by the next run.
"""

from __future__ import annotations

import logging
import time

import ckanapi

from smartcity.publish import catalog
from smartcity.publish.calls import Calls
from smartcity.publish.catalog import TableSpec
from smartcity.publish.diff import datastore_row, rows_to_write, stale_keys
from smartcity.publish.errors import CkanRejected, DataStoreLoadFailed, PublishError

log = logging.getLogger(__name__)


def _key(table: TableSpec) -> str:
    if not table.primary_key:
        raise PublishError(f"{table.name}: a DataStore table needs a primary key")
    return table.primary_key


def existing_rows(call: Calls, resource_id: str, key: str, page: int = 32000) -> dict[str, dict]:
    """Every row currently in the DataStore table of ``resource_id``, by primary key."""
    found: dict[str, dict] = {}
    offset = 0
    while True:
        result = call(
            "datastore_search",
            {"resource_id": resource_id, "limit": page, "offset": offset, "include_total": False,
             "sort": f'"{key}"'},
        )
        batch = result["records"]  # type: ignore[index]
        found.update((str(r[key]), r) for r in batch)
        if len(batch) < page:
            return found
        offset += page


def load_via_api(
    call: Calls, resource_id: str, table: TableSpec, rows: list[dict], *, batch: int = 5000
) -> dict:
    """Make the DataStore table of ``resource_id`` equal ``rows`` through the API.
    Returns counts {written, unchanged, deleted, batches, method}."""
    key = _key(table)
    fields = catalog.datastore_fields(table)
    types = {f["id"]: f["type"] for f in fields}
    create = {"resource_id": resource_id, "force": True, "primary_key": [key], "fields": fields}
    call("datastore_create", create)
    existing = existing_rows(call, resource_id, key)
    wanted = [datastore_row(r) for r in rows]
    stale = stale_keys(existing, wanted, key)
    for i in range(0, len(stale), batch):
        chunk = stale[i : i + batch]
        call("datastore_delete", {"resource_id": resource_id, "force": True, "filters": {key: chunk}})
    to_write = rows_to_write(existing, wanted, key, types)
    # a plain insert is several times faster than an upsert (no per-row update attempt)
    method = "insert" if not existing else "upsert"
    batches = 0
    for i in range(0, len(to_write), batch):
        records = to_write[i : i + batch]
        upsert = {"resource_id": resource_id, "force": True, "method": method, "records": records}
        call("datastore_upsert", upsert)
        batches += 1
    return {"written": len(to_write), "unchanged": len(wanted) - len(to_write), "deleted": len(stale),
            "batches": batches, "method": method}


# the old name, for code written against the single-module publisher
load_datastore = load_via_api


PREVIEW_VIEWS = frozenset({"datatables_view", "recline_view", "recline_grid_view"})


def ensure_preview(call: Calls, resource: dict) -> bool:
    """Make the portal's default views of ``resource`` with those that need the DataStore (the
    table preview) when it has none of them; True when views were created.  One read when the
    preview is there already."""
    views = call("resource_view_list", {"id": resource["id"]})
    if any(v.get("view_type") in PREVIEW_VIEWS for v in views):  # type: ignore[union-attr]
        return False
    # the table exists now, whatever the dict read before the load says (views check this flag)
    loaded = {**resource, "datastore_active": True}
    call("resource_create_default_resource_views", {"resource": loaded, "create_datastore_views": True})
    return True


def xloader_fields(table: TableSpec) -> list[dict]:
    """``catalog.datastore_fields`` with ``info.type_override`` = the field's type, which is how
    xloader's data dictionary keeps a column's type across loads."""
    out = []
    for f in catalog.datastore_fields(table):
        out.append({**f, "info": {**f["info"], "type_override": f["type"]}})
    return out


def prepare_for_xloader(call: Calls, resource_id: str, table: TableSpec) -> None:
    """Create (or update the dictionary of) the typed table xloader will COPY into."""
    call("datastore_create", {"resource_id": resource_id, "force": True, "primary_key": [_key(table)],
                              "fields": xloader_fields(table)})


def xloader_job(call: Calls, resource_id: str) -> tuple[str | None, str | None]:
    """(job id, status) of the latest xloader job of ``resource_id``; (None, None) if none."""
    try:
        status = call("xloader_status", {"resource_id": resource_id})
    except (ckanapi.NotFound, CkanRejected):  # no job yet
        return None, None
    return status.get("job_id"), status.get("status")  # type: ignore[union-attr]


def xloader_loaded(
    call: Calls, resource_id: str, expected_rows: int, *, previous_job: str | None
) -> dict | None:
    """One look at the load of ``resource_id``: None while no job newer than ``previous_job`` has
    finished; the counts once it has and the table holds ``expected_rows``.  Raises
    ``DataStoreLoadFailed`` when the job failed or loaded another number of rows.  What a
    reschedule-mode sensor calls between its pokes (no worker held while xloader works)."""
    job, status = xloader_job(call, resource_id)
    if not job or job == previous_job or status not in {"complete", "error"}:
        return None
    if status != "complete":
        raise DataStoreLoadFailed(f"xloader failed on resource {resource_id} (job {job}): see its log")
    total = call("datastore_search", {"resource_id": resource_id, "limit": 0})["total"]  # type: ignore[index]
    if total != expected_rows:
        raise DataStoreLoadFailed(f"xloader loaded {total} rows into {resource_id}, expected {expected_rows}")
    return {"written": expected_rows, "method": "xloader", "job": job}


def wait_for_xloader(
    call: Calls, resource_id: str, expected_rows: int, *, previous_job: str | None, timeout: float
) -> dict:
    """Wait in this process until :func:`xloader_loaded` says the load finished (the CLI and
    ``publish_all``; the DAG waits in a sensor instead).  Raises ``DataStoreLoadFailed`` on an
    error, a timeout or a wrong count."""
    deadline = time.monotonic() + timeout
    delay = 0.2
    while True:
        counts = xloader_loaded(call, resource_id, expected_rows, previous_job=previous_job)
        if counts is not None:
            return counts
        if time.monotonic() > deadline:
            job, status = xloader_job(call, resource_id)
            raise DataStoreLoadFailed(f"xloader did not load resource {resource_id} in {timeout:.0f} s"
                                      f" (job {job}, status {status})")
        time.sleep(delay)
        delay = min(delay * 1.5, 2.0)
