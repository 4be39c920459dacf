"""depa, the Digital Economy Promotion Agency (depa.or.th): URL patterns and selectors.

URL facts are from the project's survey of the site's public URLs
(``/{th|en}/article-view/<slug>``, ``/th/smart-city-plan/...``, attachments under
``/storage/app/media/...``).  The markup is NOT known from here: every selector below is inferred
and marked so; when none matches, the generic extractor takes over.
"""

from __future__ import annotations

import re

from smartcity.sources.base import SiteAdapter, css

SITE = "depa"
BASE_URL = "https://www.depa.or.th"

ADAPTER = SiteAdapter(
    site=SITE,
    patterns={
        # URL survey: /{th|en}/article-view/<slug> and /th/smart-city-plan/...
        "article": re.compile(r"/(?:th|en)/(?:article-view/[^/]+|smart-city-plan/[^/]+(?:/[^/]+)*)/?$"),
        "attachment": re.compile(r"/storage/app/media/"),  # URL survey: not parsed as pages
        "listing": re.compile(r"/(?:th|en)/article/?$"),  # inferred
    },
    title=[
        css("h1.article-title", "inferred"),
        css("meta[property='og:title']", "Open Graph convention"),
        css("h1", "HTML convention"),
    ],
    body=[
        css("div.article-content", "inferred"),
        css("div.article-view div.content", "inferred"),
    ],
    date=[css("span.article-date", "inferred"), css("time", "HTML convention")],
    listing_links=[css("div.article-list a", "inferred"), css("div.article-item a", "inferred")],
    pagination=[css("ul.pagination a.page-link", "inferred: Bootstrap pagination")],
    category=[css("span.article-category", "inferred")],
)
