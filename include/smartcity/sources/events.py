"""Events from event pages and from article sentences.

An event in an article is a sentence (paragraph) naming an event — a Latin-script name after
``งาน``/``กิจกรรม``/``สัมมนา...`` such as ``งาน Smart Economy Showcase`` — together with a date;
the venue follows ``ณ``/``ที่``, the organiser ``จัดโดย``.  A date without a year takes the year
of the article (``16-22 ตุลาคม`` in a 2020 article is 2020).
"""

from __future__ import annotations

import logging
import re
from datetime import date

from smartcity import records
from smartcity.thai.dates import find_dates, parse_date_range

log = logging.getLogger(__name__)

_NAME = re.compile(
    r"(?:งาน|กิจกรรม)(?:สัมมนา[ก-๙]*|ประชุม[ก-๙]*)?\s*[“\"]?"
    r"(?P<name>[A-Z][A-Za-z0-9&.'’\-]*(?:\s+[A-Za-z0-9&.'’:\-]+){1,12})"
)
# The venue runs from ณ up to a word that starts another clause.
_VENUE = re.compile(r"(?:^|\s)ณ\s*(?P<venue>.+?)(?=\s+(?:จัดโดย|โดย|เพื่อ|ซึ่ง|และ|ระหว่าง)|[,.;)]|$)")
_ORGANISER = re.compile(r"จัดโดย\s*(?P<org>[^\s,]+(?:\s*\([^)]*\))?)")
_MAX_DATE_DISTANCE = 200  # characters between the event name and its date, within one paragraph


def _province(text: str | None) -> tuple[str | None, str | None]:
    """(Thai name, ISO code) of the first province named in ``text``, via smartcity.geo if present."""
    if not text:
        return None, None
    try:
        from smartcity.geo import find_provinces
    except ImportError:  # geo is optional for this stage: events keep a venue, lose the province
        return None, None
    found = find_provinces(text)
    if not found:
        return None, None
    return found[0].province.name_th, found[0].province.code


def make_event(name: str, start: date | None, end: date | None, venue: str | None, organiser: str | None,
               *, source: str, source_url: str, context: str | None = None) -> records.Event:
    """An ``Event`` with a stable id (name + start date) and the province of its venue or context."""
    province, code = _province(venue)
    if province is None:
        province, code = _province(context)
    return records.Event(
        event_id=records.stable_id(re.sub(r"\s+", " ", name).strip().lower(), start),
        name=name.strip(),
        start_date=start.isoformat() if start else None,
        end_date=end.isoformat() if end else None,
        venue=venue,
        province=province,
        province_code=code,
        organiser=organiser,
        source=source,
        source_url=source_url,
    )


def event_from_fields(fields: dict, *, published: date | None, source: str, source_url: str) -> records.Event:
    """An event from an event page's fields (``name``, ``date_text``, ``venue``, ``organiser``)."""
    default_year = published.year if published else None
    found = parse_date_range(fields.get("date_text") or "", default_year=default_year)
    return make_event(
        fields["name"], found.start if found else None, found.end if found else None,
        fields.get("venue"), fields.get("organiser"), source=source, source_url=source_url,
    )


def events_from_text(
    text: str, *, published: date | None, source: str, source_url: str
) -> list[records.Event]:
    """Events named in an article body: one per (name, date) found in the same paragraph."""
    default_year = published.year if published else None
    events: list[records.Event] = []
    for paragraph in text.split("\n"):
        for m in _NAME.finditer(paragraph):
            name = m["name"].strip(" .:-")
            dates = find_dates(paragraph, default_year=default_year)
            near = [d for d in dates if abs(d.span[0] - m.start()) <= _MAX_DATE_DISTANCE]
            if not near:
                continue
            chosen = min(near, key=lambda d: abs(d.span[0] - m.start()))
            after = paragraph[m.end():]
            venue_m = _VENUE.search(after)
            org_m = _ORGANISER.search(after) or _ORGANISER.search(paragraph)
            venue = venue_m["venue"].strip() if venue_m else None
            events.append(make_event(
                name, chosen.start, chosen.end, venue, org_m["org"] if org_m else None,
                source=source, source_url=source_url, context=paragraph,
            ))
    return events
