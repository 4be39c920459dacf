"""What the pipeline publishes from one text: the programme's figures and named places.

``extract_programme(text)`` is the one entry point shared by the ``extract`` stage of the
pipeline and the ``smartcity extract`` command: relevance first (:mod:`.relevance`), then figures
(:mod:`.figures`) and named lists (:mod:`.registry`) kept only where they stand in a passage about
the programme.  A text with no programme passage gives no figure and no entry, and costs almost
nothing (one regex search), which is what most government news pages are.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from smartcity.extract.figures import extract_figures
from smartcity.extract.registry import extract_registry
from smartcity.extract.relevance import Relevance, assess
from smartcity.records import Figure, RegistryEntry

__all__ = ["Extraction", "extract_programme"]


@dataclass(slots=True)
class Extraction:
    """The relevance verdict on one text and what may be published from it."""

    relevance: Relevance
    figures: list[Figure] = field(default_factory=list)
    registry: list[RegistryEntry] = field(default_factory=list)


def extract_programme(text: str) -> Extraction:
    """The programme's figures and named cities/zones in ``text``.

    Figures keep their offsets into ``text`` (``text[f.start:f.end] == f.evidence``).  Raises
    ``ValueError`` only for text longer than :func:`extract_figures` accepts.
    """
    relevance = assess(text)
    if not relevance.relevant:
        return Extraction(relevance)
    figures = [f for f in extract_figures(text) if relevance.covers(f.start)]
    registry = extract_registry(text, within=relevance.covers)
    return Extraction(relevance, figures, registry)
