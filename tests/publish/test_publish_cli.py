"""``smartcity publish --run-dir`` and the pipeline's way of calling the publisher, against the
real local CKAN."""

from __future__ import annotations

import json

import pytest

from smartcity.publish import cli
from smartcity.publish.client import make_client
from smartcity.publish.publisher import publish_dataset
from tests.publish.publish_data import frames, variant

pytestmark = pytest.mark.integration


def _write_run(directory, data):
    directory.mkdir(parents=True, exist_ok=True)
    for key, frame in data.items():
        with (directory / f"{key}.jsonl").open("w", encoding="utf-8") as fh:
            for row in frame.to_dict(orient="records"):
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    docs = directory / "data_docs" / "figures"
    docs.mkdir(parents=True)
    (docs / "index.html").write_text("<html><body>ผลการตรวจสอบ</body></html>", encoding="utf-8")


def test_cli_publishes_a_run_directory(tmp_path, monkeypatch, capsys, ckan_env, ckan_client, publish_config):
    config = variant(publish_config, "cli")
    data = frames()
    del data["events"]  # a dataset missing from the run is skipped, not an error
    run = tmp_path / "run"
    _write_run(run, data)
    monkeypatch.setenv("CKAN_URL", ckan_env["url"])
    monkeypatch.setenv("CKAN_API_TOKEN", ckan_env["token"])
    monkeypatch.setenv("SMARTCITY_DATASET_PREFIX", config.prefix)
    monkeypatch.setenv("SMARTCITY_CKAN_ORG", config.organization)

    assert cli.main(["--run-dir", str(run)]) == 0
    out = capsys.readouterr()
    reports = [json.loads(line) for line in out.out.splitlines()]
    assert [r["dataset"] for r in reports] == [f"{config.prefix}-{k}" for k in
                                              ("articles", "figures", "registry", "totals")]
    assert ckan_env["token"] not in out.out + out.err
    figures = reports[1]
    assert "data_docs.zip" in figures["resources_created"]
    totals = ckan_client.action.package_show(id=f"{config.prefix}-totals")
    assert {"checks.csv", "checks.parquet"} <= {r["name"] for r in totals["resources"]}

    assert cli.main(["--run-dir", str(run)]) == 0
    again = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["write_calls"] for r in again] == [0, 0, 0, 0]


def test_cli_without_a_token_says_so(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("CKAN_API_TOKEN", raising=False)
    monkeypatch.setenv("CKAN_API_TOKEN_FILE", str(tmp_path / "absent"))
    assert cli.main(["--run-dir", str(tmp_path)]) == 2
    assert "CKAN_API_TOKEN" in capsys.readouterr().err


def test_checks_given_as_a_record_file_become_a_table(tmp_path, ckan_env, ckan_client, publish_config):
    """The pipeline passes ``extra_resources={"checks": <run>/checks.jsonl}`` for totals."""
    config = variant(publish_config, "pipe")
    data = frames()
    checks = tmp_path / "checks.jsonl"
    checks.write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in data["checks"].to_dict(orient="records")),
        encoding="utf-8",
    )
    with make_client(ckan_env["url"], ckan_env["token"]) as ckan:
        report = publish_dataset(ckan, "totals", data["totals"], out_dir=tmp_path / "out",
                                 extra_resources={"checks": checks}, config=config)
    assert "checks.csv" in report.resources_created
    resource = ckan_client.action.resource_show(id=report.resource_ids["checks.csv"])
    assert resource["format"] == "CSV"
