"""Which kind of CKAN portal we publish to, asked of the portal itself (read-only calls).

Two questions decide how we publish:

* **Is it a scheming portal?** ``status_show`` lists the loaded plugins; with
  ``scheming_datasets`` among them, ``scheming_dataset_schema_show(type="dataset")`` returns the
  dataset schema: its field names, which are required and the choice lists.  A data.go.th
  portal (ckanext-thai_gdc) is one.  There the catalogue fields must be top-level dataset fields
  (CKAN refuses an extra named like a schema field) with values from the choice lists.
  On a plain CKAN the catalogue fields are extras.
* **Does it run ckanext-xloader?**  Then every uploaded CSV is COPYed into the DataStore by the
  portal's own worker; we let it load, and set the data dictionary ourselves (``datastore``).

``detect`` makes two reads at most (one on a plain CKAN) and is cached on the ``Calls`` object.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import ckanapi

from smartcity.publish.calls import Calls
from smartcity.publish.errors import CkanRejected

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class FieldRule:
    """What the portal's schema says of one dataset field."""

    name: str
    required: bool = False
    choices: tuple[str, ...] = ()  # empty: free text
    multiple: bool = False  # a multiple-choice field (the value is a list)
    label: str = ""


@dataclass(frozen=True, slots=True)
class Portal:
    """The shape of a portal: ``fields`` is empty on a plain CKAN (no scheming)."""

    extensions: tuple[str, ...] = ()
    fields: dict[str, FieldRule] = field(default_factory=dict)

    @property
    def scheming(self) -> bool:
        return bool(self.fields)

    @property
    def xloader(self) -> bool:
        return "xloader" in self.extensions

    @property
    def dcat(self) -> bool:
        return "dcat" in self.extensions

    @property
    def shape(self) -> str:
        """``plain``, ``scheming``, ``plain+xloader`` or ``scheming+xloader``."""
        return ("scheming" if self.scheming else "plain") + ("+xloader" if self.xloader else "")


PLAIN = Portal()


def _label(value: object) -> str:
    if isinstance(value, dict):  # scheming labels may be {"en": ..., "th": ...}
        return str(value.get("th") or value.get("en") or next(iter(value.values()), ""))
    return str(value or "")


def rules_from_schema(schema: dict) -> dict[str, FieldRule]:
    """The ``FieldRule`` of every dataset field of a scheming schema (as
    ``scheming_dataset_schema_show`` returns it, presets expanded)."""
    rules = {}
    for f in schema.get("dataset_fields", []):
        validators = str(f.get("validators", ""))
        preset = f.get("preset")
        multiple = "multiple_choice" in validators or preset in {"multiple_checkbox", "multiple_select"}
        choices = tuple(str(c["value"]) for c in f.get("choices", []) if "value" in c)
        rules[f["field_name"]] = FieldRule(
            f["field_name"], bool(f.get("required")), choices, multiple, _label(f.get("label"))
        )
    return rules


def detect(call: Calls) -> Portal:
    """The shape of the portal behind ``call`` (cached on ``call``)."""
    if call.portal is not None:
        return call.portal
    status = call("status_show")
    extensions = tuple(status.get("extensions", []))  # type: ignore[union-attr]
    fields: dict[str, FieldRule] = {}
    if "scheming_datasets" in extensions:
        try:
            schema = call("scheming_dataset_schema_show", {"type": "dataset"})
        except (ckanapi.NotFound, CkanRejected):
            schema = {}  # scheming without a "dataset" type: our datasets are plain
        fields = rules_from_schema(schema)  # type: ignore[arg-type]
    portal = Portal(extensions, fields)
    log.info("portal %s: %s (%d schema fields)", call.base_url, portal.shape, len(fields))
    call.portal = portal
    return portal
