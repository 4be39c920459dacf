"""Thai and English dates and date ranges, as pure functions.

``parse_date_range(text)`` returns the first valid date or date range in ``text``;
``find_dates(text)`` returns every one, in text order.  Both understand:

* Thai month names, full (``พฤศจิกายน``) and abbreviated with or without dots (``พ.ย.``, ``พย``);
* Buddhist-era years in four digits (``2564``) and, after an abbreviated month or an era marker,
  two digits (``64``, ``ส.ค.63``); ``พ.ศ.`` and ``ค.ศ.`` markers;
* Thai digits (``๑๙``), weekday prefixes (``วันศุกร์ที่``), trailing times (``เวลา 10.00 น.``);
* ``DD/MM/YYYY`` (a year above 2400 is Buddhist era);
* ranges within and across months (``16-22 ตุลาคม 2566``, ``30 พฤศจิกายน - 2 ธันวาคม 2566``,
  ``ระหว่างวันที่ ... ถึง ...``), across a year end (``30 ธ.ค. - 2 ม.ค. 67``);
* English dates (``19 November 2021``, ``Nov 19, 2021``, ``19-21 Oct 2023``).

A date that does not exist (``31 มิถุนายน``, ``29 ก.พ.`` in a non-leap year) is rejected, never
"corrected".  A date written without a year takes ``default_year`` (Gregorian or Buddhist era),
or is skipped when there is none.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from datetime import date

from smartcity.thai.digits import to_arabic_digits

# The Buddhist era is the Gregorian year + 543 (Thailand's official calendar since 1941).
BE_OFFSET = 543

_THAI_FULL = [
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
]  # fmt: skip
_THAI_ABBR = [
    "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
    "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
]  # fmt: skip
# A common misspelling seen on Thai pages (ฏ for ฎ in กรกฎาคม).
_THAI_VARIANTS = {"กรกฏาคม": 7}
_EN_FULL = [
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
]  # fmt: skip
_EN_ABBR = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]


def _key(name: str) -> str:
    """The lookup key of a month name as written: no dots, no spaces, lower case."""
    return re.sub(r"[.\s]", "", name).lower()


_MONTHS: dict[str, int] = {}
for _i, _name in enumerate(_THAI_FULL, start=1):
    _MONTHS[_key(_name)] = _i
for _name, _i in _THAI_VARIANTS.items():
    _MONTHS[_key(_name)] = _i
for _i, _name in enumerate(_THAI_ABBR, start=1):
    _MONTHS[_key(_name)] = _i
for _i, _name in enumerate(_EN_FULL, start=1):
    _MONTHS[_name] = _i
for _i, _name in enumerate(_EN_ABBR, start=1):
    _MONTHS[_name] = _i
_MONTHS["sept"] = 9

_ABBREVIATED = {_key(n) for n in _THAI_ABBR} | set(_EN_ABBR) | {"sept"}


def _abbr_pattern(abbr: str) -> str:
    """``พ.ย.`` -> a pattern matching ``พ.ย.``, ``พ.ย``, ``พ. ย.`` and ``พย``."""
    parts = [re.escape(p) for p in abbr.split(".") if p]
    return r"\.?\s?".join(parts) + r"\.?"


_THAI_MONTH_RE = "|".join(
    [re.escape(n) for n in sorted([*_THAI_FULL, *_THAI_VARIANTS], key=len, reverse=True)]
    + [_abbr_pattern(a) for a in sorted(_THAI_ABBR, key=len, reverse=True)]
)
# English names must not run on into a longer word ("Mar" in "Marketing").
_EN_MONTH_RE = "(?:" + "|".join([*_EN_FULL, "sept", *_EN_ABBR]) + r")\.?(?![a-z])"
_MONTH = f"(?:{_THAI_MONTH_RE}|{_EN_MONTH_RE})"
# A look-ahead on the first letter of any month name lets ``re`` skip most positions cheaply instead
# of trying every month at every character (1 MB of text in well under the fuzz tests' 2 s bound).
_FIRST_LETTERS = sorted({n[0] for n in [*_THAI_FULL, *_THAI_VARIANTS, *_THAI_ABBR, *_EN_FULL]})
_MONTH_START = "(?=[" + "".join(_FIRST_LETTERS) + "])"
_ERA = r"(?:พ\.?\s?ศ\.?|ค\.?\s?ศ\.?|B\.?E\.?|A\.?D\.?)"
_YEAR = r"(?:\d{4}|\d{2})(?!\d)"
# Range separators: a dash of any kind, ถึง (until), "to", optionally followed by a weekday
# prefix again ("ถึงวันอาทิตย์ที่ 2 ...").
_SEP = r"(?:-|–|—|ถึง(?:วันที่)?|to|until)"
_WEEKDAY = r"(?:วัน[ก-๙]{0,12}?ที่\s*)"

_DAY_FIRST = re.compile(
    rf"""(?<![\d/.])(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s*
    (?:(?P<m1>{_MONTH})\s*(?:(?P<e1>{_ERA})\s*)?(?P<y1>{_YEAR})?\s*)?
    (?:{_SEP}\s*{_WEEKDAY}?(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s*)?
    (?P<m2>{_MONTH})\s*,?\s*(?:(?P<e2>{_ERA})\s*)?(?P<y2>{_YEAR})?""",
    re.IGNORECASE | re.VERBOSE,
)
_MONTH_FIRST = re.compile(
    rf"""{_MONTH_START}(?<![a-z])(?P<m2>{_EN_MONTH_RE})\s*(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?
    (?:\s*(?:-|–|to)\s*(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?)?\s*,?\s*(?P<y2>\d{{4}})(?!\d)""",
    re.IGNORECASE | re.VERBOSE,
)
# A month and year with no day ("ส.ค.63", "ตุลาคม 2566"): the whole month.
_MONTH_YEAR = re.compile(
    rf"""{_MONTH_START}(?<![\d/.])(?P<m2>{_MONTH})\s*(?:(?P<e2>{_ERA})\s*)?(?P<y2>{_YEAR})""",
    re.IGNORECASE | re.VERBOSE,
)
_NUMERIC = re.compile(
    r"""(?<![\d/.])(?P<d1>\d{1,2})/(?P<mo1>\d{1,2})/(?P<y1>\d{4}|\d{2})(?![\d/])
    (?:\s*(?:-|–|ถึง)\s*(?P<d2>\d{1,2})/(?P<mo2>\d{1,2})/(?P<y2>\d{4}|\d{2})(?![\d/]))?""",
    re.VERBOSE,
)


@dataclass(frozen=True, slots=True)
class DateRange:
    """A date or a date range found in a text.

    ``start``/``end`` are Gregorian dates (equal for a single day), ``text`` is the span as
    written, ``span`` its (start, end) offsets in the input.
    """

    start: date
    end: date
    text: str
    span: tuple[int, int] = (0, 0)

    def as_dict(self) -> dict[str, str]:
        """``{"start": "YYYY-MM-DD", "end": "YYYY-MM-DD"}``."""
        return {"start": self.start.isoformat(), "end": self.end.isoformat()}


def gregorian_year(year: int, *, era: str | None = None, two_digit_be: bool = True) -> int | None:
    """Turn a year as written into a Gregorian year, or None when it is not a plausible year.

    A four-digit year above 2400 is Buddhist era; ``era`` (``พ.ศ.``/``ค.ศ.``/``BE``/``AD``) wins
    when given.  Two-digit years are Buddhist era (``64`` -> 2564 -> 2021) unless the era says
    Gregorian or ``two_digit_be`` is False (then ``21`` -> 2021).
    """
    era_key = _key(era) if era else ""
    gregorian_era = era_key in {"คศ", "ad"}
    buddhist_era = era_key in {"พศ", "be"}
    if year < 100:
        if gregorian_era or not two_digit_be:
            return 2000 + year
        return 2500 + year - BE_OFFSET
    if buddhist_era or (not gregorian_era and year > 2400):
        year -= BE_OFFSET
    # Anything outside this window is a count or a code, not a year of this programme's news.
    return year if 1900 <= year <= 2200 else None


def _make(y: int | None, m: int, d: int) -> date | None:
    if y is None:
        return None
    try:
        return date(y, m, d)
    except ValueError:
        return None  # 31 มิถุนายน, 29 ก.พ. in a common year: reject, never roll over


def _year_of(raw: str | None, era: str | None, month_text: str) -> int | None:
    """Gregorian year for a year group; None if absent or not a year (a count, a code)."""
    if not raw:
        return None
    if len(raw) == 2 and not era and _key(month_text) not in _ABBREVIATED:
        # "16 ตุลาคม 30 ราย": two digits after a full month name are a count, not a year.
        return None
    return gregorian_year(int(raw), era=era)


def _default(default_year: int | None) -> int | None:
    if default_year is None:
        return None
    return gregorian_year(default_year)


def _from_day_first(m: re.Match[str], default_year: int | None) -> tuple[date, date] | None:
    d1 = int(m["d1"])
    d2 = int(m["d2"]) if m["d2"] else None
    m2_text = m["m2"]
    month2 = _MONTHS.get(_key(m2_text))
    month1 = _MONTHS.get(_key(m["m1"])) if m["m1"] else month2
    if month1 is None or month2 is None:
        return None
    y2 = _year_of(m["y2"], m["e2"], m2_text)
    y1 = _year_of(m["y1"], m["e1"], m["m1"]) if m["m1"] else None
    if y2 is None:
        y2 = y1 if y1 is not None else _default(default_year)
    if y2 is None:
        return None
    if y1 is None:
        # "30 ธ.ค. - 2 ม.ค. 67": the start lies in the previous year.
        y1 = y2 - 1 if month1 > month2 else y2
    if d2 is None and m["m1"]:
        # "19 พ.ย. 64 ธันวาคม": the second month name starts something else; keep the first date.
        start = end = _make(y1 if y1 is not None else _default(default_year), month1, d1)
    elif d2 is None:
        start = end = _make(y2, month2, d1)
    else:
        start, end = _make(y1, month1, d1), _make(y2, month2, d2)
    if start is None or end is None or end < start:
        return None
    return start, end


def _from_month_first(m: re.Match[str], _default_year: int | None) -> tuple[date, date] | None:
    month = _MONTHS.get(_key(m["m2"]))
    year = gregorian_year(int(m["y2"]))
    if month is None or year is None:
        return None
    start = _make(year, month, int(m["d1"]))
    end = _make(year, month, int(m["d2"])) if m["d2"] else start
    if start is None or end is None or end < start:
        return None
    return start, end


def _from_numeric(m: re.Match[str], _default_year: int | None) -> tuple[date, date] | None:
    y1 = gregorian_year(int(m["y1"]))
    start = _make(y1, int(m["mo1"]), int(m["d1"]))
    end = start
    if m["d2"]:
        end = _make(gregorian_year(int(m["y2"])), int(m["mo2"]), int(m["d2"]))
    if start is None or end is None or end < start:
        return None
    return start, end


def _from_month_year(m: re.Match[str], _default_year: int | None) -> tuple[date, date] | None:
    month = _MONTHS.get(_key(m["m2"]))
    year = _year_of(m["y2"], m["e2"], m["m2"])
    if month is None or not year:
        return None
    start = date(year, month, 1)
    following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return start, date.fromordinal(following.toordinal() - 1)


# Most specific first: a span claimed by an earlier pattern is not matched again.
_PATTERNS = (
    (_NUMERIC, _from_numeric),
    (_MONTH_FIRST, _from_month_first),
    (_DAY_FIRST, _from_day_first),
    (_MONTH_YEAR, _from_month_year),
)


def find_dates(text: str, *, default_year: int | None = None) -> list[DateRange]:
    """Every valid date or date range in ``text``, in order of appearance, without overlaps.

    Takes any text (Thai digits allowed); returns ``DateRange`` objects whose ``span`` indexes
    into ``text``.  Impossible dates and dates with no year (and no ``default_year``) are left out.
    """
    normal = to_arabic_digits(text)  # same length, so offsets carry over
    found: list[DateRange] = []
    # Claimed spans, sorted and never overlapping: an overlap test is one bisect, not a scan of
    # every span so far (found by fuzzing: that scan made find_dates quadratic in the number of dates).
    starts: list[int] = []
    ends: list[int] = []

    def overlaps(s: int, e: int) -> bool:
        i = bisect.bisect_left(starts, e)  # spans starting before e; the last one ends latest
        return i > 0 and ends[i - 1] > s

    def take(s: int, e: int) -> None:
        i = bisect.bisect_left(starts, s)
        starts.insert(i, s)
        ends.insert(i, e)

    for pattern, build in _PATTERNS:
        for m in pattern.finditer(normal):
            s, e = m.span()
            if overlaps(s, e):
                continue
            dates = build(m, default_year)
            if dates is None:
                if pattern is not _MONTH_YEAR:
                    # "31 มิถุนายน 2566" is rejected as a whole, not read again as "มิถุนายน 2566".
                    take(s, e)
                continue
            if pattern is _DAY_FIRST and m["y2"] and _year_of(m["y2"], m["e2"], m["m2"]) is None:
                # "16 ตุลาคม 30 ราย": the digits after the month were not taken as the year.
                e = m.end("m2")
            # Trailing blanks or commas the pattern swallowed are not part of the date.
            while e > s and normal[e - 1] in " \t\n,":
                e -= 1
            take(s, e)
            found.append(DateRange(dates[0], dates[1], text[s:e], (s, e)))
    found.sort(key=lambda r: r.span)
    return found


def parse_date_range(text: str, *, default_year: int | None = None) -> DateRange | None:
    """The first valid date or date range in ``text``, or None.

    ``default_year`` (Gregorian, or Buddhist era when above 2400) supplies the year of a date
    written without one, e.g. ``16-22 ตุลาคม`` in an article published in 2020.
    """
    found = find_dates(text, default_year=default_year)
    return found[0] if found else None


def parse_date(text: str, *, default_year: int | None = None) -> date | None:
    """The start date of the first valid date in ``text``, or None."""
    found = parse_date_range(text, default_year=default_year)
    return found.start if found else None
