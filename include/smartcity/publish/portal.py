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

* **Which licences does it offer?**  ``license_list`` (CKAN's own action) gives the ids the
  portal accepts as ``license_id``, with titles and URLs; ``choose_licence`` maps our configured
  licence to one of them, or refuses naming them.

``detect`` makes three reads at most (two on a plain CKAN) and is cached on the ``Calls`` object.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

import ckanapi

from smartcity.publish.calls import Calls
from smartcity.publish.errors import CkanRejected, InvalidMetadata

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
class Licence:
    """One licence of the portal's ``license_list``: the id to send as ``license_id``."""

    id: str
    title: str = ""
    url: str = ""


@dataclass(frozen=True, slots=True)
class Portal:
    """The shape of a portal: ``fields`` is empty on a plain CKAN (no scheming); ``licences`` is
    the portal's ``license_list`` (empty: not asked, e.g. a portal built in a unit test)."""

    extensions: tuple[str, ...] = ()
    fields: dict[str, FieldRule] = field(default_factory=dict)
    licences: tuple[Licence, ...] = ()

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


def _plain(text: str) -> str:
    return " ".join(text.split()).casefold()


def _url_key(url: str) -> str:
    """A URL without scheme, ``www.`` and trailing slash: the two spellings of one licence page."""
    return re.sub(r"^(https?://)?(www\.)?", "", url.strip().casefold()).rstrip("/")


# A Creative Commons licence is named by its elements (by, by-sa, by-nc, ...): in its deed's URL
# (creativecommons.org/licenses/<elements>/<version>/), in the Open Definition's URL that CKAN
# core's licence list uses (opendefinition.org/licenses/cc-<elements>) and in CKAN core's ids
# (cc-by, cc-by-sa, cc-zero).
_CC = (
    re.compile(r"creativecommons\.org/licenses/([a-z]+(?:-[a-z]+)*)/"),
    re.compile(r"opendefinition\.org/licenses/cc-([a-z]+(?:-[a-z]+)*)"),
    re.compile(r"^cc-([a-z]+(?:-[a-z]+)*?)(?:-\d[\d.]*)?$"),
)


def _cc_elements(*texts: str) -> str | None:
    for text in texts:
        for pattern in _CC:
            found = pattern.search(text.strip().casefold())
            if found:
                return found.group(1)
    return None


def choose_licence(wanted: str, licences: tuple[Licence, ...]) -> Licence:
    """The licence of ``licences`` (a portal's ``license_list``) that ``wanted`` (our configured
    licence: an id, a title or a URL) names.  Tried in turn: the id as it is; an id or title
    equal but for case and spaces; the same URL; the same Creative Commons licence (``cc-by`` is
    the licence whose URL is creativecommons.org/licenses/by/4.0/).  With no list (a portal
    that was not asked) ``wanted`` is taken as it is.

    Raises ``InvalidMetadata`` listing the portal's ids when none fits, or more than one does."""
    if not licences:
        return Licence(wanted, wanted)
    for match in (
        lambda lic: lic.id == wanted,
        lambda lic: _plain(wanted) in {_plain(lic.id), _plain(lic.title)},
        lambda lic: bool(lic.url) and _url_key(lic.url) == _url_key(wanted),
    ):
        found = [lic for lic in licences if match(lic)]
        if len(found) == 1:
            return found[0]
    elements = _cc_elements(wanted)
    found = [lic for lic in licences if elements and _cc_elements(lic.url, lic.id) == elements]
    if len(found) == 1:
        return found[0]
    ids = ", ".join(repr(lic.id) for lic in licences)
    why = f"fits {len(found)} of them" if found else "is none of them"
    raise InvalidMetadata(
        f"license_id: our licence {wanted!r} (SMARTCITY_LICENSE_ID) {why}; the portal's license_list"
        f" offers: {ids}. Set SMARTCITY_LICENSE_ID to one of these ids. Nothing was written."
    )


def licences_from_list(answer: object) -> tuple[Licence, ...]:
    """The ``Licence`` of every entry of a ``license_list`` answer."""
    return tuple(
        Licence(str(lic["id"]), str(lic.get("title") or ""), str(lic.get("url") or ""))
        for lic in answer or []  # type: ignore[union-attr]
        if isinstance(lic, dict) and lic.get("id")
    )


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
    try:
        licences = licences_from_list(call("license_list"))
    except ckanapi.NotFound:
        licences = ()  # not a CKAN action here (a stand-in): our licence id is sent as it is
    portal = Portal(extensions, fields, licences)
    log.info("portal %s: %s (%d schema fields, %d licences)", call.base_url, portal.shape, len(fields),
             len(licences))
    call.portal = portal
    return portal
