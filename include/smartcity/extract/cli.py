"""``smartcity extract [PATH ...] [--registry | --relevance]``: what the pipeline publishes from texts.

Each PATH is a UTF-8 text file, a directory (every ``*.txt`` under it, in sorted order) or ``-``
for stdin (the default).  All of them run in one process through
:func:`smartcity.extract.programme.extract_programme`, the function the pipeline's ``extract``
stage calls, so the output is exactly what would be published after the relevance filter: one
JSON line per figure (the ``Figure`` fields), or with ``--registry`` one per named city/zone, or
with ``--relevance`` one per text (relevant or not, the reason and the passages).  Every line
starts with ``"file"``: the path as given, or as found under the directory.

A text with nothing to publish prints nothing.  An unreadable, binary or non-UTF-8 input is
reported on stderr and skipped; the others are still processed and the exit status is then 1.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from smartcity.extract.programme import extract_programme
from smartcity.records import as_dict

log = logging.getLogger(__name__)

_FIGURE_FIELDS = ("metric", "value", "unit", "scope", "qualifier", "region", "evidence", "start", "end")
_REGISTRY_FIELDS = ("name", "province", "province_code", "region", "kind", "evidence")


class InputError(Exception):
    """The input cannot be read as UTF-8 text."""


def read_text(source: str) -> str:
    """The text of ``source`` (a path, or ``-`` for stdin) decoded as UTF-8.

    Raises :class:`InputError` for a missing/unreadable file or for binary / non-UTF-8 bytes.
    """
    try:
        if source == "-":
            data = sys.stdin.buffer.read()
        else:
            with open(source, "rb") as fh:
                data = fh.read()
    except OSError as exc:
        raise InputError(f"cannot read {source}: {exc.strerror or exc}") from exc
    if b"\x00" in data:
        raise InputError(f"{source}: binary input (NUL bytes), expected UTF-8 text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{source}: not UTF-8 text (byte {exc.start})") from exc
    return text


def iter_inputs(paths: list[str]) -> Iterator[str]:
    """The inputs named by ``paths``: files as given, ``*.txt`` under directories (sorted), ``-``."""
    for path in paths:
        if path != "-" and os.path.isdir(path):
            yield from sorted(str(p) for p in Path(path).rglob("*.txt") if p.is_file())
        else:
            yield path


def rows_for(text: str, mode: str) -> list[dict]:
    """The output rows of one text: figures, registry entries or the relevance verdict."""
    result = extract_programme(text)
    if mode == "registry":
        return [{k: as_dict(e)[k] for k in _REGISTRY_FIELDS} for e in result.registry]
    if mode == "relevance":
        rel = result.relevance
        passages = [[p.start, p.end, p.rule, p.anchor] for p in rel.passages]
        return [{"relevant": rel.relevant, "reason": rel.reason, "passages": passages}]
    return [{k: as_dict(f)[k] for k in _FIGURE_FIELDS} for f in result.figures]


def main(argv: list[str]) -> int:
    """Run the command; returns the exit status."""
    parser = argparse.ArgumentParser(prog="smartcity extract", description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", default=["-"], help="text files, directories, or - for stdin")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--registry", action="store_const", dest="mode", const="registry",
                      help="print named cities/zones instead of figures")
    mode.add_argument("--relevance", action="store_const", dest="mode", const="relevance",
                      help="print one relevance verdict per text")
    args = parser.parse_args(argv)
    status = 0
    printed = 0
    out = sys.stdout
    try:
        for source in iter_inputs(args.paths):
            try:
                rows = rows_for(read_text(source), args.mode or "figures")
            except (InputError, ValueError) as exc:
                sys.stderr.write(f"smartcity extract: {exc}\n")
                status = 1
                continue
            for row in rows:
                out.write(json.dumps({"file": source, **row}, ensure_ascii=False) + "\n")
            printed += len(rows)
        out.flush()
    except BrokenPipeError:
        # The reader went away (``| head``): not an error of ours, stop quietly.
        sys.stdout = None  # type: ignore[assignment]  # keep the interpreter from flushing again
        return status
    log.debug("printed %d rows", printed)
    return status
