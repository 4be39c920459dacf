"""Against the REAL local CKAN: a curator's tags and extras survive a re-publish, an edit made
between our read and our write is detected (``package_revise`` with a ``match`` guard) and merged,
a permanent refusal is a ``CkanRejected`` naming the field, and an empty registry is published
as an empty table with its dictionary."""

from __future__ import annotations

import ckanapi
import pandas as pd
import pytest

from smartcity import records
from smartcity.publish.calls import Calls
from smartcity.publish.client import make_client
from smartcity.publish.diff import OWNED_KEY
from smartcity.publish.errors import PERMANENT, CkanRejected
from smartcity.publish.publisher import publish_dataset
from tests.publish.publish_data import figures_frame, variant

pytestmark = pytest.mark.integration


def _client(ckan_env):
    return make_client(ckan_env["url"], ckan_env["token"], retries=0, timeout=(3.0, 60.0))


def _tags(package) -> set[str]:
    return {t["name"] for t in package["tags"]}


def _extras(package) -> dict[str, str]:
    return {e["key"]: e["value"] for e in package["extras"]}


def test_a_curators_tags_and_extras_survive_republishing(ckan_env, ckan_client, publish_config, tmp_path):
    config = variant(publish_config, "cur")
    with _client(ckan_env) as ckan:
        first = publish_dataset(ckan, "figures", figures_frame(), out_dir=tmp_path / "1", config=config)
        package = ckan_client.action.package_show(id=first.dataset)
        assert OWNED_KEY in _extras(package)
        ours = _tags(package)
        # a curator adds a tag and an extra on the portal
        ckan_client.action.package_patch(
            id=package["id"], tags=[*package["tags"], {"name": "curated-by-hand"}],
            extras=[*package["extras"], {"key": "curator_note", "value": "checked by the city office"}])
        # the pipeline runs again with one figure changed
        changed = figures_frame()
        changed.loc[0, "value"] = 77.0
        again = publish_dataset(ckan, "figures", changed, out_dir=tmp_path / "2", config=config)
    after = ckan_client.action.package_show(id=again.dataset)
    assert "curated-by-hand" in _tags(after) and ours <= _tags(after)
    assert _extras(after)["curator_note"] == "checked by the city office"
    assert len(after["resources"]) == len(package["resources"])  # package_revise keeps resources


def test_an_edit_between_our_read_and_our_write_is_merged_not_overwritten(
        ckan_env, ckan_client, publish_config, tmp_path):
    config = variant(publish_config, "race")
    with _client(ckan_env) as ckan:
        first = publish_dataset(ckan, "figures", figures_frame(), out_dir=tmp_path / "1", config=config)
        # an ownership record that claims a tag we no longer want forces a patch on the next run
        package = ckan_client.action.package_show(id=first.dataset)
        claim = [{**e, "value": e["value"].replace('"tags":[', '"tags":["stale-ours",')}
                 if e["key"] == OWNED_KEY else e for e in package["extras"]]
        ckan_client.action.package_patch(id=package["id"], tags=[*package["tags"], {"name": "stale-ours"}],
                                         extras=claim)

        class CuratorBetween(Calls):
            """Calls on which a curator edits the dataset after our last read, right before our
            first guarded write reaches CKAN."""

            edited = False

            def __call__(self, action, data=None, files=None):
                if action == "package_revise" and not self.edited:
                    self.edited = True
                    current = ckan_client.action.package_show(id=first.dataset)
                    ckan_client.action.package_patch(
                        id=current["id"], tags=[*current["tags"], {"name": "added-meanwhile"}])
                return super().__call__(action, data, files)

        call = CuratorBetween(ckan)
        again = publish_dataset(call, "figures", figures_frame(), out_dir=tmp_path / "2", config=config)
    assert call.edited
    assert again.write_calls_by_action.get("package_revise") == 2  # refused by the guard, then merged
    after = ckan_client.action.package_show(id=first.dataset)
    assert "added-meanwhile" in _tags(after)  # the curator's edit is kept
    assert "stale-ours" not in _tags(after)  # our stale tag is gone


def test_a_validation_error_is_permanent_and_names_the_field(ckan_env, publish_config):
    with _client(ckan_env) as ckan, pytest.raises(CkanRejected) as info:
        Calls(ckan)("package_create", {"name": "Not A Valid Name!", "owner_org": publish_config.organization})
    assert isinstance(info.value, PERMANENT)
    assert "name" in info.value.fields and info.value.status == 409
    assert str(info.value).startswith("CKAN refused package_create: invalid ")


def test_a_wrong_token_is_permanent(ckan_env):
    with make_client(ckan_env["url"], "not-a-token", retries=0) as ckan, pytest.raises(CkanRejected) as info:
        Calls(ckan)("package_create", {"name": "never-created"})
    assert info.value.status == 403 and "not authorised" in info.value.reason


def test_an_empty_registry_is_published_as_an_empty_table_with_its_dictionary(
        ckan_env, ckan_client, publish_config, tmp_path):
    config = variant(publish_config, "empty")
    frame = pd.DataFrame(columns=records.columns(records.RegistryEntry))
    with _client(ckan_env) as ckan:
        report = publish_dataset(ckan, "registry", frame, out_dir=tmp_path, config=config)
    assert report.rows == 0
    package = ckan_client.action.package_show(id=report.dataset)
    names = {r["name"] for r in package["resources"]}
    assert {"registry.csv", "registry-data-dictionary.csv"} <= names
    csv_id = report.resource_ids["registry.csv"]
    try:
        assert ckan_client.action.datastore_search(resource_id=csv_id, limit=0)["total"] == 0
    except ckanapi.NotFound:
        pass  # no DataStore table for an empty file is fine too
