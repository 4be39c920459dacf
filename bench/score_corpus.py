"""Score what the pipeline would publish from real government news against our hand labels.

Usage: ``python bench/score_corpus.py [CORPUS_DIR] [--part tuning|validation|all] [--show]``
(default corpus ``../shared/corpus/thaigov-v2``; labels and split from ``bench/labels/split.json``).

Every page of the corpus (``data/**/*.txt``) goes through
:func:`smartcity.extract.programme.extract_programme`, the function the pipeline's ``extract``
stage and ``smartcity extract`` call.  The labels list the pages that mention the programme, with
their relevance and figures (shared/LABELLING.md); a page they do not list is not relevant and
states no figure.  As in the policy, each (metric, value, region) counts once per page; scope and
qualifier are scored on the figures that match.

The pages are split by date (``split.json``): the *tuning* part is what rules were developed on,
the *validation* part is only ever scored.  Both are printed; the gap between them is the
estimate of how much the rules know the pages rather than the programme.

Per part it prints page relevance precision/recall, figure precision/recall, scope and qualifier
accuracy (on the first published row of each matched fact, and on every published row), published
rows per distinct fact, figures published from pages that are not about the programme per 1,000
unlisted pages, and the speed of ``extract_programme`` (pages/s, one process).  ``--show`` lists
every miss and extra with its page and offsets.  Exits 2 when the corpus or the labels are missing;
``--min-precision`` / ``--min-recall`` / ``--min-scope`` make it exit 1 when the validation part
(or the part asked for) is below a floor.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

from smartcity.extract.programme import extract_programme

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO_ROOT.parent / "shared" / "corpus" / "thaigov-v2"
SPLIT = REPO_ROOT / "bench" / "labels" / "split.json"
PARTS = ("tuning", "validation")

Key = tuple[str, float, str | None]


def _key(metric: str, value: float, region: str | None) -> Key:
    return metric, round(float(value), 4), region


def _ratio(a: int, b: int) -> float:
    return a / b if b else 1.0


def load_labels(split_file: Path = SPLIT) -> tuple[dict, tuple[str, str]]:
    """All labelled pages (path -> label) of the files ``split.json`` names, and the validation
    period (ISO from, to)."""
    split = json.loads(split_file.read_text(encoding="utf-8"))
    pages: dict = {}
    for name in split["labels"]:
        pages.update(json.loads((split_file.parent / name).read_text(encoding="utf-8"))["pages"])
    return pages, (split["validation"]["from"], split["validation"]["to"])


def part_of(rel: str, period: tuple[str, str]) -> str:
    """``validation`` when the page's date (``data/YYYY/MM/DD/...``) is in ``period``."""
    y, m, d = rel.split("/")[1:4]
    return "validation" if period[0] <= f"{y}-{m}-{d}" <= period[1] else "tuning"


def score(corpus: Path, labels: dict, period: tuple[str, str], show: str | None = None) -> dict[str, dict]:
    """Run the extractor over the corpus and compare with the labels; returns the figures of
    each part (``tuning``, ``validation``) and of ``all``; ``show`` names the part whose misses
    and extras are printed."""
    paths = sorted(corpus.glob("data/**/*.txt"))
    counters: dict[str, Counter[str]] = {part: Counter() for part in (*PARTS, "all")}
    elapsed = 0.0
    for path in paths:
        rel = str(path.relative_to(corpus))
        text = path.read_text(encoding="utf-8")
        t0 = time.perf_counter()
        result = extract_programme(text)
        elapsed += time.perf_counter() - t0
        label = labels.get(rel, {"relevant": False, "figures": []})
        for part in (part_of(rel, period), "all"):
            _count(counters[part], rel, label, rel in labels, result, show == part)
    out = {}
    for part, c in counters.items():
        matched = c["tp"]
        out[part] = {
            "pages": c["pages"],
            "relevance_precision": round(_ratio(c["rel_tp"], c["rel_tp"] + c["rel_fp"]), 3),
            "relevance_recall": round(_ratio(c["rel_tp"], c["rel_tp"] + c["rel_fn"]), 3),
            "precision": round(_ratio(c["tp"], c["tp"] + c["fp"]), 3),
            "recall": round(_ratio(c["tp"], c["tp"] + c["fn"]), 3),
            "tp": c["tp"],
            "fp": c["fp"],
            "fn": c["fn"],
            "labelled_facts": c["tp"] + c["fn"],
            "scope_accuracy": round(_ratio(c["scope_ok"], matched), 3),
            "qualifier_accuracy": round(_ratio(c["qualifier_ok"], matched), 3),
            "scope_rows": round(_ratio(c["scope_rows_ok"], c["matched_rows"]), 3),
            "rows_per_fact": round(_ratio(c["rows"], c["facts_published"]), 3),
            "published": c["published"],
            "published_off_page": c["published_off_page"],
            "random_pages": c["random_pages"],
            "off_topic_per_1000_random_pages": round(1000 * _ratio(c["random_fp"], c["random_pages"]), 2),
        }
    out["all"]["pages_per_s"] = round(len(paths) / elapsed) if elapsed else None
    return out


def _count(c: Counter, rel: str, label: dict, listed: bool, result, show: bool) -> None:
    c["pages"] += 1
    c["random_pages"] += not listed
    got_rel, want_rel = result.relevance.relevant, label["relevant"]
    c["rel_tp"] += got_rel and want_rel
    c["rel_fp"] += got_rel and not want_rel
    c["rel_fn"] += want_rel and not got_rel
    if show and got_rel != want_rel:
        print(f"RELEVANCE {'extra' if got_rel else 'miss'}: {rel} ({result.relevance.reason})")
    want: dict[Key, dict] = {}
    for fact in label["figures"]:
        want.setdefault(_key(fact["metric"], fact["value"], fact.get("region")), fact)
    got: dict[Key, object] = {}
    for f in result.figures:
        k = _key(f.metric, f.value, f.region)
        got.setdefault(k, f)
        c["rows"] += 1
        if k in want:
            c["matched_rows"] += 1
            c["scope_rows_ok"] += want[k]["scope"] == f.scope
    c["facts_published"] += len(got)
    hits = want.keys() & got.keys()
    c["tp"] += len(hits)
    c["fp"] += len(got.keys() - want.keys())
    c["fn"] += len(want.keys() - got.keys())
    c["random_fp"] += 0 if listed else len(got)
    c["published"] += len(got)
    c["published_off_page"] += 0 if want_rel else len(got)
    for k in hits:
        f = got[k]
        c["scope_ok"] += want[k]["scope"] == f.scope
        c["qualifier_ok"] += want[k]["qualifier"] == f.qualifier
        if show and (want[k]["scope"], want[k]["qualifier"]) != (f.scope, f.qualifier):
            print(
                f"SCOPE/QUALIFIER {rel} {k}: want {want[k]['scope']}/{want[k]['qualifier']}, "
                f"got {f.scope}/{f.qualifier} at {f.start}"
            )
    if show:
        for k in sorted(want.keys() - got.keys(), key=str):
            print(f"MISS  {rel} {k} at {want[k]['start']}-{want[k]['end']}")
        for k in sorted(got.keys() - want.keys(), key=str):
            f = got[k]
            print(f"EXTRA {rel} {k} {f.scope}/{f.qualifier} at {f.start}-{f.end}")


def _print(part: str, r: dict) -> None:
    print(
        f"[{part}] pages={r['pages']}  relevance P={r['relevance_precision']:.3f} "
        f"R={r['relevance_recall']:.3f}"
    )
    print(
        f"[{part}] figures: precision={r['precision']:.3f} recall={r['recall']:.3f} "
        f"(tp={r['tp']} fp={r['fp']} fn={r['fn']}, {r['labelled_facts']} labelled facts)  "
        f"scope={r['scope_accuracy']:.3f} (every row {r['scope_rows']:.3f}) "
        f"qualifier={r['qualifier_accuracy']:.3f}  rows per fact={r['rows_per_fact']:.2f}"
    )
    print(
        f"[{part}] off-topic figures per 1,000 unlisted pages: "
        f"{r['off_topic_per_1000_random_pages']} ({r['random_pages']} pages); published facts "
        f"{r['published']}, of them on pages labelled not about the programme: {r['published_off_page']}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", default=str(DEFAULT_CORPUS))
    parser.add_argument("--split", default=str(SPLIT), help="split.json (labels and validation period)")
    parser.add_argument("--part", choices=(*PARTS, "all"), default=None,
                        help="print one part only (default: both parts, then all)")
    parser.add_argument("--show", action="store_true", help="list every miss and extra (of --part)")
    parser.add_argument("--min-precision", type=float, default=0.0)
    parser.add_argument("--min-recall", type=float, default=0.0)
    parser.add_argument("--min-scope", type=float, default=0.0, help="floor of scope on every row")
    args = parser.parse_args(argv)
    corpus, split = Path(args.corpus), Path(args.split)
    if not (corpus / "data").is_dir() or not split.is_file():
        print(f"need {corpus}/data and {split}", file=sys.stderr)
        return 2
    labels, period = load_labels(split)
    if args.show and args.part is None:
        args.part = "tuning"  # never print validation misses by default: they are not to tune on
    results = score(corpus, labels, period, show=args.part if args.show else None)
    print(f"validation = pages dated {period[0]} .. {period[1]}; tuning = every other page")
    for part in (args.part,) if args.part else (*PARTS, "all"):
        _print(part, results[part])
    print(f"speed: {results['all']['pages_per_s']} pages/s (extract_programme, one process)")
    floor_part = results[args.part or "validation"]
    ok = (floor_part["precision"] >= args.min_precision and floor_part["recall"] >= args.min_recall
          and floor_part["scope_rows"] >= args.min_scope)
    if not ok:
        print(f"below a floor (precision {args.min_precision}, recall {args.min_recall}, "
              f"scope {args.min_scope})", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
