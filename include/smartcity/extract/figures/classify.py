"""The per-candidate decision: is this candidate a figure, and which (metric, scope, region,
evidence)?

The state carried from one candidate to the next is a :class:`Context`; the words around one
candidate are a :class:`Clause`.  One rule per kind of candidate (:data:`RULES`) decides the
metric and where the evidence starts; :func:`classify_candidate` then settles scope and qualifier, which
every kind shares.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

from smartcity.extract.figures.candidates import Candidate
from smartcity.extract.figures.links import continued, linked_count, more_of_the_same, split_part
from smartcity.extract.figures.qualifier import find_qualifier
from smartcity.extract.figures.scope import is_renewal, scope_after, scope_before
from smartcity.extract.figures.segment import STOP_AND_SPACE, evidence_start
from smartcity.extract.figures.topic import find_topic, region_before, topic_after
from smartcity.extract.figures.vocabulary import (
    CANDIDATE,
    CITY_NOT_COUNTED,
    COORDINATED,
    COUNT_METRIC,
    EVENT_TO_COME,
    FROM_BEFORE,
    MONEY_CUE,
    PARTICIPATION,
    PARTICIPATION_AFTER,
    PEOPLE_AFTER,
    PRICE,
    PRICE_AFTER,
    PRIOR_AFTER,
    PRIOR_VALUE,
    PROGRAMME_VERB,
    RANGE_BEFORE,
    SMALL_AMOUNT,
    TOPIC_VETO,
    TOURISM,
    ZONE_DOC,
    ZONE_PHRASE_PLAIN,
    last_match,
)
from smartcity.records import Figure

__all__ = ["RULES", "Clause", "Context", "Decision", "Doc", "classify_candidate", "fact_key"]


def fact_key(metric: str, value: float, region: str | None) -> tuple:
    """The key of one fact of an article: each (metric, value, region) counts once."""
    return metric, round(value, 4), region


class Doc:
    """Per-text facts worked out at most once, and only when a rule needs them."""

    __slots__ = ("_zone_doc", "text")

    def __init__(self, text: str) -> None:
        self.text = text  # lower-cased
        self._zone_doc: bool | None = None

    def zone_doc(self) -> bool:
        """Whether the text speaks of smart city promotion zones anywhere."""
        if self._zone_doc is None:
            self._zone_doc = ZONE_DOC.search(self.text) is not None
        return self._zone_doc


@dataclass(slots=True)
class Context:
    """What the classifier carries from one candidate to the next, in one text.

    ``prev`` is the previous candidate with a noun (the clause of the next one starts after it),
    ``parent`` the last city/zone count without region (what a breakdown item refers to),
    ``last_fig`` the last figure, ``doc`` the per-text facts, ``renewed`` the facts (metric,
    value, region) the text states as renewals of the label.
    """

    doc: Doc
    prev: Candidate | None = None
    parent: Figure | None = None
    last_fig: Figure | None = None
    renewed: set[tuple] = field(default_factory=set)

    def clause_floor(self) -> int:
        """Where the clause of the next candidate may start at the earliest: after ``prev``."""
        return self.prev.unit_end if self.prev is not None else 0

    def advance(self, text: str, hit: Candidate, fig: Figure | None, lo: int) -> None:
        """Carry the state on past ``hit`` (classified as ``fig``, its clause starting at ``lo``)."""
        self.prev = hit
        if fig is not None:
            hit.figure = fig
            self.last_fig = fig
            if fig.metric in ("smart_city_count", "zone_count") and fig.region is None:
                self.parent = fig
        if self.parent is not None and self.parent.end < lo and "\n\n" in text[lo : hit.num.start]:
            self.parent = None  # a new paragraph: breakdowns refer to counts in their own paragraph


@dataclass(slots=True)
class Clause:
    """The words around one candidate: ``before`` is the clause before the number (lower-cased,
    from ``lo``), ``head`` its last 30 characters, ``after`` the 40 characters after the noun,
    ``qstart`` where the qualifier (or the number) starts."""

    text: str
    low: str
    hit: Candidate
    lo: int
    before: str
    head: str
    after: str
    qstart: int


class Decision(NamedTuple):
    """What a rule decided: the metric, where the evidence is anchored, the region of a breakdown
    item, and the figure whose scope this one inherits."""

    metric: str
    anchor: int
    region: str | None = None
    inherit_from: Figure | None = None


def _money(c: Clause, ctx: Context) -> Decision | None:
    """Baht (``money``) or a bare ``N ล้าน`` (``bare_millions``, money when the clause says so)."""
    n = c.hit.num
    if c.hit.kind == "bare_millions":
        if PEOPLE_AFTER.match(c.low, n.end, n.end + 10):
            return None
        if not MONEY_CUE.search(c.before):
            return None
    if PRICE.search(c.low[max(c.lo, c.qstart - 30) : c.qstart]) or PRICE_AFTER.search(c.after):
        return None
    m = last_match(MONEY_CUE, c.before)
    if n.value < SMALL_AMOUNT and m is None:
        return None  # "ซื้อเสื้อ 500 บาท": a small sum with no budget/investment/value word
    anchor = c.qstart
    if m is not None and c.lo + m.start() >= n.start - 60:
        anchor = min(anchor, c.lo + m.start())
    return Decision("amount_thb", anchor)


def _places(c: Clause, ctx: Context) -> Decision | None:
    """A count of cities, zones, areas or places: a smart city or zone count, or nothing."""
    hit, n, kind, clause = c.hit, c.hit.num, c.hit.kind, c.before
    if kind == "city" and CITY_NOT_COUNTED.match(c.after):
        return None
    if n.has_decimal:
        return None  # "1.1 เมืองเดิม ...": an item number; a count of places is whole
    if TOPIC_VETO.search(clause) or TOPIC_VETO.search(c.after[:25]):
        return None
    # The counted noun names its topic itself ("10 เมืองอัจฉริยะ", "20 เขตส่งเสริมเมืองอัจฉริยะ",
    # "1 พื้นที่อัจฉริยะ"): that beats any topic word earlier in the clause.
    if kind == "zone" and c.after.startswith("ส่งเสริม"):
        t, t_at = "zone", len(clause)
    elif kind in ("city", "area", "place") and c.after.startswith("อัจฉริยะ"):
        t, t_at = "city", len(clause)
    else:
        t, t_at = find_topic(clause, hit.phrase)
        if t == "city" and CANDIDATE.search(clause[t_at - 80 if t_at > 80 else 0 :]):
            t = "zone"  # "เมืองที่อยู่ระหว่างพัฒนาเป็นเมืองอัจฉริยะอีก 100 เมือง": candidates
    if t is None:
        t = topic_after(c.low, hit.unit_end)
    if t is None and kind == "zone" and hit.phrase and ZONE_PHRASE_PLAIN.match(hit.phrase):
        if ctx.doc.zone_doc():
            t = "zone"  # "92 new zones" in an article about smart city promotion zones
    anchor = c.qstart
    inherit_from: Figure | None = None
    region, r_at = region_before(c.text, c.qstart, c.lo)
    if region is not None:
        anchor = min(anchor, r_at)
        if t is None and ctx.parent is not None:
            t = "zone" if ctx.parent.metric == "zone_count" else "city"
            inherit_from = ctx.parent
    elif t is None:
        same = continued(c.text, c.low, hit, ctx.prev, c.lo) or more_of_the_same(
            c.text, c.head, hit, ctx.last_fig
        )
        if same is None and (part_of := split_part(c.text, hit, ctx.last_fig)) is not None:
            same = inherit_from = part_of
        if same is not None:
            t = "zone" if COUNT_METRIC[same.metric] == "zone_count" else "city"
        elif hit.phrase:
            t = _previous_sentence_topic(c)
    if t == "zone":
        metric = "zone_count"
    elif t == "city":
        metric = "smart_city_count"
    else:
        return None
    if region is None and t_at < len(clause):
        anchor = min(anchor, c.lo + t_at)
    return Decision(metric, anchor, region, inherit_from)


def _previous_sentence_topic(c: Clause) -> str | None:
    """The topic of the English sentence right before ``c``'s, when ``c``'s own sentence says a
    programme verb ("... smart city certification. A further 12 cities received the label.")."""
    sentence = c.before + c.low[c.hit.unit_end : c.hit.unit_end + 80].split(".", 1)[0]
    if not PROGRAMME_VERB.search(sentence):
        return None
    prev = c.low[max(0, c.lo - 240) : c.lo]
    if not prev.rstrip().endswith((".", "!", "?")):
        return None  # not an English sentence end: the clause was cut by something else
    prev = prev[prev.rfind("\n") + 1 :]
    return find_topic(prev, "")[0]


def _provinces(c: Clause, ctx: Context) -> Decision | None:
    """A count of provinces: of the city/zone count it is linked to, or of the clause's topic."""
    linked = linked_count(c.low, c.hit, ctx.prev)
    if linked is not None:
        metric = "smart_city_province_count" if linked.metric == "smart_city_count" else "zone_province_count"
        return Decision(metric, linked.start, None, linked)
    if TOPIC_VETO.search(c.before):
        return None
    t, t_at = find_topic(c.before, c.hit.phrase)
    if t is None:
        return None
    metric = "zone_province_count" if t == "zone" else "smart_city_province_count"
    return Decision(metric, min(c.qstart, c.lo + t_at))


def _region_item(c: Clause, ctx: Context) -> Decision | None:
    """A breakdown item of the count just stated in this sentence ("9 in the North")."""
    parent, n = ctx.parent, c.hit.num
    if parent is None or n.start - parent.end > 200 or STOP_AND_SPACE.search(c.text, parent.end, n.start):
        return None
    return Decision(parent.metric, c.qstart, c.hit.phrase, parent)


def _same_noun(c: Clause, ctx: Context) -> Decision | None:
    """"bringing the total to 51": the count just stated goes on."""
    same = continued(c.text, c.low, c.hit, ctx.prev, c.lo)
    return Decision(same.metric, c.qstart) if same is not None else None


def _booths(c: Clause, ctx: Context) -> Decision | None:
    """Exhibitors' booths at a programme event."""
    return Decision("participant_count", c.qstart)


def _participants(c: Clause, ctx: Context) -> Decision | None:
    """People or organisations: participants when the clause says they took part (not tourists)."""
    hit, n = c.hit, c.hit.num
    wide = c.low[max(0, c.lo - 40) : hit.unit_end + 40]
    if TOURISM.search(wide):
        return None
    p = last_match(PARTICIPATION, c.before)
    said = p is not None or PARTICIPATION.search(hit.phrase) or PARTICIPATION_AFTER.search(c.after)
    if not said:
        return None
    anchor = c.qstart
    if p is not None and c.lo + p.start() >= n.start - 60:
        anchor = min(anchor, c.lo + p.start())
    return Decision("participant_count", anchor)


def _event_to_come(low: str, pos: int, ctx: Context) -> bool:
    """Whether the sentence holding ``pos`` says its event is yet to be held (``จะจัดงาน``, "will
    be held"): back to the line start, an English sentence end or the previous counted number."""
    lo = max(ctx.clause_floor(), low.rfind("\n", 0, pos) + 1)
    stops = [m.end() for m in STOP_AND_SPACE.finditer(low, lo, pos)]
    return EVENT_TO_COME.search(low, stops[-1] if stops else lo, pos) is not None


# The rule for each kind of candidate; a kind with no rule (foreign money) is never a figure.
RULES: dict[str, Callable[[Clause, Context], Decision | None]] = {
    "money": _money,
    "bare_millions": _money,
    "city": _places,
    "zone": _places,
    "area": _places,
    "place": _places,
    "province": _provinces,
    "region_item": _region_item,
    "same": _same_noun,
    "booth": _booths,
    "person": _participants,
    "org": _participants,
}


def classify_candidate(text: str, low: str, hit: Candidate, lo: int, ctx: Context) -> Figure | None:
    """The figure that candidate ``hit`` states, or None.

    ``low`` is the lower-cased text (same offsets) the cue patterns run on; ``lo`` is where the
    clause before the number starts; ``ctx`` the state carried from the previous candidates.
    """
    rule = RULES.get(hit.kind)  # type: ignore[arg-type]
    if rule is None:
        return None
    n = hit.num
    before = low[lo : n.start]
    head = before[-30:]
    after = low[hit.unit_end : hit.unit_end + 40]
    if RANGE_BEFORE.search(head) or PRIOR_VALUE.search(head):
        return None  # "5-7 cities"; "up from 30 last year": not a figure of this report
    if FROM_BEFORE.search(head) and PRIOR_AFTER.match(after):
        return None  # "from 30 cities last year"
    qual, qstart = find_qualifier(text, low, n, lo)
    scope, cue_at = scope_before(before)
    renewal = scope is None and is_renewal(before, cue_at)
    scope = scope_after(scope, hit, after, head)
    decision = rule(Clause(text, low, hit, lo, before, head, after, qstart), ctx)
    if decision is None:
        return None
    if hit.kind == "region_item":
        scope = None  # a breakdown item takes its parent's scope
    elif hit.kind == "same":
        scope = scope or "total"  # "bringing the total to 51"

    anchor = decision.anchor
    inherit_from = decision.inherit_from
    if inherit_from is not None and (scope is None or cue_at < len(before) - 40):
        scope = inherit_from.scope
    last_fig = ctx.last_fig
    if scope is None and last_fig is not None and last_fig.scope in ("target", "total"):
        gap = text[last_fig.end : n.start]
        if "\n" not in gap and len(gap) < 120 and not STOP_AND_SPACE.search(gap):
            if last_fig.scope == "target":
                scope = "target"  # an expectation covers the outcomes listed after it in the sentence
            elif (
                COORDINATED.match(low, last_fig.end, n.start)
                and decision.metric in COUNT_METRIC
                and last_fig.metric in COUNT_METRIC
            ):
                # "ปัจจุบันมี A 36 เมือง และมี B อีก 100 เมือง": "now has" governs both conjuncts
                scope = "total"
    if scope is None and decision.metric == "participant_count" and _event_to_come(low, n.start, ctx):
        scope = "target"  # who will take part in an event yet to be held is an expectation
    if scope == "new" and decision.metric in ("amount_thb", "participant_count"):
        # Money and people are not "announced" the way cities are: total with aggregate wording,
        # target when expected, else no scope (LABELLING.md; the seed labels do the same).
        scope = None
    if scope is not None and cue_at < len(before):
        anchor = min(anchor, lo + cue_at) if lo + cue_at >= n.start - 60 else anchor

    if renewal and scope is None:
        ctx.renewed.add(fact_key(decision.metric, n.value, decision.region))

    start = evidence_start(text, min(lo, anchor), anchor)
    end = hit.unit_end
    return Figure(
        metric=decision.metric,
        value=n.value,
        unit="THB" if decision.metric == "amount_thb" else "count",
        scope=scope,
        qualifier=qual,
        region=decision.region,
        evidence=text[start:end],
        start=start,
        end=end,
    )
