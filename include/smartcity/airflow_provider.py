"""What Airflow learns about this project as a provider: the ``ckan`` connection type.

Airflow finds providers through the ``apache_airflow_provider`` entry point of an installed
distribution; ``pyproject.toml`` declares this function for ours (``smartcity``).  The connection
form is declared here, as Airflow 3.2+ providers do (``conn-fields`` and ``ui-field-behaviour``),
so the UI lists the type and draws its form without importing the hook.  The hook itself is Airflow
glue and lives in ``plugins/`` (``smartcity_ckan.hooks.CkanHook``, named here, imported by Airflow
only where its plugins folder is on the path: every Airflow component); Test Connection imports
it and calls its ``test_connection``.

Nothing is imported here, Airflow included: an entry point that fails to import breaks the
discovery of every provider.
"""

from __future__ import annotations

from typing import Any

CONN_TYPE = "ckan"

# The form of a CKAN connection: host is the portal's URL, password its API token.
UI_FIELD_BEHAVIOUR: dict[str, Any] = {
    "hidden-fields": ["login", "schema", "port", "extra"],
    "relabeling": {"host": "CKAN URL", "password": "API token"},
    "placeholders": {
        "host": "https://data.example.go.th (or http://127.0.0.1:5000)",
        "password": "a CKAN API token (User -> API Tokens); never logged",
    },
}
# Extra fields (stored in the connection's extra as JSON).
CONN_FIELDS: dict[str, Any] = {
    "read_timeout": {
        "label": "Read timeout (seconds)",
        "description": "How long one CKAN call may take to answer (uploads and big upserts need time).",
        "schema": {"type": ["integer", "null"], "minimum": 1, "default": 120},
    },
}


def get_provider_info() -> dict[str, Any]:
    """The provider description Airflow's ``ProvidersManager`` reads."""
    return {
        "package-name": "smartcity",
        "name": "Thai smart-city open data (CKAN)",
        "description": "A CKAN connection type and hook for publishing datasets to a CKAN portal.",
        "connection-types": [
            {
                "connection-type": CONN_TYPE,
                "hook-class-name": "smartcity_ckan.hooks.CkanHook",
                "hook-name": "CKAN",
                "ui-field-behaviour": UI_FIELD_BEHAVIOUR,
                "conn-fields": CONN_FIELDS,
            }
        ],
        "hooks": [{"integration-name": "CKAN", "python-modules": ["smartcity_ckan.hooks"]}],
        "integrations": [
            {
                "integration-name": "CKAN",
                "external-doc-url": "https://docs.ckan.org/en/2.11/api/",
                "tags": ["service"],
            }
        ],
    }
