"""Fixtures for the browser tests: ``publish_config`` is shared with tests/publish."""

from tests.publish.publish_data import publish_config

__all__ = ["publish_config"]
