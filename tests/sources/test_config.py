import pytest

from smartcity.sources.config import ConfigError, SourceConfig, choose_sources, demo_sources, load_sources


def test_load_yaml(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(
        "sources:\n  - site: depa\n    name: depa-th\n    listings: [https://www.depa.or.th/th/article]\n"
        "    delay: 3\n  - site: thaigov\n    sitemaps: [https://www.thaigov.go.th/sitemap.xml]\n",
        encoding="utf-8",
    )
    depa, thaigov = load_sources(path)
    assert depa.name == "depa-th" and depa.enabled
    policy = depa.policy()
    assert policy.delay == 3 and policy.allowed_hosts == {"www.depa.or.th"}
    assert not policy.allow_private_hosts and policy.obey_robots
    assert not thaigov.enabled  # opt-in only


def test_no_default_configuration(monkeypatch):
    monkeypatch.delenv("SMARTCITY_SOURCES", raising=False)
    with pytest.raises(ConfigError, match=r"smartcity_sources.*SMARTCITY_SOURCES.*'demo'"):
        load_sources(None)
    with pytest.raises(ConfigError, match="no source configuration is set"):
        choose_sources(None, "", None)
    assert choose_sources(None, "demo", "/etc/other.yaml") == "demo"  # param, Variable, env: in order
    assert choose_sources("/x.yaml", "demo") == "/x.yaml"


def test_real_sites_are_polite_by_default(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text("- site: depa\n  listings: [https://www.depa.or.th/th/article]\n", encoding="utf-8")
    (depa,) = load_sources(path)
    assert depa.policy().delay >= 2 and depa.policy().obey_robots


def test_unknown_site_and_bad_keys(tmp_path):
    with pytest.raises(ConfigError, match="unknown site"):
        SourceConfig(site="nowhere")
    path = tmp_path / "bad.json"
    path.write_text('[{"site": "depa", "colour": "red"}]', encoding="utf-8")
    with pytest.raises(ConfigError, match="colour"):
        load_sources(path)


def test_demo_sources():
    sources = demo_sources("http://127.0.0.1:8765/")
    assert [s.site for s in sources] == ["thaigov", "depa", "smartcity_office"]
    assert all(s.enabled and s.delay == 0 and s.allow_private_hosts for s in sources)
    assert sources[0].listings == ["http://127.0.0.1:8765/thaigov/news/contents/index/999"]


def test_unset_sources_fail_the_crawl_stage_saying_how(monkeypatch, tmp_path):
    from smartcity import pipeline

    monkeypatch.delenv("SMARTCITY_SOURCES", raising=False)
    with pytest.raises(pipeline.StageError, match="smartcity_sources"):
        pipeline.crawl(pipeline.run_dir("r", tmp_path), None, data_dir=tmp_path)
    assert not (tmp_path / "archive").exists()


def test_parse_reads_only_the_sources_configured_now(tmp_path):
    import shutil
    from pathlib import Path

    from smartcity import pipeline

    corpus = Path(__file__).resolve().parents[1] / "fixtures" / "thaigov_corpus"
    shutil.copytree(corpus, tmp_path / "corpus")
    config = tmp_path / "sources.yaml"
    config.write_text("- site: thaigov_corpus\n  path: corpus\n", encoding="utf-8")
    data = tmp_path / "data"
    first = pipeline.run_dir("one", data)
    report = pipeline.crawl(first, str(config), data_dir=data)
    assert report["configured_sources"] == ["thaigov_corpus"] and report["read"] == 4
    assert pipeline.parse(first, data_dir=data)["pages"] == 3
    again = pipeline.run_dir("two", data)
    assert pipeline.crawl(again, str(config), data_dir=data)["read"] == 0
    config.write_text("- site: thaigov_corpus\n  name: other\n  path: corpus\n", encoding="utf-8")
    renamed = pipeline.run_dir("three", data)
    pipeline.crawl(renamed, str(config), data_dir=data)
    pipeline.parse(renamed, data_dir=data)
    pages = list(pipeline.read_jsonl(renamed / pipeline.PAGES_FILE))
    assert len(pages) == 3 and {a["source"] for a in pages} == {"other"}  # the removed source's are left out
