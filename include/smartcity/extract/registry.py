"""Named lists of smart cities and promotion zones: ``1. เมืองอัจฉริยะริมบึง จังหวัดขอนแก่น 2. ...``.

``extract_registry(text)`` returns one :class:`smartcity.records.RegistryEntry` per named city
or zone listed in ``text``, with its province, ISO 3166-2:TH code and region from
:mod:`smartcity.geo`.

Lists are recognised in three shapes:

* numbered items (``1.``, ``2)``, Thai digits too), inline or one per line;
* bulleted lines (``•``, ``-``, ``*``, ``▪`` ...);
* runs of two or more ``<name> จังหวัด<province>`` items separated by commas, ``และ`` or
  spaces, usually after ``ได้แก่`` / ``ประกอบด้วย`` / a colon.

An item's province is the one named with ``จังหวัด``/``จ.`` (or in brackets / after a comma in
English); the name is the item text before it.  ``kind`` is ``zone`` when the item or the text
introducing the list speaks of promotion zones (``เขตส่งเสริม``, ``ว่าที่เมืองอัจฉริยะ``),
else ``city``.
"""

from __future__ import annotations

import re

from smartcity.geo import ProvinceMatch, find_provinces
from smartcity.records import RegistryEntry
from smartcity.thai.digits import to_arabic_digits

__all__ = ["extract_registry"]

_MARKER = re.compile(r"(?:(?<=\s)|^)(?:\d{1,3}[.)]|[•●▪◦○·*]|-(?=\s))\s+", re.MULTILINE)
_PREFIXED = re.compile(r"(?:จังหวัด|จ\.)\s*$")
_INTRO = re.compile(r"ได้แก่|ประกอบด้วย|ดังนี้|[:：]|\bare\b|\binclude|\bincluding\b", re.IGNORECASE)
_SPLIT = re.compile(r",|，|\sและ|^และ|\n")
_ZONE = re.compile(
    r"เขตส่งเสริม(?:เมืองอัจฉริยะ)?|ว่าที่เมืองอัจฉริยะ|promotion\s+zones?|candidate(?:\s+smart\s+cit(?:y|ies))?",
    re.IGNORECASE,
)
_MAX_NAME = 80
# Outside numbered/bulleted lists a listed name must look like a place or project name; this
# keeps "ผู้ว่าราชการจังหวัดเชียงใหม่" (the governor of Chiang Mai) out of the registry.
_PLACE_WORD = re.compile(
    r"เมือง|เทศบาล|อบต|อบจ|องค์การบริหารส่วน|ย่าน|นิคม|ชุมชน|พื้นที่|เขต|ซิตี้|สมาร์ท|อัจฉริยะ|ตำบล|อำเภอ"
    r"|นคร|เกาะ|วัลเลย์|ปาร์ค|ฮับ|smart|city|valley|town|district|park|hub",
    re.IGNORECASE,
)


def _clean(name: str) -> str:
    name = re.sub(r"^[\s,;:\-–•]+|[\s,;:\-–(]+$", "", name)
    name = re.sub(r"^(?:และ|and)\s+", "", name)
    return name.strip()


def _province_in(item: str) -> tuple[ProvinceMatch | None, int]:
    """(province of an item, offset in ``item`` where the province phrase starts)."""
    found = find_provinces(item)
    if not found:
        return None, len(item)
    for m in reversed(found):
        prefix = _PREFIXED.search(item[: m.start])
        if prefix:
            return m, prefix.start()
    m = found[-1]
    # English: "Phuket Smart City (Phuket)" or "..., Khon Kaen" or "... in Khon Kaen province"
    head = re.search(r"(?:\(|,\s*|\s+in\s+)\s*$", item[: m.start])
    if head and re.fullmatch(r"[\s).,;]*(?:province)?[\s).,;]*", item[m.end :], re.IGNORECASE):
        return m, head.start()
    return m, len(item)


def _entry(text: str, start: int, end: int, zone_context: bool) -> RegistryEntry | None:
    item = text[start:end]
    prov, cut = _province_in(item)
    if prov is None:
        return None
    name = _clean(item[:cut])
    if not name or len(name) > _MAX_NAME or not re.search(r"[^\W\d_]", name):
        return None
    stripped = item.rstrip(" ,;.\n\t")
    kind = "zone" if zone_context or _ZONE.search(name) else "city"
    p = prov.province
    lead = len(item) - len(item.lstrip())
    return RegistryEntry(
        name=name,
        province=p.name_th,
        province_code=p.code,
        region=p.region,
        evidence=stripped[lead:],
        kind=kind,
    )


def _zone_context(text: str, pos: int) -> bool:
    """Whether the text introducing a list at ``pos`` speaks of promotion zones."""
    head = text[max(0, pos - 200) : pos]
    z = list(re.finditer(_ZONE, head))
    c = list(re.finditer(r"เมืองอัจฉริยะ|smart\s+cit", head, re.IGNORECASE))
    if not z:
        return False
    return not c or z[-1].end() >= c[-1].end()


def _marker_items(text: str) -> list[tuple[int, int]]:
    """(start, end) of each numbered or bulleted item; an item ends at the next marker or line."""
    norm = to_arabic_digits(text)
    marks = list(_MARKER.finditer(norm))
    spans = []
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        nl = text.find("\n", m.end(), end)
        if nl != -1:
            end = nl
        spans.append((m.end(), end))
    return spans


def _run_items(text: str, taken: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Items of comma/space lists: ``<name> จังหวัด<province>`` twice or more in a row."""
    anchors = []
    for pm in find_provinces(text):
        prefix = _PREFIXED.search(text[max(0, pm.start - 8) : pm.start])
        if prefix and not any(a <= pm.start < b for a, b in taken):
            anchors.append(pm)
    spans: list[tuple[int, int]] = []
    prev_end = None
    for i, pm in enumerate(anchors):
        lo = pm.start - _MAX_NAME - 10 if prev_end is None else prev_end
        lo = max(lo, 0)
        seg = text[lo : pm.start]
        cut = 0
        for rx in (_SPLIT, _INTRO):
            for m in rx.finditer(seg):
                cut = max(cut, m.end())
        start = lo + cut
        close_to_next = i + 1 < len(anchors) and anchors[i + 1].start - pm.end < _MAX_NAME + 12
        close_to_prev = prev_end is not None and pm.start - prev_end < _MAX_NAME + 12
        name = text[start : pm.start]
        # Without a comma/"และ"/intro before it, a name must be one word run (no prose).
        tight = bool(cut) or (prev_end is not None and len(name.strip()) <= 40 and " " not in name.strip())
        if (close_to_next or close_to_prev) and tight and _PLACE_WORD.search(name):
            spans.append((start, pm.end))
        prev_end = pm.end
    return spans


def extract_registry(text: str) -> list[RegistryEntry]:
    """The smart cities / promotion zones named in lists in ``text``, in order of appearance.

    Takes any text; returns [] when it holds no list of named places with provinces.
    """
    if not text:
        return []
    marked = _marker_items(text)
    spans = sorted(marked + _run_items(text, marked))
    entries: list[tuple[int, RegistryEntry]] = []
    group_start = 0
    prev_end = -10**9
    for start, end in spans:
        if start - prev_end > 40:
            group_start = start  # a new list: its introduction decides city vs zone
        prev_end = end
        e = _entry(text, start, end, _zone_context(text, group_start))
        if e is not None:
            entries.append((start, e))
    entries.sort(key=lambda x: x[0])
    seen: set[tuple[str, str | None]] = set()
    out = []
    for _, e in entries:
        if (e.name, e.province_code) not in seen:
            seen.add((e.name, e.province_code))
            out.append(e)
    return out
