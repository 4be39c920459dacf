"""What a visitor SEES, in a REAL headless Chromium, of the organization page and of each of the
five dataset pages (articles, events, figures, registry, totals), on both portals:

* the plain local CKAN (``ckan_env``, http://127.0.0.1:5000);
* the GDC-like scheming CKAN (``gdc_env``, http://127.0.0.1:5001, Thai user interface).

All five datasets are published once per portal (``publish_all``) under a throw-away prefix and
organization of their own (purged afterwards), with a contact address that is not a reserved
example domain: the notes say "Report an error: <contact>" (a mailto link) and the GDC page shows the
contact e-mail, so the test configs' ``tests@example.org`` would be on every page.

Asserted on the pages (visible text, not markup): the Thai and English titles; notes that are not
empty, in Thai and English, saying how the dataset is made, the period covered, how to report an
error and how to cite it; every paragraph of the notes shown, nothing of it swallowed by the
Markdown renderer; the resources ``<table>.csv`` and ``<table>-data-dictionary.csv`` of every
table; the organization's Thai and English description and its five datasets; no placeholder-like
text anywhere (``PLACEHOLDERS`` of ``test_chart_and_preview`` and the reserved example domains).

Screenshots (whole page) in ``test-output/browser/``: ``organization-all.png``,
``organization-about.png``, ``dataset-<key>.png``, ``gdc-organization.png``,
``gdc-organization-about.png``, ``gdc-dataset-<key>.png``.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from smartcity.publish import catalog, explain, metadata, portal
from smartcity.publish.calls import Calls
from smartcity.publish.catalog import CatalogConfig
from smartcity.publish.client import make_client
from smartcity.publish.publisher import PublishReport, publish_all, purge_published
from tests.browser.test_chart_and_preview import _no_placeholders, _visible_text
from tests.browser.test_ckan_pages import OUTPUT, browser
from tests.publish.gdc_portal import gdc_config, gdc_env
from tests.publish.publish_data import frames, variant

__all__ = ["browser", "gdc_config", "gdc_env"]
pytestmark = pytest.mark.integration

KEYS = tuple(catalog.DATASETS)  # articles, events, figures, registry, totals
# a contact that is no reserved example domain (RFC 2606) and reaches nobody (.test, RFC 6761)
CONTACT = "opendata@smartcity.test"
# reserved example domains beyond PLACEHOLDERS' "example.com": what a placeholder contact looks like
EXAMPLE_DOMAINS = ("example.org", "example.net", "@example.")
THAI = re.compile(r"[\u0e00-\u0e7f]")
MAX_SHOT_HEIGHT = 9000  # px: a whole dataset page, not an endless one


@dataclass
class Site:
    """One portal with the five datasets published on it."""

    label: str  # plain | gdc
    base: str
    token: str
    config: CatalogConfig  # as the publisher used it on this portal (its licence id)
    reports: dict[str, PublishReport]
    shot_prefix: str  # "" | "gdc-"

    def shot(self, name: str) -> Path:
        return OUTPUT / f"{self.shot_prefix}{name}.png"


def _publish_site(label: str, env: dict, config: CatalogConfig, out: Path,
                  shot_prefix: str) -> Iterator[Site]:
    import ckanapi

    try:
        with make_client(env["url"], env["token"]) as ckan:
            reports = publish_all(ckan, frames(), out_dir=out, config=config)
            shown = metadata.for_portal(config, portal.detect(Calls(ckan)))
        assert [r.dataset for r in reports] == [catalog.DATASETS[k].name(config) for k in KEYS], reports
        yield Site(label, env["url"].rstrip("/"), env["token"], shown, dict(zip(KEYS, reports, strict=True)),
                   shot_prefix)
    finally:
        with ckanapi.RemoteCKAN(env["url"], apikey=env["token"]) as ckan:
            purge_published(ckan, config.prefix, config.organization)


@pytest.fixture(scope="module")
def plain_site(ckan_env, publish_config, tmp_path_factory) -> Iterator[Site]:
    """The five datasets on the plain CKAN, in an organization of their own."""
    config = variant(publish_config, "pg", organization=f"{publish_config.organization}-pg",
                     maintainer_email=CONTACT)
    yield from _publish_site("plain", ckan_env, config, tmp_path_factory.mktemp("plain-pages"), "")


@pytest.fixture(scope="module")
def gdc_site(gdc_env, gdc_config, tmp_path_factory) -> Iterator[Site]:
    """The five datasets on the GDC-like portal, in an organization of their own."""
    config = dataclasses.replace(gdc_config, prefix=gdc_config.prefix + "pg",
                                 organization=f"{gdc_config.organization}-pg", maintainer_email=CONTACT)
    yield from _publish_site("gdc", gdc_env, config, tmp_path_factory.mktemp("gdc-pages"), "gdc-")


@pytest.fixture(scope="module", params=["plain", "gdc"])
def site(request) -> Site:
    return request.getfixturevalue(f"{request.param}_site")


# -------------------------------------------------------------------------- helpers


def _squash(text: str) -> str:
    """``text`` with every run of white space made one space (how lines wrap does not matter)."""
    return " ".join(text.split())


def _as_shown(markdown: str) -> str:
    """What a Markdown paragraph of ours reads as once rendered: no ``**``, backticks or ``*``."""
    text = re.sub(r"<(?:mailto:)?([^<>\s]+)>", r"\1", markdown)  # autolinks show their address
    text = re.sub(r"\*\*|`", "", text)
    text = re.sub(r"(?<![\w*])\*([^*\n]+)\*(?![\w*])", r"\1", text)
    return _squash(text)


def _clean(text: str, where: str) -> None:
    """No placeholder-like text: ``PLACEHOLDERS`` and the reserved example domains."""
    _no_placeholders(text, where)
    found = [d for d in EXAMPLE_DOMAINS if d in text.lower()]
    assert not found, f"{where} shows a reserved example domain {found}: a placeholder contact"


def _screenshot(driver, path: Path) -> None:
    """The whole page, not only the window: the window is made as tall as the page for the shot."""
    OUTPUT.mkdir(parents=True, exist_ok=True)
    size = driver.get_window_size()
    chrome = size["height"] - driver.execute_script("return window.innerHeight")
    height = driver.execute_script(
        "return Math.max(document.body.scrollHeight, document.documentElement.scrollHeight)")
    driver.set_window_size(size["width"], min(height + chrome, MAX_SHOT_HEIGHT))
    try:
        driver.execute_script("window.scrollTo(0, 0)")
        driver.save_screenshot(str(path))
    finally:
        driver.set_window_size(size["width"], size["height"])
    assert path.stat().st_size > 10_000, f"{path} is (nearly) empty"


def _open(driver, url: str) -> str:
    driver.get(url)
    text = _visible_text(driver)
    assert "404" not in driver.title and "not found" not in driver.title.lower(), f"{url}: {driver.title}"
    return text


def _coverage(key: str) -> tuple[str, str] | None:
    ds = catalog.DATASETS[key]
    return catalog.temporal_coverage(frames()[key], ds.date_columns)


def _notes_element(driver):
    from selenium.webdriver.common.by import By

    found = driver.find_elements(By.CSS_SELECTOR, ".notes.embedded-content, .notes")
    assert found, "no notes (description) block on the dataset page"
    return found[0]


# -------------------------------------------------------------------------- the organization


def test_organization_page_lists_the_five_datasets(browser, site):
    """The organization's own page: its title, the Thai start of its description, the five
    datasets by their Thai titles (links to their pages) and nothing else."""
    from selenium.webdriver.common.by import By

    config = site.config
    page = _open(browser, f"{site.base}/organization/{config.organization}")
    _screenshot(browser, site.shot("organization" if site.label == "gdc" else "organization-all"))
    assert config.organization_title in page
    lead = _squash(explain.ORGANIZATION_DESCRIPTION)[:60]
    assert lead in _squash(page), f"the organization's description does not start the page: {page[:1500]}"
    links = {a.get_attribute("href").rstrip("/").rsplit("/", 1)[-1]
             for a in browser.find_elements(By.CSS_SELECTOR, ".dataset-list .dataset-heading a")}
    names = {r.dataset for r in site.reports.values()}
    assert links == names, f"datasets listed: {sorted(links)}; published: {sorted(names)}"
    for key in KEYS:
        ds = catalog.DATASETS[key]
        assert ds.title_th in page, f"{key}: its Thai title {ds.title_th!r} is not in the list"
        assert _squash(ds.notes_th)[:40] in _squash(page), f"{key}: no Thai description in the list"
    assert re.search(r"\b5 datasets found|พบ\s*5\s*ชุดข้อมูล", page), "the page does not count five datasets"
    _clean(page, f"{site.label}: the organization page")


def test_organization_about_page_shows_thai_and_english_description(browser, site):
    """The organization's "about" page (where "read more" leads): the whole description, Thai and
    English, each paragraph as written."""
    config = site.config
    page = _open(browser, f"{site.base}/organization/about/{config.organization}")
    _screenshot(browser, site.shot("organization-about"))
    thai, english = explain.ORGANIZATION_DESCRIPTION.split("\n\n")
    assert _squash(thai) in _squash(page), f"Thai description not shown in full: {page[:2000]}"
    assert _squash(english) in _squash(page), f"English description not shown in full: {page[:2000]}"
    assert "ข้อมูลนี้ไม่ใช่สถิติทางการ" in page and "these are not official statistics" in page
    _clean(page, f"{site.label}: the organization's about page")


# -------------------------------------------------------------------------- the datasets


@pytest.mark.parametrize("key", KEYS)
def test_dataset_page(browser, site, key):
    """One dataset page: Thai and English title, a bilingual description that says how the data is
    made, the period covered, how to report an error and how to cite it; the CSV and data
    dictionary of each table among the resources; the contact; no placeholder."""
    from selenium.webdriver.common.by import By

    ds = catalog.DATASETS[key]
    config = site.config
    report = site.reports[key]
    page = _open(browser, f"{site.base}/dataset/{report.dataset}")
    _screenshot(browser, site.shot(f"dataset-{key}"))
    flat = _squash(page)

    # the title, Thai first
    heading = browser.find_element(By.CSS_SELECTOR, "article h1, .module-content h1").text
    assert ds.title_th in heading and ds.title_en in heading, heading
    assert ds.title_th in browser.title, browser.title

    # the description: not empty, Thai and English
    notes = _squash(_notes_element(browser).text)
    assert len(notes) > 600, f"{key}: the description is {len(notes)} characters: {notes!r}"
    assert len(THAI.findall(notes)) > 100, f"{key}: hardly any Thai in the description: {notes!r}"
    assert _squash(ds.notes_th) in notes and _squash(ds.notes_en) in notes, notes
    made_th, made_en = explain._MADE[key]
    assert _squash(made_th) in notes, f"{key}: how it is made (Thai) not said"
    assert _squash(made_en) in notes, f"{key}: how it is made (English) not said"
    if key in ("figures", "totals"):
        for said in ("Scope", "Qualifier", "How sure", "ความเชื่อมั่น", "curator"):
            assert said in notes, f"{key}: the description does not say {said!r}"
    # period covered
    coverage = _coverage(key)
    assert coverage, key
    assert f"Period covered / ช่วงเวลาของข้อมูล: {explain.period(coverage)}." in notes, notes
    assert "Updated daily / ปรับปรุงทุกวัน" in notes
    # report an error: to the contact, a link a reader can click, saying which row
    assert (f"Report an error / แจ้งข้อผิดพลาด: {CONTACT} (give the dataset name, the row's"
            f" {ds.main.primary_key} and what is wrong)") in notes, notes
    links = _notes_element(browser).find_elements(By.CSS_SELECTOR, f'a[href="mailto:{CONTACT}"]')
    assert [a.text for a in links] == [CONTACT], f"{key}: the contact is not a mailto link"
    # cite
    cite = re.search(r"Cite as / การอ้างอิง: (.+?)(?= Method:|$)", notes)
    assert cite, f"{key}: no citation in the description: {notes!r}"
    for part in (f"{config.organization_title} ({coverage[1][:4]})", ds.title_en,
                 f"[data set {report.dataset}]", "schema version", f"Licence {config.license_id}",
                 "Retrieved"):
        assert part in cite.group(1), f"{key}: the citation lacks {part!r}: {cite.group(1)!r}"
    assert "method.md" in notes and "data-dictionary" in notes

    # the resources: each table's CSV and its data dictionary, and the method
    items = browser.find_elements(By.CSS_SELECTOR, "li.resource-item")
    names = [item.find_element(By.CSS_SELECTOR, "a.heading").get_attribute("title") for item in items]
    wanted = [f"{t.name}{suffix}" for t in ds.tables for suffix in (".csv", "-data-dictionary.csv")]
    missing = [name for name in [*wanted, "method.md"] if name not in names]
    assert not missing, f"{key}: resources not listed: {missing}; listed: {names}"
    for item in items:
        said = item.text.strip()
        assert said and len(said.splitlines()) >= 2, f"{key}: a resource without a description: {said!r}"

    # the contact, by a real address (the plain CKAN links it from "Maintainer", GDC shows it)
    assert CONTACT in browser.page_source
    if site.label == "gdc":
        assert f"อีเมลผู้ติดต่อ {CONTACT}" in flat, "the GDC page does not show the contact e-mail"
    _clean(page, f"{site.label}: {key}'s dataset page")


def test_dataset_notes_are_shown_in_full(browser, site):
    """Every paragraph of each dataset's notes, as stored on the portal, is on its page word for
    word: nothing swallowed by the Markdown renderer (an HTML-like ``<...>`` is dropped)."""
    import ckanapi

    lost: dict[str, list[str]] = {}
    with ckanapi.RemoteCKAN(site.base, apikey=site.token) as ckan:
        for key in KEYS:
            ds = catalog.DATASETS[key]
            stored = ckan.action.package_show(id=site.reports[key].dataset)["notes"]
            assert stored == explain.notes(ds, site.config, _coverage(key)), f"{key}: unexpected notes"
            _open(browser, f"{site.base}/dataset/{site.reports[key].dataset}")
            shown = _squash(_notes_element(browser).text)
            for paragraph in stored.split("\n\n"):
                written = _as_shown(paragraph)
                if written not in shown:
                    at = shown.find(written[:20])
                    seen = shown[at:at + len(written)] if at >= 0 else "(nothing like it)"
                    lost.setdefault(key, []).append(f"written: {written!r}\n      shown: {seen!r}")
    assert not lost, f"{site.label}: paragraphs of the notes not shown as written:\n" + "\n".join(
        f"  {key}: {line}" for key, lines in lost.items() for line in lines)
