"""The content-addressed stage cache: a hit writes what a full rebuild writes.

Real demo crawl, real parse/extract/reconcile, real GX: one full rebuild with the cache off, one
run that fills the cache, one that is served from it, compared byte for byte.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import time
from pathlib import Path

import pytest

from smartcity import pipeline, stage_cache
from smartcity.quality import DataQualityError

RUN_FILES = [
    pipeline.PAGES_FILE, pipeline.PAGE_EVENTS_FILE, pipeline.QUARANTINE_FILE, pipeline.CHECKS_FILE,
    *(name for name, _ in pipeline.DATASET_FILES.values()),
]
CACHED_STAGES = ("parse", "extract", "reconcile", "validate")


def _run(directory: Path, data_dir: Path) -> dict:
    """parse -> validate (every dataset) in ``directory``; the counts of each stage."""
    counts = {
        "parse": pipeline.parse(directory, data_dir=data_dir),
        "extract": pipeline.extract(directory),
        "reconcile": pipeline.reconcile(directory),
    }
    for dataset in pipeline.DATASETS:
        counts[f"validate_{dataset}"] = pipeline.validate(directory, dataset)
    return counts


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """(data_dir, {name: (run dir, counts, log text)}) for a full rebuild, a filling and a hit run."""
    data_dir = tmp_path_factory.mktemp("data")
    crawl_dir = pipeline.run_dir("crawl", data_dir)
    pipeline.crawl(crawl_dir, "demo", data_dir=data_dir)
    out = {}
    with pytest.MonkeyPatch.context() as mp:
        for name, switch in (("full", "0"), ("fill", "1"), ("hit", "1")):
            mp.setenv(stage_cache.ENABLE_ENV, switch)
            directory = pipeline.run_dir(name, data_dir)
            (directory / "crawl.json").write_bytes((crawl_dir / "crawl.json").read_bytes())
            handler = _Capture()
            logging.getLogger("smartcity").addHandler(handler)
            level = logging.getLogger("smartcity").level
            logging.getLogger("smartcity").setLevel(logging.INFO)
            try:
                if name == "fill":
                    assert not stage_cache.cache_root(data_dir).exists(), "the cache was off: nothing stored"
                counts = _run(directory, data_dir)
            finally:
                logging.getLogger("smartcity").removeHandler(handler)
                logging.getLogger("smartcity").setLevel(level)
            out[name] = (directory, counts, "\n".join(handler.lines))
    return data_dir, out


class _Capture(logging.Handler):
    def __init__(self):
        super().__init__(logging.INFO)
        self.lines: list[str] = []

    def emit(self, record):
        self.lines.append(f"{record.levelname} {record.getMessage()}")


def test_a_cache_hit_run_writes_byte_identical_datasets_and_the_same_counts(runs):
    _, out = runs
    full, fill, hit = out["full"], out["fill"], out["hit"]
    assert full[1] == fill[1] == hit[1]
    for name in RUN_FILES:
        reference = (full[0] / name).read_bytes()
        assert reference == (fill[0] / name).read_bytes() == (hit[0] / name).read_bytes(), name
    assert (full[0] / "figures.jsonl").stat().st_size > 0


def test_the_hit_run_recomputes_nothing_and_says_so(runs):
    _, out = runs
    hit_log, fill_log = out["hit"][2], out["fill"][2]
    for stage in ("parse", "extract", "reconcile", *(f"validate {d}" for d in pipeline.DATASETS)):
        assert f"INFO {stage}: " in hit_log and "stage cache hit" in hit_log, stage
    assert hit_log.count("stage cache hit") == 3 + len(pipeline.DATASETS)
    assert "stage cache hit" not in fill_log and "stored in the stage cache" in fill_log
    assert "validated " not in hit_log, "GX ran on a hit"
    # the warnings of the first run are logged again (quarantined pages here)
    assert [ln for ln in hit_log.splitlines() if ln.startswith("WARNING quarantined")] == [
        ln for ln in fill_log.splitlines() if ln.startswith("WARNING quarantined")] != []


def test_validation_on_a_hit_reuses_the_stored_report_and_data_docs(runs):
    _, out = runs
    full, fill, hit = out["full"][0], out["fill"][0], out["hit"][0]
    for dataset in pipeline.DATASETS:
        name = f"validation_{dataset}.json"
        reports = [json.loads((d / name).read_text(encoding="utf-8")) for d in (full, fill, hit)]
        for directory, report in zip((full, fill, hit), reports, strict=True):
            assert report["docs_index"] == str((directory / "data_docs" / dataset / "index.html").resolve())
            assert Path(report["docs_index"]).exists()
        same = [{k: v for k, v in r.items() if k != "docs_index"} for r in reports]
        assert same[0] == same[1] == same[2]
        # byte for byte what write_json writes for this run directory
        assert (hit / name).read_text(encoding="utf-8") == (fill / name).read_text(encoding="utf-8").replace(
            str(fill.resolve()), str(hit.resolve()))
        assert _tree(hit / "data_docs" / dataset) == _tree(fill / "data_docs" / dataset)


def test_entries_are_keyed_by_stage_and_complete(runs):
    data_dir, _ = runs
    root = stage_cache.cache_root(data_dir)
    entries = {stage: [p for p in (root / stage).iterdir() if not p.name.startswith(".")]
               for stage in CACHED_STAGES}
    assert {s: len(e) for s, e in entries.items()} == {
        "parse": 1, "extract": 1, "reconcile": 1, "validate": len(pipeline.DATASETS)}
    for stage_entries in entries.values():
        for entry in stage_entries:
            manifest = json.loads((entry / stage_cache.MANIFEST).read_text(encoding="utf-8"))
            for rel, info in manifest["files"].items():
                assert stage_cache.file_digest(entry / stage_cache.FILES / rel) == info["sha256"]
                if rel.startswith("validation_"):  # the stored report names no run directory
                    report = json.loads((entry / stage_cache.FILES / rel).read_text(encoding="utf-8"))
                    assert report["docs_index"] == f"data_docs/{report['dataset']}/index.html"


def test_changed_input_or_code_is_a_miss(runs, monkeypatch, caplog):
    data_dir, out = runs
    source = out["hit"][0]
    changed = pipeline.run_dir("changed", data_dir)
    pages = list(pipeline.read_jsonl(source / pipeline.PAGES_FILE))
    pages[0]["title"] = pages[0]["title"] + " (แก้ไข)"
    pipeline.write_jsonl(changed / pipeline.PAGES_FILE, pages)
    (changed / pipeline.PAGE_EVENTS_FILE).write_bytes((source / pipeline.PAGE_EVENTS_FILE).read_bytes())
    caplog.set_level(logging.INFO, logger="smartcity")
    pipeline.extract(changed)
    assert "stage cache hit" not in caplog.text
    assert json.loads((changed / "articles.jsonl").read_text(encoding="utf-8").splitlines()[0])["title"] \
        .endswith("(แก้ไข)") or pages[0]["url"] not in (changed / "articles.jsonl").read_text(encoding="utf-8")

    caplog.clear()
    monkeypatch.setattr(stage_cache, "code_version", lambda: "another version of the code")
    other = pipeline.run_dir("other-code", data_dir)
    for name in ("figures.jsonl", "registry.jsonl"):
        (other / name).write_bytes((source / name).read_bytes())
    pipeline.reconcile(other)
    assert "stage cache hit" not in caplog.text
    assert (other / "totals.jsonl").read_bytes() == (source / "totals.jsonl").read_bytes()


def test_parse_key_follows_the_crawl_state_it_reads_and_ignores_the_validators(runs):
    data_dir, out = runs
    sources = pipeline.configured_sources(out["hit"][0])
    before = stage_cache.parse_inputs(data_dir, sources)
    db = sqlite3.connect(data_dir / "state.sqlite3")
    try:
        saved = db.execute("SELECT url, etag, last_modified, status, attempts, lastmod, checked_at, "
                           "fetched_at FROM pages").fetchall()
        # what parse does not read: validators, and the last check of a page with archived bytes
        db.execute("UPDATE pages SET etag = 'W/\"x\"', last_modified = 'Mon, 01 Jan 2024 00:00:00 GMT', "
                   "status = 304, attempts = 0, lastmod = '2024-01-01', "
                   "checked_at = CASE WHEN archive_key IS NOT NULL AND fetched_at IS NOT NULL "
                   "THEN '2099-01-01T00:00:00' ELSE checked_at END")
        db.commit()
        assert stage_cache.parse_inputs(data_dir, sources) == before
        # ... and indeed does not change what parse writes (the cache off: a full parse)
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv(stage_cache.ENABLE_ENV, "0")
            again = pipeline.run_dir("validators-changed", data_dir)
            (again / "crawl.json").write_bytes((out["full"][0] / "crawl.json").read_bytes())
            pipeline.parse(again, data_dir=data_dir)
        for name in (pipeline.PAGES_FILE, pipeline.PAGE_EVENTS_FILE, pipeline.QUARANTINE_FILE):
            assert (again / name).read_bytes() == (out["full"][0] / name).read_bytes(), name
        # a page fetched again (same bytes, new fetch time) is a new key: fetched_at is published
        db.execute("UPDATE pages SET fetched_at = '2099-01-02T00:00:00' WHERE url = "
                   "(SELECT MIN(url) FROM pages WHERE archive_key IS NOT NULL AND kind = 'article')")
        db.commit()
        assert stage_cache.parse_inputs(data_dir, sources) != before
    finally:
        db.executemany("UPDATE pages SET etag = ?, last_modified = ?, status = ?, attempts = ?, lastmod = ?, "
                       "checked_at = ?, fetched_at = ? WHERE url = ?", [(*row[1:], row[0]) for row in saved])
        db.commit()
        db.close()
    assert stage_cache.parse_inputs(data_dir, sources) == before


def test_a_critical_failure_is_never_cached_and_raises_every_time(runs, tmp_path):
    _, out = runs
    broken = pipeline.run_dir("broken", tmp_path)
    figures = list(pipeline.read_jsonl(out["hit"][0] / "figures.jsonl"))
    figures[0]["metric"] = "tourist_count"  # not in the metric vocabulary
    pipeline.write_jsonl(broken / "figures.jsonl", figures)
    for _ in range(2):
        with pytest.raises(DataQualityError, match="expect_column_values_to_be_in_set"):
            pipeline.validate(broken, "figures")
    key = stage_cache.stage_key("validate", [broken / "figures.jsonl"], extra={"dataset": "figures"})
    assert not (stage_cache.cache_root(tmp_path) / "validate" / key).exists()


def test_a_damaged_entry_is_dropped_and_the_stage_runs(runs, caplog):
    data_dir, out = runs
    source = out["hit"][0]
    inputs = [source / "figures.jsonl", source / "registry.jsonl"]
    entry = stage_cache.cache_root(data_dir) / "reconcile" / stage_cache.stage_key("reconcile", inputs)
    stored = entry / stage_cache.FILES / "totals.jsonl"
    stored.write_bytes(stored.read_bytes().replace(b'"', b"'", 1))
    again = pipeline.run_dir("after-damage", data_dir)
    for name in ("figures.jsonl", "registry.jsonl"):
        (again / name).write_bytes((source / name).read_bytes())
    caplog.set_level(logging.INFO, logger="smartcity")
    pipeline.reconcile(again)
    assert "unusable" in caplog.text and "stage cache hit" not in caplog.text
    assert (again / "totals.jsonl").read_bytes() == (source / "totals.jsonl").read_bytes()
    assert stage_cache.file_digest(entry / stage_cache.FILES / "totals.jsonl") == stage_cache.file_digest(
        source / "totals.jsonl"), "stored again after the damaged entry was removed"


def test_a_failed_store_leaves_no_entry_and_no_temporary_folder(tmp_path, monkeypatch, caplog):
    directory = tmp_path / "runs" / "r"
    directory.mkdir(parents=True)
    for name in ("a.jsonl", "b.jsonl"):
        (directory / name).write_text('{"x": 1}\n', encoding="utf-8")
    cache = stage_cache.StageCache(tmp_path, "extract", "k" * 64)
    calls = []
    real = stage_cache._copy_hashing

    def failing(src, dst):
        calls.append(src)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real(src, dst)

    monkeypatch.setattr(stage_cache, "_copy_hashing", failing)
    cache.store(directory, stage_cache.Outputs(files=["a.jsonl", "b.jsonl"]), {"n": 1})
    assert "could not store" in caplog.text
    assert list((tmp_path / "cache" / "extract").iterdir()) == []
    monkeypatch.setattr(stage_cache, "_copy_hashing", real)
    assert cache.restore(directory, stage_cache.Outputs(files=["a.jsonl"])) is None


def test_the_switch_turns_the_cache_off(tmp_path, monkeypatch):
    monkeypatch.setenv(stage_cache.ENABLE_ENV, "0")
    assert not stage_cache.enabled()
    assert stage_cache.for_stage("extract", tmp_path, lambda: "k").key is None
    monkeypatch.setenv(stage_cache.ENABLE_ENV, "1")
    assert stage_cache.for_stage("extract", tmp_path, lambda: "k").key == "k"


def _entry(root: Path, stage: str, key: str, size: int, used: float) -> Path:
    entry = root / stage / key
    (entry / stage_cache.FILES).mkdir(parents=True)
    (entry / stage_cache.MANIFEST).write_text(json.dumps({"bytes": size, "files": {}, "counts": {},
                                                         "stored_at": used}), encoding="utf-8")
    os.utime(entry / stage_cache.MANIFEST, (used, used))
    return entry


def test_prune_by_age_then_by_size_least_recently_used_first(tmp_path, monkeypatch):
    now = time.time()
    root = stage_cache.cache_root(tmp_path)
    old = _entry(root, "parse", "old", 10, now - 40 * 86400)
    a = _entry(root, "parse", "a", 600_000, now - 300)
    b = _entry(root, "extract", "b", 600_000, now - 200)
    c = _entry(root, "validate", "c", 600_000, now - 100)
    stale = root / "parse" / ".tmp-dead-xyz"
    stale.mkdir()
    os.utime(stale, (now - 2 * stage_cache.STALE_TMP_S, now - 2 * stage_cache.STALE_TMP_S))
    monkeypatch.setenv(stage_cache.MAX_MB_ENV, "1.3")
    monkeypatch.setenv(stage_cache.MAX_AGE_ENV, "30")
    assert stage_cache.prune(tmp_path, keep=a, now=now) == 2
    assert not old.exists() and not stale.exists()
    assert a.exists() and not b.exists() and c.exists()  # a is kept (just stored); b was used least recently


def test_suite_parameters_are_upper_bounds_so_a_cached_pass_holds_later():
    """The run-time parameters (today_end, now_utc, event_horizon) grow with time; a cached pass
    stays a pass only if they are used as maximums, never as minimums."""
    for path in sorted(stage_cache._expectations_dir().glob("*.json")):
        for exp in json.loads(path.read_text(encoding="utf-8"))["expectations"]:
            for name, value in exp["kwargs"].items():
                if isinstance(value, dict) and "$PARAMETER" in value:
                    assert name == "max_value", f"{path.name}: {exp['type']} uses a parameter as {name}"


def test_inputs_changed_while_the_stage_ran_store_nothing(tmp_path, caplog):
    directory = tmp_path / "runs" / "r"
    directory.mkdir(parents=True)
    (directory / "out.jsonl").write_text('{"x": 1}\n', encoding="utf-8")
    keys = iter(["a" * 64, "b" * 64])
    cache = stage_cache.for_stage("extract", tmp_path, lambda: next(keys))
    cache.store(directory, stage_cache.Outputs(files=["out.jsonl"]), {"n": 1})
    assert "inputs changed while the stage ran" in caplog.text
    assert not (tmp_path / "cache" / "extract").exists()
