"""How sure the extractor is that a figure is the programme's, by the statement that states it.

The relevance filter (:mod:`.relevance`) decides which *passages* of a page are about the
programme; a passage can be a whole numbered item or a paragraph window, and other topics' numbers
stand in it too.  The labelling policy asks more of a figure: the sentence or numbered item that
states it must itself be about the programme.  :func:`grade` checks that on the figure's own
*statement*: the line around the figure, back to the previous sentence end and on to the next one
(at most ``REACH`` characters either side), cut at a word that turns to another topic.

A figure is ``high`` confidence when its statement

* names the programme: a programme term (``anchors`` of ``lexicon.yaml``, outside the vetoes) or a
  word of the programme's own business (``support``: certification, promotion zones, the
  committee ...); for a count, a body that runs the programme (depa) names it too;
* or, on a page about the programme or in a numbered item about it, refers back to the
  programme's event or project (``back_references``: ภายในงาน, โครงการดังกล่าว, "the event" ...);
* or it is an item of a breakdown (it has a region) of a count that is ``high`` itself.

Money and participants are the programme's only with the programme or its event in their own
statement: a body alone (depa runs other schemes too) is not enough for them.  Every other figure
of a programme passage is ``low``: kept as a review candidate for a curator, never published as a
fact.  ``rule`` says which test decided, for audit.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from smartcity.extract.relevance import Relevance, lexicon, topic_window
from smartcity.extract.spans import span_test
from smartcity.records import Figure

__all__ = ["HIGH", "LOW", "REACH", "Grade", "grade"]

HIGH, LOW = "high", "low"
REACH = 220  # characters of a statement either side of its figure
COUNT_METRICS = frozenset(
    {"smart_city_count", "smart_city_province_count", "zone_count", "zone_province_count"})
# a sentence ends at . ! ? and a space (English) or at a line break; Thai runs of two spaces too
_STATEMENT_END = re.compile(r"[.!?](?=\s)|\n| {2,}")


@dataclass(frozen=True, slots=True)
class Grade:
    confidence: str  # high | low
    rule: str  # which test decided


class _Statements:
    """The statement around any span of one text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.ends = [m.start() for m in _STATEMENT_END.finditer(text)]
        lex = lexicon()
        self.vetoed = span_test((m.start(), m.end()) for m in lex.veto.finditer(text))

    def span(self, start: int, end: int) -> tuple[int, int]:
        i = bisect.bisect_left(self.ends, start)
        a = self.ends[i - 1] + 1 if i > 0 else 0
        j = bisect.bisect_left(self.ends, end)
        b = self.ends[j] if j < len(self.ends) else len(self.text)
        return topic_window(self.text, start, end, a, b, REACH)

    def names_programme(self, a: int, b: int) -> bool:
        lex = lexicon()
        if any(not self.vetoed(m.start()) for m in lex.anchor.finditer(self.text, a, b)):
            return True
        return lex.support.search(self.text, a, b) is not None


def grade(text: str, figures: list[Figure], relevance: Relevance) -> list[Grade]:
    """One :class:`Grade` per figure of ``text`` (in order), by its statement."""
    if not figures:
        return []
    lex = lexicon()
    statements = _Statements(text)
    about_page = any(p.rule in ("title", "body-on-programme-page") for p in relevance.passages)
    items = [(p.start, p.end) for p in relevance.passages if p.rule == "item"]
    grades: list[Grade] = []
    high_counts: set[str] = set()  # metrics of high counts without region, for breakdown items
    for f in figures:
        a, b = statements.span(f.start, f.end)
        in_item = any(i <= f.start < j for i, j in items)
        if statements.names_programme(a, b):
            g = Grade(HIGH, "statement names the programme")
        elif (about_page or in_item) and lex.back_reference.search(text, a, b):
            g = Grade(HIGH, "statement refers back to the programme's event or project")
        elif f.metric in COUNT_METRICS and lex.body.search(text, a, b):
            g = Grade(HIGH, "count in a statement naming a body of the programme")
        elif f.region is not None and f.metric in high_counts:
            g = Grade(HIGH, "breakdown item of a high-confidence count")
        elif f.metric in COUNT_METRICS:
            g = Grade(LOW, "count in a programme passage whose statement does not name the programme")
        else:
            g = Grade(LOW, "money or participants without the programme or its event in the statement")
        if g.confidence == HIGH and f.region is None:
            high_counts.add(f.metric)
        grades.append(g)
    return grades
