"""The GDC-like portal for tests: ``scripts/ckan/up_gdc.sh`` (CKAN on :5001 with
ckanext-scheming + the project's GDC-like schema, ckanext-dcat, ckanext-xloader), and a
per-session catalogue config purged afterwards.  Fails, never skips, when it cannot start."""

from __future__ import annotations

import subprocess
import uuid
from pathlib import Path

import pytest

from smartcity.publish.catalog import CatalogConfig
from smartcity.publish.publisher import purge_published

ROOT = Path(__file__).resolve().parents[2]
GDC_HOME = ROOT / ".local" / "ckan-gdc"
GDC_URL = "http://127.0.0.1:5001"


@pytest.fixture(scope="session")
def gdc_env() -> dict[str, str]:
    """``{"url", "token"}`` of the local GDC-like portal (started if needed)."""
    proc = subprocess.run([str(ROOT / "scripts" / "ckan" / "up_gdc.sh")], cwd=ROOT, capture_output=True,
                          text=True, timeout=900, check=False)
    if proc.returncode != 0:
        pytest.fail(f"scripts/ckan/up_gdc.sh failed (exit {proc.returncode}):\n{proc.stderr[-3000:]}")
    return {"url": GDC_URL, "token": (GDC_HOME / "api_token").read_text(encoding="utf-8").strip()}


@pytest.fixture(scope="session")
def gdc_config(gdc_env):
    """A config with its own prefix and organization on the GDC-like portal; purged at the end."""
    import ckanapi

    tag = uuid.uuid4().hex[:8]
    config = CatalogConfig(
        prefix=f"gdc{tag}", organization=f"gdc{tag}-org", organization_title="ทดสอบ GDC / GDC tests",
        license_id="cc-by", maintainer="tests", maintainer_email="tests@example.org",
        max_upload_bytes=10 * 1024 * 1024, datastore_batch=5, xloader_timeout_s=120.0,
    )
    yield config
    with ckanapi.RemoteCKAN(gdc_env["url"], apikey=gdc_env["token"]) as ckan:
        purge_published(ckan, config.prefix + "bad")
        purge_published(ckan, config.prefix, config.organization)
