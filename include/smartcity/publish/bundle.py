"""The files of one dataset, written to disk before anything is sent: every table as CSV,
Parquet and a data-dictionary CSV, the totals chart, and extra resources (the Great
Expectations Data Docs directory, zipped as ``data_docs.zip``).  No CKAN here.

Resource names are the file names and never change between runs (so resource ids are stable):
``<table>.csv``, ``<table>.parquet``, ``<table>-data-dictionary.csv``, ``totals-chart.png``,
``method.md`` (how the data is made, the same for every dataset), ``data_docs.zip``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from smartcity.atomic import replacing
from smartcity.publish import catalog, chart, files
from smartcity.publish.catalog import DatasetSpec
from smartcity.publish.errors import PublishError, UploadTooLarge

DATA_DOCS = "data_docs"  # the extra-resource name of the Data Docs, for the DAG, the CLI and tests
RECORD_FILES = {".jsonl", ".csv", ".parquet"}


@dataclass(frozen=True)
class Upload:
    """A file to attach as the resource ``name``."""

    name: str
    path: Path
    fmt: str
    description: str
    mimetype: str
    derived: bool = False  # re-sent only when some data resource of the dataset changed
    table: str | None = None  # the table whose rows this CSV holds (DataStore tables load from it)

    @property
    def sha256(self) -> str:
        return files.sha256_file(self.path)


@dataclass
class Bundle:
    """The uploads of one dataset, in publishing order, and the normalised rows per table."""

    uploads: list[Upload]
    rows: dict[str, list[dict]]


def _rows(rows: list) -> str:
    """"12 rows. / 12 แถว" (one row, no rows said right)."""
    n = len(rows)
    return f"{n:,} {'row' if n == 1 else 'rows'}. / {n:,} แถว"


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


def split_extras(
    ds: DatasetSpec, frames: dict[str, pd.DataFrame], extra_resources: Mapping[str, Path] | None
) -> dict[str, Path]:
    """A secondary table given as a record file among the extras (the pipeline passes
    ``{"checks": <run>/checks.jsonl}`` for totals) is moved into ``frames``; returns the other
    extras."""
    extras = dict(extra_resources or {})
    for table in ds.tables[1:]:
        source = extras.get(table.name)
        if table.name not in frames and source is not None and Path(source).suffix in RECORD_FILES:
            frames[table.name] = read_records(Path(extras.pop(table.name)))
    return extras


def write_bundle(
    ds: DatasetSpec,
    frames: Mapping[str, pd.DataFrame],
    out_dir: Path,
    extra_resources: Mapping[str, Path] | None = None,
    method: str | None = None,
) -> Bundle:
    """Write the files of dataset ``ds`` under ``out_dir/<key>/``.

    ``frames``: table name -> frame (a missing secondary table is published empty).
    ``extra_resources``: resource name -> file or directory (a directory is zipped).
    ``method``: the method document (Markdown), attached as ``method.md`` when given.
    Raises ``errors.CellTooLong`` when a CSV cell is longer than a spreadsheet cell holds.
    """
    target = Path(out_dir) / ds.key
    uploads: list[Upload] = []
    rows_by_table: dict[str, list[dict]] = {}
    for table in ds.tables:
        frame = frames.get(table.name)
        if frame is None:
            frame = pd.DataFrame(columns=[f.name for f in catalog.data_dictionary(table.record_type)])
        rows = files.normalise(frame, table)
        rows_by_table[table.name] = rows
        title = table.title_en or table.name
        uploads += [
            Upload(
                f"{table.name}.csv",
                files.write_csv(rows, table, target / f"{table.name}.csv"),
                "CSV",
                "ไฟล์ CSV (UTF-8 มี BOM: เปิดด้วย Excel แล้วภาษาไทยแสดงครบ) /"
                f" {title}: CSV, UTF-8 with BOM (opens in Excel with Thai intact). {_rows(rows)}",
                "text/csv",
                table=table.name,
            ),
            Upload(
                f"{table.name}.parquet",
                files.write_parquet(rows, table, target / f"{table.name}.parquet"),
                "Parquet",
                f"ไฟล์ Apache Parquet ระบุชนิดข้อมูลทุกคอลัมน์ / {title}: Apache Parquet with a typed schema."
                f" {_rows(rows)}",
                "application/vnd.apache.parquet",
            ),
            Upload(
                f"{table.name}-data-dictionary.csv",
                files.write_dictionary_csv(table, target / f"{table.name}-data-dictionary.csv"),
                "CSV",
                "คำอธิบายข้อมูล (ชื่อคอลัมน์ ชนิดข้อมูล ชื่อภาษาไทย คำอธิบายภาษาอังกฤษ) /"
                f" {title}: data dictionary (field, type, Thai label, English description).",
                "text/csv",
            ),
        ]
    if ds.key == "totals":
        png, key = chart.write_totals_chart(rows_by_table["totals"], target / "totals-chart.png")
        uploads.append(
            Upload(
                "totals-chart.png", png, "PNG",
                "กราฟยอดรวมระดับประเทศที่กระทบยอดแล้วตามเวลา ตัวเลขข้างแต่ละจุดคือลำดับในรายการแหล่งที่มาใต้กราฟ"
                " วงแดง = แหล่งข้อมูลขัดแย้งกัน / "
                "Chart of the reconciled country-wide totals over time: counts of cities, promotion"
                " zones and provinces as step lines on the top panel, money in million baht on its"
                " own panel below (participants on a third when there are any); conflicts ringed in"
                " red. The number by each point is its entry in the source key under the chart:"
                # one Markdown paragraph per entry: CKAN joins lines that a single newline parts
                + "".join(f"\n\n{line}" for line in key or ["(no country-wide totals yet)"]),
                "image/png",
            )
        )
    if method is not None:
        path = target / "method.md"
        with replacing(path) as tmp:
            tmp.write_text(method, encoding="utf-8")
        uploads.append(Upload("method.md", path, "Markdown",
                              "วิธีจัดทำชุดข้อมูล: แหล่งที่มา กฎ ความเชื่อมั่น การตรวจสอบโดยผู้ดูแลข้อมูล"
                              " การตรวจคุณภาพ ข้อจำกัด การแจ้งข้อผิดพลาด และการอ้างอิง /"
                              " How these datasets are made: sources, rules, confidence and curator"
                              " review, quality checks, limits, how to report an error and how to cite.",
                              "text/markdown"))
    for name, source in sorted((extra_resources or {}).items()):
        source = Path(source)
        if source.is_dir():
            path = files.zip_directory(source, target / f"{name}.zip")
            uploads.append(
                Upload(
                    f"{name}.zip", path, "ZIP",
                    "Great Expectations Data Docs of the validation run that produced this data"
                    " (unzip and open index.html).",
                    "application/zip", derived=True,
                )
            )
        elif source.is_file():
            fmt = source.suffix.lstrip(".").upper() or "BIN"
            uploads.append(Upload(source.name, source, fmt, f"{name} ({source.name}).", "", derived=True))
        else:
            raise PublishError(f"extra resource {name!r}: {source} does not exist")
    return Bundle(uploads, rows_by_table)


def check_sizes(uploads: Iterable[Upload], limit: int) -> None:
    """Raise ``UploadTooLarge`` naming every file over ``limit`` bytes."""
    big = [(u.name, u.path.stat().st_size) for u in uploads if u.path.stat().st_size > limit]
    if big:
        listing = ", ".join(f"{n} ({s:,} bytes)" for n, s in big)
        raise UploadTooLarge(
            f"refusing to publish: over the {limit:,}-byte upload limit (SMARTCITY_CKAN_MAX_UPLOAD_MB,"
            f" CKAN's ckan.max_resource_size): {listing}. Nothing was written."
        )
