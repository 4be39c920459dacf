"""``smartcity ckan check`` against the real local portals: the plain CKAN (:5000) and the
GDC-like one (:5001: scheming with the GDC schema, xloader, DCAT).  Read-only: a check writes
nothing, so the organization it is asked about is still missing afterwards."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid

import ckanapi
import pytest

from smartcity.publish.check import check
from tests.publish.gdc_portal import gdc_env  # noqa: F401  (fixture)

pytestmark = pytest.mark.integration


def _env(ckan_env, token=None):
    return {"CKAN_URL": ckan_env["url"], "CKAN_API_TOKEN": token or ckan_env["token"]}


def test_plain_ckan_sysadmin(ckan_env):
    org = f"check-{uuid.uuid4().hex[:8]}"
    report = check(_env(ckan_env), organization=org)
    assert report.ok, report.lines
    assert report.version.startswith("2.11")
    assert report.features == {"datastore": True, "scheming": False, "xloader": False, "dcat": False}
    assert report.can_create_datasets  # a sysadmin: the publisher may create the organization
    with ckanapi.RemoteCKAN(ckan_env["url"], apikey=ckan_env["token"]) as ckan:
        with pytest.raises(ckanapi.NotFound):
            ckan.action.organization_show(id=org)  # nothing was written


def test_gdc_like_portal(gdc_env):  # noqa: F811
    report = check(_env(gdc_env), organization=f"check-{uuid.uuid4().hex[:8]}")
    assert report.ok, report.lines
    assert report.features == {"datastore": True, "scheming": True, "xloader": True, "dcat": True}
    assert any(line.startswith("scheming:    yes (") for line in report.lines)


def test_an_unknown_token(ckan_env, ckan_client):
    org = f"check-{uuid.uuid4().hex[:8]}"
    ckan_client.action.organization_create(name=org)
    try:
        report = check(_env(ckan_env, token="not-a-real-token"), organization=org)
    finally:
        ckan_client.action.organization_purge(id=org)
    assert not report.ok and not report.can_create_datasets, report.lines
    assert "did not recognise the token" in report.problems[0]  # CKAN 2.11 treats it as anonymous


def test_a_user_who_is_not_in_the_organization(ckan_env, ckan_client):
    tag = uuid.uuid4().hex[:8]
    org, name = f"check-{tag}", f"check-user-{tag}"
    ckan_client.action.organization_create(name=org)
    user = ckan_client.action.user_create(name=name, email=f"{name}@example.org", password=uuid.uuid4().hex)
    try:
        token = ckan_client.action.api_token_create(user=user["id"], name="check")["token"]
        outsider = check(_env(ckan_env, token), organization=org)
        assert not outsider.ok and not outsider.can_create_datasets
        assert f"may not create datasets in {org}" in outsider.problems[0]
        ckan_client.action.organization_member_create(id=org, username=name, role="editor")
        editor = check(_env(ckan_env, token), organization=org)
        assert editor.ok and editor.can_create_datasets, editor.lines
        assert any("editor of" in n for n in editor.notes)
    finally:
        ckan_client.action.user_delete(id=user["id"])
        ckan_client.action.organization_purge(id=org)


def test_the_command_never_prints_the_token(ckan_env):
    env = {**os.environ, **_env(ckan_env)}
    proc = subprocess.run([sys.executable, "-m", "smartcity.cli", "ckan", "check"], env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "ready to publish" in proc.stdout and "DataStore:   yes" in proc.stdout
    assert ckan_env["token"] not in proc.stdout + proc.stderr
