"""``smartcity thai-date TEXT [--year YEAR]``: print the first date or range in TEXT as JSON.

Prints ``{"start": "YYYY-MM-DD", "end": "YYYY-MM-DD"}`` and exits 0, or writes a message to
stderr and exits 1 when the text holds no valid date.
"""

from __future__ import annotations

import argparse
import json
import sys

from smartcity.thai.dates import parse_date_range


def main(argv: list[str]) -> int:
    """Run the command on ``argv`` (without the sub-command name); return the exit status."""
    parser = argparse.ArgumentParser(prog="smartcity thai-date", description=__doc__.splitlines()[0])
    parser.add_argument("text", nargs="+", help="the text holding a date, e.g. '16-22 ตุลาคม 2566'")
    parser.add_argument(
        "--year", type=int, default=None, help="year for a date written without one (BE or CE)"
    )
    args = parser.parse_args(argv)
    text = " ".join(args.text)
    found = parse_date_range(text, default_year=args.year)
    if found is None:
        sys.stderr.write(f"smartcity thai-date: no valid date found in {text!r}: {_why(text, args.year)}\n")
        return 1
    sys.stdout.write(json.dumps(found.as_dict()) + "\n")
    return 0


def _why(text: str, year: int | None) -> str:
    """Why ``text`` gave no date: a missing year (it parses once given one) or an impossible or
    unrecognised date.  2000 is a leap year, so 29 February without a year counts as yearless."""
    if year is None and parse_date_range(text, default_year=2000) is not None:
        return "it has no year; pass --year"
    return "no recognisable date, or an impossible one (e.g. 31 มิถุนายน, 29 ก.พ. in a non-leap year)"
