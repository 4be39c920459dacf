"""Candidate numbers: every number with a counted noun, a currency or a large multiplier.

One pass of precompiled patterns over the lower-cased text finds the number and what it counts
together.  Speed: most numbers in an article (dates, years, phone numbers, times, percentages)
have no counted noun and no currency; the patterns fail on them inside the regex engine, so no
Python object is ever built for them.  The patterns run on a lower-cased copy of the text (same
length, same offsets, see :func:`prepare`), so no IGNORECASE is needed.

The numeral, the multiplier, the currency and the number words are
:mod:`smartcity.thai.numbers`' pattern pieces, and every match is read by its
:func:`~smartcity.thai.numbers.number_from_match`: a number is read one way in the whole package.
What this module adds is the candidate *pattern* (number and counted noun in one regex) and the
noise filter (phone numbers, page counters, URLs, e-mail addresses).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from smartcity.extract.figures.vocabulary import UNIT_KIND, UNIT_KIND_EN, UNIT_KIND_TH
from smartcity.records import Figure
from smartcity.thai.numbers import (
    CURRENCY_PREFIX_LOWER,
    CURRENCY_SUFFIX_LOWER,
    EN_TENS,
    EN_UNITS,
    NUMERAL,
    THAI_SPELLED,
    NumberMatch,
    arabic_digits,
    multiplier_tail,
    number_from_match,
)

__all__ = ["Candidate", "find_candidates", "in_noise", "is_year", "lower_same_length", "prepare"]


@dataclass(slots=True)
class Candidate:
    """A number with its counted noun: the working state of one candidate figure.

    ``kind`` is what the number counts (``city``, ``province``, ``zone``, ``area``, ``place``,
    ``person``, ``org``, ``booth``), or ``money`` (baht), ``foreign_money``, ``bare_millions``
    (``กว่า 2,500 ล้าน``: money if the clause speaks of money), ``same`` (the noun counted just
    before: "bringing the total to 51"), ``region_item`` (a breakdown item: "9 in the North"), or
    None.  ``unit_end`` is where the noun (or currency) ends; ``phrase`` holds the English words
    between the number and its noun ("new smart city promotion"), or the region of a
    ``region_item``.  ``figure`` is set once the candidate has been classified as a figure.
    """

    num: NumberMatch
    kind: str | None
    unit_end: int
    phrase: str
    figure: Figure | None = None


def lower_same_length(text: str) -> str:
    """``text`` lower-cased with every offset kept (a few letters lower-case to two characters)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def prepare(text: str) -> str:
    """The text the patterns run on: Thai digits as Arabic, lower-cased, every offset kept."""
    return lower_same_length(arabic_digits(text))


# --- the candidate patterns ---------------------------------------------------------------------

_SP = "[ \t\u00a0]"  # a space inside a line: a counted noun never sits on the next line
_STOP_EN = (
    r"(?:the|a|an|have|has|had|are|is|was|were|be|been|in|of|to|for|and|or|with|across|from|by|on|at|"
    r"that|which|who|will|would|than|cities|provinces|zones|people|participants)"
)
_UNIT_TH_WORDS = "|".join(UNIT_KIND_TH)
_UNIT_EN_WORDS = "|".join(w.replace(" ", "[ \\-]+") for w in UNIT_KIND_EN)
_UNIT_TAIL = (
    rf"(?P<unit>{_SP}?(?:กว่า{_SP}?)?(?P<uth>{_UNIT_TH_WORDS})"
    rf"|(?:-plus|\+)?(?P<phrase>(?:{_SP}+(?!{_STOP_EN}\b)[a-z][\w'\-]*+){{0,4}}){_SP}+(?P<uen>{_UNIT_EN_WORDS})\b)?"
)
_MULT_TAIL = multiplier_tail(_SP)
_NEEDS_UNIT = r"(?(unit)|(?(suf)|(?(mult)|(?!))))"  # a bare number is not a candidate
_CAND_DIGITS = re.compile(
    NUMERAL +
    rf"{_MULT_TAIL}(?:{_SP}?(?P<suf>{CURRENCY_SUFFIX_LOWER}))?{_UNIT_TAIL}{_NEEDS_UNIT}"
)
# A spelled number starts at the first word of its run of number words: the candidate patterns are
# tried only where a run starts (found by a possessive scan, linear), so a long run of number words
# with no noun after it is tried once, not once per word (fuzzing found the quadratic scan).
_TH_WORDS = ("หนึ่ง", "สอง", "สาม", "สี่", "ห้า", "หก", "เจ็ด", "แปด", "เก้า", "สิบ", "ยี่")
_TH_ANY_WORD = "|".join((*_TH_WORDS, "เอ็ด", "ร้อย", "พัน", "หมื่น", "แสน", "ล้าน"))
_TH_RUN = re.compile(f"(?:{'|'.join(_TH_WORDS)})(?:{_TH_ANY_WORD})*+")
_CAND_TH_WORDS = re.compile(
    rf"{THAI_SPELLED}(?P<mult>(?!))?(?:{_SP}?(?P<suf>บาท))?{_UNIT_TAIL}{_NEEDS_UNIT}"
)
# A count in English words starts with a unit, a ten or "hundred" (not "zero", not a scale).
_EN_NUM_WORD = "|".join([*(w for w in EN_UNITS if w != "zero"), *EN_TENS, "hundred"])
_EN_ANY_WORD = "|".join([*EN_UNITS, *EN_TENS, "hundred", "thousand", "million", "billion"])
_EN_RUN = re.compile(rf"\b(?:{_EN_ANY_WORD})(?:(?:[ \-]+(?:and )?)(?:{_EN_ANY_WORD})\b)*+")
_CAND_EN_WORDS = re.compile(
    # at most 16 more words: more is no count, and the match stays bounded
    rf"(?P<num>(?:{_EN_NUM_WORD})(?:[ \-]+(?:and )?(?:{_EN_NUM_WORD}|thousand|million|billion)){{0,16}})\b"
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
_CAND_PREFIXED = re.compile(rf"(?P<pre>{CURRENCY_PREFIX_LOWER}){_SP}?{NUMERAL}{_MULT_TAIL}")
_HAS_LATIN = re.compile("[a-z]")


def find_candidates(text: str, low: str) -> list[Candidate]:
    """Every number in ``text`` that has a counted noun, a currency or a large multiplier, in order,
    except those inside noise (:func:`in_noise`).

    ``low`` is :func:`prepare` of ``text`` (Thai digits as Arabic, lower-cased, offsets unchanged).
    """
    return [c for c in _all_candidates(text, low) if not in_noise(text, c.num) and not is_year(low, c.num)]


def _all_candidates(text: str, low: str) -> list[Candidate]:
    hits: dict[int, Candidate | None] = {}
    for m in _CAND_DIGITS.finditer(low):
        s = m.start()
        if s and low[s - 1] in "0123456789.,":
            continue  # the tail of "v2.5" or "1,2": not a number of its own
        hits[s] = _from_match(m, low, "digits")
    for m in _CAND_PREFIXED.finditer(low):
        s = m.start()
        if s and low[s - 1].isalpha():
            continue  # "debt 5" is no "bt"
        ns = m.start("num")
        old = hits.get(ns)
        if old is None or old.num.currency is None:
            hits[ns] = _from_match(m, low, "digits")
    has_latin = _HAS_LATIN.search(low) is not None
    if has_latin and "to" in low:
        for m in _CAND_TOTAL_TO.finditer(low):
            s = m.start("num")
            if s not in hits:
                n = _plain_number(m)
                hits[s] = Candidate(n, "same", n.end, "")
    if has_latin and " in " in low:
        for m in _CAND_REGION_AFTER.finditer(low):
            s = m.start("num")
            if s and low[s - 1] in "0123456789.,":
                continue
            old = hits.get(s)
            if old is None or old.kind is None:
                n = _plain_number(m)
                # The phrase carries the region as written (original case) for classify.
                hits[s] = Candidate(n, "region_item", m.end("reg"), text[m.start("reg") : m.end("reg")])
    if has_latin and (":" in low or "|" in low):
        for m in _CAND_KEY_VALUE.finditer(low):
            s = m.start("num")
            if s in hits or not _KEY_HEAD.search(low, max(0, m.start() - 40), m.start()):
                continue
            n = _plain_number(m)
            hits[s] = Candidate(n, "zone" if "zone" in m.group("noun") else "city", n.end, "")
    if has_latin and " of " in low and ("number of" in low or "total of" in low):
        for m in _CAND_NUMBER_OF.finditer(low):
            s = m.start("num")
            if s not in hits:
                n = _plain_number(m)
                hits[s] = Candidate(n, "zone" if "zone" in m.group("noun") else "city", n.end, "")
    word_passes = ((_TH_RUN, _CAND_TH_WORDS, "thai_words"), (_EN_RUN, _CAND_EN_WORDS, "english_words"))
    for run_re, regex, kind in word_passes:
        if kind == "english_words" and not has_latin:
            continue
        for run in run_re.finditer(low):
            s = run.start()
            if s and low[s - 1].isalpha() and kind == "english_words":
                continue
            m = regex.match(low, s)
            if m is None:
                continue
            h = _from_match(m, low, kind)
            if h is not None:
                hits[s] = h
    return [h for k in sorted(hits) if (h := hits[k]) is not None]


def _plain_number(m: re.Match[str]) -> NumberMatch:
    """The bare Arabic numeral captured as ``num`` (no multiplier, no currency)."""
    return number_from_match(m, "digits", start=m.start("num"))  # type: ignore[return-value]


def _from_match(m: re.Match[str], low: str, kind: str) -> Candidate | None:
    """The candidate of a match of one of the number-with-noun patterns, or None."""
    groups = m.groupdict()
    n = number_from_match(m, kind, pre=groups.get("pre"))
    if n is None:
        return None  # a run of number words that is no number
    if m.group("mult") and n.multiplier == 1.0:
        # A single-letter multiplier with no currency ("300m"): metres as often as millions.
        return None
    if n.currency == "THB":
        return Candidate(n, "money", n.end, "")
    if n.currency is not None:
        return Candidate(n, "foreign_money", n.end, "")
    uth = groups.get("uth")
    if uth:
        return Candidate(n, UNIT_KIND[uth], m.end("unit"), "")
    uen = groups.get("uen")
    if uen:
        unit = re.sub(r"[\s\-]+", " ", uen)
        phrase = low[m.start("phrase") : m.end("uen")].strip()
        return Candidate(n, UNIT_KIND.get(unit), m.end("unit"), phrase)
    if n.multiplier >= 1e6:
        return Candidate(n, "bare_millions", n.end, "")  # "กว่า 2,500 ล้าน": money if the clause talks money
    return None


# --- years ------------------------------------------------------------------------------------------

# A year word right before a four-digit number makes it a year: "ภายในสิ้นปี 2569 เมืองอัจฉริยะ..."
# is no count of 2,569 cities, whatever noun follows.  Buddhist (25xx) and Common Era (19xx, 20xx).
_YEAR_WORD = re.compile(
    r"(?:ปี(?:งบประมาณ|การศึกษา)?|พ\.?\s?ศ\.?|ค\.?\s?ศ\.?|\b(?:year|fy|in|by|since|until|before|after))\s*$"
)
_YEAR_VALUES = (range(1900, 2101), range(2400, 2701))


def is_year(low: str, n: NumberMatch) -> bool:
    """Whether the numeral of ``n`` is a year: four plain digits in a year range with a year word
    (ปี, พ.ศ., ค.ศ., year, in, by, ...) right before it."""
    if n.kind != "digits" or n.has_separator or n.has_decimal or n.multiplier != 1 or n.currency:
        return False
    if n.num_end - n.num_start != 4 or not any(int(n.value) in r for r in _YEAR_VALUES):
        return False
    return _YEAR_WORD.search(low, max(0, n.num_start - 16), n.num_start) is not None


# --- noise -----------------------------------------------------------------------------------------

_NOISE = re.compile(
    r"https?://\S+|www\.\S+|(?<![\w.+-])[\w.+-]+@[\w-]+\.[\w.]+"  # URLs, e-mail addresses
    r"|(?:\+66|\(?0\d{1,2}\)?)[\s\-]?\d{3,4}[\s\-]?\d{3,4}(?!\d)"  # Thai phone numbers
    r"|(?:โทร(?:ศัพท์|สาร)?\.?|Tel\.?|Fax|Phone|Call)\s*:?\s*[\d\s\-+(),]{6,}"
    r"|(?i:\b(?:visitors?|views?|page\s*views?|hits|pageviews|online|today|total\s+visits?)"
    r"\s*[:：]\s*[\d,]+)"  # page counters ("Visitors: 93,395")
    r"|(?:ผู้เข้าชม|เข้าชม|อ่านแล้ว|จำนวนผู้อ่าน|ผู้ชม)\s*[:：]\s*[\d,]+"
)
# Every noise span holds one of these: most windows are ruled out by this one cheap scan.
_NOISE_HINT = re.compile(
    r"[:：@/+()]|www|\d[\s\-]\d|0\d{8}|โทร|Tel|TEL|tel|Fax|FAX|fax|Phone|phone|Call|call"
)


def in_noise(text: str, n: NumberMatch) -> bool:
    """Whether the numeral of ``n`` lies in a phone number, page counter, URL or e-mail address.

    Noise is looked for only around candidates (few), not over the whole text.
    """
    lo = max(0, n.num_start - 40)
    window = text[lo : n.num_end + 20]
    if not _NOISE_HINT.search(window):
        return False
    a, b = n.num_start - lo, n.num_end - lo
    return any(m.start() < b and a < m.end() for m in _NOISE.finditer(window))
