"""Benchmark of the Solr stand-in: indexing and the queries CKAN sends, in process.

Prints documents indexed per second and milliseconds per query for an index of N
CKAN-shaped documents (default 2,000). Run: ``.venv/bin/python bench/bench_solr.py [N]``.
"""

from __future__ import annotations

import importlib.util
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_SPEC = importlib.util.spec_from_file_location("solr_standin", ROOT / "scripts" / "ckan" / "solr_standin.py")
assert _SPEC and _SPEC.loader
solr = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(solr)

REGIONS = ["ภาคเหนือ", "ภาคใต้", "ภาคกลาง", "ภาคตะวันออก", "ภาคตะวันออกเฉียงเหนือ"]


def doc(i: int) -> dict:
    """A CKAN-shaped document (fields as ckan/lib/search/index.py builds them)."""
    region = REGIONS[i % len(REGIONS)]
    title = f"ตัวเลขเมืองอัจฉริยะ {region} ชุดที่ {i}"
    return {
        "index_id": f"idx-{i}", "id": f"id-{i}", "name": f"dataset-{i}", "title": title,
        "title_string": title, "notes": f"Smart city figures batch {i} for {region}",
        "state": "active", "capacity": "public", "owner_org": f"org-{i % 7}",
        "organization": f"org-{i % 7}", "tags": ["smartcity", f"tag-{i % 13}"], "groups": [],
        "res_format": ["CSV"], "res_name": [f"figures-{i}.csv"], "entity_type": "package",
        "dataset_type": "dataset", "site_id": "smartcity_local", "permission_labels": ["public"],
        "metadata_modified": f"2026-{1 + i % 12:02d}-01T00:00:00Z",
        "metadata_created": "2026-01-01T00:00:00Z",
        "validated_data_dict": json.dumps({"name": f"dataset-{i}", "title": title}, ensure_ascii=False),
    }


QUERIES = {
    "list page (*:*, facets, sort)": [
        ("q", "*:*"), ("fq", " +state:(active)"), ("fq", '+site_id:"smartcity_local"'),
        ("fq", '+permission_labels:("public")'), ("rows", "21"),
        ("sort", "score desc, metadata_modified desc"),
        ("fl", "id validated_data_dict"), ("facet", "true"), ("facet.field", "organization"),
        ("facet.field", "tags"), ("facet.field", "res_format"), ("facet.limit", "50"),
        ("facet.mincount", "1"), ("q.op", "AND"), ("df", "text"),
    ],
    "thai free text (dismax)": [
        ("q", "เมืองอัจฉริยะ ภาคใต้"), ("defType", "dismax"), ("mm", "2<-1 5<80%"),
        ("qf", "name^4 title^4 tags^2 groups^2 text"), ("fq", "+capacity:public  +state:(active)"),
        ("rows", "11"), ("fl", "id validated_data_dict"), ("sort", "score desc, metadata_modified desc"),
    ],
    "organization count (rows=0)": [
        ("q", "*:*"), ("facet", "false"), ("fq", '+owner_org:"org-3" +state:(active)'),
        ("fq", '+site_id:"smartcity_local"'), ("rows", "0"), ("q.op", "AND"),
    ],
    "get_index by name": [
        ("q", 'name:"dataset-42" OR id:"dataset-42"'), ("rows", "1"),
        ("fq", '+site_id:"smartcity_local" +entity_type:package'),
    ],
}


def main() -> int:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    docs = [doc(i) for i in range(n)]
    with tempfile.TemporaryDirectory() as tmp:
        index = solr.Index(str(Path(tmp) / "index.json"))
        t0 = time.perf_counter()
        for d in docs:  # CKAN indexes one dataset per request
            index.add([d])
        t_add = time.perf_counter() - t0
        t0 = time.perf_counter()
        index.commit()
        t_commit = time.perf_counter() - t0
        print(f"documents: {n}")
        print(f"index one by one: {n / t_add:,.0f} docs/s; commit (JSON file): {t_commit * 1000:.0f} ms")
        for label, pairs in QUERIES.items():
            params: dict[str, list[str]] = {}
            for key, value in pairs:
                params.setdefault(key, []).append(value)
            reps = 5
            t0 = time.perf_counter()
            for _ in range(reps):
                body = index.search(params)
            per = (time.perf_counter() - t0) / reps
            print(f"{label}: {per * 1000:.1f} ms/query, numFound={body['response']['numFound']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
