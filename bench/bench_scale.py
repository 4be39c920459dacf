"""The pipeline's non-CKAN stages at 1x, 10x and 30x the development corpus.

Replicates the text files of ``../shared/corpus/thaigov-v2`` (2,243 real thaigov pages) k times into
a temporary corpus checkout, each copy under its own folder and with its own page ids (the
``ที่มา`` URL of copy c gets id + c * 10,000,000; a file without one is keyed by its new path), so
nothing is deduplicated away.  Then runs the pipeline's own stages on it, each in a child process
(``smartcity.pipeline.crawl/parse/extract/reconcile/validate``, the functions the Airflow tasks
call, with a ``site: thaigov_corpus`` source), and prints per stage the wall time and the peak
memory (max RSS of that child, from ``os.wait4``).

Prints the cost ratio 10x/1x (target <= 10.5) of parse + extract + reconcile + validate, a no-change
re-run at each size (crawl sees nothing new; parse -> validate are served by the stage cache,
``smartcity.stage_cache``, and the re-run's datasets are checked byte for byte against the first
run's; ``SMARTCITY_STAGE_CACHE=0`` measures the rebuild from the archive instead), and
an estimate for the ~63,000-page five-year archive from the marginal cost per page between 10x and
30x (target <= 10 minutes on 2 cores; the stages run in one process, so the second core is idle).

Without ``../shared`` (a user's clone) it says so and exits 0.

Usage: ``python bench/bench_scale.py [--corpus DIR] [--factors 1,10,30] [--keep DIR] [--snapshot]``
(``--factors 1,10`` for the 1x and 10x sizes only).  ``--snapshot`` runs the stages on a copy of
``include/`` and ``expectations/`` taken at the start: in a checkout others edit meanwhile, a changed
source file changes the stage cache's code version and turns the re-run's hits into misses.
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "thaigov-v2"
ARCHIVE_PAGES = 63_000  # the five-year thaigov archive the pipeline is sized for
TARGET_RATIO = 10.5
TARGET_ARCHIVE_S = 600
_SOURCE_URL = re.compile(r"(ที่มา\s*:\s*https?://\S*/details/)(\d+)(\s*)$")
STAGES = ("crawl", "parse", "extract", "reconcile", "validate")
DATASET_FILES = ("articles.jsonl", "events.jsonl", "figures.jsonl", "registry.jsonl", "totals.jsonl",
                 "pages.jsonl", "checks.jsonl", "quarantine.jsonl")
COUNTED = ("parse", "extract", "reconcile", "validate")  # the stages the 10x/1x ratio is about

# One stage in a child process: what the Airflow task of that stage calls.
_CHILD = """
import json, logging, sys
from pathlib import Path
logging.basicConfig(level=logging.WARNING)
logging.getLogger("smartcity.pipeline").setLevel(logging.INFO)  # its "stage cache hit" lines
from smartcity import pipeline
stage, directory, sources = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
if stage == "crawl":
    out = pipeline.crawl(directory, sources_file=sources)
elif stage == "validate":
    out = {d: pipeline.validate(directory, d)["success"] for d in pipeline.DATASETS}
else:
    out = getattr(pipeline, stage)(directory)
print(json.dumps(out, default=str))
"""


def replicate(corpus: Path, target: Path, copies: int) -> int:
    """Write ``copies`` copies of every page of ``corpus`` under ``target/data/copyNN/``; returns pages."""
    files = sorted((corpus / "data").rglob("*.txt"))
    for c in range(copies):
        for src in files:
            rel = src.relative_to(corpus / "data")
            dst = target / "data" / f"copy{c:02d}" / rel
            dst.parent.mkdir(parents=True, exist_ok=True)
            if c == 0:
                shutil.copyfile(src, dst)
                continue
            text = src.read_text(encoding="utf-8")
            lines = text.rstrip("\n").split("\n")
            m = _SOURCE_URL.search(lines[-1]) if lines else None
            if m:
                lines[-1] = f"{lines[-1][:m.start()]}{m[1]}{int(m[2]) + c * 10_000_000}{m[3]}"
                text = "\n".join(lines) + "\n"
            dst.write_text(text, encoding="utf-8")
    return len(files) * copies


def run_stage(stage: str, run_dir: Path, sources: Path, data_dir: Path) -> tuple[float, float, dict, int]:
    """(seconds, peak RSS in MB, the stage's counts, stage cache hits) of one stage in a child process."""
    env = {**os.environ, "SMARTCITY_DATA_DIR": str(data_dir)}
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-c", _CHILD, stage, str(run_dir), str(sources)],
                                stdout=out, stderr=err, env=env, cwd=ROOT)
        # wait4 gives this child's own resource usage (getrusage(RUSAGE_CHILDREN) is a running max)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            err.seek(0)
            raise SystemExit(f"stage {stage} failed:\n{err.read().decode(errors='replace')[-3000:]}")
        out.seek(0)
        counts = json.loads(out.read().decode().strip().splitlines()[-1])
        err.seek(0)
        hits = err.read().decode(errors="replace").count("(stage cache hit ")
    return seconds, usage.ru_maxrss / 1024, counts, hits  # ru_maxrss is in KB on Linux


def run_all(run_dir: Path, sources: Path, data_dir: Path) -> dict[str, tuple[float, float, dict, int]]:
    """Every stage in order, each in its own process; ``{stage: (seconds, peak MB, counts, hits)}``."""
    run_dir.mkdir(parents=True, exist_ok=True)
    return {stage: run_stage(stage, run_dir, sources, data_dir) for stage in STAGES}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--factors", default="1,10,30")
    parser.add_argument("--keep", type=Path, help="work here and keep the files (default: a temp dir)")
    parser.add_argument("--snapshot", action="store_true",
                        help="run the stages on a copy of include/ and expectations/ taken now")
    args = parser.parse_args()
    if not (args.corpus / "data").is_dir():
        print(f"no corpus at {args.corpus} (../shared is not in a user's clone): nothing to measure")
        return 0
    factors = [int(f) for f in args.factors.split(",")]
    work = args.keep or Path(tempfile.mkdtemp(prefix="bench_scale_"))
    results: dict[int, dict] = {}
    reruns: dict[int, dict] = {}
    identical: dict[int, bool] = {}
    pages: dict[int, int] = {}
    try:
        if args.snapshot:
            for name in ("include", "expectations"):
                shutil.copytree(ROOT / name, work / "code" / name, dirs_exist_ok=True,
                                ignore=shutil.ignore_patterns("__pycache__"))
            # before the editable install on the children's sys.path; settings.REPO_ROOT follows
            os.environ["PYTHONPATH"] = os.pathsep.join(
                p for p in (str(work / "code" / "include"), os.environ.get("PYTHONPATH")) if p)
        for k in factors:
            base = work / f"x{k}"
            shutil.rmtree(base, ignore_errors=True)
            t0 = time.perf_counter()
            pages[k] = replicate(args.corpus, base / "corpus", k)
            print(f"# {k}x: {pages[k]:,} pages replicated in {time.perf_counter() - t0:.0f} s",
                  file=sys.stderr, flush=True)
            sources = base / "sources.yaml"
            sources.write_text(f"sources:\n  - site: thaigov_corpus\n    path: {base / 'corpus'}\n",
                               encoding="utf-8")
            results[k] = run_all(base / "run", sources, base / "data")
            print(f"# {k}x: " + ", ".join(f"{s} {v[0]:.1f} s" for s, v in results[k].items()),
                  file=sys.stderr, flush=True)
            reruns[k] = run_all(base / "rerun", sources, base / "data")
            identical[k] = all(filecmp.cmp(base / "run" / f, base / "rerun" / f, shallow=False)
                               for f in DATASET_FILES)  # in chunks: this process stays small
            print(f"# {k}x no-change re-run: " + ", ".join(f"{s} {v[0]:.1f} s" for s, v in reruns[k].items()),
                  file=sys.stderr, flush=True)
            shutil.rmtree(base / "corpus", ignore_errors=True)
            shutil.rmtree(base / "data" / "archive", ignore_errors=True)
            shutil.rmtree(base / "data" / "cache", ignore_errors=True)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)

    def counted(res: dict) -> float:
        return sum(res[s][0] for s in COUNTED)

    def total(res: dict) -> float:
        return sum(v[0] for v in res.values())

    command = " ".join(["bench/bench_scale.py", *sys.argv[1:]])
    print(f"\n`.venv/bin/python {command}` (thaigov-v2 development corpus replicated with new ids; "
          "each stage in its own process; time = wall seconds, memory = peak RSS of the stage's process)\n")
    print("| corpus | pages | " + " | ".join(f"{s} s / MB" for s in STAGES)
          + " | parse→validate s | all stages s | pages/s |")
    print("|---|---:|" + "---:|" * len(STAGES) + "---:|---:|---:|")
    for k in factors:
        res = results[k]
        cells = " | ".join(f"{res[s][0]:.1f} / {res[s][1]:,.0f}" for s in STAGES)
        print(f"| {k}x | {pages[k]:,} | {cells} | {counted(res):.1f} | {total(res):.1f} | "
              f"{pages[k] / total(res):,.0f} |")
    for k, res in reruns.items():
        cells = " | ".join(f"{res[s][0]:.1f} / {res[s][1]:,.0f}" for s in STAGES)
        print(f"| {k}x no-change re-run | {pages[k]:,} | {cells} | {counted(res):.1f} | {total(res):.1f} "
              f"({total(res) / total(results[k]):.1%} of the first run) | |")
    off = os.environ.get("SMARTCITY_STAGE_CACHE", "1").strip().lower() in ("0", "false", "no", "off")
    for k, res in reruns.items():
        crawl_counts = res["crawl"][2]
        hits = sum(v[3] for v in res.values())
        first = total(results[k])
        cache = ("stage cache off (SMARTCITY_STAGE_CACHE=0): parse→validate rebuilt from the archive" if off
                 else f"{hits} of 8 stage runs (parse, extract, reconcile, 5 validations) were cache hits")
        same = "byte-identical to" if identical[k] else "DIFFERENT from"
        print(f"\nNo-change re-run at {k}x: crawl read {crawl_counts.get('read', '?')} files "
              f"(unchanged {crawl_counts.get('unchanged', '?'):,}); {cache}; the re-run took "
              f"{total(res):.1f} s = {total(res) / first:.1%} of the first run's {first:.1f} s "
              f"(target <= 10 %); its datasets are {same} the first run's.")
    lines = []
    if 1 in results and 10 in results:
        ratio = counted(results[10]) / counted(results[1])
        ratio_all = total(results[10]) / total(results[1])
        lines.append(f"| cost ratio 10x/1x, parse→validate | {ratio:.2f} (target <= {TARGET_RATIO}) |")
        lines.append(f"| cost ratio 10x/1x, all stages incl. crawl | {ratio_all:.2f} |")
    big = [k for k in factors if k >= 10]
    if len(big) >= 2:
        lo, hi = big[-2], big[-1]
        per_page = (total(results[hi]) - total(results[lo])) / (pages[hi] - pages[lo])
        fixed = max(0.0, total(results[lo]) - per_page * pages[lo])
        estimate = fixed + per_page * ARCHIVE_PAGES
        peak = max(v[1] for v in results[hi].values())
        lines.append(f"| marginal cost per page ({lo}x→{hi}x), all stages | {per_page * 1000:.2f} ms |")
        lines.append(f"| estimate for the {ARCHIVE_PAGES:,}-page archive, all stages | {estimate:.0f} s = "
                     f"{estimate / 60:.1f} min (target <= {TARGET_ARCHIVE_S // 60} min on 2 cores) |")
        lines.append(f"| peak memory of a stage at {hi}x ({pages[hi]:,} pages) | {peak:,.0f} MB |")
    if lines:
        print("\n| figure | value |\n|---|---|")
        print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
