"""Tags and extras are merged with what a curator added on the portal: only the pipeline's own
(recorded in the extra ``smartcity_owned``) are added, changed or taken away."""

from __future__ import annotations

import json

from smartcity.publish.diff import OWNED_KEY, merged_tags, owned_by_pipeline, package_diff, with_ownership


def _desired(tags=("smart-city", "thailand"), extras=None) -> dict:
    extras = {"schema_version": "1.2", "data_type": "statistics"} if extras is None else extras
    return {
        "name": "sc-figures",
        "title": "Figures",
        "tags": [{"name": t} for t in tags],
        "extras": [{"key": k, "value": v} for k, v in extras.items()],
    }


def _on_portal(desired: dict, **changes) -> dict:
    """What CKAN holds after the pipeline published ``desired`` (then ``changes`` by a curator)."""
    package = {**with_ownership(desired), "id": "pkg-1", "state": "active", "owner_org": "org-1"}
    return {**package, **changes}


def _extras(package_or_list) -> dict:
    items = package_or_list["extras"] if isinstance(package_or_list, dict) else package_or_list
    return {e["key"]: e["value"] for e in items}


def test_what_the_pipeline_published_needs_no_patch():
    desired = _desired()
    assert package_diff(_on_portal(desired), desired, "org-1") == {}


def test_the_ownership_record_names_our_tags_and_extras():
    record = json.loads(_extras(with_ownership(_desired()))[OWNED_KEY])
    assert record == {"tags": ["smart-city", "thailand"], "extras": ["data_type", "schema_version"]}
    assert owned_by_pipeline(_on_portal(_desired())) == ({"smart-city", "thailand"},
                                                         {"data_type", "schema_version"})


def test_a_curators_tag_and_extra_are_kept_when_nothing_of_ours_changed():
    desired = _desired()
    portal = _on_portal(desired)
    portal["tags"] = [*portal["tags"], {"name": "curated"}]
    portal["extras"] = [*portal["extras"], {"key": "contact_note", "value": "ask the city office"}]
    assert package_diff(portal, desired, "org-1") == {}  # nothing to write: theirs stays


def test_our_changes_merge_with_a_curators_tag_and_extra():
    portal = _on_portal(_desired())
    portal["tags"] = [*portal["tags"], {"name": "curated"}]
    portal["extras"] = [*portal["extras"], {"key": "contact_note", "value": "ask the city office"}]
    # the pipeline now drops the tag "thailand" and the extra "data_type", adds "open-data"
    desired = _desired(tags=("smart-city", "open-data"), extras={"schema_version": "1.3"})
    patch = package_diff(portal, desired, "org-1")
    assert sorted(t["name"] for t in patch["tags"]) == ["curated", "open-data", "smart-city"]
    extras = _extras(patch["extras"])
    assert extras["contact_note"] == "ask the city office"  # the curator's, untouched
    assert extras["schema_version"] == "1.3" and "data_type" not in extras
    assert json.loads(extras[OWNED_KEY])["tags"] == ["open-data", "smart-city"]
    assert [e["key"] for e in patch["extras"]] == sorted(extras)


def test_a_curators_edit_of_our_extra_is_written_back_and_theirs_kept():
    desired = _desired()
    portal = _on_portal(desired)
    portal["extras"] = [{"key": "data_type", "value": "edited"} if e["key"] == "data_type" else e
                        for e in portal["extras"]] + [{"key": "curator", "value": "yes"}]
    patch = package_diff(portal, desired, "org-1")
    assert _extras(patch["extras"])["data_type"] == "statistics"  # a field the pipeline owns
    assert _extras(patch["extras"])["curator"] == "yes"
    assert "tags" not in patch


def test_a_dataset_published_before_ownership_was_recorded_keeps_every_other_tag_and_extra():
    desired = _desired()
    legacy = {**desired, "id": "pkg-1", "state": "active", "owner_org": "org-1",
              "tags": [*desired["tags"], {"name": "old-or-curated"}],
              "extras": [*desired["extras"], {"key": "note", "value": "x"}]}
    patch = package_diff(legacy, desired, "org-1")
    assert "tags" not in patch  # nothing known to be ours is missing, nothing known to be ours to drop
    assert set(_extras(patch["extras"])) == {"data_type", "schema_version", "note", OWNED_KEY}


def test_tag_string_portals_merge_the_same_way():
    desired = {**_desired(), "tag_string": "open-data,smart-city"}
    del desired["tags"]
    portal = _on_portal(_desired(tags=("smart-city", "thailand")))
    portal["tags"] = [*portal["tags"], {"name": "curated"}]
    assert merged_tags(portal, desired) == ["curated", "open-data", "smart-city"]
    assert package_diff(portal, desired, "org-1")["tag_string"] == "curated,open-data,smart-city"


def test_an_unreadable_ownership_record_owns_nothing():
    portal = _on_portal(_desired())
    portal["extras"] = [{"key": OWNED_KEY, "value": "{not json"}]
    assert owned_by_pipeline(portal) == (set(), set())
