"""``smartcity publish --run-dir D``: publish a run's datasets to CKAN.

The run directory holds one JSON Lines file per dataset (``articles.jsonl``, ``events.jsonl``,
``figures.jsonl``, ``registry.jsonl``, ``totals.jsonl``, plus ``checks.jsonl`` for the totals'
checks table) and optionally Great Expectations Data Docs under ``data_docs/<dataset>/``.
A ``.parquet`` or ``.csv`` file of the same stem is used when there is no ``.jsonl``.  Missing
datasets are skipped (and said so).  CKAN comes from ``CKAN_URL`` / ``CKAN_API_TOKEN`` (or the
token file, see ``client.client_from_env``); the token is never printed.  A run directory of the demo
snapshot (its ``crawl.json`` says so) publishes as demo data, and only to a CKAN on loopback unless
``SMARTCITY_ALLOW_DEMO_PUBLISH=1``.  Prints the JSON
reports; exits 0 on success, 1 on a publishing error, 2 on bad arguments.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from smartcity.publish import catalog

log = logging.getLogger(__name__)


def _find(run_dir: Path, stem: str) -> Path | None:
    for suffix in (".jsonl", ".parquet", ".csv"):
        path = run_dir / f"{stem}{suffix}"
        if path.is_file():
            return path
    return None


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="smartcity publish", description=__doc__.splitlines()[0])
    parser.add_argument("--run-dir", required=True, type=Path, help="directory with <dataset>.jsonl files")
    parser.add_argument("--out-dir", type=Path, help="where the upload files go (default RUN_DIR/publish)")
    parser.add_argument("--only", action="append", choices=sorted(catalog.DATASETS), help="publish only this")
    args = parser.parse_args(argv)

    from smartcity.pipeline import is_demo_run
    from smartcity.publish.catalog import CatalogConfig
    from smartcity.publish.client import MissingCredentials, client_from_env
    from smartcity.publish.publisher import PublishError, publish_dataset, read_records

    run_dir: Path = args.run_dir
    if not run_dir.is_dir():
        sys.stderr.write(f"smartcity publish: no such directory: {run_dir}\n")
        return 2
    out_dir = args.out_dir or run_dir / "publish"
    try:
        ckan = client_from_env()
    except MissingCredentials as exc:
        sys.stderr.write(f"smartcity publish: {exc}\n")
        return 2
    reports = []
    config = CatalogConfig.from_env().for_demo(is_demo_run(run_dir))
    with ckan:
        for key in args.only or list(catalog.DATASETS):
            spec = catalog.DATASETS[key]
            path = _find(run_dir, key)
            if path is None:
                log.warning("no %s.jsonl in %s: dataset %s skipped", key, run_dir, key)
                continue
            secondary = {}
            for table in spec.tables[1:]:
                table_path = _find(run_dir, table.name)
                if table_path is not None:
                    secondary[table.name] = read_records(table_path)
            docs = run_dir / "data_docs" / key
            extra = {"data_docs": docs} if (docs / "index.html").is_file() else None
            try:
                report = publish_dataset(
                    ckan, key, read_records(path), out_dir=out_dir, extra_resources=extra, tables=secondary,
                    config=config,
                )
            except PublishError as exc:
                sys.stderr.write(f"smartcity publish: {key}: {type(exc).__name__}: {exc}\n")
                return 1
            reports.append(report.as_dict())
            sys.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False) + "\n")
    log.info("published %d datasets", len(reports))
    return 0
