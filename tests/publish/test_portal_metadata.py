"""DCAT and portal metadata without CKAN: the update frequency as an EU frequency URI in the
field ckanext-dcat reads (``frequency``), the licence chosen from the portal's own
``license_list``, and a contact e-mail required for any portal that is not this machine."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from smartcity.publish import catalog, metadata
from smartcity.publish.calls import Calls
from smartcity.publish.catalog import CatalogConfig
from smartcity.publish.errors import InvalidMetadata
from smartcity.publish.portal import Licence, Portal, choose_licence, detect, licences_from_list
from smartcity.publish.publisher import publish_all, publish_dataset, require_contact
from tests.publish.publish_data import frames

ROOT = Path(__file__).resolve().parents[2]
# what the GDC-like portal's license_list answers (its licenses_group_url file)
GDC = licences_from_list(json.loads((ROOT / "scripts" / "ckan" / "gdc_licenses.json").read_text()))
# CKAN 2.11's default license_list (as the local plain CKAN answers it), a few of its entries
CORE = (
    Licence("notspecified", "License not specified", ""),
    Licence("odc-by", "Open Data Commons Attribution License", "http://www.opendefinition.org/licenses/odc-by"),
    Licence("cc-zero", "Creative Commons CCZero", "http://www.opendefinition.org/licenses/cc-zero"),
    Licence("cc-by", "Creative Commons Attribution", "http://www.opendefinition.org/licenses/cc-by"),
    Licence("cc-by-sa", "Creative Commons Attribution Share-Alike",
            "http://www.opendefinition.org/licenses/cc-by-sa"),
    Licence("cc-nc", "Creative Commons Non-Commercial (Any)", "http://creativecommons.org/licenses/by-nc/2.0/"),
)
DAILY = "http://publications.europa.eu/resource/authority/frequency/DAILY"


def _config(**changes) -> CatalogConfig:
    return dataclasses.replace(CatalogConfig.from_env(), **{"maintainer_email": "opendata@smartcity.go.th",
                                                            **changes})


def _extras(package: dict) -> dict:
    return {e["key"]: e["value"] for e in package["extras"]}


# ------------------------------------------------------------------ licence


@pytest.mark.parametrize(("wanted", "portal_id"), [
    ("cc-by", "Creative Commons Attributions"),  # the same Creative Commons licence, by its URL
    ("CC-BY-4.0", "Creative Commons Attributions"),
    ("https://creativecommons.org/licenses/by-sa/4.0", "Creative Commons Attribution-ShareAlike"),
    ("open data common", "Open Data Common"),  # a title, whatever the case
    ("Open Data Common", "Open Data Common"),
])
def test_our_licence_becomes_an_id_the_gdc_portal_offers(wanted, portal_id):
    assert choose_licence(wanted, GDC).id == portal_id


@pytest.mark.parametrize(("wanted", "portal_id"), [
    ("cc-by", "cc-by"), ("Creative Commons Attribution", "cc-by"),
    ("https://creativecommons.org/licenses/by/4.0/", "cc-by"), ("cc-nc", "cc-nc"),
    ("http://opendefinition.org/licenses/odc-by/", "odc-by"),
])
def test_our_licence_becomes_an_id_a_plain_ckan_offers(wanted, portal_id):
    assert choose_licence(wanted, CORE).id == portal_id


@pytest.mark.parametrize("wanted", ["not-a-licence", "cc-by-nd", "Open Data Common"])
def test_a_licence_the_portal_does_not_offer_is_refused_listing_its_ids(wanted):
    with pytest.raises(InvalidMetadata, match="license_id") as info:
        choose_licence(wanted, CORE)
    message = str(info.value)
    assert "SMARTCITY_LICENSE_ID" in message and "Nothing was written" in message
    assert all(repr(lic.id) in message for lic in CORE)


def test_two_portal_licences_with_the_same_terms_are_not_guessed_between():
    twins = (Licence("cc-by", "CC BY 3.0", "https://creativecommons.org/licenses/by/3.0/"),
             Licence("cc-by-4", "CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/"))
    assert choose_licence("cc-by", twins).id == "cc-by"  # an exact id wins
    with pytest.raises(InvalidMetadata, match="fits 2 of them"):
        choose_licence("https://creativecommons.org/licenses/by/2.0/", twins)


def test_a_portal_not_asked_takes_our_id_as_it_is():
    assert choose_licence("cc-by", ()).id == "cc-by"


def test_package_dict_sends_the_portals_licence_id_and_names_it_in_the_notes():
    ds = catalog.DATASETS["figures"]
    sent = metadata.package_dict(ds, frames()["figures"], _config(), Portal(licences=GDC))
    assert sent["license_id"] == "Creative Commons Attributions"
    assert "Creative Commons Attributions" in _extras(sent)["accessible_condition"]
    with pytest.raises(InvalidMetadata, match="'Open Data Common'"):
        metadata.package_dict(ds, frames()["figures"], _config(license_id="odbl"), Portal(licences=GDC))


class Answers:
    """A CKAN stand-in at ``address`` answering a few read actions; any other action fails."""

    def __init__(self, address: str, **answers) -> None:
        self.address, self.answers, self.actions = address, answers, []

    def call_action(self, action, data=None, files=None):
        self.actions.append(action)
        if action not in self.answers:
            raise AssertionError(f"unexpected {action}")
        return self.answers[action]


def test_detect_reads_the_portals_license_list():
    ckan = Answers("http://127.0.0.1:5999", status_show={"extensions": ["datastore"]},
                   license_list=[{"id": "cc-by", "title": "Creative Commons Attribution", "url": ""},
                                 {"title": "no id: ignored"}])
    shape = detect(Calls(ckan))
    assert shape.licences == (Licence("cc-by", "Creative Commons Attribution", ""),)
    assert ckan.actions == ["status_show", "license_list"]


def test_a_licence_the_portal_lacks_is_refused_before_any_write(tmp_path):
    ckan = Answers("http://127.0.0.1:5999", status_show={"extensions": ["datastore"]},
                   license_list=[{"id": lic.id, "title": lic.title, "url": lic.url} for lic in GDC])
    with pytest.raises(InvalidMetadata, match="'Creative Commons Attributions'"):
        publish_all(ckan, frames(), out_dir=tmp_path, config=_config(license_id="odc-odbl"))
    assert ckan.actions == ["status_show", "license_list"]  # reads only


# ------------------------------------------------------------------ frequency


@pytest.mark.parametrize(("unit", "code"), [("วัน", "DAILY"), ("สัปดาห์", "WEEKLY"), ("เดือน", "MONTHLY"),
                                            ("ไตรมาส", "QUARTERLY"), ("ครึ่งปี", "ANNUAL_2"), ("ปี", "ANNUAL"),
                                            ("ตามเวลาจริง", "CONT"), ("ไม่ทราบ", "UNKNOWN")])
def test_every_gdc_frequency_unit_is_an_eu_frequency_uri(unit, code):
    assert metadata.frequency_uri(unit) == f"http://publications.europa.eu/resource/authority/frequency/{code}"


def test_every_gdc_unit_choice_has_an_eu_frequency():
    schema = json.loads((ROOT / "scripts" / "ckan" / "gdc_dataset.json").read_text())
    units = next(f for f in schema["dataset_fields"] if f["field_name"] == "update_frequency_unit")
    assert {c["value"] for c in units["choices"]} == set(metadata.FREQUENCY_BY_UNIT)


@pytest.mark.parametrize("portal", [Portal(), Portal(licences=GDC)])
def test_frequency_is_where_ckanext_dcat_reads_it(portal):
    sent = metadata.package_dict(catalog.DATASETS["articles"], frames()["articles"], _config(), portal)
    extras = _extras(sent)
    assert extras["frequency"] == DAILY  # euro_dcat_ap profiles: key "frequency", root or extra
    assert "update_frequency" not in extras  # the ISO 8601 "R/P1D" no DCAT profile reads


def test_an_unknown_frequency_unit_is_refused_naming_the_units():
    with pytest.raises(InvalidMetadata, match=r"update_frequency_unit.*ตามเวลาจริง"):
        metadata.package_dict(catalog.DATASETS["articles"], frames()["articles"],
                              _config(update_frequency_unit="daily"))


# ------------------------------------------------------------------ contact


@pytest.mark.parametrize("email", ["", "  ", "opendata@example.org", "x@data.example.com", "someone@test",
                                   "not an address", "a@b@c.org", "nobody@localhost"])
def test_a_remote_portal_needs_a_real_contact_email(email):
    with pytest.raises(InvalidMetadata, match="SMARTCITY_MAINTAINER_EMAIL"):
        require_contact("https://data.go.th", _config(maintainer_email=email))


@pytest.mark.parametrize(("url", "email"), [("https://data.go.th", "opendata@depa.or.th"),
                                            ("http://127.0.0.1:5000", ""), ("http://localhost:5001", ""),
                                            ("http://127.0.0.1:5001", "tests@example.org")])
def test_a_real_contact_or_a_local_portal_passes(url, email):
    require_contact(url, _config(maintainer_email=email))


def test_no_call_is_made_to_a_remote_portal_without_a_contact(tmp_path):
    ckan, config = Answers("https://data.example.go.th"), _config(maintainer_email="")
    for publish in (lambda: publish_all(ckan, frames(), out_dir=tmp_path, config=config),
                    lambda: publish_dataset(ckan, "figures", frames()["figures"], out_dir=tmp_path,
                                            config=config)):
        with pytest.raises(InvalidMetadata, match="maintainer_email"):
            publish()
    assert ckan.actions == []
