"""What differs between the desired state and the portal: pure functions, no CKAN calls.

* ``package_diff``: the dataset fields to patch (tags by name, ``tag_string`` against the
  tags, multiple-choice lists as sets, extras as a dict, a deleted dataset brought back).  Tags
  and extras are *merged*: what a curator added on the portal is kept; only what the pipeline
  owns is added, changed or taken away.  What it owns is recorded on the dataset itself, in the
  extra ``smartcity_owned`` (``with_ownership``: JSON of its tag names and extra keys), so a
  tag or extra the pipeline stops producing is removed, and one it never wrote is never touched;
* ``resource_action``: for one file, ``create``, ``upload`` (new content), ``meta`` (same
  content, other description/format) or ``unchanged``, by the ``content_hash`` we store;
* ``rows_to_write`` / ``stale_keys``: the DataStore rows to send and to delete, by primary key.
"""

from __future__ import annotations

import hashlib
import json

from smartcity.publish import catalog
from smartcity.publish.bundle import Upload
from smartcity.publish.catalog import TableSpec


def _same(have: object, want: object) -> bool:
    if isinstance(want, list) or isinstance(have, list):
        def as_list(v: object) -> list:
            return v if isinstance(v, list) else ([] if v in (None, "") else [v])

        return sorted(map(str, as_list(have))) == sorted(map(str, as_list(want)))
    return (have or "") == (want or "")


OWNED_KEY = "smartcity_owned"


def _tag_names(package: dict) -> list[str]:
    """The tag names of a package or a desired dict (``tags`` dicts or a ``tag_string``)."""
    if "tag_string" in package and "tags" not in package:
        return sorted({t.strip() for t in str(package["tag_string"]).split(",") if t.strip()})
    return sorted({t["name"] for t in package.get("tags") or []})


def _extras(package: dict) -> dict[str, str]:
    return {e["key"]: e["value"] for e in package.get("extras") or []}


def with_ownership(desired: dict) -> dict:
    """``desired`` with the extra ``smartcity_owned``: the tags and extra keys it sets (JSON,
    sorted), so that the next run knows which tags and extras are the pipeline's own."""
    extras = {k: v for k, v in _extras(desired).items() if k != OWNED_KEY}
    owned = json.dumps({"tags": _tag_names(desired), "extras": sorted(extras)}, ensure_ascii=False,
                       separators=(",", ":"))
    extras[OWNED_KEY] = owned
    return {**desired, "extras": [{"key": k, "value": v} for k, v in sorted(extras.items())]}


def owned_by_pipeline(package: dict) -> tuple[set[str], set[str]]:
    """The tag names and extra keys the pipeline wrote last time (from ``smartcity_owned``);
    empty for a dataset published before ownership was recorded, or edited beyond reading."""
    try:
        owned = json.loads(_extras(package).get(OWNED_KEY) or "{}")
        return set(owned.get("tags") or []), set(owned.get("extras") or [])
    except (ValueError, AttributeError, TypeError):
        return set(), set()


def merged_tags(existing: dict, desired: dict) -> list[str]:
    """The portal's tags minus those the pipeline owned and no longer wants, plus ``desired``'s."""
    was_ours, _ = owned_by_pipeline(existing)
    ours = set(_tag_names(desired))
    return sorted((set(_tag_names(existing)) - (was_ours - ours)) | ours)


def merged_extras(existing: dict, desired: dict) -> list[dict]:
    """The portal's extras minus those the pipeline owned and no longer sets, with
    ``desired``'s (ownership record included) written over them; sorted by key."""
    _, was_ours = owned_by_pipeline(existing)
    ours = _extras(with_ownership(desired))
    extras = {k: v for k, v in _extras(existing).items() if k not in was_ours - set(ours)}
    extras.update(ours)
    return [{"key": k, "value": v} for k, v in sorted(extras.items())]


def package_diff(existing: dict, desired: dict, org_id: str) -> dict:
    """The fields of ``desired`` that differ in ``existing``; tags and extras as their merge
    with what a curator added (``merged_tags``, ``merged_extras``): the whole merged list when
    it differs, since CKAN replaces a list it is given."""
    patch: dict = {}
    desired = with_ownership(desired)
    for key, value in desired.items():
        if key in ("tags", "tag_string"):
            tags = merged_tags(existing, desired)
            if tags != _tag_names(existing):
                patch[key] = [{"name": t} for t in tags] if key == "tags" else ",".join(tags)
        elif key == "extras":
            extras = merged_extras(existing, desired)
            if _extras(existing) != {e["key"]: e["value"] for e in extras}:
                patch[key] = extras
        elif key == "owner_org":
            if existing.get("owner_org") != org_id:
                patch[key] = org_id
        elif not _same(existing.get(key), value):
            patch[key] = value
    if existing.get("state") != "active":
        patch["state"] = "active"
    return patch


def resource_fields(upload: Upload) -> dict:
    """The resource fields we own for ``upload``."""
    return {
        "name": upload.name,
        "description": upload.description,
        "format": upload.fmt,
        "mimetype": upload.mimetype,
        "content_hash": f"sha256:{upload.sha256}",
    }


def resource_action(existing: dict | None, upload: Upload, data_changed: bool) -> str:
    """``create`` | ``upload`` | ``meta`` | ``unchanged`` for ``upload`` given the portal's
    resource of that name.  A derived file (Data Docs) describes a version of the data: it is
    re-sent with a new version of the data, not because a re-validation re-rendered it."""
    if existing is None:
        return "create"
    fields = resource_fields(upload)
    if existing.get("content_hash") != fields["content_hash"] and (not upload.derived or data_changed):
        return "upload"
    if any((existing.get(k) or "") != (v or "") for k, v in fields.items() if k != "content_hash"):
        return "meta"
    return "unchanged"


# ---------------------------------------------------------------------------- DataStore


def datastore_row(row: dict) -> dict:
    """A row as the DataStore holds it: lists as JSON text, exactly as in the CSV."""
    return {
        k: json.dumps(v, ensure_ascii=False, separators=(",", ":")) if isinstance(v, list) else v
        for k, v in row.items()
    }


def datastore_hash(table: TableSpec, rows: list[dict]) -> str:
    """A hash of what the DataStore table must hold: its fields (with dictionary) and rows."""
    digest = hashlib.sha256()
    digest.update(json.dumps(catalog.datastore_fields(table), ensure_ascii=False, sort_keys=True).encode())
    digest.update(json.dumps(table.primary_key).encode())
    for row in rows:
        digest.update(json.dumps(datastore_row(row), ensure_ascii=False, sort_keys=True).encode())
    return digest.hexdigest()


def canon(value: object, ds_type: str) -> object:
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


def stale_keys(existing: dict[str, dict], wanted: list[dict], key: str) -> list[str]:
    """Primary keys in the table that are no longer in the data, sorted."""
    return sorted(set(existing) - {str(r[key]) for r in wanted})


def rows_to_write(
    existing: dict[str, dict], wanted: list[dict], key: str, types: dict[str, str]
) -> list[dict]:
    """The rows of ``wanted`` that are new or differ from ``existing`` (by primary key)."""

    def differs(row: dict) -> bool:
        old = existing.get(str(row[key]))
        return old is None or any(canon(row[c], t) != canon(old.get(c), t) for c, t in types.items())

    return [r for r in wanted if differs(r)]
