"""``smartcity extract [FILE|-] [--registry]``: print the figures (or named list) in a text.

Reads UTF-8 text from FILE, or stdin with ``-`` (the default), and writes JSON Lines to stdout:
one figure per line (the ``Figure`` fields), or with ``--registry`` one named city/zone per line
(name, province, province_code, region, kind, evidence).  Empty text prints nothing and exits
0.  Unreadable or binary input is reported on stderr with exit status 1.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys

from smartcity.extract.figures import extract_figures
from smartcity.extract.registry import extract_registry
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


def main(argv: list[str]) -> int:
    """Run the command; returns the exit status."""
    parser = argparse.ArgumentParser(prog="smartcity extract", description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", default="-", help="UTF-8 text file, or - for stdin")
    parser.add_argument("--registry", action="store_true", help="print named cities/zones instead")
    args = parser.parse_args(argv)
    try:
        text = read_text(args.file)
    except InputError as exc:
        sys.stderr.write(f"smartcity extract: {exc}\n")
        return 1
    if args.registry:
        rows = [{k: as_dict(e)[k] for k in _REGISTRY_FIELDS} for e in extract_registry(text)]
    else:
        try:
            figures = extract_figures(text)
        except ValueError as exc:
            sys.stderr.write(f"smartcity extract: {exc}\n")
            return 1
        rows = [{k: as_dict(f)[k] for k in _FIGURE_FIELDS} for f in figures]
    out = sys.stdout
    try:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
        out.flush()
    except BrokenPipeError:
        # The reader went away (``| head``): not an error of ours, stop quietly.
        sys.stdout = None  # type: ignore[assignment]  # keep the interpreter from flushing again
        return 0
    log.debug("printed %d rows", len(rows))
    return 0
