"""Segmenting the text around a number: sentence and line ends, the clause before a number, and
where a figure's evidence starts.

Thai puts no spaces between words and few full stops, so a clause is found by markers: the
previous counted number, a line break, or an English sentence end, at most :data:`WINDOW`
characters back.
"""

from __future__ import annotations

import bisect
import re

__all__ = ["SENTENCE_END_EN", "STOP_AND_SPACE", "WINDOW", "clause_start", "evidence_start", "sentence_ends"]

WINDOW = 160  # characters of clause looked at before a number

# An English sentence ends at . ! ? before a capital, but not after a title or an initial.
# The punctuation comes first so that ``re`` scans quickly to the next candidate end.
_STOP_END = (
    r"[.!?](?<!\bMr.)(?<!\bMs.)(?<!\bDr.)(?<!Mrs.)(?<!\bNo.)(?<!\bSt.)(?<!\bvs.)(?<!\b[A-Z].)"
    r"(?=\s+[A-Z\"“])"
)
# A line break ends a sentence, except a soft wrap inside an English sentence ("more than\n300").
_LINE_END = r"[\n\r](?:(?<![a-z,;][\n\r])|(?![a-z0-9]))"
SENTENCE_END_EN = re.compile(f"{_STOP_END}|{_LINE_END}")
_STOP_END_RE = re.compile(_STOP_END)
_LINE_END_RE = re.compile(_LINE_END)
# A full stop and a space: a sentence ends here (used where a figure must stay in one sentence).
STOP_AND_SPACE = re.compile(r"[.!?]\s")


def sentence_ends(text: str) -> list[int]:
    """Sorted offsets where a sentence or line of ``text`` ends (two scans: each is a fast skip)."""
    ends = [m.end() for m in _STOP_END_RE.finditer(text)]
    lines = [m.end() for m in _LINE_END_RE.finditer(text)]
    if not ends:
        return lines
    ends.extend(lines)
    ends.sort()
    return ends


def clause_start(sentence_ends: list[int], pos: int, prev_end: int) -> int:
    """Start of the clause that ends at ``pos``: after the previous counted number or sentence end.

    ``sentence_ends`` is the sorted list of offsets where a sentence (or line) ends in the text.
    """
    lo = max(prev_end, pos - WINDOW, 0)
    i = bisect.bisect_right(sentence_ends, pos) - 1
    if i >= 0 and sentence_ends[i] > lo:
        return sentence_ends[i]
    return lo


def evidence_start(text: str, lo: int, anchor: int) -> int:
    """Where the evidence for a figure starts: the start of the word run holding ``anchor``.

    Thai runs can be long: stay within 60 characters of the anchor.
    """
    s = anchor
    floor = max(lo, anchor - 60)
    while s > floor and not text[s - 1].isspace():
        s -= 1
    while s < anchor and text[s].isspace():
        s += 1
    return s
