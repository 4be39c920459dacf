"""Idempotent publishing of our datasets to CKAN.

``publish_dataset`` makes one CKAN dataset equal to a frame of records, with as few writes as
possible:

* the organization is ensured (show, then create);
* the dataset is found by its deterministic name: ``package_create`` if absent, otherwise
  ``package_patch`` of only our fields if they differ (never ``package_update``, which deletes
  resources it is not given); a soft-deleted dataset is brought back with ``state=active``;
* every resource is found by name (so its id is stable across runs) and carries a
  ``content_hash`` (sha256 of the file): an unchanged file is not sent again, so a run with no
  change makes ZERO write calls and ``metadata_modified`` stays put;
* a new file goes up in the same request that points the resource to it (``resource_create`` /
  ``resource_patch`` with the upload), so a failure leaves the last good version;
* every upload is checked against the size limit before the first write;
* DataStore tables (figures, totals) get a primary key, typed fields with the data dictionary
  in each field's ``info``, rows loaded by ``datastore_upsert`` in batches, and rows that left
  the data deleted, so the table equals the data.  A ``datastore_hash`` on the resource is set
  only after the load finished, so an interrupted load is redone by the next run.

The client is any object with ``call_action(action, data_dict, files=...)`` (ckanapi's
``RemoteCKAN``); its errors are mapped to the typed errors below.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import ckanapi
import pandas as pd
import requests

from smartcity.publish import catalog, files
from smartcity.publish.catalog import CatalogConfig, DatasetSpec, TableSpec

log = logging.getLogger(__name__)


class PublishError(Exception):
    """Publishing failed; the message says which action and why."""


class UploadTooLarge(PublishError):
    """A file is over the upload size limit; raised before any write."""


class CkanUnavailable(PublishError):
    """CKAN could not be reached, timed out or answered with a server error."""


class CkanRejected(PublishError):
    """CKAN refused a call (validation error, not authorised)."""


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
    }
)


@dataclass
class PublishReport:
    """What one ``publish_dataset`` call did.  ``as_dict()`` is JSON-safe."""

    dataset: str
    url: str = ""
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

    def as_dict(self) -> dict:
        return {
            "dataset": self.dataset,
            "url": self.url,
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
        }


class _Calls:
    """Calls CKAN actions, counts reads and writes, and maps errors to our typed errors.

    ``NotFound`` is re-raised as is: the publisher uses it for show-then-create.
    """

    def __init__(self, ckan: object) -> None:
        self.ckan = ckan
        self.writes: Counter[str] = Counter()
        self.reads = 0

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
    def write_total(self) -> int:
        return sum(self.writes.values())


@dataclass(frozen=True)
class _Upload:
    """A file to attach as a resource named ``name``."""

    name: str
    path: Path
    fmt: str
    description: str
    mimetype: str
    derived: bool = False  # re-sent only when some data resource of the dataset changed

    @property
    def sha256(self) -> str:
        return files.sha256_file(self.path)


# --------------------------------------------------------------------------------------------
# Preparation: files on disk, no CKAN
# --------------------------------------------------------------------------------------------


def prepare_files(
    ds: DatasetSpec,
    frames: Mapping[str, pd.DataFrame],
    out_dir: Path,
    extra_resources: Mapping[str, Path] | None = None,
) -> tuple[list[_Upload], dict[str, list[dict]]]:
    """Write the files of dataset ``ds`` under ``out_dir/<key>/``.

    ``frames`` maps table name -> frame (a missing secondary table is published empty).
    ``extra_resources`` maps resource name -> file or directory (a directory, such as Great
    Expectations Data Docs, is zipped).  Returns (uploads in publishing order, normalised rows
    per table).
    """
    target = Path(out_dir) / ds.key
    uploads: list[_Upload] = []
    rows_by_table: dict[str, list[dict]] = {}
    for table in ds.tables:
        frame = frames.get(table.name)
        if frame is None:
            frame = pd.DataFrame(columns=[f.name for f in catalog.data_dictionary(table.record_type)])
        rows = files.normalise(frame, table)
        rows_by_table[table.name] = rows
        title = table.title_en or table.name
        uploads += [
            _Upload(
                f"{table.name}.csv",
                files.write_csv(rows, table, target / f"{table.name}.csv"),
                "CSV",
                f"{title}: CSV, UTF-8 with BOM (opens in Excel with Thai intact). {len(rows)} rows.",
                "text/csv",
            ),
            _Upload(
                f"{table.name}.parquet",
                files.write_parquet(rows, table, target / f"{table.name}.parquet"),
                "Parquet",
                f"{title}: Apache Parquet with a typed schema. {len(rows)} rows.",
                "application/vnd.apache.parquet",
            ),
            _Upload(
                f"{table.name}-data-dictionary.csv",
                files.write_dictionary_csv(table, target / f"{table.name}-data-dictionary.csv"),
                "CSV",
                f"{title}: data dictionary (field, type, Thai label, English description).",
                "text/csv",
            ),
        ]
    if ds.key == "totals":
        uploads.append(
            _Upload(
                "totals-chart.png",
                files.write_totals_chart(rows_by_table["totals"], target / "totals-chart.png"),
                "PNG",
                "Chart of the reconciled country-wide totals over time (conflicts circled in red).",
                "image/png",
            )
        )
    for name, source in sorted((extra_resources or {}).items()):
        source = Path(source)
        if source.is_dir():
            path = files.zip_directory(source, target / f"{name}.zip")
            uploads.append(
                _Upload(
                    f"{name}.zip", path, "ZIP",
                    "Great Expectations Data Docs of the validation run that produced this data"
                    " (unzip and open index.html).",
                    "application/zip", derived=True,
                )
            )
        elif source.is_file():
            fmt = source.suffix.lstrip(".").upper() or "BIN"
            uploads.append(_Upload(source.name, source, fmt, f"{name} ({source.name}).", "", derived=True))
        else:
            raise PublishError(f"extra resource {name!r}: {source} does not exist")
    return uploads, rows_by_table


_RECORD_FILES = {".jsonl", ".csv", ".parquet"}


def read_records(path: Path) -> pd.DataFrame:
    """A frame from a record file: JSON Lines, CSV (as we write it) or Parquet."""
    if path.suffix == ".jsonl":
        lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        return pd.DataFrame(lines)
    if path.suffix == ".csv":
        return pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False).replace("", None)
    if path.suffix == ".parquet":
        return pd.read_parquet(path)
    raise PublishError(f"unknown record file type: {path}")


def check_sizes(uploads: Iterable[_Upload], limit: int) -> None:
    """Raise ``UploadTooLarge`` naming every file over ``limit`` bytes."""
    big = [(u.name, u.path.stat().st_size) for u in uploads if u.path.stat().st_size > limit]
    if big:
        listing = ", ".join(f"{n} ({s:,} bytes)" for n, s in big)
        raise UploadTooLarge(
            f"refusing to publish: over the {limit:,}-byte upload limit (SMARTCITY_CKAN_MAX_UPLOAD_MB,"
            f" CKAN's ckan.max_resource_size): {listing}. Nothing was written."
        )


# --------------------------------------------------------------------------------------------
# CKAN side
# --------------------------------------------------------------------------------------------


def ensure_organization(call: _Calls, config: CatalogConfig) -> dict:
    """Show the organization, creating it (or bringing it back) if needed; returns it."""
    try:
        org = call("organization_show", {"id": config.organization, "include_datasets": False})
    except ckanapi.NotFound:
        log.info("creating organization %s", config.organization)
        return call(
            "organization_create",
            {"name": config.organization, "title": config.organization_title},
        )  # type: ignore[return-value]
    if org.get("state") != "active":  # type: ignore[union-attr]
        org = call("organization_patch", {"id": org["id"], "state": "active"})  # type: ignore[index]
    return org  # type: ignore[return-value]


def _package_diff(existing: dict, desired: dict, org_id: str) -> dict:
    """The fields of ``desired`` that differ in ``existing`` (tags by name, extras as a dict)."""
    patch: dict = {}
    for key, value in desired.items():
        if key == "tags":
            if sorted(t["name"] for t in existing.get("tags", [])) != sorted(t["name"] for t in value):
                patch[key] = value
        elif key == "extras":
            have = {e["key"]: e["value"] for e in existing.get("extras", [])}
            if have != {e["key"]: e["value"] for e in value}:
                patch[key] = value
        elif key == "owner_org":
            if existing.get("owner_org") != org_id:
                patch[key] = org_id
        elif (existing.get(key) or "") != (value or ""):
            patch[key] = value
    if existing.get("state") != "active":
        patch["state"] = "active"
    return patch


def _datastore_hash(table: TableSpec, rows: list[dict]) -> str:
    """A hash of what the DataStore table must hold: its fields (with dictionary) and rows."""
    digest = hashlib.sha256()
    digest.update(json.dumps(catalog.datastore_fields(table), ensure_ascii=False, sort_keys=True).encode())
    digest.update(json.dumps(table.primary_key).encode())
    for row in rows:
        digest.update(json.dumps(_datastore_row(row), ensure_ascii=False, sort_keys=True).encode())
    return digest.hexdigest()


def _datastore_row(row: dict) -> dict:
    # lists go to the DataStore as JSON text, exactly as in the CSV
    return {
        k: json.dumps(v, ensure_ascii=False, separators=(",", ":")) if isinstance(v, list) else v
        for k, v in row.items()
    }


def _existing_rows(call: _Calls, resource_id: str, key: str, page: int = 32000) -> dict[str, dict]:
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


def _canon(value: object, ds_type: str) -> object:
    """A value as comparable between our rows and what the DataStore returns (numerics come
    back as numbers or strings, dates as ``YYYY-MM-DDT00:00:00``)."""
    if value is None or value == "":
        return None
    try:
        if ds_type == "numeric":
            return float(value)  # type: ignore[arg-type]
        if ds_type == "int":
            return int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return str(value)
    if ds_type == "date":
        return str(value)[:10]
    if ds_type == "timestamp":
        return str(value).replace("T", " ").removesuffix("+00:00")[:19]
    return str(value)


def load_datastore(
    call: _Calls, resource_id: str, table: TableSpec, rows: list[dict], *, batch: int = 5000
) -> dict:
    """Make the DataStore table of ``resource_id`` equal ``rows``: create it with the primary
    key and typed, documented fields; delete rows whose key is no longer in the data; write
    only the rows that are new or differ (``method=insert`` into an empty table, else
    ``method=upsert``), in batches.  Returns counts {written, unchanged, deleted, batches}."""
    if not table.primary_key:
        raise PublishError(f"{table.name}: a DataStore table needs a primary key")
    key = table.primary_key
    fields = catalog.datastore_fields(table)
    types = {f["id"]: f["type"] for f in fields}
    call(
        "datastore_create",
        {"resource_id": resource_id, "force": True, "primary_key": [key], "fields": fields},
    )
    existing = _existing_rows(call, resource_id, key)
    wanted = [_datastore_row(r) for r in rows]
    wanted_keys = {str(r[key]) for r in wanted}
    stale = sorted(set(existing) - wanted_keys)
    for i in range(0, len(stale), batch):
        chunk = stale[i : i + batch]
        call("datastore_delete", {"resource_id": resource_id, "force": True, "filters": {key: chunk}})

    def differs(row: dict) -> bool:
        old = existing.get(str(row[key]))
        return old is None or any(_canon(row[c], t) != _canon(old.get(c), t) for c, t in types.items())

    to_write = [r for r in wanted if differs(r)]
    # a plain insert is several times faster than an upsert (no per-row update attempt)
    method = "insert" if not existing else "upsert"
    batches = 0
    for i in range(0, len(to_write), batch):
        call(
            "datastore_upsert",
            {"resource_id": resource_id, "force": True, "method": method, "records": to_write[i : i + batch]},
        )
        batches += 1
    return {"written": len(to_write), "unchanged": len(wanted) - len(to_write), "deleted": len(stale),
            "batches": batches, "method": method}


def _resources_by_name(
    call: _Calls, package: dict, wanted: set[str], report: PublishReport
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


def publish_dataset(
    ckan: object,
    key: str,
    frame: pd.DataFrame,
    *,
    out_dir: Path,
    extra_resources: Mapping[str, Path] | None = None,
    tables: Mapping[str, pd.DataFrame] | None = None,
    config: CatalogConfig | None = None,
) -> PublishReport:
    """Publish dataset ``key`` (see ``catalog.DATASETS``) with the records in ``frame``.

    ``ckan``: a ckanapi ``RemoteCKAN`` (or anything with its ``call_action``).
    ``out_dir``: where the files are written before upload.
    ``extra_resources``: resource name -> file or directory (zipped), e.g. Data Docs; re-sent
    only when a data resource changed (they describe this version of the data).
    ``tables``: frames of secondary tables, e.g. ``{"checks": ...}`` for ``totals``.
    Returns a ``PublishReport``.  Raises ``UploadTooLarge`` (before any write), ``CkanUnavailable``,
    ``CkanRejected`` or ``PublishError``.  Safe to re-run after any failure.
    """
    config = config or CatalogConfig.from_env()
    ds = catalog.spec(key)
    frames = {ds.main.name: frame, **dict(tables or {})}
    extra_resources = dict(extra_resources or {})
    for table in ds.tables[1:]:
        # a secondary table may come as a record file among the extras (e.g. "checks": checks.jsonl)
        source = extra_resources.get(table.name)
        if table.name not in frames and source is not None and Path(source).suffix in _RECORD_FILES:
            frames[table.name] = read_records(Path(extra_resources.pop(table.name)))
    uploads, rows_by_table = prepare_files(ds, frames, out_dir, extra_resources)
    check_sizes(uploads, config.max_upload_bytes)

    call = ckan if isinstance(ckan, _Calls) else _Calls(ckan)
    writes_before, reads_before = Counter(call.writes), call.reads
    report = PublishReport(dataset=ds.name(config), rows=len(rows_by_table[ds.main.name]))
    try:
        _publish(call, ds, frame, uploads, rows_by_table, config, report)
    finally:
        delta = call.writes - writes_before
        report.write_calls = sum(delta.values())
        report.write_calls_by_action = dict(sorted(delta.items()))
        report.read_calls = call.reads - reads_before
    log.info(
        "%s: dataset %s, %d created, %d updated, %d unchanged, %d write calls",
        report.dataset, report.dataset_action, len(report.resources_created),
        len(report.resources_updated), len(report.resources_unchanged), report.write_calls,
    )
    return report


def _publish(
    call: _Calls,
    ds: DatasetSpec,
    frame: pd.DataFrame,
    uploads: list[_Upload],
    rows_by_table: dict[str, list[dict]],
    config: CatalogConfig,
    report: PublishReport,
) -> None:
    org = ensure_organization(call, config)
    desired = catalog.package_dict(ds, frame, config)
    try:
        package: dict = call("package_show", {"id": desired["name"]})  # type: ignore[assignment]
    except ckanapi.NotFound:
        package = call("package_create", {**desired, "owner_org": org["id"]})  # type: ignore[assignment]
        report.dataset_action = "created"
    else:
        patch = _package_diff(package, desired, org["id"])
        if patch:
            log.info("%s: patching %s", desired["name"], sorted(patch))
            package = call("package_patch", {"id": package["id"], **patch})  # type: ignore[assignment]
            report.dataset_action = "patched"
    base = getattr(call.ckan, "address", "").rstrip("/")
    report.url = f"{base}/dataset/{package['name']}" if base else package["name"]

    existing = _resources_by_name(call, package, {u.name for u in uploads}, report)
    data_changed = False
    for upload in uploads:
        res = existing.get(upload.name)
        digest = upload.sha256
        fields = {
            "name": upload.name,
            "description": upload.description,
            "format": upload.fmt,
            "mimetype": upload.mimetype,
            "content_hash": f"sha256:{digest}",
        }
        if res is None:
            with open(upload.path, "rb") as fh:
                res = call("resource_create", {"package_id": package["id"], "url": "", **fields},
                           files={"upload": (upload.path.name, fh)})
            report.resources_created.append(upload.name)
            data_changed = data_changed or not upload.derived
        elif res.get("content_hash") != fields["content_hash"] and (not upload.derived or data_changed):
            # a derived file (Data Docs) describes a version of the data: it is re-sent with a new
            # version of the data, not because a re-validation of the same data was re-rendered
            with open(upload.path, "rb") as fh:
                res = call("resource_patch", {"id": res["id"], "url": "", **fields},
                           files={"upload": (upload.path.name, fh)})
            report.resources_updated.append(upload.name)
            data_changed = data_changed or not upload.derived
        elif any((res.get(k) or "") != (v or "") for k, v in fields.items() if k != "content_hash"):
            meta = {k: v for k, v in fields.items() if k != "content_hash"}
            res = call("resource_patch", {"id": res["id"], **meta})
            report.resources_updated.append(upload.name)
        else:
            report.resources_unchanged.append(upload.name)
        report.resource_ids[upload.name] = res["id"]  # type: ignore[index]
        existing[upload.name] = res  # type: ignore[assignment]

    for table in ds.tables:
        if not table.datastore:
            continue
        res = existing[f"{table.name}.csv"]
        rows = rows_by_table[table.name]
        wanted = _datastore_hash(table, rows)
        if res.get("datastore_hash") == wanted and res.get("datastore_active"):
            report.datastore[table.name] = {"status": "unchanged", "rows": len(rows)}
            continue
        counts = load_datastore(call, res["id"], table, rows, batch=config.datastore_batch)
        # recorded last: if the load was interrupted, the next run sees a stale hash and reloads
        call("resource_patch", {"id": res["id"], "datastore_hash": wanted})
        report.datastore[table.name] = {"status": "loaded", "rows": len(rows), **counts}


def publish_all(
    ckan: object,
    frames: Mapping[str, pd.DataFrame],
    *,
    out_dir: Path,
    data_docs: Path | None = None,
    config: CatalogConfig | None = None,
) -> list[PublishReport]:
    """Publish every dataset present in ``frames`` (keys of ``catalog.DATASETS`` plus
    ``checks`` for the totals' secondary table).  ``data_docs``: the Data Docs directory, attached
    to each dataset as ``quality-report.zip``.  Size limits are checked for all datasets before
    the first write.  Returns one report per dataset, in catalogue order."""
    config = config or CatalogConfig.from_env()
    keys = [k for k in catalog.DATASETS if k in frames]
    extra = {"quality-report": Path(data_docs)} if data_docs else None
    for key in keys:  # all sizes first: refuse before any write
        ds = catalog.DATASETS[key]
        present = {t.name: frames[t.name] for t in ds.tables if t.name in frames}
        uploads, _ = prepare_files(ds, present, out_dir, extra)
        check_sizes(uploads, config.max_upload_bytes)
    call = _Calls(ckan)
    reports = []
    for key in keys:
        ds = catalog.DATASETS[key]
        secondary = {t.name: frames[t.name] for t in ds.tables[1:] if t.name in frames}
        reports.append(
            publish_dataset(call, key, frames[key], out_dir=out_dir, extra_resources=extra,
                            tables=secondary, config=config)
        )
    return reports


def purge_published(ckan: ckanapi.RemoteCKAN, prefix: str, organization: str | None = None) -> list[str]:
    """Purge (delete for good) every catalogue dataset named ``<prefix>-<key>``, then the
    organization if given; for tests and benchmarks that publish under a throw-away prefix.

    Returns the names purged; a dataset or organization that does not exist is skipped.
    """
    purged = []
    for key in catalog.DATASETS:
        name = f"{prefix}-{key}"
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
