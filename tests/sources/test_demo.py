import requests

from smartcity.sources.demo import SITE_ROOT, resolve


def test_soft_404_is_http_200(demo_server):
    _server, base = demo_server
    r = requests.get(base + "/thaigov/news/contents/details/1", timeout=5)
    assert r.status_code == 200
    assert "<title>รัฐบาลไทย-ข่าวทำเนียบรัฐบาล-</title>" in r.content.decode()
    assert requests.get(base + "/depa/th/article-view/nothing", timeout=5).status_code == 404


def test_etag_and_304(demo_server):
    server, base = demo_server
    first = requests.get(base + "/depa/th/article", timeout=5)
    assert first.status_code == 200 and first.headers["ETag"]
    again = requests.get(
        base + "/depa/th/article", headers={"If-None-Match": first.headers["ETag"]}, timeout=5
    )
    assert again.status_code == 304 and again.content == b""
    assert server.counts["/depa/th/article"] == 2


def test_query_selects_variant_file():
    assert (
        resolve("/thaigov/news/contents/index/999", "per_page=10").name == "999@per_page=10.html"
    )
    assert resolve("/sco/news/", "").name == "index.html"


def test_no_path_traversal():
    assert resolve("/../../settings.py", "") is None
    assert resolve("/%2e%2e/demo.py", "") is None
    assert (SITE_ROOT / "robots.txt").exists()


def test_cli_scrape_demo(tmp_path, capsys):
    import json

    from smartcity.sources.cli import main

    assert main(["--demo", "--port", "0", "--data-dir", str(tmp_path), "--parse"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["crawl"]["balanced"] and out["parse"]["articles"] == 12 and out["parse"]["quarantined"] == 2
