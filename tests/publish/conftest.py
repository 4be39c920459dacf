"""Fixtures for the publishing tests: small record frames written for these tests, and a
per-session dataset prefix + organization on the real local CKAN, purged afterwards.

``ckan_env`` / ``ckan_client`` come from ``tests/conftest.py`` (they start the local CKAN).
"""

from __future__ import annotations

import uuid

import pytest

from smartcity.publish.catalog import DATASETS, CatalogConfig
from tests.publish.publish_data import USED_PREFIXES


@pytest.fixture(scope="session")
def publish_config(ckan_env):
    """A catalogue config with a unique prefix and organization for this test session; every
    dataset and the organization are purged at the end."""
    import ckanapi

    tag = uuid.uuid4().hex[:8]
    config = CatalogConfig(
        prefix=f"pt{tag}",
        organization=f"pt{tag}-org",
        organization_title="Publishing tests / ทดสอบการเผยแพร่",
        license_id="cc-by",
        maintainer="tests",
        maintainer_email="tests@example.org",
        max_upload_bytes=10 * 1024 * 1024,
        datastore_batch=5,  # several batches even for the small test frames
    )
    yield config
    with ckanapi.RemoteCKAN(ckan_env["url"], apikey=ckan_env["token"]) as ckan:
        for prefix in sorted(USED_PREFIXES | {config.prefix}):
            for key in DATASETS:
                try:
                    ckan.action.dataset_purge(id=f"{prefix}-{key}")
                except ckanapi.NotFound:
                    pass
        try:
            ckan.action.organization_purge(id=config.organization)
        except ckanapi.NotFound:
            pass
