"""Hypothesis settings of the property tests: a small, derandomised example budget (the whole folder
runs in well under 30 s and gives the same examples every run, so CI is stable); ``bench/fuzz.py``
runs the same properties on >= 100,000 random inputs.  No example database is written."""

from __future__ import annotations

from hypothesis import HealthCheck, settings

# Every test here takes its budget from this profile (or a fraction of it, via settings(...)).
settings.register_profile(
    "smartcity-fuzz",
    max_examples=120,
    deadline=None,  # time is checked by the bound tests on adversarial text, not per example
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
settings.load_profile("smartcity-fuzz")
