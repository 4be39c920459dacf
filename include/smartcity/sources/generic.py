"""Generic main-text extraction (trafilatura), the fallback when a site's selectors find nothing.

Measured on Thai pages built from the seed texts it recovered the whole body (FACTS.md), but it
is ~20x slower than one XPath, so site selectors come first and this runs only when they fail.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import trafilatura

log = logging.getLogger(__name__)

# trafilatura logs a line per page it finds too short; that is our decision to report, not its.
logging.getLogger("trafilatura").setLevel(logging.WARNING)


@dataclass
class GenericText:
    """Title and main text found by the generic extractor."""

    title: str | None
    body: str


def extract_main_text(page) -> GenericText | None:
    """Main text of a page (an lxml tree, HTML text or bytes) by trafilatura; None if none found.

    Comments and tables of links are left out; precision is favoured so that navigation and
    footers (phone numbers, visitor counters) stay out of the body.
    """
    if not isinstance(page, str | bytes):
        import lxml.html

        page = lxml.html.tostring(page, encoding="unicode")
    document = trafilatura.bare_extraction(
        page, include_comments=False, favor_precision=True, with_metadata=True
    )
    if document is None or not getattr(document, "text", None):
        return None
    return GenericText(title=getattr(document, "title", None), body=document.text.strip())
