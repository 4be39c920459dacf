"""The province gazetteer: completeness, codes, regions, spellings and matching in running text."""

from __future__ import annotations

import pytest

from smartcity.geo import (
    find_provinces,
    find_region_labels,
    lookup_province,
    provinces,
    region_of_label,
)


def test_has_77_provinces_with_unique_codes_and_names():
    rows = provinces()
    assert len(rows) == 77
    assert len({p.code for p in rows}) == 77
    assert len({p.name_th for p in rows}) == 77
    assert len({p.name_en for p in rows}) == 77


def test_region_sizes_follow_the_six_region_scheme():
    counts: dict[str, int] = {}
    for p in provinces():
        counts[p.region] = counts.get(p.region, 0) + 1
    assert counts == {"north": 9, "northeast": 20, "central": 22, "east": 7, "west": 5, "south": 14}


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("กรุงเทพมหานคร", "TH-10"),
        ("เชียงใหม่", "TH-50"),
        ("ขอนแก่น", "TH-40"),
        ("สงขลา", "TH-90"),
        ("บึงกาฬ", "TH-38"),
        ("หนองบัวลำภู", "TH-39"),
        ("สระแก้ว", "TH-27"),
        ("นครนายก", "TH-26"),
        ("แม่ฮ่องสอน", "TH-58"),
        ("ประจวบคีรีขันธ์", "TH-77"),
        ("นราธิวาส", "TH-96"),
        ("ภูเก็ต", "TH-83"),
        ("ตาก", "TH-63"),
        ("อุบลราชธานี", "TH-34"),
        ("พิษณุโลก", "TH-65"),
        ("ระนอง", "TH-85"),
        ("ชุมพร", "TH-86"),
    ],
)
def test_codes(name, code):
    p = lookup_province(name)
    assert p is not None and p.code == code


@pytest.mark.parametrize(
    ("alias", "code"),
    [
        ("กรุงเทพฯ", "TH-10"),
        ("กทม.", "TH-10"),
        ("Bangkok", "TH-10"),
        ("โคราช", "TH-30"),
        ("Chiang Mai", "TH-50"),
        ("Chiangmai", "TH-50"),
        ("chiang-mai", "TH-50"),
        ("จังหวัดขอนแก่น", "TH-40"),
        ("จ.ภูเก็ต", "TH-83"),
        ("Phuket province", "TH-83"),
        ("TH-90", "TH-90"),
        ("Buriram", "TH-31"),
        ("อยุธยา", "TH-14"),
    ],
)
def test_aliases(alias, code):
    p = lookup_province(alias)
    assert p is not None and p.code == code


def test_lookup_unknown_returns_none():
    assert lookup_province("Atlantis") is None
    assert lookup_province("") is None


def test_find_provinces_in_thai_running_text():
    text = "งานจัดที่จังหวัดเชียงใหม่และขอนแก่น ต่อด้วยกทม.และโคราช"
    found = [(m.province.code, text[m.start : m.end]) for m in find_provinces(text)]
    assert found == [("TH-50", "เชียงใหม่"), ("TH-40", "ขอนแก่น"), ("TH-10", "กทม."), ("TH-30", "โคราช")]


def test_ambiguous_words_need_the_province_prefix():
    assert find_provinces("ข่าวนี้เผยแพร่แล้ว ไม่ต้องรอเลย") == []
    codes = [m.province.code for m in find_provinces("ลงพื้นที่จังหวัดเลย และ จ.แพร่")]
    assert codes == ["TH-42", "TH-54"]


def test_family_name_is_not_ayutthaya():
    assert find_provinces("นายสมชาย อิศรางกูร ณ อยุธยา กล่าว") == []
    assert [m.province.code for m in find_provinces("เมืองเก่าอยุธยา")] == ["TH-14"]


def test_find_provinces_in_english_text():
    text = "Smart cities in Chiang Mai, Khon Kaen and PHUKET; also Chiangmai."
    codes = [m.province.code for m in find_provinces(text)]
    assert codes == ["TH-50", "TH-40", "TH-83", "TH-50"]
    assert find_provinces("a tak of nan") == []


def test_region_labels_as_written():
    text = "ภาคเหนือตอนบน 27 เมือง ภาคอีสานตอนกลาง 5 เมือง ภาคตะวันออกเฉียงเหนือ และภาคใต้ชายแดน"
    labels = [(r.label, r.region) for r in find_region_labels(text)]
    assert labels == [
        ("ภาคเหนือตอนบน", "north"),
        ("ภาคอีสานตอนกลาง", "northeast"),
        ("ภาคตะวันออกเฉียงเหนือ", "northeast"),
        ("ภาคใต้ชายแดน", "south"),
    ]


def test_region_of_label_english_and_unknown():
    assert region_of_label("Northeastern region") == "northeast"
    assert region_of_label("ภาคกลาง") == "central"
    assert region_of_label("ภาคประชาชน") is None
