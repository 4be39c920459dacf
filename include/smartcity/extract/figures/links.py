"""Counts that refer to an earlier count: a province count of a city count, a second count of the
same noun, "N more", the parts of a count split into kinds.

Each rule takes the state carried across candidates (the previous candidate ``prev``, the last
figure ``last_fig``) and returns the earlier figure this one follows, or None.
"""

from __future__ import annotations

from smartcity.extract.figures.candidates import Candidate
from smartcity.extract.figures.segment import SENTENCE_END_EN
from smartcity.extract.figures.vocabulary import (
    CONTINUE_GAP,
    COUNT_METRIC,
    LINK,
    MORE_OF_THE_SAME,
    SPLIT_INTO,
)
from smartcity.records import Figure

__all__ = ["continued", "linked_count", "more_of_the_same", "split_part"]


def linked_count(low: str, hit: Candidate, prev: Candidate | None) -> Figure | None:
    """The city/zone count a province count belongs to (``36 เมืองจาก 25 จังหวัด``), if any."""
    if prev is None or prev.figure is None:
        return None
    if prev.figure.metric not in ("smart_city_count", "zone_count"):
        return None
    gap = low[prev.unit_end : hit.num.start]
    return prev.figure if LINK.match(gap) else None


def continued(text: str, low: str, hit: Candidate, prev: Candidate | None, lo: int) -> Figure | None:
    """The city/zone count that ``hit`` continues (same noun, only linking words between), if any.

    ``lo`` is where the clause before ``hit`` starts.
    """
    if prev is None or prev.figure is None or prev.figure.region is not None:
        return None
    if prev.figure.metric not in ("smart_city_count", "zone_count"):
        return None
    if hit.kind != "same" and prev.kind != hit.kind:
        return None
    gap = low[prev.unit_end : hit.num.start]
    if hit.kind == "same":
        # "bringing the total to 51" points back by itself: any gap within the sentence will do.
        ok = len(gap) <= 160 and not SENTENCE_END_EN.search(text, prev.unit_end, hit.num.start)
        return prev.figure if ok else None
    if len(gap) > 60 or prev.unit_end < lo - 1:
        return None
    return prev.figure if CONTINUE_GAP.match(gap) else None


def more_of_the_same(text: str, head: str, hit: Candidate, last_fig: Figure | None) -> Figure | None:
    """The city/zone count of this sentence that ``hit`` carries on ("... 36 แห่ง และมีแผนพัฒนาเพิ่มเป็น
    105 เมือง", "36 smart cities ... 15 more cities"): the clause ends (``head``) with a
    more-of-the-same word and the last figure, a city or zone count without region, stands earlier
    on the same line."""
    if last_fig is None or last_fig.metric not in COUNT_METRIC or last_fig.region:
        return None
    if hit.kind not in ("city", "area", "place", "zone") or not MORE_OF_THE_SAME.search(head):
        return None
    gap = text[last_fig.end : hit.num.start]
    return last_fig if "\n" not in gap and len(gap) <= 200 else None


def split_part(text: str, hit: Candidate, last_fig: Figure | None) -> Figure | None:
    """The count that ``hit`` is a part of, when a count was announced as split into parts a few
    lines before ("15 เมือง แบ่งเป็น 2 ประเภท ดังนี้ 1.1 ... 13 เมือง 1.2 ... 2 เมือง"); the parts take
    the metric of the last count before them."""
    if last_fig is None or last_fig.metric not in COUNT_METRIC or last_fig.region:
        return None
    if hit.kind not in ("city", "area", "place", "zone"):
        return None
    lo = max(0, hit.num.start - 400)
    if last_fig.end < lo or text.count("\n", lo, hit.num.start) > 6:
        return None
    split = SPLIT_INTO.search(text, max(lo, last_fig.start), hit.num.start)
    if split is None:
        split = SPLIT_INTO.search(text, lo, last_fig.start)  # a part after the first part
    return last_fig if split is not None else None
