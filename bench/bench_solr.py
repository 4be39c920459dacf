"""Benchmark of the local Apache Solr 9 (scripts/ckan/solr.sh) with CKAN's own schema: indexing
and the queries CKAN sends, over HTTP.

Starts a private Solr node (own Solr home and build in a temporary folder, port
``BENCH_SOLR_PORT``, default 8991) with one core configured like the CKAN cores, indexes
N CKAN-shaped documents (default 2,000), prints documents per second and milliseconds per
query, and stops the node. CKAN's schema.xml comes from the local CKAN venv (run
``make ckan-up`` first) or ``--schema PATH``.
Run: ``.venv/bin/python bench/bench_solr.py [N] [--schema PATH]``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
SOLR_SH = ROOT / "scripts" / "ckan" / "solr.sh"
CORE = "bench"
REGIONS = ["ภาคเหนือ", "ภาคใต้", "ภาคกลาง", "ภาคตะวันออก", "ภาคตะวันออกเฉียงเหนือ"]
ONE_BY_ONE = 200  # CKAN indexes one dataset per request and commits each: timed on these


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
        "extras_keywords_th": "เมืองอัจฉริยะ, ข้อมูลเปิด, ตัวเลข",
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
    "english free text, stemmed (dismax)": [
        ("q", "figure"), ("defType", "dismax"), ("mm", "2<-1 5<80%"),
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


def find_schema() -> Path | None:
    """CKAN's schema.xml from a local CKAN venv, if one was set up."""
    for home in (".local/ckan", ".local/ckan-gdc"):
        venv_lib = ROOT / home / "venv" / "lib"
        found = sorted(venv_lib.glob("python3*/site-packages/ckan/config/solr/schema.xml"))
        if found:
            return found[0]
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", nargs="?", type=int, default=2000)
    parser.add_argument("--schema", type=Path, default=None)
    args = parser.parse_args()
    schema = args.schema or find_schema()
    if schema is None or not schema.is_file():
        print("bench_solr: no CKAN schema.xml: run `make ckan-up` first or pass --schema", file=sys.stderr)
        return 1
    port = os.environ.get("BENCH_SOLR_PORT", "8991")
    url = f"http://127.0.0.1:{port}/solr/{CORE}"
    with tempfile.TemporaryDirectory() as tmp:
        # its own build too (from Maven's cache): the checkout's may be under a running node
        env = {**os.environ, "SOLR_PORT": port, "SMARTCITY_SOLR_HOME": tmp}
        t0 = time.perf_counter()
        subprocess.run([str(SOLR_SH), "up", CORE, str(schema)], env=env, check=True)
        print(f"Solr node + core up: {time.perf_counter() - t0:.1f} s")
        try:
            run(url, args.n)
        finally:
            subprocess.run([str(SOLR_SH), "down"], env=env, check=False)
    return 0


def run(url: str, n: int) -> None:
    docs = [doc(i) for i in range(n)]
    with requests.Session() as http:
        t0 = time.perf_counter()
        for d in docs[:ONE_BY_ONE]:
            http.post(f"{url}/update?commit=true", json=[d], timeout=30).raise_for_status()
        t_one = time.perf_counter() - t0
        t0 = time.perf_counter()
        for start in range(ONE_BY_ONE, n, 500):
            http.post(f"{url}/update", json=docs[start:start + 500], timeout=120).raise_for_status()
        http.post(f"{url}/update?commit=true", json=[], timeout=120).raise_for_status()
        t_bulk = time.perf_counter() - t0
        print(f"documents: {n}")
        print(f"index one by one with a commit each (as CKAN does): {ONE_BY_ONE / t_one:,.0f} docs/s")
        if n > ONE_BY_ONE:
            print(f"index the other {n - ONE_BY_ONE} in batches of 500 + one commit: "
                  f"{(n - ONE_BY_ONE) / t_bulk:,.0f} docs/s")
        for label, pairs in QUERIES.items():
            http.get(f"{url}/select", params=pairs, timeout=30).raise_for_status()  # warm up
            reps = 20
            t0 = time.perf_counter()
            for rep in range(reps):
                # a filter that excludes nothing, different each time: no answer from Solr's result cache
                miss = ("fq", f"-index_id:bench-none-{rep}")
                body = http.get(f"{url}/select", params=[*pairs, miss, ("wt", "json")], timeout=30).json()
            per = (time.perf_counter() - t0) / reps
            print(f"{label}: {per * 1000:.1f} ms/query, numFound={body['response']['numFound']}")


if __name__ == "__main__":
    raise SystemExit(main())
