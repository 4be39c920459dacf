"""Benchmark: time to publish every dataset to the local CKAN from scratch, then on a re-run
with no change (which must make zero write calls).

    .venv/bin/python bench/bench_publish.py [--figures 2000] [--keep]

Needs the local CKAN (``scripts/ckan/up.sh``) or CKAN_URL + CKAN_API_TOKEN.  Uses a unique
dataset prefix and organization and purges them afterwards (unless ``--keep``).
"""

from __future__ import annotations

import argparse
import dataclasses
import logging
import sys
import tempfile
import time
import uuid
from pathlib import Path

import pandas as pd

from smartcity.publish import catalog
from smartcity.publish.client import client_from_env
from smartcity.publish.publisher import publish_all, purge_published


def synthetic_frames(n_figures: int) -> dict[str, pd.DataFrame]:
    """Frames of realistic size: n figures, n/10 articles and registry entries, n/20 totals."""
    n_articles = max(1, n_figures // 10)
    articles = pd.DataFrame([
        {"article_id": f"bench:{i}", "source": "thaigov", "url": f"http://127.0.0.1:9/a/{i}",
         "title": f"ข่าวเมืองอัจฉริยะทดสอบ {i}", "published": f"20{20 + i % 6}-{1 + i % 12:02d}-01",
         "published_text": "1 มกราคม 2567", "category": "ข่าว", "passages": "เนื้อหา " * 200,
         "language": "th", "fetched_at": "2026-11-20T10:00:00+00:00", "content_hash": f"{i:064x}"}
        for i in range(n_articles)
    ])
    figures = pd.DataFrame([
        {"metric": "smart_city_count", "value": float(i % 100), "unit": "count", "scope": "total",
         "qualifier": "exact", "region": None, "evidence": f"รวม {i % 100} เมือง", "start": i % 500,
         "end": i % 500 + 12, "figure_id": f"fig-{i:07d}", "source": "thaigov",
         "source_url": f"http://127.0.0.1:9/a/{i % n_articles}", "published": f"20{20 + i % 6}-01-01"}
        for i in range(n_figures)
    ])
    registry = pd.DataFrame([
        {"name": f"เมือง {i}", "province": "ขอนแก่น", "province_code": "TH-40", "region": "ภาคตะวันออกเฉียงเหนือ",
         "evidence": f"เมือง {i}", "kind": "city", "entry_id": f"reg-{i}", "source_url": "http://127.0.0.1:9/a/1",
         "published": "2024-01-01"}
        for i in range(n_articles)
    ])
    events = pd.DataFrame([
        {"event_id": f"ev-{i}", "name": f"งาน {i}", "start_date": "2024-10-16", "end_date": "2024-10-22",
         "venue": "ศูนย์ประชุม", "province": "กรุงเทพมหานคร", "province_code": "TH-10", "organiser": "depa",
         "source": "depa", "source_url": f"http://127.0.0.1:9/e/{i}"}
        for i in range(max(1, n_figures // 40))
    ])
    totals = pd.DataFrame([
        {"metric": "smart_city_count", "region": None, "as_of": f"20{20 + i % 6}-{1 + i % 12:02d}-01",
         "value": float(i), "status": "confirmed", "sources": [f"http://127.0.0.1:9/a/{i}"],
         "values_seen": [float(i)], "qualifier": "exact", "superseded_by": None, "total_id": f"tot-{i}"}
        for i in range(max(1, n_figures // 20))
    ])
    checks = pd.DataFrame(
        [{"name": "monotonic", "status": "pass", "detail": "ok", "sources": [], "check_id": "c1"}]
    )
    return {"articles": articles, "events": events, "figures": figures, "registry": registry,
            "totals": totals, "checks": checks}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--figures", type=int, default=2000)
    parser.add_argument("--keep", action="store_true", help="do not purge the datasets afterwards")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)

    tag = uuid.uuid4().hex[:6]
    config = dataclasses.replace(catalog.CatalogConfig.from_env(), prefix=f"bench{tag}",
                                 organization=f"bench{tag}-org")
    frames = synthetic_frames(args.figures)
    sizes = ", ".join(f"{k}={len(v)}" for k, v in frames.items())
    with client_from_env() as ckan, tempfile.TemporaryDirectory() as tmp:
        try:
            runs = []
            for label in ("from scratch", "no-change re-run"):
                start = time.perf_counter()
                reports = publish_all(ckan, frames, out_dir=Path(tmp), config=config)
                elapsed = time.perf_counter() - start
                writes = sum(r.write_calls for r in reports)
                reads = sum(r.read_calls for r in reports)
                runs.append(elapsed)
                print(f"publish all ({sizes}) {label}: {elapsed:.2f} s,"
                      f" {writes} write calls, {reads} read calls")
            print(f"re-run / scratch: {runs[1] / runs[0]:.3f}")
        finally:
            if not args.keep:
                purge_published(ckan, config.prefix, config.organization)
    return 0


if __name__ == "__main__":
    sys.exit(main())
