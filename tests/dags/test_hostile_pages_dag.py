"""One bad page never stops a run, through the real Airflow: hostile pages among the demo
snapshot's good ones in a real archive, then `airflow dags test smartcity_pipeline` publishing to
the real local CKAN.  The run is green, the good pages are published, the hostile ones are in the
run's quarantine with their reasons and archive keys, and the parse task's result counts them.

The hostile pages are put where the crawler puts pages (``Archive.put`` and a crawl-state row,
``kind=article``), before the run: the run's own crawl fetches the demo snapshot next to them.
Its own Airflow home, data directory and dataset prefix, as in tests/integration.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import uuid
from pathlib import Path

import ckanapi
import pytest
import requests

from tests.airflow_cli import airflow, run_succeeded

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]
DATASETS = ("articles", "events", "figures", "registry", "totals")
DEMO = f"http://127.0.0.1:{os.environ.get('SMARTCITY_DEMO_PORT', '8765')}"
# url -> (source, adapter key, raw bytes as archived)
HOSTILE = {
    # the fuzz find: a CDATA section first, a control character, no element
    f"{DEMO}/depa/th/article-view/hostile-cdata": (
        "depa", "depa", b'<![CDATA[<h1 class="entry-title">\x1e</h1><![CDATA['),
    f"{DEMO}/sco/news/hostile-cdata/": (
        "smartcity_office", "smartcity_office", b'<![CDATA[<h1 class="entry-title">\x1e</h1><![CDATA['),
    f"{DEMO}/sco/news/hostile-only-a-comment/": ("smartcity_office", "smartcity_office", b"<!-- -->"),
    f"{DEMO}/thaigov/news/contents/details/999999": ("thaigov", "thaigov", b"<?php ?>\x00\x01"),
    f"{DEMO}/depa/th/article-view/hostile-empty": ("depa", "depa", b""),
    f"{DEMO}/depa/th/article-view/hostile-no-adapter": ("depa", "no-such-site", b"<p>x</p>"),
}
CORRUPT = f"{DEMO}/depa/th/article-view/hostile-corrupt-gzip"  # archived file is not gzip


def _archive_hostile_pages(data_dir: Path) -> dict[str, str]:
    """Archive the hostile pages and their crawl-state rows; returns url -> archive key."""
    from smartcity.sources.state import PageState, open_archive, open_state

    archive = open_archive(data_dir)
    keys = {url: archive.put(content) for url, (_, _, content) in HOSTILE.items()}
    keys[CORRUPT] = archive.put(b"<p>about to be corrupted</p>")
    archive.path(keys[CORRUPT]).write_bytes(b"this file is not gzip")
    rows = [PageState(url=url, source=source, site=site, kind="article", status=200, archive_key=keys[url],
                      content_hash=keys[url].split("/")[1].split(".")[0],
                      fetched_at="2026-12-01T00:00:00+00:00", checked_at="2026-12-01T00:00:00+00:00")
            for url, (source, site, _) in HOSTILE.items()]
    rows.append(PageState(url=CORRUPT, source="depa", site="depa", kind="article", status=200,
                          archive_key=keys[CORRUPT], fetched_at="2026-12-01T00:00:00+00:00"))
    state = open_state(data_dir, dsn="")
    try:
        state.put_many(rows)
    finally:
        state.close()
    return keys


@pytest.fixture(scope="module")
def hostile_run(ckan_env, ckan_client, tmp_path_factory):
    home = tmp_path_factory.mktemp("airflow_home")
    data_dir = tmp_path_factory.mktemp("data")
    prefix = f"it-hostile-{uuid.uuid4().hex[:6]}"
    connection = {"conn_type": "http", "host": ckan_env["url"], "password": ckan_env["token"]}
    env = {
        **os.environ,
        "AIRFLOW_HOME": str(home),
        "SMARTCITY_DATA_DIR": str(data_dir),
        "SMARTCITY_DATASET_PREFIX": prefix,
        "SMARTCITY_SOURCES": "demo",
        "SMARTCITY_RETRY_DELAY": "1",
        "AIRFLOW_CONN_CKAN_DEFAULT": json.dumps(connection),
    }
    env.pop("SMARTCITY_STATE_DSN", None)  # the state store of this data directory (SQLite)
    keys = _archive_hostile_pages(data_dir)
    migrate = airflow(["db", "migrate"], env, home / "migrate.log")
    assert migrate.returncode == 0, migrate.stderr[-3000:]
    log = home / "dags-test.log"
    result = airflow(["dags", "test", "smartcity_pipeline"], env, log)
    prefix = f"demo-{prefix}"  # the demo snapshot's datasets are named demo-<prefix>-<key>
    yield result, log, data_dir, prefix, keys
    for key in DATASETS:
        try:  # cleanup of this module's datasets; one that was never created is fine
            ckan_client.action.dataset_purge(id=f"{prefix}-{key}")
        except ckanapi.NotFound:
            pass


def test_the_run_is_green(hostile_run):
    result, log, *_ = hostile_run
    assert run_succeeded(result), f"dags test failed, see {log}:\n{(result.stdout + result.stderr)[-4000:]}"


def test_hostile_pages_are_in_quarantine_with_their_reasons(hostile_run):
    _, _, data_dir, _, keys = hostile_run
    files = list(data_dir.glob("runs/*/quarantine.jsonl"))
    assert len(files) == 1, files
    rows = {r["url"]: r for r in map(json.loads, files[0].read_text(encoding="utf-8").splitlines())}
    for url in [*HOSTILE, CORRUPT]:
        assert url in rows, f"{url} is not in quarantine"
        assert rows[url]["stage"] == "parse" and rows[url]["archive_key"] == keys[url]
    reasons = {url: rows[url]["reason"] for url in [*HOSTILE, CORRUPT]}
    assert reasons[f"{DEMO}/depa/th/article-view/hostile-cdata"].startswith("ParseError: ")
    assert reasons[f"{DEMO}/sco/news/hostile-cdata/"].startswith("ParseError: ")
    assert reasons[f"{DEMO}/depa/th/article-view/hostile-no-adapter"].startswith("UnknownSite: ")
    assert reasons[CORRUPT].startswith("BadGzipFile: ")
    assert all(re.match(r"\w+: \S", reason) for reason in reasons.values()), reasons


def test_the_parse_result_counts_them_and_logs_each_once(hostile_run):
    result, *_ = hostile_run
    output = result.stdout + result.stderr
    summaries = re.findall(r"\] parse: (\{.*?\})(?: \[| *$)", output, flags=re.MULTILINE)
    assert summaries, "no 'parse: {...}' summary line in the run's log"
    counts = json.loads(summaries[-1])
    assert counts["quarantined_by"]["parse: ParseError"] >= 5
    assert counts["quarantined_by"]["parse: UnknownSite"] == 1
    assert counts["quarantined_by"]["parse: BadGzipFile"] == 1
    for url in [*HOSTILE, CORRUPT]:
        lines = {line for line in output.splitlines() if f"quarantined {url} at parse" in line}
        assert len(lines) == 1, (url, lines)


def test_the_good_pages_are_published(hostile_run, ckan_client):
    _, _, _, prefix, _ = hostile_run
    package = ckan_client.action.package_show(id=f"{prefix}-articles")
    assert package["state"] == "active"
    resource = next(r for r in package["resources"] if r["format"].upper() == "CSV")
    response = requests.get(resource["url"], timeout=30)
    response.raise_for_status()
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    published = {row["url"] for row in rows}
    assert published, "no article was published"
    assert all(url.startswith(f"{DEMO}/") for url in published)
    assert not published & {*HOSTILE, CORRUPT}
    for source in ("thaigov", "depa", "smartcity_office"):
        assert any(row["source"] == source for row in rows), f"nothing of {source} was published"
    for key in DATASETS:
        assert ckan_client.action.package_show(id=f"{prefix}-{key}")["state"] == "active"
