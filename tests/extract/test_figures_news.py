"""extract_figures over news-style texts written for these tests (Thai and English).

The sentences imitate the shapes seen in government news, agency press releases and Thai and
English newspapers (headline repeating a figure, lead, quotes, bullet lists, flattened tables,
page furniture), so that the rules are checked on whole articles, not only on single sentences.
"""

from __future__ import annotations

import pytest

from smartcity.extract.figures import extract_figures
from tests.extract.support import figure_tuples

CITY, CPROV = "smart_city_count", "smart_city_province_count"
ZONE, ZPROV = "zone_count", "zone_province_count"
THB, PEOPLE = "amount_thb", "participant_count"


_figs = figure_tuples


def _set(text):
    return set(_figs(text))


# --- English ---------------------------------------------------------------------------------------

EN_ARTICLE = """depa certifies 10 new smart cities
Published: 12 Sep 2024 14:35  Views: 5,321

BANGKOK, Sept 12 (NNT) - The Digital Economy Promotion Agency (depa) has certified 36 smart cities
across 25 provinces so far, after the Smart City Thailand Committee approved 10 new cities on
Thursday. The agency aims to have 105 smart cities by 2027, in line with the Thailand 4.0 policy.

There are now a total of 112 smart city promotion zones nationwide. The committee also approved
92 new zones in 38 provinces. Business matching at the Smart City Expo was worth more than
300 million baht, and some 500 people attended the award ceremony at 10.00 am.

For more information, call 02 026 2333 or visit www.depa.or.th.
"""


def test_english_article():
    got = _set(EN_ARTICLE)
    assert got == {
        (CITY, 10, "new", "exact", None),
        (CITY, 36, "total", "exact", None),
        (CPROV, 25, "total", "exact", None),
        (CITY, 105, "target", "exact", None),
        (ZONE, 112, "total", "exact", None),
        (ZONE, 92, "new", "exact", None),
        (ZPROV, 38, "new", "exact", None),
        (THB, 3e8, None, "more_than", None),
        (PEOPLE, 500, None, "approx", None),
    }


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Thailand now has 36 smart cities, up from 30 last year.", [(CITY, 36, "total", "exact", None)]),
        (
            "Thailand has 36 smart cities, compared with 30 cities a year earlier.",
            [(CITY, 36, "total", "exact", None)],
        ),
        ("Over 1,000 participants joined the forum in Khon Kaen.", [(PEOPLE, 1000, None, "more_than", None)]),
        ("The smart city budget for 2025 is Bt1.2 billion.", [(THB, 1.2e9, None, "exact", None)]),
        (
            "Investment in smart city projects is expected to reach THB 15 billion.",
            [(THB, 15e9, "target", "exact", None)],
        ),
        (
            "depa said 15 more cities would receive the smart city label this year, "
            "bringing the total to 51.",
            [(CITY, 15, "new", "exact", None), (CITY, 51, "total", "exact", None)],
        ),
        ("The agency names 10 new smart cities", [(CITY, 10, "new", "exact", None)]),
        ("Thailand targets 100 smart cities by 2030", [(CITY, 100, "target", "exact", None)]),
        (
            "So far 39 cities in 27 provinces have been certified as smart cities.",
            [(CITY, 39, "total", "exact", None), (CPROV, 27, "total", "exact", None)],
        ),
        ("Nearly 2,000 visitors attended the two-day event.", [(PEOPLE, 2000, None, "approx", None)]),
        ("Around 150 local government officials took part.", [(PEOPLE, 150, None, "approx", None)]),
        (
            "depa has so far certified 36 cities as smart cities in 25 provinces.",
            [(CITY, 36, "total", "exact", None), (CPROV, 25, "total", "exact", None)],
        ),
        ("The ministry allocated 1.5bn baht for the project.", [(THB, 1.5e9, None, "exact", None)]),
    ],
)
def test_english_sentences(text, want):
    assert _figs(text) == want


@pytest.mark.parametrize(
    "text",
    [
        "The agency plans to certify 5-7 cities as smart cities next year.",  # a range is no one figure
        "The agency expects 5 to 7 smart cities next year.",
        "Tickets cost 200 baht per person.",
        "The smart city app costs US$5 million to build.",  # foreign currency
        "Thailand 4.0 and 5G networks now reach 77 provinces.",
        "Khon Kaen ranked No. 1 among the cities in the index, said the 45-year-old mayor.",
        "The forum runs from 9.00 am to 4.30 pm on 12 September 2024 at Hall 3, Queen Sirikit centre.",
        "Smart city adoption rose 15% in 2023, according to depa.",
        "Tel: 02 141 7101  Fax: 02 143 8019  Visitors: 93,395",
        "Some 40 million foreign tourists are expected to visit Thailand this year.",
        "The economic zones in the east cover 3 provinces.",  # no smart-city topic
        "The winning team receives a prize of 100,000 baht.",
        "Bangkok has 50 districts and a population of 5.5 million people.",
        "There are 76 provinces and Bangkok in Thailand.",
        "The event drew 15,000 visitors, including 3,000 foreign tourists.",
    ],
)
def test_english_noise(text):
    assert extract_figures(text) == []


def test_flattened_table_line_does_not_take_the_next_line_as_its_noun():
    text = "Smart cities | 36\nProvinces | 25"
    assert all(f.metric != CPROV or f.value != 36 for f in extract_figures(text))


# --- Thai ------------------------------------------------------------------------------------------

TH_ARTICLE = """ดีป้ามอบตราสัญลักษณ์เมืองอัจฉริยะให้แก่ 10 เมือง รวมเป็น 46 เมืองทั่วประเทศ
อ่าน 1,234 ครั้ง | วันที่ 12 ก.ย. 2567 เวลา 10.00 น.

สำนักงานส่งเสริมเศรษฐกิจดิจิทัล (ดีป้า) จัดพิธีมอบตราสัญลักษณ์เมืองอัจฉริยะให้แก่ 10 เมือง ณ ศูนย์ประชุมแห่งชาติสิริกิติ์
ส่งผลให้ปัจจุบันประเทศไทยผ่านการรับรองรวม 46 เมือง ใน 31 จังหวัด โดยดีป้าตั้งเป้าผลักดันให้เกิดเมืองอัจฉริยะ 105 เมืองภายในปี 2570
ทั้งนี้ ภายในงานมีผู้เข้าร่วมงานกว่า 1,500 คน และเกิดมูลค่าการลงทุนกว่า 4,750 ล้านบาท
งานจัดขึ้น 3 วัน บนพื้นที่ 500 ตารางเมตร บัตรเข้าชมราคา 100 บาทต่อคน ผู้ที่อายุ 60 ปีขึ้นไปเข้าฟรี
สอบถามเพิ่มเติม โทร. 02 026 2333 ต่อ 1234 สำนักงานตั้งอยู่ที่ถนนแจ้งวัฒนะ เขตหลักสี่ กรุงเทพฯ 10210
"""


def test_thai_article():
    got = _set(TH_ARTICLE)
    assert got == {
        (CITY, 10, "new", "exact", None),
        (CITY, 46, "total", "exact", None),
        (CPROV, 31, "total", "exact", None),
        (CITY, 105, "target", "exact", None),
        (PEOPLE, 1500, None, "more_than", None),
        (THB, 4.75e9, None, "more_than", None),
    }


@pytest.mark.parametrize(
    ("text", "want"),
    [
        (
            "ปัจจุบันมีเมืองที่ได้รับการรับรองเป็นเมืองอัจฉริยะแล้ว 36 เมือง",
            [(CITY, 36, "total", "exact", None)],
        ),
        (
            "ประเทศไทยมีเมืองอัจฉริยะที่ผ่านการรับรองรวม 39 เมือง ใน 27 จังหวัด",
            [(CITY, 39, "total", "exact", None), (CPROV, 27, "total", "exact", None)],
        ),
        ("ดีป้ารับรอง 10 เมืองอัจฉริยะใหม่", [(CITY, 10, "new", "exact", None)]),
        (
            "ดีป้าตั้งเป้าผลักดันให้เกิดเมืองอัจฉริยะ 105 เมืองภายในปี 2570",
            [(CITY, 105, "target", "exact", None)],
        ),
        ("• ผู้เข้าร่วมงาน 1,200 คน", [(PEOPLE, 1200, None, "exact", None)]),
        (
            "• เมืองอัจฉริยะที่ได้รับการรับรอง 36 เมือง\n• เขตส่งเสริมเมืองอัจฉริยะ 112 เขต",
            [(CITY, 36, None, "exact", None), (ZONE, 112, None, "exact", None)],
        ),
        (
            "ที่ประชุมเห็นชอบประกาศเขตส่งเสริมเมืองอัจฉริยะเพิ่มอีก 20 พื้นที่ ใน 15 จังหวัด",
            [(ZONE, 20, "new", "exact", None), (ZPROV, 15, "new", "exact", None)],
        ),
        (
            "ปีนี้มีเมืองอัจฉริยะเพิ่มขึ้นเป็น 46 เมือง จากเดิม 36 เมือง",
            [(CITY, 46, "total", "exact", None)],
        ),
        ("คาดว่าจะเกิดเม็ดเงินหมุนเวียนราว 200 ล้านบาท", [(THB, 2e8, "target", "approx", None)]),
        ("งบประมาณ 2,000 ล้านบาท สำหรับพัฒนาเมืองอัจฉริยะ", [(THB, 2e9, None, "exact", None)]),  # no "about"
        ("เป้าหมาย 100 เมืองอัจฉริยะ ภายในปี 2570", [(CITY, 100, "target", "exact", None)]),
        ("ผู้เข้าร่วมงานกว่า 1.5 หมื่นคน", [(PEOPLE, 15000, None, "more_than", None)]),
    ],
)
def test_thai_sentences(text, want):
    assert _figs(text) == want


@pytest.mark.parametrize(
    "text",
    [
        "อ่าน 1,234 ครั้ง",
        "ผู้เข้าชม 5,321 คน",  # a page counter with a noun
        "ประเทศไทยก้าวสู่ Thailand 4.0 และเครือข่าย 5G ครอบคลุม 77 จังหวัด",
        "เมืองอัจฉริยะ 10.00 น. ณ ห้องประชุม 301 ชั้น 3",
        "งานจัดขึ้น 3 วัน บนพื้นที่ 500 ตารางเมตร",
        "บัตรเข้าชมราคา 500 บาทต่อคน",
        "ค่าเช่าพื้นที่ 2,000 บาท/ตารางเมตร",
        "ขอนแก่นอยู่อันดับ 1 ของการจัดอันดับเมืองน่าอยู่",
        "ผู้สูงอายุ 65 ปี จำนวน 3,000 คน ได้รับวัคซีน",
        "ร้อยละ 20 ของเมืองอัจฉริยะใช้พลังงานสะอาด",
        "ปีงบประมาณ พ.ศ. 2568 ครั้งที่ 2/2568",
        "ดีป้าวางแผนรับรองเมืองอัจฉริยะเพิ่ม 5-7 เมืองในปีหน้า",
        "มูลค่าการลงทุน 20 ล้านดอลลาร์สหรัฐ",
        "เงินรางวัลรวม 300,000 บาท",
        "ซื้อของที่ระลึก 500 บาท",
        "สนับสนุนทุนเมืองละ 1 ล้านบาท",  # per city
        "ทุนสนับสนุนสูงสุด 5 แสนบาทต่อโครงการ",
        "กรุงเทพมหานครมี 50 เขต",  # districts, not zones
        "ผู้ว่าราชการจังหวัด 76 จังหวัด เข้าร่วมประชุม",
    ],
)
def test_thai_noise(text):
    assert extract_figures(text) == []
