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
    assert extract_registry("กิจกรรมของดีป้าจัดไปแล้วที่ จังหวัดยะลา จังหวัดพิษณุโลก จังหวัดขอนแก่น") == []
    assert extract_registry("รัฐมนตรีร่วมงาน Smart Economy Showcase ที่จังหวัดสงขลา เป็นจังหวัดนำร่อง") == []
    prose = "ผู้ว่าราชการจังหวัดเชียงใหม่ระบุว่าการจราจรดีขึ้น\nผู้ว่าราชการจังหวัดเชียงใหม่กล่าวเพิ่ม"
    assert extract_registry(prose) == []


def test_empty_text():
    assert extract_registry("") == []


# --- space-separated lists, flattened tables, English bracket lists -------------------------


_SPACED = (
    "เมืองที่ผ่านการรับรองรอบนี้ ได้แก่ หาดใหญ่เมืองอัจฉริยะ จังหวัดสงขลา "
    "อุดรสมาร์ทซิตี้ จังหวัดอุดรธานี เมืองอัจฉริยะแหลมฉบัง จังหวัดชลบุรี "
    "ลำปางเมืองอัจฉริยะ จังหวัดลำปาง ย่านนวัตกรรมบางซื่อ กรุงเทพมหานคร"
)


def test_space_separated_list_after_intro_gives_every_item():
    assert [r[1:4] for r in _rows(_SPACED)] == [
        ("หาดใหญ่เมืองอัจฉริยะ", "สงขลา", "TH-90"),
        ("อุดรสมาร์ทซิตี้", "อุดรธานี", "TH-41"),
        ("เมืองอัจฉริยะแหลมฉบัง", "ชลบุรี", "TH-20"),
        ("ลำปางเมืองอัจฉริยะ", "ลำปาง", "TH-52"),
        ("ย่านนวัตกรรมบางซื่อ", "กรุงเทพมหานคร", "TH-10"),
    ]


def test_bare_bangkok_counts_only_inside_a_list():
    assert extract_registry("คณะทำงานเดินทางจากจังหวัดสงขลา มายังสมาร์ทซิตี้ กรุงเทพมหานคร") == []
    assert extract_registry("ย่านนวัตกรรมบางซื่อ กรุงเทพมหานคร เปิดให้เข้าชมแล้ว") == []


def test_flattened_table_after_prose_list_is_deduplicated():
    text = (
        _SPACED
        + "\nตารางรายชื่อ\nเมือง จังหวัด\n"
        + "หาดใหญ่เมืองอัจฉริยะ สงขลา\n"
        + "อุดรสมาร์ทซิตี้ อุดรธานี\n\n"
        + "เมืองอัจฉริยะแหลมฉบัง ชลบุรี\n"
        + "ย่านนวัตกรรมบางซื่อ กรุงเทพมหานคร\n"
        + "เมืองเก่าสุโขทัยอัจฉริยะ สุโขทัย\n"
        + "ที่มา: สำนักงานส่งเสริมเศรษฐกิจดิจิทัล จังหวัดนนทบุรี\n"
    )
    rows = _rows(text)
    assert [r[1] for r in rows] == [
        "หาดใหญ่เมืองอัจฉริยะ",
        "อุดรสมาร์ทซิตี้",
        "เมืองอัจฉริยะแหลมฉบัง",
        "ลำปางเมืองอัจฉริยะ",
        "ย่านนวัตกรรมบางซื่อ",
        "เมืองเก่าสุโขทัยอัจฉริยะ",
    ]
    assert rows[-1][3:] == ("TH-64", "central")  # six-region scheme: Sukhothai is central


def test_table_alone_with_ordinals_and_english_header():
    text = "Smart city Province\n1 Nan Old Town Smart City Nan\n2 Betong Smart City Yala\nSource: depa\n"
    assert [r[1:4] for r in _rows(text)] == [
        ("Nan Old Town Smart City", "น่าน", "TH-55"),
        ("Betong Smart City", "ยะลา", "TH-95"),
    ]


def test_table_header_without_rows_gives_nothing():
    assert extract_registry("เมือง จังหวัด\nข่าวนี้ไม่มีตาราง\n") == []


def test_english_bracketed_list_with_and():
    text = (
        "The committee certified Hat Yai Smart City (Songkhla), Udon Smart City (Udon Thani) "
        "and Laem Chabang Smart City (Chonburi) this week."
    )
    assert [r[1:4] for r in _rows(text)] == [
        ("Hat Yai Smart City", "สงขลา", "TH-90"),
        ("Udon Smart City", "อุดรธานี", "TH-41"),
        ("Laem Chabang Smart City", "ชลบุรี", "TH-20"),
    ]


def test_prose_mentioning_provinces_is_not_a_list():
    prose = (
        "ผู้บริหารดีป้าลงพื้นที่จังหวัดสงขลา จากนั้นเดินทางไปจังหวัดยะลา "
        "เพื่อติดตามโครงการ ก่อนกลับกรุงเทพมหานคร ในช่วงเย็น"
    )
    assert extract_registry(prose) == []
    english = "Officials from Songkhla (Songkhla) met investors in Bangkok and Yala on Monday."
    assert extract_registry(english) == []


def test_table_rows_with_thai_digit_ordinals():
    text = "ลำดับ เมือง จังหวัด\n๑ เบตงเมืองอัจฉริยะ ยะลา\n๒ น่านเมืองเก่าอัจฉริยะ น่าน\n"
    assert [r[1:3] for r in _rows(text)] == [("เบตงเมืองอัจฉริยะ", "ยะลา"), ("น่านเมืองเก่าอัจฉริยะ", "น่าน")]
