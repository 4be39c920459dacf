"""Benchmark: rows/s of our DataStore load, both ways the publisher loads, for N figure rows,
next to a raw PostgreSQL COPY of the same rows into a table of the same schema (same primary
key) in the same DataStore database:

* through the API (datastore_create + datastore_upsert in batches), on the plain local CKAN;
* by the portal's xloader (typed table prepared, CSV uploaded, xloader's COPY awaited: the
  publisher's path on an xloader portal), on the GDC-like CKAN (``scripts/ckan/up_gdc.sh``).

    .venv/bin/python bench/bench_datastore_load.py [--rows 100000] [--batch 5000] [--skip-xloader]

Needs the local CKAN (``scripts/ckan/up.sh``) and PostgreSQL on 127.0.0.1:5432 with trust auth
for ``postgres`` (the COPY side).  The DataStore database name is read from the local
``ckan.ini`` (``ckan.datastore.write_url``), default ``datastore_smartcity``.  Everything the
benchmark creates is dropped/purged at the end.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import io
import logging
import re
import sys
import tempfile
import time
import uuid
from pathlib import Path

import ckanapi
import psycopg2

from smartcity import settings
from smartcity.publish import catalog, datastore, files
from smartcity.publish.calls import Calls
from smartcity.publish.client import client_from_env, make_client
from smartcity.publish.datastore import load_via_api

_PG_TYPES = {"text": "text", "numeric": "numeric", "int": "integer", "date": "date", "timestamp": "timestamp"}


def figure_rows(n: int) -> list[dict]:
    """``n`` normalised figure rows (synthetic, deterministic)."""
    table = catalog.DATASETS["figures"].main
    import pandas as pd

    frame = pd.DataFrame([
        {"metric": "smart_city_count" if i % 2 else "amount_thb", "value": float(i % 1000) + 0.5,
         "unit": "count" if i % 2 else "THB", "scope": "total", "qualifier": "exact",
         "region": None if i % 3 else "ภาคเหนือ", "evidence": f"ประกาศเพิ่มอีก {i % 1000} แห่ง",
         "start": i % 900, "end": i % 900 + 20, "figure_id": f"fig-{i:08d}", "source": "thaigov",
         "source_url": f"http://127.0.0.1:9/a/{i // 10}", "published": f"20{20 + i % 6}-{1 + i % 12:02d}-15"}
        for i in range(n)
    ])
    return files.normalise(frame, table)


def datastore_db(home: str = "ckan") -> str:
    """The DataStore's write URL of the local CKAN (its owner's role and password, from
    ``ckan.ini``): a fresh PostgreSQL asks loopback clients for a password."""
    ini = settings.REPO_ROOT / ".local" / home / "ckan.ini"
    text = ini.read_text() if ini.is_file() else ""
    match = re.search(r"^ckan\.datastore\.write_url\s*=\s*(\S+)\s*$", text, re.M)
    if match is None:
        raise SystemExit(f"no ckan.datastore.write_url in {ini}: run make ckan-up first")
    return match.group(1)


def copy_load(rows: list[dict], dsn: str) -> float:
    """Seconds to CREATE TABLE (same columns, same primary key) + COPY ``rows`` + commit."""
    table = catalog.DATASETS["figures"].main
    fields = catalog.data_dictionary(table.record_type)
    name = f"bench_copy_{uuid.uuid4().hex[:8]}"
    cols = ", ".join(f'"{f.name}" {_PG_TYPES[f.type]}' for f in fields)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    for r in rows:
        writer.writerow(["" if r[f.name] is None else r[f.name] for f in fields])
    data = buf.getvalue()
    conn = psycopg2.connect(dsn)
    try:
        start = time.perf_counter()
        with conn.cursor() as cur:
            cur.execute(f'CREATE TABLE "{name}" ({cols}, PRIMARY KEY ("{table.primary_key}"))')
            cur.copy_expert(f'COPY "{name}" FROM STDIN WITH (FORMAT csv)', io.StringIO(data))
        conn.commit()
        elapsed = time.perf_counter() - start
        with conn.cursor() as cur:
            cur.execute(f'SELECT count(*) FROM "{name}"')
            assert cur.fetchone()[0] == len(rows)
            cur.execute(f'DROP TABLE "{name}"')
        conn.commit()
        return elapsed
    finally:
        conn.close()


def xloader_load(rows: list[dict], tmp: Path) -> float:
    """Seconds for the GDC-like portal's xloader to load ``rows`` as the publisher has it do:
    upload the CSV onto a resource whose typed table exists, then wait for the job."""
    table = catalog.DATASETS["figures"].main
    token = (settings.REPO_ROOT / ".local" / "ckan-gdc" / "api_token").read_text(encoding="utf-8").strip()
    tag = uuid.uuid4().hex[:6]
    csv_path = files.write_csv(rows, table, tmp / "figures-xloader.csv")
    with make_client("http://127.0.0.1:5001", token) as ckan:
        org = ckan.action.organization_create(name=f"benchx{tag}-org")
        package = ckan.action.package_create(
            name=f"benchx{tag}-figures", owner_org=org["id"], title="bench", notes="bench", maintainer="b",
            maintainer_email="b@example.org", tag_string="bench", data_type="ข้อมูลสถิติ",
            objective=["อื่นๆ"], update_frequency_unit="วัน", geo_coverage="ประเทศ", data_source="bench",
            data_format=["CSV"], data_category="ข้อมูลสาธารณะ", license_id="Creative Commons Attributions")
        try:
            call = Calls(ckan)
            new = {"package_id": package["id"], "url": "", "name": "figures.csv"}
            resource = call("resource_create", new)
            datastore.prepare_for_xloader(call, resource["id"], table)
            start = time.perf_counter()
            with open(csv_path, "rb") as fh:
                call("resource_patch", {"id": resource["id"], "url": "", "format": "CSV"},
                     files={"upload": ("figures.csv", fh)})
            datastore.wait_for_xloader(call, resource["id"], len(rows), previous_job=None, timeout=900)
            return time.perf_counter() - start
        finally:
            ckan.action.dataset_purge(id=package["id"])
            ckan.action.organization_purge(id=org["id"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=catalog.CatalogConfig.from_env().datastore_batch)
    parser.add_argument("--skip-xloader", action="store_true", help="no GDC-like portal: API and COPY only")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)

    rows = figure_rows(args.rows)
    table = catalog.DATASETS["figures"].main
    tag = uuid.uuid4().hex[:6]
    config = dataclasses.replace(catalog.CatalogConfig.from_env(), prefix=f"bench{tag}",
                                 organization=f"bench{tag}-org")
    with client_from_env() as ckan, tempfile.TemporaryDirectory() as tmp:
        org = ckan.action.organization_create(name=config.organization)
        package = ckan.action.package_create(name=f"{config.prefix}-figures", owner_org=org["id"])
        csv_path = files.write_csv(rows[:10], table, Path(tmp) / "figures.csv")
        with open(csv_path, "rb") as fh:
            data = {"package_id": package["id"], "name": "figures.csv"}
            resource = ckan.call_action("resource_create", data, files={"upload": ("figures.csv", fh)})
        try:
            call = Calls(ckan)
            start = time.perf_counter()
            counts = load_via_api(call, resource["id"], table, rows, batch=args.batch)
            api_s = time.perf_counter() - start
            total = ckan.action.datastore_search(resource_id=resource["id"], limit=0)["total"]
            assert total == len(rows), total
            start = time.perf_counter()
            mid = len(rows) // 2
            changed = [*rows[:mid], dict(rows[mid], value=-1.0), *rows[mid + 1 :]]
            upsert_s = time.perf_counter()
            forced = load_via_api(call, resource["id"], table, changed, batch=args.batch)
            upsert_s = time.perf_counter() - upsert_s
            start = time.perf_counter()
            again = load_via_api(call, resource["id"], table, rows, batch=args.batch)
            reload_s = time.perf_counter() - start
        finally:
            ckan.action.dataset_purge(id=package["id"])
            try:
                ckan.action.organization_purge(id=org["id"])
            except ckanapi.NotFound:
                pass
        xloader_s = None if args.skip_xloader else xloader_load(rows, Path(tmp))
    copy_s = copy_load(rows, datastore_db())
    n = len(rows)
    print(f"rows: {n:,}  batch: {args.batch}  batches: {counts['batches']}  method: {counts['method']}"
          f" (one datastore_create, one paged datastore_search, then the batches)")
    print(f"DataStore API load (datastore_create + datastore_upsert): {api_s:.2f} s"
          f" = {n / api_s:,.0f} rows/s")
    print(f"DataStore API re-load of the same rows (read + compare, {again['written']} written):"
          f" {reload_s:.2f} s = {n / reload_s:,.0f} rows/s")
    print(f"one changed row among {n:,}: {upsert_s:.2f} s"
          f" ({forced['written']} written by {forced['method']})")
    print(f"raw PostgreSQL COPY (CREATE TABLE + COPY + commit): {copy_s:.2f} s = {n / copy_s:,.0f} rows/s")
    print(f"ratio COPY / API: {api_s / copy_s:.1f}x faster; API = {copy_s / api_s:.3f}x COPY")
    if xloader_s is not None:
        print(f"xloader on the GDC-like portal (upload + xloader's COPY into the typed table, job"
              f" awaited): {xloader_s:.2f} s = {n / xloader_s:,.0f} rows/s = {copy_s / xloader_s:.3f}x COPY")
    return 0


if __name__ == "__main__":
    sys.exit(main())
