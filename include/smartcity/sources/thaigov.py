"""Royal Thai Government news (thaigov.go.th): URL patterns and selectors.

LIVE ACCESS IS OPT-IN ONLY: since 2025-09-20 the site forbids automated access (Cloudflare answers
bots with 403), so a ``site: thaigov`` source is skipped unless its configuration says
``authorised: true``.  The same adapter parses the site's pages as captured by the Wayback Machine
(``site: wayback, target: thaigov``), which is how its pages can be read today.

Where each fact comes from: "observed" marks the site's markup as observed by public scrapers
that ran against the site until 2025 (detail pages
``/news/contents/details/<id>``, ids sequential, ~91963 = 2 Jan 2025):

* the ``<title>`` is ``รัฐบาลไทย-ข่าวทำเนียบรัฐบาล-<headline>``; a missing id answers 200 with an
  empty headline (a soft 404); archived pages have no ``h1``;
* the body container is ``div.border-normal.clearfix``; inside its first ``div.panel-body``: the
  long Thai date ``p.col-xs-8.remove-xs.color7`` (วันอังคารที่ 18 เมษายน 2566); the short date as
  the first line of ``div.col-xs-12.col-sm-6.col-md-5.news-2.font_level3.text-right`` (dd/mm/BE,
  followed by the print link พิมพ์; missing on ~43 % of pages, different from the long date on
  ~3 %); the headline is the first ``h3``; the lead ``p.font_level2.Circular.color3``; the body
  ``div.col-xs-12.padding-sm1.news-2.Circular``; the category is ``span.headtitle-2`` in
  ``div.panel-heading``;
* listings ``/news/contents/index/<categoryId>?per_page=<offset>`` in steps of 10; article links
  are the ``a[href]`` of the first ``div.panel-body``; CodeIgniter pagination ``ul.pagination``,
  page numbers in ``li a[data-ci-pagination-page]``.

"URL survey" marks older URL facts (ministry pages, a 2026 ``/th/news/<id>`` layout) that the
observed markup does not confirm: kept as URL patterns only.
"""

from __future__ import annotations

import re

from smartcity.sources.base import SiteAdapter, clean_text, css, xpath

SITE = "thaigov"
BASE_URL = "https://www.thaigov.go.th"
# observed: every page title is this prefix followed by the headline; a soft 404 has the prefix only.
TITLE_PREFIX = "รัฐบาลไทย-ข่าวทำเนียบรัฐบาล-"
SOFT_404_TITLE = TITLE_PREFIX

_ARTICLE = re.compile(r"/news/contents/(?:ministry_)?details/(\d+)/?$")  # observed (ministry_: URL survey)
_NEW_ARTICLE = re.compile(r"/(?:th|en)/news/(\d+)/?$")  # URL survey, unconfirmed
_LISTING = re.compile(r"/news/contents/index/\d+/?$")  # observed

# observed: everything of an article sits in the first div.panel-body of div.border-normal.clearfix.
_CONTAINER = "(//div[contains(concat(' ', normalize-space(@class), ' '), ' border-normal ')" \
             " and contains(concat(' ', normalize-space(@class), ' '), ' clearfix ')]" \
             "//div[contains(concat(' ', normalize-space(@class), ' '), ' panel-body ')])[1]"
_SHORT_DATE_DIV = "div.col-xs-12.col-sm-6.col-md-5.news-2.font_level3.text-right"


def _classes(*names: str) -> str:
    """An XPath predicate: the element has every class in ``names``."""
    return " and ".join(f"contains(concat(' ', normalize-space(@class), ' '), ' {n} ')" for n in names)


def _id_of(url: str) -> str:
    m = _ARTICLE.search(url) or _NEW_ARTICLE.search(url)
    if not m:
        return url.rstrip("/").rsplit("/", 1)[-1]
    # ministry_details ids are a separate sequence: keep them apart from details ids.
    return ("m" if "ministry_details" in url else "") + m.group(1)


def headline(tree) -> str:
    """The page's headline: the first ``h3`` of the article panel, else the title minus its prefix."""
    for element in tree.xpath(f"{_CONTAINER}//h3[1]"):
        text = clean_text(element.text_content())
        if text:
            return text
    titles = tree.xpath("//title/text()")
    title = titles[0].strip() if titles else ""
    return title[len(TITLE_PREFIX):].strip() if title.startswith(TITLE_PREFIX) else ""


def _is_soft_404(tree) -> bool:
    # observed: a missing id answers HTTP 200 with an empty headline.
    return headline(tree) == ""


ADAPTER = SiteAdapter(
    site=SITE,
    patterns={
        "article": re.compile(f"{_ARTICLE.pattern}|{_NEW_ARTICLE.pattern}"),
        "listing": _LISTING,
    },
    title=[
        xpath(f"{_CONTAINER}//h3[1]", "observed: the headline is the first h3"),
        xpath(f"substring-after(//title, '{TITLE_PREFIX}')", "observed: title prefix"),
    ],
    lead=[css("p.font_level2.Circular.color3", "observed: the lead paragraph")],
    # Only the body element: the container around it also holds the headline and the dates, which
    # must not pass for a body on a truncated page (the generic extractor is the fallback).
    body=[css("div.col-xs-12.padding-sm1.news-2.Circular", "observed: the body")],
    date=[
        css("p.col-xs-8.remove-xs.color7", "observed: the long Thai date (preferred)"),
        # observed: the short dd/mm/BE date is the first line of this div (then the print link).
        xpath(f"(//div[{_classes(*_SHORT_DATE_DIV.split('.')[1:])}])[1]//text()[normalize-space()][1]",
              "observed: the short date, first line (dd/mm/BE)"),
    ],
    listing_links=[xpath("(//div[contains(concat(' ', normalize-space(@class), ' '), ' panel-body ')])[1]"
                         "//a[@href]", "observed: links of the first div.panel-body")],
    pagination=[css("ul.pagination li a[data-ci-pagination-page]", "observed: CodeIgniter pagination")],
    category=[css("div.panel-heading span.headtitle-2", "observed")],
    soft_404=_is_soft_404,
    id_of=_id_of,
)


def listing_url(base: str, category_id: int, offset: int = 0) -> str:
    """A listing page of a category at ``offset`` (observed: ``?per_page=<offset>``, steps of 10)."""
    url = f"{base}/news/contents/index/{category_id}"
    return url if offset == 0 else f"{url}?per_page={offset}"


def article_url(base: str, article_id: int, *, layout: str = "old") -> str:
    """The URL of article ``article_id`` (``/news/contents/details/<id>``; ``new``: the surveyed layout)."""
    if layout == "new":
        return f"{base}/th/news/{article_id}"
    return f"{base}/news/contents/details/{article_id}"
