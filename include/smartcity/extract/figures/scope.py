"""The scope of a figure: ``total`` (the cumulative national figure), ``new`` (announced in the
event reported), ``target`` (a goal or forecast), or None (a renewal, or nothing said).

The cue nearest before the number in its clause decides (:func:`scope_before`); the words right
after the counted noun refine it (:func:`scope_after`).  The cue words are
:data:`~smartcity.extract.figures.vocabulary.SCOPE_BEFORE` and
:data:`~smartcity.extract.figures.vocabulary.SCOPE_AFTER`.
"""

from __future__ import annotations

import re

from smartcity.extract.figures.candidates import Candidate
from smartcity.extract.figures.vocabulary import (
    FUTURE_BEFORE_RISE,
    GOAL_BEFORE,
    GOAL_OR_DEADLINE,
    REPORTED,
    RISE_TO_TOTAL,
    SCOPE_AFTER,
    SCOPE_BEFORE,
    SCOPE_PHRASE_NEW,
    TOTAL_AFTER_OVERRIDES,
)

__all__ = ["is_renewal", "scope_after", "scope_before"]

_DIGIT = re.compile(r"\d")
# A weak cue yields only to a cue of its own phrase: near it, with no Thai phrase break (a space
# between Thai words) and no other number between ("จะมีการจัดงาน โดยให้เขตส่งเสริมฯ ทั้ง 40 พื้นที่"
# is no plan for 40 zones).
_WEAK_REACH = 60
_THAI_BREAK = re.compile("[\u0e00-\u0e7f]\\s+[\u0e00-\u0e7f]")


# The new-cues that state an increase (more of the same), which a goal before them can govern.
_INCREASE = re.compile(r"เพิ่ม|อีก|more|another|additional|further")


def _same_phrase(clause: str, start: int, end: int) -> bool:
    """Whether ``clause[start:end]`` stays in one phrase: no number, no Thai phrase break."""
    gap = clause[start:end]
    return not _DIGIT.search(gap) and not _THAI_BREAK.search(gap)


def _governing_goal(clause: str, cue_at: int) -> re.Match[str] | None:
    """The goal or deadline (:data:`GOAL_OR_DEADLINE`) whose phrase the cue at ``cue_at`` is in:
    within :data:`_WEAK_REACH` before it, with no number and no Thai phrase break between."""
    goal = None
    for m in GOAL_OR_DEADLINE.finditer(clause, max(0, cue_at - _WEAK_REACH), cue_at):
        goal = m
    return goal if goal is not None and _same_phrase(clause, goal.end(), cue_at) else None


def scope_before(clause: str) -> tuple[str | None, int]:
    """(scope, offset in ``clause`` of the cue) from the cue nearest the clause's end.

    ``clause`` is the lower-cased text before the number; the offset is ``len(clause)`` when no
    cue was found.  A weak cue (bare ``รวม``, "a total of") yields to the nearest stronger cue
    before it, when no other number stands between them (that cue then speaks of this number);
    else it is total.  A forecast before a sum (``รวม``, "a total of") in the same phrase (no number
    and no Thai phrase break between) makes it a target, however far: an expected total is still an
    expectation.  Likewise a goal or a deadline (``ภายในปี 2570``, ``ตั้งเป้าหมาย``) governing an
    increase (``เพิ่ม``, ``อีก``, "more") in its phrase makes the increase a target.  A span up to now
    (``ตลอด 3 ปีที่ผ่านมา``, "over the past two years") is a total cue: a count so far.
    """
    last = strong = None
    for m in SCOPE_BEFORE.finditer(clause):
        last = m
        if m.lastgroup != "weak":
            strong = m
    if last is None:
        return None, len(clause)
    if last.lastgroup == "renewal":
        return None, last.start()
    goal = None
    if last.lastgroup == "new":
        goal = GOAL_BEFORE.search(clause, max(0, last.start() - 30), last.start())
    if goal is not None:
        return "target", goal.start()  # "ตั้งเป้าเพิ่มอีก 15 เมือง": a goal of new ones is a target
    if last.lastgroup == "new" and _INCREASE.match(last.group()):
        goal = _governing_goal(clause, last.start())
        if goal is not None:
            return "target", goal.start()  # "ภายในปี 2570 จะขยายเพิ่มอีก": an increase yet to come
    if last.lastgroup == "total" and RISE_TO_TOTAL.match(clause, last.start()):
        future = FUTURE_BEFORE_RISE.search(clause, max(0, last.start() - 50), last.start())
        if future is not None:
            return "target", future.start()  # "จะทำให้มี...เพิ่มขึ้นเป็น 45": a total yet to come
    if last.lastgroup != "weak":
        return last.lastgroup, last.start()
    forecast = strong is not None and strong.lastgroup == "target" and not last.group().startswith("ทั้ง")
    if forecast and _same_phrase(clause, strong.end(), last.start()):
        return "target", strong.start()  # "ประเมินว่าจะ ... มูลค่ารวมกว่า": a forecast of a sum is a target
    if strong is not None and last.start() - strong.end() <= _WEAK_REACH:
        if _same_phrase(clause, strong.end(), last.start()):
            return strong.lastgroup, strong.start()
    return "total", last.start()


def is_renewal(clause: str, cue_at: int) -> bool:
    """Whether the cue :func:`scope_before` found at ``cue_at`` in ``clause`` is a renewal."""
    m = SCOPE_BEFORE.match(clause, cue_at)
    return m is not None and m.lastgroup == "renewal"


def scope_after(scope: str | None, hit: Candidate, after_unit: str, clause_tail: str = "") -> str | None:
    """The scope once the words right after the number are read.

    ``scope`` is :func:`scope_before`'s; ``after_unit`` the lower-cased text right after the
    counted noun, ``clause_tail`` the end of the clause before the number.
    ``10 เมืองอัจฉริยะใหม่`` / "10 new smart cities" -> new (unless a goal is stated before);
    ``105 เมืองภายในปี 2570`` / "105 smart cities by 2027" / "15 more cities will ..." -> target
    (before "more"/"new" is read); "36 smart cities so far" ->
    total when nothing before the number said otherwise.
    """
    m = SCOPE_AFTER.match(after_unit)
    cue = m.lastgroup if m is not None else None
    if cue == "pending":
        return None
    if cue == "target" and m.group("would") and REPORTED.search(clause_tail):
        cue = None  # "depa said 15 more cities would receive the label": reported speech of a decision
    if cue == "target":
        return "target"  # "15 more cities will receive ...": a plan, though "more" says new
    if hit.phrase and scope != "target" and SCOPE_PHRASE_NEW.search(hit.phrase):
        return "new"
    if m is None:
        return scope
    if cue == "new" and scope != "target":
        return "new"
    if cue == "total" and (scope is None or (scope == "new" and TOTAL_AFTER_OVERRIDES.search(m.group()))):
        return "total"
    return scope
