"""Unit tests of the file writers: CSV as Excel reads it, Parquet schema, determinism."""

from __future__ import annotations

import csv
import io
import zipfile

import pandas as pd
import pyarrow.parquet as pq
import pytest

from smartcity.publish import catalog, files

FIGURES = catalog.DATASETS["figures"].main
TOTALS = catalog.DATASETS["totals"].main


def _figures() -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"metric": "smart_city_count", "value": 36.0, "unit": "count", "scope": "total",
             "qualifier": "exact", "region": None, "evidence": "รวมเป็น 36 เมือง", "start": 10, "end": 25,
             "figure_id": "f2", "source": "thaigov", "source_url": "http://127.0.0.1/a",
             "published": "2023-03-01"},
            {"metric": "amount_thb", "value": -2.5, "unit": "THB", "scope": None, "qualifier": "approx",
             "region": "ภาคเหนือ", "evidence": "=HYPERLINK(\"http://x\")", "start": 0, "end": 5,
             "figure_id": "f1", "source": "depa", "source_url": "http://127.0.0.1/b", "published": None},
        ]
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+66 2 123", "'+66 2 123"),
        ("-cmd|' /C calc'!A0", "'-cmd|' /C calc'!A0"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("-12", "-12"),
        ("-3.5", "-3.5"),
        ("เมืองอัจฉริยะ", "เมืองอัจฉริยะ"),
        ("a=b", "a=b"),
    ],
)
def test_neutralise(text, expected):
    assert files.neutralise(text) == expected


def test_csv_is_excel_ready(tmp_path):
    rows = files.normalise(_figures(), FIGURES)
    path = files.write_csv(rows, FIGURES, tmp_path / "figures.csv")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text, newline="")))
    header, first, second = table
    assert header == [f.name for f in catalog.data_dictionary(FIGURES.record_type)]
    assert all(h.isascii() and " " not in h for h in header)
    # sorted by primary key, whatever the input order
    assert first[header.index("figure_id")] == "f1"
    assert first[header.index("evidence")] == "'=HYPERLINK(\"http://x\")"
    assert first[header.index("value")] == "-2.5"  # a real negative number stays numeric
    assert second[header.index("value")] == "36"
    assert second[header.index("evidence")] == "รวมเป็น 36 เมือง"
    assert first[header.index("published")] == ""
    assert b"\r\n" in raw


def test_lists_are_json_text_in_csv_and_lists_in_parquet(tmp_path):
    frame = pd.DataFrame([{"metric": "smart_city_count", "region": None, "as_of": "2024-07-01",
                           "value": 30.0, "status": "conflict", "sources": ["http://a", "http://b"],
                           "values_seen": [30.0, 31.0], "total_id": "t1"}])
    rows = files.normalise(frame, TOTALS)
    assert rows[0]["qualifier"] == "exact"  # absent column takes the record default
    csv_text = files.write_csv(rows, TOTALS, tmp_path / "t.csv").read_text(encoding="utf-8-sig")
    assert '"[""http://a"",""http://b""]"' in csv_text
    table = pq.read_table(files.write_parquet(rows, TOTALS, tmp_path / "t.parquet"))
    assert table.column("values_seen").to_pylist() == [[30.0, 31.0]]
    assert str(table.schema.field("as_of").type) == "date32[day]"
    assert table.schema.field("value").metadata[b"label_th"].decode() == "ค่า"


def test_lists_given_as_json_text_are_read():
    frame = pd.DataFrame([{"metric": "m", "as_of": "2024-01-01", "value": 1, "status": "confirmed",
                           "sources": '["a"]', "values_seen": "[1]", "total_id": "t"}])
    assert files.normalise(frame, TOTALS)[0]["sources"] == ["a"]


def test_unknown_column_is_refused():
    with pytest.raises(files.SchemaMismatch, match="surprise"):
        files.normalise(pd.DataFrame([{"figure_id": "x", "surprise": 1}]), FIGURES)


def test_same_rows_same_bytes_whatever_the_order(tmp_path):
    frame = _figures()
    a = files.normalise(frame, FIGURES)
    b = files.normalise(frame.iloc[::-1], FIGURES)
    for writer, suffix in ((files.write_csv, "csv"), (files.write_parquet, "parquet")):
        pa_, pb = writer(a, FIGURES, tmp_path / f"a.{suffix}"), writer(b, FIGURES, tmp_path / f"b.{suffix}")
        assert files.sha256_file(pa_) == files.sha256_file(pb), suffix
    changed = frame.copy()
    changed.loc[0, "value"] = 37.0
    c = files.write_csv(files.normalise(changed, FIGURES), FIGURES, tmp_path / "c.csv")
    assert files.sha256_file(c) != files.sha256_file(tmp_path / "a.csv")


def test_dictionary_csv(tmp_path):
    path = files.write_dictionary_csv(TOTALS, tmp_path / "d.csv")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    assert [r["field"] for r in rows] == [f.name for f in catalog.data_dictionary(TOTALS.record_type)]
    by_field = {r["field"]: r for r in rows}
    assert by_field["total_id"]["primary_key"] == "true"
    assert by_field["sources"]["type"] == "json_list<text>"
    assert by_field["as_of"]["label_th"] == "ณ วันที่"


def test_zip_is_deterministic(tmp_path):
    docs = tmp_path / "docs"
    (docs / "validations").mkdir(parents=True)
    (docs / "index.html").write_text("<html>ok</html>", encoding="utf-8")
    (docs / "validations" / "a.html").write_text("<p>ก</p>", encoding="utf-8")
    one = files.zip_directory(docs, tmp_path / "one.zip")
    (docs / "index.html").touch()  # a new mtime must not change the bytes
    two = files.zip_directory(docs, tmp_path / "two.zip")
    assert files.sha256_file(one) == files.sha256_file(two)
    assert zipfile.ZipFile(one).namelist() == ["index.html", "validations/a.html"]
