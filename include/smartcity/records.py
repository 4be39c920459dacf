"""The record types every stage agrees on: one dataclass per published dataset.

Column names are part of the public contract (CSV headers, Parquet schema, DataStore fields):
English, snake_case, no spaces. A breaking change to any of them bumps ``SCHEMA_VERSION``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import math
from dataclasses import dataclass, field

SCHEMA_VERSION = "1.3"  # 1.1: articles carry relevance and relevance_evidence; 1.2: figures one row
#                        per fact with confidence, rule and mentions; 1.3: articles published without
#                        their body, with their programme passages (PublishedArticle)


def stable_id(*parts: object, length: int = 16) -> str:
    """A deterministic id from ``parts`` (sha256 of their ``repr``-free joined text)."""
    text = "\x1f".join("" if p is None else str(p) for p in parts)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:length]


def to_date(value: object) -> dt.date | None:
    """The date of a record's ISO date field (or the date part of an ISO datetime).

    Takes a string, ``date``/``datetime``, ``None`` or a NaN (pandas' missing value); returns
    ``None`` for anything absent or unreadable, never raises.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        return None


@dataclass(slots=True)
class Article:
    """One news article or event page, parsed (``pages.jsonl``).  Key: ``url``.

    The articles dataset publishes the pages about the programme as :class:`PublishedArticle`."""

    article_id: str  # canonical id, e.g. "thaigov:48474", "depa:20240701_02"
    source: str  # "thaigov" | "depa" | "smartcity_office" | ...
    url: str
    title: str
    published: str | None  # ISO date, Gregorian
    published_text: str | None  # the date as written on the page
    category: str | None
    body: str
    language: str  # "th" | "en"
    fetched_at: str  # ISO datetime, UTC
    content_hash: str  # sha256 of the raw page bytes
    relevance: str | None = None  # why it is about the programme: "<rule>: <term>" (extract.relevance)
    relevance_evidence: str | None = None  # the start of the passage that made it relevant


PASSAGE_CHARS = 1000  # one published passage at most (cut on a word, with "…")
MAX_PASSAGES = 10  # passages published per article; passage_count says how many there are


@dataclass(slots=True)
class PublishedArticle:
    """A page about the programme as the articles dataset publishes it.  Key: ``url``.

    The page's fields without its body (a body can be a 100-topic cabinet summary, and longer than
    a spreadsheet cell holds), with the passages about the programme instead: each at most
    ``PASSAGE_CHARS`` characters, the first ``MAX_PASSAGES`` of them, separated by a blank line.
    """

    article_id: str
    source: str
    url: str
    title: str
    published: str | None
    published_text: str | None
    category: str | None
    language: str
    fetched_at: str
    content_hash: str
    relevance: str | None = None
    relevance_evidence: str | None = None
    passages: str = ""  # the programme passages, bounded (see the class docstring)
    passage_count: int = 0  # how many passages the page has (more than published when > MAX_PASSAGES)


@dataclass(slots=True)
class Event:
    """An event stated on an event page or in an article.  Key: ``event_id``."""

    event_id: str
    name: str
    start_date: str | None  # ISO date
    end_date: str | None
    venue: str | None
    province: str | None
    province_code: str | None  # ISO 3166-2:TH
    organiser: str | None
    source: str
    source_url: str


@dataclass(slots=True)
class Figure:
    """One figure stated in an article.  Key: ``figure_id``.

    The first fields are the ``smartcity extract`` contract; the pipeline adds where it came from.
    """

    metric: str  # smart_city_count | smart_city_province_count | zone_count | zone_province_count
    #              | amount_thb | participant_count
    value: float
    unit: str  # count | THB
    scope: str | None  # total | new | target | None
    qualifier: str  # exact | more_than | at_least | approx | up_to
    region: str | None
    evidence: str
    start: int
    end: int
    figure_id: str = ""
    source: str = ""
    source_url: str = ""
    published: str | None = None
    article_title: str = ""  # the title of the article that states it
    confidence: str = "high"  # high: published as a fact | low: a review candidate (extract.confidence)
    rule: str = ""  # the test that set the confidence
    mentions: str = "[]"  # every statement of this fact in the article: JSON [{start, end, evidence}]
    mention_count: int = 1
    review: str | None = None  # accepted | corrected: a curator's decision applied (smartcity.review)


@dataclass(slots=True)
class RegistryEntry:
    """A named smart city or promotion zone listed in an article.  Key: ``entry_id``."""

    name: str
    province: str | None
    province_code: str | None
    region: str | None
    evidence: str
    kind: str = "city"  # city | zone
    entry_id: str = ""
    source_url: str = ""
    published: str | None = None


@dataclass(slots=True)
class Total:
    """A reconciled observation of a cumulative total.  Key: ``total_id``."""

    metric: str
    region: str | None
    as_of: str  # ISO date
    value: float
    status: str  # confirmed | single_source | conflict
    sources: list[str] = field(default_factory=list)
    values_seen: list[float] = field(default_factory=list)
    qualifier: str = "exact"
    superseded_by: str | None = None
    total_id: str = ""


@dataclass(slots=True)
class Check:
    """A reconciliation check.  Key: ``check_id``."""

    name: str
    status: str  # pass | fail
    detail: str
    sources: list[str] = field(default_factory=list)
    check_id: str = ""


@dataclass(slots=True)
class Quarantined:
    """A page that could not be fetched or parsed: kept, never dropped.  Key: ``url`` + ``stage``."""

    url: str
    source: str
    stage: str  # fetch | parse
    reason: str
    archive_key: str | None
    at: str


def columns(record_type: type) -> list[str]:
    """The column names of a record type, in declaration order."""
    return [f.name for f in dataclasses.fields(record_type)]


def as_dict(record: object) -> dict:
    return dataclasses.asdict(record)  # type: ignore[arg-type]
