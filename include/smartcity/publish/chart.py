"""The totals chart: country-wide reconciled totals over time, as a PNG a reader can check.

What a reader sees, top to bottom:

* **Counts** (certified smart cities, promotion zones, and the provinces they are in) as step
  lines on their own axis: a total holds from its ``as_of`` date until the next observation
  replaces it, so a step, not a slope, is what the data says.  The axis starts at zero.
* **Money** (``amount_thb``) on a separate panel, in million baht: the sums are a million times
  the counts, and on one axis they flattened the counts to a line at zero.
* **Participants**, on a third panel, only when there are such totals.
* **The sources.**  Every point carries a small number; the key under the chart (and in the
  resource description: :func:`source_key`) gives, for each number, the metric, the value with its
  qualifier, the date, the reconciliation status and every article that states it.

Conflicts (sources that disagree) are ringed in red.  Only country-wide totals are drawn (empty
``region``); the regional ones are in the totals table.

Labels are Thai and English when a Thai-capable font is installed (``fonts-thai-tlwg``, as in
the project's images); otherwise English only, since a font without Thai glyphs draws boxes.  The
PNG carries no software or time metadata, so its bytes depend only on the rows, the font and the
matplotlib version.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import textwrap
from dataclasses import dataclass
from pathlib import Path

from smartcity.atomic import replacing

log = logging.getLogger(__name__)

# Thai-capable fonts, most readable first: TLWG's sans faces (fonts-thai-tlwg), then common others.
THAI_FONTS = ("Loma", "Garuda", "Waree", "Umpush", "Sarabun", "Noto Sans Thai", "Noto Sans Thai UI",
              "Leelawadee UI", "Tahoma", "Kinnari", "Norasi")


@dataclass(frozen=True, slots=True)
class Panel:
    """One panel of the chart: which metrics it draws, in what unit."""

    key: str
    title_th: str
    title_en: str
    metrics: tuple[str, ...]
    scale: float = 1.0  # values are divided by this (money: million baht)
    always: bool = True  # drawn (with a "nothing yet" note) even when it has no points


PANELS = (
    Panel("counts", "จำนวนเมือง เขตส่งเสริม และจังหวัด", "Cities, promotion zones and provinces (count)",
          ("smart_city_count", "smart_city_province_count", "zone_count", "zone_province_count")),
    Panel("money", "เงิน (ล้านบาท)", "Money (million baht)", ("amount_thb",), scale=1e6),
    Panel("people", "ผู้เข้าร่วม (คน)", "Participants (people)", ("participant_count",), always=False),
)

METRIC_LABELS = {  # metric: (Thai, English)
    "smart_city_count": ("เมืองอัจฉริยะที่ได้รับการรับรอง", "certified smart cities"),
    "smart_city_province_count": ("จังหวัดที่มีเมืองอัจฉริยะ", "provinces with smart cities"),
    "zone_count": ("เขตส่งเสริมเมืองอัจฉริยะ", "smart city promotion zones"),
    "zone_province_count": ("จังหวัดที่มีเขตส่งเสริม", "provinces with promotion zones"),
    "amount_thb": ("เงิน", "money"),
    "participant_count": ("ผู้เข้าร่วม", "participants"),
}
QUALIFIER_LABELS = {  # qualifier: (Thai, English), as the key prints a value
    "more_than": ("มากกว่า", "more than"),
    "at_least": ("ไม่น้อยกว่า", "at least"),
    "approx": ("ประมาณ", "about"),
    "up_to": ("ไม่เกิน", "up to"),
}
STATUS_LABELS = {
    "confirmed": ("ยืนยันแล้ว", "confirmed"),
    "single_source": ("แหล่งเดียว", "single source"),
    "conflict": ("ขัดแย้งกัน", "conflict"),
}
_COLOURS = ("#1f77b4", "#2ca02c", "#ff7f0e", "#9467bd")  # per metric within a panel, fixed order
_MARKERS = ("o", "s", "D", "^")
_BOUND_SIGNS = {"more_than": ">", "at_least": "≥", "approx": "≈", "up_to": "≤"}  # by the point's number


@dataclass(frozen=True, slots=True)
class ChartPoint:
    """One plotted total: ``key`` is the number printed by it and in the source key."""

    key: int
    panel: str
    metric: str
    as_of: dt.date
    value: float
    qualifier: str
    status: str
    sources: tuple[str, ...]
    total_id: str


def chart_points(rows: list[dict]) -> list[ChartPoint]:
    """The country-wide ``Total`` rows (dicts) as numbered points, in panel, metric, date order.

    Rows with a region, no value, no usable ``as_of`` or a metric no panel draws are left out
    (the last with a warning: a new metric needs a panel).  Pure and deterministic.
    """
    panel_of = {m: p.key for p in PANELS for m in p.metrics}
    order = {m: i for i, m in enumerate(m for p in PANELS for m in p.metrics)}
    found = []
    for r in rows:
        if r.get("region") or r.get("value") is None or not r.get("as_of"):
            continue
        metric = str(r.get("metric"))
        if metric not in panel_of:
            log.warning("totals chart: no panel for metric %r (total %s): not drawn",
                        metric, r.get("total_id"))
            continue
        try:
            day = dt.date.fromisoformat(str(r["as_of"])[:10])
        except ValueError:
            log.warning("totals chart: unreadable as_of %r (total %s): not drawn",
                        r["as_of"], r.get("total_id"))
            continue
        sources = r.get("sources") or []
        if isinstance(sources, str):  # the CSV/JSON text form of the list
            sources = json.loads(sources)
        found.append((order[metric], day, float(r["value"]), str(r.get("total_id") or ""), metric,
                      str(r.get("qualifier") or "exact"), str(r.get("status") or ""), tuple(sorted(sources))))
    found.sort()
    return [
        ChartPoint(i, panel_of[metric], metric, day, value, qualifier, status, sources, total_id)
        for i, (_, day, value, total_id, metric, qualifier, status, sources) in enumerate(found, start=1)
    ]


def _label(pair: tuple[str, str], thai: bool) -> str:
    return f"{pair[0]} / {pair[1]}" if thai else pair[1]


def _amount(p: ChartPoint, thai: bool) -> str:
    panel = next(x for x in PANELS if x.key == p.panel)
    number = f"{p.value / panel.scale:,.6g}" if panel.scale != 1 else f"{p.value:,.0f}"
    unit = " ล้านบาท / million baht" if thai and p.panel == "money" else (
        " million baht" if p.panel == "money" else "")
    qualifier = QUALIFIER_LABELS.get(p.qualifier)
    return (f"{_label(qualifier, thai)} " if qualifier else "") + number + unit


def _short(url: str) -> str:
    for prefix in ("https://", "http://"):
        if url.startswith(prefix):
            url = url[len(prefix):]
    return url.removeprefix("www.")


def source_key(points: list[ChartPoint], thai: bool = False) -> list[str]:
    """One line per point: ``[n] metric: value, as of date (status): source, source ...``."""
    lines = []
    for p in points:
        status = STATUS_LABELS.get(p.status, (p.status, p.status))
        sources = ", ".join(_short(s) for s in p.sources) or "(no source recorded)"
        lines.append(f"[{p.key}] {_label(METRIC_LABELS[p.metric], thai)}: {_amount(p, thai)},"
                     f" as of {p.as_of.isoformat()} ({_label(status, thai)}): {sources}")
    return lines


def thai_font() -> str | None:
    """The first installed font of :data:`THAI_FONTS`, or None."""
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in THAI_FONTS if name in installed), None)


def draw_totals_chart(rows: list[dict], *, thai: bool | None = None):
    """Draw the chart of ``rows`` (``Total`` dicts); returns ``(figure, points, font)``.

    ``thai``: force Thai labels on or off (default: on when a Thai-capable font is installed).
    The figure is a bare :class:`matplotlib.figure.Figure` (no pyplot state).  Call it inside
    :func:`chart_style` with the same font, since matplotlib reads fonts when it draws.
    """
    from matplotlib import dates as mdates
    from matplotlib import ticker
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    font = thai_font() if thai is not False else None
    thai = font is not None
    points = chart_points(rows)
    panels = [p for p in PANELS if p.always or any(x.panel == p.key for x in points)]
    key_lines = [
        line for entry in source_key(points, thai)
        for line in textwrap.wrap(entry, 165, subsequent_indent="      ", break_on_hyphens=False)
    ] or ["(no country-wide totals yet)"]
    key_height = 0.3 + 0.15 * len(key_lines)
    heights = [3.2 if p.key == "counts" else 2.0 for p in panels]
    fig = Figure(figsize=(11, sum(heights) + key_height + 0.8), dpi=100, layout="constrained")
    grid = fig.add_gridspec(len(panels) + 1, 1, height_ratios=[*heights, key_height])
    first = None
    dates = [p.as_of for p in points]
    right = max(dates) if dates else None
    for i, panel in enumerate(panels):
        ax = fig.add_subplot(grid[i], sharex=first)
        first = first or ax
        ax.set_gid(f"panel-{panel.key}")  # tests find panels by it
        ax.set_title(_label((panel.title_th, panel.title_en), thai), loc="left", fontsize=11)
        handles = []
        for j, metric in enumerate(panel.metrics):
            series = [p for p in points if p.metric == metric]
            if not series:
                continue
            xs = [p.as_of for p in series]
            ys = [p.value / panel.scale for p in series]
            colour, marker = _COLOURS[j % len(_COLOURS)], _MARKERS[j % len(_MARKERS)]
            # a total holds until the next observation: a step, carried to the latest date drawn
            ax.step([*xs, right], [*ys, ys[-1]], where="post", color=colour, linewidth=1.8)
            ax.plot(xs, ys, linestyle="none", marker=marker, color=colour, markersize=6,
                    gid=f"points-{metric}")
            handles.append(Line2D([], [], color=colour, marker=marker, linewidth=1.8,
                                  label=_label(METRIC_LABELS[metric], thai)))
            for p, y in zip(series, ys, strict=True):
                bound = _BOUND_SIGNS.get(p.qualifier, "")
                ax.annotate(f"{p.key} ({bound})" if bound else str(p.key), (p.as_of, y), xytext=(4, 5),
                            textcoords="offset points", fontsize=8, color=colour, gid=f"key-{p.key}")
                if p.status == "conflict":
                    ax.plot([p.as_of], [y], linestyle="none", marker="o", markersize=13,
                            markerfacecolor="none", markeredgecolor="red", markeredgewidth=1.5)
        if any(p.status == "conflict" for p in points if p.panel == panel.key):
            handles.append(Line2D([], [], linestyle="none", marker="o", markersize=11, markerfacecolor="none",
                                  markeredgecolor="red", label=_label(STATUS_LABELS["conflict"], thai)))
        drawn = bool(handles)
        ax.set_ylim(bottom=0)
        if drawn:
            top = max(p.value / panel.scale for p in points if p.panel == panel.key)
            ax.set_ylim(0, top * 1.2 if top > 0 else 1)
            # outside the axes: inside, it hid the points of an early date
            ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8,
                      borderaxespad=0)
            ax.yaxis.set_major_locator(ticker.MaxNLocator(nbins=5, integer=True))
            ax.yaxis.set_major_formatter(ticker.StrMethodFormatter("{x:,.0f}"))
        else:
            ax.text(0.5, 0.5, _label(("ยังไม่มียอดรวมระดับประเทศ", "no country-wide totals yet"), thai),
                    ha="center", va="center", transform=ax.transAxes, color="grey")
            ax.set_yticks([])
        ax.grid(True, alpha=0.3)
        if dates:
            locator = mdates.AutoDateLocator(minticks=3, maxticks=8)
            ax.xaxis.set_major_locator(locator)
            # every label names its year: "Nov" alone is ambiguous on a chart spanning years
            ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(
                locator, formats=["%Y", "%Y-%m", "%Y-%m-%d", "%H:%M", "%H:%M", "%S"],
                zero_formats=["", "%Y", "%Y-%m", "%Y-%m-%d", "%H:%M", "%H:%M"], show_offset=False))
    if dates:
        span = max((right - min(dates)).days, 60)
        pad = dt.timedelta(days=round(span * 0.06))
        first.set_xlim(min(dates) - pad, right + pad)
    for ax in fig.axes[:-1]:
        ax.tick_params(labelbottom=False)
    fig.axes[-1].set_xlabel(_label(("วันที่ของยอดรวม (ค.ศ.)", "as of (date)"), thai))
    fig.suptitle(_label(("ยอดรวมระดับประเทศของโครงการเมืองอัจฉริยะ",
                         "Thailand Smart City programme: country-wide totals"), thai), fontsize=13)
    key_ax = fig.add_subplot(grid[-1])
    key_ax.set_gid("source-key")
    key_ax.axis("off")
    title = _label(("ตัวเลขข้างแต่ละจุดอ้างถึงรายการแหล่งที่มาด้านล่าง วงแดง = แหล่งข้อมูลขัดแย้งกัน",
                    "The number by each point is its entry below; red ring = sources disagree"), thai)
    key_ax.text(0, 1, "\n".join([title, *key_lines]), transform=key_ax.transAxes, va="top", ha="left",
                fontsize=8, linespacing=1.15)
    return fig, points, font


def chart_style(font: str | None):
    """The matplotlib rc context the chart is drawn and saved in (fonts; no randomness)."""
    import matplotlib

    family = [font, "DejaVu Sans"] if font else ["DejaVu Sans"]
    return matplotlib.rc_context({"font.family": family, "svg.hashsalt": "smartcity"})


def write_totals_chart(rows: list[dict], path: Path) -> tuple[Path, list[str]]:
    """Draw the chart of ``rows`` (``Total`` dicts) as a PNG at ``path``.

    Returns the path and the source key (one line per numbered point, English), for the
    resource description.  Same rows, font and matplotlib: same bytes.
    """
    font = thai_font()
    if font is None:
        log.warning("totals chart: no Thai-capable font installed (fonts-thai-tlwg): English labels only")
    with chart_style(font):
        fig, points, _ = draw_totals_chart(rows, thai=font is not None)
        with replacing(path) as tmp:
            fig.savefig(tmp, format="png", metadata={"Software": None})
    return path, source_key(points)
