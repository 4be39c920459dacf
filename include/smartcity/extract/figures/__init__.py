"""Figures stated in a Thai or English article about Thailand's smart-city programme.

``extract_figures(text)`` returns one :class:`smartcity.records.Figure` per figure a reader
would quote: how many certified smart cities (and in how many provinces), how many smart city
promotion zones (and provinces), how much money, how many participants; each with its scope,
qualifier, region (for a breakdown) and the exact evidence span.  It sees every passage of the
text; :func:`smartcity.extract.programme.extract_programme` keeps only the figures of passages
about the programme (:mod:`smartcity.extract.relevance`).

How it works (general rules, no article-specific cases), one module per stage:

1. :mod:`.candidates`: one pass of precompiled patterns finds every number that has a counted
   noun, a currency or a large multiplier (numbers are read with :mod:`smartcity.thai.numbers`);
   other numbers (dates, years, times, percentages) never leave the regex engine.  Numbers inside
   noise spans (phone numbers, page counters, URLs, e-mails) are dropped.
2. :mod:`.candidates` (the noun, :data:`.vocabulary.UNIT_KIND`): the *counted noun* right after
   the number decides the kind of count: ``เมือง``/cities, ``จังหวัด``/provinces,
   ``เขต``/``พื้นที่``/``แห่ง``/zones/areas, ``ราย``/``คน``/``ท่าน``/people/participants; a baht
   currency makes an amount.  A number with no such noun (a year, a date, a list ordinal, a
   postcode) is never a figure.
3. :mod:`.segment`: the *clause* before the number is the text back to the previous counted
   number, a line break, or an English sentence end (at most ``WINDOW`` characters).  Thai puts
   no spaces between words, so the clause is found by these markers, not by spaces.
4. :mod:`.topic` (and :mod:`.links`, :mod:`.classify`): topic words in the clause (and, in
   English, in the noun phrase after the number) decide the metric:
   ``เขตส่งเสริมเมืองอัจฉริยะ``/promotion zone -> zones, ``เมืองอัจฉริยะ``/smart city -> certified
   cities; a province count linked to a city/zone count (``36 เมืองจาก 25 จังหวัด``, ``36 smart
   cities in 25 provinces``) follows that count.  Participation words (``เข้าร่วม``,
   participants) make a participant count; tourism words veto it.
5. :mod:`.topic` (``region_before``): a region label or province right before a number
   (``ภาคเหนือตอนบน 27 เมือง``) makes a breakdown item: it takes its metric and scope from the
   count it breaks down.
6. :mod:`.scope` and :mod:`.qualifier`: scope comes from the cue word nearest before the number
   in the clause (``ทั้งสิ้น``/in total -> total, ``เพิ่ม``/``ประกาศ``/announced -> new,
   ``คาด``/``เป้าหมาย``/``จะ``/expected -> target); an expected outcome carries over to the next
   figure of the same sentence, a standing total to a count joined to it by ``และมี``/"and there
   are"; participants of an event yet to be held are a target; a count stated as a renewal
   anywhere in the text has no scope wherever it is repeated.  Words right after the noun refine
   it (``10 เมืองอัจฉริยะใหม่``/"10 new smart cities" -> new, ``ภายในปี 2570``/"by 2027" -> target,
   "so far" -> total).  The qualifier comes from the words right before (or ``กว่า`` right after)
   the number.
7. :mod:`.classify` and :mod:`.links`: precision first: a range (``5-7 เมือง``) or an earlier
   value ("up from 30 last year", ``จากเดิม 36 เมือง``) gives no figure; a count with only linking
   words after a count of the same noun continues it (``10 เมืองอัจฉริยะใหม่ รวมเป็น 46 เมือง``,
   "bringing the total to 51"); a baht sum under one million needs a budget/investment/value
   word, and per-head or per-unit prices, prizes and foreign currencies are never programme
   money.

The cue words of every rule are data in :mod:`.vocabulary`.  The state carried from one
candidate to the next (the previous candidate, the count a breakdown refers to, the last figure)
is :class:`.classify.Context`.
"""

from __future__ import annotations

from smartcity.extract.figures.candidates import find_candidates, prepare
from smartcity.extract.figures.classify import Context, Doc, classify_candidate, fact_key
from smartcity.extract.figures.segment import clause_start, sentence_ends
from smartcity.records import Figure

__all__ = ["extract_figures"]

_MAX_TEXT = 20_000_000  # refuse to work on more than this (characters)


def extract_figures(text: str) -> list[Figure]:
    """The figures stated in ``text`` (Thai, English or mixed), in order of appearance.

    Returns :class:`Figure` records with metric, value, unit, scope, qualifier, region,
    evidence, start and end filled (``text[start:end] == evidence``); figure_id, source,
    source_url and published are left for the pipeline.  Empty or number-free text gives [].
    Raises ``ValueError`` for text longer than 20 million characters.
    """
    if not text:
        return []
    if len(text) > _MAX_TEXT:
        raise ValueError(f"text too long to extract figures from: {len(text)} characters")
    # Cue words are looked for in ``low`` (lower-cased, Thai digits as Arabic, same offsets) with
    # case-sensitive patterns: several times faster than IGNORECASE patterns over ``text``.
    low = prepare(text)
    ends = sentence_ends(text)
    ctx = Context(Doc(low))
    figures: list[Figure] = []
    for hit in find_candidates(text, low):
        if hit.kind is None:
            continue
        lo = clause_start(ends, hit.num.start, ctx.clause_floor())
        fig = classify_candidate(text, low, hit, lo, ctx)
        if fig is not None:
            figures.append(fig)
        ctx.advance(text, hit, fig, lo)
    if ctx.renewed:
        # A count the text states as a renewal is one wherever it is repeated (a headline
        # repeating the body is the same figure): no scope (LABELLING.md).
        for f in figures:
            if fact_key(f.metric, f.value, f.region) in ctx.renewed:
                f.scope = None
    return figures
