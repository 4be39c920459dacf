"""Royal Thai Government news (thaigov.go.th): URL patterns and selectors.

OPT-IN ONLY: the site's policy reportedly forbids automated access unless authorised, so a
thaigov source is skipped unless its configuration says ``authorised: true``.

Where each fact comes from: "issue 3" is the project's issue text, itself gathered from public
scrapers of the site; "inferred" marks what we guessed and could not check (no live site here).
"""

from __future__ import annotations

import re

from smartcity.sources.base import SiteAdapter, css, xpath

SITE = "thaigov"
BASE_URL = "https://www.thaigov.go.th"
# issue 3: a missing id answers HTTP 200 with exactly this title (a soft 404).
SOFT_404_TITLE = "รัฐบาลไทย-ข่าวทำเนียบรัฐบาล-"
# issue 3: every page title starts with this prefix, followed by the headline.
TITLE_PREFIX = SOFT_404_TITLE

_OLD_ARTICLE = re.compile(r"/news/contents/(?:ministry_)?details/(\d+)/?$")  # issue 3 (until mid-2025)
_NEW_ARTICLE = re.compile(r"/(?:th|en)/news/(\d+)/?$")  # issue 3 (2026 layout)


def _id_of(url: str) -> str:
    m = _OLD_ARTICLE.search(url) or _NEW_ARTICLE.search(url)
    if not m:
        return url.rstrip("/").rsplit("/", 1)[-1]
    # ministry_details ids are a separate sequence: keep them apart from details ids.
    return ("m" if "ministry_details" in url else "") + m.group(1)


def _is_soft_404(tree) -> bool:
    titles = tree.xpath("//title/text()")
    return bool(titles) and titles[0].strip() == SOFT_404_TITLE


ADAPTER = SiteAdapter(
    site=SITE,
    patterns={
        "article": re.compile(f"{_OLD_ARTICLE.pattern}|{_NEW_ARTICLE.pattern}"),
        "listing": re.compile(r"/news/contents/(?:category|list)\b"),  # inferred
    },
    title=[
        css("h1.font_level2", "inferred: headline heading class"),
        xpath(f"substring-after(//title, '{TITLE_PREFIX}')", "issue 3: title prefix"),
        css("title", "HTML standard"),
    ],
    body=[
        css("div.border-normal.clearfix", "issue 3: body of pages until mid-2025"),
        css("div.col-xs-12.padding-sm1.news-2.Circular", "issue 3: body of later pages"),
    ],
    date=[
        # issue 3: a Thai date header like "วันศุกร์ที่ 19 พฤศจิกายน 2564"; the class is inferred.
        css("div.Circular.font_level6", "issue 3 (format) / inferred (class)"),
        # issue 3: later pages also carry DD/MM/BBBB, which can differ from the header: 2nd choice.
        css("span.date-post", "issue 3 (format) / inferred (class)"),
    ],
    # issue 3: listing links are in the first div.panel-body.
    listing_links=[xpath("(//div[contains(concat(' ', normalize-space(@class), ' '), ' panel-body ')])[1]//a",
                         "issue 3")],
    # issue 3: page count from ul[class^=pagination] li a[data-ci-pagination-page].
    pagination=[css("ul[class^=pagination] li a[data-ci-pagination-page]", "issue 3")],
    category=[css("div.breadcrumb li.active", "inferred")],
    soft_404=_is_soft_404,
    id_of=_id_of,
)


def listing_url(base: str, offset: int) -> str:
    """A listing page at ``offset`` (issue 3: ``?per_page=<offset>`` in steps of 10)."""
    return base if offset == 0 else f"{base}?per_page={offset}"


def article_url(base: str, article_id: int, *, layout: str = "old") -> str:
    """The URL of article ``article_id`` in the old (``/news/contents/details``) or new layout."""
    if layout == "new":
        return f"{base}/th/news/{article_id}"
    return f"{base}/news/contents/details/{article_id}"
