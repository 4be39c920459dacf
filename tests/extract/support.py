"""What the figure tests share: extraction reduced to comparable tuples, evidence checked."""

from __future__ import annotations

from smartcity.extract.figures import extract_figures


def figure_tuples(text: str) -> list[tuple]:
    """``(metric, value, scope, qualifier, region)`` of each figure in ``text``; asserts the
    evidence contract (``text[start:end] == evidence``) on every one."""
    out = extract_figures(text)
    for f in out:
        assert text[f.start : f.end] == f.evidence
    return [(f.metric, f.value, f.scope, f.qualifier, f.region) for f in out]
