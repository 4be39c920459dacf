"""extract_figures: English breakdowns with the region after the number, key-value rows.

Sentences written for these tests.
"""

from __future__ import annotations

from tests.extract.support import figure_tuples

_figs = figure_tuples


def test_of_which_breakdown_inherits_metric_and_scope():
    text = "depa announced 20 new smart cities, of which 7 are in the Northeast and 5 in the South."
    assert _figs(text) == [
        ("smart_city_count", 20, "new", "exact", None),
        ("smart_city_count", 7, "new", "exact", "Northeast"),
        ("smart_city_count", 5, "new", "exact", "South"),
    ]


def test_of_them_breakdown_of_zones_keeps_region_words_as_written():
    text = "There are now 88 smart city promotion zones, 30 of them in the Northern region."
    assert _figs(text) == [
        ("zone_count", 88, "total", "exact", None),
        ("zone_count", 30, "total", "exact", "Northern region"),
    ]


def test_region_after_a_number_without_a_count_before_is_not_a_figure():
    assert _figs("He spent 12 years in the North before joining depa.") == []
    assert _figs("Smart cities grew fast. Of the winners, 4 are in the East.") == []


def test_key_value_rows():
    text = "Programme at a glance\nSmart cities: 41\nProvinces: 30\nPromotion zones | 97\nBudget: see annex"
    assert _figs(text) == [
        ("smart_city_count", 41, None, "exact", None),
        ("zone_count", 97, None, "exact", None),
    ]
    thai = "สรุปตัวเลข\nจำนวนเมืองอัจฉริยะ 41 เมือง\nจำนวนเขตส่งเสริมเมืองอัจฉริยะ: 97 เมือง"
    assert _figs(thai) == [
        ("smart_city_count", 41, None, "exact", None),
        ("zone_count", 97, None, "exact", None),
    ]


def test_key_value_needs_its_own_line():
    # 41 is a head count here (a participant figure), not a smart-city count.
    out = _figs("We visited smart cities: 41 people joined the tour.")
    assert [f[0] for f in out] == ["participant_count"]
