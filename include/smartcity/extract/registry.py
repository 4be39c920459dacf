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
from collections.abc import Callable

from smartcity.extract.spans import span_test
from smartcity.geo import ProvinceMatch, find_provinces, lookup_province
from smartcity.records import RegistryEntry
from smartcity.thai.digits import to_arabic_digits

__all__ = ["extract_registry"]

_MARKER = re.compile(r"(?:(?<=\s)|^)(?:\d{1,3}[.)]|[•●▪◦○·*]|-(?=\s))\s+", re.MULTILINE)
_PREFIXED = re.compile(r"(?:จังหวัด|จ\.)\s*$")
_PREFIXED_HEAD = re.compile(r"^(?:จังหวัด|จ\.)\s*")
_INTRO = re.compile(r"ได้แก่|ประกอบด้วย|ดังนี้|[:：]|\bare\b|\binclude|\bincluding\b", re.IGNORECASE)
_SPLIT = re.compile(r",|，|\sและ|^และ|\n|\band\s")
_ZONE = re.compile(
    r"เขตส่งเสริม(?:เมืองอัจฉริยะ)?|ว่าที่เมืองอัจฉริยะ|promotion\s+zones?|candidate(?:\s+smart\s+cit(?:y|ies))?",
    re.IGNORECASE,
)
_MAX_NAME = 80
_CAPS_TAIL = re.compile(r"(?:[A-Z][\w'.-]*\s+)*[A-Z][\w'.-]*\s*$")
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


def _entry(
    text: str, start: int, end: int, zone_context: bool, name_end: int | None = None
) -> RegistryEntry | None:
    """The entry for the item ``text[start:end]``; ``name_end`` is where its province phrase
    starts when the caller already knows it (else it is looked for inside the item)."""
    item = text[start:end]
    if name_end is None:
        prov, cut = _province_in(item)
    else:
        found = find_provinces(text[name_end:end])
        prov, cut = (found[-1] if found else None), name_end - start
        if prov is None:
            # A table cell: "น่าน" alone (find_provinces wants จังหวัด before ambiguous words).
            cell = _PREFIXED_HEAD.sub("", text[name_end:end].strip(" \t|"))
            known = lookup_province(cell)
            prov = ProvinceMatch(known, name_end, end) if known is not None else None
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


def _anchor(text: str, pm: ProvinceMatch) -> tuple[int, bool] | None:
    """Where the province phrase of a list item ending at ``pm`` starts, and whether it is firm.

    Firm anchors: ``จังหวัด<province>`` / ``จ.<province>`` and English ``(<province>)``.  A bare
    ``กรุงเทพมหานคร`` (Bangkok takes no ``จังหวัด``) standing as its own word is a weak anchor:
    it only counts next to a firm one.  Returns None for any other mention.
    """
    lo = max(0, pm.start - 8)
    prefix = _PREFIXED.search(text[lo : pm.start])
    if prefix:
        return lo + prefix.start(), True
    paren = re.search(r"\(\s*$", text[max(0, pm.start - 3) : pm.start])
    if paren and re.match(r"\s*(?:province)?\s*\)", text[pm.end : pm.end + 12], re.IGNORECASE):
        return max(0, pm.start - 3) + paren.start(), True
    if (
        pm.province.code == "TH-10"
        and pm.start > 0
        and text[pm.start - 1].isspace()
        and (pm.end == len(text) or text[pm.end] in " \t\n,;.)")
    ):
        return pm.start, False
    return None


def _run_items(text: str, taken: list[tuple[int, int]]) -> list[tuple[int, int, int]]:
    """Items of comma/space lists: ``<name> จังหวัด<province>`` twice or more in a row.

    Returns (item start, item end, start of the province phrase) per item.
    """
    inside = span_test(taken)
    anchors = []
    for pm in find_provinces(text):
        if inside(pm.start):
            continue
        a = _anchor(text, pm)
        if a is not None:
            anchors.append((pm, a[0], a[1]))
    spans: list[tuple[int, int, int]] = []
    prev_end = None
    prev_taken = False
    for i, (pm, name_end, firm) in enumerate(anchors):
        lo = name_end - _MAX_NAME - 10 if prev_end is None else prev_end
        lo = max(lo, 0)
        if name_end <= lo:
            continue  # the province of a name already taken ("ภูเก็ตเมืองอัจฉริยะ จังหวัดภูเก็ต")
        seg = text[lo:name_end]
        cut = 0
        for rx in (_SPLIT, _INTRO):
            for m in rx.finditer(seg):
                cut = max(cut, m.end())
        if not cut:
            # English list head without an intro word: "... certified Hat Yai Smart City (Songkhla)"
            caps = _CAPS_TAIL.search(seg)
            if caps and caps.start() > 0 and seg[: caps.start()].isascii():
                cut = caps.start()
        start = lo + cut
        nxt = anchors[i + 1] if i + 1 < len(anchors) else None
        close_to_next = nxt is not None and nxt[1] - pm.end < _MAX_NAME + 12 and nxt[2]
        close_to_prev = prev_taken and name_end - prev_end < _MAX_NAME + 12
        name = text[start:name_end].strip()
        # Without a comma/"และ"/intro before it, a name must be one word run (no prose) right
        # after an item already taken.
        tight = bool(cut) or (close_to_prev and 0 < len(name) <= 40 and " " not in name)
        # A bare "กรุงเทพมหานคร" is a province only as the next item of a list already running.
        if firm:
            ok = close_to_prev or close_to_next
        else:
            ok = close_to_prev or bool(cut and close_to_next)
        prev_taken = bool(ok and tight and _PLACE_WORD.search(name))
        if prev_taken:
            spans.append((start, pm.end, name_end))
        prev_end = pm.end
    return spans


_TABLE_HEAD = re.compile(
    r"^[ \t|]*(?:ลำดับ(?:ที่)?[ \t|]+)?(?:ชื่อ)?(?:เมือง(?:อัจฉริยะ)?|เขตส่งเสริม(?:เมืองอัจฉริยะ)?|พื้นที่)"
    r"[ \t|]+จังหวัด[ \t|]*$"
    r"|^[ \t|]*(?:no\.?[ \t|]+)?(?:smart[ \t]+)?(?:city|cities|zones?|name)[ \t|]+province[ \t|]*$",
    re.MULTILINE | re.IGNORECASE,
)
_ROW_LEAD = re.compile(r"[ \t|]*(?:[\d๐-๙]{1,3}[.)]?[ \t|]+)?")


def _province_cell(body: str) -> int | None:
    """Where the province that ends a table row starts, or None if the row ends otherwise.

    A cell holds the name alone, so words that are provinces only after ``จังหวัด`` in prose
    (``น่าน``) count here too.
    """
    found = find_provinces(body)
    if found and found[-1].end == len(body):
        return found[-1].start
    cell = re.search(r"[^\s|]+$", body)
    if cell and lookup_province(cell.group()) is not None:
        return cell.start()
    return None


def _table_items(text: str) -> list[tuple[int, int, int]]:
    """Rows of flattened two-column tables after a ``เมือง จังหวัด`` / ``City Province`` header.

    Each following line ``<name> <province>`` (an ordinal first is allowed) is one item; blank
    lines are skipped and the first line of another shape ends the table.  Returns (item start,
    item end, start of the province phrase) per row.
    """
    spans: list[tuple[int, int, int]] = []
    for head in _TABLE_HEAD.finditer(text):
        pos = head.end() + 1
        while pos < len(text):
            nl = text.find("\n", pos)
            line_end = len(text) if nl == -1 else nl
            line = text[pos:line_end]
            body = line.rstrip(" \t|")
            if body.strip():
                name_end = _province_cell(body)
                if name_end is None:
                    break
                prefix = _PREFIXED.search(body[max(0, name_end - 8) : name_end])
                if prefix:
                    name_end = max(0, name_end - 8) + prefix.start()
                lead = _ROW_LEAD.match(text, pos, pos + name_end).end()
                gap = body[:name_end]
                name = body[lead - pos : name_end].strip()
                # A source line ("ที่มา: ... จังหวัดนนทบุรี") ends the table.
                if not (gap.endswith((" ", "\t", "|")) and name) or ":" in name or len(name) > _MAX_NAME:
                    break
                spans.append((lead, pos + len(body), pos + name_end))
            pos = line_end + 1
    return spans


def extract_registry(text: str, within: Callable[[int], bool] | None = None) -> list[RegistryEntry]:
    """The smart cities / promotion zones named in lists in ``text``, in order of appearance.

    Takes any text; returns [] when it holds no list of named places with provinces.  With
    ``within`` (a predicate on a character offset), only list items starting where it is true
    are kept: the pipeline passes the programme passages of :mod:`smartcity.extract.relevance`.
    """
    if not text:
        return []
    tabled = _table_items(text)
    marked = [
        (a, b, None)
        for a, b in _marker_items(text)
        if not any(a < t_end and t_start < b for t_start, t_end, _ in tabled)
    ]
    taken = [(a, b) for a, b, _ in tabled + marked]
    spans = sorted(tabled + marked + _run_items(text, taken), key=lambda x: x[0])
    entries: list[tuple[int, RegistryEntry]] = []
    group_start = 0
    prev_end = -10**9
    for start, end, name_end in spans:
        if start - prev_end > 40:
            group_start = start  # a new list: its introduction decides city vs zone
        prev_end = end
        e = _entry(text, start, end, _zone_context(text, group_start), name_end)
        if e is not None and (within is None or within(start)):
            entries.append((start, e))
    entries.sort(key=lambda x: x[0])
    # A city named in both a prose list and a table that repeats it comes out once.
    seen: set[tuple[str, str | None]] = set()
    out = []
    for _, e in entries:
        key = ("".join(e.name.split()).casefold(), e.province_code)
        if key not in seen:
            seen.add(key)
            out.append(e)
    return out
