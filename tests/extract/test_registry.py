"""extract_registry: named lists of smart cities / promotion zones with their provinces."""

from __future__ import annotations

from smartcity.extract.registry import extract_registry


def _rows(text):
    out = extract_registry(text)
    for e in out:
        assert e.evidence in text
    return [(e.kind, e.name, e.province, e.province_code, e.region) for e in out]


def test_numbered_inline_list():
    text = (
        "ที่ประชุมรับรองเมืองอัจฉริยะ 3 เมือง ได้แก่ 1. เมืองอัจฉริยะริมบึง จังหวัดขอนแก่น "
        "2. ภูเก็ตเมืองน่าอยู่ จังหวัดภูเก็ต 3. เทศบาลนครนนทบุรี จังหวัดนนทบุรี"
    )
    assert _rows(text) == [
        ("city", "เมืองอัจฉริยะริมบึง", "ขอนแก่น", "TH-40", "northeast"),
        ("city", "ภูเก็ตเมืองน่าอยู่", "ภูเก็ต", "TH-83", "south"),
        ("city", "เทศบาลนครนนทบุรี", "นนทบุรี", "TH-12", "central"),
    ]


def test_thai_digit_numbering_and_zone_context():
    text = "ประกาศเขตส่งเสริมเมืองอัจฉริยะ ดังนี้\n๑. ย่านนวัตกรรมโยธี จ.กรุงเทพมหานคร\n๒. เมืองเก่าน่าน จังหวัดน่าน\n"
    assert _rows(text) == [
        ("zone", "ย่านนวัตกรรมโยธี", "กรุงเทพมหานคร", "TH-10", "central"),
        ("zone", "เมืองเก่าน่าน", "น่าน", "TH-55", "north"),
    ]


def test_bulleted_list():
    text = "รายชื่อเมืองอัจฉริยะ\n• สมาร์ทซิตี้แม่เมาะ จังหวัดลำปาง\n• เมืองอัจฉริยะบ้านฉาง จังหวัดระยอง\n"
    assert [r[1:4] for r in _rows(text)] == [
        ("สมาร์ทซิตี้แม่เมาะ", "ลำปาง", "TH-52"),
        ("เมืองอัจฉริยะบ้านฉาง", "ระยอง", "TH-21"),
    ]


def test_comma_list():
    text = (
        "เมืองที่ได้รับตราสัญลักษณ์ ได้แก่ เมืองอัจฉริยะแม่เหียะ จังหวัดเชียงใหม่, "
        "เมืองสมาร์ทบ้านฉาง จังหวัดระยอง และ ลำปางซิตี้ จังหวัดลำปาง"
    )
    assert [r[1] for r in _rows(text)] == ["เมืองอัจฉริยะแม่เหียะ", "เมืองสมาร์ทบ้านฉาง", "ลำปางซิตี้"]


def test_english_numbered_list():
    text = "The new smart cities are:\n1. Mae Hia Smart City (Chiang Mai)\n2. Ban Chang Smart City, Rayong\n"
    assert _rows(text) == [
        ("city", "Mae Hia Smart City", "เชียงใหม่", "TH-50", "north"),
        ("city", "Ban Chang Smart City", "ระยอง", "TH-21", "east"),
    ]


def test_lists_of_bare_provinces_and_prose_are_not_a_registry():
    assert extract_registry("ดีป้าจัดกิจกรรมมาแล้ว ได้แก่ จังหวัดขอนแก่น จังหวัดยะลา จังหวัดพิษณุโลก") == []
    assert extract_registry("รัฐมนตรีเปิดงาน Smart Economy Showcase จังหวัดสงขลา ปักธงนำร่อง") == []
    prose = "ผู้ว่าราชการจังหวัดเชียงใหม่ระบุว่าการจราจรดีขึ้น\nผู้ว่าราชการจังหวัดเชียงใหม่กล่าวเพิ่ม"
    assert extract_registry(prose) == []


def test_empty_text():
    assert extract_registry("") == []
