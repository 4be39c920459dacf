"""Valid frames for every dataset, written for these tests (facts echo the seed articles)."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest

from smartcity.records import Check, Event, Figure, PublishedArticle, RegistryEntry, Total, as_dict, stable_id

NOW = dt.datetime(2026, 11, 21, 3, 0, tzinfo=dt.UTC)
URL_A = "https://www.depa.or.th/th/news/zones-2023"
URL_B = "https://www.thaigov.go.th/news/contents/details/70001"


def _figure(
    url: str,
    metric: str,
    value: float,
    scope: str | None,
    region: str | None = None,
    qualifier: str = "exact",
    published: str | None = "2023-02-01",
    start: int = 0,
) -> Figure:
    unit = "THB" if metric == "amount_thb" else "count"
    fig = Figure(
        metric=metric,
        value=float(value),
        unit=unit,
        scope=scope,
        qualifier=qualifier,
        region=region,
        evidence=f"{region or 'รวม'} {value:g} แห่ง",
        start=start,
        end=start + 12,
        source="depa",
        source_url=url,
        published=published,
        article_title="ดีป้าประกาศเขตส่งเสริมเมืองอัจฉริยะ",
        rule="statement names the programme",
    )
    fig.figure_id = stable_id(url, start, start + 12, metric, region)
    return fig


def figures_frame() -> pd.DataFrame:
    """Two articles: a regional breakdown that adds up (27+9+15+7+5+5+9+15 = 92) and totals."""
    parts = [
        ("ภาคเหนือตอนบน", 27),
        ("ภาคเหนือตอนล่าง", 9),
        ("ภาคกลาง", 15),
        ("ภาคตะวันออก", 7),
        ("ภาคอีสานตอนกลาง", 5),
        ("ภาคอีสานตอนล่าง", 5),
        ("ภาคใต้ตอนบน", 9),
        ("ภาคใต้ตอนล่าง", 15),
    ]
    rows = [
        _figure(URL_A, "zone_count", 92, "new", start=0),
        _figure(URL_A, "zone_province_count", 38, "new", start=20),
    ]
    rows += [
        _figure(URL_A, "zone_count", v, "new", region=r, start=100 + 20 * i) for i, (r, v) in enumerate(parts)
    ]
    rows += [
        _figure(URL_B, "smart_city_count", 36, "total", start=5, published="2023-03-02"),
        _figure(URL_B, "smart_city_province_count", 25, "total", start=30, published="2023-03-02"),
        _figure(
            URL_B, "amount_thb", 9_000_000, "target", qualifier="more_than", start=60, published="2023-03-02"
        ),
        _figure(
            URL_B, "participant_count", 500, "target", qualifier="more_than", start=90, published="2023-03-02"
        ),
    ]
    return pd.DataFrame([as_dict(r) for r in rows])


def articles_frame() -> pd.DataFrame:
    body = "สำนักงานส่งเสริมเศรษฐกิจดิจิทัลประกาศรับรองเขตส่งเสริมเมืองอัจฉริยะเพิ่มเติม " * 5
    rows = [
        PublishedArticle(
            article_id=f"depa:{i}",
            source="depa",
            url=f"https://www.depa.or.th/th/news/{i}",
            title=f"ข่าวที่ {i}",
            published=f"2023-0{i}-01",
            published_text=f"{i} มกราคม 2566",
            category="news",
            language="th",
            fetched_at="2026-11-20T10:00:00Z",
            content_hash=stable_id(i, length=64),
            relevance="paragraph: เมืองอัจฉริยะ",
            relevance_evidence=body[:300],
            passages=body.strip(),
            passage_count=1,
        )
        for i in (1, 2, 3)
    ]
    return pd.DataFrame([as_dict(r) for r in rows])


def events_frame() -> pd.DataFrame:
    rows = [
        Event(
            event_id=stable_id("e", i),
            name=f"Smart City Expo {i}",
            start_date="2023-11-19",
            end_date="2023-11-21",
            venue="ศูนย์ประชุม",
            province="สงขลา",
            province_code="TH-90",
            organiser="depa",
            source="thaigov",
            source_url=URL_B,
        )
        for i in (1, 2)
    ]
    return pd.DataFrame([as_dict(r) for r in rows])


def registry_frame() -> pd.DataFrame:
    rows = []
    for name, prov, code in (("ภูเก็ต", "ภูเก็ต", "TH-83"), ("ขอนแก่น", "ขอนแก่น", "TH-40")):
        e = RegistryEntry(
            name=name,
            province=prov,
            province_code=code,
            region=None,
            evidence=f"เมือง{name}",
            kind="city",
            source_url=URL_A,
            published="2023-02-01",
        )
        e.entry_id = stable_id(URL_A, name)
        rows.append(e)
    return pd.DataFrame([as_dict(r) for r in rows])


def totals_frame() -> pd.DataFrame:
    rows = [
        Total(
            metric="smart_city_count",
            region=None,
            as_of="2023-02-01",
            value=36.0,
            status="confirmed",
            sources=[URL_A, URL_B],
            values_seen=[36.0],
            total_id=stable_id("t", 1),
        ),
        Total(
            metric="zone_count",
            region=None,
            as_of="2023-02-01",
            value=112.0,
            status="single_source",
            sources=[URL_A],
            values_seen=[112.0],
            total_id=stable_id("t", 2),
        ),
    ]
    frame = pd.DataFrame([as_dict(r) for r in rows])
    for col in ("sources", "values_seen"):  # list fields travel as JSON text
        frame[col] = frame[col].map(json.dumps)
    return frame


def checks_frame() -> pd.DataFrame:
    rows = [
        Check(
            name="region_breakdown_sum",
            status="pass",
            detail="27+9+15+7+5+5+9+15 = 92",
            sources=[URL_A],
            check_id=stable_id("c", 1),
        ),
        Check(
            name="province_count_max",
            status="pass",
            detail="25 <= 77",
            sources=[URL_B],
            check_id=stable_id("c", 2),
        ),
    ]
    frame = pd.DataFrame([as_dict(r) for r in rows])
    frame["sources"] = frame["sources"].map(json.dumps)
    return frame


FRAMES = {
    "articles": articles_frame,
    "events": events_frame,
    "figures": figures_frame,
    "registry": registry_frame,
    "totals": totals_frame,
    "checks": checks_frame,
}


@pytest.fixture
def now() -> dt.datetime:
    return NOW
