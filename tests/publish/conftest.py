"""Fixtures for the publishing tests.

``ckan_env`` / ``ckan_client`` come from ``tests/conftest.py`` (they start the local CKAN);
``publish_config`` (a per-session dataset prefix and organization, purged afterwards) from
``tests/publish/publish_data.py``.
"""

from tests.publish.publish_data import publish_config

__all__ = ["publish_config"]
