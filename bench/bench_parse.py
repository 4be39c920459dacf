"""Pages parsed per second: our site adapters vs the generic extractor (trafilatura).

Runs both over the same saved pages (the demo snapshot's article pages, each site through its
own adapter) and prints pages/s for each.  Usage: ``.venv/bin/python bench/bench_parse.py [--rounds N]``.
"""

from __future__ import annotations

import argparse
import logging
import time

from smartcity.sources.base import ParseError
from smartcity.sources.demo import SITE_ROOT
from smartcity.sources.fetch import decode
from smartcity.sources.generic import extract_main_text
from smartcity.sources.sites import ADAPTERS

PREFIX_SITE = {"thaigov": "thaigov", "depa": "depa", "sco": "smartcity_office"}


def saved_pages() -> list[tuple[str, str, bytes]]:
    """(site, url, bytes) of every article/event page of the snapshot that parses."""
    pages = []
    for path in sorted(SITE_ROOT.rglob("*.html")):
        rel = path.relative_to(SITE_ROOT).as_posix()
        site = PREFIX_SITE.get(rel.split("/", 1)[0])
        url = "https://bench.test/" + rel.removesuffix(".html").removesuffix("index")
        adapter = ADAPTERS.get(site or "")
        if adapter is None or adapter.classify(url) not in ("article", "event"):
            continue
        try:
            adapter.parse(path.read_bytes(), url)
        except ParseError:
            continue  # the truncated page: quarantined, not benchmarked
        pages.append((site, url, path.read_bytes()))
    return pages


def rate(fn, pages, rounds: int) -> float:
    start = time.perf_counter()
    for _ in range(rounds):
        for page in pages:
            fn(page)
    return rounds * len(pages) / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=50)
    args = parser.parse_args()
    logging.disable(logging.INFO)  # the fallback logs one line per page
    pages = saved_pages()
    ours = rate(lambda p: ADAPTERS[p[0]].parse(p[2], p[1]), pages, args.rounds)
    generic = rate(lambda p: extract_main_text(decode(p[2])[0]), pages, args.rounds)
    fallback = sum(1 for p in pages if ADAPTERS[p[0]].parse(p[2], p[1]).extractor == "generic")
    print(f"pages: {len(pages)} saved pages x {args.rounds} rounds ({fallback} use the generic fallback)")
    print(f"site adapters (lxml + precompiled selectors, dates, fallback included): {ours:,.0f} pages/s")
    print(f"generic extractor (trafilatura bare_extraction):                       {generic:,.0f} pages/s")
    print(f"ratio: {ours / generic:.1f}x")


if __name__ == "__main__":
    main()
