"""Figure rules found on real government news, each tested on sentences of our own.

The shapes (not the sentences) come from the hand-labelled development corpus: a counted noun
that names its own topic, candidates counted as zones, counts carried on by "N more", counts
split into types, participants who are start-ups, exhibitors, booths or graduates.
"""

from __future__ import annotations

import pytest

from smartcity.extract.figures import extract_figures


def _got(text: str) -> list[tuple]:
    return [(f.metric, f.value, f.scope) for f in extract_figures(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the noun names its topic, whatever topic word stands earlier in the clause
        (
            "นอกจาก 12 เมืองที่ได้รับตราสัญลักษณ์เมืองอัจฉริยะแล้ว ยังมีอีก 40 เขตส่งเสริมเมืองอัจฉริยะรอการพิจารณา",
            ("zone_count", 40.0),
        ),
        ("บอร์ดเห็นชอบ 9 เมืองอัจฉริยะ และ 2 พื้นที่อัจฉริยะใหม่", ("smart_city_count", 2.0)),
        # cities on their way to the label are candidates: zones
        ("นอกจากนี้ยังมีเมืองที่อยู่ระหว่างพัฒนาเป็นเมืองอัจฉริยะอีกกว่า 80 เมือง", ("zone_count", 80.0)),
        ("เมืองที่อยู่ระหว่างการพัฒนาให้เป็นเมืองอัจฉริยะยังมีอีก 80 เมือง", ("zone_count", 80.0)),
        # an approval verb between two counts of the same noun keeps the topic
        ("ที่ประชุมรับรองเมืองอัจฉริยะ จำนวน 4 เมือง และอนุมัติเพิ่มอีก 7 เมืองในรอบถัดไป", ("smart_city_count", 7.0)),
    ],
)
def test_topic_of_a_count(text, expected):
    assert expected in [(m, v) for m, v, _ in _got(text)]


def test_places_drafting_a_smart_city_plan_are_candidates_and_the_plan_is_no_goal():
    text = "ที่ปรึกษาช่วยเทศบาลในการจัดทำแผนเมืองอัจฉริยะ 45 พื้นที่ทั่วภาคอีสาน"
    assert _got(text) == [("zone_count", 45.0, None)]
    # a plan to do something is still a goal
    assert _got("ดีป้ามีแผนยกระดับเมืองอัจฉริยะ 30 เมือง") == [("smart_city_count", 30.0, "target")]


def test_more_of_the_same_carries_the_count_of_the_sentence():
    text = "ขณะนี้มีเมืองอัจฉริยะแล้ว 41 แห่ง และมีแผนพัฒนาเพิ่มเป็น 120 เมือง ภายในปี 2572"
    assert ("smart_city_count", 120.0, "target") in _got(text)
    text = "รับรองเมืองอัจฉริยะแล้ว 41 เมือง ใน 28 จังหวัด และตั้งเป้าจะเพิ่มได้อีกมากกว่า 20 เมือง"
    assert ("smart_city_count", 20.0) in [(m, v) for m, v, _ in _got(text)]


def test_parts_of_a_count_split_into_types_take_its_metric_and_item_numbers_are_not_counts():
    text = (
        "คณะกรรมการรับทราบการมอบตราสัญลักษณ์เมืองอัจฉริยะ 18 เมือง แบ่งเป็น 2 ประเภท ดังนี้\n"
        "1.1 เมืองน่าอยู่ 11 เมือง เช่น เมืองริมทะเล\n"
        "1.2 เมืองใหม่ 7 เมือง ได้แก่ เมืองริมเขา\n"
    )
    values = [(m, v) for m, v, _ in _got(text)]
    assert values == [("smart_city_count", 18.0), ("smart_city_count", 11.0), ("smart_city_count", 7.0)]


def test_split_word_in_a_budget_does_not_make_places_a_count_of_cities():
    text = "งบประมาณ 300 ล้านบาท แบ่งเป็น การซ่อมถนน 20 แห่ง และสะพาน 4 แห่ง"
    assert [m for m, _, _ in _got(text)] == ["amount_thb"]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("ผู้ประกอบการจะได้พบกับสตาร์ทอัพกว่า 25 ราย ในงาน", 25.0),
        ("ภายในงานมีผู้จัดแสดงรวมกว่า 120 บูธ", 120.0),
        ("จัดแสดงเทคโนโลยีจากบริษัทชั้นนำกว่า 200 บริษัท", 200.0),
        ("หลักสูตรออนไลน์มีผู้เรียนจบและได้รับประกาศนียบัตร 480 คน", 480.0),
        ("The expo hosted more than 150 exhibitors from 12 countries.", 150.0),
    ],
)
def test_start_ups_exhibitors_booths_and_graduates_are_participants(text, value):
    assert ("participant_count", value) in [(m, v) for m, v, _ in _got(text)]


def test_a_province_count_right_after_a_count_belongs_to_it():
    text = "โครงการยกระดับเมืองอัจฉริยะใน 9 พื้นที่ 8 จังหวัดทั่วประเทศ"
    assert ("smart_city_province_count", 8.0) in [(m, v) for m, v, _ in _got(text)]


@pytest.mark.parametrize(
    ("text", "scope"),
    [
        ("คณะอนุกรรมการมีมติเห็นชอบแผนพัฒนาเมืองอัจฉริยะ จำนวน 6 เมือง", "new"),  # an approved plan
        ("รัฐบาลตั้งเป้า ปี 2568 เพิ่มเมืองอัจฉริยะอีก 12 แห่ง", "target"),  # a goal of new ones
        ("ที่ประชุมอนุมัติให้ต่ออายุตราสัญลักษณ์เมืองอัจฉริยะแก่ 9 เมือง", None),  # a renewal
        ("คณะกรรมการต่ออายุตราสัญลักษณ์เมืองอัจฉริยะของ 9 เมืองเดิม", None),  # a renewal
        ("ส่งเสริมการเพิ่มรายได้ชุมชน โดยเกิดเมืองอัจฉริยะแล้ว 27 พื้นที่", "total"),  # เพิ่มรายได้ is no new-cue
    ],
)
def test_scope_cues_found_on_real_pages(text, scope):
    assert next((m, s) for m, _, s in _got(text)) == ("smart_city_count", scope)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # counts of the programme in other nouns (LABELLING.md: พื้นที่, แห่ง, โครงการ, towns, locations)
        ("ดีป้าผลักดันโครงการเมืองอัจฉริยะแล้วกว่า 25 โครงการทั่วประเทศ", ("smart_city_count", 25.0, "total")),
        ("Smart city status has been granted to 14 towns so far.", ("smart_city_count", 14.0, "total")),
        ("Smart city work now covers 33 locations in 21 provinces.", ("smart_city_count", 33.0, "total")),
        # as of a date: the standing total
        ("As of May 2025, 47 smart cities have been approved.", ("smart_city_count", 47.0, "total")),
        ("ข้อมูล ณ วันที่ 1 มีนาคม 2568 มีเมืองอัจฉริยะที่ได้รับการรับรอง 47 เมือง", ("smart_city_count", 47.0, "total")),
        # a rise to a total that is yet to come is a target
        ("ซึ่งจะทำให้จำนวนเมืองอัจฉริยะขยับขึ้นเป็น 62 แห่ง", ("smart_city_count", 62.0, "target")),
        ("โครงการนี้จะทำให้จำนวนเมืองอัจฉริยะเพิ่มเป็น 62 แห่ง", ("smart_city_count", 62.0, "target")),
        ("The new round will bring the number to 62 smart cities.", ("smart_city_count", 62.0, "target")),
    ],
)
def test_recall_families_of_focused_news(text, expected):
    assert expected in _got(text)


def test_a_rise_reported_as_done_stays_a_total():
    text = "ดีป้ามอบตราสัญลักษณ์เมืองอัจฉริยะเพิ่ม 9 เมือง ทำให้ปัจจุบันมีเมืองอัจฉริยะเพิ่มขึ้นเป็น 57 เมือง"
    assert _got(text) == [("smart_city_count", 9.0, "new"), ("smart_city_count", 57.0, "total")]


def test_budget_requests_and_proposals_are_never_figures():
    assert _got("ที่ประชุมเห็นชอบกรอบคำของบประมาณเมืองอัจฉริยะ 48 โครงการจาก 26 จังหวัด") == []
    assert _got("A total of 118 smart city proposals were submitted by 60 cities.") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # still under review: no scope
        ("อีก 28 เขตส่งเสริมเมืองอัจฉริยะยังรอการพิจารณาแผนอยู่", ("zone_count", 28.0, None)),
        ("ยังมีอีก 28 เขตส่งเสริมเมืองอัจฉริยะที่แผนยังอยู่ระหว่างพิจารณา", ("zone_count", 28.0, None)),
        ("Another 20 smart city zones are still under review.", ("zone_count", 20.0, None)),
        # ประกาศนียบัตร (a certificate) is no announcement
        ("หลักสูตรเมืองอัจฉริยะมอบประกาศนียบัตรแก่ผู้เรียนจบ 512 คน", ("participant_count", 512.0, None)),
        ("ผู้เรียนจบหลักสูตรเมืองอัจฉริยะที่รับประกาศนียบัตรมีจำนวน 512 คน", ("participant_count", 512.0, None)),
        # พื้นที่เป้าหมาย (target areas) is a noun, not a goal
        ("พื้นที่เป้าหมายของเมืองอัจฉริยะต้นแบบที่ได้รับคัดเลือกมี 6 จังหวัด", ("smart_city_province_count", 6.0, None)),
        ("คัดเลือกพื้นที่เป้าหมายเมืองอัจฉริยะต้นแบบไว้ 6 จังหวัด", ("smart_city_province_count", 6.0, None)),
        # money announced in the event has no scope unless aggregate or expected
        ("ดีอีประกาศผลโครงการเมืองอัจฉริยะ สร้างมูลค่าทางเศรษฐกิจกว่า 180 ล้านบาท", ("amount_thb", 180_000_000.0, None)),
    ],
)
def test_more_scope_cues_from_real_pages(text, expected):
    assert expected in _got(text)


def test_an_english_count_may_take_its_subject_from_the_sentence_before():
    text = "depa announced its latest smart city certification. A further 11 cities received the label."
    assert _got(text) == [("smart_city_count", 11.0, "new")]
    # without a programme verb in its own sentence, a count of cities stays unread
    assert _got("depa announced its latest smart city certification. Guests came from 40 cities.") == []


@pytest.mark.parametrize("text", [
    "สำนักงานฯ ตั้งเป้าว่าภายในสิ้นปี 2569 เมืองอัจฉริยะจะเพิ่มเป็น 50 เมือง",
    "ภายในปี 2570 เมืองอัจฉริยะทั่วประเทศจะมี 50 เมือง",
    "ตั้งแต่ พ.ศ. 2566 เมืองอัจฉริยะได้รับการประกาศรวม 50 เมือง",
])
def test_a_year_after_its_year_word_is_never_a_count(text):
    got = _got(text)
    assert not [g for g in got if g[1] >= 1900], got  # the year is not counted as cities
    assert [g for g in got if g[1] == 50], got  # the count after it still is


def test_a_four_digit_count_without_a_year_word_stays_a_count():
    assert [g for g in _got("มีผู้เข้าร่วมงานเมืองอัจฉริยะ 2500 คน") if g[1] == 2500]
