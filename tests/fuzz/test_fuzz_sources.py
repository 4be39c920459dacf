"""Property tests of HTML parsing through each site adapter's public entry points
(``parse``, ``is_soft_404``, ``links``) and of the corpus reader (``sources.corpus.parse``).

The property, for every adapter: for any bytes, ``parse`` returns a ``ParsedPage`` with a body or
raises ``ParseError``, nothing else (markup built from the adapter's own selectors, comments,
processing instructions, CDATA, control characters, wrong and unknown charsets, broken tags, random
bytes); bounded time on adversarial text.  New inputs every run (``tests/fuzz/conftest.py``).

Every failure a fuzz run found is an ``@example`` below, tried on every run:

* F2 (``bench/fuzz.py``): ``<meta charset="x-bogus">`` made every adapter raise
  ``LookupError``.
* F4 (``bench/fuzz.py --inputs 100000`` on a later seed): 48 bytes starting with ``<![CDATA[`` made
  the depa and Smart City Office adapters raise ``ValueError: Input object is not an XML element:
  HtmlComment`` (the page was parsed as a fragment whose root was a comment).
"""

from __future__ import annotations

import pytest
from hypothesis import example, given, seed, settings

from smartcity.sources.sites import ADAPTERS
from tests.fuzz.properties import (
    BOUND_10KB_MS,
    CI_SLACK,
    adversarial,
    check_adapter,
    check_corpus,
    corpus_pages,
    hostile_bytes,
    html_pages,
)
from tests.fuzz.support import FUZZ_SEED, best_seconds

SITES = sorted(ADAPTERS)
# F2: fetch.decode falls back to sniffing on an unknown charset label, and the sniffer reads the
# same <meta charset> again: LookupError escaped parse() instead of a decoded page.
BOGUS_CHARSET = b'<html><head><meta charset="x-bogus"></head><body><p>' + b"a" * 100 + b"</p></body></html>"
# F4: the first node, libxml2's comment for "<![CDATA[", became the root of a fragment parse.
CDATA_FIRST = b'<![CDATA[<h1 class="entry-title">\x1e</h1><![CDATA['
# F4's neighbours: a comment or processing instruction first, then an element.
COMMENT_FIRST = b'<!-- c --><h1 class="entry-title">x</h1><div class="entry-content">' + b"a" * 60 + b"</div>"
PI_FIRST = b"<?php x ?><h1 class='article-title'>x</h1>"


@pytest.mark.parametrize("site", SITES)
def test_adapter_parses_any_page_or_raises_parse_error(site):
    @settings(max_examples=40)  # lxml, and trafilatura when the selectors find nothing
    @seed(FUZZ_SEED)
    @given(html_pages(ADAPTERS[site]))
    @example(BOGUS_CHARSET)
    @example(CDATA_FIRST)
    @example(COMMENT_FIRST)
    @example(PI_FIRST)
    def run(content):
        check_adapter(site, content)

    run()


@pytest.mark.parametrize("site", SITES)
def test_adapter_parses_any_bytes_or_raises_parse_error(site):
    @settings(max_examples=40)
    @seed(FUZZ_SEED)
    @given(hostile_bytes)
    @example(b"")
    @example(CDATA_FIRST)
    @example(bytes(range(256)))
    def run(content):
        check_adapter(site, content)

    run()


@pytest.mark.parametrize("site", SITES)
def test_adapter_parse_within_bound_on_10kb(site):
    from tests.fuzz.properties import _timed_adapter

    call = _timed_adapter(site)
    for kind in ("mixed", "multipliers", "lists"):
        text = adversarial(10_000, 1, kind)
        assert best_seconds(lambda t=text: call(t)) * 1000 <= BOUND_10KB_MS * CI_SLACK


@seed(FUZZ_SEED)
@given(corpus_pages)
def test_corpus_reader_parses_any_file_or_raises_parse_error(content):
    check_corpus(content)


@settings(max_examples=40)
@seed(FUZZ_SEED)
@given(html_pages(ADAPTERS[SITES[0]]))
@example(CDATA_FIRST)
def test_corpus_reader_on_random_bytes(content):
    check_corpus(content)
