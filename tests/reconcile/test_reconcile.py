"""Reconciliation scenarios written for these tests (numbers echo the seed articles)."""

from __future__ import annotations

import json

import pytest

from smartcity.reconcile import reconcile
from smartcity.reconcile.cli import main
from smartcity.reconcile.intervals import consistent
from smartcity.reconcile.sites import site_of

DEPA = "https://www.depa.or.th/th/news/{}"
GOV = "https://www.thaigov.go.th/news/contents/details/{}"
MDES = "https://www.mdes.go.th/news/detail/{}"


def fig(
    metric, value, *, url, published="2023-02-01", scope="total", qualifier="exact", region=None, ev="ข่าว"
):
    unit = "THB" if metric == "amount_thb" else "count"
    return {
        "metric": metric,
        "value": value,
        "unit": unit,
        "scope": scope,
        "qualifier": qualifier,
        "region": region,
        "evidence": ev,
        "start": 0,
        "end": 5,
        "source_url": url,
        "published": published,
    }


def checks_named(checks, name):
    return [c for c in checks if c.name == name]


def test_sites_ignore_subdomains_and_respect_thai_second_level_domains():
    assert site_of("https://www.depa.or.th/th/news/1") == site_of("https://news.depa.or.th/x") == "depa.or.th"
    assert site_of(GOV.format(1)) == "thaigov.go.th" != site_of(MDES.format(1))
    assert site_of("https://www.posttoday.com/columnist/1") == "posttoday.com"


@pytest.mark.parametrize(
    ("a", "b", "agree"),
    [
        ((30, "more_than"), (36, "exact"), True),
        ((36, "more_than"), (36, "exact"), False),
        ((36, "at_least"), (36, "exact"), True),
        ((100, "approx"), (108, "exact"), True),
        ((100, "approx"), (115, "exact"), False),
        ((40, "up_to"), (36, "exact"), True),
        ((40, "up_to"), (41, "more_than"), False),
    ],
)
def test_qualifiers(a, b, agree):
    assert consistent(a[0], a[1], b[0], b[1]) is agree


def test_two_independent_sources_agreeing_confirm_a_total():
    totals, checks = reconcile(
        [
            fig("smart_city_count", 36, url=DEPA.format(1)),
            fig("smart_city_count", 36, url=GOV.format(1), published="2023-02-06"),
        ]
    )
    [t] = totals
    assert (t.value, t.status, t.as_of, t.values_seen) == (36, "confirmed", "2023-02-01", [36])
    assert t.sources == sorted([DEPA.format(1), GOV.format(1)])
    assert [c.status for c in checks_named(checks, "sources_agree")] == ["pass"]


def test_same_site_twice_is_a_single_source():
    [t], _ = reconcile(
        [
            fig("smart_city_count", 36, url=DEPA.format(1)),
            fig("smart_city_count", 36, url=DEPA.format(2).replace("www.", "")),
        ]
    )
    assert t.status == "single_source" and len(t.sources) == 2


def test_the_pipelines_source_name_decides_independence_over_the_url():
    # a mirror (here: one loopback host serving two publishers' pages) must not hide two voices
    depa = {**fig("smart_city_count", 36, url="http://127.0.0.1:8765/depa/1"), "source": "depa"}
    gov = {**fig("smart_city_count", 36, url="http://127.0.0.1:8765/thaigov/1"), "source": "thaigov"}
    [t], _ = reconcile([depa, gov])
    assert t.status == "confirmed"
    [t], _ = reconcile([depa, {**gov, "source": "depa"}])
    assert t.status == "single_source"


def test_disagreeing_sources_in_the_same_period_conflict():
    totals, checks = reconcile(
        [
            fig("smart_city_count", 36, url=DEPA.format(1)),
            fig("smart_city_count", 37, url=GOV.format(1), published="2023-02-10"),
            fig("smart_city_count", 37, url=MDES.format(1), published="2023-02-12"),
        ]
    )
    [t] = totals
    assert t.status == "conflict"
    assert t.value == 37  # stated by two sites against one
    assert t.values_seen == [36, 37]
    [agree] = checks_named(checks, "sources_agree")
    assert agree.status == "fail" and "36" in agree.detail and "37" in agree.detail


def test_a_later_different_total_supersedes_rather_than_conflicts():
    totals, checks = reconcile(
        [
            fig("smart_city_count", 30, url=DEPA.format(1), published="2022-06-01"),
            fig("smart_city_count", 36, url=GOV.format(2), published="2023-02-01"),
            fig("smart_city_count", 36, url=DEPA.format(2), published="2023-02-03"),
        ]
    )
    old, new = totals
    assert (old.value, old.status, old.superseded_by) == (30, "single_source", new.total_id)
    assert (new.value, new.status, new.superseded_by) == (36, "confirmed", None)
    assert [c.status for c in checks_named(checks, "total_not_falling")] == ["pass"]


def test_a_restatement_months_later_joins_the_standing_total():
    [t], _ = reconcile(
        [
            fig("zone_count", 112, url=DEPA.format(1), published="2023-02-01"),
            fig("zone_count", 112, url=GOV.format(1), published="2023-09-01"),
        ]
    )
    assert (t.as_of, t.status) == ("2023-02-01", "confirmed")


def test_a_fall_without_explanation_fails_and_an_explained_one_passes():
    _, checks = reconcile(
        [
            fig("smart_city_province_count", 25, url=DEPA.format(1), published="2023-02-01"),
            fig("smart_city_province_count", 16, url=DEPA.format(2), published="2023-08-01"),
        ]
    )
    [fall] = checks_named(checks, "total_not_falling")
    assert fall.status == "fail" and "25" in fall.detail and "16" in fall.detail
    _, checks = reconcile(
        [
            fig("smart_city_count", 37, url=DEPA.format(1), published="2023-02-01"),
            fig(
                "smart_city_count",
                35,
                url=DEPA.format(2),
                published="2023-08-01",
                ev="เพิกถอนการรับรอง 2 เมือง เหลือ 35",
            ),
        ]
    )
    assert [c.status for c in checks_named(checks, "total_not_falling")] == ["pass"]


def test_qualified_report_is_consistent_but_does_not_confirm():
    [t], checks = reconcile(
        [
            fig("smart_city_count", 30, url=GOV.format(1), qualifier="more_than"),
            fig("smart_city_count", 36, url=DEPA.format(1), published="2023-02-02"),
        ]
    )
    assert (t.value, t.qualifier, t.status, t.values_seen) == (36, "exact", "single_source", [30, 36])
    assert [c.status for c in checks_named(checks, "sources_agree")] == ["pass"]


def test_two_sites_with_the_same_bound_confirm_the_bound():
    [t], _ = reconcile(
        [
            fig("participant_count", 300_000, url=GOV.format(1), qualifier="more_than"),
            fig("participant_count", 300_000, url=DEPA.format(1), qualifier="more_than"),
        ]
    )
    assert (t.value, t.qualifier, t.status) == (300_000, "more_than", "confirmed")


def test_more_than_the_same_number_conflicts():
    [t], _ = reconcile(
        [
            fig("smart_city_count", 36, url=GOV.format(1), qualifier="more_than"),
            fig("smart_city_count", 36, url=DEPA.format(1)),
        ]
    )
    assert t.status == "conflict"


def test_undated_figures_are_not_placed_but_reported():
    totals, checks = reconcile(
        [
            fig("smart_city_count", 36, url=DEPA.format(1)),
            fig("smart_city_count", 36, url="https://www.posttoday.com/columnist/1", published=None),
        ]
    )
    [t] = totals
    assert t.status == "single_source" and t.sources == [DEPA.format(1)]
    [undated] = checks_named(checks, "undated_figure")
    assert undated.status == "fail" and "2023-02-01" in undated.detail


REGIONS = [
    ("เหนือบน", 27),
    ("เหนือล่าง", 9),
    ("กลาง", 15),
    ("ตะวันออก", 7),
    ("อีสานกลาง", 5),
    ("อีสานล่าง", 5),
    ("ใต้บน", 9),
    ("ใต้ล่าง", 15),
]


def _breakdown(stated, parts, qualifier="exact"):
    url = "https://www.posttoday.com/columnist/703"
    rows = [fig("zone_count", stated, url=url, scope="new", published=None, qualifier=qualifier)]
    rows += [
        {**fig("zone_count", v, url=url, scope="new", region=r, published=None), "start": 20 * (i + 1)}
        for i, (r, v) in enumerate(parts)
    ]
    rows.append(rows[1])  # one region stated twice counts once
    return rows


def test_breakdown_that_adds_up_passes():
    _, checks = reconcile(_breakdown(92, REGIONS))
    [c] = checks_named(checks, "region_breakdown_sum")
    assert c.status == "pass" and "27+9+15+7+5+5+9+15 = 92" in c.detail


def test_breakdown_that_does_not_add_up_fails():
    _, checks = reconcile(_breakdown(95, REGIONS))
    [c] = checks_named(checks, "region_breakdown_sum")
    assert c.status == "fail" and "!= stated 95" in c.detail


def test_breakdown_against_a_qualified_total():
    _, checks = reconcile(_breakdown(90, REGIONS, qualifier="more_than"))
    assert checks_named(checks, "region_breakdown_sum")[0].status == "pass"


def test_province_counts_are_at_most_77_and_not_more_than_cities():
    _, checks = reconcile(
        [
            fig("zone_province_count", 78, url=DEPA.format(1), scope="new"),
            fig("smart_city_count", 10, url=GOV.format(1)),
            fig("smart_city_province_count", 12, url=GOV.format(1)),
        ]
    )
    assert {(c.name, c.status) for c in checks if c.name.startswith("province")} == {
        ("province_count_max", "fail"),
        ("province_count_max", "pass"),
        ("provinces_not_more_than_units", "fail"),
    }


def test_certified_cities_do_not_outnumber_zones_in_force():
    _, checks = reconcile(
        [
            fig("zone_count", 112, url=DEPA.format(1), published="2023-01-01"),
            fig("smart_city_count", 36, url=DEPA.format(2), published="2023-02-01"),
            fig("zone_count", 30, url=GOV.format(3), published="2024-01-01"),
            fig("smart_city_count", 40, url=GOV.format(4), published="2024-01-05"),
        ]
    )
    assert [c.status for c in checks_named(checks, "certified_le_zones")] == ["pass", "fail"]


def test_registry_counts_against_stated_totals():
    url = DEPA.format(9)
    figures = [fig("smart_city_count", 3, url=url, scope="new"), fig("smart_city_count", 36, url=url)]
    names = [{"name": n, "kind": "city", "source_url": url} for n in ("ภูเก็ต", "ขอนแก่น", "ภูเก็ต ")]
    _, checks = reconcile(figures, names)
    per_article = [c for c in checks_named(checks, "registry_vs_total") if c.sources == [url]]
    assert [c.status for c in per_article] == ["fail", "pass"]  # 2 names vs 3 new; 2 <= 36 overall
    _, checks = reconcile(figures, [*names, {"name": "ระยอง", "kind": "city", "source_url": url}])
    assert all(c.status == "pass" for c in checks_named(checks, "registry_vs_total"))


def test_unusable_figures_are_skipped_and_reported():
    totals, checks = reconcile([{"metric": "zone_count", "value": "many", "source_url": DEPA.format(1)}])
    assert totals == [] and [c.status for c in checks_named(checks, "figure_readable")] == ["fail"]


def test_output_is_deterministic():
    rows = [
        fig("smart_city_count", 36, url=DEPA.format(1)),
        fig("smart_city_count", 37, url=GOV.format(1), published="2023-08-01"),
        *_breakdown(92, REGIONS),
    ]
    first = reconcile(rows)
    assert reconcile(list(reversed(rows))) == first


def test_cli_jsonl_and_table(tmp_path, capsys):
    path = tmp_path / "figures.jsonl"
    rows = [
        fig("smart_city_count", 36, url=DEPA.format(1)),
        fig("smart_city_count", 36, url=GOV.format(1), published="2023-02-02"),
        *_breakdown(92, REGIONS),
    ]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    assert main([str(path)]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert lines[0]["kind"] == "total" and lines[0]["status"] == "confirmed"
    assert {"metric", "region", "as_of", "value", "status", "sources", "values_seen"} <= set(lines[0])
    assert {line["name"] for line in lines if line["kind"] == "check"} >= {
        "sources_agree",
        "region_breakdown_sum",
    }
    assert main([str(path), "--format", "table"]) == 0
    out = capsys.readouterr().out
    assert "TOTALS (1)" in out and "confirmed" in out and "region_breakdown_sum" in out


def test_cli_rejects_bad_input(tmp_path, capsys):
    path = tmp_path / "bad.jsonl"
    path.write_text("not json\n", encoding="utf-8")
    assert main([str(path)]) == 2
    assert "bad.jsonl:1" in capsys.readouterr().err
