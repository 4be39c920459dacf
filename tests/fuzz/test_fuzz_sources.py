"""Property tests of HTML parsing through each site adapter's public entry points
(``parse``, ``is_soft_404``, ``links``) and of the corpus reader (``sources.corpus.parse``).

Properties: a ``ParsedPage`` with a body or a ``ParseError``, nothing else, whatever the bytes
(markup built from the adapter's own selectors, wrong and unknown charsets, broken tags, random
bytes); bounded time on adversarial text.  An unknown charset label (``<meta charset="x-bogus">``),
found here, once made every adapter raise LookupError; it is now an ordinary page.
"""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings

from smartcity.sources.sites import ADAPTERS
from tests.fuzz.properties import (
    BOUND_10KB_MS,
    CI_SLACK,
    adversarial,
    check_adapter,
    check_corpus,
    corpus_pages,
    html_pages,
)
from tests.fuzz.support import best_seconds

SITES = sorted(ADAPTERS)
# Finding F2: fetch.decode falls back to sniffing on an unknown charset label, and the sniffer reads
# the same <meta charset> again: LookupError escapes parse() instead of a decoded page.
BOGUS_CHARSET = b'<html><head><meta charset="x-bogus"></head><body><p>' + b"a" * 100 + b"</p></body></html>"


@pytest.mark.parametrize("site", SITES)
def test_adapter_parses_any_page_or_raises_parse_error(site):
    @settings(max_examples=40)  # lxml, and trafilatura when the selectors find nothing
    @given(html_pages(ADAPTERS[site]))
    @example(BOGUS_CHARSET)
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


@given(corpus_pages)
def test_corpus_reader_parses_any_file_or_raises_parse_error(content):
    check_corpus(content)


@settings(max_examples=40)
@given(html_pages(ADAPTERS[SITES[0]]))
def test_corpus_reader_on_random_bytes(content):
    check_corpus(content)
