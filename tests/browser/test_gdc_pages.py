"""A REAL headless Chromium opens a dataset page on the GDC-like portal
(``scripts/ckan/up_gdc.sh``, Thai by default) and finds the catalogue fields under the Thai
labels of the project's GDC-like schema.  Screenshot: ``test-output/browser/gdc-dataset.png``."""

from __future__ import annotations

import pytest

from smartcity.publish.client import make_client
from smartcity.publish.publisher import publish_dataset
from tests.browser.test_ckan_pages import OUTPUT, browser
from tests.publish.gdc_portal import gdc_config, gdc_env
from tests.publish.publish_data import frames

__all__ = ["browser", "gdc_config", "gdc_env"]
pytestmark = pytest.mark.integration

THAI_LABELS = ("ประเภทชุดข้อมูล", "วัตถุประสงค์", "หน่วยความถี่ของการปรับปรุงข้อมูล",
               "ขอบเขตเชิงภูมิศาสตร์หรือเชิงพื้นที่", "แหล่งที่มา", "รูปแบบการเก็บข้อมูล",
               "หมวดหมู่ตามธรรมาภิบาลข้อมูล", "ปีข้อมูลที่เริ่มต้น",
               # what a data.go.th curator fills in: classification, dates, reference period, flags
               "ระดับชั้นข้อมูล", "วันที่เริ่มต้นสร้าง", "วันที่ปรับปรุงข้อมูลล่าสุด", "เวลาอ้างอิง", "สถิติทางการ")


def test_gdc_dataset_page_shows_the_thai_field_labels(browser, gdc_env, gdc_config, tmp_path):
    from selenium.webdriver.common.by import By

    with make_client(gdc_env["url"], gdc_env["token"]) as ckan:
        report = publish_dataset(ckan, "figures", frames()["figures"], out_dir=tmp_path, config=gdc_config)
    OUTPUT.mkdir(parents=True, exist_ok=True)
    browser.get(f"{gdc_env['url']}/dataset/{report.dataset}")
    table = browser.find_element(By.CSS_SELECTOR, "section.additional-info table")
    browser.execute_script("arguments[0].scrollIntoView();", table)
    text = table.text
    missing = [label for label in THAI_LABELS if label not in text]
    assert not missing, f"labels not on the page: {missing}"
    assert "ข้อมูลสถิติ" in text and "นโยบายรัฐบาล/ข้อสั่งการนายกรัฐมนตรี" in text
    assert "เปิดเผย" in text and "2022-01-15 to 2024-09-15" in text
    browser.save_screenshot(str(OUTPUT / "gdc-dataset.png"))
