"""Membership of a position in a set of character spans, by bisection (shared by the extractors)."""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable

__all__ = ["span_test"]


def span_test(spans: Iterable[tuple[int, int]]) -> Callable[[int], bool]:
    """A test of whether a position falls in one of ``spans`` (``[start, end)`` pairs).

    The spans are merged once and each test is a bisection: scanning every span per position is
    quadratic on long texts (fuzzing found it in the registry).
    """
    merged: list[list[int]] = []
    for a, b in sorted(spans):
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    starts = [a for a, _ in merged]

    def inside(pos: int) -> bool:
        i = bisect.bisect_right(starts, pos) - 1
        return i >= 0 and pos < merged[i][1]

    return inside
