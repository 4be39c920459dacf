"""Defaults for every configurable value, in one place.

Each can be overridden by an environment variable of the same name; inside Airflow the DAGs may
also pass values from Airflow Variables.  Secrets (the CKAN API token) are never defaults.
"""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


def _env(name: str, default: str) -> str:
    return os.environ.get(name, default)


def data_dir() -> Path:
    """Where raw pages, state and run outputs live (``SMARTCITY_DATA_DIR``, default ``./data``)."""
    return Path(_env("SMARTCITY_DATA_DIR", str(REPO_ROOT / "data")))


# an honest User-Agent; add your contact (a URL or an e-mail) with SMARTCITY_USER_AGENT
USER_AGENT = _env("SMARTCITY_USER_AGENT", "smartcity-opendata-bot/0.1 (Thai smart-city open-data pipeline)")
CKAN_ORGANIZATION = _env("SMARTCITY_CKAN_ORG", "thailand-smart-city-programme")
DATASET_PREFIX = _env("SMARTCITY_DATASET_PREFIX", "th-smart-city")
# where the code and its method live (the datasets' url and publisher_url); unset: not published,
# never an address of our own invention
PROJECT_URL = _env("SMARTCITY_PROJECT_URL", "")
# unset: readers write to the datasets' contact e-mail (SMARTCITY_MAINTAINER_EMAIL); never an
# address nobody reads
REPORT_URL = _env("SMARTCITY_REPORT_URL", "")
