"""A crawl window: the span of time one run collects pages for (a run's data interval).

An Airflow run for 2025-10-01 on a daily schedule has the data interval [2025-10-01 00:00,
2025-10-02 00:00) UTC; its crawl collects what was published or captured in that span, so a
backfill over a past range crawls that range and nothing else.  A run without an interval (the
``smartcity pipeline`` command, a manual run with no logical date) has no window: every source
collects what it lists, as it always did.

How each kind of source applies a window (``SourceConfig.use_interval``):

* **Wayback**: the CDX listing asks only for captures made in the window (``from``/``to``,
  intersected with the source's own ``from_date``/``to_date``).
* **A live site**: sitemap entries (``lastmod``) and feed entries (their date) outside the window
  are not fetched (counted as ``out_of_window``).  Listing pages, fixed ``urls`` and id walks carry
  no date before the page is fetched and show the site as it is now: they are read only when the
  window reaches the present (its end less than ``CURRENT_GRACE`` ago), never in a backfill of the
  past.  Failed pages due for a retry are retried whatever the window.
* **The thaigov corpus**: off by default (a checkout is a finished snapshot, read incrementally by
  size and mtime, whose last page is of 2025-09-20: a scheduled run's window holds none of it, so
  a default filter would load nothing without a backfill of some 1,800 days).  With
  ``use_interval: true`` only files under the window's ``data/YYYY/MM/DD/`` folders are read.

The window limits what is *fetched*; the datasets are still built from every archived page of the
configured sources, so a backfill of one day never shrinks what is published.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

CURRENT_GRACE = timedelta(days=2)


@dataclass(frozen=True)
class Window:
    """``[start, end)`` in UTC: the end is excluded, as in Airflow's data intervals."""

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        if self.end <= self.start:
            raise ValueError(f"empty crawl window: {self.start.isoformat()} .. {self.end.isoformat()}")

    @classmethod
    def of(cls, start: datetime | str | None, end: datetime | str | None) -> Window | None:
        """A window from an interval's two ends (datetimes or ISO strings), or None when either
        is missing or both are the same moment (a run without a data interval).  Naive datetimes
        are taken as UTC; an end before the start is a ValueError."""
        if start is None or end is None:
            return None
        start, end = _utc(start), _utc(end)
        # a timetable without intervals (CronTriggerTimetable's default) gives start == end
        return None if start == end else cls(start, end)

    def as_dict(self) -> dict[str, str]:
        """JSON-safe: ``{"start": iso, "end": iso}`` (what crawl reports and task XComs carry)."""
        return {"start": self.start.isoformat(), "end": self.end.isoformat()}

    def contains(self, when: datetime | date | str) -> bool:
        """Whether a date or datetime (or its ISO text) falls in the window.

        A bare date is its whole day: it is in the window when the day overlaps it.
        """
        if isinstance(when, str):
            when = _parse(when)
        if isinstance(when, datetime):
            return self.start <= _utc(when) < self.end
        day = datetime(when.year, when.month, when.day, tzinfo=UTC)
        return day < self.end and day + timedelta(days=1) > self.start

    def is_current(self, now: datetime | None = None) -> bool:
        """Whether the window reaches the present (its end less than ``CURRENT_GRACE`` ago)."""
        return self.end > (now or datetime.now(UTC)) - CURRENT_GRACE

    def days(self) -> list[date]:
        """Every calendar day (UTC) the window overlaps, in order."""
        day, last = self.start.date(), (self.end - timedelta(microseconds=1)).date()
        out = []
        while day <= last:
            out.append(day)
            day += timedelta(days=1)
        return out

    def cdx_range(self, from_date: str | None, to_date: str | None) -> tuple[str, str] | None:
        """The CDX ``from``/``to`` (14 digits, both inclusive) of the window intersected with a
        source's own range (CDX prefixes ``yyyy[MM[dd[hhmmss]]]``, either may be None), or None
        when they do not overlap."""
        lo = self.start.strftime("%Y%m%d%H%M%S")
        hi = (self.end - timedelta(seconds=1)).strftime("%Y%m%d%H%M%S")
        if from_date:
            lo = max(lo, _pad(from_date, "00000101000000"))
        if to_date:
            hi = min(hi, _pad(to_date, "99991231235959"))
        return (lo, hi) if lo <= hi else None


def _pad(cdx_date: str, template: str) -> str:
    """A CDX date prefix made 14 digits: the earliest (or latest) moment it names."""
    return cdx_date[:14] + template[len(cdx_date[:14]):]


def _utc(value: datetime | str) -> datetime:
    value = _parse(value) if isinstance(value, str) else value
    if not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _parse(text: str) -> datetime | date:
    text = text.strip()
    if len(text) == 10:
        return date.fromisoformat(text)
    return datetime.fromisoformat(text.replace("Z", "+00:00"))
