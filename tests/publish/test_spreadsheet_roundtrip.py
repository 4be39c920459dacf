"""Every CSV we publish opens in a real spreadsheet engine cell for cell, Thai included.

LibreOffice Calc (headless, Debian's ``libreoffice-calc-nogui``, installed by
``scripts/ensure_libreoffice.sh`` for ``make test``) imports each CSV the way a reader's
spreadsheet does (UTF-8, comma, quoted fields; every column as text, so nothing is reinterpreted)
and saves it as XLSX; the XLSX is read back from its XML and compared with what Python's ``csv``
reads from the same file: same rows, same columns, same text in every cell, and no cell longer than
Excel holds.  Files: those of every dataset written from the demo snapshot by the real stages, and
from rows written to be hard (Thai with combining marks, line breaks, quotes, formula-like text, a
cell of exactly the limit).  A cell over the limit is refused before anything is written.
"""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pandas as pd
import pytest

from smartcity import pipeline
from smartcity.publish import catalog, explain
from smartcity.publish.bundle import write_bundle
from smartcity.publish.catalog import CatalogConfig
from smartcity.publish.errors import CellTooLong
from smartcity.publish.files import MAX_CELL_CHARS
from tests.publish.gdc_portal import gdc_config, gdc_env
from tests.publish.publish_data import frames

__all__ = ["gdc_config", "gdc_env"]

_NS = {"x": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
_TEXT_COLUMNS = "/".join(f"{i}/2" for i in range(1, 61))  # columns 1..60 imported as text (format 2)
# CSV import options of LibreOffice: comma, double quote, UTF-8 (76), from line 1, column formats,
# English locale, quoted fields as text, no special-number detection
_CSV_FILTER = f"CSV:44,34,76,1,{_TEXT_COLUMNS},1033,true,false"


def _soffice() -> str:
    found = shutil.which("soffice")
    if not found:
        pytest.fail("LibreOffice is missing: run scripts/ensure_libreoffice.sh (apt: libreoffice-calc-nogui)")
    return found


def to_xlsx(csv_files: list[Path], out_dir: Path) -> dict[Path, Path]:
    """Convert ``csv_files`` to XLSX with LibreOffice Calc in one headless run; csv -> xlsx."""
    out_dir.mkdir(parents=True, exist_ok=True)
    profile = out_dir / "lo-profile"  # a profile of its own: no clash with another soffice
    result = subprocess.run(
        [_soffice(), f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
         f"--infilter={_CSV_FILTER}", "--convert-to", "xlsx", "--outdir", str(out_dir), *map(str, csv_files)],
        capture_output=True, text=True, timeout=300,
    )
    converted = {}
    for path in csv_files:
        target = out_dir / f"{path.stem}.xlsx"
        assert target.is_file(), f"LibreOffice did not convert {path}: {result.stdout}\n{result.stderr}"
        converted[path] = target
    return converted


def _column(ref: str) -> int:
    letters = re.match(r"[A-Z]+", ref).group()  # type: ignore[union-attr]
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number - 1


def read_xlsx(path: Path) -> list[list[str]]:
    """The first sheet of an XLSX as rows of text (shared, inline and formula strings, numbers);
    an absent cell is an empty string."""
    with zipfile.ZipFile(path) as book:
        shared = []
        if "xl/sharedStrings.xml" in book.namelist():
            for item in ElementTree.fromstring(book.read("xl/sharedStrings.xml")).findall("x:si", _NS):
                shared.append("".join(t.text or "" for t in item.iter(f"{{{_NS['x']}}}t")))
        sheet = ElementTree.fromstring(book.read("xl/worksheets/sheet1.xml"))
    rows: list[list[str]] = []
    for row in sheet.iter(f"{{{_NS['x']}}}row"):
        number = int(row.get("r")) - 1
        while len(rows) <= number:
            rows.append([])
        cells = rows[number]
        for cell in row.findall("x:c", _NS):
            kind, value = cell.get("t"), cell.find("x:v", _NS)
            if kind == "s":
                text = shared[int(value.text)]  # type: ignore[union-attr, arg-type]
            elif kind == "inlineStr":
                text = "".join(t.text or "" for t in cell.iter(f"{{{_NS['x']}}}t"))
            else:
                text = "" if value is None else value.text or ""
            column = _column(cell.get("r"))
            cells.extend([""] * (column + 1 - len(cells)))
            cells[column] = text
    return rows


def read_csv(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def assert_same_cells(csv_path: Path, xlsx_path: Path) -> int:
    """Compare a CSV with its XLSX cell for cell; returns the number of non-empty cells."""
    want, got = read_csv(csv_path), read_xlsx(xlsx_path)
    assert len(got) == len(want), f"{csv_path.name}: {len(want)} rows in the CSV, {len(got)} in the sheet"
    cells = 0
    for number, (expected, actual) in enumerate(zip(want, got, strict=True), start=1):
        actual = actual + [""] * (len(expected) - len(actual))
        assert len(actual) == len(expected), f"{csv_path.name} row {number}: extra columns {actual}"
        for column, (a, b) in enumerate(zip(expected, actual, strict=True)):
            assert a == b, f"{csv_path.name} row {number} column {want[0][column]}: {a[:80]!r} != {b[:80]!r}"
            assert len(b) <= MAX_CELL_CHARS, f"{csv_path.name} row {number}: {len(b):,} characters"
            cells += bool(a)
    return cells


def _hard_frames() -> dict[str, pd.DataFrame]:
    """The publishing tests' frames with rows written to be hard for a spreadsheet."""
    out = frames()
    articles = out["articles"]
    hard = dict(articles.iloc[0])
    hard.update(
        article_id="thaigov:hard", url="http://127.0.0.1:9/a/hard",
        title='ข่าว "เมืองอัจฉริยะ" ที่ 1, ครั้งที่ ๒ — ผู้ว่าฯ ย้ำ\u200bการรับรอง',
        passages="ก่อนหน้านี้ ดีป้า ประกาศรับรองเมืองอัจฉริยะ 36 เมือง\n\n=SUM(A1:A2) ไม่ใช่สูตร\n\n"
        + "เมืองอัจฉริยะ" * 10,
        passage_count=3,
    )
    limit = dict(hard, article_id="thaigov:limit", url="http://127.0.0.1:9/a/limit",
                 passages=("ก" * (MAX_CELL_CHARS - 1)) + "ข", passage_count=1)
    out["articles"] = pd.concat([articles, pd.DataFrame([hard, limit])], ignore_index=True)
    return out


def _bundle_csvs(data: dict[str, pd.DataFrame], out_dir: Path) -> list[Path]:
    config = CatalogConfig.from_env()
    paths = []
    for ds in catalog.DATASETS.values():
        present = {t.name: data[t.name] for t in ds.tables if t.name in data}
        bundle = write_bundle(ds, present, out_dir, None, explain.method_markdown(config))
        paths += [u.path for u in bundle.uploads if u.fmt == "CSV"]
    return paths


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory) -> Path:
    """The demo snapshot through the real stages, up to reconcile (no CKAN)."""
    data_dir = tmp_path_factory.mktemp("data")
    directory = pipeline.run_dir("spreadsheet", data_dir)
    pipeline.crawl(directory, "demo", data_dir=data_dir)
    pipeline.parse(directory, data_dir=data_dir)
    pipeline.extract(directory)
    pipeline.reconcile(directory)
    return directory


@pytest.mark.integration
def test_every_published_csv_round_trips_through_libreoffice(demo_run, tmp_path):
    data = {key: pipeline.load_frame(demo_run, key) for key in pipeline.DATASETS}
    data["checks"] = pd.DataFrame(list(pipeline.read_jsonl(demo_run / pipeline.CHECKS_FILE)))
    demo_csvs = _bundle_csvs(data, tmp_path / "demo")
    hard_csvs = _bundle_csvs(_hard_frames(), tmp_path / "hard")
    names = {p.name for p in demo_csvs}
    assert {"articles.csv", "figures.csv", "totals.csv", "checks.csv", "figures-data-dictionary.csv"} <= names
    converted = to_xlsx(demo_csvs, tmp_path / "xlsx-demo")
    converted.update(to_xlsx(hard_csvs, tmp_path / "xlsx-hard"))
    thai = 0
    for csv_path, xlsx_path in converted.items():
        assert assert_same_cells(csv_path, xlsx_path) > 0
        thai += any(re.search("[\u0e00-\u0e7f]", c) for row in read_xlsx(xlsx_path) for c in row)
    assert thai >= len(converted) // 2, "Thai text should reach the sheets"
    limit_row = next(r for r in read_xlsx(converted[tmp_path / "hard" / "articles" / "articles.csv"])
                     if r and r[0] == "thaigov:limit")
    assert max(map(len, limit_row)) == MAX_CELL_CHARS


def test_a_cell_over_the_limit_is_refused_naming_file_row_and_column(tmp_path):
    data = _hard_frames()
    articles = data["articles"]
    articles.loc[articles["article_id"] == "thaigov:limit", "passages"] = "ก" * (MAX_CELL_CHARS + 1)
    with pytest.raises(CellTooLong) as refused:
        write_bundle(catalog.DATASETS["articles"], {"articles": articles}, tmp_path)
    message = str(refused.value)
    # rows sorted by article_id: header, thaigov:0, thaigov:1, thaigov:2, thaigov:hard, thaigov:limit
    assert "articles.csv, row 6 (article_id=thaigov:limit), column 'passages'" in message
    assert f"{MAX_CELL_CHARS + 1:,} characters" in message
    assert not (tmp_path / "articles" / "articles.csv").exists(), "nothing is written"


def test_characters_outside_the_basic_plane_count_twice_as_excel_counts_them(tmp_path):
    articles = _hard_frames()["articles"]
    articles.loc[0, "passages"] = "\U0001f3d9" * (MAX_CELL_CHARS // 2 + 1)  # 16,384 emoji: 32,768 units
    with pytest.raises(CellTooLong, match="column 'passages'"):
        write_bundle(catalog.DATASETS["articles"], {"articles": articles}, tmp_path)


@pytest.mark.integration
@pytest.mark.parametrize("portal", ["plain", "gdc"])
def test_csvs_downloaded_from_each_portal_round_trip(portal, request, tmp_path):
    """What a reader downloads, from the plain CKAN and from the GDC-like one (whose xloader also
    reads these files): byte for byte the file we wrote, and cell for cell the same in the sheet."""
    import dataclasses

    import requests

    from smartcity.publish.client import make_client
    from smartcity.publish.publisher import publish_dataset, purge_published

    if portal == "plain":
        env, config = request.getfixturevalue("ckan_env"), request.getfixturevalue("publish_config")
    else:
        env, config = request.getfixturevalue("gdc_env"), request.getfixturevalue("gdc_config")
    config = dataclasses.replace(config, prefix=config.prefix + "xl")
    data = _hard_frames()
    downloads = []
    with make_client(env["url"], env["token"]) as ckan:
        try:
            for key in ("articles", "figures"):
                out = tmp_path / "out"
                report = publish_dataset(ckan, key, data[key], out_dir=out, config=config)
                for name in (f"{key}.csv", f"{key}-data-dictionary.csv"):
                    url = ckan.action.resource_show(id=report.resource_ids[name])["url"]
                    got = requests.get(url, timeout=60)
                    assert got.status_code == 200, (url, got.status_code)
                    written = next(out.rglob(name)).read_bytes()
                    assert got.content == written, f"{portal}: {name} downloaded differs from what we wrote"
                    target = tmp_path / "dl" / name
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(got.content)
                    downloads.append(target)
        finally:
            purge_published(ckan, config.prefix)
    converted = to_xlsx(downloads, tmp_path / "xlsx")
    for csv_path, xlsx_path in converted.items():
        assert assert_same_cells(csv_path, xlsx_path) > 0
    sheet = read_xlsx(converted[tmp_path / "dl" / "articles.csv"])
    assert any("เมืองอัจฉริยะ" in cell for row in sheet for cell in row)
    assert max(len(cell) for row in sheet for cell in row) == MAX_CELL_CHARS
