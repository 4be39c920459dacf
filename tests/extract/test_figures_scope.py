"""extract_figures scope rules: cue strength, the weak 'รวม', goals stated in Thai and English.

Sentences written for these tests.
"""

from __future__ import annotations

from smartcity.extract.figures import extract_figures


def _figs(text):
    out = extract_figures(text)
    for f in out:
        assert text[f.start : f.end] == f.evidence  # the evidence contract
    return [(f.metric, f.value, f.scope, f.qualifier, f.region) for f in out]


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
