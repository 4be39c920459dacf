"""Print the URL of every published smartcity dataset on the CKAN the Airflow connection names
(the demo snapshot's, named ``demo-...``, when ``SMARTCITY_SOURCES`` is ``demo``)."""

from __future__ import annotations

import json
import os
import sys

import ckanapi

from smartcity import settings
from smartcity.pipeline import DATASETS
from smartcity.publish.catalog import DATASETS as SPECS
from smartcity.publish.catalog import CatalogConfig


def main() -> int:
    conn = json.loads(os.environ.get("AIRFLOW_CONN_CKAN_DEFAULT", "{}") or "{}")
    url = (conn.get("host") or os.environ.get("CKAN_URL") or "http://127.0.0.1:5000").rstrip("/")
    missing = 0
    config = CatalogConfig.from_env().for_demo(os.environ.get("SMARTCITY_SOURCES") == "demo")
    with ckanapi.RemoteCKAN(url, user_agent=settings.USER_AGENT) as ckan:
        for key in DATASETS:
            name = SPECS[key].name(config)
            try:
                package = ckan.action.package_show(id=name)
            except ckanapi.NotFound:
                print(f"  {key:<9} not published ({url}/dataset/{name})")
                missing += 1
                continue
            print(f"  {key:<9} {url}/dataset/{name}  ({len(package['resources'])} resources)")
    print(f"organization: {url}/organization/{settings.CKAN_ORGANIZATION}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
