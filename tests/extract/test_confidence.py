"""Confidence by the statement that states a figure, and one row per fact (extract.confidence,
extract.programme).  Every sentence here is written for these tests; each rule is checked in two
wordings."""

from __future__ import annotations

import json

import pytest

from smartcity.extract.programme import extract_programme


def _rows(text: str) -> dict[tuple, object]:
    result = extract_programme(text)
    rows = {(f.metric, f.value): f for f in result.figures}
    rows.update({(f.metric, f.value, "candidate"): f for f in result.candidates})
    return rows


@pytest.mark.parametrize("text", [
    "ดีป้าประกาศรับรองเมืองอัจฉริยะเพิ่มอีก 12 เมือง ในพิธีที่กรุงเทพฯ\n",
    "The Smart City Office certified 12 more smart cities at a ceremony in Bangkok.\n",
])
def test_a_count_whose_statement_names_the_programme_is_high(text):
    row = _rows(text)[("smart_city_count", 12.0)]
    assert row.confidence == "high" and row.rule == "statement names the programme"


@pytest.mark.parametrize("text", [
    "ดีป้าจัดงาน Smart City Expo ที่เชียงใหม่\n"
    "งานสัมมนาเมืองอัจฉริยะมีผู้บรรยายหลายท่าน   ดีป้าคาดว่าปีหน้ากองทุนของดีป้าจะลงทุนในสตาร์ทอัพมากกว่า 700 ล้านบาท\n",
    "depa opens the Smart City Expo in Chiang Mai\n"
    "Talks on smart cities filled the first day.  Next year depa expects its venture fund to put more"
    " than 700 million baht into start-ups.\n",
])
def test_money_in_a_statement_naming_only_a_body_is_a_review_candidate(text):
    rows = _rows(text)
    assert ("amount_thb", 700_000_000.0) not in rows
    candidate = rows[("amount_thb", 700_000_000.0, "candidate")]
    assert candidate.confidence == "low"
    assert candidate.rule.startswith("money or participants")


@pytest.mark.parametrize("text", [
    "ดีป้าจัดงาน Smart City Expo ที่ภูเก็ต\nภายในงานเกิดการจับคู่ธุรกิจมูลค่ากว่า 250 ล้านบาท\n",
    "depa holds the Smart City Expo in Phuket\nBusiness matching at the event came to more than"
    " 250 million baht.\n",
])
def test_money_that_refers_back_to_the_programmes_event_is_high(text):
    row = _rows(text)[("amount_thb", 250_000_000.0)]
    assert row.confidence == "high"


@pytest.mark.parametrize("text", [
    "ดีป้ามอบตราสัญลักษณ์เมืองอัจฉริยะ 8 เมือง\n"
    "รายละเอียด: ดีป้ามอบตราสัญลักษณ์เมืองอัจฉริยะ 8 เมือง ใน 6 จังหวัด\n"
    "ดีป้ากล่าวว่าปัจจุบันมีเมืองอัจฉริยะแล้วทั้งสิ้น 8 เมือง\n",
    "depa certifies 8 smart cities\n"
    "On Monday depa certified 8 smart cities in 6 provinces.  The agency said the 8 smart cities"
    " were announced in total this year.\n",
])
def test_one_row_per_fact_keeps_every_mention(text):
    result = extract_programme(text)
    eights = [f for f in result.figures if (f.metric, f.value) == ("smart_city_count", 8.0)]
    assert len(eights) == 1
    row = eights[0]
    mentions = json.loads(row.mentions)
    assert row.mention_count == len(mentions) >= 2
    assert all(text[m["start"]:m["end"]] == m["evidence"] for m in mentions)
    assert text[row.start:row.end] == row.evidence
    # the most specific statement decides: one with a scope over the plain headline
    assert row.scope is not None


def test_a_breakdown_item_of_a_high_count_is_high():
    text = (
        "ดีป้าประกาศเขตส่งเสริมเมืองอัจฉริยะใหม่ 20 เขต\n"
        "แบ่งเป็น ภาคเหนือ 12 เขต ภาคใต้ 8 เขต\n"
    )
    rows = {(f.metric, f.value, f.region): f for f in extract_programme(text).figures}
    assert rows[("zone_count", 20.0, None)].confidence == "high"
    assert rows[("zone_count", 12.0, "ภาคเหนือ")].confidence == "high"


@pytest.mark.parametrize("text", [
    "ดีป้ามอบตราสัญลักษณ์เมืองอัจฉริยะ 9 เมือง ซึ่งประเมินว่าจะก่อให้เกิดการลงทุน"
    "พัฒนาเมืองอัจฉริยะจากภาครัฐและเอกชนมูลค่ารวมกว่า 4,200 ล้านบาท\n",
    "depa certified 9 smart cities, which are expected to draw smart city investment from the state"
    " and private firms worth a total of more than 4,200 million baht.\n",
])
def test_a_forecast_of_a_sum_is_a_target(text):
    row = _rows(text)[("amount_thb", 4_200_000_000.0)]
    assert (row.scope, row.qualifier) == ("target", "more_than")


@pytest.mark.parametrize("text", [
    "ดีป้าเผยว่าปัจจุบันมีการรับรองเมืองอัจฉริยะแล้ว 41 เมือง และมีเมืองที่อยู่ระหว่างการพิจารณาอีก 20 เมือง\n",
    "ดีป้าเผยว่าขณะนี้ประเทศไทยมีเมืองอัจฉริยะทั้งสิ้น 41 เมือง ส่วนเมืองที่อยู่ระหว่างการพัฒนามีอีก 20 เมือง\n",
])
def test_still_in_progress_after_a_conjunction_speaks_of_other_cities(text):
    """'... 41 cities, and cities still under review ...': the words in progress start a clause
    of their own; they do not take the standing total's scope away."""
    row = _rows(text)[("smart_city_count", 41.0)]
    assert row.scope == "total"


@pytest.mark.parametrize("text", [
    "สรุปผลการประชุมคณะรัฐมนตรี\n"
    "11. เรื่อง ค่าชดเชยเกษตรกรผู้ประสบภัยแล้ง\nอนุมัติวงเงิน 2,000 ล้านบาท\n"
    "12. เรื่อง ผลการดำเนินงานเขตส่งเสริมเมืองอัจฉริยะ\n"
    "ดีป้ารายงานผลการดำเนินงานรอบปีที่ผ่านมา\n"
    "ทั้งนี้ โครงการดังกล่าวได้รับงบประมาณรวม 80 ล้านบาท\n"
    "13. เรื่อง การจัดเก็บภาษีที่ดิน\nคาดว่าจะมีรายได้ 5,000 ล้านบาท\n",
    "Cabinet meeting summary\n"
    "11. Drought relief for farmers\nThe cabinet approved 2,000 million baht.\n"
    "12. Results of the smart city promotion zones\n"
    "depa reported on the year's work.\n"
    "The project received a budget of 80 million baht in total.\n"
    "13. Land tax collection\nRevenue of 5,000 million baht is expected.\n",
])
def test_money_that_refers_back_within_a_programme_item_is_high(text):
    rows = _rows(text)
    assert rows[("amount_thb", 80_000_000.0)].confidence == "high"
    assert not any(k[:2] in {("amount_thb", 2e9), ("amount_thb", 5e9)} for k in rows)


@pytest.mark.parametrize("text", [
    "ดีป้าเผยว่าปีหน้าจะมีการจัดค่ายอบรม โดยเชิญเขตส่งเสริมเมืองอัจฉริยะทั้ง 25 พื้นที่เข้าร่วม\n",
    "ดีป้าแจ้งว่าเดือนหน้าจะมีการประชุมใหญ่ โดยให้เขตส่งเสริมเมืองอัจฉริยะทั้ง 25 พื้นที่ส่งผู้แทน\n",
])
def test_all_of_the_zones_invited_to_a_planned_event_is_no_target(text):
    """'all 25 zones' after a plan for an event in another phrase: the plan is the event's, not
    a target of 25 zones."""
    row = _rows(text)[("zone_count", 25.0)]
    assert row.scope != "target"
