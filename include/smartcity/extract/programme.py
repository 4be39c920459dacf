"""What the pipeline publishes from one text: the programme's figures and named places.

``extract_programme(text)`` is the one entry point shared by the ``extract`` stage of the
pipeline and the ``smartcity extract`` command: relevance first (:mod:`.relevance`), then figures
(:mod:`.figures`) and named lists (:mod:`.registry`) kept only where they stand in a passage about
the programme.  A text with no programme passage gives no figure and no entry, and costs almost
nothing (one regex search), which is what most government news pages are.

Each figure is graded (:mod:`.confidence`) by the statement that states it, and the mentions of
one fact are one row (:func:`one_row_per_fact`): ``figures`` holds the facts published as such
(``high``), ``candidates`` the ones a curator reviews (``low``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from smartcity.extract.confidence import HIGH, grade
from smartcity.extract.figures import extract_figures
from smartcity.extract.figures.classify import fact_key
from smartcity.extract.registry import extract_registry
from smartcity.extract.relevance import Relevance, assess
from smartcity.records import Figure, RegistryEntry

__all__ = ["Extraction", "extract_programme", "one_row_per_fact"]


@dataclass(slots=True)
class Extraction:
    """The relevance verdict on one text and what may be published from it."""

    relevance: Relevance
    figures: list[Figure] = field(default_factory=list)
    registry: list[RegistryEntry] = field(default_factory=list)
    candidates: list[Figure] = field(default_factory=list)  # low confidence: for review only


def extract_programme(text: str) -> Extraction:
    """The programme's figures and named cities/zones in ``text``.

    Figures keep their offsets into ``text`` (``text[f.start:f.end] == f.evidence``), each the
    statement that decided the row; ``mentions`` lists every statement of the fact.  Raises
    ``ValueError`` only for text longer than :func:`extract_figures` accepts.
    """
    relevance = assess(text)
    if not relevance.relevant:
        return Extraction(relevance)
    found = [f for f in extract_figures(text) if relevance.covers(f.start)]
    for f, g in zip(found, grade(text, found, relevance), strict=True):
        f.confidence, f.rule = g.confidence, g.rule
    title_end = text.find("\n")
    rows = one_row_per_fact(found, title_end=title_end if title_end >= 0 else len(text))
    registry = extract_registry(text, within=relevance.covers)
    return Extraction(
        relevance,
        [f for f in rows if f.confidence == HIGH],
        registry,
        [f for f in rows if f.confidence != HIGH],
    )


def one_row_per_fact(figures: list[Figure], title_end: int = 0) -> list[Figure]:
    """The mentions of one (metric, value, region) as one row, in order of first mention.

    The row is high confidence when any mention is, and then only the high mentions decide it.
    Its scope, qualifier and evidence are those of the most specific statement: one with a scope
    over one without, one with a qualifier (more than, about ...) over a plain number, a body
    sentence over the headline (before ``title_end``), then the first.  ``mentions`` keeps every
    statement's evidence and offsets.
    """
    groups: dict[tuple, list[Figure]] = {}
    for f in figures:
        groups.setdefault(fact_key(f.metric, f.value, f.region), []).append(f)
    rows = []
    for mentions in groups.values():
        deciding = [f for f in mentions if f.confidence == HIGH] or mentions
        best = max(
            deciding,
            key=lambda f: (f.scope is not None, f.qualifier != "exact", f.start >= title_end, -f.start),
        )
        best.mentions = json.dumps(
            [{"start": f.start, "end": f.end, "evidence": f.evidence} for f in mentions],
            ensure_ascii=False,
        )
        best.mention_count = len(mentions)
        rows.append(best)
    return rows
