"""Empty is not broken, a drop is: the row count of a dataset compared with the last published
version of it.

The last published row count is the ``row_count`` catalogue field of the dataset on the portal
(``smartcity.publish.metadata`` writes it on every publish, top-level or as an extra): it is
there whichever way the last run went (``airflow dags test``, the scheduler, the CLI), for every
dataset (not only those in the DataStore), and it is what readers were last shown.  A run
directory's validation report is not: each run has its own directory.

The rule (``row_count_drop``), for a dataset that had ``previous`` rows and now has ``rows``:

* ``previous`` unknown (never published) or 0: any count is fine -- an always-empty dataset
  (a suite with ``meta.may_be_empty``) stays valid and is published empty with its dictionary;
* ``rows == 0`` after ``previous > 0``: critical, whatever the suite says of empty frames;
* a drop by more than the suite's ``meta.max_row_drop_share`` (default ``MAX_DROP_SHARE``) of
  ``previous``: critical.  Growth is never a failure.
"""

from __future__ import annotations

from smartcity.quality.validate import Failure

MAX_DROP_SHARE = 0.5  # our sources only add pages: losing half the rows means a broken stage


def max_drop_share(suite: dict) -> float:
    """The share of rows a dataset may lose between two published versions (suite meta)."""
    return float((suite.get("meta") or {}).get("max_row_drop_share", MAX_DROP_SHARE))


def row_count_drop(rows: int, previous: int | None, share: float = MAX_DROP_SHARE) -> Failure | None:
    """A critical ``Failure`` when ``rows`` dropped to zero, or by more than ``share`` of
    ``previous`` (the last published count; None: never published); None otherwise."""
    if not previous or rows >= previous:
        return None
    lost = (previous - rows) / previous
    if rows > 0 and lost <= share:
        return None
    what = "dropped to zero" if rows == 0 else f"dropped by {lost:.0%} (more than {share:.0%})"
    return Failure(
        expectation="row_count_against_last_published",
        severity="critical",
        column=None,
        kwargs={"previous": previous, "max_drop_share": share},
        observed=rows,
        error=f"{rows} rows, {what} from the {previous} rows last published",
    )
