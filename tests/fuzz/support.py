"""The fuzz tests' seed and the timing helpers of their bound tests."""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable

# One seed per test run, so every run draws new inputs; SMARTCITY_FUZZ_SEED names one to draw a
# failing run's inputs again (a failing fuzz test prints it: tests/fuzz/conftest.py).
FUZZ_SEED = int(os.environ.get("SMARTCITY_FUZZ_SEED") or random.SystemRandom().randrange(2**32))


def best_seconds(call: Callable[[], object], repeat: int = 3) -> float:
    """The fastest of ``repeat`` runs of ``call``, in seconds (the least disturbed by other load)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        best = min(best, time.perf_counter() - start)
    return best


def finishes_within(call: Callable[[], object], limit_s: float) -> bool:
    """Whether ``call()`` returns within ``limit_s`` seconds; run in a forked child that is killed
    at the limit, so a super-linear case costs the test ``limit_s``, not minutes."""
    import multiprocessing as mp

    ctx = mp.get_context("fork")
    proc = ctx.Process(target=call)
    proc.start()
    proc.join(limit_s)
    if proc.is_alive():
        proc.kill()
        proc.join()
        return False
    return proc.exitcode == 0
