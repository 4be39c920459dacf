"""Figures stated in a Thai or English article about Thailand's smart-city programme.

``extract_figures(text)`` returns one :class:`smartcity.records.Figure` per figure a reader
would quote: how many certified smart cities (and in how many provinces), how many smart city
promotion zones (and provinces), how much money, how many participants; each with its scope,
qualifier, region (for a breakdown) and the exact evidence span.

How it works (general rules, no article-specific cases):

1. :func:`smartcity.thai.numbers.find_numbers` tokenises every number with its multiplier and
   currency.  Numbers inside noise spans (phone numbers, page counters, URLs, e-mails) are
   dropped.
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
   target); an expected outcome carries over to the next figure of the same sentence.  The
   qualifier comes from the words right before (or ``กว่า`` right after) the number.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from smartcity.geo import find_provinces, find_region_labels
from smartcity.records import Figure
from smartcity.thai.numbers import NumberMatch, find_numbers, qualifier_after, qualifier_before

__all__ = ["extract_figures"]

log = logging.getLogger(__name__)

_WINDOW = 160  # characters of clause looked at before a number
_MAX_TEXT = 20_000_000  # refuse to work on more than this (characters)

# --- noise -----------------------------------------------------------------------------------------

_NOISE = re.compile(
    r"https?://\S+|www\.\S+|[\w.+-]+@[\w-]+\.[\w.]+"  # URLs, e-mail addresses
    r"|(?:\+66|\(?0\d{1,2}\)?)[\s\-]?\d{3,4}[\s\-]?\d{3,4}(?!\d)"  # Thai phone numbers
    r"|(?:โทร(?:ศัพท์|สาร)?\.?|Tel\.?|Fax|Phone|Call)\s*:?\s*[\d\s\-+(),]{6,}"
    r"|(?i:\b(?:visitors?|views?|page\s*views?|hits|pageviews|online|today|total\s+visits?)"
    r"\s*[:：]\s*[\d,]+)"  # page counters ("Visitors: 93,395")
    r"|(?:ผู้เข้าชม|เข้าชม|อ่านแล้ว|จำนวนผู้อ่าน|ผู้ชม)\s*[:：]\s*[\d,]+"
)

# --- counted nouns (right after the number) --------------------------------------------------------

_UNIT_TH = re.compile(
    r"\s?(?:กว่า\s?)?(?P<unit>เมือง|จังหวัด|เขต|พื้นที่|แห่ง|ราย|คน|ท่าน|องค์กร)"
)
_UNIT_EN = re.compile(
    r"(?:-plus)?\s+(?P<phrase>(?:(?!(?:the|a|an|have|has|had|are|is|was|were|be|been|in|of|to|for|and|or|"
    r"with|across|from|by|on|at|that|which|who|will|would|than)\b)[A-Za-z][\w'\-]*\s+){0,4})"
    r"(?P<unit>smart[\s\-]+cities|cities|city|municipalities|provinces|province|zones|zone|areas|"
    r"participants|people|persons|attendees|visitors|delegates)\b",
    re.IGNORECASE,
)
_UNIT_KIND = {
    "เมือง": "city", "จังหวัด": "province", "เขต": "zone", "พื้นที่": "area", "แห่ง": "place",
    "ราย": "person", "คน": "person", "ท่าน": "person", "องค์กร": "org",
    "smart cities": "city", "cities": "city", "city": "city", "municipalities": "city",
    "provinces": "province", "province": "province", "zones": "zone", "zone": "zone",
    "areas": "area", "participants": "person", "people": "person", "persons": "person",
    "attendees": "person", "visitors": "person", "delegates": "person",
}
# Words right after "N เมือง" that make it something other than a count of smart cities.
_CITY_NOT_COUNTED = re.compile(r"^(?:นำร่อง|รอง|หลัก|ท่องเที่ยว|เก่า|ต้องห้าม|pilot)")

# --- topics (in the clause before the number, or the English noun phrase) ---------------------------

_ZONE_TOPIC = re.compile(
    r"เขตส่งเสริม(?:เมืองอัจฉริยะ)?|ว่าที่เมืองอัจฉริยะ|promotion(?:al)?\s+zones?|promotion\s+areas?"
    r"|candidate\s+(?:smart\s+)?cit(?:y|ies)|smart[\s\-]+city\s+zones?|smart\s+city\s+promotion",
    re.IGNORECASE,
)
_CITY_TOPIC = re.compile(
    r"เมืองอัจฉริยะ|สมาร์ท\s?ซิตี้|ตราสัญลักษณ์|ได้รับการรับรอง|smart[\s\-]+cit(?:y|ies)|certified",
    re.IGNORECASE,
)
# A count of smart-city *ambassadors*, ASEAN network members or awards is not a count of cities.
_TOPIC_VETO = re.compile(
    r"ยุวทูต|ทูต|อาเซียน|ASEAN|ASCN|ทั่วโลก|worldwide|globally|ambassador|รางวัล|award", re.IGNORECASE
)
_PARTICIPATION = re.compile(
    r"เข้าร่วม|ผู้ร่วม|ร่วมงาน|ผู้เข้าชมงาน|เข้าชมงาน|ผู้ชมงาน|ภาคประชาชน|ผู้ลงทะเบียน|ลงทะเบียน"
    r"|ผู้เข้าอบรม|participa|attend|delegates|visitors|registered|took\s+part|joined",
    re.IGNORECASE,
)
_PARTICIPATION_AFTER = re.compile(r"เข้าร่วม|ร่วมงาน|attend|joined|took\s+part|participat", re.I)
_TOURISM = re.compile(r"นักท่องเที่ยว|ท่องเที่ยว|tourist|tourism|arrivals", re.IGNORECASE)
_MONEY_CUE = re.compile(
    r"งบ|ลงทุน|มูลค่า|เม็ดเงิน|เงิน|รายได้|จับคู่ธุรกิจ|budget|invest|worth|value|revenue|fund",
    re.IGNORECASE,
)
# Prices and per-head costs of unrelated things are not programme money.
_PRICE = re.compile(
    r"ราคา|ค่าบัตร|ค่าเข้า|ค่าธรรมเนียม|ค่าลงทะเบียน|ค่าใช้จ่ายต่อ|บัตรละ|(?:คน|ท่าน|ชิ้น|ใบ|หน่วย)ละ\s*$|ต่อ\s*$"
    r"|\b(?:prices?|priced|tickets?|fees?|costs?|per)\b",
    re.IGNORECASE,
)
_PRICE_AFTER = re.compile(r"^\s?(?:ต่อ|/|ละ|per\b|each\b|a\s+head)", re.IGNORECASE)

# --- scope cues (nearest before the number wins) ------------------------------------------------------

_SCOPE_CUES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"คาด|เป้าหมาย|ตั้งเป้า|มุ่งหวัง|ภายในปี|ภายใน\s*(?:พ\.ศ\.|ค\.ศ\.)?\s*25\d\d|ประเมินว่า|จะ"
                r"|\b(?:aims?|aiming|targets?|targeting|expects?|expected|plans?|planned|projected|"
                r"forecast|goal|will|would|hopes?|seeks?)\b|\bby\s+(?:the\s+end\s+of\s+)?20\d\d",
                re.IGNORECASE), "target"),
    (re.compile(r"ทั้งสิ้น|ทั้งหมด|ปัจจุบัน|รวม(?:ทั้งสิ้น|ทั้งหมด|เป็น|จำนวน|ได้)?\s*(?:กว่า|มากกว่า|ประมาณ)?\s*$"
                r"|ทั้ง\s*$|เพิ่ม(?:ขึ้น)?เป็น|สะสม"
                r"|\b(?:in\s+total|a\s+total\s+of|total(?:ling)?|so\s+far|to\s+date|altogether|now\s+has|"
                r"now\s+have|currently|cumulative|bringing\s+the\s+(?:total|number)\s+to|rising\s+to|"
                r"increased\s+to|grown\s+to|all)\b",
                re.IGNORECASE), "total"),
    (re.compile(r"เพิ่ม|ประกาศ|เห็นชอบ|มอบ|ผ่านการพิจารณา|อนุมัติ|ได้รับ|ใหม่"
                r"|\b(?:new|newly|announced|approved|awarded|granted|named|endorsed|added|another)\b",
                re.IGNORECASE), "new"),
]
# An English sentence ends at . ! ? before a capital, but not after a title or an initial.
_SENTENCE_END_EN = re.compile(
    r"(?<!\bMr)(?<!\bMs)(?<!\bDr)(?<!Mrs)(?<!\bNo)(?<!\bSt)(?<!\bvs)(?<!\b[A-Z])"
    r"[.!?](?=\s+[A-Z\"“])|[\n\r]"
)


@dataclass(slots=True)
class _Hit:
    """A number with its counted noun: the working state of one candidate figure."""

    num: NumberMatch
    kind: str | None  # city | province | zone | area | place | person | org | money | None
    unit_end: int
    phrase: str  # English words between the number and the noun ("new smart city promotion")
    figure: Figure | None = None


def _unit_of(text: str, n: NumberMatch) -> tuple[str | None, int, str]:
    """(kind, end offset of the counted noun, English noun phrase) for the number ``n``."""
    if n.currency == "THB":
        return "money", n.end, ""
    if n.currency is not None:
        return "foreign_money", n.end, ""
    after = text[n.end : n.end + 60]
    head = after[:3].lstrip()[:1]
    if not head:
        return ("bare_millions" if n.multiplier >= 1e6 else None), n.end, ""
    m = _UNIT_TH.match(after) if "\u0e00" <= head <= "\u0e7f" else None
    if m:
        return _UNIT_KIND[m.group("unit")], n.end + m.end(), ""
    m = _UNIT_EN.match(after) if head == "-" or (head.isascii() and head.isalpha()) else None
    if m:
        unit = re.sub(r"[\s\-]+", " ", m.group("unit").casefold())
        phrase = m.group("phrase") + m.group("unit")
        return _UNIT_KIND.get(unit), n.end + m.end(), phrase
    if n.multiplier >= 1e6:
        return "bare_millions", n.end, ""  # "กว่า 2,500 ล้าน": money if the clause talks money
    return None, n.end, ""


def _last(regex: re.Pattern[str], text: str) -> re.Match[str] | None:
    last = None
    for m in regex.finditer(text):
        last = m
    return last


def _scope(clause: str) -> tuple[str | None, int]:
    """(scope, offset in ``clause`` of the cue) from the cue nearest the clause's end."""
    best: tuple[int, int, str] | None = None  # (end, length, scope)
    for regex, scope in _SCOPE_CUES:
        m = _last(regex, clause)
        if m is None:
            continue
        key = (m.end(), m.end() - m.start(), scope)
        if best is None or key[:2] > best[:2]:
            best = key
    if best is None:
        return None, len(clause)
    end, length, scope = best
    return scope, end - length


def _topic(clause: str, phrase: str) -> tuple[str | None, int]:
    """(``zone`` | ``city`` | None, offset in ``clause`` where the topic starts, or len(clause))."""
    if phrase:
        if _ZONE_TOPIC.search(phrase) or re.search(r"promotion|candidate", phrase, re.I):
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


def _topic_after(text: str, pos: int) -> str | None:
    """The topic stated right after a counted noun: ``10 เมืองได้รับตราสัญลักษณ์เมืองอัจฉริยะ``,
    ``15 cities have received the Smart City label``.  Thai: the rest of the word run (no space);
    English: the rest of the clause, up to a comma or sentence end.
    """
    after = text[pos : pos + 60]
    if after[:1].isspace() or not after:
        m = re.match(r"[^,.;:!?\n]*", after)
        after = m.group(0) if m and re.match(r"\s+[a-z]", after) else ""
    else:
        after = re.split(r"\s", after, maxsplit=1)[0]
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


def _clause_start(text: str, pos: int, prev_end: int) -> int:
    """Start of the clause that ends at ``pos``: after the previous counted number or sentence end."""
    lo = max(prev_end, pos - _WINDOW, 0)
    seg = text[lo:pos]
    last = None
    for m in _SENTENCE_END_EN.finditer(seg):
        last = m
    return lo + last.end() if last else lo


def _in_noise(text: str, n: NumberMatch) -> bool:
    """Whether the numeral of ``n`` lies in a phone number, page counter, URL or e-mail address."""
    lo = max(0, n.num_start - 40)
    window = text[lo : n.num_end + 20]
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
    hits: list[_Hit] = []
    for n in find_numbers(text):
        kind, unit_end, phrase = _unit_of(text, n)
        # Noise is looked for only around counted numbers (few), not over the whole text.
        if kind is not None and _in_noise(text, n):
            continue
        hits.append(_Hit(n, kind, unit_end, phrase))

    figures: list[Figure] = []
    prev_end = 0  # end of the previous *counted* number: clauses stop there
    prev: _Hit | None = None  # previous counted hit
    parent: Figure | None = None  # the last city/zone count a breakdown can refer to
    last_fig: Figure | None = None
    for hit in hits:
        if hit.kind is None:
            continue
        n = hit.num
        lo = _clause_start(text, n.start, prev_end)
        clause = text[lo : n.start]
        fig = _classify(text, hit, lo, clause, prev, parent, last_fig)
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


def _qualifier(text: str, n: NumberMatch, lo: int) -> tuple[str, int]:
    """(qualifier, where the qualifier word starts) for number ``n``; ``exact`` if none."""
    before = text[max(lo, n.start - 40) : n.start]
    q = qualifier_before(before)
    if q is not None:
        m = re.search(
            r"(?:(?:more|less|fewer|at|up|many|no|not|close|excess|upwards|an|a|maximum|minimum)\s+)?\S+\s*$",
            before,
            re.IGNORECASE,
        )
        qstart = n.start - len(before) + (m.start() if m else len(before))
        return q, qstart
    after = qualifier_after(text[n.num_end : n.num_end + 8])
    return (after or "exact"), n.start


def _classify(
    text: str,
    hit: _Hit,
    lo: int,
    clause: str,
    prev: _Hit | None,
    parent: Figure | None,
    last_fig: Figure | None,
) -> Figure | None:
    n = hit.num
    kind = hit.kind
    qualifier, qstart = _qualifier(text, n, lo)
    scope, cue_at = _scope(clause)
    after_unit = text[hit.unit_end : hit.unit_end + 40]
    metric: str | None = None
    anchor = qstart
    region: str | None = None
    inherit_from: Figure | None = None

    if kind in ("money", "bare_millions"):
        if kind == "bare_millions":
            if re.match(r"\s?(?:คน|ราย|ท่าน|people|visitors|users)", text[n.end : n.end + 10], re.I):
                return None
            if not _MONEY_CUE.search(clause):
                return None
        if _PRICE.search(text[max(lo, qstart - 30) : qstart]) or _PRICE_AFTER.search(after_unit):
            return None
        metric = "amount_thb"
        m = _last(_MONEY_CUE, clause)
        if m is not None and lo + m.start() >= n.start - 60:
            anchor = min(anchor, lo + m.start())
    elif kind in ("city", "zone", "area", "place"):
        if kind == "city" and _CITY_NOT_COUNTED.match(after_unit):
            return None
        if _TOPIC_VETO.search(clause) or _TOPIC_VETO.search(after_unit[:25]):
            return None
        topic, t_at = _topic(clause, hit.phrase)
        if topic is None:
            topic = _topic_after(text, hit.unit_end)
        region, r_at = _region_before(text, qstart, lo)
        if region is not None:
            anchor = min(anchor, r_at)
            if topic is None and parent is not None:
                topic = "zone" if parent.metric == "zone_count" else "city"
                inherit_from = parent
        if topic == "zone":
            metric = "zone_count"
        elif topic == "city":
            metric = "smart_city_count"
        if metric is None:
            return None
        if region is None and t_at < len(clause):
            anchor = min(anchor, lo + t_at)
    elif kind == "province":
        linked = _linked_count(text, hit, prev)
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
    elif kind == "person":
        wide = text[max(0, lo - 40) : hit.unit_end + 40]
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
        if "\n" not in gap and len(gap) < 120 and not re.search(r"[.!?]\s", gap):
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
    r"^\s*(?:กว่า\s*)?(?:อัจฉริยะ\s*)?(?:จาก|ใน|ครอบคลุม|กระจาย(?:อยู่)?(?:ใน)?|ทั่ว|across|in|from|covering|"
    r"spread\s+(?:across|over)|within|located\s+in|of)\s*(?:กว่า|more\s+than|over)?\s*$",
    re.IGNORECASE,
)


def _linked_count(text: str, hit: _Hit, prev: _Hit | None) -> Figure | None:
    """The city/zone count a province count belongs to (``36 เมืองจาก 25 จังหวัด``), if any."""
    if prev is None or prev.figure is None:
        return None
    if prev.figure.metric not in ("smart_city_count", "zone_count"):
        return None
    gap = text[prev.unit_end : hit.num.start]
    return prev.figure if _LINK.match(gap) else None
