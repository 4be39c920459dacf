"""Relevance: only passages about the smart-city programme yield figures.

Every text here is written for these tests (no sentence of a real page); the shapes follow what
real government news does: cabinet summaries with numbered agenda items, speeches that list
policy areas, headlines that join two topics, links to related news under the article.
"""

from __future__ import annotations

import pytest

from smartcity.extract import relevance
from smartcity.extract.programme import extract_programme


def _figures(text: str) -> set[tuple[str, float]]:
    return {(f.metric, f.value) for f in extract_programme(text).figures}


def test_page_without_programme_terms_is_not_relevant_and_costs_no_extraction():
    text = "ครม. อนุมัติงบประมาณ 2,500 ล้านบาท เพื่อซ่อมถนนใน 12 จังหวัด มีผู้เข้าร่วมประชุม 300 คน"
    result = extract_programme(text)
    assert not result.relevance.relevant
    assert result.relevance.reason is None
    assert result.figures == [] and result.registry == []


def test_cabinet_summary_keeps_only_the_programme_item():
    text = (
        "สรุปผลการประชุมคณะรัฐมนตรี\n"
        "1. เรื่อง โครงการชลประทานภาคกลาง\n"
        "คณะรัฐมนตรีอนุมัติงบประมาณ 3,200 ล้านบาท สำหรับอ่างเก็บน้ำ 14 แห่ง\n"
        "2. เรื่อง ผลการขับเคลื่อนเมืองอัจฉริยะ\n"
        "ที่ประชุมรับทราบว่าปัจจุบันมีเมืองที่ได้รับตราสัญลักษณ์แล้วทั้งสิ้น 36 เมือง\n"
        "3. เรื่อง มาตรการช่วยเหลือเกษตรกร\n"
        "วงเงิน 9,000 ล้านบาท มีเกษตรกรเข้าร่วมโครงการ 450,000 ราย\n"
    )
    result = extract_programme(text)
    assert result.relevance.relevant
    assert result.relevance.reason == "item: เมืองอัจฉริยะ"
    assert _figures(text) == {("smart_city_count", 36.0)}


def test_smart_city_as_one_sector_in_a_list_is_a_mention_in_passing():
    text = (
        "บีโอไอรายงานผลการส่งเสริมการลงทุน\n"
        "การลงทุนใน 10 สาขา ได้แก่ 1) ยานยนต์ 2) การท่องเที่ยว 3) เกษตรอินทรีย์ 4) เมืองอัจฉริยะ "
        "5) หุ่นยนต์ มีมูลค่ารวม 450,000 ล้านบาท\n"
    )
    assert not relevance.assess(text).relevant
    assert _figures(text) == set()


def test_programme_named_only_as_a_purpose_is_a_mention_in_passing():
    text = (
        "กระทรวงนำสายสื่อสารลงใต้ดิน\n"
        "โครงการมูลค่า 120 ล้านบาท จัดระเบียบสายสื่อสารในเขตเทศบาล "
        "เพื่อรองรับการพัฒนาเมืองอัจฉริยะ (Smart City) ในอนาคต\n"
    )
    assert not relevance.assess(text).relevant


@pytest.mark.parametrize(
    "item",
    [
        "ส่งเสริมศูนย์ข้อมูล บริการคลาวด์ ธุรกิจสตาร์ทอัพ และการพัฒนาเมืองอัจฉริยะ 15 แห่งในทุกภูมิภาค",
        "สนับสนุนโครงข่าย 5G การค้าออนไลน์ และเมืองอัจฉริยะ 15 แห่งของประเทศ",
    ],
)
def test_a_count_right_after_the_anchor_is_the_programme_even_in_a_list(item):
    text = f"นายกรัฐมนตรีกล่าวถึงนโยบายดิจิทัล\n{item}\n"
    assert ("smart_city_count", 15.0) in _figures(text)


@pytest.mark.parametrize(
    "item",
    [
        "ปี 2567 โครงการส่งเสริมเกษตรเขตเมืองอัจฉริยะนำร่อง 1,000 แปลง ใน 5 จังหวัด",
        "โครงการส่งเสริมเกษตรเขตเมืองอัจฉริยะปีนี้ครอบคลุม 1,000 แปลงใน 5 จังหวัด",
    ],
)
def test_vetoed_scheme_sharing_the_words_is_not_the_programme(item):
    text = f"เกษตรจังหวัดลงพื้นที่\n{item}\n"
    assert not relevance.assess(text).relevant


def test_topic_switch_stops_the_window_around_the_anchor():
    text = (
        "ความคืบหน้าของรัฐบาล\n"
        "ดีป้ามอบตราสัญลักษณ์เมืองอัจฉริยะให้แก่เมืองใหม่ 12 เมือง ขณะที่กระทรวงการคลังอนุมัติสินเชื่อ"
        "ให้ผู้ประกอบการรายย่อยวงเงิน 5,000 ล้านบาท\n"
    )
    assert _figures(text) == {("smart_city_count", 12.0)}


def test_related_news_links_after_the_article_are_not_read():
    text = (
        "กรมปศุสัตว์แนะนำการเลี้ยงโคนม\n"
        "เกษตรกรสามารถขอคำแนะนำได้ที่สำนักงานปศุสัตว์จังหวัด\n"
        "ข่าวที่เกี่ยวข้อง\n"
        "ประกาศแล้ว 40 เมืองอัจฉริยะ ครอบคลุม 27 จังหวัด\n"
    )
    assert not relevance.assess(text).relevant


def test_page_about_the_programme_keeps_its_event_paragraphs_naming_depa():
    text = (
        "ดีป้าจัดงาน Smart City Expo ปีนี้\n"
        "งานนี้รวบรวมนวัตกรรมด้านเมืองอัจฉริยะ\n"
        "ดีป้าคาดว่าจะมีผู้เข้าร่วมงานมากกว่า 2,000 คน\n"
    )
    result = extract_programme(text)
    assert result.relevance.relevant
    assert ("participant_count", 2000.0) in _figures(text)
    assert {p.rule for p in result.relevance.passages} >= {"title", "body-on-programme-page"}


def test_depa_alone_on_a_page_not_about_the_programme_is_not_enough():
    text = (
        "กระทรวงดิจิทัลจัดอบรมทักษะ\n"
        "ดีป้าร่วมจัดอบรมการค้าออนไลน์ มีผู้เข้าร่วม 800 คน\n"
    )
    assert not relevance.assess(text).relevant


def test_evidence_offsets_point_into_the_text():
    text = (
        "ข่าวทั่วไป\n"
        "1. เรื่อง งบกลาง\nอนุมัติ 700 ล้านบาท\n"
        "2. เรื่อง การประกาศเขตส่งเสริมเมืองอัจฉริยะ\nประกาศเขตส่งเสริมเมืองอัจฉริยะเพิ่ม 25 เขต ใน 11 จังหวัด\n"
    )
    figures = extract_programme(text).figures
    assert figures
    for f in figures:
        assert text[f.start : f.end] == f.evidence


@pytest.mark.parametrize(
    ("text", "levels"),
    [
        ("1. ก\n1.1 ข\n1.2 ค\n2. ง\n", {0: 16, 5: 10, 11: 16, 17: 22}),
        ("(1) ก\n(2) ข\nข. ค\n", {0: 5, 6: 17, 12: 17}),  # ข. is below (2): inside it
    ],
)
def test_numbered_items_end_at_the_next_item_of_their_level_or_higher(text, levels):
    spans = relevance._item_spans(text, relevance.lexicon())
    assert spans == levels


def test_abbreviations_are_not_item_numbers():
    text = "น.ส.สมใจ กล่าว\nพล.อ.สมชาย กล่าว\n"
    assert relevance._item_spans(text, relevance.lexicon()) == {}


def test_quick_terms_never_skip_a_page_an_anchor_would_match():
    lex = relevance.lexicon()
    terms = ["เมืองอัจฉริยะ", "เมืองอัฉริยะ", "สมาร์ทซิตี้", "Smart City", "SMART CITIES", "smart-city", "ดีป้า", "DEPA"]
    for term in terms:
        assert lex.anchor.search(term) or lex.body.search(term), term
        assert lex.may_match(term), term


def test_english_programme_sentences_are_read_too():
    text = (
        "Thailand certifies new smart cities\n"
        "depa announced that 15 more cities received the smart city certification this year, "
        "bringing the total to 51 smart cities.\n"
    )
    result = extract_programme(text)
    assert result.relevance.relevant
    assert ("smart_city_count", 51.0) in _figures(text)


def test_a_smart_city_abroad_is_not_the_programme_even_at_an_expo():
    text = (
        "กระทรวงหารือความร่วมมือกับมาเลเซีย\n"
        "ฝ่ายมาเลเซียเชิญไทยร่วมงาน Smart City Expo ที่กัวลาลัมเปอร์ ซึ่งมีผู้เข้าร่วมกว่า 5,000 คน\n"
    )
    assert not relevance.assess(text).relevant


def test_a_thai_total_stated_at_a_foreign_meeting_is_the_programme():
    text = (
        "รัฐมนตรีร่วมประชุมความร่วมมือกับเกาหลี\n"
        "รัฐมนตรีกล่าวในการประชุมกับเกาหลีว่า ประเทศไทยรับรองเมืองอัจฉริยะแล้ว 44 เมือง\n"
    )
    assert ("smart_city_count", 44.0) in _figures(text)


def test_a_title_naming_the_words_without_support_is_not_enough():
    text = "ธนาคารเปิดบัตรโดยสารไร้เงินสด หนุนจังหวัดสู่เมืองอัจฉริยะ\nลูกค้าใช้บัตรได้ที่ร้านค้า 300 แห่ง\n"
    assert not relevance.assess(text).relevant


def test_one_item_of_a_list_of_standards_is_a_mention_in_passing():
    text = (
        "สมอ. ประกาศมาตรฐานใหม่\n"
        "ได้แก่ 1) มาตรฐานยานยนต์ 4 มาตรฐาน 2) มาตรฐานเมืองอัจฉริยะ 3 มาตรฐาน 3) มาตรฐานการแพทย์ 5 มาตรฐาน\n"
    )
    assert not relevance.assess(text).relevant


def test_a_page_about_a_programme_event_keeps_paragraphs_that_refer_back_to_it():
    text = (
        "ดีป้าเปิดงาน Smart City Showcase ที่ขอนแก่น\n"
        "งานจัดโดยสำนักงานส่งเสริมเศรษฐกิจดิจิทัล (ดีป้า) ณ ตัวเมืองขอนแก่น\n"
        "ภายในงานผู้ประกอบการจะได้พบสตาร์ทอัพกว่า 40 ราย\n"
        "ผู้จัดคาดว่าจะมีผู้เข้าร่วมมากกว่า 800 ราย และเกิดการจับคู่ธุรกิจกว่า 12 ล้านบาท\n"
        "ขณะที่กรมการค้าภายในรายงานยอดขายสินค้าเกษตรปีนี้ 4,000 ล้านบาท\n"
    )
    got = _figures(text)
    assert {("participant_count", 40.0), ("participant_count", 800.0), ("amount_thb", 12_000_000.0)} <= got
    assert ("amount_thb", 4_000_000_000.0) not in got  # a topic switch ends the event's paragraph


def test_a_breakdown_paragraph_right_after_the_count_is_the_programme():
    text = (
        "ดีป้ามอบใบประกาศเขตส่งเสริมเมืองอัจฉริยะ 30 เมือง\n"
        "ดีป้ามอบใบประกาศเขตส่งเสริมเมืองอัจฉริยะแก่เมืองใหม่รวม 30 เมือง\n"
        "เมืองที่ได้รับใบประกาศแบ่งตามภูมิภาคได้ดังนี้ ภาคเหนือ 12 เมือง ภาคใต้ 18 เมือง\n"
    )
    got = _figures(text)
    assert {("zone_count", 12.0), ("zone_count", 18.0)} <= got


def test_a_count_right_before_the_anchor_supports_it():
    assert ("smart_city_count", 38.0) in _figures("Thailand now has 38 smart cities.")
    assert ("smart_city_count", 38.0) in _figures("ประกาศแล้ว 38 เมืองอัจฉริยะ ครอบคลุม 26 จังหวัด")


NEWS = (
    "Udon Thani widens its smart city work\n\n"
    "UDON THANI - The city has set aside 85 million baht for its smart city projects this year, "
    "the mayor said.\n\n"
    "Udon Thani is one of 41 smart cities certified by the Digital Economy Promotion Agency (depa), "
    "which plans to certify 12 more cities by the end of next year.\n\n"
    "More than 1,500 people came to the launch event, where 35 local firms showed their products.\n"
)


def test_a_news_article_about_the_programme_keeps_its_figures_in_every_paragraph():
    got = _figures(NEWS)
    assert {
        ("amount_thb", 85_000_000.0),
        ("smart_city_count", 41.0),
        ("smart_city_count", 12.0),
        ("participant_count", 1500.0),
        ("participant_count", 35.0),
    } <= got
    scopes = {(f.metric, f.value): f.scope for f in extract_programme(NEWS).figures}
    assert scopes[("smart_city_count", 41.0)] == "total" and scopes[("smart_city_count", 12.0)] == "target"


@pytest.mark.parametrize("text", [
    "ธนาคารจัดงาน Smart SME Expo 2025 ที่เมืองทองธานี\nภายในงานมีวงเงินสินเชื่อรวมกว่า 5,000 ล้านบาท\n",
    "Bank fair \"Smart Farmer Week\" opens in Bangkok\nThe organisers expect 20,000 visitors and loans of"
    " 900 million baht.\n",
])
def test_a_smart_something_fair_is_not_the_programmes_event(text):
    """Only the programme's own events (named for smart cities) are the programme: an SME, bank
    or farming fair with "Smart" in its name is not, and none of its numbers is published."""
    assert not relevance.assess(text).relevant
    assert _figures(text) == set()


@pytest.mark.parametrize("text", [
    "รัฐมนตรีเยือนจังหวัดทางภาคอีสาน\n"
    "ดีป้าลงนามกับหอการค้าจังหวัดเพื่อยกระดับโครงข่ายดิจิทัลของจังหวัดให้เป็นเมืองอัจฉริยะ"
    " และศูนย์กลางการค้าชายแดน\n",
    "รัฐมนตรีเยือนจังหวัดทางภาคอีสาน\n"
    "ดีป้าและเทศบาลร่วมกันวางสายใยแก้วนำแสงในย่านการค้า มุ่งพัฒนาเมืองอัจฉริยะที่ปลอดภัยและสวยงาม\n",
])
def test_a_smart_city_named_as_the_aim_of_another_project_is_a_mention_in_passing(text):
    """'... to make it a smart city', 'aiming at a smart city': the programme is the aim of
    something else, not what the passage is about."""
    assert not relevance.assess(text).relevant


def test_an_aim_with_a_count_of_the_programme_still_counts():
    text = "ดีป้าตั้งเป้าให้เป็นเมืองอัจฉริยะ 30 เมือง ภายในปีหน้า\n"
    assert relevance.assess(text).relevant
