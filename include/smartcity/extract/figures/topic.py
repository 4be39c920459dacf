"""The topic of a count, which decides its metric: ``zone`` (smart city promotion zones ->
``zone_count``) or ``city`` (certified smart cities -> ``smart_city_count``); and the region a
breakdown item belongs to.

Topic words are looked for in the clause before the number, in the English noun phrase between
the number and its noun, and right after the noun (:data:`.vocabulary.ZONE_TOPIC`,
:data:`.vocabulary.CITY_TOPIC`).
"""

from __future__ import annotations

import re

from smartcity.extract.figures.vocabulary import CITY_TOPIC, REGION_TAIL, ZONE_TOPIC, last_match
from smartcity.geo import find_provinces, find_region_labels

__all__ = ["find_topic", "region_before", "topic_after"]


def find_topic(clause: str, phrase: str) -> tuple[str | None, int]:
    """(``zone`` | ``city`` | None, offset in ``clause`` where the topic starts, or len(clause)).

    ``phrase`` (the English words between number and noun) beats the clause; in the clause the
    topic word ending last wins, a zone word on a tie ("เขตส่งเสริมเมืองอัจฉริยะ" holds both).
    """
    if phrase:
        if ZONE_TOPIC.search(phrase) or "promotion" in phrase or "candidate" in phrase:
            return "zone", len(clause)
        if CITY_TOPIC.search(phrase):
            return "city", len(clause)
    z = last_match(ZONE_TOPIC, clause)
    c = last_match(CITY_TOPIC, clause)
    if z is not None and (c is None or z.end() >= c.end()):
        return "zone", z.start()
    if c is not None:
        return "city", c.start()
    return None, len(clause)


_TO_CLAUSE_END = re.compile(r"[^,.;:!?\n]*")
_ENGLISH_GOES_ON = re.compile(r"\s+[a-z]")


def topic_after(text: str, pos: int) -> str | None:
    """The topic stated right after a counted noun: ``10 เมืองได้รับตราสัญลักษณ์เมืองอัจฉริยะ``,
    ``15 cities have received the Smart City label``.  Thai: the rest of the word run (no space);
    English: the rest of the clause, up to a comma or sentence end.  ``text`` is lower-cased.
    """
    after = text[pos : pos + 60]
    if after[:1].isspace() or not after:
        m = _TO_CLAUSE_END.match(after)
        after = m.group(0) if m and _ENGLISH_GOES_ON.match(after) else ""
    else:
        after = after.split(None, 1)[0]
    if ZONE_TOPIC.search(after):
        return "zone"
    if CITY_TOPIC.search(after):
        return "city"
    return None


def region_before(text: str, start: int, lo: int) -> tuple[str | None, int]:
    """(region label or province, where it starts) ending right before offset ``start``, not
    before ``lo``: the number is a breakdown item (``ภาคเหนือตอนบน 27 เมือง``); else (None, start)."""
    window = text[max(lo, start - 60) : start]
    base = start - len(window)
    tail = REGION_TAIL.search(window)
    cut = tail.start() if tail else len(window)
    for r in reversed(find_region_labels(window)):
        if r.end == cut:
            return r.label, base + r.start
    for p in reversed(find_provinces(window)):
        if p.end == cut:
            return window[p.start : p.end], base + p.start
    return None, start
