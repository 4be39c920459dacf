"""``smartcity validate DATASET FILE.(jsonl|csv|parquet) [--docs-dir D] [--json]``.

Prints the validation summary (or the full JSON report with ``--json``); exit status 0 when no
critical expectation failed, 1 when one did, 2 on unreadable input.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import pandas as pd

from smartcity.quality.suites import DATASETS, SuiteError
from smartcity.quality.validate import validate_frame


class UnsupportedFileError(ValueError):
    """A file whose extension is not .jsonl, .csv or .parquet."""


def read_frame(path: Path) -> pd.DataFrame:
    """The frame stored in ``path`` (.jsonl / .json lines, .csv, .parquet)."""
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        return pd.read_json(path, lines=True, dtype=False)
    if suffix == ".csv":
        return pd.read_csv(path, keep_default_na=True)
    if suffix == ".parquet":
        return pd.read_parquet(path)
    raise UnsupportedFileError(f"{path}: expected .jsonl, .csv or .parquet")


def summary(report_dict: dict) -> str:
    """Human-readable lines for a report's ``as_dict()``."""
    verdict = "PASSED" if report_dict["success"] else "FAILED"
    lines = [f"{report_dict['dataset']}: {verdict} - {report_dict['row_count']} rows, "
             f"{report_dict['expectations_evaluated']} expectations, "
             f"{report_dict['critical_failed']} critical and "
             f"{report_dict['warnings_failed']} warning failures"]
    for label, key in (("CRITICAL", "critical_failures"), ("WARNING", "warnings")):
        for f in report_dict[key]:
            where = f" [{f['column']}]" if f["column"] else ""
            count = f" {f['unexpected_count']} rows" if f["unexpected_count"] is not None else ""
            shown = json.dumps(f["examples"] or f["observed"] or f["error"], ensure_ascii=False)
            lines.append(f"  {label} {f['expectation']}{where}:{count} {shown}")
    if report_dict["docs_index"]:
        lines.append(f"  Data Docs: {report_dict['docs_index']}")
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="smartcity validate", description=__doc__.splitlines()[0])
    parser.add_argument("dataset", choices=DATASETS)
    parser.add_argument("file", type=Path)
    parser.add_argument("--docs-dir", type=Path, help="build the Data Docs site here")
    parser.add_argument("--json", action="store_true", help="print the full report as JSON")
    args = parser.parse_args(argv)
    try:
        frame = read_frame(args.file)
    except (OSError, ValueError) as exc:
        sys.stderr.write(f"smartcity validate: {exc}\n")
        return 2
    try:
        report = validate_frame(args.dataset, frame, docs_dir=args.docs_dir)
    except SuiteError as exc:
        sys.stderr.write(f"smartcity validate: {exc}\n")
        return 2
    data = report.as_dict()
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n" if args.json else summary(data))
    return 0 if report.success else 1
