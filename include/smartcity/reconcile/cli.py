"""``smartcity reconcile FILE [--registry FILE] [--format jsonl|table] [--window-days N]``.

Reads figure JSON Lines (``-`` for stdin), prints one JSON object per line: first the totals
(``{"kind": "total", ...}``), then the checks (``{"kind": "check", ...}``); or, with
``--format table``, two readable tables.  Exit status 0, or 2 on unreadable input.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from smartcity.reconcile.core import WINDOW_DAYS, reconcile
from smartcity.records import Check, Total, as_dict


class InputError(ValueError):
    """A line of the input is not a JSON object."""


def read_jsonl(path: str) -> Iterator[dict]:
    """Yield the JSON objects of a JSON Lines file (``-`` = stdin); blank lines are skipped."""
    stream: TextIO = sys.stdin if path == "-" else Path(path).open(encoding="utf-8")
    try:
        for number, line in enumerate(stream, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"{path}:{number}: not JSON: {exc.msg}") from exc
            if not isinstance(obj, dict):
                raise InputError(f"{path}:{number}: expected a JSON object")
            yield obj
    finally:
        if stream is not sys.stdin:
            stream.close()


def to_jsonl(totals: list[Total], checks: list[Check]) -> str:
    """The JSON Lines text of totals then checks, each with its ``kind``."""
    lines = [json.dumps({"kind": "total", **as_dict(t)}, ensure_ascii=False) for t in totals]
    lines += [json.dumps({"kind": "check", **as_dict(c)}, ensure_ascii=False) for c in checks]
    return "\n".join(lines) + ("\n" if lines else "")


def _table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(headers)]
    def fmt(cells: list[str]) -> str:
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()
    out = [fmt(headers), fmt(["-" * w for w in widths])]
    out += [fmt(r) for r in rows]
    return "\n".join(out)


def _num(v: float) -> str:
    return f"{int(v):,}" if float(v).is_integer() else f"{v:,}"


def to_table(totals: list[Total], checks: list[Check]) -> str:
    """Two plain-text tables (totals, then checks) for a terminal."""
    marks = {"more_than": ">", "at_least": ">=", "up_to": "<=", "approx": "~"}
    total_rows = [
        [t.metric, t.region or "(national)", t.as_of, marks.get(t.qualifier, "") + _num(t.value), t.status,
         ", ".join(_num(v) for v in t.values_seen), str(len(t.sources)),
         "yes" if t.superseded_by else ""]
        for t in totals
    ]
    check_rows = [[c.status.upper(), c.name, c.detail] for c in checks]
    failed = sum(c.status == "fail" for c in checks)
    return "\n".join([
        f"TOTALS ({len(totals)})",
        _table(["metric", "region", "as_of", "value", "status", "values_seen", "sources", "superseded"],
               total_rows),
        "",
        f"CHECKS ({len(checks)}, {failed} failed)",
        _table(["status", "check", "detail"], check_rows),
    ]) + "\n"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="smartcity reconcile", description=__doc__.splitlines()[0])
    parser.add_argument("file", help="figure JSON Lines (- for stdin)")
    parser.add_argument("--registry", help="registry entry JSON Lines (named cities / zones)")
    parser.add_argument("--format", choices=("jsonl", "table"), default="jsonl")
    parser.add_argument("--window-days", type=int, default=WINDOW_DAYS,
                        help=f"days after an observation's first report that share its time ({WINDOW_DAYS})")
    args = parser.parse_args(argv)
    try:
        figures = list(read_jsonl(args.file))
        registry = list(read_jsonl(args.registry)) if args.registry else None
    except (InputError, OSError) as exc:
        sys.stderr.write(f"smartcity reconcile: {exc}\n")
        return 2
    totals, checks = reconcile(figures, registry, window_days=args.window_days)
    sys.stdout.write(to_table(totals, checks) if args.format == "table" else to_jsonl(totals, checks))
    return 0
