"""What every site adapter shares: precompiled selectors with ordered fallbacks, and page parsing.

A site module (``thaigov``, ``depa``, ``smartcity_office``) builds one ``SiteAdapter`` from its URL
patterns and selectors; each selector carries a note of where the fact about the site came from.
When every body selector of a site finds nothing, the generic extractor (trafilatura) is tried.
"""

from __future__ import annotations

import copy
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urljoin, urlsplit

import lxml.etree
import lxml.html
from lxml.cssselect import CSSSelector
from lxml.etree import ParserError, XPath

from smartcity.sources.fetch import decode
from smartcity.thai.dates import find_dates

log = logging.getLogger(__name__)

# A body shorter than this (after the generic fallback) is not an article: quarantine it.
MIN_BODY_CHARS = 40


class ParseError(Exception):
    """A page could not be turned into an article (no body, soft 404, broken markup)."""


@dataclass(frozen=True)
class Selector:
    """A precompiled CSS/XPath selector and where we learnt it (``source``)."""

    name: str
    find: Callable[[object], list]
    source: str


def css(expr: str, source: str) -> Selector:
    """A precompiled CSS selector (lxml.cssselect) with its provenance."""
    return Selector(expr, CSSSelector(expr), source)


def xpath(expr: str, source: str) -> Selector:
    """A precompiled XPath selector with its provenance."""
    return Selector(expr, XPath(expr), source)


@dataclass
class ParsedPage:
    """What an adapter reads off one page (before it becomes an ``Article``)."""

    title: str
    body: str
    published: date | None
    published_text: str | None
    category: str | None
    language: str
    extractor: str  # "<site>:<selector>" or "generic"
    event: dict | None = None  # name/date_text/venue/organiser, on event pages


# Markup that is *text* on a page (escaped by a CMS, ``&lt;script&gt;``) or left in a generic
# extraction: never published, since a portal's preview may render a cell as HTML.  Both patterns are
# bounded, so adversarial text ("<script" without end) costs linear time.
_SCRIPT_TEXT = re.compile(r"<(script|style)\b[^<>]{0,500}>[\s\S]{0,20000}?</\1\s*>", re.IGNORECASE)
_TAG_TEXT = re.compile(r"</?[A-Za-z][\w:-]{0,30}(?:\s[^<>]{0,500})?/?>|<!--[\s\S]{0,20000}?-->")


def strip_markup(text: str) -> str:
    """``text`` without HTML markup written as text: script/style blocks with their content, then
    any tag or comment (``<b>``, ``</div>``, ``<img src=x onerror=...>``); ``a < b`` stays."""
    if "<" not in text:
        return text
    return _TAG_TEXT.sub(" ", _SCRIPT_TEXT.sub(" ", text))


def clean_text(text: str) -> str:
    """Strip markup written as text (``strip_markup``), collapse runs of blanks (keeping paragraph
    breaks) and strip."""
    text = strip_markup(text)
    lines = [re.sub(r"[ \t\u00a0\u200b]+", " ", line).strip() for line in text.splitlines()]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()


_BLOCK_TAGS = frozenset({
    "p", "div", "li", "tr", "br", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table",
    "section", "article", "blockquote", "pre", "hr",
})
_SKIP_TAGS = frozenset({"script", "style", "noscript", "template"})


def element_text(element) -> str:
    """The text of an element with a line break at every block element and ``<br>``.

    Text outside ``<p>`` (a body written with ``<br>`` lines, as many government pages are) is
    kept; table cells of one row are joined with a space.
    """
    parts: list[str] = []

    def walk(node) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in _SKIP_TAGS:
            return
        block = tag in _BLOCK_TAGS
        if block:
            parts.append("\n")
        elif tag in ("td", "th"):
            parts.append(" ")
        if node.text and tag:
            parts.append(node.text)
        for child in node:
            walk(child)
            if child.tail:
                parts.append(child.tail)
        if block:
            parts.append("\n")

    walk(element)
    return clean_text("".join(parts))


# Characters no HTML or XML document may hold as text: C0 controls other than tab, newline and
# carriage return, lone surrogates, U+FFFE and U+FFFF (XML 1.0, section 2.2).  libxml2 keeps them in
# the tree, where they reach published cells; a page never means them.  Vertical tab and form feed
# separate words, so they become a space.
_FORBIDDEN_CHARS = re.compile("[\x00-\x08\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SEPARATOR_CHARS = re.compile("[\x0b\x0c]")
# Bytes handed to libxml2 are always UTF-8 (we decoded them): this parser is told so, so neither a
# ``<meta charset>`` nor an XML declaration in the page makes it decode them again.
_UTF8_HTML = lxml.html.HTMLParser(encoding="utf-8")


def parse_html(content: bytes | str, content_type: str | None = None):
    """The ``<html>`` element of a page, from raw bytes (encoding detected) or text.

    Always an element, whatever comes first in the page (a comment, a processing instruction, a
    ``<![CDATA[`` section, stray text): the page is parsed as a whole document, never as a fragment
    whose first node would become the root.  Raises ParseError when the page holds no element
    (empty, blank, or only comments and declarations).
    """
    text = decode(content, content_type)[0] if isinstance(content, bytes) else content
    text = _SEPARATOR_CHARS.sub(" ", _FORBIDDEN_CHARS.sub("", text))
    if not text.strip():
        raise ParseError("empty page")
    try:
        root = lxml.html.document_fromstring(text.encode("utf-8"), parser=_UTF8_HTML)
    except (ParserError, ValueError) as exc:
        raise ParseError(f"unparseable HTML: {exc}") from exc
    if not is_element(root):
        raise ParseError(f"no element in the page (its root is {type(root).__name__})")
    return root


def is_element(node: object) -> bool:
    """True for an element: not a comment, processing instruction or entity (whose ``tag`` is a
    function) and not a string."""
    return isinstance(node, lxml.etree._Element) and isinstance(node.tag, str)


def first_match(tree, selectors: list[Selector]) -> tuple[Selector, object] | None:
    """The first selector (in order) that finds an element with text, and that element."""
    for selector in selectors:
        for element in _found(selector, tree):
            if isinstance(element, str):
                if element.strip():
                    return selector, element
            elif element.text_content().strip():
                return selector, element
    return None


def _found(selector: Selector, tree) -> list:
    """What a selector finds, as a list of elements and strings only.

    An XPath string function returns one string; a number or a boolean (``count()``) is no match;
    comments and processing instructions (``//node()``, ``//comment()``) are never matches, since
    nothing a page means is in them.  Every selection of an adapter goes through here.
    """
    found = selector.find(tree)
    if isinstance(found, str):
        return [found]
    if not isinstance(found, list):
        return []
    return [item for item in found if isinstance(item, str) or is_element(item)]


def _value(found) -> str:
    element = found[1]
    if isinstance(element, str):
        return clean_text(element)
    if any(True for _ in element.iter(*_SKIP_TAGS)):  # text_content() would keep a script's code
        element = copy.deepcopy(element)
        lxml.etree.strip_elements(element, *_SKIP_TAGS, with_tail=False)
    return clean_text(element.text_content())


@dataclass
class SiteAdapter:
    """URL patterns and selectors of one site, in fallback order."""

    site: str
    patterns: dict[str, re.Pattern[str]]  # kind -> pattern searched in the URL path
    title: list[Selector]
    body: list[Selector]
    date: list[Selector]
    listing_links: list[Selector]
    pagination: list[Selector]
    category: list[Selector] = field(default_factory=list)
    lead: list[Selector] = field(default_factory=list)  # a lead paragraph outside the body element
    event_fields: dict[str, list[Selector]] = field(default_factory=dict)
    soft_404: Callable[[object], bool] | None = None
    id_of: Callable[[str], str] | None = None

    # ----- URLs

    def classify(self, url: str) -> str | None:
        """``"article"``, ``"event"`` or ``"listing"`` when a pattern matches ``url``, else None."""
        path = urlsplit(url).path
        for kind, pattern in self.patterns.items():
            if pattern.search(path):
                return kind
        return None

    def article_id(self, url: str) -> str:
        """Canonical id ``<site>:<id>`` of an article URL (the id the site itself uses)."""
        local = self.id_of(url) if self.id_of else urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1]
        return f"{self.site}:{local}"

    # ----- listings

    def links(self, content: bytes | str, base_url: str) -> tuple[list[str], list[str]]:
        """``(item_urls, page_urls)`` of a listing page: article/event links and pagination."""
        tree = parse_html(content)
        items: list[str] = []
        for selector in self.listing_links:
            found = [a for a in _found(selector, tree) if not isinstance(a, str)]
            if found:
                items = [urljoin(base_url, a.get("href")) for a in found if a.get("href")]
                break
        pages: list[str] = []
        for selector in self.pagination:
            found = [a for a in _found(selector, tree) if not isinstance(a, str)]
            if found:
                pages = [urljoin(base_url, a.get("href")) for a in found if a.get("href")]
                break
        items = [u for u in dict.fromkeys(items) if self.classify(u) in ("article", "event")]
        return items, list(dict.fromkeys(pages))

    # ----- pages

    def is_soft_404(self, content: bytes | str) -> bool:
        """True when the page is a "not found" page served with HTTP 200."""
        if self.soft_404 is None:
            return False
        try:
            return self.soft_404(parse_html(content))
        except ParseError:
            return False

    def parse(self, content: bytes | str, url: str, content_type: str | None = None) -> ParsedPage:
        """Read title, body, date, category (and event fields) off a page; raises ParseError."""
        tree = parse_html(content, content_type)
        if self.soft_404 is not None and self.soft_404(tree):
            raise ParseError("soft 404 (a 'not found' page served with HTTP 200)")
        title_found = first_match(tree, self.title)
        title = _value(title_found) if title_found else ""
        body_found = first_match(tree, self.body)
        extractor = f"{self.site}:{body_found[0].name}" if body_found else "generic"
        body = element_text(body_found[1]) if body_found else ""
        lead_found = first_match(tree, self.lead) if body_found else None
        if lead_found is not None:
            lead = _value(lead_found)
            if lead and lead not in body:
                body = f"{lead}\n{body}"
        if len(body) < MIN_BODY_CHARS:
            from smartcity.sources.generic import extract_main_text  # trafilatura: only when needed

            log.info("%s: site selectors found no body on %s; trying the generic extractor", self.site, url)
            generic = extract_main_text(tree)
            if generic:
                title = title or clean_text(generic.title or "")
                generic_body = _strip_headline(clean_text(generic.body), title)
                if len(generic_body) > len(body):
                    body, extractor = generic_body, "generic"
        if len(body) < MIN_BODY_CHARS:
            raise ParseError(f"no body text ({len(body)} characters; page truncated or markup changed)")
        published_text, published = None, None
        date_found = _dates_of(tree, self.date)
        if date_found is None:
            # Inferred fallback: the first date on the page outside the body is its dateline.
            date_found = _first_date(clean_text(tree.text_content()).replace(body, ""))
        if date_found is not None:
            published_text, published = date_found
        category_found = first_match(tree, self.category)
        language = _language(tree, url, body)
        event = None
        if self.event_fields:
            event = {}
            for name, selectors in self.event_fields.items():
                found = first_match(tree, selectors)
                event[name] = _value(found) if found else None
            if not event.get("name"):
                event = None
        return ParsedPage(
            title=title or body.split("\n", 1)[0][:200],
            body=body,
            published=published,
            published_text=published_text,
            category=_value(category_found) if category_found else None,
            language=language,
            extractor=extractor,
            event=event,
        )


def _strip_headline(body: str, title: str) -> str:
    """Drop the lines of a generic extraction that are only the headline or only a dateline.

    A truncated page still has its title and date; they must not pass for a body.
    """
    kept = []
    for line in body.splitlines():
        stripped = line.strip()
        if not stripped or stripped == title.strip():
            continue
        dates = find_dates(stripped)
        if dates and sum(d.span[1] - d.span[0] for d in dates) >= len(stripped) * 0.5:
            continue
        kept.append(stripped)
    return "\n".join(kept)


def _first_date(text: str) -> tuple[str, date] | None:
    found = find_dates(text)
    return (found[0].text, found[0].start) if found else None


def _dates_of(tree, selectors: list[Selector]) -> tuple[str, date] | None:
    """The first selector whose text (or ISO attribute) holds a valid date: (as written, date)."""
    for selector in selectors:
        for element in _found(selector, tree):
            text = element if isinstance(element, str) else element.text_content()
            found = _first_date(text)
            if found:
                return clean_text(text), found[1]
            if not isinstance(element, str) and element.get("datetime"):
                try:
                    return clean_text(text) or element.get("datetime"), date.fromisoformat(
                        element.get("datetime")[:10]
                    )
                except ValueError:
                    continue
    return None


_THAI_LETTER = re.compile(r"[\u0e00-\u0e7f]")


def _language(tree, url: str, body: str) -> str:
    """``"en"`` or ``"th"``: the URL's language segment, else ``<html lang>``, else the script."""
    path = urlsplit(url).path
    if "/en/" in path:
        return "en"
    if "/th/" in path:
        return "th"
    lang = (tree.get("lang") or "").lower()
    if lang.startswith(("th", "en")):
        return lang[:2]
    thai = len(_THAI_LETTER.findall(body))
    return "th" if thai > len(body) * 0.2 else "en"
