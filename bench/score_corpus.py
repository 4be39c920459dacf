"""Score what the pipeline would publish from real government news against our hand labels.

Usage: ``python bench/score_corpus.py [CORPUS_DIR] [--labels FILE] [--show]``
(defaults: ``../shared/corpus/thaigov-v2`` and ``bench/labels/thaigov_dev.json``).

Every page of the corpus (``data/**/*.txt``) goes through
:func:`smartcity.extract.programme.extract_programme`, the function the pipeline's ``extract``
stage and ``smartcity extract`` call.  The labels list the pages that mention the programme, with
their relevance and figures (shared/LABELLING.md); a page they do not list is not relevant and
states no figure.  As in the policy, each (metric, value, region) counts once per page; scope and
qualifier are scored on the figures that match.

Prints page relevance precision/recall, figure precision/recall, scope and qualifier accuracy,
figures published from pages that are not about the programme per 1,000 pages of the random
sample (pages the labels do not list), and the speed of ``extract_programme`` (pages/s, one
process).  ``--show`` lists every miss and extra with its page and offsets.  Exits 2 when the
corpus or the labels are missing; ``--min-precision`` / ``--min-recall`` make it exit 1 below a
floor.
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
DEFAULT_LABELS = REPO_ROOT / "bench" / "labels" / "thaigov_dev.json"

Key = tuple[str, float, str | None]


def _key(metric: str, value: float, region: str | None) -> Key:
    return metric, round(float(value), 4), region


def _ratio(a: int, b: int) -> float:
    return a / b if b else 1.0


def score(corpus: Path, labels_file: Path, show: bool = False) -> dict:
    """Run the extractor over the corpus and compare with the labels; returns the figures."""
    labels = json.loads(labels_file.read_text(encoding="utf-8"))["pages"]
    paths = sorted(corpus.glob("data/**/*.txt"))
    c: Counter[str] = Counter()
    elapsed = 0.0
    for path in paths:
        rel = str(path.relative_to(corpus))
        text = path.read_text(encoding="utf-8")
        t0 = time.perf_counter()
        result = extract_programme(text)
        elapsed += time.perf_counter() - t0
        label = labels.get(rel, {"relevant": False, "figures": []})
        listed = rel in labels
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
            got.setdefault(_key(f.metric, f.value, f.region), f)
        hits = want.keys() & got.keys()
        c["tp"] += len(hits)
        c["fp"] += len(got.keys() - want.keys())
        c["fn"] += len(want.keys() - got.keys())
        c["random_fp"] += 0 if listed else len(got)
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
    matched = c["tp"]
    return {
        "pages": c["pages"],
        "pages_per_s": round(c["pages"] / elapsed) if elapsed else None,
        "relevance_precision": round(_ratio(c["rel_tp"], c["rel_tp"] + c["rel_fp"]), 3),
        "relevance_recall": round(_ratio(c["rel_tp"], c["rel_tp"] + c["rel_fn"]), 3),
        "precision": round(_ratio(c["tp"], c["tp"] + c["fp"]), 3),
        "recall": round(_ratio(c["tp"], c["tp"] + c["fn"]), 3),
        "tp": c["tp"],
        "fp": c["fp"],
        "fn": c["fn"],
        "scope_accuracy": round(_ratio(c["scope_ok"], matched), 3),
        "qualifier_accuracy": round(_ratio(c["qualifier_ok"], matched), 3),
        "random_pages": c["random_pages"],
        "off_topic_per_1000_random_pages": round(1000 * _ratio(c["random_fp"], c["random_pages"]), 2),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", default=str(DEFAULT_CORPUS))
    parser.add_argument("--labels", default=str(DEFAULT_LABELS))
    parser.add_argument("--show", action="store_true", help="list every miss and extra")
    parser.add_argument("--min-precision", type=float, default=0.0)
    parser.add_argument("--min-recall", type=float, default=0.0)
    args = parser.parse_args(argv)
    corpus, labels = Path(args.corpus), Path(args.labels)
    if not (corpus / "data").is_dir() or not labels.is_file():
        print(f"need {corpus}/data and {labels}", file=sys.stderr)
        return 2
    result = score(corpus, labels, show=args.show)
    print(
        f"pages={result['pages']} ({result['pages_per_s']} pages/s)  "
        f"relevance P={result['relevance_precision']:.3f} R={result['relevance_recall']:.3f}"
    )
    print(
        f"figures: precision={result['precision']:.3f} recall={result['recall']:.3f} "
        f"(tp={result['tp']} fp={result['fp']} fn={result['fn']})  "
        f"scope={result['scope_accuracy']:.3f} qualifier={result['qualifier_accuracy']:.3f}"
    )
    print(
        f"off-topic figures per 1,000 random pages: {result['off_topic_per_1000_random_pages']} "
        f"({result['random_pages']} pages)"
    )
    ok = result["precision"] >= args.min_precision and result["recall"] >= args.min_recall
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
