"""The qualifier of a number (``exact``, ``more_than``, ``at_least``, ``up_to``, ``approx``) and
where its words start; the phrases themselves are :mod:`smartcity.thai.numbers`' qualifiers."""

from __future__ import annotations

import re

from smartcity.thai.numbers import NumberMatch, qualifier_after, qualifier_before

__all__ = ["find_qualifier"]

# The qualifier phrase ending right before a number: its last word, and a word in front of it.
_QUALIFIER_WORDS = re.compile(
    r"(?:(?:more|less|fewer|at|up|many|no|not|close|excess|upwards|an|a|maximum|minimum)\s+)?\S+\s*$"
)


def find_qualifier(text: str, low: str, n: NumberMatch, lo: int) -> tuple[str, int]:
    """(qualifier, where the qualifier word starts) for number ``n``; ``exact`` if none.

    ``low`` is ``text`` lower-cased (same offsets); ``lo`` is where the clause before ``n`` starts.
    """
    before = low[max(lo, n.start - 40) : n.start]
    q = qualifier_before(before)
    if q is not None:
        # The last run of non-spaces is at most 40 characters: search only the tail of ``before``.
        m = _QUALIFIER_WORDS.search(before)
        qstart = n.start - len(before) + (m.start() if m else len(before))
        return q, qstart
    after = qualifier_after(text[n.num_end : n.num_end + 8])
    return (after or "exact"), n.start
