"""Retry what can heal, never what cannot.

A task fails for one of two kinds of reason.  Infrastructure (a lost worker, CKAN down, a timeout)
may heal, so Airflow retries the task.  Bad data (a critical expectation failing) or a wrong
configuration does not heal by running the same code on the same input again, so the task fails
at once: :func:`no_retry_on` turns those exceptions into Airflow's ``AirflowFailException``.

The exception types are passed in by the DAG: ``include/`` (the ``smartcity`` package) never
imports Airflow.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from airflow.sdk.exceptions import AirflowFailException


@contextmanager
def no_retry_on(*permanent: type[BaseException]) -> Iterator[None]:
    """Fail the task without retries when the body raises one of ``permanent``, or an exception
    caused by one (``raise StageError(...) from config_error``).

    The new exception's message keeps the original type and text, and the permanent cause's text
    when a wrapper did not repeat it (it is what the alert shows),
    and chains the original, so the task log has the whole traceback.  Anything else propagates
    unchanged, and Airflow retries it.
    """
    try:
        yield
    except AirflowFailException:
        raise
    except Exception as exc:
        cause = permanent_cause(exc, permanent)
        if cause is None:
            raise
        # the alert shows this message: it names the refusal even when a stage wrapped it
        text = str(exc) if str(cause) in str(exc) else f"{exc}: {cause}"
        raise AirflowFailException(f"{type(cause).__name__} (not retried): {text}") from exc


def permanent_cause(
    exc: BaseException, permanent: tuple[type[BaseException], ...]
) -> BaseException | None:
    """``exc`` or the first exception of its ``__cause__`` chain that is one of ``permanent``."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, permanent):
            return current
        seen.add(id(current))
        current = current.__cause__
    return None
