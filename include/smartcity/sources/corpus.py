"""A local checkout of PyThaiNLP's thaigov-v2-corpus as a source (``site: thaigov_corpus``).

thaigov.go.th forbids automated access since 2025-09-20; its news up to that day is in the
public-domain corpus that PyThaiNLP built from it.  A source entry::

    - site: thaigov_corpus
      path: ../shared/corpus/thaigov-v2     # relative paths are read from the YAML file's folder

Layout of a checkout (facts from the corpus README): ``data/YYYY/MM/DD/<category>_<n>[_<uuid>].txt``,
one page per file, UTF-8, file names with Thai characters and spaces::

    รัฐบาลไทย-ข่าวทำเนียบรัฐบาล-<headline>      the page's <title>
    (blank lines)
    วันศุกร์ที่ 19 พฤศจิกายน 2564                the Thai date line
    19/11/2564                                  (some pages) the short date, then the print link พิมพ์
    <headline> / <lead> / <body ...>
    ที่มา : https://www.thaigov.go.th/news/contents/details/NNNNN   the page URL (some files lack it)

Each file becomes one page of the crawl state, keyed by its page URL (the same key, and so the
same ``article_id``, as the page scraped from the site or from the Wayback Machine), with the
relative path as its ``origin``.  A file whose headline is empty is the site's soft 404, as on
the live site.  The crawl is incremental: a file whose size and mtime are unchanged is not read
again, and a file read again whose content hash is unchanged counts as unchanged.

**Data intervals.**  By default a run's data interval does not apply: the checkout is a finished
snapshot (its last page is of 2025-09-20) read incrementally, so every run reads only what changed
on disk, and a scheduled run's window (yesterday) holds none of its pages: filtering by it would
load nothing unless one backfilled some 1,800 days.  With ``use_interval: true`` the source reads
only the files under the window's day folders (``data/YYYY/MM/DD/``, the page's date by the corpus
layout, so nothing is opened to find it); files outside a day folder are read whatever the window.
"""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import quote

from smartcity.sources.base import ParsedPage, ParseError, clean_text
from smartcity.sources.state import Archive, PageState, StateStore, content_hash
from smartcity.sources.thaigov import TITLE_PREFIX
from smartcity.sources.thaigov import _id_of as _thaigov_id
from smartcity.sources.window import Window
from smartcity.thai.dates import find_dates

log = logging.getLogger(__name__)

SITE = "thaigov_corpus"
# corpus README: the last line of a page is "ที่มา : <page URL>".  Earlier ที่มา lines inside the
# body cite other sources (a ministry, a yearbook) and stay in the body.
_SOURCE_LINE = re.compile(r"^ที่มา\s*:\s*(https?://\S+)\s*$")
_SHORT_DATE = re.compile(r"^\d{1,2}/\d{1,2}/\d{4}$")  # dd/mm/BE, as on the page
_PRINT_LINK = "พิมพ์"
# corpus README: data/YYYY/MM/DD/<file>: the folders name the page's date (CE)
_DAY_FOLDER = re.compile(r"(?:^|/)(\d{4})/(\d{2})/(\d{2})/[^/]+$")
# corpus README: <category>_<n>[_<uuid>].txt
_FILE_NAME = re.compile(r"^(?P<category>.*)_(?P<n>\d+)(?:_(?P<uuid>[0-9A-Fa-f]{8}-[0-9A-Fa-f-]{27}))?$")
_THAI_LETTER = re.compile(r"[\u0e00-\u0e7f]")
URN_PREFIX = "urn:thaigov-corpus:"


class CorpusError(OSError):
    """The configured corpus path is not a corpus checkout."""


# --------------------------------------------------------------------------- one file


@dataclass
class CorpusPage:
    """What one corpus file says, split into its parts (no date parsing yet)."""

    title: str  # the headline: the first line minus the title prefix ("" = soft 404)
    date_line: str | None  # the Thai date line as written
    short_date: str | None  # dd/mm/BE when the page has one
    body: str  # everything after the date lines, without the final ที่มา line
    url: str | None  # from the ที่มา line


def split_page(text: str) -> CorpusPage:
    """Split the text of one corpus file into headline, date lines, body and page URL."""
    lines = text.replace("\r\n", "\n").split("\n")
    first = lines[0].strip().lstrip("\ufeff") if lines else ""
    if first.startswith(TITLE_PREFIX):
        title = first[len(TITLE_PREFIX):].strip()
    elif TITLE_PREFIX.startswith(first):  # "รัฐบาลไทย-" alone: an empty page
        title = ""
    else:
        title = first
    rest = lines[1:]
    url = None
    last = len(rest) - 1
    while last >= 0 and not rest[last].strip():
        last -= 1
    if last >= 0:
        m = _SOURCE_LINE.match(rest[last].strip())
        if m:
            url = m.group(1)
            rest = rest[:last]
    i = 0
    while i < len(rest) and not rest[i].strip():
        i += 1
    date_line = short_date = None
    if i < len(rest) and find_dates(rest[i][:80]):
        date_line = rest[i].strip()
        i += 1
    if i < len(rest) and _SHORT_DATE.match(rest[i].strip()):
        short_date = rest[i].strip()
        i += 1
    if i < len(rest) and rest[i].strip() == _PRINT_LINK:
        i += 1
    return CorpusPage(title=title, date_line=date_line, short_date=short_date,
                      body=clean_text("\n".join(rest[i:])), url=url)


def category_of(rel_path: str) -> str | None:
    """The news category named by a corpus file (``ด้านเศรษฐกิจ_8_<uuid>.txt`` -> ด้านเศรษฐกิจ)."""
    stem = rel_path.rsplit("/", 1)[-1].removesuffix(".txt")
    m = _FILE_NAME.match(stem)
    category = (m.group("category") if m else stem).strip()
    return category or None


def page_url(page: CorpusPage, rel_path: str) -> str:
    """The page URL from the ที่มา line, else a stable id made from the relative path.

    The id is a URN, not a made-up web address: ``urn:thaigov-corpus:data/2024/...txt``.
    """
    return page.url or URN_PREFIX + quote(rel_path, safe="/")


def article_id(url: str) -> str:
    """``thaigov:<id>`` for a thaigov page URL (as for a scraped page), else ``thaigov_corpus:<path>``."""
    if url.startswith(URN_PREFIX):
        return f"{SITE}:{url.removeprefix(URN_PREFIX)}"
    return f"thaigov:{_thaigov_id(url)}"


def parse(content: bytes, rel_path: str) -> ParsedPage:
    """One corpus file (raw bytes) -> ``ParsedPage``; raises ParseError (soft 404, no body).

    The long Thai date line is the date; the short dd/mm/BE date only when the long one is missing
    (in the site's markup as observed until 2025 the two differ on ~3 % of pages, and the long one
    is the page's own date line).
    """
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ParseError(f"not UTF-8: {exc}") from exc
    page = split_page(text)
    if not page.title:
        raise ParseError("soft 404 (empty headline)")
    if not page.body:
        raise ParseError("no body text")
    published_text, published = _date_of(page)
    thai = len(_THAI_LETTER.findall(page.body[:4000]))
    return ParsedPage(
        title=page.title,
        body=page.body,
        published=published,
        published_text=published_text,
        category=category_of(rel_path),
        language="th" if thai > min(len(page.body), 4000) * 0.2 else "en",
        extractor=f"{SITE}:text",
    )


def _date_of(page: CorpusPage) -> tuple[str | None, date | None]:
    for written in (page.date_line, page.short_date):
        if written:
            found = find_dates(written)
            if found:
                return written, found[0].start
    return None, None


# --------------------------------------------------------------------------- the crawl


@dataclass
class CorpusCounts:
    discovered: int = 0
    fetched: int = 0  # new or changed files, archived
    unchanged: int = 0
    failed: int = 0  # unreadable files
    soft_404: int = 0  # files with an empty headline
    read: int = 0  # files whose bytes were read this run (0 on a run with nothing new)
    out_of_window: int = 0  # files of days outside the run's window (use_interval only)


def corpus_files(root: Path) -> list[tuple[str, os.stat_result]]:
    """``[(relative path, stat)]`` of every ``.txt`` page under ``root/data`` (or ``root``), sorted.

    Raises CorpusError when ``root`` is not a directory.
    """
    if not root.is_dir():
        raise CorpusError(f"corpus path {root} is not a directory (a checkout of thaigov-v2-corpus)")
    top = root / "data" if (root / "data").is_dir() else root
    out = []
    for folder, dirs, files in os.walk(top):
        dirs.sort()
        for name in files:
            if name.endswith(".txt"):
                full = os.path.join(folder, name)
                out.append((Path(full).relative_to(root).as_posix(), os.stat(full)))
    out.sort(key=lambda item: item[0])
    return out


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def day_of(rel_path: str) -> date | None:
    """The day a corpus file's folders name (``data/2024/11/19/x.txt`` -> 2024-11-19), or None."""
    m = _DAY_FOLDER.search(rel_path)
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def _count_known(counts, previous: PageState) -> None:
    """Count a page already in the crawl state whose file has not changed."""
    if previous.kind == "missing":
        counts.soft_404 += 1
    else:
        counts.unchanged += 1


def crawl_corpus(name: str, root: Path, state: StateStore, archive: Archive,
                 window: Window | None = None) -> CorpusCounts:
    """Read the new or changed files of the corpus at ``root`` into ``archive`` and ``state``.

    ``window``: read only the files of the days it overlaps (module docstring); None: every file.

    ``name`` is the source name (``PageState.source``).  Files are matched to earlier runs by
    relative path; a file whose size and mtime (kept as its validator in ``etag``) are unchanged
    is not opened.  Returns the counts; every file is counted once:
    ``discovered = fetched + unchanged + failed + soft_404``.
    """
    counts = CorpusCounts()
    known: dict[str, PageState] = {}
    claimed: dict[str, str] = {}  # page URL -> relative path that owns it
    for page in state.all():
        if page.source == name and page.origin:
            known[page.origin] = page
            claimed[page.url] = page.origin
    now = _now()
    batch: list[PageState] = []
    for rel, st in corpus_files(root):
        day = day_of(rel) if window is not None else None
        if day is not None and not window.contains(day):
            counts.out_of_window += 1
            continue
        counts.discovered += 1
        signature = f"file:{st.st_size}:{st.st_mtime_ns}"
        previous = known.get(rel)
        if previous is not None and previous.etag == signature and previous.error is None:
            _count_known(counts, previous)
            continue
        try:
            content = (root / rel).read_bytes()
        except OSError as exc:
            log.warning("%s: cannot read %s: %s", name, rel, exc)
            counts.failed += 1
            if previous is not None:
                previous.error, previous.checked_at = f"unreadable: {exc}", now
                batch.append(previous)
            continue
        counts.read += 1
        digest = content_hash(content)
        if previous is not None and previous.content_hash == digest and previous.error is None:
            previous.etag, previous.checked_at = signature, now  # touched, not changed
            batch.append(previous)
            _count_known(counts, previous)
            continue
        try:
            page = split_page(content.decode("utf-8"))
        except UnicodeDecodeError:
            page = None
        url = page_url(page, rel) if page else URN_PREFIX + quote(rel, safe="/")
        owner = claimed.get(url)
        if owner is not None and owner != rel:
            log.warning("%s: %s names the same page URL as %s; keyed by its path instead", name, rel, owner)
            url = URN_PREFIX + quote(rel, safe="/")
        if previous is not None and previous.url != url:
            state.delete(previous.url)  # the file now names another page: drop the old key
            claimed.pop(previous.url, None)
        claimed[url] = rel
        missing = page is not None and not page.title
        batch.append(PageState(
            url=url, source=name, kind="missing" if missing else "article", site=SITE,
            content_hash=digest, archive_key=archive.put(content, ".txt", digest=digest),
            etag=signature, fetched_at=now, checked_at=now, origin=rel,
        ))
        if missing:
            counts.soft_404 += 1
        else:
            counts.fetched += 1
        if len(batch) >= 2000:
            state.put_many(batch)
            batch = []
    if batch:
        state.put_many(batch)
    return counts
