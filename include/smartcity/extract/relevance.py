"""Which parts of a page are about Thailand's smart-city programme.

Government news is a general feed: most pages never mention the programme, and many that do are
cabinet-meeting summaries or speeches where it is one numbered item among dozens, or one word in a
list of policy areas.  A figure is the programme's only when the passage stating it is about the
programme (shared labelling policy), so extraction runs behind this filter.

``assess(text)`` segments the text and returns a :class:`Relevance`:

1. **Segments.** Paragraphs are lines; the first non-empty line is the title; page furniture after
   the article (related-news links) is not read.  A line that opens a numbered item (``12. เรื่อง
   ...``, ``1.1 ...``, ``(3) ...``) starts an item that runs to the next item of its level or a
   higher one.
2. **Anchors.** Programme terms from ``lexicon.yaml`` (เมืองอัจฉริยะ, smart city, สมาร์ทซิตี้, the
   smart-city committee, "Smart ... Showcase/Expo/Week" ...).  An anchor inside a veto (the
   urban-agriculture scheme, the ASEAN network, a foreign city's name) does not count, nor one that
   is one item of an enumeration (``5) เมืองอัจฉริยะ 6) ...``) or only names the programme as a frame
   or purpose (``รองรับการพัฒนาเมืองอัจฉริยะ``), unless a count stands right before or after it.
3. **Support.** A word of the programme's business (ตราสัญลักษณ์, รับรอง, เขตส่งเสริม ...) or a count
   next to the anchor; also a second mention, a body that runs the programme (ดีป้า, depa) or a
   programme event word (Expo, Week ...), except next to a foreign place.
4. **Passages.** The title, when its anchor has support in the title or the lead (``LEAD``): the
   page is then *about the programme*, and every paragraph with an anchor, naming a body, referring
   back to its event (``ภายในงาน``, the launch event) is a passage too.  A cabinet agenda item, or a
   numbered item whose first line has a supported anchor, as a whole.  Otherwise the window of a
   paragraph within ``REACH`` characters of a supported anchor, cut at a topic switch (``ขณะที่``,
   ``นอกจากนี้`` ...).  The paragraph right after a passage joins when it opens by continuing it (a
   breakdown: ``แบ่งตามภูมิภาค ...``).

The page is relevant when it has at least one programme passage; ``reason`` says which rule and
``start``/``end`` give the passage, so a data engineer can audit the filter.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

from smartcity.extract.spans import span_test

__all__ = ["REACH", "Relevance", "assess", "lexicon", "topic_window"]

LEXICON_FILE = Path(__file__).with_name("lexicon.yaml")
LEAD = 600  # characters after the title in which a title's anchor may find its support
REACH = 400  # characters either side of an anchor that a long paragraph keeps in scope
_LIST_WINDOW = 160  # characters either side of an anchor looked at for an enumeration
_LIST_MIN_MARKERS = 3  # enumeration markers in that window that make a list
_ALIAS_GAP = 40  # an anchor this close after another names the same thing ("เมืองอัจฉริยะ หรือ Smart City")


@dataclass(frozen=True, slots=True)
class Passage:
    """A span of the text in scope for extraction, and the rule that put it there."""

    start: int
    end: int
    rule: str  # "title" | "item" | "paragraph" | "body-on-programme-page"
    anchor: str  # the programme term (or body) that made it so, as written


@dataclass(slots=True)
class Relevance:
    """The verdict on one text: relevant or not, why, and the spans figures may come from."""

    relevant: bool
    passages: list[Passage] = field(default_factory=list)
    _starts: list[int] = field(default_factory=list, repr=False)

    @property
    def reason(self) -> str | None:
        """``"<rule>: <anchor>"`` of the first passage, or None when not relevant."""
        if not self.passages:
            return None
        first = self.passages[0]
        return f"{first.rule}: {first.anchor}"

    def covers(self, start: int, end: int | None = None) -> bool:
        """Whether the span ``[start, end)`` starts inside a programme passage."""
        i = bisect.bisect_right(self._starts, start) - 1
        return i >= 0 and start < self.passages[i].end


class _Lexicon:
    """The compiled vocabulary of ``lexicon.yaml``."""

    def __init__(self, data: dict) -> None:
        def union(patterns: list[str]) -> str:
            return "|".join(f"(?:{p})" for p in patterns)

        flags = re.IGNORECASE | re.MULTILINE
        self.quick_terms: tuple[str, ...] = tuple(data["quick_terms"])
        self.anchor = re.compile(union(data["anchors"]), flags)
        self.body = re.compile(union(data["bodies"]), flags)
        self.veto = re.compile(union(data["vetoes"]), flags)
        self.list_marker = re.compile(union(data["list_markers"]), flags)
        markers, cues = union(data["list_markers"]), union(data["passing_cues"])
        # a marker right before the anchor, one short word ("การพัฒนา", "มาตรฐาน") allowed between
        self.list_marker_before = re.compile(rf"(?:{markers})\s*\S{{0,12}}\s*$", flags)
        # a cue within a word or so before the anchor
        self.passing_cue_before = re.compile(rf"(?:{cues})\s*(?:การ)?\S{{0,12}}\s*$", flags)
        self.item_start = re.compile(data["item_start"], flags)
        self.agenda_item = re.compile(data["agenda_item"], flags)
        self.support = re.compile(union(data["support"]), flags)
        self.event_support = re.compile(union(data["event_support"]), flags)
        self.foreign = re.compile(union(data["foreign"]), flags)
        self.count_after = re.compile(data["count_after"], flags)
        self.count_before = re.compile(data["count_before"], flags)
        self.topic_switch = re.compile(union(data["topic_switches"]), flags)
        self.back_reference = re.compile(union(data["back_references"]), flags)
        self.continuation = re.compile(data["continuations"], flags)
        self.page_end = re.compile(data["page_end"], flags)

    def may_match(self, text: str) -> bool:
        """False when ``text`` cannot hold an anchor or a body (plain substring tests)."""
        return any(term in text for term in self.quick_terms)


@cache
def lexicon() -> _Lexicon:
    """The vocabulary, read once from ``lexicon.yaml``."""
    return _Lexicon(yaml.safe_load(LEXICON_FILE.read_text(encoding="utf-8")))


class _Layout:
    """Line and numbered-item boundaries of one text, computed once."""

    def __init__(self, text: str, lex: _Lexicon) -> None:
        self.text = text
        self.breaks = [m.start() for m in _NEWLINE.finditer(text)]
        self.agendas = {m.start() for m in lex.agenda_item.finditer(text)}
        self.items = _item_spans(text, lex)

    def line(self, pos: int) -> tuple[int, int]:
        """(start, end) of the line holding ``pos``."""
        i = bisect.bisect_left(self.breaks, pos)
        start = self.breaks[i - 1] + 1 if i > 0 else 0
        end = self.breaks[i] if i < len(self.breaks) else len(self.text)
        return start, end

    def item(self, pos: int) -> tuple[int, int, bool] | None:
        """(start, end, is_agenda) of the numbered item whose first line holds ``pos``, if any."""
        line_start, _ = self.line(pos)
        end = self.items.get(line_start)
        return None if end is None else (line_start, end, line_start in self.agendas)

    def title(self) -> tuple[int, int]:
        """(start, end) of the first non-blank line."""
        m = _NON_BLANK.search(self.text)
        return self.line(m.start()) if m else (0, 0)


def _item_spans(text: str, lex: _Lexicon) -> dict[int, int]:
    """Start -> end of every numbered item: it ends where the next item of its level or a higher
    one starts.  Levels: ``1.`` above ``1.1`` above ``1.1.1`` above ``(1)``/``1)`` above ``ก.``."""
    starts: list[tuple[int, int]] = []
    for m in lex.item_start.finditer(text):
        if m.group("dotted"):
            level = m.group("dotted").count(".") + 1
        elif m.group("top"):
            level = 1
        else:
            level = 5 if m.group("paren") else 6
        starts.append((m.start(), level))
    spans: dict[int, int] = {}
    open_items: list[tuple[int, int]] = []
    for start, level in starts:
        while open_items and open_items[-1][1] >= level:
            spans[open_items.pop()[0]] = start - 1
        open_items.append((start, level))
    for start, _ in open_items:
        spans[start] = len(text)
    return spans


_NEWLINE = re.compile("\n")
_NON_BLANK = re.compile(r"\S")


def _counts(text: str, m: re.Match[str], lo: int, hi: int, lex: _Lexicon) -> bool:
    """Whether anchor ``m`` (in the line ``text[lo:hi]``) makes its passage about the programme.

    Not when it is one item of an enumeration of other things, or named only as the frame or
    purpose of something else (``passing_cues``).
    """
    pos = m.start()
    if _counted(text, m, lo, hi, lex):
        return True  # "การพัฒนาเมืองอัจฉริยะ 15 แห่ง": a count of the programme, even in a list
    if lex.passing_cue_before.search(text, max(lo, pos - 40), pos):
        return False
    if not lex.list_marker_before.search(text, max(lo, pos - 24), pos):
        return True
    a, b = max(lo, pos - _LIST_WINDOW), min(hi, pos + _LIST_WINDOW)
    return sum(1 for _ in lex.list_marker.finditer(text, a, b)) < _LIST_MIN_MARKERS


def _counting_anchors(text: str, layout: _Layout, lex: _Lexicon) -> list[re.Match[str]]:
    """The anchors of ``text`` that make their passage about the programme, in order."""
    vetoed = span_test((m.start(), m.end()) for m in lex.veto.finditer(text))
    found: list[re.Match[str]] = []
    last_end, last_line, last_counted = -(10**9), -1, False
    for m in lex.anchor.finditer(text):
        if vetoed(m.start()):
            continue
        lo, hi = layout.line(m.start())
        if m.start() - last_end <= _ALIAS_GAP and lo == last_line:
            counted = last_counted  # "เมืองอัจฉริยะ (Smart City)": one mention, one decision
        else:
            counted = _counts(text, m, lo, hi, lex)
        if counted:
            found.append(m)
        last_end, last_line, last_counted = m.end(), lo, counted
    return found


def assess(text: str) -> Relevance:
    """The programme passages of ``text`` (any length, Thai or English); never raises."""
    lex = lexicon()
    if not text or not lex.may_match(text):
        return Relevance(False)
    end = lex.page_end.search(text)
    if end is not None:
        text = text[: end.start()]  # same offsets: only the furniture after the article is dropped
    layout = _Layout(text, lex)
    anchors = _counting_anchors(text, layout, lex)
    if not anchors:
        return Relevance(False)

    passages: list[Passage] = []
    title = layout.title()
    # a page about the programme: its title holds an anchor with support in the title or the lead
    about_page = any(
        title[0] <= m.start() < title[1]
        and _supported(text, m, title[0], min(len(text), title[1] + LEAD), anchors, i, lex)
        for i, m in enumerate(anchors)
    )
    for i, m in enumerate(anchors):
        term = m.group()
        if title[0] <= m.start() < title[1]:
            if about_page:
                passages.append(Passage(*_window(text, m, *title), "title", term))
        elif (item := layout.item(m.start())) is not None and (
            item[2] or _supported(text, m, *layout.line(m.start()), anchors, i, lex, strict=True)
        ):
            passages.append(Passage(item[0], item[1], "item", term))
        else:
            a, b = _window(text, m, *layout.line(m.start()))
            # on a page about the programme, its anchors need no further support
            if about_page or _supported(text, m, a, b, anchors, i, lex):
                passages.append(Passage(a, b, "paragraph", term))
    if about_page:
        for m in lex.body.finditer(text, title[1]):
            passages.append(Passage(*layout.line(m.start()), "body-on-programme-page", m.group()))
        for m in lex.back_reference.finditer(text, title[1]):
            window = _window(text, m, *layout.line(m.start()))
            passages.append(Passage(*window, "body-on-programme-page", m.group()))
    passages.extend(_continued_paragraphs(text, layout, passages, lex))
    if not passages:
        return Relevance(False)
    merged = _merge(passages)
    return Relevance(True, merged, [p.start for p in merged])


def _counted(text: str, m: re.Match[str], lo: int, hi: int, lex: _Lexicon) -> bool:
    """Whether a count stands right after or right before anchor ``m`` (within ``text[lo:hi]``)."""
    if lex.count_after.match(text, m.end(), min(hi, m.end() + 60)):
        return True
    return lex.count_before.search(text, max(lo, m.start() - 40), m.start()) is not None


def _window(text: str, m: re.Match[str], lo: int, hi: int) -> tuple[int, int]:
    """The part of the line ``text[lo:hi]`` around anchor ``m`` that stays on its topic."""
    return topic_window(text, m.start(), m.end(), lo, hi, REACH)


def topic_window(text: str, start: int, end: int, lo: int, hi: int, reach: int) -> tuple[int, int]:
    """The part of ``text[lo:hi]`` around ``text[start:end]`` that stays on its topic: at most
    ``reach`` characters either side, cut at a word that turns to another topic (``ขณะที่``,
    "meanwhile" ...)."""
    lex = lexicon()
    a, b = max(lo, start - reach), min(hi, end + reach)
    for switch in lex.topic_switch.finditer(text, a, start):
        a = switch.start()
    switch = lex.topic_switch.search(text, end, b)
    return a, (switch.start() if switch else b)


def _supported(
    text: str, m: re.Match[str], a: int, b: int, anchors: list, i: int, lex: _Lexicon, strict: bool = False
) -> bool:
    """Whether anchor ``m`` (``anchors[i]``) has support in the window ``text[a:b]``.

    Support is a word of the programme's business or a count right after the anchor; unless
    ``strict``, also another mention, a body that runs the programme or a programme event word
    (Expo, Week, ...).  Next to a foreign place only the programme's own words count: a smart
    city abroad is not the programme."""
    if lex.support.search(text, a, b):
        return True
    if _counted(text, m, a, b, lex):
        return True
    if strict or lex.foreign.search(text, a, b):
        return False
    neighbours = anchors[max(0, i - 1) : i] + anchors[i + 1 : i + 2]
    return bool(
        lex.body.search(text, a, b)
        or lex.event_support.search(text, a, b)
        or any(a <= n.start() < b and abs(n.start() - m.start()) > _ALIAS_GAP for n in neighbours)
    )


def _continued_paragraphs(
    text: str, layout: _Layout, passages: list[Passage], lex: _Lexicon
) -> list[Passage]:
    """The paragraph right after a programme paragraph when it opens by continuing it."""
    out = []
    for p in passages:
        if p.rule not in ("paragraph", "title", "body-on-programme-page"):
            continue
        _, end = layout.line(p.start)
        nxt = _NON_BLANK.search(text, end)
        if nxt is None:
            continue
        lo, hi = layout.line(nxt.start())
        if lex.continuation.match(text, nxt.start(), hi):
            out.append(Passage(lo, hi, "continued", p.anchor))
    return out


def _merge(passages: list[Passage]) -> list[Passage]:
    """Overlapping passages as one (the first's rule and anchor), sorted by start."""
    out: list[Passage] = []
    for p in sorted(passages, key=lambda p: (p.start, -p.end)):
        if out and p.start <= out[-1].end:
            last = out[-1]
            if p.end > last.end:
                out[-1] = Passage(last.start, p.end, last.rule, last.anchor)
        else:
            out.append(p)
    return out
