"""Numbers as Thai and English news write them, as pure functions.

Handles Arabic and Thai digits (``๓๖``), thousands separators and decimals (``1,831,105``,
``1.2``), Thai multipliers (``พัน`` ... ``ล้านล้าน``: ``1.2 พันล้านบาท``, ``4,750 ล้านบาท``),
spelled-out Thai (``สามสิบหก``, ``หนึ่งร้อยสิบสอง``, ``ยี่สิบเอ็ด``), English words and
abbreviations (``thirty-six``, ``15 billion``, ``THB2.4 trillion``, ``2.4 tn``, ``Bt300m``,
``1.5bn``) and the qualifier words in front of or after a number (``กว่า``, ``ไม่น้อยกว่า``,
``ประมาณ``, ``more than``, ``up to`` ...).

The main entry point is :func:`find_numbers`, a tokeniser that returns every number in a text
with its multiplier and currency and the character offsets of each part, so that callers can
quote the exact span.  :func:`parse_number` reads one number written on its own.

It is also the one place where a number is *read*: callers that look for numbers with their own
pattern (the figure extractor finds a number and its counted noun in one regex pass) build that
pattern from the pieces below (:data:`NUMERAL`, :func:`multiplier_tail`, :data:`THAI_SPELLED`,
the currency and word vocabularies) and read every match with :func:`number_from_match`.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from smartcity.thai.digits import to_arabic_digits

__all__ = [
    "CURRENCY_CODES",
    "CURRENCY_PREFIX_LOWER",
    "CURRENCY_SUFFIX_LOWER",
    "EN_SCALES",
    "EN_TENS",
    "EN_UNITS",
    "NUMERAL",
    "THAI_MULTIPLIER",
    "THAI_SPELLED",
    "NumberMatch",
    "arabic_digits",
    "english_words_to_number",
    "find_numbers",
    "multiplier_tail",
    "multiplier_value",
    "number_from_match",
    "parse_number",
    "qualifier_after",
    "qualifier_before",
    "thai_words_to_number",
]

# --- multipliers -------------------------------------------------------------------------------

_THAI_MULTIPLIERS: dict[str, float] = {
    "ล้านล้าน": 1e12,
    "แสนล้าน": 1e11,
    "หมื่นล้าน": 1e10,
    "พันล้าน": 1e9,
    "ร้อยล้าน": 1e8,
    "สิบล้าน": 1e7,
    "ล้าน": 1e6,
    "แสน": 1e5,
    "หมื่น": 1e4,
    "พัน": 1e3,
}
_EN_MULTIPLIERS: dict[str, float] = {
    "trillion": 1e12,
    "tn": 1e12,
    "trn": 1e12,
    "billion": 1e9,
    "bn": 1e9,
    "b": 1e9,
    "million": 1e6,
    "mn": 1e6,
    "mln": 1e6,
    "m": 1e6,
    "thousand": 1e3,
    "k": 1e3,
}
# "300m" is 300 metres as often as 300 million: a single letter is a multiplier only next to a
# currency ("Bt300m", "300m baht").
_LETTER_MULTIPLIERS = frozenset(w for w in _EN_MULTIPLIERS if len(w) == 1)


def multiplier_value(word: str) -> float | None:
    """The factor a multiplier word stands for (``พันล้าน`` -> 1e9, ``bn`` -> 1e9), else None."""
    w = word.strip()
    if w in _THAI_MULTIPLIERS:
        return _THAI_MULTIPLIERS[w]
    return _EN_MULTIPLIERS.get(w.casefold())


# --- spelled-out Thai ----------------------------------------------------------------------------

_TH_DIGITS = {
    "ศูนย์": 0, "หนึ่ง": 1, "เอ็ด": 1, "สอง": 2, "ยี่": 2, "สาม": 3, "สี่": 4, "ห้า": 5,
    "หก": 6, "เจ็ด": 7, "แปด": 8, "เก้า": 9,
}
_TH_PLACES = {"สิบ": 10, "ร้อย": 100, "พัน": 1000, "หมื่น": 10_000, "แสน": 100_000}
_TH_WORD = re.compile("|".join(sorted([*_TH_DIGITS, *_TH_PLACES, "ล้าน"], key=len, reverse=True)))
# No news figure comes near 10^18 (ล้านล้าน, a trillion, is 10^12).  Word numbers above it are runs of
# number words, not a number: reading them as one would build ever larger integers (quadratic time)
# and overflow float (found by fuzzing: "ล้าน" or "hundred" repeated without end).
MAX_WORD_NUMBER = 10**18


def _thai_below_million(words: list[str]) -> int | None:
    """Value of a spelled Thai number below one million given as a list of number words."""
    if not words:
        return 0
    total = 0
    digit: int | None = None
    last_place = 10**7
    for i, w in enumerate(words):
        if w in _TH_DIGITS:
            if digit is not None:
                return None  # two digit words in a row ("สองสาม") is a range, not a number
            if w == "ยี่" and (i + 1 >= len(words) or words[i + 1] != "สิบ"):
                return None  # "ยี่" only ever stands before "สิบ"
            if w == "เอ็ด" and i != len(words) - 1:
                return None
            digit = _TH_DIGITS[w]
        else:
            place = _TH_PLACES[w]
            if place >= last_place:
                return None
            total += (1 if digit is None else digit) * place
            digit = None
            last_place = place
    if digit is not None:
        total += digit
    return total


def thai_words_to_number(text: str) -> int | None:
    """Read a fully spelled-out Thai number (``สามสิบหก`` -> 36, ``สองล้านห้าแสน`` -> 2500000).

    Returns None if ``text`` is not made only of Thai number words in a valid order, or if it
    would stand for more than ``MAX_WORD_NUMBER``.
    """
    s = re.sub(r"\s+", "", text)
    if not s:
        return None
    words: list[str] = []
    pos = 0
    for m in _TH_WORD.finditer(s):
        if m.start() != pos:
            return None
        words.append(m.group(0))
        pos = m.end()
    if pos != len(s):
        return None
    # Split on ล้าน from the right: "สองล้านห้าแสน" = 2 * 10^6 + 500000; "ล้านล้าน" nests.
    value = 0
    scale = 1
    chunk: list[str] = []
    for w in reversed(words):
        if w == "ล้าน":
            part = _thai_below_million(list(reversed(chunk)))
            if part is None:
                return None
            value += part * scale
            scale *= 1_000_000
            if scale > MAX_WORD_NUMBER:
                return None
            chunk = []
        else:
            chunk.append(w)
    part = _thai_below_million(list(reversed(chunk)))
    if part is None:
        return None
    if not chunk and words[0] == "ล้าน":
        part = 1  # "ล้าน" alone reads as one million
    value += part * scale
    return value if value <= MAX_WORD_NUMBER else None


# --- English words -------------------------------------------------------------------------------

EN_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
EN_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}
EN_SCALES = {"thousand": 1_000, "million": 1_000_000, "billion": 10**9, "trillion": 10**12}


def english_words_to_number(text: str) -> int | None:
    """Read an English number in words (``thirty-six`` -> 36, ``two hundred and five`` -> 205).

    Returns None if ``text`` holds anything but number words (and "and" between them), or if it
    would stand for more than ``MAX_WORD_NUMBER``.
    """
    words = [w for w in re.split(r"[\s\-]+", text.casefold().strip()) if w]
    if not words or words[0] == "and":
        return None
    total = 0
    current = 0
    seen = False
    for w in words:
        if w == "and":
            continue
        if w in EN_UNITS:
            current += EN_UNITS[w]
        elif w in EN_TENS:
            current += EN_TENS[w]
        elif w == "hundred":
            current = (current or 1) * 100
        elif w in EN_SCALES:
            total += (current or 1) * EN_SCALES[w]
            current = 0
        else:
            return None
        if total + current > MAX_WORD_NUMBER:
            return None  # "hundred hundred hundred ...": no number a text means
        seen = True
    return total + current if seen else None


# --- the tokeniser -------------------------------------------------------------------------------


@dataclass(slots=True)  # not frozen: a frozen __init__ costs 3x, and this is built per number
class NumberMatch:
    """One number found in a text.

    ``value`` is the number with its multiplier applied (``4,750 ล้าน`` -> 4.75e9).
    ``start``/``end`` span the whole expression (currency prefix, numeral, multiplier, currency
    word); ``num_start``/``num_end`` the numeral alone.  ``currency`` is ``"THB"`` when a baht
    sign or word is attached, another ISO code for a foreign currency, else None.
    ``kind`` is ``digits``, ``thai_words`` or ``english_words``.
    """

    value: float
    start: int
    end: int
    num_start: int
    num_end: int
    multiplier: float
    currency: str | None
    kind: str
    has_separator: bool = False
    has_decimal: bool = False


_HAS_THAI_DIGIT = re.compile("[๐-๙]")


def arabic_digits(text: str) -> str:
    """``text`` with Thai digits read as Arabic, same length and offsets (itself when it has none)."""
    return to_arabic_digits(text) if _HAS_THAI_DIGIT.search(text) else text


# --- pattern pieces: every number pattern of the package is built from these ----------------------

# The numeral starts with a plain \d so that ``re`` can skip to the next digit in C (an alternation
# first would make it try the whole pattern at every character: 3x slower).
NUMERAL = r"(?P<num>\d(?:\d{0,2}(?:,\d{3})+|\d*)(?:\.\d+)?)(?!\d)"
_THAI_MULT_RE = "|".join(sorted(_THAI_MULTIPLIERS, key=len, reverse=True))
# "พัน" must not be the start of "พันธมิตร" (partner), "พันธกิจ" (mission), "พันธุ์" (breed) ...
THAI_MULTIPLIER = rf"(?:{_THAI_MULT_RE})(?!ธ|ท)"
_EN_MULT_ATTACHED = "|".join(_EN_MULTIPLIERS)  # "2.4tn", "Bt300m"
_EN_MULT_SPACED = "|".join(w for w in _EN_MULTIPLIERS if w not in _LETTER_MULTIPLIERS)  # "15 billion"


def multiplier_tail(space: str = r"\s") -> str:
    """The optional multiplier after a numeral, as groups ``mult`` (``ma`` attached English,
    ``mth`` Thai, ``men`` English after a space) read by :func:`number_from_match`.

    ``space`` is the class of space allowed before the multiplier: :func:`find_numbers` allows any
    (``\\s``); the figure extractor only a space within a line.
    """
    return (
        rf"(?P<mult>(?P<ma>{_EN_MULT_ATTACHED})\b|{space}?(?P<mth>{THAI_MULTIPLIER})"
        rf"|{space}(?P<men>{_EN_MULT_SPACED})\b)?"
    )


# A spelled-out Thai number (read by thai_words_to_number): it starts with a digit word or สิบ.
THAI_SPELLED = (
    r"(?P<num>(?:หนึ่ง|สอง|สาม|สี่|ห้า|หก|เจ็ด|แปด|เก้า|สิบ|ยี่)"
    # at most 40 more words: more is no number anyway (> 10^18), and a bound keeps a run of
    # number words with no counted noun after it linear to scan (fuzzing: "สาม" * 5000 took 11 s)
    r"(?:หนึ่ง|สอง|สาม|สี่|ห้า|หก|เจ็ด|แปด|เก้า|สิบ|ยี่|เอ็ด|ร้อย|พัน(?!ธ|ท)|หมื่น|แสน|ล้าน){0,40})"
)

CURRENCY_CODES = {
    "thb": "THB", "bt": "THB", "bt.": "THB", "฿": "THB", "บาท": "THB", "baht": "THB",
    "us$": "USD", "usd": "USD", "$": "USD", "dollar": "USD", "dollars": "USD",
    "ดอลลาร์": "USD", "ดอลลาร์สหรัฐ": "USD", "€": "EUR", "eur": "EUR", "euro": "EUR",
    "euros": "EUR", "ยูโร": "EUR",
}
# find_numbers reads the text as written: the cases news use ("THB", "Baht", "BAHT").
_CUR_PREFIX = r"(?P<pre>THB|Bt\.?|฿|US\$|USD|\$|€|EUR)\s?"
_CUR_SUFFIX = r"(?P<suf>บาท|ดอลลาร์(?:สหรัฐ)?|ยูโร|baht|Baht|BAHT|THB|USD|dollars?|euros?)"
# The same currencies for patterns run on lower-cased text (the figure extractor): any case.
CURRENCY_PREFIX_LOWER = r"thb|bt\.?|฿|us\$|usd|\$|€|eur"
CURRENCY_SUFFIX_LOWER = r"บาท|ดอลลาร์(?:สหรัฐ)?|ยูโร|baht|thb|usd|dollars?|euros?"


def _currency(pre: str | None, suf: str | None) -> str | None:
    for token in (pre, suf):
        if token:
            return CURRENCY_CODES.get(token.strip().casefold())
    return None


def number_from_match(
    m: re.Match[str], kind: str = "digits", start: int | None = None, pre: str | None = None
) -> NumberMatch | None:
    """Read the number matched by ``m``, a pattern built from the pieces above.

    ``m`` has group ``num`` (:data:`NUMERAL` for ``kind="digits"``, words for ``thai_words`` /
    ``english_words``) and may have the groups of :func:`multiplier_tail` and a currency word as
    group ``suf``.  ``start`` is where the expression starts (default ``m.start()``) and
    ``pre`` a currency sign or code before it.  Returns None for a run of number words that is no
    number.  A single-letter multiplier with no currency is not read ("a 300m tower" is 300,
    ending before the ``m``, with multiplier 1).
    """
    raw = m.group("num")
    groups = m.re.groupindex
    suf = m.group("suf") if "suf" in groups else None
    num_end = m.end("num")
    mult = 1.0
    end = num_end
    if kind == "digits":
        value = float(raw.replace(",", ""))
        mult_word = (m.group("ma") or m.group("mth") or m.group("men")) if "mult" in groups else None
        if mult_word and (pre or suf or m.group("ma") not in _LETTER_MULTIPLIERS):
            mult = multiplier_value(mult_word) or 1.0
            end = m.end("mult")
    else:
        words = thai_words_to_number(raw) if kind == "thai_words" else english_words_to_number(raw)
        if words is None:
            return None
        value = float(words)
    if suf:
        end = m.end("suf")
    return NumberMatch(
        value=round(value * mult, 6),
        start=m.start() if start is None else start,
        end=end,
        num_start=m.start("num"),
        num_end=num_end,
        multiplier=mult,
        currency=_currency(pre, suf),
        kind=kind,
        has_separator="," in raw,
        has_decimal="." in raw,
    )


# --- the tokeniser -----------------------------------------------------------------------------------

# The numeral comes first so that ``re`` can skip quickly to the next digit; a currency sign in
# front ("THB2.4", "Bt300m", "US$5") is looked for behind the match by _PREFIX_RE.
_PREFIX_RE = re.compile(rf"{_CUR_PREFIX}$")
_PREFIX_LAST_CHARS = frozenset("BtD฿$€R ")
_DIGITS_RE = re.compile(rf"{NUMERAL}{multiplier_tail()}(?:\s?{_CUR_SUFFIX})?")
_TH_SPELLED_RE = re.compile(rf"{THAI_SPELLED}(?:\s?{_CUR_SUFFIX})?")
_EN_WORD = "|".join([*EN_UNITS, *EN_TENS, "hundred", *EN_SCALES])
_EN_WORDS_RE = re.compile(
    # The look-ahead on the first letter lets ``re`` skip most positions cheaply.
    rf"(?=[zotfsenhbmtZOTFSENHBMT])(?<![A-Za-z])(?P<num>(?:{_EN_WORD})(?:(?:[\s\-]+and)?[\s\-]+(?:{_EN_WORD}))*)\b"
    rf"(?:\s{_CUR_SUFFIX})?",
    re.IGNORECASE,
)


def find_numbers(text: str) -> list[NumberMatch]:
    """Every number in ``text``, left to right, spans not overlapping.

    Takes any string; Thai digits are read as Arabic (offsets are unchanged because the digit
    conversion keeps the length).  Returns :class:`NumberMatch` objects.
    """
    norm = arabic_digits(text)
    out: list[NumberMatch] = []
    taken: list[tuple[int, int]] = []
    for m in _DIGITS_RE.finditer(norm):
        if m.start() and norm[m.start() - 1] in "0123456789.,":
            continue  # the tail of "v2.5" or "1,2": not a number of its own
        pm = None
        if m.start() and norm[m.start() - 1] in _PREFIX_LAST_CHARS:
            pm = _PREFIX_RE.search(norm, max(0, m.start() - 5), m.start())
        n = number_from_match(m, "digits", pm.start() if pm else None, pm.group("pre") if pm else None)
        out.append(n)
        taken.append((n.start, n.end))
    starts = [s for s, _ in taken]
    for regex, kind in ((_TH_SPELLED_RE, "thai_words"), (_EN_WORDS_RE, "english_words")):
        for m in regex.finditer(norm):
            i = bisect.bisect_left(starts, m.end())  # spans starting before this match ends
            if i and taken[i - 1][1] > m.start():
                continue
            n = number_from_match(m, kind)
            if n is not None:
                out.append(n)
    out.sort(key=lambda n: n.start)
    return out


def parse_number(text: str) -> float | None:
    """Read one number written on its own (``"1.2 พันล้านบาท"`` -> 1.2e9, ``"สามสิบหก"`` -> 36).

    Qualifier words around it (``กว่า``, ``more than``) are ignored.  Returns None when
    ``text`` holds no number or more than one.
    """
    found = find_numbers(text)
    if len(found) != 1:
        return None
    return found[0].value


# --- qualifiers -----------------------------------------------------------------------------------

# Checked against the text just before a number, longest phrase first so that "ไม่น้อยกว่า"
# is not read as "น้อยกว่า" or "กว่า".
_EN = r"(?<![A-Za-z])"  # English phrases start at a word boundary ("takeover 5" is not "over")
# One pattern, one named group per qualifier, every phrase anchored at the end: the leftmost match
# is the longest phrase, so "ไม่น้อยกว่า" wins over "น้อยกว่า" and "กว่า", "no more than" over
# "more than".  "งบประมาณ" (budget) is no "ประมาณ" (about), "เรื่องราว" (story) no "ราว".
_QUALIFIERS_BEFORE = re.compile(
    rf"(?:(?P<at_least>ไม่น้อยกว่า|ไม่ต่ำกว่า|อย่างน้อย|{_EN}at\s+least|{_EN}no\s+(?:fewer|less)\s+than|"
    rf"{_EN}(?:a\s+)?minimum\s+of)"
    rf"|(?P<up_to>ไม่เกิน|สูงสุด|มากสุด|น้อยกว่า|ต่ำกว่า|{_EN}up\s+to|{_EN}as\s+many\s+as|"
    rf"{_EN}(?:a\s+)?maximum\s+of|{_EN}(?:no|not)\s+more\s+than|{_EN}(?:less|fewer)\s+than|{_EN}under)"
    rf"|(?P<more_than>มากกว่า|สูงกว่า|เกินกว่า|กว่า|เกิน|{_EN}more\s+than|{_EN}over|{_EN}above|"
    rf"{_EN}upwards\s+of|{_EN}in\s+excess\s+of|{_EN}exceeding)"
    rf"|(?P<approx>(?<!งบ)ประมาณ|(?<!เรื่อง)ราว|โดยประมาณ|เกือบ|(?:^|(?<=\s))ร่วม|{_EN}about|{_EN}around|"
    rf"{_EN}approximately|{_EN}approx\.?|{_EN}roughly|{_EN}nearly|{_EN}almost|{_EN}some|"
    rf"{_EN}close\s+to|{_EN}an\s+estimated))\s*$"
)  # matched against lower-cased text: case-sensitive patterns are several times faster
_QUALIFIER_AFTER = re.compile(r"^\s?(?:กว่า|-plus\b|\+)")


def qualifier_before(text: str) -> str | None:
    """The qualifier stated by the words ending ``text`` (the text just before a number).

    ``"ไม่น้อยกว่า "`` -> ``at_least``; ``"มากกว่า"`` -> ``more_than``; ``"ประมาณ"`` ->
    ``approx``; ``"up to "`` -> ``up_to``; nothing recognised -> None.  ``ร่วม`` ("nearly")
    counts only as a word of its own: ``เข้าร่วม 500 คน`` is "500 people joined".
    """
    # The longest phrase ("no fewer than ") is 14 characters: 24 leave room for spaces.
    m = _QUALIFIERS_BEFORE.search(text[-24:].lower())
    return m.lastgroup if m else None


def qualifier_after(text: str) -> str | None:
    """``more_than`` when ``text`` (just after a number) starts with ``กว่า`` / ``-plus`` / ``+``."""
    return "more_than" if _QUALIFIER_AFTER.search(text[:8]) else None
