"""Figures stated in a Thai or English article about Thailand's smart-city programme.

``extract_figures(text)`` returns one :class:`smartcity.records.Figure` per figure a reader
would quote: how many certified smart cities (and in how many provinces), how many smart city
promotion zones (and provinces), how much money, how many participants; each with its scope,
qualifier, region (for a breakdown) and the exact evidence span.

How it works (general rules, no article-specific cases):

1. One pass of precompiled patterns finds every number that has a counted noun, a currency or a
   large multiplier (numbers are read with :mod:`smartcity.thai.numbers`); other numbers (dates,
   years, times, percentages) never leave the regex engine.  Numbers inside noise spans (phone
   numbers, page counters, URLs, e-mails) are dropped.
2. The *counted noun* right after the number decides the kind of count: ``เมือง``/cities,
   ``จังหวัด``/provinces, ``เขต``/``พื้นที่``/``แห่ง``/zones/areas, ``ราย``/``คน``/``ท่าน``/
   people/participants; a baht currency makes an amount.  A number with no such noun (a year, a
   date, a list ordinal, a postcode) is never a figure.
3. The *clause* before the number is the text back to the previous counted number, a line
   break, or an English sentence end (at most ``_WINDOW`` characters).  Thai puts no spaces
   between words, so the clause is found by these markers, not by spaces.
4. Topic words in the clause (and, in English, in the noun phrase after the number) decide the
   metric: ``เขตส่งเสริมเมืองอัจฉริยะ``/promotion zone -> zones, ``เมืองอัจฉริยะ``/smart city ->
   certified cities; a province count linked to a city/zone count (``36 เมืองจาก 25 จังหวัด``,
   ``36 smart cities in 25 provinces``) follows that count.  Participation words
   (``เข้าร่วม``, participants) make a participant count; tourism words veto it.
5. A region label or province right before a number (``ภาคเหนือตอนบน 27 เมือง``) makes a
   breakdown item: it takes its metric and scope from the count it breaks down.
6. Scope comes from the cue word nearest before the number in the clause (``ทั้งสิ้น``/in total
   -> total, ``เพิ่ม``/``ประกาศ``/announced -> new, ``คาด``/``เป้าหมาย``/``จะ``/expected ->
   target); an expected outcome carries over to the next figure of the same sentence.  Words
   right after the noun refine it (``10 เมืองอัจฉริยะใหม่``/"10 new smart cities" -> new,
   ``ภายในปี 2570``/"by 2027" -> target, "so far" -> total).  The qualifier comes from the
   words right before (or ``กว่า`` right after) the number.
7. Precision first: a range (``5-7 เมือง``) or an earlier value ("up from 30 last year",
   ``จากเดิม 36 เมือง``) gives no figure; a count with only linking words after a count of the
   same noun continues it (``10 เมืองอัจฉริยะใหม่ รวมเป็น 46 เมือง``, "bringing the total to
   51"); a baht sum under one million needs a budget/investment/value word, and per-head or
   per-unit prices, prizes and foreign currencies are never programme money.
"""

from __future__ import annotations

import bisect
import logging
import re
from dataclasses import dataclass

from smartcity.geo import find_provinces, find_region_labels
from smartcity.records import Figure
from smartcity.thai.digits import to_arabic_digits
from smartcity.thai.numbers import (
    NumberMatch,
    english_words_to_number,
    multiplier_value,
    qualifier_after,
    qualifier_before,
    thai_words_to_number,
)

__all__ = ["extract_figures"]

log = logging.getLogger(__name__)

_WINDOW = 160  # characters of clause looked at before a number
_MAX_TEXT = 20_000_000  # refuse to work on more than this (characters)

# --- noise -----------------------------------------------------------------------------------------

_NOISE = re.compile(
    r"https?://\S+|www\.\S+|(?<![\w.+-])[\w.+-]+@[\w-]+\.[\w.]+"  # URLs, e-mail addresses
    r"|(?:\+66|\(?0\d{1,2}\)?)[\s\-]?\d{3,4}[\s\-]?\d{3,4}(?!\d)"  # Thai phone numbers
    r"|(?:โทร(?:ศัพท์|สาร)?\.?|Tel\.?|Fax|Phone|Call)\s*:?\s*[\d\s\-+(),]{6,}"
    r"|(?i:\b(?:visitors?|views?|page\s*views?|hits|pageviews|online|today|total\s+visits?)"
    r"\s*[:：]\s*[\d,]+)"  # page counters ("Visitors: 93,395")
    r"|(?:ผู้เข้าชม|เข้าชม|อ่านแล้ว|จำนวนผู้อ่าน|ผู้ชม)\s*[:：]\s*[\d,]+"
)

# --- counted nouns (right after the number) --------------------------------------------------------

_UNIT_KIND = {
    "เมือง": "city", "จังหวัด": "province", "เขต": "zone", "พื้นที่": "area", "แห่ง": "place",
    "ราย": "person", "คน": "person", "ท่าน": "person", "องค์กร": "org", "บริษัท": "org", "บูธ": "booth",
    "smart cities": "city", "cities": "city", "city": "city", "municipalities": "city",
    "provinces": "province", "province": "province", "zones": "zone", "zone": "zone",
    "areas": "area", "participants": "person", "people": "person", "persons": "person",
    "officials": "person", "guests": "person", "representatives": "person",
    "attendees": "person", "visitors": "person", "delegates": "person", "exhibitors": "person",
    "trainees": "person", "graduates": "person", "startups": "org", "companies": "org", "firms": "org",
    "booths": "booth",
}
# Words right after "N เมือง" that make it something other than a count of smart cities.
_CITY_NOT_COUNTED = re.compile(r"^(?:นำร่อง|รอง|หลัก|ท่องเที่ยว|เก่า|ต้องห้าม|pilot)")

# --- topics (in the clause before the number, or the English noun phrase) ---------------------------

_ZONE_TOPIC = re.compile(
    r"เขตส่งเสริม(?:เมืองอัจฉริยะ)?|ว่าที่เมืองอัจฉริยะ|promotion(?:al)?\s+zones?|promotion\s+areas?"
    r"|candidate\s+(?:smart\s+)?cit(?:y|ies)|smart[\s\-]+city\s+zones?|smart\s+city\s+promotion",
)
_CITY_TOPIC = re.compile(
    r"เมืองอัจฉริยะ|สมาร์ท\s?ซิตี้|ตราสัญลักษณ์|รับรอง|smart[\s\-]+cit(?:y|ies)|certif(?:y|ies|ied|ication)",
)
# A count of smart-city *ambassadors*, ASEAN network members or awards (prizes; the verb "awarded"
# is a new-cue) is not a count of cities.
_TOPIC_VETO = re.compile(
    r"ยุวทูต|ทูต|อาเซียน|asean|ascn|ทั่วโลก|worldwide|globally|ambassador|รางวัล|\bawards?\b"
)
_PARTICIPATION = re.compile(
    r"เข้าร่วม|ผู้ร่วม|ร่วมงาน|ผู้เข้าชมงาน|เข้าชมงาน|ผู้ชมงาน|ภาคประชาชน|ผู้ลงทะเบียน|ลงทะเบียน"
    r"|ผู้เข้าอบรม|ผู้เรียน|ผู้ผ่านการ(?:อบรม|คัดเลือก)|ผู้สำเร็จ|สตาร์ทอัพ|ผู้จัดแสดง|จัดแสดง|นิทรรศการ"
    r"|participa|attend|delegates|visitors|registered|took\s+part|joined|startups?|exhibit|trainees|graduates",
)
_PARTICIPATION_AFTER = re.compile(r"เข้าร่วม|ร่วมงาน|attend|joined|took\s+part|participat")
_TOURISM = re.compile(r"นักท่องเที่ยว|ท่องเที่ยว|tourist|tourism|arrivals")
_MONEY_CUE = re.compile(
    r"งบ|ลงทุน|มูลค่า|เม็ดเงิน|เงิน|รายได้|จับคู่ธุรกิจ|budget|invest|worth|value|revenue|fund",
)
# Prices and per-head costs of unrelated things are not programme money.
_PRICE = re.compile(
    r"ราคา|ค่าบัตร|ค่าเข้า|ค่าธรรมเนียม|ค่าลงทะเบียน|ค่าใช้จ่ายต่อ|บัตรละ|(?<=[\u0e00-\u0e7f])(?<!แ)ละ\s*$|ต่อ\s*$"
    r"|รางวัล|\b(?:prices?|priced|tickets?|fees?|costs?|per|prizes?|fines?|salary|salaries|wages?)\b",
)
# "500 บาทต่อคน", "200 baht per person" (but a budget "ต่อปี" / "per year" is programme money).
_PRICE_AFTER = re.compile(
    r"^\s?(?:ต่อ(?!\s?ปี)|/(?!\s?ปี)|ละ|per\b(?!\s+(?:year|annum))|each\b|a\s+head|a\s+month)"
)
_SMALL_AMOUNT = 1_000_000  # baht: below this, only a stated budget/investment/value is programme money
_ZONE_DOC = re.compile(r"promotion\s+zone|เขตส่งเสริมเมืองอัจฉริยะ")
# English words that may stand between a number and "zones" when the article is about promotion
# zones: "92 new zones", "30 more zones".
_ZONE_PHRASE_PLAIN = re.compile(
    r"^(?:(?:new|more|additional|further|designated|proposed|such|other|these|candidate|latest)\s+)*zones?$",
)
# Between two counts of the same noun: only linking words, so the second count is the same kind of
# thing (``10 เมืองอัจฉริยะใหม่ รวมเป็น 46 เมือง``; ``10 new smart cities, bringing the total to 46``).
_CONTINUE_GAP = re.compile(
    r"^(?:[\s,;:()\-–]|อัจฉริยะ|ใหม่|แล้ว|และ|อีก|ส่งผลให้|ทำให้|ซึ่ง|รวม|ทั้งสิ้น|ทั้งหมด|มี|เป็น|เพิ่ม|ขึ้น|ปัจจุบัน"
    r"|ล่าสุด|ทั่วประเทศ|โดย|จำนวน|เห็นชอบ|อนุมัติ|ประกาศ|รับรอง|มอบ|"
    r"\b(?:and|bringing|brings|taking|takes|raising|raises|pushing|the|its|total|number|tally|count|to|of|now|"
    r"a|for|making|makes|new|more|another|which|increasing|rising|nationwide|smart|certified)\b)*$",
)
# Right before a count: "N more" / "up to N" words that carry on the count just stated in the same
# sentence, whatever its noun ("36 แห่ง และมีแผนพัฒนาเพิ่มเป็น 105 เมือง", "36 เมือง ... อีกกว่า 15 เมือง").
_MORE_OF_THE_SAME = re.compile(
    r"(?:อีก|เพิ่ม(?:ขึ้น)?(?:เป็น|อีก)?(?:ได้)?(?:อีก)?|รวมเป็น|\b(?:more|another|further)\b)"
    r"\s*(?:กว่า|มากกว่า|ไม่น้อยกว่า|ประมาณ|ราว|than)?\s*$"
)
# Cities on their way to the label are candidates, which the programme counts as promotion zones.
_CANDIDATE = re.compile(
    r"อยู่ระหว่าง(?:การ)?(?:พัฒนา|พิจารณา|ยื่น|สมัคร|จัดทำ)|candidate|under\s+(?:review|consideration)"
    r"|(?:in\s+the\s+process\s+of|working\s+towards?)\s+(?:becoming|certification)"
)
# "15 เมือง แบ่งเป็น 2 ประเภท ... 13 เมือง ... 2 เมือง": a count announced as split into parts.
_SPLIT_INTO = re.compile(r"แบ่งเป็น|แบ่งออกเป็น|ประกอบด้วย|จำแนกเป็น|divided\s+into|split\s+into|comprising")
_COUNT_METRIC = {
    "smart_city_count": "smart_city_count",
    "smart_city_province_count": "smart_city_count",
    "zone_count": "zone_count",
    "zone_province_count": "zone_count",
}
_PRIOR_AFTER = re.compile(
    r"^\s*(?:in\s+)?(?:last\s+year|a\s+year\s+(?:ago|earlier)|the\s+previous\s+year|previously|earlier)"
    r"|^\s*(?:ใน|เมื่อ)?ปี(?:ที่แล้ว|ก่อน)",
)
_FROM_BEFORE = re.compile(r"(?:\bfrom|จาก)\s*$")

# --- scope cues (nearest before the number wins) ------------------------------------------------------

# One pattern, one named group per scope; the cue nearest before the number wins.  Within one
# position the longer, more specific phrase comes first ("เพิ่มเป็น" is a total, "เพิ่ม" is new).
_SCOPE_BEFORE = re.compile(
    # target: a goal, a forecast, a plan
    r"(?P<target>คาด|เป้าหมาย|ตั้งเป้า|มุ่งหวัง|ให้ครอบคลุม|เพื่อให้|ผลักดันให้|มุ่งให้|ภายในปี|ภายใน\s*(?:พ\.ศ\.|ค\.ศ\.)?\s*25\d\d|ประเมินว่า|จะ|(?<!เห็นชอบ)(?<!อนุมัติ)แผน"
    r"|\b(?:aims?|aiming|targets?|targeting|targeted|expects?|expected|plans?|planned|planning|projected|"
    r"forecasts?|goal|will|would|hopes?|hoping|seeks?|seeking|intends?|envisions?|set\s+to|"
    r"is\s+to|are\s+to)\b|\bby\s+(?:the\s+end\s+of\s+)?20\d\d)"
    # total: the cumulative national figure
    r"|(?P<total>ทั้งสิ้น|ทั้งหมด|ปัจจุบัน|ขณะนี้|ประเทศไทยมี|ทั่วประเทศมี|สะสม|แล้ว|เพิ่ม(?:ขึ้น)?เป็น"
    r"|รวม(?:ทั้งสิ้น|ทั้งหมด|เป็น|ได้)\s*(?:กว่า|มากกว่า|ประมาณ)?\s*$"
    r"|\b(?:in\s+total|total(?:ling|ing|s)?|so\s+far|to\s+date|altogether|now\s+ha(?:s|ve)|"
    r"currently|cumulative(?:ly)?|bringing\s+the\s+(?:total|number)\s+to|rising\s+to|increased\s+to|"
    r"grown\s+to|stands?\s+at|all|thailand\s+(?:now\s+)?has|there\s+are\s+now|there\s+are\s+currently|already|"
    r"ha(?:s|ve)\s+(?:so\s+far\s+|now\s+|already\s+)?(?:been\s+)?certified)\b)"
    # new: announced, approved or awarded in the event reported
    # a renewal of the label is no new, total or target figure (shared/LABELLING.md: scope null)
    r"|(?P<renewal>ต่ออายุ|\brenew(?:al|als|ed|s)?\b)"
    r"|(?P<new>เพิ่ม(?=\s*(?:อีก|เติม|ขึ้น|จำนวน|กว่า|มากกว่า|\d|เมือง|เขต|พื้นที่|แห่ง))|ประกาศ|เห็นชอบ|มอบ|ให้แก่|ผ่านการพิจารณา|อนุมัติ|ใหม่|รอบนี้|ครั้งนี้|ปีนี้|อีก(?=\s*\d)"
    r"|\b(?:new|newly|announced|announces?|handed|presented|approved|approves?|awarded|awards?|granted|grants?|named|"
    r"names|endorsed|endorses|added|adds|another|additional|unveil(?:s|ed)|designat(?:ed|es)|"
    r"certif(?:ies|y)\s+(?:another|a\s+further)|this\s+year)\b)"
    # weak total: a bare "รวม 92" / "a total of 92" / "ทั้ง 77" sums what the clause speaks of.  It is the
    # cumulative figure only when nothing stronger (new, target) says otherwise: in "มอบใบประกาศ
    # ... ให้แก่เมืองใหม่รวม 92 เมือง" รวม means "in all, at this event".
    r"|(?P<weak>รวม(?:จำนวน)?\s*(?:กว่า|มากกว่า|ประมาณ)?\s*$|ทั้ง\s*$|\ba\s+total\s+of\b)",
)
# Right after the counted noun: "36 smart cities so far", "10 เมืองอัจฉริยะใหม่", "105 เมืองภายในปี 2570",
# "15 more cities will receive ..." (a few words may stand between: "15 cities in Isan will").
_SCOPE_AFTER = re.compile(
    r"^(?:อัจฉริยะ)?\s*(?:(?P<new>ใหม่|เพิ่มเติม|ล่าสุด)"
    r"|(?P<target>ภายใน(?:ปี)?\s*(?:พ\.ศ\.|ค\.ศ\.)?\s*(?:25|20)\d\d|ภายในสิ้นปี|\bby\s+(?:the\s+end\s+of\s+)?20\d\d"
    r"|(?:(?:in\s+)?[a-z\-]+\s+){0,2}?\b(?:(?P<would>would)|will|shall|(?:is|are)\s+(?:expected|set|slated|planned|due)\s+to"
    r"|(?:is|are)\s+to|to)\s+(?:(?:also|soon|then)\s+)?(?:be\s+(?:certified|announced|named|added|approved|awarded|"
    r"designated|declared|granted|given|selected|upgraded|promoted|recognised|recognized)|receive|get|gain|join|"
    r"become|obtain|earn|qualify)\b)"
    r"|(?P<total>ทั่วประเทศ(?:แล้ว)?\s*$|แล้ว|(?:[\w\s\-]{0,30}?)\b(?:so\s+far|to\s+date|in\s+total|altogether)\b))",
)
# In the English noun phrase: "10 new smart cities", "15 more cities".
_SCOPE_PHRASE_NEW = re.compile(r"\b(?:new|newly|more|additional|further|latest)\b")
# "up from 30 last year", "จากเดิม 30 เมือง": an earlier value, not a figure of this report.
_PRIOR_VALUE = re.compile(
    r"(?:\b(?:up|down|rising|rose|risen|increas\w*|grow\w*|grew|jump\w*|climb\w*|compared)\s+(?:from|with|to)"
    r"|\bversus|\bvs\.?|จากเดิม(?:ที่มี(?:อยู่)?)?|เพิ่มขึ้นจาก|เทียบกับ|จากปี(?:ก่อน|ที่แล้ว))\s*(?:only\s+|just\s+)?$",
)
# "5-7 cities", "5 to 7 cities", "300-500 ล้านบาท": a range is not one figure.
_RANGE_BEFORE = re.compile(r"\d\s?(?:[-–]|to|ถึง|–)\s?$")
# An English sentence ends at . ! ? before a capital, but not after a title or an initial.
# The punctuation comes first so that ``re`` scans quickly to the next candidate end.
_STOP_END = (
    r"[.!?](?<!\bMr.)(?<!\bMs.)(?<!\bDr.)(?<!Mrs.)(?<!\bNo.)(?<!\bSt.)(?<!\bvs.)(?<!\b[A-Z].)"
    r"(?=\s+[A-Z\"“])"
)
# A line break ends a sentence, except a soft wrap inside an English sentence ("more than\n300").
_LINE_END = r"[\n\r](?:(?<![a-z,;][\n\r])|(?![a-z0-9]))"
_SENTENCE_END_EN = re.compile(f"{_STOP_END}|{_LINE_END}")
_STOP_END_RE = re.compile(_STOP_END)
_LINE_END_RE = re.compile(_LINE_END)


def _sentence_ends(text: str) -> list[int]:
    """Sorted offsets where a sentence or line of ``text`` ends (two scans: each is a fast skip)."""
    ends = [m.end() for m in _STOP_END_RE.finditer(text)]
    lines = [m.end() for m in _LINE_END_RE.finditer(text)]
    if not ends:
        return lines
    ends.extend(lines)
    ends.sort()
    return ends


@dataclass(slots=True)
class _Hit:
    """A number with its counted noun: the working state of one candidate figure."""

    num: NumberMatch
    kind: str | None  # city | province | zone | area | place | person | org | money | None
    unit_end: int
    phrase: str  # English words between the number and the noun ("new smart city promotion")
    figure: Figure | None = None


# --- candidates: a number with its counted noun or currency, found in one pass --------------------
#
# Speed: most numbers in an article (dates, years, phone numbers, times, percentages) have no
# counted noun and no currency; the candidate patterns below fail on them inside the regex engine,
# so no Python object is ever built for them.  The patterns run on a lower-cased copy of the text
# (same length, same offsets), so no IGNORECASE is needed.
_SP = "[ \t\u00a0]"  # a space inside a line: a counted noun never sits on the next line
_STOP_EN = (
    r"(?:the|a|an|have|has|had|are|is|was|were|be|been|in|of|to|for|and|or|with|across|from|by|on|at|"
    r"that|which|who|will|would|than|cities|provinces|zones|people|participants)"
)
_UNIT_EN_WORDS = (
    r"smart[ \-]+cities|cities|city|municipalities|provinces|province|zones|zone|areas|participants|"
    r"people|persons|attendees|visitors|delegates|officials|guests|representatives|exhibitors|trainees|"
    r"graduates|startups|companies|firms|booths"
)
_THAI_MULT_RE = r"(?:ล้านล้าน|แสนล้าน|หมื่นล้าน|พันล้าน|ร้อยล้าน|สิบล้าน|ล้าน|แสน|หมื่น|พัน)(?!ธ|ท)"
_CUR_SUFFIX_RE = r"บาท|ดอลลาร์(?:สหรัฐ)?|ยูโร|baht|thb|usd|dollars?|euros?"
_UNIT_TAIL = (
    rf"(?P<unit>{_SP}?(?:กว่า{_SP}?)?(?P<uth>เมือง|จังหวัด|เขต|พื้นที่|แห่ง|ราย|คน|ท่าน|องค์กร|บริษัท|บูธ)"
    rf"|(?:-plus|\+)?(?P<phrase>(?:{_SP}+(?!{_STOP_EN}\b)[a-z][\w'\-]*+){{0,4}}){_SP}+(?P<uen>{_UNIT_EN_WORDS})\b)?"
)
_MULT_TAIL = (
    r"(?P<mult>(?P<ma>trillion|billion|million|thousand|tn|trn|bn|mn|mln|m|b|k)\b"
    rf"|{_SP}?(?P<mth>{_THAI_MULT_RE})|{_SP}(?P<men>trillion|billion|million|thousand|tn|trn|bn|mn|mln)\b)?"
)
_NEEDS_UNIT = r"(?(unit)|(?(suf)|(?(mult)|(?!))))"  # a bare number is not a candidate
# The numeral starts with a plain \d so that ``re`` can skip to the next digit in C (an alternation
# first would make it try the whole pattern at every character: 3x slower).
_NUMERAL = r"(?P<num>\d(?:\d{0,2}(?:,\d{3})+|\d*)(?:\.\d+)?)(?!\d)"
_CAND_DIGITS = re.compile(
    _NUMERAL +
    rf"{_MULT_TAIL}(?:{_SP}?(?P<suf>{_CUR_SUFFIX_RE}))?{_UNIT_TAIL}{_NEEDS_UNIT}"
)
_TH_NUM_WORD = r"หนึ่ง|สอง|สาม|สี่|ห้า|หก|เจ็ด|แปด|เก้า|สิบ|ยี่"
_CAND_TH_WORDS = re.compile(
    rf"(?P<num>(?:{_TH_NUM_WORD})(?:{_TH_NUM_WORD}|เอ็ด|ร้อย|พัน(?!ธ|ท)|หมื่น|แสน|ล้าน)*)"
    rf"(?P<mult>(?!))?(?:{_SP}?(?P<suf>บาท))?{_UNIT_TAIL}{_NEEDS_UNIT}"
)
_EN_NUM_WORD = (
    r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    r"sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred"
)
_CAND_EN_WORDS = re.compile(
    rf"(?P<num>(?:{_EN_NUM_WORD})(?:[ \-]+(?:and )?(?:{_EN_NUM_WORD}|thousand|million|billion))*)\b"
    rf"(?P<mult>(?!))?(?:{_SP}(?P<suf>baht))?{_UNIT_TAIL}{_NEEDS_UNIT}"
)
# "bringing the total to 51": a count whose noun is the one just counted before it.
_CAND_TOTAL_TO = re.compile(
    r"(?:bringing|brings|taking|takes|raising|raises|pushing|pushes)\s+(?:the|its)\s+(?:total|number|tally|count)"
    r"(?:\s+(?:of|number)\s+[a-z\- ]{0,40}?)?\s+to\s+"
    r"(?P<num>\d{1,3}(?:,\d{3})+|\d+)(?![\d.,]?\d|\s*(?:%|per))"
)
# "the number of smart cities is expected to reach 105": the counted noun stands before the number.
_CAND_NUMBER_OF = re.compile(
    r"\b(?:number|total)\s+of\s+(?:certified\s+|new\s+)?(?P<noun>smart\s+cit(?:y|ies)(?:\s+promotion\s+zones?)?"
    r"|(?:smart\s+city\s+)?promotion\s+zones?)(?:\s+[a-z\-]+){0,6}?\s+(?:reach(?:es|ed|ing)?|(?:rise|rises|rising|"
    r"increase|increases|increasing|grow|grows|growing|climb|climbs|climbing)\s+to|hit|be|stand\s+at|stands\s+at)\s+"
    r"(?:more\s+than\s+|over\s+|about\s+|around\s+|at\s+least\s+)?"
    r"(?P<num>\d{1,3}(?:,\d{3})+|\d+)(?![\d.,]?\d|\s*(?:%|per|years?\b))"
)
# "..., of which 12 are in the Northeast and 9 in the North": a breakdown item, region after.
_CAND_REGION_AFTER = re.compile(
    r"(?P<num>\d{1,3})(?![\d.,]?\d)\s+(?:of\s+(?:them|which|these)\s+)?(?:(?:are|is|were|lie)\s+)?"
    r"(?:located\s+)?in\s+(?:the\s+)?(?P<reg>(?:(?:upper|lower)\s+)?(?:north[\s\-]?east(?:ern)?|north(?:ern)?"
    r"|south(?:ern)?|east(?:ern)?|west(?:ern)?|central|isan)(?:\s+region)?)\b(?!\s+(?:of|part)\b)"
)
# A key-value row: "Smart cities: 36", "Promotion zones | 112" (a line of its own).
_CAND_KEY_VALUE = re.compile(
    r"(?P<noun>smart\s+cit(?:y|ies)|promotion\s+zones?)[ \t]*[:：|–\-][ \t]*"
    r"(?P<num>\d{1,3}(?:,\d{3})*)(?=[ \t]*(?:[\r\n]|$))"
)
_KEY_HEAD = re.compile(r"(?:^|\n)[ \t|*•\-]*(?:(?:the|total|number|of|certified|smart|city|new)\s+)*$")
# A currency sign or code before the number ("THB2.4 trillion", "Bt300m", "฿500", "US$5").
_CAND_PREFIXED = re.compile(
    r"(?P<pre>thb|bt\.?|฿|us\$|usd|\$|€|eur)" + _SP + r"?"
    + _NUMERAL
    + _MULT_TAIL
)
_CURRENCY = {
    "thb": "THB", "bt": "THB", "bt.": "THB", "฿": "THB", "บาท": "THB", "baht": "THB",
    "us$": "USD", "usd": "USD", "$": "USD", "dollar": "USD", "dollars": "USD",
    "ดอลลาร์": "USD", "ดอลลาร์สหรัฐ": "USD", "€": "EUR", "eur": "EUR", "euro": "EUR",
    "euros": "EUR", "ยูโร": "EUR",
}


def _lower_same_length(text: str) -> str:
    """``text`` lower-cased with every offset kept (a few letters lower-case to two characters)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def _candidates(text: str, low: str) -> list[_Hit]:
    """Every number in ``text`` that has a counted noun, a currency or a large multiplier.

    ``low`` is ``text`` with Thai digits read as Arabic and lower-cased, offsets unchanged.
    """
    hits: dict[int, _Hit] = {}
    for m in _CAND_DIGITS.finditer(low):
        s = m.start()
        if s and low[s - 1] in "0123456789.,":
            continue  # the tail of "v2.5" or "1,2": not a number of its own
        hits[s] = _hit_from(m, text, low, "digits")
    for m in _CAND_PREFIXED.finditer(low):
        s = m.start()
        if s and low[s - 1].isalpha():
            continue  # "debt 5" is no "bt"
        ns = m.start("num")
        old = hits.get(ns)
        if old is None or old.num.currency is None:
            hits[ns] = _hit_from(m, text, low, "digits")
    has_latin = _HAS_LATIN.search(low) is not None
    if has_latin and "to" in low:
        for m in _CAND_TOTAL_TO.finditer(low):
            s = m.start("num")
            if s not in hits:
                n = _plain_number(m)
                hits[s] = _Hit(n, "same", n.end, "")
    if has_latin and " in " in low:
        for m in _CAND_REGION_AFTER.finditer(low):
            s = m.start("num")
            if s and low[s - 1] in "0123456789.,":
                continue
            old = hits.get(s)
            if old is None or old.kind is None:
                n = _plain_number(m)
                # The phrase carries the region as written (original case) for _classify.
                hits[s] = _Hit(n, "region_item", m.end("reg"), text[m.start("reg") : m.end("reg")])
    if has_latin and (":" in low or "|" in low):
        for m in _CAND_KEY_VALUE.finditer(low):
            s = m.start("num")
            if s in hits or not _KEY_HEAD.search(low, max(0, m.start() - 40), m.start()):
                continue
            n = _plain_number(m)
            hits[s] = _Hit(n, "zone" if "zone" in m.group("noun") else "city", n.end, "")
    if has_latin and " of " in low and ("number of" in low or "total of" in low):
        for m in _CAND_NUMBER_OF.finditer(low):
            s = m.start("num")
            if s not in hits:
                n = _plain_number(m)
                hits[s] = _Hit(n, "zone" if "zone" in m.group("noun") else "city", n.end, "")
    for regex, kind in ((_CAND_TH_WORDS, "thai_words"), (_CAND_EN_WORDS, "english_words")):
        if kind == "english_words" and not has_latin:
            continue
        for m in regex.finditer(low):
            s = m.start()
            if s and low[s - 1].isalpha() and kind == "english_words":
                continue
            h = _hit_from(m, text, low, kind)
            if h is not None:
                hits[s] = h
    return [hits[k] for k in sorted(hits) if hits[k] is not None]


_HAS_THAI_DIGIT = re.compile("[๐-๙]")
_HAS_LATIN = re.compile("[a-z]")


def _plain_number(m: re.Match[str]) -> NumberMatch:
    """The bare Arabic numeral captured as ``num`` (no multiplier, no currency)."""
    raw = m.group("num")
    s, e = m.span("num")
    return NumberMatch(float(raw.replace(",", "")), s, e, s, e, 1.0, None, "digits", "," in raw)


def _hit_from(m: re.Match[str], text: str, low: str, kind: str) -> _Hit | None:
    """Build a :class:`_Hit` from a candidate match (offsets are the same in ``text`` and ``low``)."""
    raw = m.group("num")
    groups = m.groupdict()
    pre = groups.get("pre")
    suf = m.group("suf") if "suf" in groups else None
    if kind == "digits":
        value = float(raw.replace(",", ""))
    elif kind == "thai_words":
        v = thai_words_to_number(raw)
        if v is None:
            return None
        value = float(v)
    else:
        v = english_words_to_number(raw)
        if v is None:
            return None
        value = float(v)
    mult_word = m.group("ma") or m.group("mth") or m.group("men") if kind == "digits" else None
    mult = (multiplier_value(mult_word) or 1.0) if mult_word else 1.0
    num_end = m.end("num")
    end = m.end("mult") if mult_word else num_end
    if suf:
        end = m.end("suf")
    if mult_word and m.group("ma") in ("m", "b", "k") and not (pre or suf):
        # "300m" is 300 metres as often as 300 million: single letters are multipliers only
        # next to a currency ("Bt300m", "300m baht").
        return None
    cur = _CURRENCY.get(pre or suf or "") if (pre or suf) else None
    n = NumberMatch(
        value=round(value * mult, 6),
        start=m.start(),
        end=end,
        num_start=m.start("num"),
        num_end=num_end,
        multiplier=mult,
        currency=cur,
        kind=kind,
        has_separator="," in raw,
        has_decimal="." in raw,
    )
    if cur == "THB":
        return _Hit(n, "money", end, "")
    if cur is not None:
        return _Hit(n, "foreign_money", end, "")
    uth = groups.get("uth")
    if uth:
        return _Hit(n, _UNIT_KIND[uth], m.end("unit"), "")
    uen = groups.get("uen")
    if uen:
        unit = re.sub(r"[\s\-]+", " ", uen)
        phrase = low[m.start("phrase") : m.end("uen")].strip()
        return _Hit(n, _UNIT_KIND.get(unit), m.end("unit"), phrase)
    if mult >= 1e6:
        return _Hit(n, "bare_millions", end, "")  # "กว่า 2,500 ล้าน": money if the clause talks money
    return None


def _last(regex: re.Pattern[str], text: str) -> re.Match[str] | None:
    last = None
    for m in regex.finditer(text):
        last = m
    return last


_DIGIT = re.compile(r"\d")
# A weak cue yields only to a cue of its own phrase: near it, with no Thai phrase break (a space
# between Thai words) and no other number between ("จะมีการจัดงาน โดยให้เขตส่งเสริมฯ ทั้ง 40 พื้นที่"
# is no plan for 40 zones).
_WEAK_REACH = 60
_THAI_BREAK = re.compile("[\u0e00-\u0e7f]\\s+[\u0e00-\u0e7f]")


# A goal word right before a new-cue (years allowed between): "ตั้งเป้า ปี 2566 เพิ่มอีก", "aims to add".
_GOAL_BEFORE = re.compile(
    r"(?:ตั้งเป้า(?:หมาย)?|เป้าหมาย|มีแผน(?:จะ)?|\b(?:aims?|plans?|targets?)\s+to)"
    r"(?:\s*(?:ใน)?(?:ปี|ภายในปี)?\s*(?:พ\.ศ\.\s*)?(?:25|20)\d\d)?\s*(?:จะ|ให้)?\s*$"
)


def _scope(clause: str) -> tuple[str | None, int]:
    """(scope, offset in ``clause`` of the cue) from the cue nearest the clause's end.

    A weak cue (bare ``รวม``, "a total of") yields to the nearest stronger cue before it, when no
    other number stands between them (that cue then speaks of this number); else it is total.
    """
    last = strong = None
    for m in _SCOPE_BEFORE.finditer(clause):
        last = m
        if m.lastgroup != "weak":
            strong = m
    if last is None:
        return None, len(clause)
    if last.lastgroup == "renewal":
        return None, last.start()
    goal = None
    if last.lastgroup == "new":
        goal = _GOAL_BEFORE.search(clause, max(0, last.start() - 30), last.start())
    if goal is not None:
        return "target", goal.start()  # "ตั้งเป้าเพิ่มอีก 15 เมือง": a goal of new ones is a target
    if last.lastgroup != "weak":
        return last.lastgroup, last.start()
    if strong is not None and last.start() - strong.end() <= _WEAK_REACH:
        gap = clause[strong.end() : last.start()]
        if not _DIGIT.search(gap) and not _THAI_BREAK.search(gap):
            return strong.lastgroup, strong.start()
    return "total", last.start()


def _topic(clause: str, phrase: str) -> tuple[str | None, int]:
    """(``zone`` | ``city`` | None, offset in ``clause`` where the topic starts, or len(clause))."""
    if phrase:
        if _ZONE_TOPIC.search(phrase) or "promotion" in phrase or "candidate" in phrase:
            return "zone", len(clause)
        if _CITY_TOPIC.search(phrase):
            return "city", len(clause)
    z = _last(_ZONE_TOPIC, clause)
    c = _last(_CITY_TOPIC, clause)
    if z is not None and (c is None or z.end() >= c.end()):
        return "zone", z.start()
    if c is not None:
        return "city", c.start()
    return None, len(clause)


_TO_CLAUSE_END = re.compile(r"[^,.;:!?\n]*")
_ENGLISH_GOES_ON = re.compile(r"\s+[a-z]")


def _topic_after(text: str, pos: int) -> str | None:
    """The topic stated right after a counted noun: ``10 เมืองได้รับตราสัญลักษณ์เมืองอัจฉริยะ``,
    ``15 cities have received the Smart City label``.  Thai: the rest of the word run (no space);
    English: the rest of the clause, up to a comma or sentence end.
    """
    after = text[pos : pos + 60]
    if after[:1].isspace() or not after:
        m = _TO_CLAUSE_END.match(after)
        after = m.group(0) if m and _ENGLISH_GOES_ON.match(after) else ""
    else:
        after = after.split(None, 1)[0]
    if _ZONE_TOPIC.search(after):
        return "zone"
    if _CITY_TOPIC.search(after):
        return "city"
    return None


_REGION_TAIL = re.compile(r"(?:\s|มี|จำนวน|รวม|อีก|[:：\-–(])*$")


def _region_before(text: str, start: int, lo: int) -> tuple[str | None, int]:
    """A region label or province ending right before offset ``start`` (breakdown item)."""
    window = text[max(lo, start - 60) : start]
    base = start - len(window)
    tail = _REGION_TAIL.search(window)
    cut = tail.start() if tail else len(window)
    for r in reversed(find_region_labels(window)):
        if r.end == cut:
            return r.label, base + r.start
    for p in reversed(find_provinces(window)):
        if p.end == cut:
            return window[p.start : p.end], base + p.start
    return None, start


def _evidence_start(text: str, lo: int, anchor: int) -> int:
    """Where the evidence for a figure starts: the start of the word run holding ``anchor``.

    Thai runs can be long: stay within 60 characters of the anchor.
    """
    s = anchor
    floor = max(lo, anchor - 60)
    while s > floor and not text[s - 1].isspace():
        s -= 1
    while s < anchor and text[s].isspace():
        s += 1
    return s


def _clause_start(sentence_ends: list[int], pos: int, prev_end: int) -> int:
    """Start of the clause that ends at ``pos``: after the previous counted number or sentence end.

    ``sentence_ends`` is the sorted list of offsets where a sentence (or line) ends in the text.
    """
    lo = max(prev_end, pos - _WINDOW, 0)
    i = bisect.bisect_right(sentence_ends, pos) - 1
    if i >= 0 and sentence_ends[i] > lo:
        return sentence_ends[i]
    return lo


# Every noise span holds one of these: most windows are ruled out by this one cheap scan.
_NOISE_HINT = re.compile(
    r"[:：@/+()]|www|\d[\s\-]\d|0\d{8}|โทร|Tel|TEL|tel|Fax|FAX|fax|Phone|phone|Call|call"
)


def _in_noise(text: str, n: NumberMatch) -> bool:
    """Whether the numeral of ``n`` lies in a phone number, page counter, URL or e-mail address."""
    lo = max(0, n.num_start - 40)
    window = text[lo : n.num_end + 20]
    if not _NOISE_HINT.search(window):
        return False
    a, b = n.num_start - lo, n.num_end - lo
    return any(m.start() < b and a < m.end() for m in _NOISE.finditer(window))


def extract_figures(text: str) -> list[Figure]:
    """The figures stated in ``text`` (Thai, English or mixed), in order of appearance.

    Returns :class:`Figure` records with metric, value, unit, scope, qualifier, region,
    evidence, start and end filled (``text[start:end] == evidence``); figure_id, source,
    source_url and published are left for the pipeline.  Empty or number-free text gives [].
    Raises ``ValueError`` for text longer than 20 million characters.
    """
    if not text:
        return []
    if len(text) > _MAX_TEXT:
        raise ValueError(f"text too long to extract figures from: {len(text)} characters")
    # Noise is looked for only around candidates (few), not over the whole text.
    # Cue words are looked for in ``low`` (lower-cased, Thai digits as Arabic, same offsets) with
    # case-sensitive patterns: several times faster than IGNORECASE patterns over ``text``.
    low = _lower_same_length(to_arabic_digits(text) if _HAS_THAI_DIGIT.search(text) else text)
    hits = [h for h in _candidates(text, low) if not _in_noise(text, h.num)]
    sentence_ends = _sentence_ends(text)
    doc = _Doc(low)

    figures: list[Figure] = []
    prev_end = 0  # end of the previous *counted* number: clauses stop there
    prev: _Hit | None = None  # previous counted hit
    parent: Figure | None = None  # the last city/zone count a breakdown can refer to
    last_fig: Figure | None = None
    for hit in hits:
        if hit.kind is None:
            continue
        n = hit.num
        lo = _clause_start(sentence_ends, n.start, prev_end)
        fig = _classify(text, low, hit, lo, prev, parent, last_fig, doc)
        prev_end = hit.unit_end
        prev = hit
        if fig is not None:
            hit.figure = fig
            figures.append(fig)
            last_fig = fig
            if fig.metric in ("smart_city_count", "zone_count") and fig.region is None:
                parent = fig
        if "\n\n" in text[lo : n.start] and parent is not None and parent.end < lo:
            parent = None  # a new paragraph: breakdowns refer to counts in their own paragraph
    return figures


_STOP_AND_SPACE = re.compile(r"[.!?]\s")
_PEOPLE_AFTER = re.compile(r"\s?(?:คน|ราย|ท่าน|people|visitors|users)")
# The qualifier phrase ending right before a number: its last word, and a word in front of it.
_QUALIFIER_WORDS = re.compile(
    r"(?:(?:more|less|fewer|at|up|many|no|not|close|excess|upwards|an|a|maximum|minimum)\s+)?\S+\s*$"
)


def _qualifier(text: str, low: str, n: NumberMatch, lo: int) -> tuple[str, int]:
    """(qualifier, where the qualifier word starts) for number ``n``; ``exact`` if none."""
    before = low[max(lo, n.start - 40) : n.start]
    q = qualifier_before(before)
    if q is not None:
        # The last run of non-spaces is at most 40 characters: search only the tail of ``before``.
        m = _QUALIFIER_WORDS.search(before)
        qstart = n.start - len(before) + (m.start() if m else len(before))
        return q, qstart
    after = qualifier_after(text[n.num_end : n.num_end + 8])
    return (after or "exact"), n.start


_REPORTED = re.compile(r"\b(?:said|says|told|announced|stated|reported)\b")


def _scope_after(scope: str | None, hit: _Hit, after_unit: str, clause_tail: str = "") -> str | None:
    """The scope once the words right after the number are read.

    ``10 เมืองอัจฉริยะใหม่`` / "10 new smart cities" -> new (unless a goal is stated before);
    ``105 เมืองภายในปี 2570`` / "105 smart cities by 2027" / "15 more cities will ..." -> target
    (before "more"/"new" is read); "36 smart cities so far" ->
    total when nothing before the number said otherwise.
    """
    m = _SCOPE_AFTER.match(after_unit)
    cue = m.lastgroup if m is not None else None
    if cue == "target" and m.group("would") and _REPORTED.search(clause_tail):
        cue = None  # "depa said 15 more cities would receive the label": reported speech of a decision
    if cue == "target":
        return "target"  # "15 more cities will receive ...": a plan, though "more" says new
    if hit.phrase and scope != "target" and _SCOPE_PHRASE_NEW.search(hit.phrase):
        return "new"
    if m is None:
        return scope
    if cue == "new" and scope != "target":
        return "new"
    if cue == "total" and scope is None:
        return "total"
    return scope


def _continued(text: str, low: str, hit: _Hit, prev: _Hit | None, lo: int) -> Figure | None:
    """The city/zone count that ``hit`` continues (same noun, only linking words between), if any."""
    if prev is None or prev.figure is None or prev.figure.region is not None:
        return None
    if prev.figure.metric not in ("smart_city_count", "zone_count"):
        return None
    if hit.kind != "same" and prev.kind != hit.kind:
        return None
    gap = low[prev.unit_end : hit.num.start]
    if hit.kind == "same":
        # "bringing the total to 51" points back by itself: any gap within the sentence will do.
        ok = len(gap) <= 160 and not _SENTENCE_END_EN.search(text, prev.unit_end, hit.num.start)
        return prev.figure if ok else None
    if len(gap) > 60 or prev.unit_end < lo - 1:
        return None
    return prev.figure if _CONTINUE_GAP.match(gap) else None


def _more_of_the_same(text: str, head: str, hit: _Hit, last_fig: Figure | None) -> Figure | None:
    """The city/zone count of this sentence that ``hit`` carries on ("... 36 แห่ง และมีแผนพัฒนาเพิ่มเป็น
    105 เมือง", "36 smart cities ... 15 more cities"): the clause ends with a more-of-the-same word
    and the last figure, a city or zone count without region, stands earlier on the same line."""
    if last_fig is None or last_fig.metric not in _COUNT_METRIC or last_fig.region:
        return None
    if hit.kind not in ("city", "area", "place", "zone") or not _MORE_OF_THE_SAME.search(head):
        return None
    gap = text[last_fig.end : hit.num.start]
    return last_fig if "\n" not in gap and len(gap) <= 200 else None


def _split_part(text: str, hit: _Hit, last_fig: Figure | None) -> Figure | None:
    """The count that ``hit`` is a part of, when a count was announced as split into parts a few
    lines before ("15 เมือง แบ่งเป็น 2 ประเภท ดังนี้ 1.1 ... 13 เมือง 1.2 ... 2 เมือง"); the parts take
    the metric of the last count before them."""
    if last_fig is None or last_fig.metric not in _COUNT_METRIC or last_fig.region:
        return None
    if hit.kind not in ("city", "area", "place", "zone"):
        return None
    lo = max(0, hit.num.start - 400)
    if last_fig.end < lo or text.count("\n", lo, hit.num.start) > 6:
        return None
    split = _SPLIT_INTO.search(text, max(lo, last_fig.start), hit.num.start)
    if split is None:
        split = _SPLIT_INTO.search(text, lo, last_fig.start)  # a part after the first part
    return last_fig if split is not None else None


class _Doc:
    """Per-text facts worked out at most once, and only when a rule needs them."""

    __slots__ = ("_zone_doc", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self._zone_doc: bool | None = None

    def zone_doc(self) -> bool:
        """Whether the text speaks of smart city promotion zones anywhere."""
        if self._zone_doc is None:
            self._zone_doc = _ZONE_DOC.search(self.text) is not None
        return self._zone_doc


def _classify(
    text: str,
    low: str,
    hit: _Hit,
    lo: int,
    prev: _Hit | None,
    parent: Figure | None,
    last_fig: Figure | None,
    doc: _Doc,
) -> Figure | None:
    """The figure that candidate ``hit`` states, or None.

    ``low`` is the lower-cased text (same offsets) the cue patterns run on; ``lo`` is where the
    clause before the number starts; ``prev`` the previous candidate with a noun, ``parent`` the
    count a breakdown item refers to, ``last_fig`` the previous figure.
    """
    n = hit.num
    kind = hit.kind
    clause = low[lo : n.start]
    head = clause[-30:]
    after_unit = low[hit.unit_end : hit.unit_end + 40]
    if _RANGE_BEFORE.search(head) or _PRIOR_VALUE.search(head):
        return None  # "5-7 cities"; "up from 30 last year": not a figure of this report
    if _FROM_BEFORE.search(head) and _PRIOR_AFTER.match(after_unit):
        return None  # "from 30 cities last year"
    qualifier, qstart = _qualifier(text, low, n, lo)
    scope, cue_at = _scope(clause)
    scope = _scope_after(scope, hit, after_unit, head)
    metric: str | None = None
    anchor = qstart
    region: str | None = None
    inherit_from: Figure | None = None

    if kind in ("money", "bare_millions"):
        if kind == "bare_millions":
            if _PEOPLE_AFTER.match(low, n.end, n.end + 10):
                return None
            if not _MONEY_CUE.search(clause):
                return None
        if _PRICE.search(low[max(lo, qstart - 30) : qstart]) or _PRICE_AFTER.search(after_unit):
            return None
        m = _last(_MONEY_CUE, clause)
        if n.value < _SMALL_AMOUNT and m is None:
            return None  # "ซื้อเสื้อ 500 บาท": a small sum with no budget/investment/value word
        metric = "amount_thb"
        if m is not None and lo + m.start() >= n.start - 60:
            anchor = min(anchor, lo + m.start())
    elif kind in ("city", "zone", "area", "place"):
        if kind == "city" and _CITY_NOT_COUNTED.match(after_unit):
            return None
        if n.has_decimal:
            return None  # "1.1 เมืองเดิม ...": an item number; a count of places is whole
        if _TOPIC_VETO.search(clause) or _TOPIC_VETO.search(after_unit[:25]):
            return None
        # The counted noun names its topic itself ("10 เมืองอัจฉริยะ", "20 เขตส่งเสริมเมืองอัจฉริยะ",
        # "1 พื้นที่อัจฉริยะ"): that beats any topic word earlier in the clause.
        if kind == "zone" and after_unit.startswith("ส่งเสริม"):
            topic, t_at = "zone", len(clause)
        elif kind in ("city", "area", "place") and after_unit.startswith("อัจฉริยะ"):
            topic, t_at = "city", len(clause)
        else:
            topic, t_at = _topic(clause, hit.phrase)
            if topic == "city" and _CANDIDATE.search(clause[t_at - 80 if t_at > 80 else 0 :]):
                topic = "zone"  # "เมืองที่อยู่ระหว่างการพัฒนาสู่เมืองอัจฉริยะ 100 เมือง": candidates
        if topic is None:
            topic = _topic_after(low, hit.unit_end)
        if topic is None and kind == "zone" and hit.phrase and _ZONE_PHRASE_PLAIN.match(hit.phrase):
            if doc.zone_doc():
                topic = "zone"  # "92 new zones" in an article about smart city promotion zones
        region, r_at = _region_before(text, qstart, lo)
        if region is not None:
            anchor = min(anchor, r_at)
            if topic is None and parent is not None:
                topic = "zone" if parent.metric == "zone_count" else "city"
                inherit_from = parent
        elif topic is None:
            same = _continued(text, low, hit, prev, lo) or _more_of_the_same(text, head, hit, last_fig)
            if same is None and (part_of := _split_part(text, hit, last_fig)) is not None:
                same = inherit_from = part_of
            if same is not None:
                topic = "zone" if _COUNT_METRIC[same.metric] == "zone_count" else "city"
        if topic == "zone":
            metric = "zone_count"
        elif topic == "city":
            metric = "smart_city_count"
        if metric is None:
            return None
        if region is None and t_at < len(clause):
            anchor = min(anchor, lo + t_at)
    elif kind == "province":
        linked = _linked_count(low, hit, prev)
        if linked is not None:
            metric = (
                "smart_city_province_count" if linked.metric == "smart_city_count" else "zone_province_count"
            )
            inherit_from = linked
            anchor = linked.start
        else:
            if _TOPIC_VETO.search(clause):
                return None
            topic, t_at = _topic(clause, hit.phrase)
            if topic is None:
                return None
            metric = "zone_province_count" if topic == "zone" else "smart_city_province_count"
            anchor = min(anchor, lo + t_at)
    elif kind == "region_item":
        # A breakdown item of the count just stated in this sentence.
        if parent is None or n.start - parent.end > 200 or _STOP_AND_SPACE.search(text, parent.end, n.start):
            return None
        metric = parent.metric
        region = hit.phrase
        inherit_from = parent
        scope = None
    elif kind == "same":
        same = _continued(text, low, hit, prev, lo)
        if same is None:
            return None
        metric = same.metric
        scope = scope or "total"
    elif kind == "booth":
        metric = "participant_count"  # exhibitors' booths at a programme event
    elif kind in ("person", "org"):
        wide = low[max(0, lo - 40) : hit.unit_end + 40]
        if _TOURISM.search(wide):
            return None
        p = _last(_PARTICIPATION, clause)
        said = p is not None or _PARTICIPATION.search(hit.phrase) or _PARTICIPATION_AFTER.search(after_unit)
        if not said:
            return None
        metric = "participant_count"
        if p is not None and lo + p.start() >= n.start - 60:
            anchor = min(anchor, lo + p.start())
    else:
        return None

    if inherit_from is not None and (scope is None or cue_at < len(clause) - 40):
        scope = inherit_from.scope
    if scope is None and last_fig is not None and last_fig.scope == "target":
        # An expectation covers the outcomes listed after it in the same sentence.
        gap = text[last_fig.end : n.start]
        if "\n" not in gap and len(gap) < 120 and not _STOP_AND_SPACE.search(gap):
            scope = "target"
    if scope is not None and cue_at < len(clause):
        anchor = min(anchor, lo + cue_at) if lo + cue_at >= n.start - 60 else anchor

    start = _evidence_start(text, min(lo, anchor), anchor)
    end = hit.unit_end
    evidence = text[start:end]
    return Figure(
        metric=metric,
        value=n.value,
        unit="THB" if metric == "amount_thb" else "count",
        scope=scope,
        qualifier=qualifier,
        region=region,
        evidence=evidence,
        start=start,
        end=end,
    )


_LINK = re.compile(
    r"^\s*(?:กว่า\s*)?(?:อัจฉริยะ\s*)?(?:(?:as\s+)?(?:certified\s+)?smart\s+cities\s+)?(?:จาก|ใน|ครอบคลุม|กระจาย(?:อยู่)?(?:ใน)?|ทั่ว|across|in|from|covering|"
    r"spread\s+(?:across|over)|within|located\s+in|of)?\s*(?:กว่า|more\s+than|over)?\s*$",
)


def _linked_count(text: str, hit: _Hit, prev: _Hit | None) -> Figure | None:
    """The city/zone count a province count belongs to (``36 เมืองจาก 25 จังหวัด``), if any."""
    if prev is None or prev.figure is None:
        return None
    if prev.figure.metric not in ("smart_city_count", "zone_count"):
        return None
    gap = text[prev.unit_end : hit.num.start]
    return prev.figure if _LINK.match(gap) else None
