"""Record frames written for the publishing tests (facts in the style of the programme's news,
sentences our own), and per-test dataset prefixes."""

from __future__ import annotations

import dataclasses
import uuid

import pandas as pd
import pytest

from smartcity.publish.catalog import CatalogConfig
from smartcity.publish.publisher import purge_published


def figures_frame(n: int = 12) -> pd.DataFrame:
    """``n`` figures; the texts are written for these tests."""
    rows = []
    for i in range(n):
        rows.append(
            {
                "metric": "smart_city_count" if i % 2 == 0 else "zone_count",
                "value": float(10 + i),
                "unit": "count",
                "scope": "total",
                "qualifier": "more_than" if i % 3 == 0 else "exact",
                "region": None if i % 4 else "ภาคตะวันออกเฉียงเหนือ",
                "evidence": f"ประกาศเมืองอัจฉริยะเพิ่มอีก {10 + i} แห่ง",
                "start": i,
                "end": i + 20,
                "figure_id": f"fig-{i:04d}",
                "source": "thaigov" if i % 2 else "depa",
                "source_url": f"http://127.0.0.1:9/news/{i}",
                "published": f"202{2 + i % 3}-0{1 + i % 9}-15",
            }
        )
    # one evidence that a spreadsheet would run as a formula
    rows[1]["evidence"] = '=HYPERLINK("http://127.0.0.1:9/x","เปิด")'
    return pd.DataFrame(rows)


def frames() -> dict[str, pd.DataFrame]:
    """One frame per dataset (plus ``checks``), small and deterministic."""
    return {
        "articles": pd.DataFrame(
            [
                {"article_id": f"thaigov:{i}", "source": "thaigov", "url": f"http://127.0.0.1:9/a/{i}",
                 "title": f"ข่าวเมืองอัจฉริยะ ฉบับที่ {i}", "published": f"2024-0{i + 1}-01",
                 "published_text": f"{i + 1} มกราคม 2567", "category": "ข่าว",
                 "language": "th", "fetched_at": "2026-11-20T10:00:00+00:00", "content_hash": f"h{i}",
                 "relevance": "title: เมืองอัจฉริยะ", "relevance_evidence": f"ข่าวเมืองอัจฉริยะ ฉบับที่ {i}",
                 "passages": f"ข่าวเมืองอัจฉริยะ ฉบับที่ {i}\n\nเนื้อหาข่าวทดสอบ", "passage_count": 2}
                for i in range(3)
            ]
        ),
        "events": pd.DataFrame(
            [{"event_id": "ev-1", "name": "งานสัมมนาเมืองอัจฉริยะ", "start_date": "2024-10-16",
              "end_date": "2024-10-22", "venue": "ศูนย์ประชุม", "province": "กรุงเทพมหานคร",
              "province_code": "TH-10", "organiser": "depa", "source": "depa",
              "source_url": "http://127.0.0.1:9/e/1"}]
        ),
        "figures": figures_frame(),
        "registry": pd.DataFrame(
            [{"name": "เมืองทดสอบ", "province": "ขอนแก่น", "province_code": "TH-40",
              "region": "ภาคตะวันออกเฉียงเหนือ",
              "evidence": "เมืองทดสอบ จังหวัดขอนแก่น", "kind": "city", "entry_id": "reg-1",
              "source_url": "http://127.0.0.1:9/a/1", "published": "2023-02-01"}]
        ),
        "totals": pd.DataFrame(
            [
                {"metric": "smart_city_count", "region": None, "as_of": "2022-06-01", "value": 15.0,
                 "status": "confirmed", "sources": ["http://127.0.0.1:9/a/1", "http://127.0.0.1:9/a/2"],
                 "values_seen": [15.0], "qualifier": "exact", "superseded_by": "tot-2", "total_id": "tot-1"},
                {"metric": "smart_city_count", "region": None, "as_of": "2024-07-01", "value": 36.0,
                 "status": "conflict", "sources": ["http://127.0.0.1:9/a/3"], "values_seen": [36.0, 39.0],
                 "qualifier": "exact", "superseded_by": None, "total_id": "tot-2"},
            ]
        ),
        "checks": pd.DataFrame(
            [{"name": "totals_monotonic", "status": "fail", "detail": "-3 between two reports",
              "sources": ["http://127.0.0.1:9/a/3"], "check_id": "chk-1"}]
        ),
    }


USED_PREFIXES: set[str] = set()


def variant(config: CatalogConfig, suffix: str, **changes) -> CatalogConfig:
    """``config`` with its own dataset prefix (purged at the end of the session)."""
    prefix = f"{config.prefix}{suffix}"
    USED_PREFIXES.add(prefix)
    return dataclasses.replace(config, prefix=prefix, **changes)


@pytest.fixture(scope="session")
def publish_config(ckan_env):
    """A catalogue config with a unique prefix and organization for this test session; every
    dataset and the organization are purged at the end."""
    import ckanapi

    tag = uuid.uuid4().hex[:8]
    config = CatalogConfig(
        prefix=f"pt{tag}",
        organization=f"pt{tag}-org",
        organization_title="Publishing tests / ทดสอบการเผยแพร่",
        license_id="cc-by",
        maintainer="tests",
        maintainer_email="tests@example.org",
        max_upload_bytes=10 * 1024 * 1024,
        datastore_batch=5,  # several batches even for the small test frames
    )
    yield config
    with ckanapi.RemoteCKAN(ckan_env["url"], apikey=ckan_env["token"]) as ckan:
        for prefix in sorted(USED_PREFIXES - {config.prefix}):
            purge_published(ckan, prefix)
        purge_published(ckan, config.prefix, config.organization)
