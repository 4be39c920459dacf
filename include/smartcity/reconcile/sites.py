"""Which site a source URL belongs to, so that two reports can be called independent.

Two reports are *independent* when they come from different sites: different registrable
domains, ignoring ``www.`` and other sub-domains (``www.depa.or.th`` and ``news.depa.or.th`` are
the same site; ``depa.or.th`` and ``thaigov.go.th`` are two).  A site re-publishing its own
figure, or two pages of one site, is one voice, not two.
"""

from __future__ import annotations

from urllib.parse import urlsplit

# Second-level suffixes under which organisations register their own names, so the site is the
# third label from the right (thaigov.go.th, depa.or.th).  Source: THNIC's list of .th
# second-level domains (ac, co, go, in, mi, net, or) plus the common foreign ones we meet.
_TWO_LEVEL_SUFFIXES = frozenset(
    {
        "ac.th", "co.th", "go.th", "in.th", "mi.th", "net.th", "or.th",
        "co.uk", "org.uk", "ac.uk", "gov.uk", "com.au", "co.jp", "com.sg", "gov.sg",
    }
)


def site_of(url: str | None) -> str:
    """The site key of ``url`` (e.g. ``depa.or.th``); the lower-cased text itself if not a URL.

    Takes any string (or None, giving ``""``); returns a lower-case host suffix.
    """
    if not url:
        return ""
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    if not host:
        return url.strip().lower()
    labels = host.split(".")
    if len(labels) >= 3 and ".".join(labels[-2:]) in _TWO_LEVEL_SUFFIXES:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])
