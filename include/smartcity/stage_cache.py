"""A content-addressed cache of stage outputs, so a no-change re-run costs little.

The datasets are a pure function of the raw-page archive, the code and the vocabularies: ``parse``
-> ``extract`` -> ``reconcile`` -> ``validate`` rebuild everything every run so that re-runs and
backfills are safe.  This cache keeps that guarantee while skipping the work: a stage computes a
*key* from

* its name (and, for validation, the dataset),
* the code version: a hash of every source and data file of the ``smartcity`` package (adapters,
  lexicon, vocabularies, provinces), the expectation suites, the Python version and the names and
  versions of the installed distributions (trafilatura, lxml, Great Expectations, ...), computed
  once per process,
* the sha256 of each of its input files in the run directory, or for ``parse`` the crawl-state
  rows of the archived pages of the sources configured now (URL, archive key = content hash,
  fetch time, origin, ...), which determine its output together with the content-addressed
  archive.

A hit restores the stage's output files into the run directory (copied, each written atomically
with :func:`smartcity.atomic.replacing`, and checked against the sha256 recorded when it was
stored: a damaged entry is removed and the stage runs) and returns the counts dict the stage
returned the first time.  A miss runs the stage, then stores its outputs under
``<data_dir>/cache/<stage>/<key>/``: built in a temporary folder and renamed into place, so an
entry is complete or absent, never half there (a process killed mid-store leaves a ``.tmp-*``
folder that pruning removes).  Only successful stages are stored: a stage that raises (a critical
validation failure included) stores nothing and raises again on the next run.

``SMARTCITY_STAGE_CACHE=0`` turns the cache off (nothing read, nothing stored).  Entries unused
for ``SMARTCITY_STAGE_CACHE_MAX_AGE_DAYS`` (default 30) are pruned after each store, then the
least recently used ones while the cache exceeds ``SMARTCITY_STAGE_CACHE_MAX_MB`` (default 4096).

Standard library only: a hit must not pay for importing pandas or Great Expectations.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from smartcity import settings
from smartcity.atomic import replacing

log = logging.getLogger(__name__)

ENABLE_ENV = "SMARTCITY_STAGE_CACHE"
MAX_MB_ENV = "SMARTCITY_STAGE_CACHE_MAX_MB"
MAX_AGE_ENV = "SMARTCITY_STAGE_CACHE_MAX_AGE_DAYS"
DEFAULT_MAX_MB = 4096
DEFAULT_MAX_AGE_DAYS = 30.0
STALE_TMP_S = 3600  # a temporary store folder older than this belongs to a dead process
FORMAT = 1  # of an entry's layout; part of every key
MANIFEST = "manifest.json"
FILES = "files"
PACKAGE_DIR = Path(__file__).resolve().parent
# Files of the package that decide what the stages produce: code and the vocabularies beside it.
VERSIONED_SUFFIXES = (".py", ".yaml", ".yml", ".json", ".csv", ".txt", ".html", ".xml")
_CHUNK = 1 << 20


class CacheCorrupt(Exception):
    """A stored file no longer matches the sha256 recorded for it."""


def enabled() -> bool:
    """False when ``SMARTCITY_STAGE_CACHE`` is ``0`` (or ``false``/``no``/``off``)."""
    return os.environ.get(ENABLE_ENV, "1").strip().lower() not in ("0", "false", "no", "off")


def cache_root(data_dir: Path) -> Path:
    return Path(data_dir) / "cache"


def file_digest(path: Path) -> str:
    """sha256 hex digest of a file's bytes."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as src:
        while chunk := src.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _expectations_dir() -> Path:
    # The same rule as smartcity.quality.suites.suites_dir(), which is not imported here because
    # smartcity.quality imports pandas.
    if "SMARTCITY_EXPECTATIONS_DIR" in os.environ:
        return Path(os.environ["SMARTCITY_EXPECTATIONS_DIR"])
    checkout = settings.REPO_ROOT / "expectations"
    return checkout if checkout.is_dir() else PACKAGE_DIR / "expectations"


def _versioned_files() -> list[tuple[str, Path]]:
    files = [
        (f"smartcity/{p.relative_to(PACKAGE_DIR).as_posix()}", p)
        for p in PACKAGE_DIR.rglob("*")
        if p.is_file() and p.suffix in VERSIONED_SUFFIXES and "__pycache__" not in p.parts
    ]
    expectations = _expectations_dir()
    if expectations.is_dir():
        files += [(f"expectations/{p.name}", p) for p in expectations.glob("*.json")]
    return sorted(files)


def _distributions() -> list[str]:
    """Names (with versions) of the installed distributions: their folder names, read cheaply."""
    names: set[str] = set()
    for entry in sys.path:
        try:
            with os.scandir(entry or ".") as items:
                names.update(i.name for i in items if i.name.endswith((".dist-info", ".egg-info")))
        except OSError:  # a zip, or a path entry that does not exist
            continue
    return sorted(names)


@lru_cache(maxsize=1)
def code_version() -> str:
    """A hash of what, besides the input files, decides the stages' output; once per process."""
    digest = hashlib.sha256(f"format {FORMAT}\npython {sys.version}\n".encode())
    for name, path in _versioned_files():
        digest.update(f"{name}\0{file_digest(path)}\n".encode())
    for dist in _distributions():
        digest.update(f"dist {dist}\n".encode())
    return digest.hexdigest()


def stage_key(stage: str, inputs: Iterable[Path] = (), extra: Any = None) -> str:
    """The key of one stage run: stage name, code version, sha256 of each input, ``extra`` (JSON).

    Raises FileNotFoundError when an input is missing (the caller then runs the stage, which says
    which earlier stage did not run).
    """
    parts = {
        "stage": stage,
        "code": code_version(),
        "inputs": [[Path(p).name, file_digest(Path(p))] for p in inputs],
        "extra": extra,
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def parse_inputs(data_dir: Path, sources: Iterable[str]) -> str:
    """What ``parse`` reads of the crawl state and archive, for its key.

    The pages ``smartcity.sources.parse.parse_all`` selects (kind article/event, of the sources
    configured now), each with the fields it copies into articles and quarantine records: URL,
    source, site, kind, origin, archive key (named by the sha256 of the raw bytes, which the
    archive never overwrites: it stands for the content), content hash, fetch time, and whether
    the archived file is there; for a page without archived bytes its error, error key and
    check time.  Validators (ETag, Last-Modified, status, attempts) and, for an archived page,
    the time of the last check are left out: parse does not read them, and they change on
    every crawl.

    Returns the sha256 of those rows, read one at a time by URL: a list of them would grow
    with the archive.
    """
    from smartcity.sources.state import open_archive, open_state

    wanted = set(sources)
    state = open_state(Path(data_dir))
    archive = open_archive(Path(data_dir))
    digest = hashlib.sha256()
    try:
        for p in state.each():
            if p.kind not in ("article", "event") or p.source not in wanted:
                continue
            row = [p.url, p.source, p.site, p.kind, p.origin, p.archive_key, p.content_hash, p.fetched_at]
            if p.archive_key is None:
                row += [p.error, p.error_key, p.checked_at]
            else:
                row += [p.archive_key in archive, None if p.fetched_at else p.checked_at]
            digest.update(json.dumps(row, ensure_ascii=False).encode("utf-8") + b"\n")
    finally:
        state.close()
    return digest.hexdigest()


# --------------------------------------------------------------------------- entries


@dataclass
class Outputs:
    """What a stage writes into the run directory: files and whole folders (relative paths)."""

    files: list[str] = field(default_factory=list)
    dirs: list[str] = field(default_factory=list)


def _copy_hashing(src: Path, dst: Path) -> tuple[str, int]:
    """Copy ``src`` to ``dst`` (which the caller has made); return (sha256, size) of the bytes."""
    digest = hashlib.sha256()
    size = 0
    with src.open("rb") as inp, dst.open("wb") as out:
        while chunk := inp.read(_CHUNK):
            digest.update(chunk)
            out.write(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _restore_file(src: Path, dst: Path, expected: str) -> None:
    """Copy ``src`` to ``dst`` atomically; raise CacheCorrupt (``dst`` untouched) on a mismatch."""
    with replacing(dst) as tmp:
        digest, _ = _copy_hashing(src, tmp)
        if digest != expected:
            raise CacheCorrupt(f"{src}: sha256 {digest} != {expected}")


def _restore_dir(entry_files: Path, rel: str, directory: Path, manifest_files: dict[str, dict]) -> None:
    """Replace the folder ``directory/rel`` by the stored one, built beside it and renamed in."""
    target = directory / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    try:
        prefix = rel.rstrip("/") + "/"
        for name, info in manifest_files.items():
            if not name.startswith(prefix):
                continue
            dst = staging / name[len(prefix):]
            dst.parent.mkdir(parents=True, exist_ok=True)
            digest, _ = _copy_hashing(entry_files / name, dst)
            if digest != info["sha256"]:
                raise CacheCorrupt(f"{entry_files / name}: sha256 {digest} != {info['sha256']}")
        staging.chmod(0o755)
        old = None
        if target.exists():
            old = target.parent / f".{target.name}.{uuid.uuid4().hex}.old"
            target.rename(old)
        staging.rename(target)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


@dataclass
class StageCache:
    """The cache entry of one stage run: ``<data_dir>/cache/<stage>/<key>/``.

    ``key`` is None when the cache is off or the key could not be computed: then
    :meth:`restore` misses and :meth:`store` stores nothing.  ``key_of`` computes the key again
    before a store: inputs that changed while the stage ran store nothing.
    """

    data_dir: Path
    stage: str
    key: str | None
    key_of: Callable[[], str] | None = None

    @property
    def entry(self) -> Path:
        assert self.key is not None
        return cache_root(self.data_dir) / self.stage / self.key

    def restore(self, directory: Path, outputs: Outputs,
                transform: dict[str, Callable[[bytes], bytes]] | None = None) -> dict | None:
        """Restore the stored outputs into ``directory``; the stored counts, or None on a miss.

        ``transform``: for a file whose stored bytes must be adapted to this run directory
        (``rel -> function of the stored bytes``), written atomically instead of copied.
        """
        if self.key is None:
            return None
        manifest_path = self.entry / MANIFEST
        try:
            text = manifest_path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None  # not stored (or pruned meanwhile): run the stage
        try:
            manifest = json.loads(text)
            if time.time() < manifest["stored_at"]:
                # the clock went back: a verdict computed "later" (validation's not-in-the-future
                # bounds) is not known to hold now
                return None
            files: dict[str, dict] = manifest["files"]
            entry_files = self.entry / FILES
            for rel in outputs.dirs:
                _restore_dir(entry_files, rel, directory, files)
            for rel in outputs.files:
                src, info = entry_files / rel, files[rel]
                if transform and rel in transform:
                    data = src.read_bytes()
                    if hashlib.sha256(data).hexdigest() != info["sha256"]:
                        raise CacheCorrupt(f"{src}: sha256 differs from the manifest")
                    with replacing(directory / rel) as tmp:
                        tmp.write_bytes(transform[rel](data))
                else:
                    _restore_file(src, directory / rel, info["sha256"])
            counts = manifest["counts"]
        except (CacheCorrupt, OSError, KeyError, TypeError, ValueError) as exc:
            # a file missing or changed under the entry, or a manifest we cannot read
            log.warning("%s: cache entry %s unusable (%s): removed, running the stage", self.stage,
                        self.key[:12], exc)
            _remove(self.entry)
            return None
        try:
            os.utime(manifest_path)  # recently used: pruned last
        except OSError:
            pass
        return counts

    def store(self, directory: Path, outputs: Outputs, counts: dict, *,
              transform: dict[str, Callable[[bytes], bytes]] | None = None) -> None:
        """Store the outputs the stage just wrote in ``directory`` with its ``counts``, then prune.

        ``transform``: ``rel -> function of the file's bytes`` giving the bytes to store instead
        (e.g. without a path of this run directory).  A failure to store is logged, never raised:
        the stage's own outputs are complete either way.
        """
        if self.key is None:
            return
        try:
            again = self.key_of() if self.key_of is not None else self.key
        except FileNotFoundError:
            again = None
        if again != self.key:
            log.warning("%s: inputs changed while the stage ran: outputs not stored in the stage cache",
                        self.stage)
            return
        parent = cache_root(self.data_dir) / self.stage
        staging = None
        try:
            if (self.entry / MANIFEST).exists():
                return
            parent.mkdir(parents=True, exist_ok=True)
            staging = Path(tempfile.mkdtemp(prefix=f".tmp-{self.key[:12]}-", dir=parent))
            files: dict[str, dict] = {}
            names = list(outputs.files)
            for rel in outputs.dirs:
                names += sorted(p.relative_to(directory).as_posix()
                                for p in (directory / rel).rglob("*") if p.is_file())
            for rel in names:
                dst = staging / FILES / rel
                dst.parent.mkdir(parents=True, exist_ok=True)
                if transform and rel in transform:
                    data = transform[rel]((directory / rel).read_bytes())
                    dst.write_bytes(data)
                    files[rel] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
                else:
                    digest, size = _copy_hashing(directory / rel, dst)
                    files[rel] = {"sha256": digest, "size": size}
            manifest = {"stage": self.stage, "key": self.key, "counts": counts, "files": files,
                        "bytes": sum(f["size"] for f in files.values()), "stored_at": time.time()}
            (staging / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
            staging.chmod(0o755)
            try:
                staging.rename(self.entry)  # atomic: the entry is complete or absent
            except OSError:
                if not (self.entry / MANIFEST).exists():
                    raise
                # another process stored the same key meanwhile: same content, keep theirs
            else:
                staging = None
                log.info("%s: stored in the stage cache as %s (%d files, %.1f MB)", self.stage,
                         self.key[:12], len(files), manifest["bytes"] / 1e6)
        except OSError as exc:
            log.warning("%s: could not store the stage cache entry %s: %s", self.stage, self.key[:12], exc)
        finally:
            if staging is not None:
                shutil.rmtree(staging, ignore_errors=True)
        prune(self.data_dir, keep=self.entry)


def for_stage(stage: str, data_dir: Path, key_of: Callable[[], str]) -> StageCache:
    """The cache of one stage run; ``key_of()`` computes its key (not called when the cache is
    off; a missing input makes it a miss, so the stage runs and reports the missing input)."""
    if not enabled():
        return StageCache(Path(data_dir), stage, None)
    try:
        key = key_of()
    except FileNotFoundError:
        key = None
    return StageCache(Path(data_dir), stage, key, key_of)


# --------------------------------------------------------------------------- pruning


def _remove(entry: Path) -> None:
    """Remove an entry: renamed out of its key first (atomic), so it is whole or gone."""
    graveyard = entry.parent / f".del-{uuid.uuid4().hex}"
    try:
        entry.rename(graveyard)
    except OSError:
        return  # already gone
    shutil.rmtree(graveyard, ignore_errors=True)


def _limits() -> tuple[float, float]:
    try:
        max_mb = float(os.environ.get(MAX_MB_ENV, DEFAULT_MAX_MB))
        max_age_days = float(os.environ.get(MAX_AGE_ENV, DEFAULT_MAX_AGE_DAYS))
    except ValueError as exc:
        raise ValueError(f"{MAX_MB_ENV} / {MAX_AGE_ENV} must be numbers: {exc}") from exc
    return max_mb * 1e6, max_age_days * 86400


def prune(data_dir: Path, *, keep: Path | None = None, now: float | None = None) -> int:
    """Remove entries unused for longer than the age limit, stale temporary folders, then the
    least recently used entries while the cache is over its size limit (``keep`` stays).
    Returns the number of entries removed."""
    max_bytes, max_age = _limits()
    now = time.time() if now is None else now
    root = cache_root(data_dir)
    entries: list[tuple[float, int, Path]] = []
    removed = 0
    for stage_dir in root.iterdir() if root.is_dir() else []:
        if not stage_dir.is_dir():
            continue
        for entry in stage_dir.iterdir():
            try:
                if entry.name.startswith("."):
                    if now - entry.stat().st_mtime > STALE_TMP_S:
                        shutil.rmtree(entry, ignore_errors=True)
                    continue
                manifest = entry / MANIFEST
                used = manifest.stat().st_mtime
                size = int(json.loads(manifest.read_text(encoding="utf-8")).get("bytes", 0))
            except (OSError, ValueError):
                continue  # being stored or removed by another process
            if keep is not None and entry == keep:
                continue
            if now - used > max_age:
                _remove(entry)
                removed += 1
            else:
                entries.append((used, size, entry))
    total = sum(size for _, size, _ in entries)
    if keep is not None:
        try:
            total += int(json.loads((keep / MANIFEST).read_text(encoding="utf-8")).get("bytes", 0))
        except (OSError, ValueError):
            pass
    for _, size, entry in sorted(entries):
        if total <= max_bytes:
            break
        _remove(entry)
        total -= size
        removed += 1
    if removed:
        log.info("stage cache: pruned %d entries (limits %.0f MB, %.0f days)", removed, max_bytes / 1e6,
                 max_age / 86400)
    return removed
