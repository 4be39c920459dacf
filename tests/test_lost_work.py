"""Lost work: a stage killed mid-write leaves no partial file, and a re-run converges.

* Unit: every file writer a stage uses (``pipeline.write_jsonl`` / ``write_json``, the publish files,
  the raw-page archive) goes through a temporary file and ``os.replace``: an error in the middle of
  a write leaves the old file (or none) and no temporary file.
* End to end: a real ``smartcity pipeline --no-publish`` on the demo snapshot is SIGKILLed several
  times at random points of crawl, parse and extract; after every kill each file under its final name
  is complete (JSON Lines end with a newline and every line parses, archived pages decompress);
  a re-run then gives the same datasets as an undisturbed run in a fresh data directory.
"""

from __future__ import annotations

import gzip
import json
import os
import random
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from smartcity import pipeline
from smartcity.publish import catalog, files
from smartcity.sources.state import Archive

ROOT = Path(__file__).resolve().parents[1]
SMARTCITY = Path(sys.executable).with_name("smartcity")
RUN = "killed"
KILLS = 4
# Fields that say when something was fetched or checked: they differ between any two runs.
WHEN = {"fetched_at", "checked_at", "at"}


class Boom(RuntimeError):
    pass


def _rows_then_boom(n: int):
    for i in range(n):
        yield {"i": i, "text": "เมืองอัจฉริยะ" * 50}
    raise Boom("killed mid-write")


def _no_tmp(folder: Path) -> list[str]:
    return [p.name for p in folder.rglob("*.tmp")]


def test_write_jsonl_interrupted_keeps_the_old_file(tmp_path):
    path = tmp_path / "figures.jsonl"
    pipeline.write_jsonl(path, [{"a": 1}])
    with pytest.raises(Boom):
        pipeline.write_jsonl(path, _rows_then_boom(10_000))
    assert path.read_text(encoding="utf-8") == '{"a": 1}\n'
    assert _no_tmp(tmp_path) == []
    with pytest.raises(Boom):
        pipeline.write_jsonl(tmp_path / "new.jsonl", _rows_then_boom(10))
    assert not (tmp_path / "new.jsonl").exists()


def test_write_json_is_atomic(tmp_path):
    path = pipeline.write_json(tmp_path / "validation_figures.json", {"success": True})
    assert json.loads(path.read_text(encoding="utf-8")) == {"success": True}
    circular: dict = {}
    circular["self"] = circular
    with pytest.raises(ValueError, match="Circular"):
        pipeline.write_json(path, circular)
    assert json.loads(path.read_text(encoding="utf-8")) == {"success": True}
    assert _no_tmp(tmp_path) == []


def test_publish_files_interrupted_keep_the_old_file(tmp_path, monkeypatch):
    table = catalog.DATASETS["figures"].main
    rows = files.normalise(pd.DataFrame([{"figure_id": "f1", "evidence": "36 เมือง", "value": 36.0}]), table)
    csv_path = files.write_csv(rows, table, tmp_path / "figures.csv")
    parquet_path = files.write_parquet(rows, table, tmp_path / "figures.parquet")
    before = csv_path.read_bytes(), parquet_path.read_bytes()
    assert oct(csv_path.stat().st_mode & 0o777) == "0o644"

    def boom(*args, **kwargs):
        raise Boom("killed mid-write")

    monkeypatch.setattr(files.pq, "write_table", boom)
    with pytest.raises(Boom):
        files.write_parquet(rows, table, parquet_path)
    monkeypatch.setattr(files, "_csv_cell", boom)
    with pytest.raises(Boom):
        files.write_csv(rows, table, csv_path)
    assert (csv_path.read_bytes(), parquet_path.read_bytes()) == before
    assert _no_tmp(tmp_path) == []


def test_archive_put_is_atomic(tmp_path):
    archive = Archive(tmp_path)
    key = archive.put(b"<html>page</html>")
    assert archive.get(key) == b"<html>page</html>"
    assert _no_tmp(tmp_path) == []


# --------------------------------------------------------------------------- end to end


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(data_dir: Path, port: int, log) -> subprocess.Popen:
    env = {**os.environ, "SMARTCITY_DATA_DIR": str(data_dir), "SMARTCITY_DEMO_PORT": str(port)}
    return subprocess.Popen(
        [str(SMARTCITY), "pipeline", "--no-publish", "--sources", "demo", "--run", RUN],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log, text=True,
        start_new_session=True,  # its own process group: the kill reaches every child
    )


def _run_to_end(data_dir: Path, port: int) -> None:
    log = data_dir.parent / f"{data_dir.name}-final.log"
    with log.open("w") as out:
        proc = _start(data_dir, port, out)
        proc.wait(timeout=600)
    assert proc.returncode == 0, log.read_text()[-3000:]


def _assert_complete(data_dir: Path) -> None:
    """Every file under its final name is complete; temporary files are the only leftovers."""
    run = data_dir / "runs" / RUN
    for path in run.glob("*.jsonl") if run.exists() else []:
        text = path.read_text(encoding="utf-8")
        assert text == "" or text.endswith("\n"), f"{path.name} is cut short"
        for line in text.splitlines():
            json.loads(line)
    for path in run.glob("*.json") if run.exists() else []:
        json.loads(path.read_text(encoding="utf-8"))
    for path in (data_dir / "archive").rglob("*.gz"):
        gzip.decompress(path.read_bytes())


def _datasets(data_dir: Path) -> dict[str, list[dict]]:
    run = data_dir / "runs" / RUN
    out = {}
    names = [f for f, _ in pipeline.DATASET_FILES.values()]
    for name in [*names, pipeline.CHECKS_FILE, pipeline.QUARANTINE_FILE]:
        rows = [{k: v for k, v in row.items() if k not in WHEN} for row in pipeline.read_jsonl(run / name)]
        out[name] = sorted(rows, key=lambda r: json.dumps(r, sort_keys=True, ensure_ascii=False))
    return out


def _reference(data_dir: Path, port: int) -> tuple[dict, float]:
    """An undisturbed run: its datasets and when (seconds from start) its extract stage had ended."""
    proc = _start(data_dir, port, subprocess.PIPE)
    started = time.monotonic()
    extract_done = None
    lines = []
    assert proc.stderr is not None
    for line in proc.stderr:  # read as it comes: the time of the extract line is the kill window
        lines.append(line)
        if extract_done is None and "smartcity.pipeline: extract:" in line:
            extract_done = time.monotonic() - started
    proc.wait(timeout=600)
    assert proc.returncode == 0, "".join(lines)[-3000:]
    assert extract_done is not None, "no extract line in the reference run's log"
    return _datasets(data_dir), extract_done


def test_sigkill_mid_run_then_rerun_converges(tmp_path):
    port = _free_port()
    expected, extract_done = _reference(tmp_path / "reference", port)
    assert expected["figures.jsonl"], "the demo run extracted no figure"

    data_dir = tmp_path / "killed"
    rnd = random.Random(14)
    killed_at = []
    for i in range(KILLS):
        with (tmp_path / f"kill-{i}.log").open("w") as log:
            proc = _start(data_dir, port, log)
            # a random point between start-up and the end of extract (crawl, parse, extract)
            delay = rnd.uniform(0.3, extract_done)
            try:
                proc.wait(timeout=delay)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
                killed_at.append(round(delay, 1))
        _assert_complete(data_dir)
    assert killed_at, "every run finished before its kill point"

    _run_to_end(data_dir, port)
    _assert_complete(data_dir)
    assert _datasets(data_dir) == expected, f"re-run after kills at {killed_at} s differs"
