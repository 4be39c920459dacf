import gzip
import uuid

import psycopg2
import pytest

from smartcity.sources.state import (
    Archive,
    PageState,
    PostgresStateStore,
    SqliteStateStore,
    content_hash,
    open_state,
)


def test_archive_is_content_addressed_and_gzipped(tmp_path):
    archive = Archive(tmp_path)
    key = archive.put("หน้าเว็บ".encode())
    digest = content_hash("หน้าเว็บ".encode())
    assert key == f"{digest[:2]}/{digest}.html.gz"
    assert gzip.decompress((tmp_path / key).read_bytes()) == "หน้าเว็บ".encode()
    assert archive.get(key) == "หน้าเว็บ".encode()
    assert archive.put("หน้าเว็บ".encode()) == key  # stored once
    assert len(list(tmp_path.rglob("*.gz"))) == 1
    assert key in archive


def test_archive_bytes_are_deterministic(tmp_path):
    a, b = Archive(tmp_path / "a"), Archive(tmp_path / "b")
    key = a.put(b"x" * 100)
    b.put(b"x" * 100)
    assert (tmp_path / "a" / key).read_bytes() == (tmp_path / "b" / key).read_bytes()


def _roundtrip(store):
    state = PageState(url="https://h/1", source="depa", kind="article", status=200, etag='"e"', site="depa")
    store.put(state)
    assert store.get("https://h/1") == state
    state.status, state.error, state.attempts = 500, "HTTP 500", 1
    store.put(state)
    assert store.get("https://h/1").error == "HTTP 500"
    assert [s.url for s in store.all()] == ["https://h/1"]
    assert store.get("https://h/none") is None
    # each(): one row at a time, in Python's string order (what parse's sorted outputs rely on)
    others = ["https://h/ข่าว", "https://h/Z", "https://h/a", "https://h/1/2", "https://h/é", "https://h/~"]
    store.put_many([PageState(url=url, source="depa", kind="article") for url in others])
    assert [s.url for s in store.each()] == sorted(["https://h/1", *others])
    assert list(store.each()) == sorted(store.all(), key=lambda s: s.url)


def test_sqlite_store(tmp_path):
    store = SqliteStateStore(tmp_path / "s.sqlite3")
    _roundtrip(store)
    store.close()
    reopened = open_state(tmp_path, dsn="")
    assert reopened.get("https://h/1") is None  # a different file: open_state uses state.sqlite3
    reopened.close()


def test_postgres_store(postgres_dsn):
    # The project's local PostgreSQL (loopback, a role with a password); a throwaway table per run.
    dsn = postgres_dsn
    table = f"smartcity_pages_test_{uuid.uuid4().hex[:8]}"
    store = PostgresStateStore(dsn, table=table)
    try:
        _roundtrip(store)
    finally:
        with store.conn, store.conn.cursor() as cur:
            cur.execute(f"DROP TABLE {table}")
        store.close()


def test_open_state_uses_dsn_env(monkeypatch, tmp_path):
    monkeypatch.setenv(
        "SMARTCITY_STATE_DSN", "host=127.0.0.1 port=1 user=nobody dbname=none connect_timeout=1"
    )
    with pytest.raises(psycopg2.OperationalError):
        open_state(tmp_path)  # PostgreSQL was chosen (and is not listening on port 1)
