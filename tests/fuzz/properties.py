"""Strategies and properties shared by the fuzz tests (``tests/fuzz``) and ``bench/fuzz.py``.

Each *target* is a public entry point, a Hypothesis strategy for its input and a *check* that
calls it and asserts its properties:

* it raises nothing but its documented typed errors (``ParseError`` for a page,
  ``SchemaMismatch`` for a frame);
* every span it reports is a real substring at its offsets (``text[start:end] == evidence``);
* its values are sane (finite numbers, vocabulary words, dates in order).

Time bounds (``BOUND_10KB_MS``, ``BOUND_1MB_S``) are checked on adversarial texts built by
:func:`adversarial`: digits, commas, Thai multipliers and number words, month names and list
markers, with no end.
"""

from __future__ import annotations

import csv
import io
import math
import random
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import strategies as st

BOUND_10KB_MS = 50.0  # per call, on 10 kB (10,000 characters) of adversarial text
BOUND_1MB_S = 2.0  # per call, on 1 MB (1,000,000 characters) of adversarial text
# The test suite checks the bounds with this allowance: CI shares 2 cores with other jobs, and the
# failures the bound is there to catch (super-linear time) are orders of magnitude, not 2x.
# bench/fuzz.py reports the measured times against the bounds themselves.
CI_SLACK = 2.0

# Pieces of text the functions look for, so random texts hit their rules, not just their fast paths.
TOKENS = [
    "0", "1", "2", "5", "9", "36", "92", "2564", "2567", "1,000", ",", ".", "-", "/", ":", " ", "\n",
    "๓๖", "๒๕๖๔", "ล้าน", "แสน", "หมื่น", "พัน", "ร้อย", "สิบ", "ล้านล้าน", "พันล้าน", "สาม", "ยี่", "เอ็ด",
    "หนึ่ง", "บาท", "฿", "THB", "Bt", "m", "bn", "million", "hundred", "thirty-six", "one", "and",
    "เมือง", "เมืองอัจฉริยะ", "เขตส่งเสริมเมืองอัจฉริยะ", "จังหวัด", "จ.", "แห่ง", "ราย", "คน",
    "smart cities", "promotion zones", "provinces", "กว่า", "ไม่น้อยกว่า", "ประมาณ", "more than",
    "up to", "ทั้งสิ้น", "รวม", "เพิ่ม", "ใหม่", "ได้แก่", "ประกอบด้วย", "1.", "2)", "•", "|",
    "ภาคเหนือ", "ภาคตะวันออกเฉียงเหนือ", "ขอนแก่น", "ภูเก็ต", "กรุงเทพมหานคร", "น่าน", "(", ")",
    "พ.ย.", "พฤศจิกายน", "ธ.ค.", "ม.ค.", "พ.ศ.", "ค.ศ.", "November", "Nov", "วันศุกร์ที่", "ถึง", "–",
    "19/11/2564", "เวลา 10.00 น.", "ดีป้า", "depa", "Smart City", "สมาร์ทซิตี้", "ครม.", "เรื่อง",
    "\u200b", "\ufeff", "\t", "'", '"', "=", "+", "@",
]  # fmt: skip

# Text: token soup, arbitrary Unicode, or both.
token_soup = st.lists(st.sampled_from(TOKENS), max_size=60).map("".join)
texts = st.one_of(token_soup, st.text(max_size=200), st.lists(st.one_of(token_soup, st.text(max_size=20)),
                                                             max_size=8).map("".join))


def adversarial(size: int, seed: int = 0, kind: str = "mixed") -> str:
    """``size`` characters of adversarial text, reproducible from ``seed``.

    ``mixed``: random tokens; ``digits``: digits and commas without end; ``multipliers``: numbers
    and Thai multipliers without end; ``words``: Thai and English number words without a noun;
    ``lists``: list markers and provinces; ``runs``: one number word, multiplier or numeral
    repeated hundreds of times, then another.
    """
    pools = {
        "mixed": TOKENS,
        "digits": ["1", "2", "9", ",", "1,000", ",000", "0", " "],
        "multipliers": ["1", "5", ",", "ล้าน", "แสน", "หมื่น", "พัน", "ล้านล้าน", "บาท", "."],
        "words": ["สาม", "สิบ", "ล้าน", "แสน", "ยี่", "ร้อย", "one ", "hundred ", "thirty-", "six "],
        "lists": ["1. ", "2) ", "• ", "เมือง", "จังหวัด", "ขอนแก่น", "ได้แก่", ", ", "และ", "\n", "จ."],
        "runs": ["สาม", "ล้าน", "แสน", "one ", "hundred ", "1,", "9", "1 ", "1. ", "ก จังหวัดน่าน, "],
    }
    rnd = random.Random(f"{kind}:{seed}")
    pool = pools[kind]
    out: list[str] = []
    n = 0
    while n < size:
        piece = rnd.choice(pool)
        if kind == "runs":
            piece *= rnd.randint(50, 500)
        out.append(piece)
        n += len(piece)
    return "".join(out)[:size]


ADVERSARIAL_KINDS = ("mixed", "digits", "multipliers", "words", "lists", "runs")


# --------------------------------------------------------------------------- checks


def check_dates(text: str, default_year: int | None = None) -> None:
    """find_dates / parse_date_range: spans are the text as written; start <= end; no exception."""
    from smartcity.thai.dates import find_dates, gregorian_year, parse_date_range

    found = find_dates(text, default_year=default_year)
    last_end = -1
    for r in found:
        s, e = r.span
        assert text[s:e] == r.text, (r, text[s:e])
        assert r.start <= r.end
        assert s >= last_end, "overlapping dates"
        last_end = e
    first = parse_date_range(text, default_year=default_year)
    assert (first is None) == (not found)
    if default_year is not None:
        gregorian_year(default_year)


def check_numbers(text: str) -> None:
    """find_numbers, parse_number, the word readers and the qualifiers: spans real, values finite."""
    from smartcity.thai.digits import to_arabic_digits
    from smartcity.thai.numbers import (
        MAX_WORD_NUMBER,
        english_words_to_number,
        find_numbers,
        parse_number,
        qualifier_after,
        qualifier_before,
        thai_words_to_number,
    )

    norm = to_arabic_digits(text)
    assert len(norm) == len(text)
    found = find_numbers(text)
    for n in found:
        assert 0 <= n.start <= n.num_start < n.num_end <= n.end <= len(text), n
        assert math.isfinite(n.value) and n.value >= 0, n
        assert norm[n.num_start : n.num_end].strip(), n
        qualifier_before(text[max(0, n.start - 40) : n.start])
        qualifier_after(text[n.end : n.end + 8])
    assert [n.start for n in found] == sorted(n.start for n in found)
    value = parse_number(text)
    assert value is None or math.isfinite(value)
    for reader in (thai_words_to_number, english_words_to_number):
        v = reader(text)
        assert v is None or 0 <= v <= MAX_WORD_NUMBER


_METRICS = {"smart_city_count", "smart_city_province_count", "zone_count", "zone_province_count",
            "amount_thb", "participant_count"}
_QUALIFIERS = {"exact", "more_than", "at_least", "approx", "up_to"}
_SCOPES = {None, "total", "new", "target"}


def check_figures(text: str) -> None:
    """extract_figures: every evidence is ``text[start:end]``; values finite; vocabularies kept."""
    from smartcity.extract.figures import extract_figures

    for f in extract_figures(text):
        assert 0 <= f.start < f.end <= len(text), f
        assert text[f.start : f.end] == f.evidence, (f.evidence, text[f.start : f.end])
        assert math.isfinite(f.value) and f.value >= 0, f
        assert f.metric in _METRICS and f.qualifier in _QUALIFIERS and f.scope in _SCOPES, f
        assert f.unit in {"count", "THB"}, f


def check_registry(text: str) -> None:
    """extract_registry: every evidence is a substring of the text and names a province."""
    from smartcity.extract.registry import extract_registry

    for e in extract_registry(text):
        assert e.evidence and e.evidence in text, e
        assert e.name and e.province and e.province_code and e.province_code.startswith("TH-"), e
        assert e.kind in {"city", "zone"}, e


def check_relevance(text: str) -> None:
    """relevance.assess and extract_programme: passages inside the text, in order, not
    overlapping; every figure kept lies in a passage, its evidence at its offsets."""
    from smartcity.extract.programme import extract_programme
    from smartcity.extract.relevance import assess

    verdict = assess(text)
    last = 0
    for p in verdict.passages:
        assert last <= p.start < p.end <= len(text), p
        last = p.end
    assert verdict.relevant == bool(verdict.passages)
    result = extract_programme(text)
    for f in result.figures:
        assert text[f.start : f.end] == f.evidence, f
        assert result.relevance.covers(f.start, f.end), f
    for e in result.registry:
        assert e.evidence in text, e


# --------------------------------------------------------------------------- HTML


def html_pages(adapter) -> st.SearchStrategy[bytes]:
    """Pages made of the adapter's own selectors (so its rules run) with fuzzed text and markup."""
    classes = []
    for sel in [*adapter.title, *adapter.body, *adapter.date, *adapter.category]:
        name = sel.name
        if name.startswith(("//", "(", "substring")):
            continue
        tag, _, cls = name.split()[-1].partition(".")
        if "[" in tag:
            continue
        classes.append((tag or "div", cls.replace(".", " ")))
    classes += [("title", ""), ("p", ""), ("div", ""), ("h1", ""), ("time", ""), ("li", ""), ("tr", "")]
    element = st.tuples(st.sampled_from(classes), texts, st.booleans()).map(
        lambda t: f"<{t[0][0]} class=\"{t[0][1]}\">{_escape(t[1])}" + (f"</{t[0][0]}>" if t[2] else "")
    )
    markup = st.lists(st.one_of(element, st.sampled_from(ODDITIES)), max_size=25).map("".join)
    encodings = st.sampled_from(["utf-8", "tis-620", "utf-16"])
    page = st.tuples(markup, encodings, st.booleans()).map(_encode_page)
    # what comes before the first element decides what a fragment parser takes for the root
    first = st.sampled_from(["", *LEADERS])
    return st.one_of(page, st.tuples(first, page).map(lambda t: t[0].encode() + t[1]),
                     st.binary(max_size=300), hostile_bytes)


# Markup that is not an element (comments, processing instructions, CDATA, declarations, entities),
# broken markup and characters no document may hold: what hostile pages are made of.
ODDITIES = ["<p>", "</div>", "<br>", "<!--", "-->", "<!-- c -->", "<![CDATA[", "]]>", "<![CDATA[x]]>",
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>", "<?php echo 1 ?>", "<?pi", "?>", "<!DOCTYPE html>",
            "<!ENTITY x \"y\">", "<meta charset=\"tis-620\">", "<meta charset=\"x-bogus\">", "&amp;",
            "&#0;", "&#x1e;", "&#xD800;", "&bogus;", "\x00", "\x1e", "\x0c", "\x7f", "\ufeff", "\ufffe",
            "<html>", "</html>", "<body>", "<head>", "<svg><![CDATA[x]]></svg>", "<math>", "<template>",
            "<script>", "</script>", "<style>", "<title>", "</title>", "<table><tr><td>", "</td>"]
LEADERS = ["<!-- c -->", "<![CDATA[", "<?xml version='1.0' encoding='utf-8'?>", "<?php ?>", "<!DOCTYPE html>",
           "\x1e", "\x00", "\ufeff", "]]>", "-->"]
# Any bytes, weighted towards the pieces of markup above and towards what adapters select.
hostile_bytes = st.lists(
    st.one_of(st.sampled_from(ODDITIES + LEADERS).map(str.encode), st.binary(max_size=8),
              st.sampled_from([b'<h1 class="entry-title">', b'<div class="entry-content">', b"</h1>",
                               b'<div class="article-content">', b"<h3>", b"<time>", b"\xe0\xb8",
                               "เมืองอัจฉริยะ".encode(), "เมืองอัจฉริยะ".encode("tis-620")])),
    max_size=30,
).map(b"".join)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;")


def _encode_page(t: tuple[str, str, bool]) -> bytes:
    body, encoding, wrap = t
    html = f"<html><head><title>x</title></head><body>{body}</body></html>" if wrap else body
    return html.encode(encoding, errors="replace")


def check_adapter(site: str, content: bytes, url_path: str = "/news/contents/details/1") -> None:
    """A site adapter's public entry points (parse, is_soft_404, links) on ``content``: a
    ``ParsedPage`` or ``ParseError``, nothing else."""
    from smartcity.sources.base import ParseError
    from smartcity.sources.sites import adapter_for

    adapter = adapter_for(site)
    url = "https://example.test" + url_path
    try:
        page = adapter.parse(content, url)
    except ParseError:
        page = None
    if page is not None:
        assert page.body.strip(), page
        assert page.language in {"th", "en"}, page
    adapter.is_soft_404(content)
    try:
        adapter.links(content, url)
    except ParseError:
        pass


def check_corpus(content: bytes) -> None:
    """The corpus reader (``sources.corpus.parse``): a ``ParsedPage`` or ``ParseError``."""
    from smartcity.sources import corpus
    from smartcity.sources.base import ParseError

    try:
        page = corpus.parse(content, "data/2021/11/19/ด้านเศรษฐกิจ_8.txt")
    except ParseError:
        return
    assert page.title and page.body, page
    corpus.article_id(corpus.page_url(corpus.split_page(content.decode("utf-8")), "data/x.txt"))


corpus_pages = st.tuples(texts, st.sampled_from(["", "วันศุกร์ที่ 19 พฤศจิกายน 2564\n", "19/11/2564\nพิมพ์\n"]),
                         texts, st.sampled_from(["", "\nที่มา : https://www.thaigov.go.th/news/contents/details/1"])
                         ).map(lambda t: f"รัฐบาลไทย-ข่าวทำเนียบรัฐบาล-{t[0]}\n\n{t[1]}{t[2]}{t[3]}".encode())

# --------------------------------------------------------------------------- CSV


cells = st.one_of(st.none(), texts,
                  st.sampled_from(["=1+1", "-12", "+66 2", "@SUM(A1)", "\r\n", '"', "\x00"]))
numbers = st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=False), st.integers(-10**15, 10**15))


def figure_rows() -> st.SearchStrategy[list[dict]]:
    """Rows of the figures table with fuzzed text and numeric cells (unique keys)."""
    row = st.fixed_dictionaries({
        "metric": cells, "value": numbers, "unit": cells, "scope": cells, "qualifier": cells,
        "region": cells, "evidence": cells, "start": st.integers(0, 10**9), "end": st.integers(0, 10**9),
        "source": cells, "source_url": cells, "published": st.none(),
    })
    return st.lists(row, max_size=6).map(
        lambda rows: [dict(r, figure_id=f"f{i}") for i, r in enumerate(rows)]
    )


def check_csv(rows: list[dict]) -> None:
    """publish.files: normalise + write_csv read back by the csv module gives every cell as
    written (text neutralised, numbers as numbers); the bytes do not depend on row order."""
    import pandas as pd

    from smartcity.publish import catalog, files
    from smartcity.publish.errors import CellTooLong

    table = catalog.DATASETS["figures"].main
    frame = pd.DataFrame(rows)
    try:
        normal = files.normalise(frame, table)
    except files.SchemaMismatch:
        return
    longest = max((len(str(v).encode("utf-16-le")) // 2 for row in normal for v in row.values()
                   if isinstance(v, str)), default=0)
    if longest > files.MAX_CELL_CHARS:
        # more than a spreadsheet cell holds: refused before anything is written, and named
        with tempfile.TemporaryDirectory() as tmp:
            with pytest.raises(CellTooLong, match=r"figures\.csv"):
                files.write_csv(normal, table, Path(tmp) / "figures.csv")
            assert not any(Path(tmp).iterdir()), "a refused CSV left a file behind"
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = files.write_csv(normal, table, Path(tmp) / "figures.csv")
        data = path.read_bytes()
        again = files.write_csv(files.normalise(frame.iloc[::-1], table), table, Path(tmp) / "again.csv")
        assert again.read_bytes() == data, "CSV bytes depend on row order"
    assert data.startswith(files.BOM.encode())
    csv.field_size_limit(1 << 30)  # our writer puts no limit on a cell: neither may the check
    read = list(csv.reader(io.StringIO(data.decode("utf-8")[1:], newline="")))
    fields = files.data_dictionary(table.record_type)
    assert read[0] == [f.name for f in fields]
    assert len(read) == len(normal) + 1, "a cell broke a row"
    for row, got in zip(normal, read[1:], strict=True):
        for f, cell in zip(fields, got, strict=True):
            value = row[f.name]
            if value is None:
                assert cell == ""
            elif f.type in {"numeric", "int"}:
                assert cell == files._number_text(value)
            elif not f.is_list:
                assert cell == files.neutralise(str(value)), (cell, value)
                # documented: a plain number ("-12", "+1") is no formula and stays as it is
                assert (not cell.startswith(("=", "+", "-", "@", "\t", "\r")) or cell[0] == "'"
                        or files._PLAIN_NUMBER.match(cell)), cell


# --------------------------------------------------------------------------- the targets


@dataclass(frozen=True)
class Target:
    """A fuzz target: its name, the strategy of its input and the check of its properties."""

    name: str
    strategy: st.SearchStrategy
    check: Callable[..., None]
    timed: Callable[[str], object] | None = None  # the call timed on adversarial text


def adversarial_page(text: str, *, body_found: bool = True) -> bytes:
    """A page around ``text``: in a body every adapter's selectors find, or in plain ``<p>``s
    that only the generic extractor (trafilatura) reads."""
    if body_found:
        return ("<html><body><div class=\"article-content entry-content border-normal clearfix\"><p>"
                + _escape(text) + "</p></div></body></html>").encode()
    paragraphs = "".join(f"<p>{_escape(text[i:i + 200])}</p>" for i in range(0, len(text), 200))
    return f"<html><body><div>{paragraphs}</div></body></html>".encode()


def _timed_adapter(site: str, *, body_found: bool = True) -> Callable[[str], object]:
    from smartcity.sources.base import ParseError
    from smartcity.sources.sites import adapter_for

    adapter = adapter_for(site)

    def run(text: str) -> object:
        try:
            return adapter.parse(adversarial_page(text, body_found=body_found),
                                 "https://example.test/news/contents/details/1")
        except ParseError:
            return None

    return run


def timed_call(name: str) -> Callable[[str], object]:
    """The bare call a time bound is about (no property checks around it)."""
    if name == "thai.dates":
        from smartcity.thai.dates import find_dates

        return lambda text: find_dates(text, default_year=2564)
    if name == "thai.numbers":
        from smartcity.thai.numbers import find_numbers

        return find_numbers
    if name == "extract.figures":
        from smartcity.extract.figures import extract_figures

        return extract_figures
    if name == "extract.registry":
        from smartcity.extract.registry import extract_registry

        return extract_registry
    if name == "extract.relevance":
        from smartcity.extract.programme import extract_programme

        return extract_programme
    raise KeyError(name)


def targets() -> list[Target]:
    """Every fuzz target, in table order; adapters and optional modules as they exist now."""
    from smartcity.sources.sites import ADAPTERS

    out = [
        Target("thai.dates", st.tuples(texts, st.one_of(st.none(), st.integers(0, 3000))),
               lambda t: check_dates(*t), timed_call("thai.dates")),
        Target("thai.numbers", texts, check_numbers, timed_call("thai.numbers")),
        Target("extract.figures", texts, check_figures, timed_call("extract.figures")),
        Target("extract.registry", texts, check_registry, timed_call("extract.registry")),
    ]
    try:
        import smartcity.extract.relevance

        out.append(Target("extract.relevance", texts, check_relevance, timed_call("extract.relevance")))
    except ImportError:
        pass
    for site, adapter in sorted(ADAPTERS.items()):
        out.append(Target(f"sources.{site}", html_pages(adapter), lambda c, s=site: check_adapter(s, c),
                          _timed_adapter(site)))
    # The same pages when no site selector finds the body: the generic extractor's time.
    out.append(Target("sources.generic fallback", html_pages(ADAPTERS["depa"]),
                      lambda c: check_adapter("depa", c, "/th/article-view/x"),
                      _timed_adapter("depa", body_found=False)))
    try:
        import smartcity.sources.corpus  # noqa: F401

        out.append(Target("sources.corpus", corpus_pages, check_corpus,
                          lambda s: check_corpus(f"รัฐบาลไทย-ข่าวทำเนียบรัฐบาล-หัวข้อ\n\n{s}".encode())))
    except ImportError:
        pass
    out.append(Target("publish.files (CSV)", figure_rows(), check_csv,
                      lambda s: check_csv([{"figure_id": "f", "evidence": s, "value": 1.0}])))
    return out
