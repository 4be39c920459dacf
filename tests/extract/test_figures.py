"""extract_figures: one test per rule, with sentences written for these tests."""

from __future__ import annotations

import time

import pytest

from smartcity.extract.figures import extract_figures
from tests.extract.support import figure_tuples

_figs = figure_tuples


def test_total_cities_and_provinces_give_two_figures():
    text = "ล่าสุดประเทศไทยมีเมืองอัจฉริยะทั้งสิ้น 45 เมืองจาก 30 จังหวัด"
    assert _figs(text) == [
        ("smart_city_count", 45, "total", "exact", None),
        ("smart_city_province_count", 30, "total", "exact", None),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "ดีป้าเพิ่มเขตส่งเสริมเมืองอัจฉริยะอีก 20 เมือง ใน 12 จังหวัด",
        "ดีป้าประกาศเขตส่งเสริมเมืองอัจฉริยะชุดใหม่ 20 เมือง ครอบคลุม 12 จังหวัด",
    ],
)
def test_new_zones_with_provinces(text):
    assert _figs(text) == [
        ("zone_count", 20, "new", "exact", None),
        ("zone_province_count", 12, "new", "exact", None),
    ]


def test_candidate_smart_cities_are_zones():
    assert _figs("มีว่าที่เมืองอัจฉริยะรวม 18 เมือง") == [("zone_count", 18, "total", "exact", None)]


def test_zones_vs_cities_in_one_sentence():
    text = "ปัจจุบันมีเมืองอัจฉริยะ 40 เมือง และมีเขตส่งเสริมเมืองอัจฉริยะทั้งหมด 120 พื้นที่"
    assert _figs(text) == [
        ("smart_city_count", 40, "total", "exact", None),
        ("zone_count", 120, "total", "exact", None),
    ]


def test_breakdown_gives_one_figure_per_region():
    text = (
        "ปีนี้มีเขตส่งเสริมเมืองอัจฉริยะใหม่ 14 เมือง ประกอบด้วย ภาคเหนือตอนบน 6 เมือง "
        "ภาคอีสานตอนกลาง 5 เมือง และภาคใต้ 3 เมือง"
    )
    assert _figs(text) == [
        ("zone_count", 14, "new", "exact", None),
        ("zone_count", 6, "new", "exact", "ภาคเหนือตอนบน"),
        ("zone_count", 5, "new", "exact", "ภาคอีสานตอนกลาง"),
        ("zone_count", 3, "new", "exact", "ภาคใต้"),
    ]


def test_breakdown_by_province():
    text = "เมืองอัจฉริยะที่ได้รับการรับรองเพิ่มในรอบนี้ 5 เมือง ได้แก่ เชียงใหม่ 2 เมือง ภูเก็ต 3 เมือง"
    got = _figs(text)
    assert ("smart_city_count", 2, "new", "exact", "เชียงใหม่") in got
    assert ("smart_city_count", 3, "new", "exact", "ภูเก็ต") in got


def test_target_scope_and_carry_over_in_a_sentence():
    text = "ผู้จัดคาดว่าจะมีผู้เข้าร่วมงานกว่า 800 คน เกิดการเจรจาธุรกิจไม่ต่ำกว่า 12 ล้านบาท"
    assert _figs(text) == [
        ("participant_count", 800, "target", "more_than", None),
        ("amount_thb", 12_000_000, "target", "at_least", None),
    ]


def test_target_by_year():
    assert _figs("รัฐบาลตั้งเป้าให้มีเมืองอัจฉริยะ 105 เมืองภายในปี 2570") == [
        ("smart_city_count", 105, "target", "exact", None)
    ]


@pytest.mark.parametrize(
    ("text", "qualifier"),
    [
        ("งานนี้มีผู้เข้าร่วมประมาณ 1,500 คน", "approx"),
        ("งานนี้มีผู้เข้าร่วมราว 1,500 คน", "approx"),
        ("งานนี้มีผู้เข้าร่วมไม่น้อยกว่า 1,500 คน", "at_least"),
        ("งานนี้มีผู้เข้าร่วมมากกว่า 1,500 คน", "more_than"),
        ("งานนี้มีผู้เข้าร่วม 1,500 กว่าคน", "more_than"),
        ("งานนี้รับผู้เข้าร่วมได้สูงสุด 1,500 คน", "up_to"),
        ("งานนี้มีผู้เข้าร่วม 1,500 คน", "exact"),
    ],
)
def test_qualifiers(text, qualifier):
    got = _figs(text)
    assert [(m, v, q) for m, v, _, q, _ in got] == [("participant_count", 1500, qualifier)]


def test_money_with_multipliers():
    got = _figs("โครงการนี้ใช้งบประมาณรวม 1.2 พันล้านบาท และดึงการลงทุนได้กว่า 4,750 ล้านบาท")
    assert [(m, v, q) for m, v, _, q, _ in got] == [
        ("amount_thb", 1.2e9, "exact"),
        ("amount_thb", 4.75e9, "more_than"),
    ]


def test_bare_millions_in_a_money_clause():
    got = _figs("คาดว่าจะเกิดมูลค่าการลงทุนกว่า 2,500 ล้าน")
    assert got == [("amount_thb", 2.5e9, "target", "more_than", None)]


def test_thai_digits_and_spelled_numbers():
    assert _figs("ประเทศไทยมีเมืองอัจฉริยะทั้งสิ้น ๓๖ เมือง") == [("smart_city_count", 36, "total", "exact", None)]
    # "แล้ว" (already): a count so far, i.e. the cumulative total.
    assert _figs("มีเมืองอัจฉริยะแล้วสามสิบหกเมือง") == [("smart_city_count", 36, "total", "exact", None)]


def test_topic_after_the_counted_noun():
    got = _figs("ที่ประชุมเห็นชอบให้ 9 เมืองได้รับตราสัญลักษณ์เมืองอัจฉริยะ")
    assert got == [("smart_city_count", 9, "new", "exact", None)]


def test_english_sentences():
    text = (
        "Thailand now has 36 smart cities in 25 provinces. The agency announced 92 new smart city "
        "promotion zones. It aims to certify 105 smart cities by 2027. More than 5,000 participants "
        "attended and business matching was worth over THB300 million."
    )
    assert _figs(text) == [
        ("smart_city_count", 36, "total", "exact", None),
        ("smart_city_province_count", 25, "total", "exact", None),
        ("zone_count", 92, "new", "exact", None),
        ("smart_city_count", 105, "target", "exact", None),
        ("participant_count", 5000, None, "more_than", None),
        ("amount_thb", 3e8, None, "more_than", None),
    ]


def test_english_money_forms():
    got = _figs("Investment is expected to reach THB2.4 trillion, a budget of Bt300m and 15 billion baht.")
    assert [v for _, v, _, _, _ in got] == [2.4e12, 3e8, 15e9]


def test_english_number_words():
    got = _figs("Seven provinces host thirty-six cities certified as smart cities.")
    assert ("smart_city_count", 36, None, "exact", None) in got


# --- noise ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Visitors: 12,345",
        "ผู้เข้าชม : 4,321",
        "สอบถามโทร. 02 111 2222 หรือ 081-234-5678",
        "ศาลากลาง 123 ถนนหลัก เขตพระนคร กรุงเทพมหานคร 10200",
        "เมื่อวันที่ 19 พฤศจิกายน 2564 ณ ศูนย์ประชุม",
        "ประจำปี 2566 ครั้งที่ 6",
        "1. เมืองอัจฉริยะริมบึง 2. เมืองอัจฉริยะริมโขง",
        "ราคาบัตรเข้าชม 150 บาท",
        "Tickets cost 200 baht per person.",
        "ประเทศไทยมีนักท่องเที่ยวต่างชาติกว่า 39 ล้านคน",
        "Some 40 million foreign tourists visited Thailand.",
        "กรุงเทพฯ ได้รับเลือกเป็นหนึ่งใน 26 เมืองนำร่องของเครือข่ายเมืองอัจฉริยะอาเซียน",
        "แต่งตั้งยุวทูตเมืองอัจฉริยะ จำนวน 30 พื้นที่",
        "ครอบคลุมกรุงเทพฯ และปริมณฑลอีก 6 จังหวัด",
        "ตอบโจทย์ 7 Smarts ของเมือง",
    ],
)
def test_noise_gives_no_figures(text):
    assert extract_figures(text) == []


# --- bad input --------------------------------------------------------------------------------------


def test_empty_and_blank():
    assert extract_figures("") == []
    assert extract_figures("   \n\t") == []


def test_mixed_scripts_and_control_characters():
    text = "Smart City 😀 เมือง\x00\x07 日本語 ١٢٣ مدينة ζ \ufffd\nมีเมืองอัจฉริยะทั้งสิ้น 36 เมือง"
    assert _figs(text) == [("smart_city_count", 36, "total", "exact", None)]


def test_ten_megabytes_completes():
    block = "ตอนนี้มีเมืองอัจฉริยะรวม 36 เมืองใน 25 จังหวัด เว็บไซต์มีผู้เข้าชม: 1,234 " * 10
    text = (block + "\n") * (10_000_000 // len((block + "\n").encode("utf-8")) + 1)
    assert len(text.encode("utf-8")) >= 10_000_000
    t0 = time.perf_counter()
    got = extract_figures(text)
    elapsed = time.perf_counter() - t0
    assert len(got) > 1000
    assert elapsed < 120  # generous: only a hang or a quadratic blow-up would break it


def test_too_long_text_is_refused():
    with pytest.raises(ValueError):
        extract_figures("x" * 20_000_001)
