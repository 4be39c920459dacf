"""Find text of the repository that is copied from the development corpus or the seed articles.

Usage: ``python bench/check_corpus_text.py [CORPUS_DIR] [--seeds DIR] [--min-run N]``
(default corpus ``../shared/corpus/thaigov-v2``, its pages ``data/**/*.txt``; default seeds
``../shared/seeds/*.txt``).

The project holds no sentence of the corpus: comments, docstrings, tests and
fixtures describe pages in our own words.  This check reads every tracked text file of the
repository (``git ls-files``; binary files and ``bench/labels/*.json``, which hold offsets
only, are skipped) and reports every maximal run of text it shares with a corpus page or a
seed article.

Text is compared after normalisation: ``\\uXXXX`` escapes are decoded, web addresses dropped,
then everything that is not a letter, a digit or a Thai character (spaces, line breaks,
punctuation, quotes, comment markers) is dropped, so a sentence is found even when it is wrapped
over comment lines or split into string literals.  The names of bodies in :data:`NAMES` (the
ministry and depa, in Thai and English) are taken out of both sides as well: a description of a
page has to name them, and the Thai ones alone are 31 to 49 characters long.

Threshold: a run counts when it is at least ``--min-run`` normalised characters long (default
40: about seven Thai words or English words, a clause).  Below it the shared runs are the
phrases a description of a page has to use: a programme or event name with its year, a city's
name with its province, a minister's title with "opened", the government site's headline
prefix, a list of month names (30 to 39 characters).  The copied sentences this check found
when it was written were 40 to 154 characters long; after they were rewritten, nothing of 40 or
more is left.  Raise or lower it with ``--min-run`` to look at the neighbourhood.

Method: every ``K``-character shingle (K = 24) of the normalised repository text (under a
million characters) goes in a dictionary; each corpus page is normalised and its shingles are
looked up at a step of ``min_run - K + 1`` characters, which always lands inside a shared run
of ``min_run`` characters or more; a hit is extended both ways to the maximal shared run.  One
process, about 5 s and under 200 MB for the 6,394 pages and 5 seeds (35 million normalised
characters).

Prints one line per shared run (a run inside a longer one is not repeated): repository file and
line, the length of the run (normalised characters), the corpus file that shares it (and how
many more pages share the same run) and the first 30 characters of the repository's text there.
Exits 1 when any run is found, 2 when the corpus is missing.
"""

from __future__ import annotations

import argparse
import re
import resource
import subprocess
import sys
import time
from bisect import bisect_right
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO_ROOT.parent / "shared" / "corpus" / "thaigov-v2"
DEFAULT_SEEDS = REPO_ROOT.parent / "shared" / "seeds"
K = 24
DEFAULT_MIN_RUN = 40
SEP = "\x00"  # between files in the joined repository text; normalisation never keeps it

# Names of bodies, in normalised form: a description of a page has to use them, so they are
# not counted as shared text (taken out of both sides before comparing).
NAMES = (
    "กระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม",
    "สำนักงานส่งเสริมเศรษฐกิจดิจิทัล",
    "MinistryofDigitalEconomyandSociety",
    "DigitalEconomyPromotionAgency",
    "DepartmentofProvincialAdministration",
)
_NAMES = re.compile("|".join(NAMES))
_KEEP = re.compile(r"[^\W_]|[\u0e00-\u0e7f]")
_DROP = re.compile(r"[^\w\u0e00-\u0e7f]|_")
_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")
_URL = re.compile(r"https?://\S+")


def normalise(text: str) -> str:
    """Letters, digits and Thai characters of ``text``, in order, without web addresses and
    :data:`NAMES`."""
    text = _URL.sub(" ", _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text))
    return _NAMES.sub("", _DROP.sub("", text))


def normalise_with_offsets(text: str) -> tuple[str, list[int]]:
    """:func:`normalise`, and for each kept character its offset in ``text``."""
    chars: list[str] = []
    offsets: list[int] = []
    pos = 0
    text = _URL.sub(lambda m: " " * len(m.group()), text)
    for m in _ESCAPE.finditer(text):
        for k in _KEEP.finditer(text, pos, m.start()):
            chars.append(k.group())
            offsets.append(k.start())
        ch = chr(int(m.group(1), 16))
        if _KEEP.fullmatch(ch):
            chars.append(ch)
            offsets.append(m.start())
        pos = m.end()
    for k in _KEEP.finditer(text, pos):
        chars.append(k.group())
        offsets.append(k.start())
    norm = "".join(chars)
    if not _NAMES.search(norm):
        return norm, offsets
    kept_chars: list[str] = []
    kept_offsets: list[int] = []
    pos = 0
    for m in _NAMES.finditer(norm):
        kept_chars.append(norm[pos : m.start()])
        kept_offsets.extend(offsets[pos : m.start()])
        pos = m.end()
    kept_chars.append(norm[pos:])
    kept_offsets.extend(offsets[pos:])
    return "".join(kept_chars), kept_offsets


def skipped(path: str) -> bool:
    return path.startswith("bench/labels/") and path.endswith(".json")


def repo_texts(root: Path = REPO_ROOT) -> list[tuple[str, str]]:
    """(path, text) of every tracked text file that is checked."""
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=root, check=True, capture_output=True
    ).stdout.decode("utf-8")
    out = []
    for path in listed.split("\0"):
        if not path or skipped(path):
            continue
        try:
            data = (root / path).read_bytes()
        except OSError:  # deleted in the work tree
            continue
        if b"\0" in data:
            continue
        try:
            out.append((path, data.decode("utf-8")))
        except UnicodeDecodeError:
            continue
    return out


class RepoIndex:
    """The normalised repository text joined into one string, with its shingle dictionary."""

    def __init__(self, files: list[tuple[str, str]]):
        self.paths: list[str] = []
        self.texts: list[str] = []
        self.offsets: list[list[int]] = []
        self.starts: list[int] = []
        parts: list[str] = []
        at = 0
        for path, text in files:
            norm, offsets = normalise_with_offsets(text)
            if len(norm) < K:
                continue
            self.paths.append(path)
            self.texts.append(text)
            self.offsets.append(offsets)
            self.starts.append(at)
            parts.append(norm)
            at += len(norm) + 1
        self.joined = SEP.join(parts)
        self.shingles: dict[str, int | list[int]] = {}
        for start, part in zip(self.starts, parts, strict=True):
            for j in range(start, start + len(part) - K + 1):
                key = self.joined[j : j + K]
                seen = self.shingles.get(key)
                if seen is None:
                    self.shingles[key] = j
                elif isinstance(seen, int):
                    self.shingles[key] = [seen, j]
                else:
                    seen.append(j)

    def locate(self, pos: int) -> tuple[int, int]:
        """(file number, offset in the file's original text) of a position of the joined text."""
        n = bisect_right(self.starts, pos) - 1
        return n, self.offsets[n][pos - self.starts[n]]


def shared_runs(index: RepoIndex, page: str, min_run: int) -> set[tuple[int, int]]:
    """Maximal runs (start, end in the joined repository text) of at least ``min_run`` normalised
    characters that ``page`` (normalised) shares with the repository."""
    joined = index.joined
    runs: set[tuple[int, int]] = set()
    step = min_run - K + 1
    for i in range(0, len(page) - K + 1, step):
        hit = index.shingles.get(page[i : i + K])
        if hit is None:
            continue
        for j in [hit] if isinstance(hit, int) else hit:
            back = 0
            while i - back > 0 and j - back > 0 and page[i - back - 1] == joined[j - back - 1]:
                back += 1
            end_p, end_r = i + K, j + K
            while end_p < len(page) and end_r < len(joined) and page[end_p] == joined[end_r]:
                end_p += 1
                end_r += 1
            if end_r - (j - back) >= min_run:
                runs.add((j - back, end_r))
    return runs


def corpus_pages(corpus: Path, seeds: Path | None) -> list[Path]:
    pages = sorted((corpus / "data").rglob("*.txt"))
    if seeds is not None and seeds.is_dir():
        pages += sorted(seeds.glob("*.txt"))
    return pages


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--seeds", type=Path, default=DEFAULT_SEEDS)
    parser.add_argument("--min-run", type=int, default=DEFAULT_MIN_RUN,
                        help=f"shortest shared run reported, in normalised characters (>= {K})")
    args = parser.parse_args(argv)
    if args.min_run < K:
        parser.error(f"--min-run must be at least {K}")
    if not (args.corpus / "data").is_dir():
        print(f"need {args.corpus}/data", file=sys.stderr)
        return 2
    started = time.monotonic()
    index = RepoIndex(repo_texts())
    pages = corpus_pages(args.corpus, args.seeds)
    found: dict[tuple[int, int], list[Path]] = {}
    chars = 0
    for page in pages:
        text = normalise(page.read_text(encoding="utf-8", errors="replace"))
        chars += len(text)
        for run in shared_runs(index, text, args.min_run):
            found.setdefault(run, []).append(page)
    # a run inside a longer run (found on another page) is the same copy
    kept: list[tuple[int, int]] = []
    reach = -1
    for run in sorted(found, key=lambda r: (r[0], -r[1])):
        if run[1] <= reach:
            continue
        kept.append(run)
        reach = run[1]
    for start, end in kept:
        n, offset = index.locate(start)
        text = index.texts[n]
        line = text.count("\n", 0, offset) + 1
        excerpt = " ".join(text[offset : offset + 200].split())[:30]
        where = found[(start, end)]
        first = where[0]
        name = first.relative_to(args.corpus) if first.is_relative_to(args.corpus) else first
        more = f" (+{len(where) - 1} more)" if len(where) > 1 else ""
        print(f"{index.paths[n]}:{line}: {end - start} chars shared with {name}{more}: {excerpt!r}")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{len(kept)} shared run(s) of >= {args.min_run} characters; {len(index.paths)} repository "
        f"files ({len(index.joined):,} characters), {len(pages)} corpus and seed pages "
        f"({chars:,} characters) in {time.monotonic() - started:.1f} s, peak {peak_mb:.0f} MB",
        file=sys.stderr,
    )
    return 1 if kept else 0


if __name__ == "__main__":
    sys.exit(main())
