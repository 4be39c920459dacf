"""The Wayback Machine as a source (``site: wayback``), for sites that forbid or block bots.

A source entry::

    - site: wayback
      target: thaigov                   # the original site: its adapter parses the captures
      prefixes: [www.thaigov.go.th/news/contents/details/]
      from_date: "2021"                 # CDX from/to: yyyy[MM[dd[hhmmss]]]
      to_date: "2025"
      max_captures: 1000                # per prefix and run
      delay: 5.0                        # politeness as for any host

Captures are listed with the CDX API (``/cdx/search/cdx?url=<prefix>&matchType=prefix&from=&to=
&output=json&filter=statuscode:200&collapse=urlkey``: one capture per original URL, the earliest
in the range) and fetched as original bytes through ``id_`` URLs
(``https://web.archive.org/web/<timestamp>id_/<original URL>``), which serve the page as captured,
without the Archive's toolbar.  Each page is keyed by its original URL (so its ``article_id`` is
the one the site's own page has), with the capture URL as its ``origin`` and the capture time as
its ``fetched_at``.  Source of the API facts: the Wayback CDX server documentation
(github.com/internetarchive/wayback, ``wayback-cdx-server``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlencode

CDX_URL = "https://web.archive.org/cdx/search/cdx"
CAPTURE_BASE = "https://web.archive.org/web"
_CAPTURE = re.compile(r"/web/(\d{14})(?:[a-z]{2}_)?/(.+)$")


class CdxError(ValueError):
    """A CDX answer that is not the JSON we asked for."""


@dataclass(frozen=True)
class Capture:
    """One capture listed by the CDX API."""

    timestamp: str  # yyyyMMddhhmmss, UTC
    original: str  # the URL as it was captured
    digest: str | None = None  # the Archive's SHA-1 of the captured bytes (base 32)

    def url(self, base: str = CAPTURE_BASE) -> str:
        """The ``id_`` URL serving the capture's original bytes."""
        return f"{base.rstrip('/')}/{self.timestamp}id_/{self.original}"

    @property
    def captured_at(self) -> str:
        """The capture time as an ISO datetime (UTC)."""
        return timestamp_iso(self.timestamp)


def timestamp_iso(timestamp: str) -> str:
    """A 14-digit Wayback timestamp as an ISO datetime in UTC."""
    return datetime.strptime(timestamp[:14], "%Y%m%d%H%M%S").replace(tzinfo=UTC).isoformat()


def cdx_query(cdx_url: str, prefix: str, *, from_date: str | None, to_date: str | None, limit: int,
              resume_key: str | None = None) -> str:
    """The CDX URL listing 200 captures under ``prefix``, one per original URL, with a resume key."""
    params = {
        "url": prefix,
        "matchType": "prefix",
        "output": "json",
        "fl": "timestamp,original,digest",
        "filter": "statuscode:200",
        "collapse": "urlkey",
        "limit": str(limit),
        "showResumeKey": "true",
    }
    if from_date:
        params["from"] = str(from_date)
    if to_date:
        params["to"] = str(to_date)
    if resume_key:
        params["resumeKey"] = resume_key
    return f"{cdx_url}?{urlencode(params)}"


def parse_cdx(content: bytes) -> tuple[list[Capture], str | None]:
    """``(captures, resume key or None)`` of a CDX JSON answer (a header row, rows, maybe
    an empty row and ``[resumeKey]``).  Raises CdxError."""
    if not content.strip():
        return [], None
    try:
        rows = json.loads(content)
    except ValueError as exc:
        raise CdxError(f"CDX answer is not JSON: {exc}") from exc
    if not isinstance(rows, list) or not rows:
        return [], None
    header, body = rows[0], rows[1:]
    resume = None
    if len(body) >= 2 and body[-2] == [] and len(body[-1]) == 1:
        resume, body = body[-1][0], body[:-2]
    try:
        t, o = header.index("timestamp"), header.index("original")
    except ValueError as exc:
        raise CdxError(f"CDX header lacks timestamp/original: {header}") from exc
    d = header.index("digest") if "digest" in header else None
    captures = [Capture(row[t], row[o], row[d] if d is not None else None) for row in body if row]
    return captures, resume


def captured_at(capture_url: str) -> str | None:
    """The capture time (ISO, UTC) of a ``/web/<timestamp>[id_]/<url>`` URL, or None."""
    m = _CAPTURE.search(capture_url)
    return timestamp_iso(m.group(1)) if m else None
