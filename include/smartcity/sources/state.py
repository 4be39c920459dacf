"""Incremental crawl state and the raw-page archive.

* ``Archive``: raw pages, gzip-compressed and content-addressed:
  ``<data>/archive/ab/abcdef....html.gz`` where ``abcdef...`` is the sha256 of the raw bytes.
  Identical pages are stored once; nothing is ever overwritten or deleted.
* ``StateStore``: one row per URL seen (source, kind, content hash, ETag, Last-Modified, last
  status, archive key, error, and ``origin``: where the bytes really came from when that is not
  the URL itself, i.e. a corpus file's relative path or a Wayback capture URL).  SQLite under
  the data directory by default (``<data>/state.sqlite3``); PostgreSQL when
  ``SMARTCITY_STATE_DSN`` is set.
"""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
import logging
import os
import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

log = logging.getLogger(__name__)

STATE_DSN_ENV = "SMARTCITY_STATE_DSN"


def content_hash(content: bytes) -> str:
    """sha256 hex digest of raw page bytes."""
    return hashlib.sha256(content).hexdigest()


_DIGEST = re.compile(r"[0-9a-f]{16,128}")
_SUFFIX = re.compile(r"(?:\.[A-Za-z0-9]{1,10}){0,2}")
_KEY = re.compile(r"([0-9a-f]{2})/\1[0-9a-f]{14,126}(?:\.[A-Za-z0-9]{1,10}){0,2}\.gz")


class Archive:
    """Content-addressed, gzip-compressed store of raw pages under ``root``."""

    def __init__(self, root: Path):
        self.root = Path(root)

    def key_for(self, digest: str, suffix: str = ".html") -> str:
        """``<2 hex>/<digest><suffix>.gz``; raises ValueError unless ``digest`` is hex and ``suffix``
        a plain extension, so no key can name a file outside the archive."""
        if not _DIGEST.fullmatch(digest) or not _SUFFIX.fullmatch(suffix):
            raise ValueError(f"not an archive digest/suffix: {digest!r} {suffix!r}")
        return f"{digest[:2]}/{digest}{suffix}.gz"

    def path(self, key: str) -> Path:
        """The file of ``key``; raises ValueError for a key that is not one ``key_for`` makes (a
        tampered state row such as ``../../etc/passwd``)."""
        if not _KEY.fullmatch(key):
            raise ValueError(f"not an archive key: {key!r}")
        return self.root / key

    def put(self, content: bytes, suffix: str = ".html", *, digest: str | None = None) -> str:
        """Store ``content`` (if not yet stored); return its key, relative to the archive root.

        ``digest`` is ``content_hash(content)`` when the caller has it already.
        """
        key = self.key_for(digest or content_hash(content), suffix)
        path = self.path(key)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp")
            # mtime=0 keeps the compressed file a pure function of the page bytes.
            # Level 6, not gzip's default 9: ~3x faster on long cabinet summaries, ~2 % larger.
            tmp.write_bytes(gzip.compress(content, compresslevel=6, mtime=0))
            tmp.replace(path)  # atomic: a crash never leaves a half-written page under its key
        return key

    def get(self, key: str) -> bytes:
        """The raw bytes stored under ``key``; raises FileNotFoundError if absent."""
        return gzip.decompress(self.path(key).read_bytes())

    def __contains__(self, key: str) -> bool:
        try:
            return self.path(key).exists()
        except ValueError:
            return False


@dataclass
class PageState:
    """What we know about one URL after the last time we tried it."""

    url: str
    source: str
    kind: str  # article | event | listing | sitemap | feed | missing (soft 404)
    status: int | None = None  # last HTTP status (None when the request never completed)
    content_hash: str | None = None
    archive_key: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    lastmod: str | None = None  # as announced by a sitemap/feed when we last fetched it
    fetched_at: str | None = None  # when the archived content was fetched (UTC ISO)
    checked_at: str | None = None  # last attempt, successful or not
    error: str | None = None  # last failure, None after a success
    attempts: int = 0  # consecutive failed attempts
    site: str | None = None  # adapter key (the source name may differ)
    error_key: str | None = None  # archive key of the bytes a failed attempt did receive
    origin: str | None = None  # corpus file (relative path) or Wayback capture URL the bytes came from

    @property
    def ok(self) -> bool:
        return self.error is None and self.archive_key is not None


_FIELDS = [f.name for f in dataclasses.fields(PageState)]


def _column(name: str) -> str:
    return f"{name} {'INTEGER' if name in ('status', 'attempts') else 'TEXT'}"


_COLUMNS = ", ".join(_column(name) + (" PRIMARY KEY" if name == "url" else "") for name in _FIELDS)


class StateStore(Protocol):
    """Seen URLs and their validators."""

    def get(self, url: str) -> PageState | None: ...
    def put(self, state: PageState) -> None: ...
    def put_many(self, states: list[PageState]) -> None: ...
    def delete(self, url: str) -> None: ...
    def all(self) -> list[PageState]: ...
    def each(self) -> Iterator[PageState]: ...
    def close(self) -> None: ...


class SqliteStateStore:
    """``StateStore`` in one SQLite file (the default: no server needed)."""

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.conn = sqlite3.connect(path)
        self.conn.execute(f"CREATE TABLE IF NOT EXISTS pages ({_COLUMNS})")
        have = {row[1] for row in self.conn.execute("PRAGMA table_info(pages)")}
        for name in _FIELDS:
            if name not in have:  # a state file written before this column existed
                self.conn.execute(f"ALTER TABLE pages ADD COLUMN {_column(name)}")
        self.conn.commit()

    def get(self, url: str) -> PageState | None:
        row = self.conn.execute(f"SELECT {', '.join(_FIELDS)} FROM pages WHERE url = ?", (url,)).fetchone()
        return PageState(*row) if row else None

    def put(self, state: PageState) -> None:
        self.put_many([state])

    def put_many(self, states: list[PageState]) -> None:
        """Write many rows in one transaction (one commit: a corpus of 60,000 files needs it)."""
        self.conn.executemany(
            f"INSERT OR REPLACE INTO pages ({', '.join(_FIELDS)}) VALUES ({', '.join('?' * len(_FIELDS))})",
            [[getattr(state, f) for f in _FIELDS] for state in states],
        )
        self.conn.commit()

    def delete(self, url: str) -> None:
        self.conn.execute("DELETE FROM pages WHERE url = ?", (url,))
        self.conn.commit()

    def all(self) -> list[PageState]:
        rows = self.conn.execute(f"SELECT {', '.join(_FIELDS)} FROM pages ORDER BY url").fetchall()
        return [PageState(*row) for row in rows]

    def each(self) -> Iterator[PageState]:
        """Every row, by URL in Python's string order, one at a time (not a list of them all).

        SQLite's default (BINARY) collation compares the UTF-8 bytes, and UTF-8 byte order is
        code point order, which is how Python compares strings."""
        for row in self.conn.execute(f"SELECT {', '.join(_FIELDS)} FROM pages ORDER BY url"):
            yield PageState(*row)

    def close(self) -> None:
        self.conn.close()


class PostgresStateStore:
    """``StateStore`` in a PostgreSQL table ``smartcity_pages`` (created if missing)."""

    def __init__(self, dsn: str, table: str = "smartcity_pages"):
        import psycopg2  # imported here: only deployments that configure a DSN need it

        self.table = table
        self.conn = psycopg2.connect(dsn)
        with self.conn, self.conn.cursor() as cur:
            cur.execute(f"CREATE TABLE IF NOT EXISTS {table} ({_COLUMNS})")
            for name in _FIELDS:  # columns added since the table was created
                cur.execute(f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {_column(name)}")

    def get(self, url: str) -> PageState | None:
        with self.conn, self.conn.cursor() as cur:
            cur.execute(f"SELECT {', '.join(_FIELDS)} FROM {self.table} WHERE url = %s", (url,))
            row = cur.fetchone()
        return PageState(*row) if row else None

    def put(self, state: PageState) -> None:
        self.put_many([state])

    def put_many(self, states: list[PageState]) -> None:
        """Upsert many rows in one transaction."""
        updates = ", ".join(f"{f} = EXCLUDED.{f}" for f in _FIELDS[1:])
        with self.conn, self.conn.cursor() as cur:
            cur.executemany(
                f"INSERT INTO {self.table} ({', '.join(_FIELDS)}) VALUES ({', '.join(['%s'] * len(_FIELDS))})"
                f" ON CONFLICT (url) DO UPDATE SET {updates}",
                [[getattr(state, f) for f in _FIELDS] for state in states],
            )

    def delete(self, url: str) -> None:
        with self.conn, self.conn.cursor() as cur:
            cur.execute(f"DELETE FROM {self.table} WHERE url = %s", (url,))

    def all(self) -> list[PageState]:
        with self.conn, self.conn.cursor() as cur:
            cur.execute(f"SELECT {', '.join(_FIELDS)} FROM {self.table} ORDER BY url")
            rows = cur.fetchall()
        return [PageState(*row) for row in rows]

    def each(self) -> Iterator[PageState]:
        """Every row, by URL in Python's string order, a batch at a time (a server-side cursor).

        ``COLLATE "C"`` compares bytes, which in a UTF-8 database is code point order, as Python
        compares strings (the database's default collation may be a locale's)."""
        with self.conn, self.conn.cursor(name=f"{self.table}_each") as cur:
            cur.itersize = 2000
            cur.execute(f'SELECT {", ".join(_FIELDS)} FROM {self.table} ORDER BY url COLLATE "C"')
            for row in cur:
                yield PageState(*row)

    def close(self) -> None:
        self.conn.close()


def open_state(data_dir: Path, dsn: str | None = None) -> StateStore:
    """The state store for ``data_dir``: PostgreSQL if ``dsn`` or ``SMARTCITY_STATE_DSN`` is set,
    else ``<data_dir>/state.sqlite3``."""
    dsn = dsn if dsn is not None else os.environ.get(STATE_DSN_ENV)
    if dsn:
        log.info("crawl state in PostgreSQL")
        return PostgresStateStore(dsn)
    return SqliteStateStore(Path(data_dir) / "state.sqlite3")


def open_archive(data_dir: Path) -> Archive:
    """The archive under ``<data_dir>/archive``."""
    return Archive(Path(data_dir) / "archive")
