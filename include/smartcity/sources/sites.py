"""The registry of site adapters, by site key."""

from __future__ import annotations

from smartcity.sources import depa, smartcity_office, thaigov
from smartcity.sources.base import SiteAdapter

ADAPTERS: dict[str, SiteAdapter] = {
    thaigov.SITE: thaigov.ADAPTER,
    depa.SITE: depa.ADAPTER,
    smartcity_office.SITE: smartcity_office.ADAPTER,
}
# Sites whose policy forbids automated access unless authorised: opt-in only (thaigov.go.th
# answers bots with 403 since 2025-09-20, see sources/thaigov.py).
REQUIRES_AUTHORISATION = {thaigov.SITE}


class UnknownSite(KeyError):
    """No adapter for this site key."""


def adapter_for(site: str) -> SiteAdapter:
    """The adapter of ``site``; raises UnknownSite."""
    try:
        return ADAPTERS[site]
    except KeyError:
        raise UnknownSite(site) from None
