"""Validation time with ALL suites: 100,000 synthetic figure rows, the other datasets at
realistic sizes, without and with Data Docs.  Prints figures; asserts nothing.

    .venv/bin/python bench/bench_validate.py [--figures 100000]
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from smartcity.quality import validate_frame
from tests.quality.conftest import FRAMES

METRICS = [
    ("smart_city_count", 36, "count"),
    ("zone_count", 112, "count"),
    ("smart_city_province_count", 25, "count"),
    ("zone_province_count", 38, "count"),
    ("amount_thb", 9_000_000, "THB"),
    ("participant_count", 500, "count"),
]


def synthetic_figures(n: int, seed: int = 7) -> pd.DataFrame:
    """``n`` valid figure rows over n/10 articles; every 10th article carries an 8-region breakdown."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        article = i // 10
        url = f"https://www.depa.or.th/th/news/{article}"
        if article % 10 == 0:  # breakdown article: row 0 the stated 80, rows 1..8 ten each, row 9 other
            k = i % 10
            metric, value, unit, region, scope = (
                "zone_count",
                80 if k == 0 else 10,
                "count",
                None if k in (0, 9) else f"ภาค {k}",
                "new",
            )
        else:
            metric, base, unit = rng.choice(METRICS)
            value, region, scope = (
                base * rng.uniform(0.5, 1.5),
                None,
                rng.choice(["total", "new", "target", None]),
            )
            if "count" in metric and unit == "count":
                value = float(int(value))
        rows.append(
            {
                "metric": metric,
                "value": float(value),
                "unit": unit,
                "scope": scope,
                "qualifier": rng.choice(["exact", "more_than", "approx"]),
                "region": region,
                "evidence": f"ตัวเลข {value:g}",
                "start": (i % 10) * 40,
                "end": (i % 10) * 40 + 20,
                "figure_id": f"{i:016x}",
                "source": "depa",
                "source_url": url,
                "published": f"20{rng.randint(16, 25)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            }
        )
    return pd.DataFrame(rows)


def scale(frame: pd.DataFrame, n: int, key: str) -> pd.DataFrame:
    """``frame`` repeated to ``n`` rows with unique keys (and unique urls where they are keys)."""
    out = pd.concat([frame] * (n // len(frame) + 1), ignore_index=True).head(n).copy()
    out[key] = [f"{i:016x}" for i in range(n)]
    for col in ("url", "article_id"):
        if col in out.columns:
            out[col] = [f"{v}-{i}" for i, v in enumerate(out[col])]
    if "as_of" in out.columns:  # totals: one observation per (metric, region, as_of)
        out["as_of"] = [f"20{16 + i % 10}-{1 + i // 10 % 12:02d}-{1 + i // 120 % 28:02d}" for i in range(n)]
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--figures", type=int, default=100_000)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    sizes = {"articles": 10_000, "events": 500, "registry": 2_000, "totals": 200, "checks": 5_000}
    keys = {
        "articles": "article_id",
        "events": "event_id",
        "registry": "entry_id",
        "totals": "total_id",
        "checks": "check_id",
    }
    frames = {name: scale(FRAMES[name](), n, keys[name]) for name, n in sizes.items()}
    t0 = time.perf_counter()
    frames["figures"] = synthetic_figures(args.figures)
    build = time.perf_counter() - t0

    t0 = time.perf_counter()
    validate_frame("checks", FRAMES["checks"]())  # pays the ~4 s great_expectations import once
    warmup = time.perf_counter() - t0
    print(f"frames built in {build:.2f} s; first validation (GX import + tiny frame) {warmup:.2f} s")
    print(f"{'dataset':<10}{'rows':>9}{'exps':>6}{'ok':>5}{'no docs s':>11}{'docs s':>9}")
    totals = [0.0, 0.0]
    for name, frame in frames.items():
        t0 = time.perf_counter()
        report = validate_frame(name, frame)
        bare = time.perf_counter() - t0
        with tempfile.TemporaryDirectory() as tmp:
            t0 = time.perf_counter()
            validate_frame(name, frame, docs_dir=Path(tmp))
            docs = time.perf_counter() - t0
        totals[0] += bare
        totals[1] += docs
        print(
            f"{name:<10}{len(frame):>9,}{report.evaluated:>6}{'yes' if report.success else 'NO':>5}"
            f"{bare:>11.2f}{docs:>9.2f}"
        )
        if not report.success:
            print(json.dumps(report.as_dict()["critical_failures"], ensure_ascii=False)[:500])
    print(f"{'all':<10}{sum(len(f) for f in frames.values()):>9,}{'':>11}{totals[0]:>11.2f}{totals[1]:>9.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
