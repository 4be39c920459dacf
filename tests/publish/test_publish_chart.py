"""The totals chart: counts and money on separate panels, step lines, every point keyed to its sources."""

from __future__ import annotations

import datetime as dt
import logging

import pandas as pd
import pytest
from matplotlib import dates as mdates
from matplotlib import font_manager
from matplotlib.ft2font import FT2Font

from smartcity.publish import bundle, catalog, chart, files

TOTALS = catalog.DATASETS["totals"].main
CITY_URLS = ["https://www.thaigov.go.th/news/contents/details/1", "https://depa.or.th/th/article-view/2"]


def _rows(extra: list[dict] | None = None) -> list[dict]:
    """Totals as the publisher reads them: country-wide counts over two dates, one sum of money
    a million times the counts, and one regional total (not drawn)."""
    return files.normalise(pd.DataFrame([
        {"metric": "smart_city_count", "region": None, "as_of": "2022-11-05", "value": 30.0,
         "status": "conflict", "sources": CITY_URLS, "total_id": "c1"},
        {"metric": "smart_city_count", "region": None, "as_of": "2023-06-27", "value": 36.0,
         "status": "confirmed", "sources": CITY_URLS, "total_id": "c2"},
        {"metric": "smart_city_province_count", "region": None, "as_of": "2023-06-27", "value": 25.0,
         "status": "single_source", "sources": CITY_URLS[:1], "total_id": "p1"},
        {"metric": "zone_count", "region": None, "as_of": "2022-11-05", "value": 50.0,
         "qualifier": "more_than", "status": "single_source", "sources": ["https://www.thaigov.go.th/news/contents/details/3"],
         "total_id": "z1"},
        {"metric": "amount_thb", "region": None, "as_of": "2023-02-05", "value": 15_000_000_000.0,
         "qualifier": "more_than", "status": "single_source",
         "sources": ["https://www.thaigov.go.th/news/contents/details/4"], "total_id": "m1"},
        {"metric": "zone_count", "region": "ภาคกลาง", "as_of": "2023-06-27", "value": 15.0,
         "status": "single_source", "sources": CITY_URLS[:1], "total_id": "r1"},
        *(extra or []),
    ]), TOTALS)


@pytest.fixture
def drawn():
    font = chart.thai_font()
    with chart.chart_style(font):
        fig, points, font = chart.draw_totals_chart(_rows())
        fig.canvas.draw()  # tick labels and the layout exist only once drawn
        yield fig, points, font


def _panel(fig, key: str):
    (ax,) = [a for a in fig.axes if a.get_gid() == f"panel-{key}"]
    return ax


def test_counts_and_money_are_separate_panels_with_independent_axes(drawn):
    fig, _, _ = drawn
    counts, money = _panel(fig, "counts"), _panel(fig, "money")
    assert counts is not money
    assert [a.get_gid() for a in fig.axes] == ["panel-counts", "panel-money", "source-key"]  # no participants
    # 15,000 million baht did not stretch the count axis: 50 zones stays a readable height
    assert counts.get_ylim()[0] == 0 and 50 < counts.get_ylim()[1] < 100
    assert money.get_ylim()[1] >= 15_000  # million baht
    assert money.get_ylim()[1] < 100_000  # plotted in millions, not in baht
    count_points = {tuple(line.get_ydata()) for line in counts.get_lines() if line.get_gid()}
    assert max(v for ys in count_points for v in ys) == 50
    assert {line.get_gid() for line in money.get_lines() if line.get_gid()} == {"points-amount_thb"}


def test_counts_are_step_lines_that_hold_until_the_next_total(drawn):
    fig, _, _ = drawn
    steps = [line for line in _panel(fig, "counts").get_lines() if line.get_drawstyle() == "steps-post"]
    assert len(steps) == 3  # cities, provinces, zones (the regional zone total is not drawn)
    cities = next(line for line in steps if 36 in list(line.get_ydata()))
    xs = [mdates.date2num(x) for x in cities.get_xdata()]
    assert list(cities.get_ydata()) == [30, 36, 36]  # 30 held until 36, carried to the latest date
    assert xs == sorted(xs)


def test_every_plotted_point_is_numbered_and_its_number_lists_its_sources(drawn):
    fig, points, _ = drawn
    country_wide = [r for r in _rows() if not r["region"]]
    assert len(points) == len(country_wide) == 5
    labels = {a.get_gid(): a for ax in fig.axes for a in ax.texts if (a.get_gid() or "").startswith("key-")}
    assert sorted(labels) == sorted(f"key-{p.key}" for p in points)
    key_text = next(a for a in fig.axes if a.get_gid() == "source-key").texts[0].get_text()
    for p in points:
        label = labels[f"key-{p.key}"]
        scale = 1e6 if p.metric == "amount_thb" else 1
        assert label.xy == (p.as_of, p.value / scale)  # the number sits on its own point
        entry = next(line for line in key_text.splitlines() if line.startswith(f"[{p.key}] "))
        block = key_text[key_text.index(entry):].split(f"\n[{p.key + 1}] ")[0]
        assert p.sources and all(chart._short(url) in block for url in p.sources)
    row = next(r for r in country_wide if r["metric"] == "amount_thb")
    money = next(p for p in points if p.total_id == row["total_id"])
    assert labels[f"key-{money.key}"].get_text() == f"{money.key} (>)"  # "more than" shows by the point


def test_the_key_says_what_each_point_is(drawn):
    _, points, _ = drawn
    lines = chart.source_key(points)
    assert lines[0] == ("[1] certified smart cities: 30, as of 2022-11-05 (conflict): "
                        "depa.or.th/th/article-view/2, thaigov.go.th/news/contents/details/1")
    assert any("money: more than 15,000 million baht, as of 2023-02-05" in line for line in lines)


@pytest.mark.skipif(chart.thai_font() is None, reason="no Thai-capable font installed (fonts-thai-tlwg)")
def test_thai_labels_are_drawn_in_a_font_that_has_thai_glyphs(drawn):
    fig, _, font = drawn
    legend = _panel(fig, "counts").get_legend()
    texts = [t for t in legend.get_texts() if "เมืองอัจฉริยะ" in t.get_text()]
    assert texts and "certified smart cities" in texts[0].get_text()
    path = font_manager.findfont(texts[0].get_fontproperties(), fallback_to_default=False)
    face = FT2Font(path)
    assert face.family_name == font
    assert all(face.get_char_index(ord(c)) for c in "เมืองอัจฉริยะ")


def test_without_a_thai_font_the_labels_are_english():
    with chart.chart_style(None):
        fig, _, font = chart.draw_totals_chart(_rows(), thai=False)
    texts = [t.get_text() for ax in fig.axes for t in [ax.title, *ax.texts]]
    assert font is None
    assert not any("\u0e00" <= c <= "\u0e7f" for text in texts for c in text)


def test_regional_and_unknown_metrics_are_left_out_and_an_unknown_one_is_logged(caplog):
    extra = [{"metric": "budget_usd", "region": None, "as_of": "2023-01-01", "value": 1.0,
              "status": "single_source", "sources": CITY_URLS[:1], "total_id": "u1"}]
    with caplog.at_level(logging.WARNING, logger="smartcity.publish.chart"):
        points = chart.chart_points(_rows(extra))
    assert {p.total_id for p in points} == {"c1", "c2", "p1", "z1", "m1"}
    assert "budget_usd" in caplog.text


def test_participants_get_their_own_panel_only_when_there_are_any():
    extra = [{"metric": "participant_count", "region": None, "as_of": "2022-11-30", "value": 150.0,
              "status": "single_source", "sources": CITY_URLS[:1], "total_id": "q1"}]
    with chart.chart_style(None):
        fig, points, _ = chart.draw_totals_chart(_rows(extra), thai=False)
    assert [a.get_gid() for a in fig.axes] == ["panel-counts", "panel-money", "panel-people", "source-key"]
    assert next(p for p in points if p.total_id == "q1").panel == "people"


def test_the_png_is_deterministic_and_independent_of_row_order(tmp_path):
    rows = _rows()
    one, key = chart.write_totals_chart(rows, tmp_path / "one.png")
    two, _ = chart.write_totals_chart(list(reversed(rows)), tmp_path / "two.png")
    assert one.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert files.sha256_file(one) == files.sha256_file(two)
    assert len(key) == 5
    empty, no_key = chart.write_totals_chart([], tmp_path / "empty.png")
    assert empty.stat().st_size > 1000 and no_key == []


def test_the_chart_resource_describes_its_source_key(tmp_path):
    frame = pd.DataFrame(_rows())
    made = bundle.write_bundle(catalog.DATASETS["totals"], {"totals": frame}, tmp_path)
    upload = next(u for u in made.uploads if u.name == "totals-chart.png")
    assert upload.path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "[5] money: more than 15,000 million baht" in upload.description
    assert "thaigov.go.th/news/contents/details/4" in upload.description
    assert dt.date(2022, 11, 5).isoformat() in upload.description
