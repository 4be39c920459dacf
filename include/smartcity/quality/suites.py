"""Expectation suites: versioned GX 1.x JSON files in ``expectations/<dataset>.json``.

A suite file has ``name``, ``expectations`` (each ``type``, ``kwargs``, ``meta``) and ``meta``.
Each expectation's ``meta.severity`` is ``critical`` (a failure stops publishing the dataset) or
``warning`` (published and reported).  Suite ``meta`` carries:

* ``key`` -- the column that identifies a row; failures name offending rows by it.
* ``derived_columns`` -- columns computed from the frame before validation
  (:mod:`smartcity.quality.derive`), listed in the schema expectation so that a reader of the
  Data Docs sees them: ``_<col>_ts`` parsed dates (the range checks need real datetimes; the
  text columns keep their format checks) and ``_breakdown_gap``.
* ``parameters`` -- run-time values referenced as ``{"$PARAMETER": name}`` in kwargs: the "now"
  bounds are computed at each run (:func:`run_parameters`), never frozen in the JSON.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from zoneinfo import ZoneInfo

from smartcity.settings import REPO_ROOT

DATASETS = ("articles", "events", "figures", "registry", "totals", "checks")
SEVERITIES = ("critical", "warning")
# Thai news is dated in Bangkok time: an article of "today" may be dated ahead of the UTC date.
LOCAL_TZ = ZoneInfo("Asia/Bangkok")
EVENT_HORIZON_DAYS = 730


class SuiteError(ValueError):
    """A suite file is missing or malformed."""


def suites_dir() -> Path:
    """Where suite files live: ``SMARTCITY_EXPECTATIONS_DIR``, else ``<repo>/expectations`` in a
    checkout, else the copy the wheel ships as ``smartcity/expectations/``."""
    if "SMARTCITY_EXPECTATIONS_DIR" in os.environ:
        return Path(os.environ["SMARTCITY_EXPECTATIONS_DIR"])
    checkout = REPO_ROOT / "expectations"
    return checkout if checkout.is_dir() else Path(__file__).resolve().parents[1] / "expectations"


def load_suite(dataset: str, directory: Path | None = None) -> dict:
    """The suite dict for ``dataset``, checked for the fields this project relies on.

    Raises :class:`SuiteError` if the file is missing, not JSON, uses GX 0.x keys, or an
    expectation lacks a valid ``meta.severity``.
    """
    path = (directory or suites_dir()) / f"{dataset}.json"
    try:
        suite = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise SuiteError(f"no expectation suite for dataset {dataset!r} at {path}") from exc
    except json.JSONDecodeError as exc:
        raise SuiteError(f"{path}: not JSON: {exc}") from exc
    if "name" not in suite or "expectations" not in suite:
        raise SuiteError(f"{path}: not a GX 1.x suite (needs 'name' and 'expectations')")
    for i, exp in enumerate(suite["expectations"]):
        if "type" not in exp:
            raise SuiteError(f"{path}: expectation {i} has no 'type' (GX 0.x 'expectation_type'?)")
        severity = (exp.get("meta") or {}).get("severity")
        if severity not in SEVERITIES:
            raise SuiteError(f"{path}: expectation {i} ({exp['type']}) meta.severity {severity!r}"
                             f" is not one of {SEVERITIES}")
    return suite


def run_parameters(now: dt.datetime | None = None) -> dict[str, str]:
    """The values of the suites' ``$PARAMETER`` references at ``now`` (default: this instant).

    Returns naive ISO datetimes (the derived date columns are naive): ``today_end`` = the end
    of today in Bangkok, ``now_utc`` = now in UTC, ``event_horizon`` = today_end + 730 days.
    """
    now = now or dt.datetime.now(dt.UTC)
    if now.tzinfo is None:
        now = now.replace(tzinfo=dt.UTC)
    today_end = dt.datetime.combine(now.astimezone(LOCAL_TZ).date(), dt.time(23, 59, 59))
    return {
        "today_end": today_end.isoformat(),
        "now_utc": now.astimezone(dt.UTC).replace(tzinfo=None).isoformat(timespec="seconds"),
        "event_horizon": (today_end + dt.timedelta(days=EVENT_HORIZON_DAYS)).isoformat(),
    }
