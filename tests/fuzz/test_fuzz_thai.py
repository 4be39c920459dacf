"""Property tests of the Thai text functions (smartcity.thai): dates, numbers, digits.

Properties: no exception at all (these functions document none), every span is the text at its
offsets, values finite; bounded time on adversarial text (tests/fuzz/properties.py).
"""

from __future__ import annotations

import pytest
from hypothesis import given, seed
from hypothesis import strategies as st

from tests.fuzz.properties import (
    ADVERSARIAL_KINDS,
    BOUND_1MB_S,
    BOUND_10KB_MS,
    CI_SLACK,
    adversarial,
    check_dates,
    check_numbers,
    texts,
    timed_call,
)
from tests.fuzz.support import FUZZ_SEED, best_seconds


@seed(FUZZ_SEED)
@given(texts, st.one_of(st.none(), st.integers(0, 3000)))
def test_dates_spans_are_the_text_as_written(text, default_year):
    check_dates(text, default_year)


@seed(FUZZ_SEED)
@given(texts)
def test_numbers_spans_and_values(text):
    check_numbers(text)


@pytest.mark.parametrize("kind", ADVERSARIAL_KINDS)
@pytest.mark.parametrize("target", ["thai.dates", "thai.numbers"])
def test_thai_functions_on_10kb_of_adversarial_text(target, kind):
    call, text = timed_call(target), adversarial(10_000, 1, kind)
    assert best_seconds(lambda: call(text)) * 1000 <= BOUND_10KB_MS * CI_SLACK


@pytest.mark.parametrize("target", ["thai.dates", "thai.numbers"])
def test_thai_functions_on_1mb_of_numbers_and_multipliers_without_end(target):
    call, text = timed_call(target), adversarial(1_000_000, 1, "multipliers")
    assert best_seconds(lambda: call(text), repeat=2) <= BOUND_1MB_S * CI_SLACK
