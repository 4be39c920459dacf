"""Thailand Smart City Office (smartcitythailand.or.th): URL patterns and selectors.

Nothing about this site's markup is in the issue: every URL pattern and selector here is
INFERRED, modelled on the WordPress conventions (``article.post``, ``h1.entry-title``,
``div.entry-content``, ``time.entry-date``, ``a.next.page-numbers``) such sites commonly use.
The site footer carries a phone number, a postcode and a visitor counter; the body selector
keeps them out of the article text.
"""

from __future__ import annotations

import re

from smartcity.sources.base import SiteAdapter, css

SITE = "smartcity_office"
BASE_URL = "https://www.smartcitythailand.or.th"

ADAPTER = SiteAdapter(
    site=SITE,
    patterns={
        "event": re.compile(r"/events?/[^/]+/?$"),  # inferred
        "listing": re.compile(r"/news/(?:page/\d+/)?$"),  # inferred: WordPress archive pages
        "article": re.compile(r"/news/[^/]+/?$"),  # inferred
    },
    title=[css("h1.entry-title", "inferred: WordPress"), css("title", "HTML standard")],
    body=[css("div.entry-content", "inferred: WordPress"), css("article .content", "inferred")],
    date=[css("time.entry-date", "inferred: WordPress (datetime attribute is ISO)")],
    listing_links=[css("h2.entry-title a", "inferred: WordPress archive")],
    pagination=[css("a.page-numbers", "inferred: WordPress pagination")],
    category=[css("span.cat-links a", "inferred: WordPress")],
    event_fields={
        "name": [css("article.event h1.entry-title", "inferred")],
        "date_text": [css("dd.event-date", "inferred")],
        "venue": [css("dd.event-venue", "inferred")],
        "organiser": [css("dd.event-organiser", "inferred")],
    },
)
