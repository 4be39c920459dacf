"""The adapters select on elements only: comments, processing instructions, CDATA sections,
control characters and empty documents give a page or a ``ParseError``, never another exception.

The first case is the 48-byte page a fuzz run found (``bench/fuzz.py``): parsed as a fragment, its
root was the comment libxml2 makes of ``<![CDATA[``, and every CSS selection of the depa and Smart
City Office adapters raised ``ValueError: Input object is not an XML element: HtmlComment``.
"""

from __future__ import annotations

import pytest

from smartcity.sources import depa, smartcity_office, thaigov
from smartcity.sources.base import ParseError, SiteAdapter, css, parse_html, xpath
from smartcity.sources.sites import ADAPTERS

CDATA_CRASH = b'<![CDATA[<h1 class="entry-title">\x1e</h1><![CDATA['
BODY = "เมืองอัจฉริยะขอนแก่นเปิดศูนย์ข้อมูลเมืองแห่งใหม่ให้ประชาชนใช้บริการได้ทุกวัน " * 2
URLS = {
    thaigov.SITE: "https://www.thaigov.go.th/news/contents/details/1",
    depa.SITE: "https://www.depa.or.th/th/article-view/x",
    smartcity_office.SITE: "https://www.smartcitythailand.or.th/news/x/",
}

HOSTILE = {
    "cdata crash (fuzz find)": CDATA_CRASH,
    "empty": b"",
    "blank": b" \n\t ",
    "only a comment": b"<!-- nothing -->",
    "only a processing instruction": b"<?xml-stylesheet href='x'?>",
    "only a doctype": b"<!DOCTYPE html>",
    "only control characters": bytes(range(0, 32)),
    "unterminated comment": b"<!-- <h1 class='entry-title'>x</h1><div class='entry-content'>",
    "cdata then text": b"<![CDATA[ x ]]> text",
    "nul bytes in tags": b"<h1\x00 class='entry-title'>a\x00b</h1>",
    "processing instruction inside body": b"<div class='article-content'><?php echo 1 ?></div>",
}


@pytest.mark.parametrize("site", sorted(ADAPTERS))
@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_markup_gives_a_page_or_parse_error(site, name):
    adapter = ADAPTERS[site]
    content = HOSTILE[name]
    try:
        page = adapter.parse(content, URLS[site])
    except ParseError:
        page = None
    assert page is None or page.body.strip()
    adapter.is_soft_404(content)
    try:
        adapter.links(content, URLS[site])
    except ParseError:
        pass


def _article(prefix: str, site: str) -> bytes:
    """A page whose body each site's selectors find, after ``prefix`` (comments, PIs, CDATA ...)."""
    bodies = {
        thaigov.SITE: (
            "<title>รัฐบาลไทย-ข่าวทำเนียบรัฐบาล-หัวข้อ</title>"
            "<div class='border-normal clearfix'><div class='panel-body'><h3>หัวข้อ</h3>"
            f"<div class='col-xs-12 padding-sm1 news-2 Circular'>{BODY}</div></div></div>"
        ),
        depa.SITE: f"<h1 class='article-title'>หัวข้อ</h1><div class='article-content'>{BODY}</div>",
        smartcity_office.SITE: f"<h1 class='entry-title'>หัวข้อ</h1><div class='entry-content'>{BODY}</div>",
    }
    return (prefix + bodies[site]).encode("utf-8")


@pytest.mark.parametrize("site", sorted(ADAPTERS))
@pytest.mark.parametrize("prefix", [
    "<!-- a comment first -->",
    "<?xml version='1.0' encoding='utf-8'?>",
    "<?php header('x'); ?>",
    "<![CDATA[ x ]]>",
    "<!DOCTYPE html>\x1e\x00",
    "\ufeff",
])
def test_what_comes_before_the_first_element_does_not_hide_the_page(site, prefix):
    # Parsed as a fragment, the first node (a comment) became the root and the rest was lost.
    page = ADAPTERS[site].parse(_article(prefix, site), URLS[site])
    assert page.title == "หัวข้อ"
    assert BODY.strip() in page.body


@pytest.mark.parametrize("site", sorted(ADAPTERS))
def test_control_characters_never_reach_a_field(site):
    content = _article("", site).replace("ศูนย์".encode(), "ศูนย์\x1e\x00\x07".encode())
    page = ADAPTERS[site].parse(content.replace("หัวข้อ".encode(), "หัว\x1fข้อ".encode()), URLS[site])
    for text in (page.title, page.body):
        assert not any(ord(c) < 32 and c not in "\t\n\r" for c in text), repr(text)
    assert page.title == "หัวข้อ"


def test_selectors_that_find_comments_or_numbers_match_nothing():
    adapter = SiteAdapter(
        site="t", patterns={},
        title=[xpath("//comment()", "test"), xpath("count(//p)", "test"), css("h1", "test")],
        body=[xpath("//processing-instruction()", "test"), xpath("//div/node()", "test")],
        date=[xpath("//comment()", "test")], listing_links=[xpath("//comment()", "test")], pagination=[],
    )
    content = f"<!-- c --><h1>t</h1><div><!-- not a body --><p>{BODY}</p></div><?pi x?>".encode()
    page = adapter.parse(content, "https://example.test/a")
    assert page.title == "t" and page.body == BODY.strip()
    assert adapter.links(content, "https://example.test/") == ([], [])


def test_parse_html_always_returns_the_html_element():
    for content in (CDATA_CRASH + b"<p>x</p>", b"<!-- c --><p>x</p>", b"text", b"<p>a</p><p>b</p>"):
        assert parse_html(content).tag == "html"
    with pytest.raises(ParseError):
        parse_html(CDATA_CRASH)
