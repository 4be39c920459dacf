"""A REAL headless Chromium opens our dataset and organization pages on the local CKAN, finds
the resources and downloads the CSV.  Screenshots go to ``test-output/browser/``.

Needs ``/usr/bin/chromium`` and ``/usr/bin/chromedriver`` (``scripts/ensure_browser.sh``
installs them); without them the test fails and says so, it is not skipped.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from smartcity.publish.client import make_client
from smartcity.publish.publisher import publish_dataset
from tests.publish.publish_data import frames, variant

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]
OUTPUT = REPO / "test-output" / "browser"
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        pytest.fail("Chromium is missing: run scripts/ensure_browser.sh (apt: chromium chromium-driver)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    downloads = tmp_path_factory.mktemp("downloads")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--window-size=1280,1600", f"--user-data-dir={tmp_path_factory.mktemp('profile')}"):
        options.add_argument(flag)
    options.add_experimental_option(
        "prefs", {"download.default_directory": str(downloads), "download.prompt_for_download": False}
    )
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(60)
    # headless Chrome only saves downloads where it is told to through the DevTools protocol
    behaviour = {"behavior": "allow", "downloadPath": str(downloads)}
    driver.execute_cdp_cmd("Browser.setDownloadBehavior", behaviour)
    driver.downloads = downloads
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def dataset(ckan_env, publish_config, tmp_path_factory):
    config = variant(publish_config, "w")
    with make_client(ckan_env["url"], ckan_env["token"]) as ckan:
        report = publish_dataset(ckan, "figures", frames()["figures"],
                                 out_dir=tmp_path_factory.mktemp("out"), config=config)
    return config, report


def _wait_for_file(directory: Path, suffix: str, timeout: float = 30.0) -> Path:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done = [p for p in directory.iterdir() if p.name.endswith(suffix)]
        if done:
            return done[0]
        time.sleep(0.2)
    raise AssertionError(f"no *{suffix} downloaded into {directory}: {list(directory.iterdir())}")


def test_dataset_and_organization_pages_and_csv_download(browser, dataset, ckan_env):
    from selenium.webdriver.common.by import By

    config, report = dataset
    OUTPUT.mkdir(parents=True, exist_ok=True)
    base = ckan_env["url"].rstrip("/")

    browser.get(f"{base}/dataset/{report.dataset}")
    assert "ตัวเลขที่ระบุในข่าว" in browser.title or "ตัวเลขที่ระบุในข่าว" in browser.page_source
    items = browser.find_elements(By.CSS_SELECTOR, "li.resource-item")
    names = {item.find_element(By.CSS_SELECTOR, "a.heading").get_attribute("title") for item in items}
    assert {"figures.csv", "figures.parquet", "figures-data-dictionary.csv", "method.md"} <= names, names
    page = browser.find_element(By.TAG_NAME, "body").text  # what a visitor reads, not the markup
    for said in ("How sure", "curator", "Period covered", "Report an error", "แจ้งข้อผิดพลาด", "Cite as",
                 "Scope", "more_than"):
        assert said in page, f"the dataset page does not say {said!r}"
    browser.save_screenshot(str(OUTPUT / "dataset.png"))

    browser.get(f"{base}/organization/{config.organization}")
    assert report.dataset in browser.page_source
    page = browser.find_element(By.TAG_NAME, "body").text
    assert "ข้อมูลเปิดเกี่ยวกับโครงการเมืองอัจฉริยะ" in page and "no description" not in page.lower()
    browser.save_screenshot(str(OUTPUT / "organization.png"))

    browser.get(f"{base}/dataset/{report.dataset}/resource/{report.resource_ids['figures.csv']}")
    link = browser.find_element(By.CSS_SELECTOR, "a.resource-url-analytics")
    href = link.get_attribute("href")
    assert href.endswith("/figures.csv"), href
    browser.save_screenshot(str(OUTPUT / "resource.png"))
    link.click()
    downloaded = _wait_for_file(browser.downloads, "figures.csv")
    raw = downloaded.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8")
    assert "ประกาศเมืองอัจฉริยะเพิ่มอีก" in text
    assert "'=HYPERLINK(" in text
