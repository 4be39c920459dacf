"""What a visitor SEES, in a REAL headless Chromium, on both portals: the totals chart
(``totals-chart.png``, shown by CKAN's ``image_view``) and the DataStore preview of
``figures.csv`` (CKAN's ``datatables_view``, an iframe filled from the DataStore).

* the plain local CKAN (``ckan_env``, http://127.0.0.1:5000), DataStore loaded through the API;
* the GDC-like scheming CKAN (``gdc_env``, http://127.0.0.1:5001), DataStore loaded by xloader.

The chart is asserted as an image the browser actually decoded (natural size = the PNG we
uploaded), with ink on it, the line of certified smart cities and the red ring of the conflict,
next to its source key; the preview as a table with our rows, Thai values and Thai column
labels (the data dictionary).  Screenshots: ``test-output/browser/chart.png``,
``datastore-preview.png``, ``gdc-chart.png``, ``gdc-datastore-preview.png``.

The chart is the one the publisher attaches (``bundle.write_bundle``): only the ``totals``
dataset has one; the figures dataset has the DataStore table.
"""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from smartcity import records
from smartcity.publish import catalog
from smartcity.publish.client import make_client
from smartcity.publish.publisher import publish_dataset
from tests.browser.test_ckan_pages import OUTPUT, browser
from tests.publish.gdc_portal import gdc_config, gdc_env
from tests.publish.publish_data import frames, variant

__all__ = ["browser", "gdc_config", "gdc_env"]
pytestmark = pytest.mark.integration

# what a page must never show a visitor (checked on the visible text, case-insensitive)
PLACEHOLDERS = ("example.com", "todo", "lorem", "placeholder", "there is no description", "no description",
                "no data available", "there are no views", "ไม่มีคำอธิบาย", "ไม่มีข้อมูลในตาราง")
FIGURES_THAI = "ประกาศเมืองอัจฉริยะเพิ่มอีก 10 แห่ง"  # evidence of fig-0000 (tests/publish/publish_data.py)
REGION_THAI = "ภาคตะวันออกเฉียงเหนือ"
TOTALS_TITLE_TH = catalog.DATASETS["totals"].title_th
FIGURE_LABELS = [f.label_th for f in catalog.data_dictionary(records.Figure)]
WAIT_S = 30


# -------------------------------------------------------------------------- publishing


def _publish(env: dict, config, key: str, out: Path):
    data = frames()
    tables = {"checks": data["checks"]} if key == "totals" else None
    with make_client(env["url"], env["token"]) as ckan:
        return publish_dataset(ckan, key, data[key], out_dir=out, tables=tables, config=config)


@pytest.fixture(scope="module")
def plain(ckan_env, publish_config, tmp_path_factory):
    """totals and figures on the plain CKAN, under a throw-away prefix (purged by publish_config)."""
    config = variant(publish_config, "view")
    out = tmp_path_factory.mktemp("plain")
    return {key: (_publish(ckan_env, config, key, out), out / key) for key in ("totals", "figures")}


@pytest.fixture(scope="module")
def gdc(gdc_env, gdc_config, tmp_path_factory):
    """totals and figures on the GDC-like portal (purged by gdc_config)."""
    out = tmp_path_factory.mktemp("gdc")
    return {key: (_publish(gdc_env, gdc_config, key, out), out / key) for key in ("totals", "figures")}


# -------------------------------------------------------------------------- helpers


def _png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", head[16:24])


def _wait(driver, condition, what: str, timeout: float = WAIT_S):
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.support.ui import WebDriverWait

    try:
        return WebDriverWait(driver, timeout, poll_frequency=0.25).until(lambda d: condition(d))
    except TimeoutException:
        raise AssertionError(f"{what}: not seen within {timeout} s on {driver.current_url}") from None


def _visible_text(driver) -> str:
    from selenium.webdriver.common.by import By

    return driver.find_element(By.TAG_NAME, "body").text


def _no_placeholders(text: str, where: str) -> None:
    lowered = text.lower()
    found = [p for p in PLACEHOLDERS if p in lowered]
    assert not found, f"{where} shows {found}"


# what the browser drew of the chart, pixel by pixel (the PNG is same-origin: the canvas is readable)
_INK_JS = """
const img = arguments[0];
const c = document.createElement('canvas');
c.width = img.naturalWidth; c.height = img.naturalHeight;
const g = c.getContext('2d');
g.drawImage(img, 0, 0);
const d = g.getImageData(0, 0, c.width, c.height).data;
let ink = 0, blue = 0, red = 0;
for (let i = 0; i < d.length; i += 4) {
  const r = d[i], gr = d[i + 1], b = d[i + 2];
  if (r < 200 || gr < 200 || b < 200) ink++;
  if (Math.abs(r - 0x1f) < 30 && Math.abs(gr - 0x77) < 30 && Math.abs(b - 0xb4) < 30) blue++;
  if (r > 200 && gr < 60 && b < 60) red++;
}
return {width: c.width, height: c.height, pixels: c.width * c.height, ink: ink, blue: blue, red: red};
"""


def check_chart(driver, base: str, report, files: Path, shot: str) -> None:
    """Open the resource page of totals-chart.png; the chart must be there, decoded and drawn."""
    from selenium.webdriver.common.by import By

    driver.get(f"{base}/dataset/{report.dataset}/resource/{report.resource_ids['totals-chart.png']}")
    images = driver.find_elements(By.CSS_SELECTOR, ".resource-view img")
    assert images, "no image view on the chart's resource page: " + _visible_text(driver)[:2000]
    img = images[0]
    assert img.get_attribute("src").endswith("/totals-chart.png"), img.get_attribute("src")
    decoded = "return arguments[0].complete && arguments[0].naturalWidth > 0"
    _wait(driver, lambda d: d.execute_script(decoded, img), "the chart image decoded")
    width, height = _png_size(files / "totals-chart.png")
    drawn = driver.execute_script(_INK_JS, img)
    assert (drawn["width"], drawn["height"]) == (width, height), (drawn, width, height)
    assert 0.02 < drawn["ink"] / drawn["pixels"] < 0.6, f"a blank or black chart: {drawn}"
    assert drawn["blue"] > 200, f"no line of certified smart cities (#1f77b4) drawn: {drawn}"
    assert drawn["red"] > 50, f"no red ring round the conflicting total: {drawn}"
    box = "const r = arguments[0].getBoundingClientRect(); return [r.width, r.height];"
    shown = driver.execute_script(box, img)
    assert shown[0] > 300 and shown[1] > 200, f"the chart is shown at {shown} px"

    page = _visible_text(driver)
    assert "totals-chart.png" in page
    # the source key the chart's numbers refer to, in the resource description
    for said in ("[1]", "[2]", "as of 2022-06-01", "as of 2024-07-01", "conflict", "127.0.0.1:9/a/3"):
        assert said in page, f"the chart's page does not say {said!r}"
    # one entry of the key per line, not run together into one paragraph
    assert not [line for line in page.splitlines() if "[1]" in line and "[2]" in line], page
    assert TOTALS_TITLE_TH[:12] in page or TOTALS_TITLE_TH in driver.title, "no Thai dataset title"
    _no_placeholders(page, "the chart's resource page")
    driver.execute_script("arguments[0].scrollIntoView({block: 'start'});", img)
    driver.save_screenshot(str(OUTPUT / shot))


def check_preview(driver, env: dict, report, shot: str) -> None:
    """Open the resource page of figures.csv; its DataStore table must be previewed with our rows."""
    import ckanapi
    from selenium.webdriver.common.by import By

    base = env["url"].rstrip("/")
    with ckanapi.RemoteCKAN(base, apikey=env["token"]) as ckan:
        resource = ckan.action.resource_show(id=report.resource_ids["figures.csv"])
    assert resource.get("datastore_active") is True, resource
    driver.get(f"{base}/dataset/{report.dataset}/resource/{report.resource_ids['figures.csv']}")
    driver.save_screenshot(str(OUTPUT / shot))  # what is seen even when the checks below fail
    outer = _visible_text(driver)
    frames_ = driver.find_elements(By.CSS_SELECTOR, ".resource-view iframe")
    assert frames_, ("no DataStore preview (datatables_view) on figures.csv's page, although the resource is"
                     f" datastore_active; the page says: {outer[:1500]}")
    _no_placeholders(outer, "figures.csv's resource page")
    frame = frames_[0]
    assert "/view/" in frame.get_attribute("src"), frame.get_attribute("src")
    driver.switch_to.frame(frame)
    try:
        rows_css = "#dtprv tbody tr"
        _wait(driver, lambda d: [r for r in d.find_elements(By.CSS_SELECTOR, rows_css)
                                 if r.find_elements(By.CSS_SELECTOR, "td") and
                                 not r.find_elements(By.CSS_SELECTOR, "td.dataTables_empty")],
              "rows in the DataStore preview")
        rows = [r for r in driver.find_elements(By.CSS_SELECTOR, rows_css)
                if not r.find_elements(By.CSS_SELECTOR, "td.dataTables_empty")]
        table = driver.find_element(By.ID, "dtprv").text
        # DataTables scrolls sideways in a clone of the header: its first row holds the labels
        headers = driver.execute_script(
            "const th = document.querySelectorAll('.dataTables_scrollHead thead tr:first-child th,"
            " .dt-scroll-head thead tr:first-child th');"
            "return Array.from(th).filter(h => h.offsetHeight > 0).map(h => h.textContent.trim());")
        inner = _visible_text(driver)
        info = driver.execute_script("return window.jQuery ? jQuery('#dtprv').DataTable().page.info() : null")
    finally:
        driver.switch_to.default_content()
    assert len(rows) >= 10, f"{len(rows)} rows rendered"
    assert info and info["recordsTotal"] == report.rows == 12, info
    assert FIGURES_THAI in table and REGION_THAI in table, table[:2000]
    assert "fig-0000" in table and "smart_city_count" in table
    headers = [h.replace("\xa0", " ").strip() for h in headers]
    missing = [label for label in FIGURE_LABELS if label not in headers]
    assert not missing, f"column labels (data dictionary) not in the preview's header: {missing}; {headers}"
    assert FIGURE_LABELS[0] in inner, "the first column's Thai label is not visible"
    _no_placeholders(inner, "the DataStore preview")
    driver.execute_script("arguments[0].scrollIntoView({block: 'start'});", frame)
    driver.save_screenshot(str(OUTPUT / shot))


# -------------------------------------------------------------------------- tests


def test_chart_on_the_plain_portal(browser, plain, ckan_env):
    OUTPUT.mkdir(parents=True, exist_ok=True)
    report, files = plain["totals"]
    check_chart(browser, ckan_env["url"].rstrip("/"), report, files, "chart.png")


def test_datastore_preview_on_the_plain_portal(browser, plain, ckan_env):
    OUTPUT.mkdir(parents=True, exist_ok=True)
    report, _ = plain["figures"]
    assert report.datastore["figures"]["status"] == "loaded", report.datastore
    check_preview(browser, ckan_env, report, "datastore-preview.png")


def test_chart_on_the_gdc_portal(browser, gdc, gdc_env):
    OUTPUT.mkdir(parents=True, exist_ok=True)
    report, files = gdc["totals"]
    check_chart(browser, gdc_env["url"].rstrip("/"), report, files, "gdc-chart.png")


def test_datastore_preview_on_the_gdc_portal(browser, gdc, gdc_env):
    OUTPUT.mkdir(parents=True, exist_ok=True)
    report, _ = gdc["figures"]
    loaded = report.datastore["figures"]
    assert loaded["status"] == "loaded" and loaded["method"] == "xloader", report.datastore
    check_preview(browser, gdc_env, report, "gdc-datastore-preview.png")
