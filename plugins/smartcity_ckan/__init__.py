"""Airflow glue: the ``CkanHook`` (connection ``ckan_default``), the failure notifier
(``smartcity_ckan.notifier``) and which failures are not retried (``smartcity_ckan.failures``).

The publishing logic lives in ``smartcity.publish`` (under ``include/``); this package only
turns an Airflow connection into a configured CKAN client.  Nothing is imported eagerly, so a
DAG file that imports ``smartcity_ckan.notifier`` does not pay for Airflow's hook machinery.
"""

from __future__ import annotations

from typing import Any

__all__ = ["CkanHook"]


def __getattr__(name: str) -> Any:
    if name == "CkanHook":
        from smartcity_ckan.hooks import CkanHook

        return CkanHook
    raise AttributeError(name)
