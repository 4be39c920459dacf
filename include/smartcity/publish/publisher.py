"""Idempotent publishing of our datasets to CKAN: the one entry point for the DAG, the CLI,
the tests and the benchmarks.

``publish_dataset`` makes one CKAN dataset equal to a frame of records, with as few writes as
possible, in one direction:

1. **portal** (``portal.detect``): plain CKAN or scheming (GDC) portal, with or without
   ckanext-xloader -- read-only calls;
2. **desired state** (``metadata.package_dict``): our catalogue metadata shaped for that
   portal, choice values checked against the portal's own lists;
3. **files** (``bundle.write_bundle``): CSV, Parquet, data dictionary, chart, Data Docs zip,
   sizes checked -- steps 2 and 3 raise before any write;
4. **diff and writes** (below, with ``diff``): the organization is ensured; the dataset found
   by its deterministic name is created, or patched in only the fields that differ (never
   ``package_update``, which deletes resources it is not given; a soft-deleted dataset is
   brought back); every resource is found by name (stable id) and carries a ``content_hash``:
   an unchanged file is not sent again, so a run with no change makes ZERO writes;
5. **DataStore** (``datastore``): through the API, or by the portal's xloader; the resource's
   ``datastore_hash`` is set last, so an interrupted load is redone by the next run.

Errors are typed (``errors``): ``UploadTooLarge`` and ``InvalidMetadata`` before any write,
``CkanUnavailable``, ``CkanRejected``, ``DataStoreLoadFailed``; all are ``PublishError``.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import logging
import os
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import ckanapi
import pandas as pd

from smartcity.publish import catalog, datastore, explain, metadata, portal
from smartcity.publish.bundle import (
    DATA_DOCS,
    Bundle,
    Upload,
    check_sizes,
    read_records,
    split_extras,
    write_bundle,
)
from smartcity.publish.calls import WRITE_ACTIONS, Calls
from smartcity.publish.catalog import CatalogConfig, DatasetSpec
from smartcity.publish.diff import (
    datastore_hash,
    package_diff,
    resource_action,
    resource_fields,
    with_ownership,
)
from smartcity.publish.errors import (
    CellTooLong,
    CkanRejected,
    CkanUnavailable,
    DataStoreLoadFailed,
    DemoRefused,
    EditConflict,
    InvalidMetadata,
    PublishError,
    RowCountDropped,
    UploadTooLarge,
)

__all__ = [
    "DATA_DOCS", "WRITE_ACTIONS", "CellTooLong", "CkanRejected", "CkanUnavailable", "DataStoreLoadFailed",
    "DemoRefused", "InvalidMetadata",
    "PublishError", "PublishReport", "UploadTooLarge", "finish_loads", "publish_all", "publish_dataset",
    "purge_published",
    "read_records",
]

log = logging.getLogger(__name__)
_Calls = Calls  # the old private name, kept for callers written against it
load_datastore = datastore.load_via_api


@dataclass
class PublishReport:
    """What one ``publish_dataset`` call did.  ``as_dict()`` is JSON-safe."""

    dataset: str
    url: str = ""
    portal: str = ""  # plain | scheming | plain+xloader | scheming+xloader
    dataset_action: str = "unchanged"  # created | patched | unchanged
    resources_created: list[str] = field(default_factory=list)
    resources_updated: list[str] = field(default_factory=list)
    resources_unchanged: list[str] = field(default_factory=list)
    resources_removed: list[str] = field(default_factory=list)
    datastore: dict[str, dict] = field(default_factory=dict)
    write_calls: int = 0
    write_calls_by_action: dict[str, int] = field(default_factory=dict)
    read_calls: int = 0
    rows: int = 0
    resource_ids: dict[str, str] = field(default_factory=dict)
    # xloader loads submitted but not waited for (``wait_for_loads=False``): what
    # :func:`finish_loads` needs, one dict per table (table, resource_id, rows, previous_job, hash)
    pending_loads: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "dataset": self.dataset,
            "url": self.url,
            "portal": self.portal,
            "dataset_action": self.dataset_action,
            "resources_created": list(self.resources_created),
            "resources_updated": list(self.resources_updated),
            "resources_unchanged": list(self.resources_unchanged),
            "resources_removed": list(self.resources_removed),
            "datastore": {k: dict(v) for k, v in self.datastore.items()},
            "write_calls": self.write_calls,
            "write_calls_by_action": dict(self.write_calls_by_action),
            "read_calls": self.read_calls,
            "rows": self.rows,
            "resource_ids": dict(self.resource_ids),
            "pending_loads": [dict(p) for p in self.pending_loads],
        }


def publish_dataset(
    ckan: object,
    key: str,
    frame: pd.DataFrame,
    *,
    out_dir: Path,
    extra_resources: Mapping[str, Path] | None = None,
    tables: Mapping[str, pd.DataFrame] | None = None,
    config: CatalogConfig | None = None,
    wait_for_loads: bool = True,
) -> PublishReport:
    """Publish dataset ``key`` (see ``catalog.DATASETS``) with the records in ``frame``.

    ``ckan``: a ckanapi ``RemoteCKAN`` (or anything with its ``call_action``, or a ``Calls``).
    ``out_dir``: where the files are written before upload.
    ``extra_resources``: resource name -> file or directory (zipped), e.g.
    ``{"data_docs": <dir>}``; re-sent only when a data resource changed.  A secondary table may
    come here as a record file (``{"checks": checks.jsonl}``).
    ``tables``: frames of secondary tables, e.g. ``{"checks": ...}`` for ``totals``.
    ``wait_for_loads``: on a portal with xloader, wait here until it loaded the DataStore tables
    (the default); False: submit the loads and return them in ``report.pending_loads`` for
    :func:`finish_loads` (the DAG's reschedule-mode sensor), holding no worker meanwhile.
    Returns a ``PublishReport``.  Safe to re-run after any failure.
    """
    config = config or CatalogConfig.from_env()
    ds = catalog.spec(key)
    frames = {ds.main.name: frame, **dict(tables or {})}
    extras = split_extras(ds, frames, extra_resources)
    call = ckan if isinstance(ckan, Calls) else Calls(ckan)
    writes_before, reads_before = Counter(call.writes), call.reads
    report = PublishReport(dataset=ds.name(config))
    try:
        refuse_demo_off_loopback(call.base_url, config)  # before any call
        require_contact(call.base_url, config)
        shape = portal.detect(call)  # 1. read-only
        report.portal = shape.shape
        config = metadata.for_portal(config, shape)  # the portal's own licence id, everywhere
        desired = metadata.package_dict(ds, frame, config, shape)  # 2. raises before any write
        refuse_row_drop(call, ds, desired["name"], len(frame))
        bundle = write_bundle(ds, frames, out_dir, extras, explain.method_markdown(config))  # 3.
        check_sizes(bundle.uploads, config.max_upload_bytes)
        report.rows = len(bundle.rows[ds.main.name])
        _sync(call, shape, ds, desired, bundle, config, report, wait_for_loads)  # 4. and 5.
    finally:
        delta = call.writes - writes_before
        report.write_calls = sum(delta.values())
        report.write_calls_by_action = dict(sorted(delta.items()))
        report.read_calls = call.reads - reads_before
    log.info(
        "%s (%s portal): dataset %s, %d created, %d updated, %d unchanged, %d write calls",
        report.dataset, report.portal, report.dataset_action, len(report.resources_created),
        len(report.resources_updated), len(report.resources_unchanged), report.write_calls,
    )
    return report


# -------------------------------------------------------------------------- 0. demo data

ALLOW_DEMO_ENV = "SMARTCITY_ALLOW_DEMO_PUBLISH"


def is_loopback(url: str) -> bool:
    """True when ``url``'s host is this machine (``localhost``, 127.0.0.0/8, ``::1``)."""
    host = (urlsplit(url).hostname or "").strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def refuse_demo_off_loopback(
    base_url: str, config: CatalogConfig, env: Mapping[str, str] | None = None
) -> None:
    """Raise ``DemoRefused`` when ``config`` is for demo data and ``base_url`` is not on loopback,
    unless ``SMARTCITY_ALLOW_DEMO_PUBLISH`` is ``1``/``true``/``yes`` (said on purpose)."""
    if not config.demo or not base_url or is_loopback(base_url):
        return
    allowed = (os.environ if env is None else env).get(ALLOW_DEMO_ENV, "").strip().lower()
    if allowed in {"1", "true", "yes"}:
        log.warning("publishing DEMO data (invented) to %s: %s is set", base_url, ALLOW_DEMO_ENV)
        return
    raise DemoRefused(
        f"refusing to publish the DEMO snapshot (invented data) to {base_url}, which is not this"
        f" machine: point CKAN_URL at a local CKAN, or choose real sources; set {ALLOW_DEMO_ENV}=1"
        " only to publish the demo there on purpose. Nothing was written."
    )


ACCEPT_ROW_DROP_ENV = "SMARTCITY_ACCEPT_ROW_DROP"


def published_row_count(call: Calls, name: str) -> int | None:
    """The ``row_count`` of dataset ``name`` as last published on the portal; None when it was
    never published (or carries no count)."""
    try:
        package: dict = call("package_show", {"id": name})  # type: ignore[assignment]
    except ckanapi.NotFound:
        return None
    value = metadata.field_value(package, "row_count")
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def refuse_row_drop(
    call: Calls, ds: DatasetSpec, name: str, rows: int, env: Mapping[str, str] | None = None
) -> None:
    """Raise ``RowCountDropped`` when dataset ``name`` now has ``rows`` rows, zero or fewer by more
    than its suite's share than the version on the portal (``quality.rowcount``), unless
    ``SMARTCITY_ACCEPT_ROW_DROP`` lists ``ds.key`` (or is ``1``): a drop said to be meant."""
    from smartcity.quality.rowcount import max_drop_share, row_count_drop
    from smartcity.quality.suites import load_suite

    previous = published_row_count(call, name)
    failure = row_count_drop(rows, previous, max_drop_share(load_suite(ds.key)))
    if failure is None:
        return
    said = (os.environ if env is None else env).get(ACCEPT_ROW_DROP_ENV, "")
    accepted = {k.strip().lower() for k in said.split(",")}
    if accepted & {ds.key, "1", "true", "yes"}:
        log.warning("%s: %s; published anyway: %s names it", name, failure.error, ACCEPT_ROW_DROP_ENV)
        return
    raise RowCountDropped(
        f"{name}: {failure.error}: a stage upstream is broken, not the data gone. Set"
        f" {ACCEPT_ROW_DROP_ENV}={ds.key} to publish it on purpose. Nothing was written."
    )


# Domains reserved for examples and tests (RFC 2606, RFC 6761): an address there reaches nobody.
_RESERVED_DOMAINS = ("example.com", "example.org", "example.net", "example", "test", "invalid", "localhost")


def require_contact(base_url: str, config: CatalogConfig) -> None:
    """Raise ``InvalidMetadata`` when ``base_url`` is not on loopback and ``config`` has no
    contact e-mail a reader can write to (``SMARTCITY_MAINTAINER_EMAIL``): unset, not an
    address, or at a domain reserved for examples.  A local portal may go without one."""
    if not base_url or is_loopback(base_url):
        return
    email = config.maintainer_email.strip()
    domain = email.rpartition("@")[2].casefold().rstrip(".")
    if email.count("@") == 1 and "." in domain and " " not in email and not any(
        domain == d or domain.endswith("." + d) for d in _RESERVED_DOMAINS
    ):
        return
    said = f"{email!r} is not an address a reader can write to" if email else "it is not set"
    raise InvalidMetadata(
        f"maintainer_email: {base_url} is not this machine, and every dataset there names a contact"
        f" e-mail, but {said}: set SMARTCITY_MAINTAINER_EMAIL to the contact's address. Nothing was written."
    )


# -------------------------------------------------------------------------- 4. diff and writes


def ensure_organization(call: Calls, config: CatalogConfig) -> dict:
    """Show the organization, creating it (or bringing it back) if needed, with its title and its
    Thai and English description (patched when they differ); returns it."""
    about = {"title": config.organization_title, "description": explain.ORGANIZATION_DESCRIPTION}
    try:
        org = call("organization_show", {"id": config.organization, "include_datasets": False})
    except ckanapi.NotFound:
        log.info("creating organization %s", config.organization)
        return call("organization_create", {"name": config.organization, **about})  # type: ignore[return-value]
    patch = {k: v for k, v in about.items() if (org.get(k) or "") != v}  # type: ignore[union-attr]
    if org.get("state") != "active":  # type: ignore[union-attr]
        patch["state"] = "active"
    if patch:
        org = call("organization_patch", {"id": org["id"], **patch})  # type: ignore[index]
    return org  # type: ignore[return-value]


def _today() -> str:
    return dt.datetime.now(ZoneInfo("Asia/Bangkok")).date().isoformat()


def _with_dates(desired: dict, package: dict | None, shape: portal.Portal, data_changes: bool) -> dict:
    """``desired`` with the dates only the portal knows: ``created_date`` (kept once set; the
    package's creation day, or today for a new one) and ``last_updated_date`` (today when this
    run changes a data file, else kept)."""
    created = updated = None
    if package:
        first = str(package.get("metadata_created") or "")[:10]
        created = metadata.field_value(package, "created_date") or first
        updated = None if data_changes else metadata.field_value(package, "last_updated_date")
    desired = metadata.with_field(desired, shape, "created_date", created or _today())
    return metadata.with_field(desired, shape, "last_updated_date", updated or _today())


def _data_changes(package: dict | None, bundle: Bundle) -> bool:
    """Whether some data file of ``bundle`` differs from the portal's resource of its name."""
    have = {r.get("name"): r.get("content_hash") for r in (package or {}).get("resources", [])}
    return any(have.get(u.name) != f"sha256:{u.sha256}" for u in bundle.uploads if not u.derived)


def _sync_package(
    call: Calls, desired: dict, org_id: str, report: PublishReport, shape: portal.Portal, bundle: Bundle
) -> dict:
    try:
        package: dict = call("package_show", {"id": desired["name"]})  # type: ignore[assignment]
    except ckanapi.NotFound:
        report.dataset_action = "created"
        desired = with_ownership(_with_dates(desired, None, shape, True))
        return call("package_create", {**desired, "owner_org": org_id})  # type: ignore[return-value]
    for attempt in range(1, EDIT_ATTEMPTS + 1):
        wanted = _with_dates(desired, package, shape, _data_changes(package, bundle))
        patch = package_diff(package, wanted, org_id)
        if not patch:
            return package
        log.info("%s: patching %s", desired["name"], sorted(patch))
        report.dataset_action = "patched"
        try:
            return revise(call, package, patch)
        except EditConflict as conflict:
            # someone changed the dataset since we read it: read again and merge with that
            log.warning("%s: %s (attempt %d of %d)", desired["name"], conflict, attempt, EDIT_ATTEMPTS)
            package = call("package_show", {"id": package["id"]})  # type: ignore[assignment]
    raise EditConflict(f"{desired['name']} changed on the portal during each of {EDIT_ATTEMPTS} attempts")


EDIT_ATTEMPTS = 3


def revise(call: Calls, package: dict, patch: dict) -> dict:
    """Apply ``patch`` to ``package`` with ``package_revise``, guarded by a ``match`` on the
    ``metadata_modified`` we read: if the dataset changed on the portal since (a curator's edit),
    CKAN writes nothing and ``EditConflict`` is raised, so the caller merges with the new state
    instead of overwriting it.  Lists in ``patch`` (tags, extras) replace the portal's lists, so
    they must already be the merged ones (``diff.package_diff``).  Returns the new package."""
    # CKAN merges a list it is sent into the old one item by item: take the old list away first
    replaced = {k for k, v in patch.items() if isinstance(v, list)}
    if "tag_string" in patch:
        replaced.add("tags")
    data = {
        "match": {"id": package["id"], "metadata_modified": package.get("metadata_modified")},
        "filter": sorted(f"-{k}" for k in replaced),
        "update": patch,
    }
    try:
        result = call("package_revise", data)
    except CkanRejected as exc:
        if "match" in exc.fields:
            raise EditConflict(f"changed on the portal since it was read ({exc.reason})") from exc
        raise
    return result["package"]  # type: ignore[index]


def _resources_by_name(
    call: Calls, package: dict, wanted: set[str], report: PublishReport
) -> dict[str, dict]:
    """Our resources of ``package`` by name; duplicates of a name (left by an interrupted
    create elsewhere) are deleted, keeping the first, so the dataset converges."""
    by_name: dict[str, dict] = {}
    for res in package.get("resources", []):
        name = res.get("name")
        if name in by_name and name in wanted:
            log.warning("%s: deleting duplicate resource %s (%s)", package["name"], name, res["id"])
            call("resource_delete", {"id": res["id"]})
            report.resources_removed.append(name)
            continue
        by_name.setdefault(name, res)
    return by_name


def _send(call: Calls, action: str, data: dict, upload: Upload) -> dict:
    """``resource_create``/``resource_patch`` with the file in the same request, so a failure
    leaves the last good version."""
    with open(upload.path, "rb") as fh:
        return call(action, {**data, "url": ""}, files={"upload": (upload.path.name, fh)})  # type: ignore[return-value]


def _sync(
    call: Calls, shape: portal.Portal, ds: DatasetSpec, desired: dict, bundle: Bundle, config: CatalogConfig,
    report: PublishReport, wait_for_loads: bool = True,
) -> None:
    org = ensure_organization(call, config)
    package = _sync_package(call, desired, org["id"], report, shape, bundle)
    report.url = f"{call.base_url}/dataset/{package['name']}" if call.base_url else package["name"]
    existing = _resources_by_name(call, package, {u.name for u in bundle.uploads}, report)
    datastore_tables = {t.name: t for t in ds.tables if t.datastore}
    xloaded: dict[str, str | None] = {}  # table -> xloader job before our upload
    data_changed = False
    for upload in bundle.uploads:
        res = existing.get(upload.name)
        action = resource_action(res, upload, data_changed)
        fields = resource_fields(upload)
        by_xloader = shape.xloader and upload.table in datastore_tables
        if action == "create" and by_xloader:
            # the typed table must exist before xloader sees the file: create without it first
            # (no format, so xloader ignores it), then upload as for a changed file
            res = call("resource_create", {"package_id": package["id"], "url": "", "name": upload.name})
            datastore.prepare_for_xloader(call, res["id"], datastore_tables[upload.table])  # type: ignore[index]
            action = "upload"
        if action == "create":
            res = _send(call, "resource_create", {"package_id": package["id"], **fields}, upload)
            report.resources_created.append(upload.name)
        elif action == "upload":
            if by_xloader:
                xloaded[upload.table] = datastore.xloader_job(call, res["id"])[0]  # type: ignore[index]
            res = _send(call, "resource_patch", {"id": res["id"], **fields}, upload)  # type: ignore[index]
            (report.resources_created if upload.name not in existing else report.resources_updated).append(
                upload.name)
        elif action == "meta":
            meta = {k: v for k, v in fields.items() if k != "content_hash"}
            res = call("resource_patch", {"id": res["id"], **meta})  # type: ignore[index]
            report.resources_updated.append(upload.name)
        else:
            report.resources_unchanged.append(upload.name)
        data_changed = data_changed or (action in {"create", "upload"} and not upload.derived)
        report.resource_ids[upload.name] = res["id"]  # type: ignore[index]
        existing[upload.name] = res  # type: ignore[assignment]

    for table in datastore_tables.values():  # 5. DataStore
        res = existing[f"{table.name}.csv"]
        rows = bundle.rows[table.name]
        wanted = datastore_hash(table, rows)
        if res.get("datastore_hash") == wanted and res.get("datastore_active") and table.name not in xloaded:
            report.datastore[table.name] = {"status": "unchanged", "rows": len(rows)}
            continue
        if shape.xloader:
            if table.name not in xloaded:  # same file, stale table: ask xloader to load it again
                datastore.prepare_for_xloader(call, res["id"], table)
                xloaded[table.name] = datastore.xloader_job(call, res["id"])[0]
                call("xloader_submit", {"resource_id": res["id"], "ignore_hash": True})
            if not wait_for_loads:  # finish_loads checks it and records the hash once loaded
                report.pending_loads.append({"table": table.name, "resource_id": res["id"], "rows": len(rows),
                                             "previous_job": xloaded[table.name], "hash": wanted})
                report.datastore[table.name] = {"status": "loading", "rows": len(rows), "method": "xloader"}
                continue
            counts = datastore.wait_for_xloader(call, res["id"], len(rows), previous_job=xloaded[table.name],
                                                timeout=config.xloader_timeout_s)
        else:
            counts = datastore.load_via_api(call, res["id"], table, rows, batch=config.datastore_batch)
            # the table preview (datatables_view) a reader sees: CKAN makes it when a table is first
            # loaded by xloader, not through the API, so ask for the default views when it is missing
            datastore.ensure_preview(call, res)
        # recorded last: if the load was interrupted, the next run sees a stale hash and reloads
        call("resource_patch", {"id": res["id"], "datastore_hash": wanted})
        report.datastore[table.name] = {"status": "loaded", "rows": len(rows), **counts}


def finish_loads(ckan: object, pending: list[dict]) -> dict[str, dict] | None:
    """One look at the xloader loads ``publish_dataset(..., wait_for_loads=False)`` left in
    ``report.pending_loads``: None while any is still running; once all finished with the
    expected row counts, each resource's ``datastore_hash`` is recorded (so the next run sees the
    table current) and the counts are returned by table.  Raises ``DataStoreLoadFailed`` when a
    load failed or loaded another number of rows (the next run loads it again: no hash)."""
    call = ckan if isinstance(ckan, Calls) else Calls(ckan)
    counts = {}
    for load in pending:
        done = datastore.xloader_loaded(call, load["resource_id"], load["rows"],
                                        previous_job=load["previous_job"])
        if done is None:
            return None
        counts[load["table"]] = done
    for load in pending:
        call("resource_patch", {"id": load["resource_id"], "datastore_hash": load["hash"]})
    return counts


# -------------------------------------------------------------------------- helpers for many datasets


def publish_all(
    ckan: object,
    frames: Mapping[str, pd.DataFrame],
    *,
    out_dir: Path,
    data_docs: Path | None = None,
    config: CatalogConfig | None = None,
) -> list[PublishReport]:
    """Publish every dataset present in ``frames`` (keys of ``catalog.DATASETS`` plus
    ``checks`` for the totals' secondary table).  ``data_docs``: the Data Docs directory,
    attached to each dataset as ``data_docs.zip`` (the name the DAG and the CLI use).  Sizes
    and metadata are checked for all datasets before the first write.  Returns one report per
    dataset, in catalogue order."""
    config = config or CatalogConfig.from_env()
    keys = [k for k in catalog.DATASETS if k in frames]
    extra = {DATA_DOCS: Path(data_docs)} if data_docs else None
    call = ckan if isinstance(ckan, Calls) else Calls(ckan)
    refuse_demo_off_loopback(call.base_url, config)
    require_contact(call.base_url, config)
    shape = portal.detect(call)
    config = metadata.for_portal(config, shape)
    for key in keys:  # everything that can be refused, before any write
        ds = catalog.DATASETS[key]
        desired = metadata.package_dict(ds, frames[key], config, shape)
        refuse_row_drop(call, ds, desired["name"], len(frames[key]))
        present = {t.name: frames[t.name] for t in ds.tables if t.name in frames}
        bundle = write_bundle(ds, present, out_dir, extra, explain.method_markdown(config))
        check_sizes(bundle.uploads, config.max_upload_bytes)
    reports = []
    for key in keys:
        ds = catalog.DATASETS[key]
        secondary = {t.name: frames[t.name] for t in ds.tables[1:] if t.name in frames}
        reports.append(publish_dataset(call, key, frames[key], out_dir=out_dir, extra_resources=extra,
                                       tables=secondary, config=config))
    return reports


def purge_published(ckan: ckanapi.RemoteCKAN, prefix: str, organization: str | None = None) -> list[str]:
    """Purge (delete for good) every catalogue dataset named ``<prefix>-<key>``, then the
    organization if given; for tests and benchmarks that publish under a throw-away prefix.
    Returns the names purged; a dataset or organization that does not exist is skipped."""
    purged = []
    for key in catalog.DATASETS:
        for name in (f"{prefix}-{key}", f"{catalog.DEMO_NAME_PREFIX}{prefix}-{key}"):  # real, demo
            try:
                ckan.action.dataset_purge(id=name)
                purged.append(name)
            except ckanapi.NotFound:
                continue
    if organization:
        try:
            ckan.action.organization_purge(id=organization)
        except ckanapi.NotFound:
            pass
    return purged
