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
