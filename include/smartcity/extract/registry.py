"""Named lists of smart cities / promotion zones (placeholder, filled below)."""

from __future__ import annotations

from smartcity.records import RegistryEntry


def extract_registry(text: str) -> list[RegistryEntry]:
    return []
