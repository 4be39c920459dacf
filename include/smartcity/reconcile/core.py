"""Reconcile figures from many articles into totals over time, and run consistency checks.

Takes figure dicts (the ``smartcity extract`` contract plus ``source_url`` and ``published``) and,
optionally, registry entries (named cities / zones); returns :class:`~smartcity.records.Total`
and :class:`~smartcity.records.Check` records.  Pure: no I/O, deterministic output order and ids.

The rules (this text is also the README section "How totals are reconciled"):

* **Which figures are totals.**  Only ``scope == "total"`` figures (cumulative national or
  regional figures: ทั้งสิ้น, รวม, ปัจจุบันมี) become totals, one series per ``(metric, region)``.
  ``new`` figures (announced in the event reported) feed the checks only; ``target`` and unscoped
  figures are ignored here.
* **Qualifiers.**  Each statement is the interval of true numbers it allows
  (:mod:`smartcity.reconcile.intervals`): ``more_than 30`` is consistent with ``36``;
  ``approx 100`` with anything within 10 %; ``at_least 36`` with ``36`` but ``more_than 36`` not.
  The figure published for a group of consistent statements is the most precise one (exact
  beats approx beats a bound; of two lower bounds the higher).
* **Observations.**  Dated reports of one series are read in date order.  A report joins the
  current observation when it is consistent with it (a restatement, however much later), or when
  it was published within ``window_days`` (default 30) of the observation's first report: the
  same period, so a different value there is a **conflict**.  A report that differs and comes
  later than that starts a new observation that **supersedes** the previous one (the earlier
  total gets ``superseded_by`` = the later ``total_id``): totals grow as cities are certified,
  so a later different total is news, not a contradiction.  ``as_of`` is the date of the
  observation's first report.
* **Status.**  ``conflict``: the observation holds inconsistent statements; the value published
  is the one stated by the most sites (ties: the most precise, then the latest).  ``confirmed``:
  two or more *independent* sources state the published value itself (same value and
  qualifier); a bound that is merely consistent (``more_than 30`` beside ``36``) is listed in
  ``sources`` and ``values_seen`` but does not confirm.  ``single_source`` otherwise.
  Independent means different publishers: the figure's ``source`` (the site adapter that read
  it) when given, else the registrable domain of its URL (:mod:`smartcity.reconcile.sites`).
* **No published date.**  An undated report cannot be placed in time, so it never creates,
  joins or confirms an observation; it yields an ``undated_figure`` check (status ``fail``)
  saying which dated totals its value is consistent with.
* **Repeats.**  A figure stated twice in one article counts once.

Checks (``status`` pass/fail, ``sources`` = the article URLs involved):

* ``region_breakdown_sum`` -- within one article, per metric and scope, the region figures
  (each distinct region once) sum to the stated figure with no region, qualifiers respected.
* ``province_count_max`` -- a province count is at most 77 (Thailand's provinces).
* ``provinces_not_more_than_units`` -- within one article and scope, the province count is not
  larger than the number of cities / zones it is the count of.
* ``certified_le_zones`` -- certified smart cities do not outnumber the promotion zones in force
  at the same time (the zone total as of the city total's date, plus the window).
* ``total_not_falling`` -- each superseding total is not below the one it supersedes, unless
  one of its reports carries an explanation (revoked / cancelled / reduced: see
  :data:`EXPLANATION_MARKERS`).
* ``sources_agree`` -- for each observation with two or more sources, whether they agree.
* ``registry_vs_total`` -- per article, the number of distinct named cities (zones) matches the
  stated count of new (or total) ones; fewer names than a stated *total* is a partial list and
  passes, more names than any stated count fails.  Across articles, the names found do not
  outnumber the latest total.
* ``undated_figure`` -- see above.  ``figure_readable`` -- a figure without a usable metric or
  value is skipped and reported.
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from smartcity.reconcile.intervals import PRECISION_RANK, Interval, describe, interval
from smartcity.reconcile.sites import site_of
from smartcity.records import Check, Total, stable_id, to_date

log = logging.getLogger(__name__)

WINDOW_DAYS = 30
MAX_PROVINCES = 77  # Thailand has 76 provinces plus Bangkok (Department of Provincial Administration)
PROVINCE_METRICS = {"smart_city_province_count": "smart_city_count", "zone_province_count": "zone_count"}
REGISTRY_METRIC = {"city": "smart_city_count", "zone": "zone_count"}
# Words that, in the evidence of a lower later total, explain the fall.  Thai: cancel, revoke,
# withdraw, decrease, review; English equivalents for the English pages.
EXPLANATION_MARKERS = (
    "ยกเลิก", "เพิกถอน", "ถอน", "ลดลง", "ทบทวน",
    "revoke", "withdraw", "cancel", "decrease", "reduce", "removed",
)


@dataclass(frozen=True, slots=True)
class Report:
    """One figure as reconciliation sees it (a normalised input dict)."""

    metric: str
    value: float
    qualifier: str
    scope: str | None
    region: str | None
    source_url: str
    site: str
    published: dt.date | None
    evidence: str
    start: int = 0  # where the article states it; orders a breakdown as the article does

    @property
    def interval(self) -> Interval:
        return interval(self.value, self.qualifier)

    def describe(self) -> str:
        return describe(self.value, self.qualifier)


@dataclass(slots=True)
class _Group:
    """Mutually consistent reports inside one observation, with the interval they all allow."""

    reports: list[Report]
    allowed: Interval

    def representative(self) -> Report:
        # most precise first; of bounds the tightest; then the latest report
        def key(r: Report) -> tuple:
            tight = -r.value if r.qualifier in ("more_than", "at_least") else (
                r.value if r.qualifier == "up_to" else 0.0)
            return (PRECISION_RANK.get(r.qualifier, 9), tight, _neg_date(r.published), r.source_url)
        return min(self.reports, key=key)

    def sites(self) -> set[str]:
        return {r.site for r in self.reports}


@dataclass(slots=True)
class _Observation:
    metric: str
    region: str | None
    groups: list[_Group] = field(default_factory=list)

    @property
    def reports(self) -> list[Report]:
        return [r for g in self.groups for r in g.reports]

    @property
    def as_of(self) -> dt.date:
        return min(r.published for r in self.reports if r.published is not None)

    def winner(self) -> _Group:
        def key(g: _Group) -> tuple:
            rep = g.representative()
            latest = max(r.published for r in g.reports if r.published is not None)
            return (len(g.sites()), -PRECISION_RANK.get(rep.qualifier, 9), latest, -rep.value)
        return max(self.groups, key=key)

    def add(self, report: Report) -> None:
        for group in self.groups:
            meet = group.allowed.intersection(report.interval)
            if meet is not None:
                group.reports.append(report)
                group.allowed = meet
                return
        self.groups.append(_Group([report], report.interval))

    @property
    def total_id(self) -> str:
        return stable_id("total", self.metric, self.region or "", self.as_of.isoformat())


def _neg_date(d: dt.date | None) -> int:
    return -(d.toordinal() if d else 0)


def _parse_date(value: object) -> dt.date | None:
    """An ISO date (or the date part of an ISO datetime) from ``value``; None if absent or bad."""
    date = to_date(value)
    if date is None and isinstance(value, str) and value.strip():
        log.warning("unreadable published date %r: treated as undated", value)
    return date


def _clean_region(value: object) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    text = " ".join(str(value).split())
    return text or None


class UnusableFigureError(ValueError):
    """A figure dict without a metric or a numeric value."""


def to_report(figure: dict) -> Report:
    """Normalise one figure dict into a :class:`Report`; raises :class:`UnusableFigureError`."""
    metric = figure.get("metric")
    if not metric:
        raise UnusableFigureError("no metric")
    try:
        value = float(figure["value"])
    except (KeyError, TypeError, ValueError) as exc:
        raise UnusableFigureError(f"value {figure.get('value')!r} is not a number") from exc
    if math.isnan(value):
        raise UnusableFigureError("value is NaN")
    qualifier = figure.get("qualifier") or "exact"
    interval(value, qualifier)  # raises UnknownQualifierError (a ValueError) early
    url = str(figure.get("source_url") or "")
    return Report(
        metric=str(metric),
        value=value,
        qualifier=qualifier,
        scope=figure.get("scope") or None,
        region=_clean_region(figure.get("region")),
        source_url=url,
        # the pipeline names the publisher an adapter read (``source``); a bare figure file has
        # only its URL, whose registrable domain then stands for the publisher
        site=str(figure.get("source") or "") or site_of(url),
        published=_parse_date(figure.get("published")),
        evidence=str(figure.get("evidence") or ""),
        start=_int(figure.get("start")),
    )


def _int(value: object) -> int:
    try:
        return int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return 0


def _check(name: str, ok: bool, detail: str, sources: Iterable[str], *key: object) -> Check:
    srcs = sorted({s for s in sources if s})
    return Check(name=name, status="pass" if ok else "fail", detail=detail, sources=srcs,
                 check_id=stable_id("check", name, *key))


def _dedupe(reports: Iterable[Report]) -> list[Report]:
    seen: dict[tuple, Report] = {}
    for r in reports:
        seen.setdefault((r.source_url, r.metric, r.scope, r.region, r.value, r.qualifier), r)
    return sorted(seen.values(), key=lambda r: (r.published or dt.date.min, r.source_url, r.metric,
                                                 r.region or "", r.value, r.qualifier))


def build_observations(reports: list[Report], window_days: int = WINDOW_DAYS) -> list[_Observation]:
    """Group the dated reports of one ``(metric, region)`` series into observations (see module doc)."""
    window = dt.timedelta(days=window_days)
    observations: list[_Observation] = []
    for r in sorted((r for r in reports if r.published is not None),
                    key=lambda r: (r.published, r.source_url, r.value, r.qualifier)):
        current = observations[-1] if observations else None
        if current is not None:
            if current.winner().allowed.intersects(r.interval) or r.published - current.as_of <= window:
                current.add(r)
                continue
        obs = _Observation(r.metric, r.region)
        obs.add(r)
        observations.append(obs)
    return observations


def _total(obs: _Observation, superseded_by: str | None) -> Total:
    win = obs.winner()
    rep = win.representative()
    reports = obs.reports
    if len(obs.groups) > 1:
        status = "conflict"
    else:
        pinning = {r.site for r in reports if r.value == rep.value and r.qualifier == rep.qualifier}
        status = "confirmed" if len(pinning) >= 2 else "single_source"
    return Total(
        metric=obs.metric, region=obs.region, as_of=obs.as_of.isoformat(), value=rep.value,
        status=status, sources=sorted({r.source_url for r in reports if r.source_url}),
        values_seen=sorted({r.value for r in reports}), qualifier=rep.qualifier,
        superseded_by=superseded_by, total_id=obs.total_id,
    )


def _explained(obs: _Observation) -> bool:
    text = " ".join(r.evidence for r in obs.reports).lower()
    return any(marker in text for marker in EXPLANATION_MARKERS)


def _series_checks(series: list[_Observation]) -> list[Check]:
    checks: list[Check] = []
    for obs in series:
        urls = {r.source_url for r in obs.reports}
        if len(urls) >= 2:
            said = "; ".join(f"{r.site or r.source_url}: {r.describe()}" for r in obs.reports)
            checks.append(_check(
                "sources_agree", len(obs.groups) == 1,
                f"{obs.metric} {obs.region or 'national'} as of {obs.as_of}: {said}",
                urls, obs.total_id))
    for before, after in itertools.pairwise(series):
        old, new = before.winner().allowed, after.winner().allowed
        falls = new.below(old)
        explained = falls and _explained(after)
        old_d, new_d = before.winner().representative().describe(), after.winner().representative().describe()
        series_name = f"{before.metric} {before.region or 'national'}"
        if not falls:
            detail = f"{series_name}: {old_d} ({before.as_of}) -> {new_d} ({after.as_of})"
        elif explained:
            detail = (f"{before.metric} {before.region or 'national'} fell {old_d} ({before.as_of}) -> "
                      f"{new_d} ({after.as_of}), explained in the later report")
        else:
            detail = (f"{before.metric} {before.region or 'national'} fell {old_d} ({before.as_of}) -> "
                      f"{new_d} ({after.as_of}) with no explanation")
        checks.append(_check("total_not_falling", not falls or explained, detail,
                             {r.source_url for r in before.reports + after.reports},
                             before.total_id, after.total_id))
    return checks


def _breakdown_checks(reports: list[Report]) -> list[Check]:
    """``region_breakdown_sum`` for every (article, metric, scope) with a stated figure and parts."""
    checks: list[Check] = []
    by_article: dict[tuple, list[Report]] = defaultdict(list)
    for r in reports:
        by_article[(r.source_url, r.metric, r.scope)].append(r)
    for (url, metric, scope), rs in sorted(by_article.items(), key=lambda kv: tuple(str(k) for k in kv[0])):
        result = breakdown_result(rs)
        if result is None:
            continue
        ok, detail = result
        checks.append(_check("region_breakdown_sum", ok, f"{metric} ({scope or 'no scope'}): {detail}",
                             [url], url, metric, scope or ""))
    return checks


def breakdown_result(reports: Iterable[Report]) -> tuple[bool, str] | None:
    """Whether region parts add up to the stated figure(s) with no region, among ``reports``.

    ``reports`` are one article's figures of one metric and scope.  Returns None when there is
    nothing to check (no stated figure, or fewer than two regions), else ``(ok, detail)``; ``ok``
    is True when every distinct stated figure is consistent with the sum of the parts.
    """
    rs = list(reports)
    stated = sorted({(r.value, r.qualifier) for r in rs if r.region is None})
    parts: dict[str, list[Report]] = defaultdict(list)
    for r in rs:
        if r.region is not None:
            parts[r.region].append(r)
    if not stated or len(parts) < 2:
        return None
    # a region stated twice with the same value counts once; different values are both kept
    first_seen: dict[tuple, tuple[int, int]] = {}
    for region, group in parts.items():
        for r in group:
            key = (region, r.value, r.qualifier)
            first_seen[key] = min(first_seen.get(key, (r.start, 0)), (r.start, 0))
    distinct = sorted(first_seen, key=lambda k: (first_seen[k], k))
    total_iv = Interval(0.0, 0.0)
    for _, value, qualifier in distinct:
        total_iv = total_iv + interval(value, qualifier)
    sum_text = "+".join(describe(v, q) for _, v, q in distinct)
    sum_value = sum(v for _, v, _ in distinct)
    verdicts = []
    ok = True
    for value, qualifier in stated:
        agrees = total_iv.intersects(interval(value, qualifier))
        ok = ok and agrees
        verdicts.append(f"{'=' if agrees else '!='} stated {describe(value, qualifier)}")
    return ok, f"{sum_text} = {describe(sum_value, 'exact')} " + ", ".join(verdicts)


def _article_checks(reports: list[Report]) -> list[Check]:
    checks: list[Check] = []
    for r in reports:
        if r.metric in PROVINCE_METRICS:
            ok = not r.interval.exceeds(MAX_PROVINCES)
            checks.append(_check(
                "province_count_max", ok,
                f"{r.metric} {r.describe()} ({r.scope or 'no scope'}) {'<=' if ok else '>'} {MAX_PROVINCES}",
                [r.source_url], r.source_url, r.metric, r.scope or "", r.region or "", r.value, r.qualifier))
    by_key: dict[tuple, list[Report]] = defaultdict(list)
    for r in reports:
        if r.region is None:
            by_key[(r.source_url, r.scope)].append(r)
    for (url, scope), rs in sorted(by_key.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")):
        for prov_metric, unit_metric in PROVINCE_METRICS.items():
            provs = [r for r in rs if r.metric == prov_metric]
            units = [r for r in rs if r.metric == unit_metric]
            for p in provs:
                for u in units:
                    ok = not u.interval.below(p.interval)
                    checks.append(_check(
                        "provinces_not_more_than_units", ok,
                        f"{p.metric} {p.describe()} vs {u.metric} {u.describe()} ({scope or 'no scope'})",
                        [url], url, scope or "", p.metric, p.value, u.value))
    return checks


def _certified_vs_zones(series: dict[tuple, list[_Observation]], window_days: int) -> list[Check]:
    checks: list[Check] = []
    window = dt.timedelta(days=window_days)
    for (metric, region), city_obs in sorted(series.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")):
        if metric != "smart_city_count":
            continue
        zones = series.get(("zone_count", region), [])
        for c in city_obs:
            in_force = [z for z in zones if z.as_of <= c.as_of + window]
            if not in_force:
                continue
            z = in_force[-1]
            cities_iv, zones_iv = c.winner().allowed, z.winner().allowed
            ok = not zones_iv.below(cities_iv)
            checks.append(_check(
                "certified_le_zones", ok,
                f"{region or 'national'}: {c.winner().representative().describe()} certified cities "
                f"({c.as_of}) {'<=' if ok else '>'} {z.winner().representative().describe()} "
                f"promotion zones ({z.as_of})",
                {r.source_url for r in c.reports + z.reports}, c.total_id, z.total_id))
    return checks


def _name_key(name: str) -> str:
    return " ".join(str(name).split()).casefold()


def _registry_checks(registry: list[dict], reports: list[Report],
                     series: dict[tuple, list[_Observation]]) -> list[Check]:
    checks: list[Check] = []
    named: dict[tuple[str, str], set[str]] = defaultdict(set)
    for entry in registry:
        if not entry.get("name"):
            continue
        kind = entry.get("kind") or "city"
        named[(str(entry.get("source_url") or ""), kind)].add(_name_key(entry["name"]))
    for (url, kind), names in sorted(named.items()):
        metric = REGISTRY_METRIC.get(kind)
        stated = [r for r in reports if r.source_url == url and r.metric == metric and r.region is None
                  and r.scope in ("new", "total")]
        if not stated:
            continue
        count = len(names)
        found = Interval(count, count)
        ordered = sorted(stated, key=lambda r: (r.scope or "", r.value))
        said = ", ".join(f"{r.scope} {r.describe()}" for r in ordered)
        # a list of names should match the count it illustrates; naming fewer than a stated
        # *total* is a partial list (articles name a few examples), naming more is an error
        if any(r.interval.intersects(found) for r in stated):
            ok, verdict = True, "matches"
        elif all(r.interval.below(found) for r in stated):
            ok, verdict = False, "more names than stated"
        elif any(r.scope == "new" for r in stated):
            ok, verdict = False, "does not match the stated count of new ones"
        else:
            ok, verdict = True, "a partial list of the stated total"
        checks.append(_check("registry_vs_total", ok,
                             f"{count} named {kind} entries in the article vs stated {said}: {verdict}",
                             [url], url, kind))
    for kind, metric in REGISTRY_METRIC.items():
        obs = series.get((metric, None))
        all_names = set().union(*(names for (_, k), names in named.items() if k == kind)) if named else set()
        if not obs or not all_names:
            continue
        latest = obs[-1]
        allowed = latest.winner().allowed
        count = len(all_names)
        ok = not allowed.below(Interval(count, count))
        checks.append(_check(
            "registry_vs_total", ok,
            f"{count} distinct named {kind} entries across articles vs latest total "
            f"{latest.winner().representative().describe()} ({latest.as_of})",
            {str(e.get("source_url") or "") for e in registry if (e.get("kind") or "city") == kind},
            "all", kind))
    return checks


def _undated_checks(reports: list[Report], series: dict[tuple, list[_Observation]]) -> list[Check]:
    checks: list[Check] = []
    for r in reports:
        if r.scope != "total" or r.published is not None:
            continue
        matches = [o for o in series.get((r.metric, r.region), [])
                   if o.winner().allowed.intersects(r.interval)]
        where = (", consistent with the total as of " + ", ".join(o.as_of.isoformat() for o in matches)
                 if matches else ", consistent with no dated total")
        checks.append(_check(
            "undated_figure", False,
            f"{r.metric} {r.region or 'national'} {r.describe()} has no published date: "
            f"not placed in time{where}",
            [r.source_url], r.source_url, r.metric, r.region or "", r.value, r.qualifier))
    return checks


def reconcile(figures: Iterable[dict], registry: Iterable[dict] | None = None,
              *, window_days: int = WINDOW_DAYS) -> tuple[list[Total], list[Check]]:
    """Reconcile figures into totals and checks (rules in the module docstring).

    ``figures``: dicts with at least ``metric``, ``value``; also ``qualifier``, ``scope``,
    ``region``, ``evidence``, ``source_url``, ``published`` (ISO date or None).  ``registry``:
    dicts of :class:`~smartcity.records.RegistryEntry` fields (``name``, ``kind``,
    ``source_url``).  Returns ``(totals, checks)`` sorted by series and date, ids deterministic.
    """
    checks: list[Check] = []
    usable: list[Report] = []
    for figure in figures:
        try:
            usable.append(to_report(figure))
        except ValueError as exc:  # UnusableFigureError, UnknownQualifierError
            log.warning("figure skipped: %s: %r", exc, figure)
            url = str(figure.get("source_url") or "")
            checks.append(_check("figure_readable", False, f"figure skipped: {exc}", [url], url,
                                 figure.get("metric"), figure.get("value"), figure.get("evidence")))
    reports = _dedupe(usable)

    totals_by_series: dict[tuple, list[Report]] = defaultdict(list)
    for r in reports:
        if r.scope == "total":
            totals_by_series[(r.metric, r.region)].append(r)
    series = {key: build_observations(rs, window_days) for key, rs in totals_by_series.items()}
    series = {key: obs for key, obs in series.items() if obs}

    totals: list[Total] = []
    for key in sorted(series, key=lambda k: (k[0], k[1] or "")):
        obs = series[key]
        for i, o in enumerate(obs):
            totals.append(_total(o, obs[i + 1].total_id if i + 1 < len(obs) else None))
        checks.extend(_series_checks(obs))

    checks.extend(_breakdown_checks(reports))
    checks.extend(_article_checks(reports))
    checks.extend(_certified_vs_zones(series, window_days))
    checks.extend(_registry_checks(list(registry or []), reports, series))
    checks.extend(_undated_checks(reports, series))
    return totals, checks
