"""Demo data cannot pass for real: what a run on the bundled demo snapshot publishes says so in its
name, title, tags and notes, and it goes only to a CKAN on this machine unless a flag says
otherwise.

The unit tests need no CKAN (a recording stand-in that fails any call); the integration test
publishes demo data to the local CKAN and reads back what a visitor sees.
"""

from __future__ import annotations

import dataclasses
import json

import pytest

from smartcity import pipeline
from smartcity.publish import catalog, metadata
from smartcity.publish.catalog import CatalogConfig
from smartcity.publish.publisher import (
    ALLOW_DEMO_ENV,
    DemoRefused,
    is_loopback,
    publish_dataset,
    refuse_demo_off_loopback,
)
from tests.publish.publish_data import frames, variant

REMOTE = "https://data.example.go.th"


class NoCalls:
    """A CKAN client stand-in at ``address`` that records, and refuses, every call."""

    def __init__(self, address: str) -> None:
        self.address = address
        self.calls: list[str] = []

    def call_action(self, action, data=None, files=None):
        self.calls.append(action)
        raise AssertionError(f"no CKAN call may be made, got {action}")


def _config(**changes) -> CatalogConfig:
    return CatalogConfig.from_env().for_demo(**changes)


@pytest.mark.parametrize("key", sorted(catalog.DATASETS))
def test_demo_metadata_says_demo_in_name_title_tags_and_notes(key):
    ds, frame = catalog.DATASETS[key], frames()[key]
    demo = metadata.package_dict(ds, frame, _config())
    real = metadata.package_dict(ds, frame, _config(demo=False))
    assert demo["name"] == "demo-" + real["name"]
    assert demo["title"] == "[DEMO, invented data] " + real["title"]
    assert "demo" in {t["name"] for t in demo["tags"]} and "demo" not in {t["name"] for t in real["tags"]}
    assert "invented" in demo["notes"] and "ข้อมูลสาธิต" in demo["notes"]
    assert "DEMO" not in real["notes"] and "DEMO" not in real["title"]
    assert {"key": "demo_data", "value": "True"} in demo["extras"]


def test_a_prefix_that_already_says_demo_is_not_marked_twice():
    once = dataclasses.replace(_config(), prefix="demo-th")
    assert catalog.DATASETS["figures"].name(once) == "demo-th-figures"


@pytest.mark.parametrize("url", ["http://127.0.0.1:5000", "http://localhost:5001/", "http://[::1]:5000",
                                 "http://127.1.2.3"])
def test_loopback_portals_take_demo_data(url):
    assert is_loopback(url)
    refuse_demo_off_loopback(url, _config(), env={})


@pytest.mark.parametrize("url", [REMOTE, "http://10.0.0.5:5000", "http://127.0.0.1.example.org"])
def test_demo_data_to_another_machine_is_refused_before_any_call(url, tmp_path, monkeypatch):
    monkeypatch.delenv(ALLOW_DEMO_ENV, raising=False)
    client = NoCalls(url)
    with pytest.raises(DemoRefused, match=r"DEMO snapshot.*not this\s+machine.*SMARTCITY_ALLOW_DEMO_PUBLISH"):
        publish_dataset(client, "figures", frames()["figures"], out_dir=tmp_path, config=_config())
    assert client.calls == []
    refuse_demo_off_loopback(url, _config(demo=False), env={})  # real data: no guard


@pytest.mark.parametrize("value", ["1", "true", "YES"])
def test_the_explicit_flag_lets_demo_data_go_elsewhere(value):
    refuse_demo_off_loopback(REMOTE, _config(), env={ALLOW_DEMO_ENV: value})


@pytest.mark.parametrize("value", ["", "0", "no", "maybe"])
def test_anything_but_a_clear_yes_keeps_the_refusal(value):
    with pytest.raises(DemoRefused):
        refuse_demo_off_loopback(REMOTE, _config(), env={ALLOW_DEMO_ENV: value})


def test_a_demo_run_publishes_as_demo_and_is_refused_off_loopback(tmp_path, monkeypatch):
    """The pipeline knows a run read the demo from its crawl report, and its publish step says so."""
    monkeypatch.delenv(ALLOW_DEMO_ENV, raising=False)
    (tmp_path / "crawl.json").write_text(json.dumps({"configured_sources": ["depa"], "demo": True}))
    (tmp_path / "figures.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in frames()["figures"].to_dict("records")),
        encoding="utf-8")
    assert pipeline.is_demo_run(tmp_path)
    client = NoCalls(REMOTE)
    with pytest.raises(DemoRefused):
        pipeline.publish(tmp_path, "figures", client)
    assert client.calls == []
    (tmp_path / "crawl.json").write_text(json.dumps({"configured_sources": ["depa"], "demo": False}))
    assert not pipeline.is_demo_run(tmp_path)


def test_list_sources_and_crawl_summary_record_the_demo_choice(tmp_path):
    assert pipeline.list_sources(tmp_path, "demo")
    assert pipeline.is_demo_run(tmp_path)
    pipeline.crawl_summary(tmp_path)  # no source reported: they are listed as failed, demo kept
    assert pipeline.is_demo_run(tmp_path)


@pytest.mark.integration
def test_demo_data_on_the_local_ckan_is_named_titled_tagged_and_noted(ckan_client, ckan_env, publish_config,
                                                                     tmp_path):
    config = variant(publish_config, "demo").for_demo()
    report = publish_dataset(ckan_client, "registry", frames()["registry"], out_dir=tmp_path, config=config)
    package = ckan_client.action.package_show(id=report.dataset)
    assert package["name"] == f"demo-{config.prefix}-registry"
    assert package["title"].startswith("[DEMO, invented data] ")
    assert "demo" in {t["name"] for t in package["tags"]}
    assert package["notes"].startswith("**ชุดข้อมูลสาธิต (DEMO)**") and "invented" in package["notes"]
    assert {"method.md", "registry.csv"} <= {r["name"] for r in package["resources"]}


def test_the_publish_command_refuses_a_demo_run_directory_for_another_machine(tmp_path, monkeypatch, capsys):
    from smartcity.publish import cli

    monkeypatch.delenv(ALLOW_DEMO_ENV, raising=False)
    monkeypatch.setenv("CKAN_URL", REMOTE)
    monkeypatch.setenv("CKAN_API_TOKEN", "not-a-real-token")
    (tmp_path / "crawl.json").write_text(json.dumps({"configured_sources": ["depa"], "demo": True}))
    (tmp_path / "registry.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in frames()["registry"].to_dict("records")),
        encoding="utf-8")
    assert cli.main(["--run-dir", str(tmp_path), "--only", "registry"]) == 1
    assert "DemoRefused" in capsys.readouterr().err
