"""``smartcity ckan check``: the decision logic over a fake client (no CKAN needed)."""

from __future__ import annotations

import ckanapi
import pytest

from smartcity.publish.check import assess, probe

PLAIN = ["activity", "datastore", "datapusher"]
GDC = ["scheming_datasets", "datastore", "xloader", "dcat", "structured_data"]
SCHEMA = {"dataset_fields": [{"field_name": "title", "required": True}, {"field_name": "data_type"}]}


class FakeCkan:
    """Answers CKAN actions from a dict; an exception value is raised.  Records every action."""

    address = "http://ckan.example.org"

    def __init__(self, answers: dict) -> None:
        self.answers = answers
        self.actions: list[str] = []

    def call_action(self, action, data=None, files=None):
        self.actions.append(action)
        answer = self.answers.get(action, ckanapi.NotFound(action))
        if isinstance(answer, Exception):
            raise answer
        return answer(data) if callable(answer) else answer


def fake(extensions=PLAIN, version="2.11.6", orgs=(), org_exists=True, sysadmin=False, **extra):
    answers = {
        "status_show": {"ckan_version": version, "extensions": list(extensions)},
        "scheming_dataset_schema_show": SCHEMA,
        "organization_list_for_user": [{"name": n, "capacity": c} for n, c in orgs],
        "organization_show": {"name": "ours"} if org_exists else ckanapi.NotFound("organization"),
        "config_option_list": ["ckan.site_title"] if sysadmin else ckanapi.NotAuthorized("sysadmin only"),
    }
    answers.update(extra)
    return FakeCkan(answers)


def run(ckan, *, has_token=True, organization="ours"):
    return assess(probe(ckan, organization, has_token=has_token))


def test_plain_ckan_editor_may_publish():
    report = run(fake(orgs=[("ours", "editor")]))
    assert report.ok and report.can_create_datasets
    assert report.features == {"datastore": True, "scheming": False, "xloader": False, "dcat": False}
    assert report.version == "2.11.6"
    assert any("only by an admin" in n for n in report.notes)  # an editor cannot patch the organization


def test_gdc_portal_features_and_schema():
    ckan = fake(GDC, orgs=[("ours", "admin")])
    report = run(ckan)
    assert report.ok
    assert report.features == {"datastore": True, "scheming": True, "xloader": True, "dcat": True}
    assert "scheming:    yes (2 dataset fields)" in report.lines
    assert "scheming_dataset_schema_show" in ckan.actions
    assert not report.notes


@pytest.mark.parametrize("plugins", [["dcat"], ["dcat_json_interface"], ["structured_data"]])
def test_dcat_is_any_of_its_plugins(plugins):
    assert run(fake(plugins, orgs=[("ours", "admin")])).features["dcat"]


def test_token_without_create_dataset_in_the_organization():
    report = run(fake(orgs=[("theirs", "editor")]))
    assert not report.ok and not report.can_create_datasets
    assert "may not create datasets in ours (it may in: theirs)" in report.problems[0]
    assert report.lines[-1] == "not ready to publish: nothing was written"


def test_missing_organization_needs_a_sysadmin():
    assert not run(fake(orgs=[], org_exists=False)).ok
    report = run(fake(orgs=[], org_exists=False, sysadmin=True))
    assert report.ok and report.can_create_datasets
    assert "does not exist yet: the publisher creates it" in report.notes[0]


def test_refused_token_stops_there():
    ckan = fake(status_show=ckanapi.NotAuthorized("Invalid API token"))
    report = run(ckan)
    assert not report.ok and "CKAN refused the token" in report.problems[0]
    assert ckan.actions == ["status_show"]


def test_no_token_reports_features_and_asks_for_a_token():
    ckan = fake(GDC)
    report = run(ckan, has_token=False)
    assert not report.ok and report.features["xloader"]
    assert "no API token" in report.problems[0]
    assert "organization_list_for_user" not in ckan.actions


def test_old_ckan_is_refused():
    report = run(fake(version="2.8.12", orgs=[("ours", "admin")]))
    assert not report.ok and "older than 2.9" in report.problems[0]


def test_no_datastore_is_a_note_not_a_problem():
    report = run(fake(["activity"], orgs=[("ours", "admin")]))
    assert report.ok and any("no DataStore" in n for n in report.notes)


def test_unreachable_portal():
    import requests

    report = run(fake(status_show=requests.ConnectionError("refused")))
    assert not report.ok and "did not answer" in report.problems[0]
    assert "not known" in " ".join(report.lines)


def test_only_read_actions():
    ckan = fake(GDC, orgs=[("ours", "admin")], org_exists=False, sysadmin=True)
    run(ckan)
    assert all(a.endswith(("_show", "_list", "_list_for_user")) for a in ckan.actions), ckan.actions


def test_the_token_is_never_printed(monkeypatch, capsys, caplog):
    import logging
    import socket

    from smartcity.publish import check

    with socket.socket() as sock:  # a free loopback port: nothing answers there
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    token = "tok-SECRET-123"
    monkeypatch.setenv("CKAN_URL", f"http://127.0.0.1:{port}")
    monkeypatch.setenv("CKAN_API_TOKEN", token)
    caplog.set_level(logging.DEBUG)
    for argv in (["check"], ["check", "--json"]):
        assert check.main(argv) == 1
    out = capsys.readouterr()
    assert "token:       set (not shown)" in out.out
    assert token not in out.out + out.err + caplog.text
