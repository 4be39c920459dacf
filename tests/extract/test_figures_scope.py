"""extract_figures scope rules: cue strength, the weak 'รวม', goals stated in Thai and English.

Sentences written for these tests.
"""

from __future__ import annotations

from smartcity.extract.figures import extract_figures
from tests.extract.support import figure_tuples

_figs = figure_tuples


# --- a bare รวม yields to a stronger cue in its clause -----------------------------------------


def test_award_ceremony_sum_is_new_and_breakdown_inherits_it():
    text = (
        "กระทรวงดีอีจัดงานมอบใบประกาศเขตส่งเสริมเมืองอัจฉริยะให้แก่พื้นที่ใหม่รวม 64 เมือง จาก 29 จังหวัด "
        "แบ่งเป็น ภาคเหนือตอนบน 15 เมือง ภาคใต้ 9 เมือง"
    )
    assert _figs(text) == [
        ("zone_count", 64, "new", "exact", None),
        ("zone_province_count", 29, "new", "exact", None),
        ("zone_count", 15, "new", "exact", "ภาคเหนือตอนบน"),
        ("zone_count", 9, "new", "exact", "ภาคใต้"),
    ]


def test_award_cue_without_new_word_still_outweighs_bare_sum():
    text = "ในงานนี้ รัฐมนตรีมอบตราสัญลักษณ์เมืองอัจฉริยะรวม 17 เมือง"
    assert _figs(text) == [("smart_city_count", 17, "new", "exact", None)]


def test_strong_total_words_stay_total():
    assert _figs("ขณะนี้มีเขตส่งเสริมเมืองอัจฉริยะรวมทั้งสิ้น 140 เมือง") == [
        ("zone_count", 140, "total", "exact", None)
    ]
    assert _figs("ปัจจุบันประเทศไทยมีเมืองอัจฉริยะรวม 52 เมือง") == [
        ("smart_city_count", 52, "total", "exact", None)
    ]


def test_bare_sum_after_a_new_count_is_the_running_total():
    text = "ดีป้าประกาศรับรองเมืองอัจฉริยะเพิ่ม 8 เมือง รวม 44 เมือง"
    assert _figs(text) == [
        ("smart_city_count", 8, "new", "exact", None),
        ("smart_city_count", 44, "total", "exact", None),
    ]
    text = "ที่ประชุมเห็นชอบเมืองอัจฉริยะอีก 8 เมือง รวมเป็น 44 เมือง"
    assert [f[2] for f in _figs(text)] == ["new", "total"]


def test_bare_sum_after_a_goal_is_a_target():
    assert _figs("ดีป้าตั้งเป้าให้มีเมืองอัจฉริยะรวม 120 เมือง") == [
        ("smart_city_count", 120, "target", "exact", None)
    ]


def test_english_a_total_of_is_weak():
    text = "At the ceremony the minister awarded certificates to a total of 23 smart cities."
    assert _figs(text) == [("smart_city_count", 23, "new", "exact", None)]
    text = "Thailand has certified a total of 41 smart cities."
    assert _figs(text) == [("smart_city_count", 41, "total", "exact", None)]


def test_prizes_are_not_cities_but_awarding_cities_counts():
    assert _figs("The project won 3 awards for smart cities in Asia.") == []
    assert _figs("depa awarded smart city certificates to 6 cities on Friday.") == [
        ("smart_city_count", 6, "new", "exact", None)
    ]


# --- goals: future verbs after the noun, Thai "ให้ครอบคลุม" / "เพื่อให้" / "ผลักดันให้" -----------------


def test_future_verb_after_the_noun_is_a_target_even_with_more():
    assert _figs("Next year 12 more cities will receive the smart city mark.") == [
        ("smart_city_count", 12, "target", "exact", None)
    ]
    assert _figs("Another 9 smart cities are to be certified in 2026.") == [
        ("smart_city_count", 9, "target", "exact", None)
    ]
    assert _figs("Seven new smart cities are expected to join the network.") == [
        ("smart_city_count", 7, "target", "exact", None)
    ]


def test_future_verb_without_a_status_change_is_not_a_target():
    assert _figs("The 44 smart cities in Thailand will share one data platform.") == [
        ("smart_city_count", 44, None, "exact", None)
    ]


def test_reported_would_with_this_year_stays_new():
    text = "The minister said 11 more cities would receive the smart city label this year."
    assert _figs(text) == [("smart_city_count", 11, "new", "exact", None)]


def test_aims_to_certify_before_the_number():
    assert _figs("The agency aims to certify 90 smart cities nationwide.") == [
        ("smart_city_count", 90, "target", "exact", None)
    ]


def test_number_of_cities_expected_to_reach():
    text = "The number of smart cities is expected to reach 120 by 2028."
    out = extract_figures(text)
    assert [(f.metric, f.value, f.scope) for f in out] == [("smart_city_count", 120, "target")]
    assert text[out[0].start : out[0].end] == out[0].evidence
    assert out[0].evidence.endswith("reach 120")
    assert _figs("The number of certified smart cities now stands at 47.") == [
        ("smart_city_count", 47, "total", "exact", None)
    ]
    assert _figs("The number of visitors is expected to reach 4000.") == []


def test_thai_cover_all_provinces_is_a_target():
    text = "ดีป้าเดินหน้าขยายเขตส่งเสริมเมืองอัจฉริยะให้ครอบคลุมทั้ง 77 จังหวัด"
    assert _figs(text) == [("zone_province_count", 77, "target", "exact", None)]
    text = "เพื่อให้เมืองอัจฉริยะกระจายครอบคลุม 60 จังหวัด"
    assert _figs(text) == [("smart_city_province_count", 60, "target", "exact", None)]
    text = "กระทรวงผลักดันให้เกิดเมืองอัจฉริยะ 150 เมือง"
    assert _figs(text) == [("smart_city_count", 150, "target", "exact", None)]


def test_all_of_a_current_count_stays_total():
    text = "ปัจจุบันมีเมืองอัจฉริยะทั้ง 36 เมือง"
    assert _figs(text) == [("smart_city_count", 36, "total", "exact", None)]


# --- a span up to now, a goal over an increase, a coordinated standing count -----------------------


def test_a_span_up_to_now_is_a_standing_total():
    text = "ตลอด 4 ปีที่ผ่านมา มีพื้นที่ได้รับตราสัญลักษณ์เมืองอัจฉริยะ 28 แห่ง"
    assert _figs(text) == [("smart_city_count", 28, "total", "exact", None)]
    text = "Over the past three years, 28 towns received the smart city label."
    assert _figs(text) == [("smart_city_count", 28, "total", "exact", None)]


def test_a_deadline_governing_an_increase_makes_it_a_target():
    text = "ดีป้าวางเป้าไว้ว่าภายในสิ้นปี 2569 จะมีเมืองอัจฉริยะเพิ่มอีก 12 เมือง"
    assert _figs(text) == [("smart_city_count", 12, "target", "exact", None)]
    text = "คณะทำงานมั่นใจว่าภายในปี 2570 ยกระดับเมืองอัจฉริยะเพิ่มขึ้นอีกราว 20 เมือง"
    assert _figs(text) == [("smart_city_count", 20, "target", "approx", None)]


def test_a_deadline_in_an_earlier_phrase_does_not_govern_the_increase():
    text = "ภายในปี 2565 ดีป้าเปิดรับสมัคร ล่าสุดคณะกรรมการประกาศเมืองอัจฉริยะเพิ่มอีก 6 เมือง"
    assert _figs(text) == [("smart_city_count", 6, "new", "exact", None)]


def test_a_count_joined_to_a_standing_total_shares_it():
    text = "ปัจจุบันดีป้ารับรองเมืองอัจฉริยะแล้ว 41 เมือง และยังมีเมืองที่อยู่ระหว่างยื่นขอรับรองอีกราว 70 เมือง"
    assert _figs(text) == [
        ("smart_city_count", 41, "total", "exact", None),
        ("zone_count", 70, "total", "approx", None),
    ]
    text = "Thailand now counts 41 smart cities and there are 70 candidate cities."
    assert [f[2] for f in _figs(text)] == ["total", "total"]


def test_a_count_joined_to_a_new_count_takes_no_total():
    text = "ที่ประชุมเห็นชอบเมืองอัจฉริยะ 5 เมือง และมีเมืองที่อยู่ระหว่างพิจารณาอีกราว 3 เมือง"
    assert [f[2] for f in _figs(text)] == ["new", None]


# --- participants of an event yet to be held ---------------------------------------------------------


def test_participants_of_an_event_to_come_are_a_target():
    text = (
        "สมาคมฯ จะจัดงานแสดงเทคโนโลยีเมืองอัจฉริยะประจำปีที่ขอนแก่นในเดือนหน้า "
        "โดยมีผู้ประกอบการร่วมจัดแสดงกว่า 150 ราย"
    )
    assert _figs(text) == [("participant_count", 150, "target", "more_than", None)]
    text = "The smart city fair will be held in Khon Kaen next month, with about 80 exhibitors."
    assert _figs(text) == [("participant_count", 80, "target", "approx", None)]


def test_participants_of_an_event_held_have_no_scope():
    text = "สมาคมฯ จัดงานแสดงเทคโนโลยีเมืองอัจฉริยะที่ขอนแก่น โดยมีผู้ประกอบการร่วมจัดแสดงกว่า 150 ราย"
    assert _figs(text) == [("participant_count", 150, None, "more_than", None)]


# --- a renewal is a renewal wherever the count is repeated ------------------------------------------


def test_a_headline_count_the_body_states_as_a_renewal_has_no_scope():
    headline = "บอร์ดอนุมัติ 14 เมืองอัจฉริยะ\n"
    body = "คณะกรรมการมีมติให้ต่ออายุตราสัญลักษณ์เมืองอัจฉริยะแก่เมืองเดิม จำนวน 14 เมือง\n"
    assert _figs(headline + body) == [
        ("smart_city_count", 14, None, "exact", None),
        ("smart_city_count", 14, None, "exact", None),
    ]
    assert _figs(headline) == [("smart_city_count", 14, "new", "exact", None)]


def test_an_expected_increase_is_a_target():
    """LABELLING.md: an expectation or forecast (คาด, expected) is a target, even of new ones."""
    from smartcity.extract.figures import extract_figures

    got = [(f.value, f.scope) for f in extract_figures("คาดว่าในปีหน้าจะมีการประกาศเมืองอัจฉริยะเพิ่มอีก 8 เมือง")]
    assert got == [(8.0, "target")]
    got = [(f.value, f.scope) for f in extract_figures("วันนี้มีการประกาศเมืองอัจฉริยะเพิ่มอีก 8 เมือง")]
    assert got == [(8.0, "new")]  # announced in the event reported: new
