"""The files we upload: CSV (UTF-8 with BOM), Parquet, data dictionary, Data Docs zip.

The totals chart is drawn by :mod:`smartcity.publish.chart`.

Every writer is deterministic: the same rows give the same bytes, so the sha256 of a file is a
content hash the publisher can compare with the one stored on the CKAN resource.

CSV decisions
-------------
* UTF-8 with a BOM (Excel needs it to show Thai), ``\\r\\n`` line ends (RFC 4180), English
  snake_case headers = the record's column names.
* Formula injection: a *text* cell starting with ``=``, ``+``, ``-``, ``@``, tab or CR gets a
  leading apostrophe (the OWASP "CSV injection" advice), so Excel shows it as text.  Numeric
  columns are written from numbers and are never touched, so a real negative number stays
  numeric.  A text cell that is just a plain number (``-12``, ``-3.5``) is also left alone: it
  cannot run anything, and mangling it would change data.
* Lists (``sources``, ``values_seen``) are JSON text; missing values are empty cells; floats
  with no fractional part are written without ``.0`` (``76``, not ``76.0``).
* Rows are sorted by the primary key, so the order of the input does not change the bytes.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import hashlib
import io
import json
import logging
import math
import re
import zipfile
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from smartcity.atomic import replacing
from smartcity.publish.catalog import FieldSpec, TableSpec, data_dictionary
from smartcity.publish.errors import CellTooLong

log = logging.getLogger(__name__)

BOM = "\ufeff"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)  # fixed zip timestamps: same docs, same bytes
# Excel holds at most 32,767 characters in a cell (Microsoft's "Excel specifications and limits");
# a longer cell is cut or spills into the next rows, so a file over it is refused, not published.
MAX_CELL_CHARS = 32_767


class SchemaMismatch(ValueError):
    """A frame's columns do not match the record contract."""


def sha256_file(path: Path) -> str:
    """The hex sha256 of the file at ``path``."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def neutralise(text: str) -> str:
    """``text`` made safe for a spreadsheet cell: prefixed with ``'`` if it starts like a formula.

    ``neutralise("=1+1") == "'=1+1"``; ``neutralise("-5") == "-5"`` (a plain number).
    """
    if text.startswith(_FORMULA_START) and not _PLAIN_NUMBER.match(text):
        return "'" + text
    return text


def _missing(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    try:
        return bool(pd.isna(value)) if not isinstance(value, list | tuple | dict) else False
    except (TypeError, ValueError):
        return False


def _as_list(value: object) -> list | None:
    """A list cell from a list, tuple, numpy array or JSON text; None if missing."""
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        parsed = json.loads(text)
        if not isinstance(parsed, list):
            raise SchemaMismatch(f"expected a JSON list, got {text[:40]!r}")
        return parsed
    if hasattr(value, "tolist") and not isinstance(value, float | int):
        return list(value.tolist())
    if isinstance(value, list | tuple):
        return list(value)
    if _missing(value):
        return None
    raise SchemaMismatch(f"expected a list, got {type(value).__name__}")


def _number_text(value: float) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if math.isfinite(value) and value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return repr(float(value))


def normalise(frame: pd.DataFrame, table: TableSpec) -> list[dict]:
    """The rows of ``frame`` as plain Python dicts in contract column order, sorted by the
    primary key, with missing values as None and list columns as lists.

    Raises ``SchemaMismatch`` if ``frame`` has a column the record type does not declare
    (a silent extra column would be dropped from the published data).  Missing columns are
    allowed and published empty.
    """
    fields = data_dictionary(table.record_type)
    names = [f.name for f in fields]
    extra = [c for c in frame.columns if c not in names]
    if extra:
        contract = table.record_type.__name__
        raise SchemaMismatch(f"{table.name}: columns not in the {contract} contract: {extra}")
    # a column absent from the frame takes the record type's default (e.g. qualifier="exact")
    defaults = {
        f.name: f.default
        for f in dataclasses.fields(table.record_type)
        if f.default is not dataclasses.MISSING and f.name not in frame.columns
    }
    rows: list[dict] = []
    for raw in frame.to_dict(orient="records"):
        row: dict = {}
        for f in fields:
            value = raw.get(f.name, defaults.get(f.name))
            if f.is_list:
                row[f.name] = _as_list(value)
            elif _missing(value):
                row[f.name] = None
            elif f.type == "numeric":
                row[f.name] = float(value)
            elif f.type == "int":
                row[f.name] = int(value)
            elif f.type in {"date", "timestamp"} and isinstance(value, dt.date | pd.Timestamp):
                row[f.name] = value.isoformat()
            else:
                row[f.name] = str(value)
        rows.append(row)
    key = table.primary_key
    if key:
        rows.sort(key=lambda r: ("" if r[key] is None else str(r[key])))
    else:
        rows.sort(key=lambda r: json.dumps(r, ensure_ascii=False, sort_keys=True))
    return rows


def _csv_cell(value: object, field: FieldSpec) -> str:
    if value is None:
        return ""
    if field.is_list:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    if field.type in {"numeric", "int"}:
        return _number_text(value)  # type: ignore[arg-type]
    return neutralise(str(value))


def check_cells(cells: list[str], names: list[str], line: int, path: Path, key: str | None = None) -> None:
    """Raise ``CellTooLong`` if a cell of one CSV row is over ``MAX_CELL_CHARS`` characters (UTF-16
    code units, as Excel counts them), naming the file, the row (``line``: 1 is the header) and its
    key, and the column."""
    for name, cell in zip(names, cells, strict=True):
        if len(cell) > MAX_CELL_CHARS // 2 and len(cell.encode("utf-16-le")) // 2 > MAX_CELL_CHARS:
            where = f" ({key})" if key else ""
            raise CellTooLong(
                f"refusing to publish: {path.name}, row {line}{where}, column {name!r}: a cell of"
                f" {len(cell):,} characters, over the {MAX_CELL_CHARS:,} a spreadsheet cell holds."
                " Nothing was written."
            )


def write_csv(rows: list[dict], table: TableSpec, path: Path) -> Path:
    """Write normalised ``rows`` of ``table`` as CSV (UTF-8 with BOM, CRLF) to ``path``.

    Raises ``CellTooLong`` (before writing anything) when a cell is longer than a spreadsheet
    cell holds."""
    fields = data_dictionary(table.record_type)
    names = [f.name for f in fields]
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(names)
    for line, row in enumerate(rows, start=2):
        cells = [_csv_cell(row[f.name], f) for f in fields]
        key = f"{table.primary_key}={row.get(table.primary_key)}" if table.primary_key else None
        check_cells(cells, names, line, path, key)
        writer.writerow(cells)
    with replacing(path) as tmp:
        tmp.write_bytes((BOM + buf.getvalue()).encode("utf-8"))
    return path


_ARROW_TYPES = {
    "text": pa.string(),
    "numeric": pa.float64(),
    "int": pa.int64(),
    "date": pa.date32(),
    "timestamp": pa.timestamp("s", tz="UTC"),
}


def arrow_schema(table: TableSpec) -> pa.Schema:
    """The explicit Parquet schema of ``table``: typed columns, lists as list<...>, and each
    field's Thai label / English description in the field metadata."""
    out = []
    for f in data_dictionary(table.record_type):
        typ = pa.list_(_ARROW_TYPES["numeric" if f.item_type == "numeric" else "text"]) if f.is_list else (
            _ARROW_TYPES[f.type]
        )
        meta = {"label_th": f.label_th, "description_en": f.description_en}
        out.append(pa.field(f.name, typ, nullable=True, metadata=meta))
    return pa.schema(out)


def _arrow_value(value: object, field: FieldSpec) -> object:
    if value is None:
        return None
    if field.type == "date" and not field.is_list:
        try:
            return dt.date.fromisoformat(str(value)[:10])
        except ValueError:
            log.warning("%s: %r is not an ISO date; written as null in Parquet", field.name, value)
            return None
    if field.type == "timestamp" and not field.is_list:
        try:
            stamp = dt.datetime.fromisoformat(str(value))
        except ValueError:
            log.warning("%s: %r is not an ISO timestamp; written as null in Parquet", field.name, value)
            return None
        return stamp if stamp.tzinfo else stamp.replace(tzinfo=dt.UTC)
    return value


def write_parquet(rows: list[dict], table: TableSpec, path: Path) -> Path:
    """Write normalised ``rows`` of ``table`` as Parquet with ``arrow_schema(table)``."""
    schema = arrow_schema(table)
    fields = data_dictionary(table.record_type)
    arrays = {f.name: [_arrow_value(r[f.name], f) for r in rows] for f in fields}
    tbl = pa.table(arrays, schema=schema)
    # no pandas metadata, fixed writer options: same rows, same bytes
    with replacing(path) as tmp:
        pq.write_table(tbl, tmp, compression="zstd", write_statistics=True, store_schema=True)
    return path


def write_dictionary_csv(table: TableSpec, path: Path) -> Path:
    """Write the data dictionary of ``table`` as CSV (BOM): field, type, label_th, description_en."""
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(["field", "type", "label_th", "description_en", "primary_key"])
    for f in data_dictionary(table.record_type):
        typ = f"json_list<{f.item_type}>" if f.is_list else f.type
        is_key = str(f.name == table.primary_key).lower()
        writer.writerow([f.name, typ, f.label_th, neutralise(f.description_en), is_key])
    with replacing(path) as tmp:
        tmp.write_bytes((BOM + buf.getvalue()).encode("utf-8"))
    return path


def zip_directory(directory: Path, path: Path) -> Path:
    """Zip ``directory`` (e.g. Great Expectations Data Docs) into ``path`` deterministically:
    entries sorted, fixed timestamps and permissions."""
    directory = Path(directory)
    if not directory.is_dir():
        raise FileNotFoundError(f"not a directory: {directory}")
    with replacing(path) as tmp, zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for file in sorted(p for p in directory.rglob("*") if p.is_file()):
            info = zipfile.ZipInfo(file.relative_to(directory).as_posix(), date_time=_ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, file.read_bytes())
    return path
