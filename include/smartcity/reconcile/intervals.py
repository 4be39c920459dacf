"""What a qualified figure says about the true number, as an interval, and when two agree.

A figure is ``value`` plus a ``qualifier`` from the extract contract.  Each qualifier maps to the
set of true numbers the sentence allows:

==========  ======================  ==========================================
qualifier   Thai (examples)          true number allowed
==========  ======================  ==========================================
exact       (none)                   ``[v, v]``
more_than   กว่า, มากกว่า            ``(v, +inf)``
at_least    ไม่น้อยกว่า              ``[v, +inf)``
up_to       ไม่เกิน, สูงสุด           ``(-inf, v]``
approx      ประมาณ, ราว             ``[v * (1 - APPROX_TOLERANCE), v * (1 + APPROX_TOLERANCE)]``
==========  ======================  ==========================================

Two statements are *consistent* when their intervals intersect (``more_than 30`` and ``36``
are; ``more_than 36`` and ``36`` are not).  A sum of qualified parts is the interval of the sums
of the bounds.  Pure functions, no I/O.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

# "ประมาณ 100" is read as "within 10 % of 100": news rounds to the nearest ten or so; a tighter
# tolerance would flag ordinary rounding as a conflict, a looser one would hide real ones.
APPROX_TOLERANCE = 0.10

QUALIFIERS = ("exact", "more_than", "at_least", "approx", "up_to")

# How precisely a qualifier pins the number: used to pick the statement that best represents a
# group of consistent statements (an exact figure beats a bound).
PRECISION_RANK = {"exact": 0, "approx": 1, "at_least": 2, "more_than": 2, "up_to": 3}


class UnknownQualifierError(ValueError):
    """A qualifier outside :data:`QUALIFIERS`."""


@dataclass(frozen=True, slots=True)
class Interval:
    """The true numbers a statement allows: ``lo``..``hi`` with open or closed ends."""

    lo: float
    hi: float
    lo_open: bool = False
    hi_open: bool = False

    def intersection(self, other: Interval) -> Interval | None:
        """The interval both allow, or None if no number satisfies both."""
        # the tighter bound wins; when two bounds coincide, an open end excludes the point
        if self.lo != other.lo:
            lo, lo_open = (self.lo, self.lo_open) if self.lo > other.lo else (other.lo, other.lo_open)
        else:
            lo, lo_open = self.lo, self.lo_open or other.lo_open
        if self.hi != other.hi:
            hi, hi_open = (self.hi, self.hi_open) if self.hi < other.hi else (other.hi, other.hi_open)
        else:
            hi, hi_open = self.hi, self.hi_open or other.hi_open
        if lo < hi or (lo == hi and not lo_open and not hi_open):
            return Interval(lo, hi, lo_open, hi_open)
        return None

    def intersects(self, other: Interval) -> bool:
        """True if some number lies in both intervals."""
        return self.intersection(other) is not None

    def __add__(self, other: Interval) -> Interval:
        return Interval(self.lo + other.lo, self.hi + other.hi, self.lo_open or other.lo_open,
                        self.hi_open or other.hi_open)

    def exceeds(self, bound: float) -> bool:
        """True if every number allowed is greater than ``bound``."""
        return self.lo > bound or (self.lo == bound and self.lo_open)

    def below(self, other: Interval) -> bool:
        """True if every number this allows is smaller than every number ``other`` allows."""
        return self.hi < other.lo or (self.hi == other.lo and (self.hi_open or other.lo_open))


def interval(value: float, qualifier: str | None) -> Interval:
    """The :class:`Interval` of true numbers allowed by ``value`` with ``qualifier``.

    ``qualifier`` None is read as ``exact``.  Raises :class:`UnknownQualifierError` otherwise.
    """
    q = qualifier or "exact"
    v = float(value)
    if q == "exact":
        return Interval(v, v)
    if q == "more_than":
        return Interval(v, math.inf, lo_open=True)
    if q == "at_least":
        return Interval(v, math.inf)
    if q == "up_to":
        return Interval(-math.inf, v)
    if q == "approx":
        spread = abs(v) * APPROX_TOLERANCE
        return Interval(v - spread, v + spread)
    raise UnknownQualifierError(f"unknown qualifier {qualifier!r} (expected one of {QUALIFIERS})")


def consistent(a_value: float, a_qualifier: str | None, b_value: float, b_qualifier: str | None) -> bool:
    """True if the two qualified statements can both be true of the same number."""
    return interval(a_value, a_qualifier).intersects(interval(b_value, b_qualifier))


def describe(value: float, qualifier: str | None) -> str:
    """A short human reading of a qualified figure, e.g. ``>30`` or ``~100`` or ``36``."""
    text = f"{value:g}" if float(value) != int(value) else f"{int(value)}"
    prefix = {"more_than": ">", "at_least": ">=", "up_to": "<=", "approx": "~"}.get(qualifier or "exact", "")
    return prefix + text
