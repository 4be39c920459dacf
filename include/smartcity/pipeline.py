"""The pipeline's stages as plain functions: what each Airflow task calls.

Every stage reads and writes files under a *run directory* (``<data>/runs/<run_key>/``) and
returns a small JSON-safe dict of counts, so task logs and XComs stay readable.  The published
datasets are a pure function of the raw-page archive: ``parse`` re-parses every archived page, so a
re-run or a backfill produces the same rows and publishing it changes nothing.

Stages, in order: ``crawl`` -> ``parse`` -> ``extract`` -> ``reconcile`` -> ``validate`` (per
dataset) -> ``publish`` (per dataset).  ``main`` runs them all without Airflow, for development.

``parse``, ``extract``, ``reconcile`` and ``validate`` go through the content-addressed stage cache
(:mod:`smartcity.stage_cache`): when their inputs, the code and the vocabularies are byte for byte
what an earlier run had, they restore that run's outputs instead of recomputing them, so a
no-change re-run is cheap and still writes the same files.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import json
import logging
import os
import re
import tempfile
import time
from collections.abc import Iterable, Iterator
from dataclasses import asdict
from pathlib import Path
from typing import IO, Any

from smartcity import records, settings, stage_cache
from smartcity.atomic import replacing

log = logging.getLogger(__name__)

DATASETS = ("articles", "events", "figures", "registry", "totals")

# dataset -> (file in the run directory, record type giving its columns)
DATASET_FILES: dict[str, tuple[str, type]] = {
    "articles": ("articles.jsonl", records.PublishedArticle),
    "events": ("events.jsonl", records.Event),
    "figures": ("figures.jsonl", records.Figure),
    "registry": ("registry.jsonl", records.RegistryEntry),
    "totals": ("totals.jsonl", records.Total),
}
PAGES_FILE = "pages.jsonl"  # every parsed page; articles.jsonl holds the relevant ones
PAGE_EVENTS_FILE = "page_events.jsonl"  # events of every parsed page; events.jsonl those of articles
CHECKS_FILE = "checks.jsonl"
QUARANTINE_FILE = "quarantine.jsonl"
EXTRACT_QUARANTINE_FILE = "quarantine_extract.jsonl"  # pages parsed that failed at extract
DEMO_PORT = int(os.environ.get("SMARTCITY_DEMO_PORT", "8765"))


class StageError(RuntimeError):
    """A stage could not run (missing input from an earlier stage, bad configuration)."""


# --------------------------------------------------------------------------- files


def run_dir(run_key: str, data_dir: Path | None = None) -> Path:
    """The directory of one run; ``run_key`` is made filesystem-safe (Airflow run ids hold ``:``)."""
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", run_key).strip("_") or "manual"
    path = (data_dir or settings.data_dir()) / "runs" / safe
    path.mkdir(parents=True, exist_ok=True)
    return path


def write_jsonl(path: Path, rows: Iterable[Any]) -> int:
    """Write records (dataclasses or dicts) as UTF-8 JSON Lines, atomically; returns the count.

    The rows go to a temporary file of its own next to ``path`` that replaces ``path`` only once
    complete (``os.replace``): a stage killed mid-write leaves the previous file, or none, never
    half of one, and a failed write removes its temporary file.
    """
    with writing_jsonl(path) as out:
        for row in rows:
            out.write(row)
    return out.count


def jsonl_line(row: Any) -> str:
    """One record (a dataclass or a dict) as a line of JSON Lines, newline included."""
    data = row if isinstance(row, dict) else asdict(row)
    return json.dumps(data, ensure_ascii=False, sort_keys=False) + "\n"


class JsonlWriter:
    """Rows written one at a time to an open JSON Lines file; ``count`` of them so far."""

    def __init__(self, out: IO[str]):
        self.out = out
        self.count = 0

    def write(self, row: Any) -> None:
        self.write_line(jsonl_line(row))

    def write_line(self, line: str) -> None:
        """A line :func:`jsonl_line` made (kept aside meanwhile, e.g. in a spill file)."""
        self.out.write(line)
        self.count += 1


@contextlib.contextmanager
def writing_jsonl(path: Path) -> Iterator[JsonlWriter]:
    """A :class:`JsonlWriter` on ``path``, written atomically as :func:`write_jsonl` does: rows
    go to disk as they are written (a stage holds none of them), and ``path`` appears, whole, only
    when the block ends without an error."""
    with replacing(path) as tmp, tmp.open("w", encoding="utf-8") as out:
        yield JsonlWriter(out)


def write_json(path: Path, data: Any) -> Path:
    """Write one JSON document (UTF-8, indented) atomically, like :func:`write_jsonl`."""
    with replacing(path) as tmp:
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    return path


def read_jsonl(path: Path) -> Iterator[dict]:
    """Yield the objects of a JSON Lines file; a missing file is a ``StageError``."""
    if not path.exists():
        raise StageError(f"{path} does not exist: did the earlier stage run for this run directory?")
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                yield json.loads(line)


def load_frame(directory: Path, dataset: str):
    """A pandas DataFrame of one dataset of a run, with the columns of its record type, in order."""
    import pandas as pd

    filename, record_type = DATASET_FILES[dataset]
    columns = records.columns(record_type)
    frame = pd.DataFrame(list(read_jsonl(directory / filename)), columns=columns)
    return frame


# --------------------------------------------------------------------------- stages


def crawl(directory: Path, sources_file: str | None = None, *, data_dir: Path | None = None) -> dict:
    """Discover and fetch (or read, for a corpus) new or changed pages into the archive.

    ``sources_file`` is a YAML/JSON source configuration, or ``"demo"`` for the bundled demo
    snapshot (served on loopback for the duration of the crawl).  None (nothing configured) is a
    ``StageError`` saying how to configure sources: there is no default source.  The crawl report,
    including the names of the sources configured now, goes to ``<run>/crawl.json``.

    Every source in one call; the Airflow DAG crawls each source in a task of its own instead
    (:func:`list_sources`, :func:`crawl_source`, :func:`crawl_summary`).
    """
    from smartcity.sources import crawl as crawler

    data_dir = data_dir or settings.data_dir()
    choice, sources = _load_sources(sources_file)
    with _demo_served(choice == _demo_choice()):
        report = crawler.crawl(sources, data_dir).as_dict()
    report["configured_sources"] = [s.name for s in sources if s.enabled]
    report["demo"] = choice == _demo_choice()  # what publish reads: demo data is marked as such
    write_json(directory / "crawl.json", report)
    log.info("crawl: %s", json.dumps(report, ensure_ascii=False))
    return report


def list_sources(directory: Path, sources_file: str | None = None) -> list[str]:
    """The names of the enabled sources of ``sources_file``: what the per-source crawls map over.

    Writes ``<run>/crawl.json`` with these names as ``configured_sources`` (what :func:`parse`
    reads) and removes per-source reports of an earlier try of this run, so
    :func:`crawl_summary` sees only this try's crawls.  A bad configuration is a ``StageError``.
    """
    choice, sources = _load_sources(sources_file)
    names = [s.name for s in sources if s.enabled]
    for old in directory.glob("crawl-*.json"):
        old.unlink()
    write_json(directory / "crawl.json", {"configured_sources": names, "sources": {}, "pending": True,
                                          "demo": choice == _demo_choice()})
    log.info("sources: %s", names)
    return names


def crawl_source(
    directory: Path, sources_file: str | None, name: str, *, data_dir: Path | None = None,
    interval: tuple[Any, Any] | None = None,
) -> dict:
    """Crawl the one source called ``name`` of ``sources_file``; report in ``<run>/crawl-<name>.json``.

    Tasks of several sources may run at once, on one host or several: each crawls only its own
    source, and the demo snapshot's server (one fixed port, so its page URLs stay the same) is
    waited for while another task on this host holds it.  ``interval``: the run's data interval
    ``(start, end)`` (datetimes or ISO text), the crawl's window (``sources/window.py``); None, or
    a missing end, means no window.
    """
    from smartcity.sources import crawl as crawler
    from smartcity.sources.window import Window

    choice, sources = _load_sources(sources_file)
    chosen = [s for s in sources if s.name == name]
    if not chosen:
        raise StageError(f"crawl: no source named {name!r} in {choice} (names: {[s.name for s in sources]})")
    window = Window.of(*interval) if interval else None
    with _demo_served(choice == _demo_choice()):
        report = crawler.crawl(chosen, data_dir or settings.data_dir(), window=window).as_dict()
    write_json(directory / _source_report_name(name), report)
    log.info("crawl %s: %s", name, json.dumps(report, ensure_ascii=False))
    return report


def crawl_summary(directory: Path) -> dict:
    """Merge this run's per-source crawl reports into ``<run>/crawl.json`` (totals, per source).

    A configured source without a report (its crawl failed) is listed in ``failed_sources``; it
    stays in ``configured_sources``, so its pages archived earlier are still parsed.
    """
    path = directory / "crawl.json"
    if not path.exists():
        raise StageError(f"{path} does not exist: did the list_sources stage run for this run directory?")
    listed = json.loads(path.read_text(encoding="utf-8"))
    names = listed.get("configured_sources", [])
    keys = ("discovered", "fetched", "unchanged", "failed", "soft_404", "disallowed", "read", "out_of_window")
    report: dict[str, Any] = dict.fromkeys(keys, 0)
    report["balanced"] = True
    per_source: dict[str, dict] = {}
    failed_sources = []
    for name in names:
        source_path = directory / _source_report_name(name)
        if not source_path.exists():
            failed_sources.append(name)
            continue
        one = json.loads(source_path.read_text(encoding="utf-8"))
        for key in keys:
            report[key] += one.get(key, 0)
        report["balanced"] = report["balanced"] and one.get("balanced", True)
        per_source.update(one.get("sources", {}))
    report.update(sources=per_source, configured_sources=names, failed_sources=failed_sources,
                  demo=bool(listed.get("demo")))
    write_json(path, report)
    if failed_sources:
        log.warning("crawl: no new pages from %s (their crawl failed); their archived pages are used",
                    failed_sources)
    log.info("crawl: %s", json.dumps({k: v for k, v in report.items() if k != "sources"}, ensure_ascii=False))
    return report


def _source_report_name(name: str) -> str:
    return "crawl-" + (re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_") or "source") + ".json"


def _demo_choice() -> str:
    from smartcity.sources.config import DEMO

    return DEMO


def _load_sources(sources_file: str | None) -> tuple[str, list]:
    """``(choice, [SourceConfig])`` for a configuration file or ``"demo"``; a StageError if unusable.

    The demo's sources point at the demo server on ``DEMO_PORT`` (see :func:`_demo_served`).
    """
    from smartcity.sources import config as source_config

    try:
        choice = source_config.choose_sources(sources_file)
        if choice == source_config.DEMO:
            log.warning("sources: the bundled DEMO snapshot was chosen (invented pages, for demonstration)")
            return choice, source_config.demo_sources(f"http://127.0.0.1:{DEMO_PORT}")
        return choice, source_config.load_sources(Path(choice))
    except (source_config.ConfigError, OSError) as exc:
        raise StageError(f"crawl: {exc}") from exc


@contextlib.contextmanager
def _demo_served(needed: bool, wait: float = 300.0) -> Iterator[None]:
    """Serve the demo snapshot on ``DEMO_PORT`` while the block runs (when ``needed``).

    The port is fixed (the archived pages' URLs name it); while another crawl on this host serves
    it, wait for it to be free, up to ``wait`` seconds.
    """
    if not needed:
        yield
        return
    from smartcity.sources import demo

    deadline = time.monotonic() + wait
    while True:
        try:
            server, _ = demo.serve(port=DEMO_PORT)
            break
        except OSError as exc:
            if exc.errno != errno.EADDRINUSE or time.monotonic() > deadline:
                raise StageError(f"crawl: cannot serve the demo snapshot on port {DEMO_PORT}: {exc}") from exc
            time.sleep(0.5)
    try:
        yield
    finally:
        server.shutdown()
        server.server_close()


def is_demo_run(directory: Path) -> bool:
    """Whether the run in ``directory`` read the bundled demo snapshot (its ``crawl.json`` says so):
    what it publishes is then named, titled and tagged as invented demo data."""
    path = directory / "crawl.json"
    return path.exists() and bool(json.loads(path.read_text(encoding="utf-8")).get("demo"))


def configured_sources(directory: Path) -> list[str]:
    """The names of the sources this run's crawl was configured with (from ``<run>/crawl.json``)."""
    path = directory / "crawl.json"
    if not path.exists():
        raise StageError(f"{path} does not exist: did the crawl stage run for this run directory?")
    report = json.loads(path.read_text(encoding="utf-8"))
    return list(report.get("configured_sources", report.get("sources", {})))


PARSE_OUTPUTS = stage_cache.Outputs(files=[PAGES_FILE, PAGE_EVENTS_FILE, QUARANTINE_FILE])
REVIEW_FILE = "review_candidates.jsonl"  # low-confidence figures no curator decided on yet
EXTRACT_OUTPUTS = stage_cache.Outputs(
    files=["articles.jsonl", "events.jsonl", "figures.jsonl", "registry.jsonl",
    EXTRACT_QUARANTINE_FILE, REVIEW_FILE])
RECONCILE_OUTPUTS = stage_cache.Outputs(files=["totals.jsonl", CHECKS_FILE])


def _cache_data_dir(directory: Path) -> Path:
    """The data directory a run directory belongs to (``<data>/runs/<key>``), else the default."""
    directory = Path(directory)
    if directory.parent.name == "runs":
        return directory.parent.parent
    return settings.data_dir()


def _cache_hit(stage: str, cache: stage_cache.StageCache, counts: dict) -> dict:
    assert cache.key is not None
    log.info("%s: %s (stage cache hit %s: outputs restored, not recomputed)", stage,
             json.dumps(counts, ensure_ascii=False, default=str), cache.key[:12])
    return counts


def parse(directory: Path, *, data_dir: Path | None = None) -> dict:
    """Parse the archived pages of the sources configured now into articles and events.

    Pages of a source no longer configured (removed, or de-authorised) are left out, so they
    leave the datasets; pages that fail go to quarantine.  Cached by the crawl-state rows and
    archive keys of those pages (:func:`smartcity.stage_cache.parse_inputs`).
    """
    data_dir = data_dir or settings.data_dir()
    sources = configured_sources(directory)
    cache = stage_cache.for_stage("parse", data_dir, lambda: stage_cache.stage_key(
        "parse", extra={"sources": sorted(sources), "pages": stage_cache.parse_inputs(data_dir, sources)}))
    hit = cache.restore(directory, PARSE_OUTPUTS)
    if hit is not None:
        for item in read_jsonl(directory / QUARANTINE_FILE):
            log.warning("quarantined %s at %s: %s", item["url"], item["stage"], item["reason"])
        return _cache_hit("parse", cache, hit)
    counts = _parse(directory, data_dir, sources)
    cache.store(directory, PARSE_OUTPUTS, counts)
    return counts


def _parse(directory: Path, data_dir: Path, sources: list[str]) -> dict:
    """Parse page by page (:func:`smartcity.sources.parse.parse_pages`, by URL), writing each page,
    its events and each quarantined page as it comes: memory stays flat in the archive's size.

    Pages and quarantine come by URL, the order they are written in.  Events are deduplicated by
    ``event_id`` (an event page's record first, else the first page by URL naming it) and written
    by ``event_id``: each candidate's line is spilled to a temporary file, and only ids and
    offsets are held until the end.
    """
    from smartcity.sources.parse import Parsed, parse_pages, quarantine_counts

    events: dict[str, tuple[int, int, int]] = {}  # event_id -> (rank, offset, length) in the spill
    with (writing_jsonl(directory / PAGES_FILE) as pages,
          writing_jsonl(directory / QUARANTINE_FILE) as quarantine,
          tempfile.TemporaryFile(dir=directory, prefix=".events.", suffix=".spill") as spill):
        for item in parse_pages(data_dir, sources=sources):
            if not isinstance(item, Parsed):
                quarantine.write(item)
                log.warning("quarantined %s at %s: %s", item.url, item.stage, item.reason)
                continue
            # each page row carries its archive key, so that a page failing at extract is
            # quarantined with it
            pages.write({**asdict(item.article), "archive_key": item.page.archive_key})
            rank = 0 if item.event_page else 1
            for event in item.events:
                held = events.get(event.event_id)
                if held is None or rank < held[0]:  # the same event named on several pages is one
                    line = jsonl_line(event).encode("utf-8")
                    events[event.event_id] = (rank, spill.seek(0, os.SEEK_END), len(line))
                    spill.write(line)
        with writing_jsonl(directory / PAGE_EVENTS_FILE) as out:
            for event_id in sorted(events):
                _, offset, length = events[event_id]
                spill.seek(offset)
                out.write_line(spill.read(length).decode("utf-8"))
    counts = {
        "pages": pages.count,
        "events": len(events),
        "quarantined": quarantine.count,
        "quarantined_by": quarantine_counts(read_jsonl(directory / QUARANTINE_FILE)),
    }
    log.info("parse: %s", json.dumps(counts, ensure_ascii=False))
    return counts


def extract(directory: Path, decisions: str | Path | None = None) -> dict:
    """Keep the pages about the programme as articles, with their events; extract their figures
    and named lists.

    Every parsed page goes through :func:`smartcity.extract.programme.extract_programme`, the
    function ``smartcity extract`` prints: a page is published as an article only when some
    passage of it is about the programme (with the reason, for audit), and figures and registry
    entries come only from those passages.

    A figure is published when it is high confidence or a curator accepted or corrected it;
    ``decisions`` (default :func:`smartcity.review.decisions_path`) is applied every run, and the
    low-confidence figures nobody decided on go to ``review_candidates.jsonl``.
    """
    from smartcity import review

    decisions_file = review.decisions_path(str(decisions) if decisions else None)
    inputs = [directory / PAGES_FILE, directory / PAGE_EVENTS_FILE]
    if decisions_file.is_file():
        inputs.append(decisions_file)
    cache = stage_cache.for_stage("extract", _cache_data_dir(directory),
                                  lambda: stage_cache.stage_key("extract", inputs))
    hit = cache.restore(directory, EXTRACT_OUTPUTS)
    if hit is not None:
        for item in read_jsonl(directory / EXTRACT_QUARANTINE_FILE):
            log.warning("quarantined %s at %s: %s", item["url"], item["stage"], item["reason"])
        return _cache_hit("extract", cache, hit)
    counts = _extract(directory, review.load(decisions_file))
    cache.store(directory, EXTRACT_OUTPUTS, counts)
    return counts


def _extract(directory: Path, decisions: dict) -> dict:
    from smartcity import review
    from smartcity.sources.parse import quarantine_counts

    # Pages are read one at a time and the articles written as they come (by URL, as the pages);
    # what is held is what is sorted or deduplicated at the end: figures, registry entries and
    # quarantined pages (a few per relevant page), and the URLs of the articles.
    published: set[str] = set()
    figures: list[dict] = []
    registry: list[records.RegistryEntry] = []
    quarantined: list[records.Quarantined] = []
    pages = 0
    with writing_jsonl(directory / "articles.jsonl") as articles:
        for page in read_jsonl(directory / PAGES_FILE):
            pages += 1
            _extract_page(page, articles, published, figures, registry, quarantined)
    events = (e for e in read_jsonl(directory / PAGE_EVENTS_FILE) if e["source_url"] in published)
    facts, pending, rejected = review.apply(figures, decisions)
    for row in facts:
        row.pop("context", None)
    counts = {
        "pages": pages,
        "articles": articles.count,
        "events": write_jsonl(directory / "events.jsonl", events),
        "not_about_programme": pages - articles.count - len(quarantined),
        "figures": write_jsonl(directory / "figures.jsonl", _dedupe(facts, "figure_id")),
        "figures_curator_approved": sum(1 for r in facts if r["review"]),
        "figures_rejected_by_curator": rejected,
        "review_candidates": write_jsonl(directory / REVIEW_FILE, _dedupe(pending, "figure_id")),
        "registry": write_jsonl(directory / "registry.jsonl", _dedupe(registry, "entry_id")),
        "quarantined": write_jsonl(directory / EXTRACT_QUARANTINE_FILE, _sorted(quarantined, "url")),
        "quarantined_by": quarantine_counts(quarantined),
    }
    for item in quarantined:
        log.warning("quarantined %s at %s: %s", item.url, item.stage, item.reason)
    log.info("extract: %s", counts)
    return counts


def _extract_page(page: dict, articles: JsonlWriter, published: set[str], figures: list[dict],
                  registry: list[records.RegistryEntry], quarantined: list[records.Quarantined]) -> None:
    """Extract one parsed page: its article row to ``articles`` (and its URL to ``published``)
    when it is about the programme, its figures, registry entries, or its quarantine row."""
    from smartcity.extract.programme import extract_programme

    archive_key = page.pop("archive_key", None)
    text = article_text(page)
    try:
        result = extract_programme(text)
    except MemoryError:
        raise  # the worker's limit, not this page's text
    except Exception as exc:
        # The page boundary: a page's text is the extractors' only input, so whatever it makes
        # them raise is about this page alone: quarantined, and the other pages go on.
        quarantined.append(_quarantined_at_extract(page, archive_key, exc))
        return
    if not result.relevance.relevant:
        return
    first = result.relevance.passages[0]
    page["relevance"] = result.relevance.reason
    page["relevance_evidence"] = " ".join(text[first.start : first.end].split())[:300]
    page["passages"], page["passage_count"] = _passages(text, result.relevance.passages)
    articles.write({name: page.get(name) for name in _ARTICLE_COLUMNS})
    published.add(page["url"])
    for figure in (*result.figures, *result.candidates):
        figure.source = page["source"]
        figure.source_url = page["url"]
        figure.published = page.get("published")
        figure.article_title = page.get("title") or ""
        # one row per fact of an article: the same id in every run, whatever the offsets
        figure.figure_id = records.stable_id(
            figure.source_url, figure.metric, f"{figure.value:g}", figure.region
        )
        row = records.as_dict(figure)
        if figure.confidence != "high":
            row["context"] = _context(text, figure.start, figure.end)
        figures.append(row)
    for entry in result.registry:
        entry.source_url = page["url"]
        entry.published = page.get("published")
        entry.entry_id = records.stable_id(entry.source_url, entry.kind, entry.name, entry.province)
        registry.append(entry)


def _quarantined_at_extract(page: dict, archive_key: str | None, exc: Exception) -> records.Quarantined:
    """The quarantine row of a parsed page whose extraction raised ``exc`` (logged at DEBUG with its
    traceback; the one WARNING per page is the stage's)."""
    from smartcity.sources.parse import failure_reason

    log.debug("extract: %s raised %s", page.get("url"), type(exc).__name__, exc_info=exc)
    return records.Quarantined(
        url=page.get("url") or "", source=page.get("source") or "", stage="extract",
        reason=failure_reason(exc), archive_key=archive_key, at=page.get("fetched_at") or "",
    )


_ARTICLE_COLUMNS = records.columns(records.PublishedArticle)


def _passages(text: str, passages: list) -> tuple[str, int]:
    """The programme passages of ``text`` as the articles dataset publishes them, and their count.

    Each passage on one line, cut at ``records.PASSAGE_CHARS`` characters (at a space when there is
    one, then "…"); the first ``records.MAX_PASSAGES``, one blank line apart: so that no cell comes
    near a spreadsheet's limit, whatever the page.
    """
    out = []
    for passage in passages[: records.MAX_PASSAGES]:
        words = " ".join(text[passage.start : passage.end].split())
        if len(words) > records.PASSAGE_CHARS:
            cut = words[: records.PASSAGE_CHARS - 1]
            words = (cut.rsplit(" ", 1)[0] if " " in cut[-200:] else cut) + "…"
        out.append(words)
    return "\n\n".join(out), len(passages)


def _context(text: str, start: int, end: int, reach: int = 200) -> str:
    """The words around a statement, on one line, for a curator."""
    return " ".join(text[max(0, start - reach) : end + reach].split())


def article_text(article: dict) -> str:
    """The text figures are extracted from: title and body, so evidence offsets are into this."""
    return f"{article.get('title') or ''}\n\n{article.get('body') or ''}"


def reconcile(directory: Path) -> dict:
    """Reconcile figures across sources and over time into totals and checks."""
    inputs = [directory / "figures.jsonl", directory / "registry.jsonl"]
    cache = stage_cache.for_stage("reconcile", _cache_data_dir(directory),
                                  lambda: stage_cache.stage_key("reconcile", inputs))
    hit = cache.restore(directory, RECONCILE_OUTPUTS)
    if hit is not None:
        for check in read_jsonl(directory / CHECKS_FILE):
            if check.get("status") == "fail":
                log.warning("reconciliation check failed: %s: %s", check.get("name"), check.get("detail"))
        return _cache_hit("reconcile", cache, hit)
    counts = _reconcile(directory)
    cache.store(directory, RECONCILE_OUTPUTS, counts)
    return counts


def _reconcile(directory: Path) -> dict:
    from smartcity.reconcile import reconcile as reconcile_figures

    figures = list(read_jsonl(directory / "figures.jsonl"))
    registry = list(read_jsonl(directory / "registry.jsonl"))
    totals, checks = reconcile_figures(figures, registry)
    counts = {
        "totals": write_jsonl(directory / "totals.jsonl", _sorted(totals, "total_id")),
        "checks": write_jsonl(directory / CHECKS_FILE, _sorted(checks, "check_id")),
        "checks_failed": sum(1 for c in checks if c.status == "fail"),
        "conflicts": sum(1 for t in totals if t.status == "conflict"),
    }
    for check in checks:
        if check.status == "fail":
            log.warning("reconciliation check failed: %s: %s", check.name, check.detail)
    log.info("reconcile: %s", counts)
    return counts


def validate(directory: Path, dataset: str) -> dict:
    """Validate one dataset with its expectation suite; a critical failure raises.

    Data Docs are written to ``<run>/data_docs/<dataset>/`` every time, pass or fail.  A pass is
    cached by the dataset file's sha256 and the code version (suites included): on a hit the
    stored report and Data Docs are restored, since the same data under the same suite gets the
    same verdict (the suites' run-time parameters are "not in the future" upper bounds, which only
    loosen as time passes).  A critical failure is never stored: it is recomputed and raised again.
    """
    filename = DATASET_FILES[dataset][0]
    cache = stage_cache.for_stage("validate", _cache_data_dir(directory), lambda: stage_cache.stage_key(
        "validate", [directory / filename], extra={"dataset": dataset}))
    report_file = f"validation_{dataset}.json"
    outputs = stage_cache.Outputs(files=[report_file], dirs=[f"data_docs/{dataset}"])
    docs_index = str((directory / "data_docs" / dataset).resolve() / "index.html")
    hit = cache.restore(directory, outputs,
                        transform={report_file: lambda data: _with_docs_index(data, docs_index)})
    if hit is not None:
        summary = json.loads((directory / report_file).read_text(encoding="utf-8"))
        for warning in summary.get("warnings", []):
            log.warning("warning-level expectation failed on %s: %s", dataset, warning)
        return _cache_hit(f"validate {dataset}", cache, hit)
    counts = _validate(directory, dataset)
    # only a pass gets here (a critical failure raised); the stored report names no run directory
    stored_index = f"data_docs/{dataset}/index.html"
    cache.store(directory, outputs, counts,
                transform={report_file: lambda data: _with_docs_index(data, stored_index)})
    return counts


def _with_docs_index(data: bytes, docs_index: str) -> bytes:
    """A validation report (JSON bytes as :func:`write_json` writes them) whose ``docs_index``, if
    any, is ``docs_index``: relative in the cache, this run directory's on a restore."""
    summary = json.loads(data)
    if summary.get("docs_index") is not None:
        summary["docs_index"] = docs_index
    return json.dumps(summary, ensure_ascii=False, indent=1, default=str).encode("utf-8")


def _validate(directory: Path, dataset: str) -> dict:
    from smartcity.quality import validate_frame

    docs_dir = directory / "data_docs" / dataset
    report = validate_frame(dataset, load_frame(directory, dataset), docs_dir=docs_dir)
    summary = report.as_dict()
    write_json(directory / f"validation_{dataset}.json", summary)
    for warning in report.warnings:
        log.warning("warning-level expectation failed on %s: %s", dataset, warning)
    report.raise_for_critical()
    log.info("validate %s: %s", dataset, json.dumps(summary, ensure_ascii=False, default=str)[:2000])
    return {"dataset": dataset, "success": report.success, "warnings": len(report.warnings)}


def publish(directory: Path, dataset: str, ckan, *, wait_for_loads: bool = True) -> dict:
    """Publish one validated dataset to CKAN through the client ``ckan`` (a ckanapi.RemoteCKAN).

    A run on the demo snapshot (:func:`is_demo_run`) publishes as demo data, and only to a CKAN on
    this machine unless ``SMARTCITY_ALLOW_DEMO_PUBLISH=1`` (``publisher.DemoRefused``).
    ``wait_for_loads=False``: the portal's xloader loads are submitted, not waited for; they are
    in the summary's ``pending_loads`` for :func:`datastore_loaded`."""
    from smartcity.publish.catalog import CatalogConfig
    from smartcity.publish.publisher import publish_dataset

    extra: dict[str, Path] = {}
    docs_index = directory / "data_docs" / dataset / "index.html"
    if docs_index.exists():
        extra["data_docs"] = docs_index.parent
    if dataset == "totals":
        extra["checks"] = directory / CHECKS_FILE
    report = publish_dataset(
        ckan, dataset, load_frame(directory, dataset), out_dir=directory / "publish", extra_resources=extra,
        config=CatalogConfig.from_env().for_demo(is_demo_run(directory)), wait_for_loads=wait_for_loads,
    )
    summary = report.as_dict()
    log.info("publish %s: %s", dataset, json.dumps(summary, ensure_ascii=False, default=str))
    if summary["pending_loads"]:
        log.info("publish %s: %d DataStore table(s) left to the portal's xloader: %s", dataset,
                 len(summary["pending_loads"]), ", ".join(p["table"] for p in summary["pending_loads"]))
    return summary


def datastore_loaded(summary: dict, ckan) -> dict | None:
    """One look at the xloader loads a :func:`publish` summary left pending: None while any is
    still loading; else the summary with its ``datastore`` counts filled in and no pending load
    (each table's hash recorded).  ``DataStoreLoadFailed`` when a load failed or miscounted."""
    from smartcity.publish.publisher import finish_loads

    pending = summary.get("pending_loads") or []
    counts = finish_loads(ckan, pending) if pending else {}
    if counts is None:
        log.info("datastore %s: xloader still loading %s", summary["dataset"],
                 ", ".join(p["table"] for p in pending))
        return None
    datastore = {**summary.get("datastore", {})}
    for table, done in counts.items():
        datastore[table] = {**datastore.get(table, {}), "status": "loaded", **done}
        log.info("datastore %s: %s loaded by xloader, %d rows (job %s)", summary["dataset"], table,
                 done["written"], done["job"])
    return {**summary, "datastore": datastore, "pending_loads": []}


# --------------------------------------------------------------------------- helpers


def _key(row: Any, field: str) -> str:
    value = row.get(field) if isinstance(row, dict) else getattr(row, field)
    return "" if value is None else str(value)


def _sorted(rows: Iterable[Any], field: str) -> list[Any]:
    return sorted(rows, key=lambda row: _key(row, field))


def _dedupe(rows: Iterable[Any], field: str) -> list[Any]:
    unique = {_key(row, field): row for row in rows}
    return [unique[k] for k in sorted(unique)]


# --------------------------------------------------------------------------- CLI


def main(argv: list[str] | None = None) -> int:
    """``smartcity pipeline``: every stage once, without Airflow; publishing needs CKAN_URL + token."""
    parser = argparse.ArgumentParser(prog="smartcity pipeline", description=main.__doc__)
    parser.add_argument(
        "--sources",
        default=os.environ.get("SMARTCITY_SOURCES") or None,
        required=not os.environ.get("SMARTCITY_SOURCES"),
        help="source configuration file, or 'demo' for the bundled demo snapshot ($SMARTCITY_SOURCES)",
    )
    parser.add_argument("--run", default="manual", help="run key (directory name under data/runs)")
    parser.add_argument("--no-publish", action="store_true", help="stop after validation")
    args = parser.parse_args(argv)

    directory = run_dir(args.run)
    summary: dict[str, Any] = {"run_dir": str(directory)}
    summary["crawl"] = crawl(directory, sources_file=args.sources)
    summary["parse"] = parse(directory)
    summary["extract"] = extract(directory)
    summary["reconcile"] = reconcile(directory)
    for dataset in DATASETS:
        summary[f"validate_{dataset}"] = validate(directory, dataset)
    if not args.no_publish:
        from smartcity.publish.client import client_from_env

        with client_from_env() as ckan:
            for dataset in DATASETS:
                summary[f"publish_{dataset}"] = publish(directory, dataset, ckan)
    print(json.dumps(summary, ensure_ascii=False, indent=1, default=str))
    return 0
