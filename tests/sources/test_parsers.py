"""Parser tests over the saved pages of each site (the demo snapshot is the saved-page set)."""

from datetime import date
from pathlib import Path

import pytest

from smartcity.sources import depa, smartcity_office, thaigov
from smartcity.sources.base import ParseError
from smartcity.sources.demo import SITE_ROOT


def page(rel: str) -> bytes:
    return (SITE_ROOT / rel).read_bytes()


URL = "https://example.test"


FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "thaigov"
TG = "https://www.thaigov.go.th"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


class TestThaigovMarkup:
    """Pages in the real markup (as observed until 2025) with our own text, one of each layout."""

    a = thaigov.ADAPTER

    def test_both_dates_headline_lead_body_category(self):
        p = self.a.parse(fixture("details_both_dates.html"), TG + "/news/contents/details/70001")
        assert p.title == "ทดสอบ: เปิดศูนย์ข้อมูลเมืองตัวอย่างแห่งใหม่"
        assert p.published == date(2023, 4, 18) and p.published_text == "วันอังคารที่ 18 เมษายน 2566"
        assert p.category == "ด้านเศรษฐกิจ"
        assert p.extractor == "thaigov:div.col-xs-12.padding-sm1.news-2.Circular"
        assert p.body.startswith("หน่วยงานสมมุติเปิดศูนย์ข้อมูล")  # the lead comes first
        assert "อีก 14 เมือง" in p.body
        for furniture in ("พิมพ์", "18/04/2566", "แถบข้าง", "ผู้เข้าชม"):
            assert furniture not in p.body

    def test_no_short_date_and_a_body_in_br_lines(self):
        p = self.a.parse(fixture("details_no_short_date.html"), TG + "/news/contents/details/70002")
        assert p.published == date(2023, 7, 3)
        lines = p.body.splitlines()
        assert "ข้อความบรรทัดแรกของเนื้อข่าวที่ไม่อยู่ในย่อหน้า" in lines  # text outside <p> is kept
        assert "บรรทัดที่สองของเนื้อข่าวสำหรับทดสอบการแยกบรรทัด" in lines

    def test_long_date_wins_when_the_dates_differ(self):
        p = self.a.parse(fixture("details_dates_differ.html"), TG + "/news/contents/details/70003")
        assert p.published == date(2023, 4, 12)  # the short date says the 11th

    def test_short_date_when_there_is_no_long_date(self):
        p = self.a.parse(fixture("details_short_date_only.html"), TG + "/news/contents/details/70004")
        assert p.published == date(2024, 1, 5) and p.published_text == "05/01/2567"

    def test_soft_404_is_an_empty_headline(self):
        assert self.a.is_soft_404(fixture("soft404.html"))
        assert not self.a.is_soft_404(fixture("details_both_dates.html"))
        with pytest.raises(ParseError, match="soft 404"):
            self.a.parse(fixture("soft404.html"), TG + "/news/contents/details/1")

    def test_listing_links_of_the_first_panel_and_pagination(self):
        items, pages = self.a.links(fixture("listing.html"), TG + "/news/contents/index/5")
        assert items == [TG + "/news/contents/details/70012", TG + "/news/contents/details/70011"]
        assert pages == [TG + "/news/contents/index/5", TG + "/news/contents/index/5?per_page=10",
                         TG + "/news/contents/index/5?per_page=20"]

    @pytest.mark.parametrize(
        ("url", "kind", "article_id"),
        [
            ("/news/contents/details/48474", "article", "thaigov:48474"),
            ("/news/contents/ministry_details/1501", "article", "thaigov:m1501"),
            ("/th/news/90210", "article", "thaigov:90210"),
            ("/news/contents/index/5", "listing", None),
            ("/about", None, None),
        ],
    )
    def test_url_patterns(self, url, kind, article_id):
        assert self.a.classify(TG + url) == kind
        if article_id:
            assert self.a.article_id(TG + url) == article_id

    def test_url_builders(self):
        assert thaigov.listing_url("https://h", 5) == "https://h/news/contents/index/5"
        assert thaigov.listing_url("https://h", 5, 20) == "https://h/news/contents/index/5?per_page=20"
        assert thaigov.article_url("https://h", 5) == "https://h/news/contents/details/5"


class TestThaigovDemoPages:
    """The demo snapshot's thaigov pages, in the same markup."""

    a = thaigov.ADAPTER

    def test_article(self):
        p = self.a.parse(
            page("thaigov/news/contents/details/48474.html"), URL + "/news/contents/details/48474"
        )
        assert p.title.startswith("รมว.ดีอีเอส เปิดงาน Smart Economy Showcase")
        assert p.published == date(2021, 11, 19)
        assert p.published_text == "วันศุกร์ที่ 19 พฤศจิกายน 2564"
        assert "มากกว่า 9 ล้านบาท" in p.body
        assert "จำนวนผู้เข้าชม" not in p.body  # the visitor counter is outside the body
        assert p.language == "th"

    def test_tis620_page(self):
        raw = page("thaigov/news/contents/ministry_details/1501.html")
        with pytest.raises(UnicodeDecodeError):
            raw.decode("utf-8")
        p = self.a.parse(raw, URL + "/news/contents/ministry_details/1501")
        assert "Smart City Thailand Roadshow" in p.title
        assert "โรงแรมเดอะ ควอเตอร์ ลาดพร้าว" in p.body
        assert p.published == date(2019, 7, 31)

    def test_soft_404(self):
        assert self.a.is_soft_404(page("thaigov/_soft404.html"))

    def test_truncated_page_is_a_parse_error(self):
        with pytest.raises(ParseError, match="no body"):
            self.a.parse(
                page("thaigov/news/contents/details/48490.html"), URL + "/news/contents/details/48490"
            )

    def test_listing(self):
        items, pages = self.a.links(
            page("thaigov/news/contents/index/999.html"), URL + "/thaigov/news/contents/index/999"
        )
        assert items == [
            URL + "/thaigov/news/contents/details/48490",
            URL + "/thaigov/news/contents/details/48480",
        ]
        assert URL + "/thaigov/news/contents/index/999?per_page=10" in pages


class TestDepa:
    a = depa.ADAPTER

    def test_article(self):
        p = self.a.parse(page("depa/th/article-view/20230630_01.html"), URL + "/th/article-view/20230630_01")
        assert p.published == date(2023, 6, 30) and p.published_text == "30 มิ.ย. 2566"
        assert p.category == "ข่าวประชาสัมพันธ์"
        assert "ภาคใต้ตอนล่าง 15 เมือง" in p.body
        assert "0 2026 2333" not in p.body  # footer phone number stays out
        assert self.a.article_id(URL + "/th/article-view/20230630_01") == "depa:20230630_01"

    def test_english_article(self):
        p = self.a.parse(page("depa/en/article-view/20231005_01.html"), URL + "/en/article-view/20231005_01")
        assert p.language == "en" and p.published == date(2023, 10, 5)
        assert "36 certified smart cities in 25 provinces" in p.body

    def test_missing_body_selector_falls_back_to_generic(self):
        p = self.a.parse(page("depa/th/article-view/20250115_01.html"), URL + "/th/article-view/20250115_01")
        assert p.extractor == "generic"
        assert "รุ่นที่ 5" in p.body and "การบริหารข้อมูลเมือง" in p.body
        assert p.published == date(2025, 1, 15)

    def test_smart_city_plan_page_with_table(self):
        p = self.a.parse(
            page("depa/th/smart-city-plan/certified-cities.html"),
            URL + "/th/smart-city-plan/certified-cities",
        )
        assert "ขอนแก่นเมืองอัจฉริยะ ขอนแก่น" in p.body  # a table row becomes one line

    def test_listing(self):
        items, pages = self.a.links(page("depa/th/article.html"), URL + "/depa/th/article")
        assert URL + "/depa/th/article-view/20230630_01" in items
        assert not any("admin" in u for u in items)  # not an article URL
        assert pages == [URL + "/depa/th/article?page=2"]

    def test_attachment_not_an_article(self):
        assert self.a.classify(URL + "/storage/app/media/plan.pdf") == "attachment"


class TestSmartCityOffice:
    a = smartcity_office.ADAPTER

    def test_article_without_footer_noise(self):
        p = self.a.parse(
            page("sco/news/roadshow-bangkok-2562/index.html"), URL + "/news/roadshow-bangkok-2562/"
        )
        assert p.published == date(2019, 8, 1)
        for noise in ("93,395", "10210", "02 141 7000"):
            assert noise not in p.body

    def test_event_page_fields(self):
        p = self.a.parse(page("sco/events/ascn-2019/index.html"), URL + "/events/ascn-2019/")
        assert p.event == {
            "name": "ASEAN Smart Cities Network Conference and Exhibition 2019",
            "date_text": "22-24 สิงหาคม 2562",
            "venue": "GMM Live House กรุงเทพมหานคร",
            "organiser": "กรุงเทพมหานคร",
        }
        assert self.a.classify(URL + "/events/ascn-2019/") == "event"

    def test_listing_pagination(self):
        items, pages = self.a.links(page("sco/news/index.html"), URL + "/sco/news/")
        assert items == [URL + "/sco/news/smart-city-39/", URL + "/sco/events/ascn-2019/"]
        assert pages == [URL + "/sco/news/page/2/"]


def test_every_demo_page_is_package_data():
    # pyproject's package-data patterns must cover every file of the snapshot
    suffixes = {p.suffix for p in Path(SITE_ROOT).rglob("*") if p.is_file()}
    assert suffixes <= {".html", ".xml", ".txt"}
