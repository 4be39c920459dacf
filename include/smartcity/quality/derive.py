"""Columns computed from a frame before validation (declared in each suite's ``derived_columns``).

* ``date`` / ``timestamp``: the text column parsed to a naive ``datetime64[ns]`` (timestamps
  converted to UTC first); missing or malformed text gives NaT, which the range expectation
  skips -- the text column's own format expectation catches malformed values.
* ``region_breakdown_gap``: the per-article region-breakdown check as a column (the
  *derived-column approach*: GX's query-based expectations need a SQL data source, and ours is
  pandas).  For each figure with no region whose article also gives two or more regional
  figures of the same metric and scope, the distance between the sum of the parts and the
  stated figure, qualifiers respected (0 when consistent); NaN on every other row.  The same
  rule as the reconcile check ``region_breakdown_sum`` (:mod:`smartcity.reconcile.intervals`).
"""

from __future__ import annotations

import json
import math

import pandas as pd

from smartcity.reconcile.intervals import Interval, interval


class DerivationError(ValueError):
    """A derived column names an unknown kind or a missing source column."""


def _to_ts(series: pd.Series, utc: bool) -> pd.Series:
    parsed = pd.to_datetime(series, errors="coerce", utc=utc, format="ISO8601")
    if utc:
        parsed = parsed.dt.tz_convert(None)
    return parsed.astype("datetime64[ns]")


def _gap(stated: Interval, parts: Interval) -> float:
    if stated.intersects(parts):
        return 0.0
    # distance between the two intervals, signed: positive when the parts add up to more
    return parts.lo - stated.hi if parts.lo > stated.hi else parts.hi - stated.lo


def region_breakdown_gap(frame: pd.DataFrame) -> pd.Series:
    """The ``_breakdown_gap`` column for a figures frame (see module docstring); float Series."""
    gap = pd.Series(math.nan, index=frame.index, dtype="float64")
    needed = {"source_url", "metric", "scope", "region", "value", "qualifier"}
    if frame.empty or not needed <= set(frame.columns):
        return gap
    region = frame["region"]
    has_region = region.notna() & region.astype("string").str.strip().ne("").fillna(False).astype(bool)
    keys = [frame["source_url"].fillna(""), frame["metric"].fillna(""), frame["scope"].fillna("")]
    # only articles that have both a region-less figure and regional ones need a closer look
    grouped = has_region.groupby(keys)
    candidates = grouped.transform("any") & ~grouped.transform("all")
    sub = frame[candidates]
    for _, rows in sub.groupby([k[candidates] for k in keys]):
        parts = rows[has_region[rows.index]]
        distinct = {(str(r.region).strip(), float(r.value), r.qualifier or "exact")
                    for r in parts.itertuples() if _number(r.value)}
        if len({d[0] for d in distinct}) < 2:
            continue
        total = Interval(0.0, 0.0)
        for _, value, qualifier in distinct:
            total = total + interval(value, qualifier)
        for idx, r in rows[~has_region[rows.index]].iterrows():
            if _number(r["value"]) and (r["qualifier"] or "exact") in _QUALS:
                gap.at[idx] = _gap(interval(float(r["value"]), r["qualifier"]), total)
    return gap


_QUALS = {"exact", "more_than", "at_least", "approx", "up_to"}


def _number(v: object) -> bool:
    try:
        return not math.isnan(float(v))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False


def lists_to_json(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose list/tuple cells are JSON text (list fields travel as JSON)."""
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object and out[col].map(lambda v: isinstance(v, list | tuple)).any():
            out[col] = out[col].map(
                lambda v: json.dumps(list(v), ensure_ascii=False) if isinstance(v, list | tuple) else v)
    return out


def add_derived(frame: pd.DataFrame, specs: list[dict]) -> pd.DataFrame:
    """A copy of ``frame`` with the derived columns ``specs`` (``name``, ``kind``, ``from``) added.

    A missing source column gives an all-NaT column (the schema expectation reports the
    missing column itself).  Raises :class:`DerivationError` on an unknown kind.
    """
    out = frame.copy()
    for spec in specs:
        name, kind, source = spec["name"], spec["kind"], spec.get("from")
        if kind in ("date", "timestamp"):
            if source in out.columns:
                out[name] = _to_ts(out[source], utc=kind == "timestamp")
            else:
                out[name] = pd.Series(pd.NaT, index=out.index, dtype="datetime64[ns]")
        elif kind == "region_breakdown_gap":
            out[name] = region_breakdown_gap(out)
        else:
            raise DerivationError(f"unknown derived column kind {kind!r} for {name!r}")
    return out
