from datetime import date

from smartcity.sources.events import event_from_fields, events_from_text


def test_event_in_article_sentence():
    text = (
        "เมื่อวันที่ 5 มี.ค. 67 ดีป้าจัดงาน Smart Farming Day ณ ศูนย์ประชุมนานาชาติ จังหวัดเชียงใหม่ "
        "จัดโดย สำนักงานส่งเสริมเศรษฐกิจดิจิทัล เพื่อแนะนำเทคโนโลยีเกษตร"
    )
    (event,) = events_from_text(text, published=date(2024, 3, 6), source="depa", source_url="u")
    assert event.name == "Smart Farming Day"
    assert (event.start_date, event.end_date) == ("2024-03-05", "2024-03-05")
    assert event.venue == "ศูนย์ประชุมนานาชาติ จังหวัดเชียงใหม่"
    assert (event.province, event.province_code) == ("เชียงใหม่", "TH-50")
    assert event.organiser == "สำนักงานส่งเสริมเศรษฐกิจดิจิทัล"


def test_range_without_year_takes_article_year():
    text = "งาน Digital City Fair จัดขึ้นระหว่างวันที่ 16-22 ตุลาคม ในรูปแบบออนไลน์"
    (event,) = events_from_text(text, published=date(2020, 11, 1), source="s", source_url="u")
    assert (event.start_date, event.end_date) == ("2020-10-16", "2020-10-22")
    assert event.venue is None and event.province is None


def test_no_date_no_event():
    assert (
        events_from_text("ดีป้าเปิดงาน Smart City Expo อย่างยิ่งใหญ่", published=None, source="s", source_url="u")
        == []
    )


def test_same_event_same_id_across_sources():
    text = "งาน Smart Farming Day วันที่ 5 มีนาคม 2567 ณ ขอนแก่น"
    a = events_from_text(text, published=None, source="a", source_url="1")[0]
    b = events_from_text(text, published=None, source="b", source_url="2")[0]
    assert a.event_id == b.event_id and a.province_code == "TH-40"


def test_event_page_fields():
    event = event_from_fields(
        {"name": "Expo", "date_text": "30 พฤศจิกายน - 2 ธันวาคม", "venue": "ภูเก็ต", "organiser": "ดีป้า"},
        published=date(2023, 11, 1),
        source="s",
        source_url="u",
    )
    assert (event.start_date, event.end_date, event.province_code) == ("2023-11-30", "2023-12-02", "TH-83")
