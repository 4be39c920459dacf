"""Source configuration: which sites to crawl, where to start, and how politely.

A configuration file is YAML (or JSON, which YAML reads too): a list of sources, or a mapping
with a ``sources`` list.  There is no default: an unset configuration is an error that says how
to set one (``SOURCES_HOWTO``), so nothing invented is ever published by accident; the bundled
demo snapshot is used only when ``demo`` is chosen explicitly.

A local checkout of PyThaiNLP's public-domain thaigov corpus (``corpus.py``)::

    - site: thaigov_corpus
      path: ../shared/corpus/thaigov-v2   # relative to the YAML file's folder

Captures of a site in the Wayback Machine (``wayback.py``), parsed with that site's adapter::

    - site: wayback
      target: thaigov
      prefixes: [www.thaigov.go.th/news/contents/details/]
      from_date: "2021"
      to_date: "2025"

A live site (each one answers to its adapter: ``thaigov``, ``depa``, ``smartcity_office``)::

    - name: depa               # the Article.source value; default: the site key
      site: depa
      listings: [https://www.depa.or.th/th/article]
      sitemaps: []
      feeds: []
      urls: []                 # article URLs to fetch as they are
      delay: 2.0               # seconds between requests to a host (>= 2 for real sites)
      authorised: false        # thaigov only: true once the site has authorised us
      use_interval: true       # a run's data interval is its window (window.py); corpus: false

thaigov is OPT-IN: its policy reportedly forbids automated access unless authorised, so a thaigov
source without ``authorised: true`` is disabled with a warning.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from smartcity import settings
from smartcity.sources.fetch import FetchPolicy
from smartcity.sources.sites import ADAPTERS, REQUIRES_AUTHORISATION

log = logging.getLogger(__name__)

SOURCES_ENV = "SMARTCITY_SOURCES"
SOURCES_VARIABLE = "smartcity_sources"
DEMO = "demo"
SOURCES_HOWTO = (
    "no source configuration is set: set the Airflow Variable smartcity_sources (or the environment "
    "variable SMARTCITY_SOURCES, or the DAG run parameter 'sources') to the path of a source YAML "
    "file (see the README, section 'Sources'; e.g. one entry 'site: thaigov_corpus, path: <a "
    "checkout of thaigov-v2-corpus>'), or to 'demo' for the bundled demo snapshot (invented "
    "demonstration pages: never for publishing)"
)
# Source kinds that are not an HTTP site of their own.
CORPUS_SITES = {"thaigov_corpus"}
WAYBACK = "wayback"


class ConfigError(ValueError):
    """A source configuration that cannot be used."""


@dataclass
class SourceConfig:
    """One site to crawl and the politeness to crawl it with."""

    site: str
    name: str = ""
    enabled: bool = True
    listings: list[str] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)
    feeds: list[str] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)
    id_walk: dict | None = None  # {"template": ".../{id}", "start": 48470, "max_misses": 5, "max_ids": 100}
    max_listing_pages: int = 20
    delay: float = 2.0
    timeout: float = 30.0
    max_bytes: int = 5_000_000
    retries: int = 3
    user_agent: str = settings.USER_AGENT
    allowed_hosts: list[str] = field(default_factory=list)  # default: the hosts of the start URLs
    allow_private_hosts: bool = False
    obey_robots: bool = True
    authorised: bool = False
    path: str | None = None  # thaigov_corpus: the corpus checkout
    # wayback: the original site, URL prefixes, CDX date range, and where the Archive answers
    target: str | None = None
    prefixes: list[str] = field(default_factory=list)
    from_date: str | None = None
    to_date: str | None = None
    max_captures: int = 1000
    cdx_url: str = "https://web.archive.org/cdx/search/cdx"
    capture_base: str = "https://web.archive.org/web"
    # whether a run's data interval narrows what this source fetches (window.py says how);
    # default: yes for Wayback and live sites, no for a corpus checkout
    use_interval: bool | None = None

    def __post_init__(self) -> None:
        known = sorted({*ADAPTERS, *CORPUS_SITES, WAYBACK})
        if self.site not in known:
            raise ConfigError(f"unknown site {self.site!r}; known: {known}")
        self.name = self.name or self.site
        if self.use_interval is None:
            self.use_interval = self.site not in CORPUS_SITES
        if self.site in CORPUS_SITES and not self.path:
            raise ConfigError(f"source {self.name}: site {self.site} needs a path (a corpus checkout)")
        if self.site == WAYBACK:
            if self.target not in ADAPTERS:
                raise ConfigError(f"source {self.name}: wayback needs a target, one of {sorted(ADAPTERS)}")
            if not self.prefixes:
                raise ConfigError(f"source {self.name}: wayback needs prefixes (URL prefixes)")
            # YAML reads 2021-01-01 as a date: the CDX API wants digits.
            self.from_date = _cdx_date(self.from_date)
            self.to_date = _cdx_date(self.to_date)
        if self.site in REQUIRES_AUTHORISATION and self.enabled and not self.authorised:
            log.warning(
                "source %s disabled: %s forbids automated access unless authorised; "
                "set authorised: true only once it has authorised you", self.name, self.site,
            )
            self.enabled = False

    def start_urls(self) -> list[str]:
        if self.site == WAYBACK:
            return [self.cdx_url, self.capture_base]
        urls = [*self.listings, *self.sitemaps, *self.feeds, *self.urls]
        if self.id_walk:
            urls.append(self.id_walk["template"])
        return urls

    def policy(self) -> FetchPolicy:
        """The ``FetchPolicy`` for this source."""
        start_hosts = {(urlsplit(u).hostname or "").lower() for u in self.start_urls()}
        hosts = self.allowed_hosts or sorted(start_hosts)
        return FetchPolicy(
            user_agent=self.user_agent,
            delay=self.delay,
            read_timeout=self.timeout,
            max_bytes=self.max_bytes,
            retries=self.retries,
            allowed_hosts=frozenset(h for h in hosts if h),
            allow_private_hosts=self.allow_private_hosts,
            obey_robots=self.obey_robots,
        )


def _cdx_date(value: object) -> str | None:
    return None if value is None else "".join(ch for ch in str(value) if ch.isdigit()) or None


def sources_from_data(data: object) -> list[SourceConfig]:
    """Source configs from parsed YAML/JSON (a list, or a mapping with ``sources``)."""
    if isinstance(data, dict):
        data = data.get("sources", [])
    if not isinstance(data, list):
        raise ConfigError("a source configuration is a list of sources (or {sources: [...]})")
    out = []
    for item in data:
        if not isinstance(item, dict):
            raise ConfigError(f"a source is a mapping, not {item!r}")
        try:
            out.append(SourceConfig(**item))
        except TypeError as exc:
            raise ConfigError(f"bad source {item.get('name') or item.get('site')}: {exc}") from exc
    return out


def load_sources(path: Path | str | None) -> list[SourceConfig]:
    """Read a YAML/JSON source configuration file.

    ``path`` None means ``$SMARTCITY_SOURCES``; unset, it is a ConfigError saying how to set it
    (there is no packaged default).  A relative corpus ``path:`` is read from the file's folder.
    Raises ConfigError or OSError.
    """
    if path is None:
        path = os.environ.get(SOURCES_ENV) or None
        if path is None:
            raise ConfigError(SOURCES_HOWTO)
    path = Path(path)
    if str(path) == DEMO:
        raise ConfigError("'demo' is not a file: use demo_sources() for the demo snapshot")
    with open(path, encoding="utf-8") as handle:
        try:
            data = yaml.safe_load(handle)
        except yaml.YAMLError as exc:
            raise ConfigError(f"{path}: not valid YAML/JSON: {exc}") from exc
    sources = sources_from_data(data)
    for source in sources:
        if source.path and not Path(source.path).expanduser().is_absolute():
            source.path = str((path.resolve().parent / Path(source.path).expanduser()).resolve())
    return sources


def choose_sources(*choices: str | None) -> str:
    """The first set value of ``choices`` (DAG param, Variable, environment, in that order).

    Returns a file path or ``"demo"``; raises ConfigError(SOURCES_HOWTO) when none is set.
    """
    for choice in choices:
        if choice is not None and str(choice).strip():
            return str(choice).strip()
    raise ConfigError(SOURCES_HOWTO)


def demo_sources(base_url: str) -> list[SourceConfig]:
    """The three sites as served by the demo server at ``base_url`` (delay 0, loopback allowed)."""
    base = base_url.rstrip("/")
    # a fixed snapshot, not a site that changes: every run reads all of it, whatever its interval
    common = {"delay": 0.0, "retries": 1, "allow_private_hosts": True, "timeout": 10.0, "use_interval": False}
    return [
        SourceConfig(
            site="thaigov", authorised=True,  # our own snapshot: no authorisation needed
            listings=[f"{base}/thaigov/news/contents/index/999"],
            sitemaps=[f"{base}/thaigov/sitemap.xml"], **common,
        ),
        SourceConfig(site="depa", listings=[f"{base}/depa/th/article"], feeds=[f"{base}/depa/th/rss.xml"],
                     **common),
        SourceConfig(site="smartcity_office", listings=[f"{base}/sco/news/"], **common),
    ]
