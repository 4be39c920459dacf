"""Fuzz every text entry point with Hypothesis and time it on adversarial text.

For each target of ``tests/fuzz/properties.py`` (Thai dates, numbers, figure / registry / relevance
extraction, each site adapter's HTML parsing, the corpus reader, the CSV writer):

1. runs its property check on Hypothesis-generated inputs (generation only, no shrinking, no example
   database), catching every failure so that all of them are counted: a *crash* is an exception
   other than the target's documented typed ones, a *property failure* a broken property (an
   evidence span that is not the text at its offsets, a non-finite value, a broken CSV row ...);
2. times the target on adversarial texts (digits, commas, Thai multipliers, number words, list
   markers without end): the slowest of 3 texts x 5 kinds of 10 kB, and one text of each kind of
   1 MB, each 1 MB call in a child process killed after ``--timeout`` seconds.

Bounds: <= 50 ms per call on 10 kB, <= 2 s per call on 1 MB.  Prints a markdown table (pasted in
docs/robustness.md) and the first failing input of each kind of failure.  Asserts nothing.

Every run draws new inputs: the seed is random unless ``--seed`` names one, and it is printed
with the table and with every failing input, so ``--seed N`` with the same ``--inputs`` and
``--only`` draws that run's inputs again.  A failure found goes into ``tests/fuzz/`` as an
``@example``.

Usage: ``python bench/fuzz.py [--inputs 100000] [--seed N] [--timeout 30] [--no-timing] [--only NAME]``
"""

from __future__ import annotations

import argparse
import logging
import multiprocessing as mp
import random
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from hypothesis import seed as hypothesis_seed  # noqa: E402

from tests.fuzz.properties import (  # noqa: E402
    ADVERSARIAL_KINDS,
    BOUND_1MB_S,
    BOUND_10KB_MS,
    Target,
    adversarial,
    targets,
)

# Slow targets (HTML through lxml and, when selectors find nothing, trafilatura) get a smaller share.
WEIGHTS = {"sources.": 0.5, "publish.files": 0.5}


def _weight(name: str) -> float:
    return next((w for prefix, w in WEIGHTS.items() if name.startswith(prefix)), 1.0)


def fuzz(target: Target, n: int, fuzz_seed: int) -> dict:
    """Run ``target.check`` on ``n`` inputs generated from ``fuzz_seed``; return counts and the first
    failures."""
    out = {"inputs": 0, "crashes": 0, "property": 0, "first": {}, "max_ms": 0.0}

    @settings(max_examples=n, phases=[Phase.generate], database=None, deadline=None,
              suppress_health_check=list(HealthCheck))
    @hypothesis_seed(fuzz_seed)
    @given(target.strategy)
    def run(value):
        out["inputs"] += 1
        start = time.perf_counter()
        try:
            target.check(value)
        except AssertionError as exc:
            out["property"] += 1
            out["first"].setdefault(f"property: {str(exc)[:160]}", value)
        except Exception as exc:
            out["crashes"] += 1
            out["first"].setdefault(f"{type(exc).__name__}: {str(exc)[:160]}", value)
        out["max_ms"] = max(out["max_ms"], (time.perf_counter() - start) * 1000)

    run()
    return out


def _call(target_name: str, kind: str, size: int, queue) -> None:
    target = next(t for t in targets() if t.name == target_name)
    text = adversarial(size, 0, kind)
    start = time.perf_counter()
    try:
        target.timed(text)
        error = None
    except Exception as exc:
        error = f"{type(exc).__name__}: {str(exc)[:120]}"
    queue.put((time.perf_counter() - start, error))


def time_1mb(target: Target, kind: str, timeout: float) -> tuple[float | None, str | None]:
    """Seconds of one call on 1 MB of ``kind`` text in a child process; None if killed at ``timeout``."""
    ctx = mp.get_context("fork")
    queue = ctx.Queue()
    proc = ctx.Process(target=_call, args=(target.name, kind, 1_000_000, queue))
    proc.start()
    proc.join(timeout)
    if proc.is_alive():
        proc.kill()
        proc.join()
        return None, None
    return queue.get() if not queue.empty() else (None, f"child exited {proc.exitcode}")


def time_10kb(target: Target) -> tuple[float, str, str | None]:
    """Slowest call (ms) over 3 seeds x every adversarial kind of 10 kB, its kind, any error."""
    worst, worst_kind, error = 0.0, "", None
    for kind in ADVERSARIAL_KINDS:
        for seed in range(3):
            text = adversarial(10_000, seed, kind)
            start = time.perf_counter()
            try:
                target.timed(text)
            except Exception as exc:
                error = error or f"{kind}: {type(exc).__name__}: {str(exc)[:120]}"
            ms = (time.perf_counter() - start) * 1000
            if ms > worst:
                worst, worst_kind = ms, kind
    return worst, worst_kind, error


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--inputs", type=int, default=100_000, help="generated inputs in all (>= 100,000)")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds before a 1 MB call is killed")
    parser.add_argument("--no-timing", action="store_true", help="skip the adversarial timings")
    parser.add_argument("--only", help="run only targets whose name contains this")
    parser.add_argument("--seed", type=int, help="seed of the generated inputs (default: a new random one)")
    args = parser.parse_args()
    fuzz_seed = args.seed if args.seed is not None else random.SystemRandom().randrange(2**32)
    print(f"# seed {fuzz_seed}", file=sys.stderr, flush=True)
    logging.disable(logging.WARNING)  # adapters log every generic fallback
    warnings.simplefilter("ignore")

    chosen = [t for t in targets() if not args.only or args.only in t.name]
    total_weight = sum(_weight(t.name) for t in chosen)
    rows, failures = [], []
    started = time.perf_counter()
    for target in chosen:
        n = max(1, round(args.inputs * _weight(target.name) / total_weight))
        t0 = time.perf_counter()
        result = fuzz(target, n, fuzz_seed)
        fuzz_s = time.perf_counter() - t0
        ms10 = s1 = None
        kind10 = ""
        slow_1mb: list[str] = []
        if not args.no_timing and target.timed is not None:
            ms10, kind10, err = time_10kb(target)
            if err:
                failures.append((target.name, f"adversarial 10 kB: {err}", None))
            s1 = 0.0
            for kind in ADVERSARIAL_KINDS:
                secs, err = time_1mb(target, kind, args.timeout)
                if err:
                    failures.append((target.name, f"adversarial 1 MB {kind}: {err}", None))
                if secs is None:
                    slow_1mb.append(f"{kind} > {args.timeout:g} s (killed)")
                    s1 = None
                elif s1 is not None:
                    s1 = max(s1, secs)
                if secs is not None and secs > BOUND_1MB_S:
                    slow_1mb.append(f"{kind} {secs:.1f} s")
        for what, value in result["first"].items():
            failures.append((target.name, what, value))
        held = (result["crashes"] == 0 and result["property"] == 0
                and (ms10 is None or ms10 <= BOUND_10KB_MS) and not slow_1mb)
        rows.append((target.name, result["inputs"], result["crashes"], result["property"],
                     ms10, kind10, s1, slow_1mb, held, fuzz_s))
        print(f"# {target.name}: {result['inputs']:,} inputs in {fuzz_s:.0f} s", file=sys.stderr, flush=True)

    total_inputs = sum(r[1] for r in rows)
    only = (f" --only '{args.only}'" if args.only else "") + (" --no-timing" if args.no_timing else "")
    print(f"\n`.venv/bin/python bench/fuzz.py --inputs {args.inputs}{only} --seed {fuzz_seed}`: "
          f"{total_inputs:,} generated inputs, {time.perf_counter() - started:.0f} s; "
          f"bounds {BOUND_10KB_MS:g} ms per 10 kB call, "
          f"{BOUND_1MB_S:g} s per 1 MB call of adversarial text\n")
    print("| target | inputs | crashes | property failures | max ms, 10 kB | max s, 1 MB | held |")
    print("|---|---:|---:|---:|---:|---:|---|")
    for name, inputs, crashes, prop, ms10, kind10, s1, slow, held, _ in rows:
        ms_text = "-" if ms10 is None else f"{ms10:,.1f}" + (f" ({kind10})" if ms10 > BOUND_10KB_MS else "")
        s_text = "-" if ms10 is None else ("; ".join(slow) if slow else f"{s1:.2f}")
        print(f"| `{name}` | {inputs:,} | {crashes} | {prop} | {ms_text} | {s_text} | "
              f"{'yes' if held else '**no**'} |")
    print(f"| **all** | **{total_inputs:,}** | **{sum(r[2] for r in rows)}** | **{sum(r[3] for r in rows)}** "
          f"| | | |")
    if failures:
        print(f"\nFirst failing input of each kind (seed {fuzz_seed}):")
        for name, what, value in failures:
            shown = "" if value is None else f" <- {value!r}"[:300]
            print(f"- {name}: {what}{shown}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
