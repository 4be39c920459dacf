"""Totals across sources and over time, and the checks that go with them.

See :mod:`smartcity.reconcile.core` for the rules.  ``from smartcity.reconcile import reconcile``.
"""

from smartcity.reconcile.core import WINDOW_DAYS, reconcile

__all__ = ["WINDOW_DAYS", "reconcile"]
