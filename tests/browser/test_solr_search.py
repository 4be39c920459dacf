"""A REAL headless Chromium searches the local CKAN (its core on the real Apache Solr 9) in Thai
and English, typing into the organization page's search box as a person would.
Screenshots go to ``test-output/browser/``.
"""

from __future__ import annotations

import pytest

from smartcity.publish.client import make_client
from smartcity.publish.publisher import publish_dataset
from tests.browser.test_ckan_pages import OUTPUT, browser
from tests.publish.publish_data import frames, variant

pytestmark = pytest.mark.integration
__all__ = ["browser"]  # the Chromium fixture


@pytest.fixture(scope="module")
def datasets(ckan_env, publish_config, tmp_path_factory):
    config = variant(publish_config, "q")
    out = tmp_path_factory.mktemp("out")
    with make_client(ckan_env["url"], ckan_env["token"]) as ckan:
        names = {key: publish_dataset(ckan, key, frames()[key], out_dir=out / key, config=config).dataset
                 for key in ("events", "figures")}
    return config, names


def _search(browser, base: str, organization: str, query: str) -> set[str]:
    """Type ``query`` into the organization page's search box; the dataset names listed."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(f"{base}/organization/{organization}")
    box = browser.find_element(By.CSS_SELECTOR, "#organization-datasets-search-form input[name=q]")
    box.clear()
    box.send_keys(query, Keys.ENTER)
    WebDriverWait(browser, 30).until(lambda b: "q=" in b.current_url)  # the results page
    links = browser.find_elements(By.CSS_SELECTOR, "li.dataset-item .dataset-heading a")
    return {link.get_attribute("href").rstrip("/").rsplit("/", 1)[-1] for link in links}


def test_search_in_thai_and_english_from_chromium(browser, datasets, ckan_env):
    config, names = datasets
    base = ckan_env["url"].rstrip("/")
    OUTPUT.mkdir(parents=True, exist_ok=True)

    def search(query: str) -> set[str]:
        # this module's datasets only: other test modules publish into the same organisation
        return {name for name in _search(browser, base, config.organization, query)
                if name.startswith(f"{config.prefix}-")}

    assert search("เมืองอัจฉริยะ") == set(names.values())
    assert "q=%E0%B9%80" in browser.current_url  # the Thai query went through the URL
    browser.save_screenshot(str(OUTPUT / "search-thai.png"))

    assert search("งานสัมมนา") == {names["events"]}
    assert search("budgets") == {names["figures"]}
    browser.save_screenshot(str(OUTPUT / "search-english.png"))

    assert search("อัจฉริยะ") == set()
