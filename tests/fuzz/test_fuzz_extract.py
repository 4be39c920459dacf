"""Property tests of extraction: figures, registry and relevance.

Properties: no exception, every figure's evidence is ``text[start:end]``, every registry
evidence a substring of the text, values finite and in their vocabularies; bounded time on
adversarial text.  Fuzzing found two quadratic scans here (a run of number words with no noun
after it; long list-like text in the registry); both are linear now and these tests keep them so.
"""

from __future__ import annotations

import pytest
from hypothesis import given, seed

from tests.fuzz.properties import (
    BOUND_10KB_MS,
    CI_SLACK,
    adversarial,
    check_figures,
    check_registry,
    check_relevance,
    texts,
    timed_call,
)
from tests.fuzz.support import FUZZ_SEED, best_seconds, finishes_within


@seed(FUZZ_SEED)
@given(texts)
def test_figures_evidence_is_the_text_at_its_offsets(text):
    check_figures(text)


@seed(FUZZ_SEED)
@given(texts)
def test_registry_evidence_is_in_the_text(text):
    check_registry(text)


@seed(FUZZ_SEED)
@given(texts)
def test_relevance_passages_and_programme_figures(text):
    check_relevance(text)


@pytest.mark.parametrize("kind", ["mixed", "digits", "multipliers", "lists", "runs"])
@pytest.mark.parametrize("target", ["extract.figures", "extract.registry", "extract.relevance"])
def test_extraction_on_10kb_of_adversarial_text(target, kind):
    call, text = timed_call(target), adversarial(10_000, 1, kind)
    assert best_seconds(lambda: call(text)) * 1000 <= BOUND_10KB_MS * CI_SLACK


@pytest.mark.parametrize("target", ["extract.registry", "extract.relevance"])
def test_extraction_on_10kb_of_number_words(target):
    call, text = timed_call(target), adversarial(10_000, 1, "words")
    assert best_seconds(lambda: call(text)) * 1000 <= BOUND_10KB_MS * CI_SLACK


@pytest.mark.parametrize("text", ["one " * 1000, "สาม" * 1300], ids=["english", "thai"])
def test_figures_on_a_run_of_number_words(text):
    call = timed_call("extract.figures")
    assert finishes_within(lambda: call(text), BOUND_10KB_MS * CI_SLACK / 1000)


def test_registry_on_300kb_of_list_markers_stays_linear():
    call, text = timed_call("extract.registry"), adversarial(300_000, 0, "lists")
    # linear from the 10 kB bound: 30 x 50 ms
    assert finishes_within(lambda: call(text), 30 * BOUND_10KB_MS * CI_SLACK / 1000)
