"""
### Example downstream DAG: runs when the published figures change on CKAN

Scheduled on the figures dataset's Asset, not on a clock: `publish_figures` of
`smartcity_pipeline` adds an event for `ckan://<portal>/dataset/<name>` through the asset alias
`smartcity-ckan-figures` only when it changed the dataset (extra: `rows`, `changed`, `action`).
A run with nothing new publishes nothing and so triggers nothing here.

The DAG is scheduled on the alias, so it works whatever the portal and the dataset prefix are; a
DAG of yours may name the Asset itself once you know them, e.g.
`schedule=[Asset("ckan://data.example.go.th/dataset/th-smart-city-figures")]`.

`summarise_figures` reads the dataset back through the CKAN API (connection `ckan_default`,
`CkanHook`): `package_show`, then every row of its DataStore table, and logs a summary (rows,
figures per metric, sources, the latest published date, the largest count of smart cities per
scope). Code: `include/smartcity/consumer.py`.
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta

from airflow.sdk import AssetAlias, dag, get_current_context, task

from smartcity_ckan.notifier import SmartcityFailureNotifier

FIGURES = AssetAlias("smartcity-ckan-figures")  # = smartcity.assets.dataset_alias("figures")


@dag(
    dag_id="smartcity_figures_consumer",
    doc_md=__doc__,
    schedule=[FIGURES],
    start_date=datetime(2026, 1, 1),
    catchup=False,
    max_active_runs=1,
    tags=["smartcity", "ckan", "assets", "example"],
    default_args={
        "owner": "smartcity-data",
        "retries": 2,
        "retry_delay": timedelta(seconds=float(os.environ.get("SMARTCITY_RETRY_DELAY", "120"))),
        "on_failure_callback": SmartcityFailureNotifier(),
        "execution_timeout": timedelta(minutes=10),
    },
)
def smartcity_figures_consumer():
    @task
    def summarise_figures() -> dict:
        from smartcity.consumer import summarise_dataset
        from smartcity_ckan.hooks import CkanHook

        # the events that triggered this run: the latest names the dataset (and its portal)
        events = [e for batch in get_current_context()["triggering_asset_events"].values() for e in batch]
        if not events:
            raise ValueError("no triggering figures event: run by its Asset, not by hand")
        latest = max(events, key=lambda e: e.timestamp)
        with CkanHook().get_conn() as ckan:
            summary = summarise_dataset(ckan, latest.asset.uri)
        summary["event"] = {"uri": latest.asset.uri, "extra": dict(latest.extra or {}),
                            "source_run_id": latest.source_run_id}
        return summary

    summarise_figures()


smartcity_figures_consumer()
