"""Hypothesis settings of the property tests: a bounded example budget (the whole folder runs in
well under a minute) and new inputs on every run, drawn from one seed per run (``FUZZ_SEED``:
random, or ``SMARTCITY_FUZZ_SEED`` to draw a failing run's inputs again).  A failing test prints the
seed next to Hypothesis's falsifying example; the example goes into the test as an ``@example``, so
it is tried on every run after.  ``bench/fuzz.py`` runs the same properties on >= 100,000 inputs.
No example database is written."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, settings

from tests.fuzz.support import FUZZ_SEED

# Every test here takes its budget from this profile (or a fraction of it, via settings(...)).
settings.register_profile(
    "smartcity-fuzz",
    max_examples=120,
    deadline=None,  # time is checked by the bound tests on adversarial text, not per example
    derandomize=False,  # new inputs every run; the seed is FUZZ_SEED (each test has @seed(FUZZ_SEED))
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
settings.load_profile("smartcity-fuzz")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Name the seed in the report of a failing fuzz test (Hypothesis prints the failing input)."""
    outcome = yield
    report = outcome.get_result()
    if report.failed and "tests/fuzz/" in item.nodeid.replace("\\", "/"):
        report.sections.append(("fuzz seed", f"this run's fuzz seed: {FUZZ_SEED}; draw its inputs again "
                                             f"with SMARTCITY_FUZZ_SEED={FUZZ_SEED}"))


def pytest_terminal_summary(terminalreporter):
    terminalreporter.write_line(
        f"fuzz seed: {FUZZ_SEED} (SMARTCITY_FUZZ_SEED={FUZZ_SEED} draws the same inputs)")
