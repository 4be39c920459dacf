"""The cue words of the figure extractor, as data: counted nouns, topics, scope and the rest.

Every pattern here runs on the lower-cased text (same offsets as the original: see
:func:`smartcity.extract.figures.candidates.lower_same_length`), so none needs IGNORECASE.
shared/LABELLING.md says which figures they must find; the tests under tests/extract show each
cue at work.  The rules that read them live in :mod:`.candidates` (counted nouns), :mod:`.topic`
(metric), :mod:`.scope` (scope), :mod:`.links` (counts that continue an earlier one) and
:mod:`.classify`.  Where a list is plain words it is kept as a tuple of words.
"""

from __future__ import annotations

import re

# --- counted nouns (right after the number) --------------------------------------------------------

# The kind of thing a number counts, by the noun right after it.  A Thai noun follows the number
# (a space or กว่า may stand between); an English noun may come after up to four words
# ("36 certified smart cities").  The candidate patterns are built from these keys, in this order.
UNIT_KIND_TH = {
    "เมือง": "city", "จังหวัด": "province", "เขต": "zone", "พื้นที่": "area", "แห่ง": "place",
    "ราย": "person", "คน": "person", "ท่าน": "person", "องค์กร": "org", "บริษัท": "org", "บูธ": "booth",
    "โครงการ": "place",  # LABELLING.md: smart cities are also counted as projects (with the topic said)
}
UNIT_KIND_EN = {
    "smart cities": "city", "cities": "city", "city": "city", "municipalities": "city",
    "provinces": "province", "province": "province", "zones": "zone", "zone": "zone",
    "areas": "area", "participants": "person", "people": "person", "persons": "person",
    "attendees": "person", "visitors": "person", "delegates": "person", "officials": "person",
    "guests": "person", "representatives": "person", "exhibitors": "person",
    "trainees": "person", "graduates": "person", "startups": "org", "companies": "org", "firms": "org",
    "booths": "booth", "towns": "city", "locations": "area", "sites": "area",
}
UNIT_KIND = {**UNIT_KIND_TH, **UNIT_KIND_EN}
# Words right after "N เมือง" that make it something other than a count of smart cities.
CITY_NOT_COUNTED_WORDS = ("นำร่อง", "รอง", "หลัก", "ท่องเที่ยว", "เก่า", "ต้องห้าม", "pilot")
CITY_NOT_COUNTED = re.compile(f"^(?:{'|'.join(CITY_NOT_COUNTED_WORDS)})")

# --- topics (in the clause before the number, or the English noun phrase) ---------------------------

ZONE_TOPIC = re.compile(
    r"เขตส่งเสริม(?:เมืองอัจฉริยะ)?|ว่าที่เมืองอัจฉริยะ|promotion(?:al)?\s+zones?|promotion\s+areas?"
    r"|candidate\s+(?:smart\s+)?cit(?:y|ies)|smart[\s\-]+city\s+zones?|smart\s+city\s+promotion",
)
CITY_TOPIC = re.compile(
    r"เมืองอัจฉริยะ|สมาร์ท\s?ซิตี้|ตราสัญลักษณ์|รับรอง|smart[\s\-]+cit(?:y|ies)|certif(?:y|ies|ied|ication)",
)
# A count of smart-city *ambassadors*, ASEAN network members or awards (prizes; the verb "awarded"
# is a new-cue) is not a count of cities.
TOPIC_VETO = re.compile(
    r"ยุวทูต|ทูต|อาเซียน|asean|ascn|ทั่วโลก|worldwide|globally|ambassador|รางวัล|\bawards?\b"
    # proposals and budget requests submitted are never figures (LABELLING.md)
    r"|คำของบ|ยื่นข้อเสนอ|ยื่นใบสมัคร|proposals?\s+(?:were\s+)?submitted|applications?\s+(?:were\s+)?(?:submitted|received)"
)
PARTICIPATION = re.compile(
    r"เข้าร่วม|ผู้ร่วม|ร่วมงาน|ผู้เข้าชมงาน|เข้าชมงาน|ผู้ชมงาน|ภาคประชาชน|ผู้ลงทะเบียน|ลงทะเบียน"
    r"|ผู้เข้าอบรม|ผู้เรียน|ผู้ผ่านการ(?:อบรม|คัดเลือก)|ผู้สำเร็จ|สตาร์ทอัพ|ผู้จัดแสดง|จัดแสดง|นิทรรศการ"
    r"|participa|attend|delegates|visitors|registered|took\s+part|joined|startups?|exhibit|trainees|graduates",
)
PARTICIPATION_AFTER = re.compile(
    r"เข้าร่วม|ร่วมงาน|เข้าชม|จัดแสดง|attend|joined|took\s+part|participat|came\s+to|turned\s+out|visited"
    r"|show(?:ed|ing|cased)?\s+(?:their\s+|its\s+)?(?:products|solutions|innovations|work)|exhibit"
)
# An event yet to be held: those taking part in it are expected (LABELLING.md: target).
EVENT_TO_COME = re.compile(
    r"จะ(?:ร่วมกัน)?(?:มีการ)?(?:จัด(?:งาน|ขึ้น)|มีงาน)"
    r"|\b(?:will|is\s+to|are\s+to|is\s+set\s+to)\s+(?:be\s+held|take\s+place|host|hold|stage|organi[sz]e)\b"
)
TOURISM_WORDS = ("นักท่องเที่ยว", "ท่องเที่ยว", "tourist", "tourism", "arrivals")
TOURISM = re.compile("|".join(TOURISM_WORDS))
# A budget, an investment, a value: what makes a sum of baht programme money.
MONEY_WORDS = (
    "งบ", "ลงทุน", "มูลค่า", "เม็ดเงิน", "เงิน", "รายได้", "จับคู่ธุรกิจ", "budget", "invest", "worth", "value",
    "revenue", "fund",
)
MONEY_CUE = re.compile("|".join(MONEY_WORDS))
# Prices and per-head costs of unrelated things are not programme money.
PRICE = re.compile(
    r"ราคา|ค่าบัตร|ค่าเข้า|ค่าธรรมเนียม|ค่าลงทะเบียน|ค่าใช้จ่ายต่อ|บัตรละ|(?<=[\u0e00-\u0e7f])(?<!แ)ละ\s*$|ต่อ\s*$"
    r"|รางวัล|\b(?:prices?|priced|tickets?|fees?|costs?|per|prizes?|fines?|salary|salaries|wages?)\b",
)
# "500 บาทต่อคน", "200 baht per person" (but a budget "ต่อปี" / "per year" is programme money).
PRICE_AFTER = re.compile(
    r"^\s?(?:ต่อ(?!\s?ปี)|/(?!\s?ปี)|ละ|per\b(?!\s+(?:year|annum))|each\b|a\s+head|a\s+month)"
)
SMALL_AMOUNT = 1_000_000  # baht: below this, only a stated budget/investment/value is programme money
ZONE_DOC = re.compile(r"promotion\s+zone|เขตส่งเสริมเมืองอัจฉริยะ")
# English words that may stand between a number and "zones" when the article is about promotion
# zones: "92 new zones", "30 more zones".
ZONE_PHRASE_PLAIN = re.compile(
    r"^(?:(?:new|more|additional|further|designated|proposed|such|other|these|candidate|latest)\s+)*zones?$",
)
# Between two counts of the same noun: only linking words, so the second count is the same kind of
# thing (``10 เมืองอัจฉริยะใหม่ รวมเป็น 46 เมือง``; ``10 new smart cities, bringing the total to 46``).
CONTINUE_GAP = re.compile(
    r"^(?:[\s,;:()\-–]|อัจฉริยะ|ใหม่|แล้ว|และ|อีก|ส่งผลให้|ทำให้|ซึ่ง|รวม|ทั้งสิ้น|ทั้งหมด|มี|เป็น|เพิ่ม|ขึ้น|ปัจจุบัน"
    r"|ล่าสุด|ทั่วประเทศ|โดย|จำนวน|เห็นชอบ|อนุมัติ|ประกาศ|รับรอง|มอบ|"
    r"\b(?:and|bringing|brings|taking|takes|raising|raises|pushing|the|its|total|number|tally|count|to|of|now|"
    r"a|for|making|makes|new|more|another|which|increasing|rising|nationwide|smart|certified)\b)*$",
)
# Right before a count: "N more" / "up to N" words that carry on the count just stated in the same
# sentence, whatever its noun ("36 แห่ง และมีแผนพัฒนาเพิ่มเป็น 105 เมือง", "36 เมือง ... อีกกว่า 15 เมือง").
MORE_OF_THE_SAME = re.compile(
    r"(?:อีก|เพิ่ม(?:ขึ้น)?(?:เป็น|อีก)?(?:ได้)?(?:อีก)?|รวมเป็น|\b(?:more|another|further)\b)"
    r"\s*(?:กว่า|มากกว่า|ไม่น้อยกว่า|ประมาณ|ราว|than)?\s*$"
)
# In English the subject of a count may stand in the sentence before ("depa announced the latest
# smart city certification. A further 12 cities received the label."): a count of cities whose
# own sentence has one of these programme verbs takes its topic from the sentence before.
PROGRAMME_VERB = re.compile(
    r"\b(?:certif\w*|receiv\w*|grant\w*|approv\w*|designat\w*|named|award\w*|select\w*|"
    r"qualif\w*|label|status|join\w*)\b"
)
# Cities on their way to the label are candidates, which the programme counts as promotion zones.
CANDIDATE = re.compile(
    r"อยู่ระหว่าง(?:การ)?(?:พัฒนา|พิจารณา|ยื่น|สมัคร|จัดทำ)|candidate|under\s+(?:review|consideration)"
    r"|(?:in\s+the\s+process\s+of|working\s+towards?)\s+(?:becoming|certification)"
    # a place drafting its smart city plan (what a candidate submits for the label)
    r"|(?:พัฒนา|จัดทำ)แผน(?:พัฒนา)?(?:เมืองอัจฉริยะ|\s*smart\s+city)"
)
# "15 เมือง แบ่งเป็น 2 ประเภท ... 13 เมือง ... 2 เมือง": a count announced as split into parts.
SPLIT_INTO_WORDS = (
    "แบ่งเป็น", "แบ่งออกเป็น", "ประกอบด้วย", "จำแนกเป็น", r"divided\s+into", r"split\s+into", "comprising",
)
SPLIT_INTO = re.compile("|".join(SPLIT_INTO_WORDS))
# The count a metric belongs to: a province count goes with its city or zone count.
COUNT_METRIC = {
    "smart_city_count": "smart_city_count",
    "smart_city_province_count": "smart_city_count",
    "zone_count": "zone_count",
    "zone_province_count": "zone_count",
}
# A clause joined to the one before by "and" (its count shares that count's standing scope).
COORDINATED = re.compile(r"[\s,;]*(?:และ(?:ยัง)?มี|\band\s+(?:there\s+(?:are|were)|has|have)\b)")
# "from 30 cities last year": an earlier value (FROM_BEFORE the number, PRIOR_AFTER its noun).
PRIOR_AFTER = re.compile(
    r"^\s*(?:in\s+)?(?:last\s+year|a\s+year\s+(?:ago|earlier)|the\s+previous\s+year|previously|earlier)"
    r"|^\s*(?:ใน|เมื่อ)?ปี(?:ที่แล้ว|ก่อน)",
)
FROM_BEFORE = re.compile(r"(?:\bfrom|จาก)\s*$")

# --- scope cues (nearest before the number wins) ------------------------------------------------------

# One pattern, one named group per scope; the cue nearest before the number wins.  Within one
# position the longer, more specific phrase comes first ("เพิ่มเป็น" is a total, "เพิ่ม" is new).
SCOPE_BEFORE = re.compile(
    # target: a goal, a forecast, a plan
    r"(?P<target>คาด|(?<!พื้นที่)(?<!กลุ่ม)เป้าหมาย|ตั้งเป้า|มุ่งหวัง|ให้ครอบคลุม|เพื่อให้|ผลักดันให้|มุ่งให้|ภายในปี|ภายใน\s*(?:พ\.ศ\.|ค\.ศ\.)?\s*25\d\d|ประเมินว่า|จะ"
    # a plan approved, drafted or developed is a document, not a goal ("การพัฒนาแผน", "เห็นชอบแผน")
    r"|(?<!เห็นชอบ)(?<!อนุมัติ)(?<!พัฒนา)(?<!จัดทำ)แผน"
    r"|\b(?:aims?|aiming|targets?|targeting|targeted|expects?|expected|plans?|planned|planning|projected|"
    r"forecasts?|goal|will|would|hopes?|hoping|seeks?|seeking|intends?|envisions?|set\s+to|"
    r"is\s+to|are\s+to)\b|\bby\s+(?:the\s+end\s+of\s+)?20\d\d)"
    # total: the cumulative national figure
    r"|(?P<total>ทั้งสิ้น|ทั้งหมด|ปัจจุบัน|ขณะนี้|ประเทศไทยมี|ทั่วประเทศมี|สะสม|แล้ว|เพิ่ม(?:ขึ้น)?เป็น"
    # a span up to now: "ตลอด 3 ปีที่ผ่านมา", "over the past two years" (so far, not one event)
    r"|(?:ช่วง|ระยะ|ตลอด)\s*(?:เวลา)?\s*(?:\d+\s*)?(?:ปี|เดือน)ที่ผ่านมา"
    r"|\b(?:over|during|throughout)\s+the\s+(?:past|last)\s+(?:\w+\s+)?(?:years?|months?|decade)\b"
    r"|รวม(?:ทั้งสิ้น|ทั้งหมด|เป็น|ได้)\s*(?:กว่า|มากกว่า|ประมาณ)?\s*$"
    r"|ณ\s*(?:วันที่|สิ้น)|ข้อมูล\s*ณ|\bas\s+of\b|\bas\s+at\b|หนึ่งใน\s*$|\bone\s+of(?:\s+the)?\s*$"
    r"|\b(?:in\s+total|total(?:ling|ing|s)?|so\s+far|to\s+date|altogether|now\s+ha(?:s|ve)|"
    r"now\s+(?:covers?|counts?|includes?|spans?|numbers?)|"
    r"currently|cumulative(?:ly)?|bringing\s+the\s+(?:total|number)\s+to|rising\s+to|increased\s+to|"
    r"grown\s+to|stands?\s+at|all|thailand\s+(?:now\s+)?has|there\s+are\s+now|there\s+are\s+currently|already|"
    r"ha(?:s|ve)\s+(?:so\s+far\s+|now\s+|already\s+)?(?:been\s+)?certified)\b)"
    # new: announced, approved or awarded in the event reported
    # a renewal of the label is no new, total or target figure (shared/LABELLING.md: scope null)
    r"|(?P<renewal>ต่ออายุ|\brenew(?:al|als|ed|s)?\b)"
    r"|(?P<new>เพิ่ม(?=\s*(?:อีก|เติม|ขึ้น|จำนวน|กว่า|มากกว่า|\d|เมือง|เขต|พื้นที่|แห่ง))|ประกาศ(?!นียบัตร)|เห็นชอบ|มอบ|ให้แก่|ผ่านการพิจารณา|อนุมัติ|ใหม่|รอบนี้|ครั้งนี้|ปีนี้|อีก(?=\s*\d)"
    r"|\b(?:new|newly|announced|announces?|handed|presented|approved|approves?|awarded|awards?|granted|grants?|named|"
    r"names|endorsed|endorses|added|adds|another|additional|further|unveil(?:s|ed)|designat(?:ed|es)|"
    r"certif(?:ies|y)\s+(?:another|a\s+further)|this\s+year)\b)"
    # weak total: a bare "รวม 92" / "a total of 92" / "ทั้ง 77" sums what the clause speaks of.  It is the
    # cumulative figure only when nothing stronger (new, target) says otherwise: in "มอบใบประกาศ
    # ... ให้แก่เมืองใหม่รวม 92 เมือง" รวม means "in all, at this event".
    r"|(?P<weak>รวม(?:จำนวน)?\s*(?:กว่า|มากกว่า|ประมาณ)?\s*$|ทั้ง\s*$|\ba\s+total\s+of\b)",
)
# Right after the counted noun: "36 smart cities so far", "10 เมืองอัจฉริยะใหม่", "105 เมืองภายในปี 2570",
# "15 more cities will receive ..." (a few words may stand between: "15 cities in Isan will").
SCOPE_AFTER = re.compile(
    # still under review or in progress: no scope ("36 เขตส่งเสริมฯ ที่อยู่ระหว่างการพิจารณา")
    # (of this noun: not after a conjunction that starts a clause about other cities, "และมีเมืองที่...")
    r"^(?:อัจฉริยะ)?\s*(?:(?P<pending>(?:(?!และ|ส่วน|ขณะ|โดยมี)\S){0,30}?ที่อยู่ระหว่าง"
    r"|(?:[a-z\-]+\s+){0,3}?(?:still\s+)?(?:under\s+review|pending|awaiting))"
    r"|(?P<new>ใหม่|เพิ่มเติม|ล่าสุด)"
    r"|(?P<target>ภายใน(?:ปี)?\s*(?:พ\.ศ\.|ค\.ศ\.)?\s*(?:25|20)\d\d|ภายในสิ้นปี|\bby\s+(?:the\s+end\s+of\s+)?20\d\d"
    r"|(?:(?:in\s+)?[a-z\-]+\s+){0,2}?\b(?:(?P<would>would)|will|shall|(?:is|are)\s+(?:expected|set|slated|planned|due)\s+to"
    r"|(?:is|are)\s+to|to)\s+(?:(?:also|soon|then)\s+)?(?:be\s+(?:certified|announced|named|added|approved|awarded|"
    r"designated|declared|granted|given|selected|upgraded|promoted|recognised|recognized)|receive|get|gain|join|"
    r"become|obtain|earn|qualify)\b)"
    r"|(?P<total>ทั่วประเทศ(?:แล้ว)?\s*$|แล้ว|(?:[\w\s\-]{0,30}?)\b(?:so\s+far|to\s+date|in\s+total|altogether)\b))",
)
# In the English noun phrase: "10 new smart cities", "15 more cities".
SCOPE_PHRASE_NEW = re.compile(r"\b(?:new|newly|more|additional|further|latest)\b")
# "up from 30 last year", "จากเดิม 30 เมือง": an earlier value, not a figure of this report.
PRIOR_VALUE = re.compile(
    r"(?:\b(?:up|down|rising|rose|risen|increas\w*|grow\w*|grew|jump\w*|climb\w*|compared)\s+(?:from|with|to)"
    r"|\bversus|\bvs\.?|จากเดิม(?:ที่มี(?:อยู่)?)?|เพิ่มขึ้นจาก|เทียบกับ|จากปี(?:ก่อน|ที่แล้ว))\s*(?:only\s+|just\s+)?$",
)
# "5-7 cities", "5 to 7 cities", "300-500 ล้านบาท": a range is not one figure.
RANGE_BEFORE = re.compile(r"\d\s?(?:[-–]|to|ถึง|–)\s?$")
# Between a city/zone count and a province count: "36 เมืองจาก 25 จังหวัด", "36 smart cities in 25 provinces".
LINK = re.compile(
    r"^\s*(?:กว่า\s*)?(?:อัจฉริยะ\s*)?(?:(?:as\s+)?(?:certified\s+)?smart\s+cities\s+)?(?:จาก|ใน|ครอบคลุม|กระจาย(?:อยู่)?(?:ใน)?|ทั่ว|across|in|from|covering|"
    r"spread\s+(?:across|over)|within|located\s+in|of)?\s*(?:กว่า|more\s+than|over)?\s*$",
)

# A goal word right before a new-cue (years allowed between): "ตั้งเป้า ปี 2566 เพิ่มอีก", "aims to add".
# A future word right before a rise to a new total: "จะทำให้จำนวนเมืองอัจฉริยะเพิ่มขึ้นเป็น 45 แห่ง",
# "which will bring the total to 45": the total to be reached is a target.
FUTURE_BEFORE_RISE = re.compile(r"(?:จะ|\bwill\b|\bwould\b|\bexpected\s+to\b)[^\d\n]{0,40}$")
RISE_TO_TOTAL = re.compile(
    r"เพิ่ม(?:ขึ้น)?เป็น|รวมเป็น|bringing\s+the\s+(?:total|number)\s+to|rising\s+to|increased\s+to|grown\s+to"
)
# After the noun, these make a standing total even of a count the verb announced: "granted to 12
# towns so far".
TOTAL_AFTER_OVERRIDES = re.compile(r"so\s+far|to\s+date|in\s+total|altogether")
GOAL_BEFORE = re.compile(
    r"(?:ตั้งเป้า(?:หมาย)?|เป้าหมาย|มีแผน(?:จะ)?|\b(?:aims?|plans?|targets?)\s+to)"
    r"(?:\s*(?:ใน)?(?:ปี|ภายในปี)?\s*(?:พ\.ศ\.\s*)?(?:25|20)\d\d)?\s*(?:จะ|ให้)?\s*$"
)

# A goal or a deadline that governs an increase stated later in its phrase: "ตั้งเป้าหมายภายในปี 2570
# จะขยายเพิ่มอีก 20 เมือง", "by 2027 the agency plans to add 20 more": the increase is a target.
GOAL_OR_DEADLINE = re.compile(
    r"ตั้งเป้า(?:หมาย)?|เป้าหมาย|มีแผน|คาด(?:ว่า|การณ์)?|ภายใน(?:ปี|สิ้นปี)?\s*(?:พ\.ศ\.|ค\.ศ\.)?\s*(?:25|20)\d\d"
    r"|\b(?:aims?|plans?|targets?)\s+to\b|\bby\s+(?:the\s+end\s+of\s+)?20\d\d\b"
)

# Words that may stand between a region label and its count ("ภาคเหนือ มีจำนวน 27 เมือง").
REGION_TAIL = re.compile(r"(?:\s|มี|จำนวน|รวม|อีก|[:：\-–(])*$")
# Right after a "N ล้าน" with no currency: a count of people, not money.
PEOPLE_AFTER = re.compile(r"\s?(?:คน|ราย|ท่าน|people|visitors|users)")
# Reported speech of a decision: "depa said 15 more cities would receive the label" is no plan.
REPORTED = re.compile(r"\b(?:said|says|told|announced|stated|reported)\b")


def last_match(regex: re.Pattern[str], text: str) -> re.Match[str] | None:
    """The last match of ``regex`` in ``text`` (the cue nearest the number), or None."""
    last = None
    for m in regex.finditer(text):
        last = m
    return last
