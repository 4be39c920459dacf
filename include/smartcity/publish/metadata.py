"""The desired dataset metadata for one portal shape: the ONE mapping from our catalogue
metadata to what CKAN is sent.

``catalogue_fields`` says what we know of a dataset (pure, portal-independent): CKAN's core
fields plus the Thai government catalogue fields (names and Thai choice values of
ckanext-thai_gdc's dataset schema, its public ckan_dataset.json), the DCAT fields ckanext-dcat reads
(``temporal_start``/``temporal_end``, ``spatial_text``, ``publisher_name``/``publisher_url``)
and our own (``title_th``/``title_en``, ``schema_version``, ...).  Multiple-choice values are
lists.

``package_dict(ds, frame, config, portal)`` shapes them for the portal:

* plain CKAN: core fields as they are, every catalogue field as an extra (lists joined with
  ``", "``), sorted by key;
* scheming portal: a catalogue field the portal's schema declares is sent top-level (lists as
  lists), checked against the field's choice list before any write (``InvalidMetadata`` names
  the field and the allowed values); the rest stay extras; tags go as ``tag_string``.

On every portal the licence is one of the portal's own ``license_list`` ids
(``portal.choose_licence``, via ``for_portal``), and the update frequency is also sent as
``frequency``, an EU frequency vocabulary URI: the field ckanext-dcat's DCAT-AP profiles read for
``dct:accrualPeriodicity`` (ckanext-dcat 2.4.4, ``profiles/euro_dcat_ap_base.py``: key
``frequency``, top-level or an extra, a URI or a literal; its examples use
``http://publications.europa.eu/resource/authority/frequency/DAILY``).
"""

from __future__ import annotations

import dataclasses

import pandas as pd

from smartcity import records
from smartcity.publish import explain
from smartcity.publish.catalog import (
    DEMO_TAG,
    KEYWORDS_TH,
    CatalogConfig,
    DatasetSpec,
    buddhist_year,
    temporal_coverage,
)
from smartcity.publish.errors import InvalidMetadata
from smartcity.publish.portal import PLAIN, Portal, choose_licence
from smartcity.thai.words import search_words

# CKAN core fields we set; every other key of catalogue_fields is a catalogue field.
CORE = ("name", "title", "notes", "owner_org", "license_id", "maintainer", "maintainer_email", "tags", "url")

# thai_gdc's update_frequency_unit choices (ckan_dataset.json) -> the EU frequency vocabulary
# (the Publications Office's authority table "frequency"; DCAT-AP requires its URIs for
# dct:accrualPeriodicity).  Working days have no EU term: OTHER.
EU_FREQUENCY = "http://publications.europa.eu/resource/authority/frequency/"
FREQUENCY_BY_UNIT = {
    "ปี": "ANNUAL",
    "ครึ่งปี": "ANNUAL_2",
    "ไตรมาส": "QUARTERLY",
    "เดือน": "MONTHLY",
    "สัปดาห์": "WEEKLY",
    "วัน": "DAILY",
    "วันทำการ": "OTHER",
    "ชั่วโมง": "HOURLY",
    "นาที": "1MIN",
    "ตามเวลาจริง": "CONT",
    "อื่นๆ": "OTHER",
    "ไม่ทราบ": "UNKNOWN",
}


def frequency_uri(unit: str) -> str:
    """The EU frequency URI of a thai_gdc update-frequency ``unit`` (every 1 ``unit``), e.g.
    ``frequency_uri("วัน")`` is ``.../frequency/DAILY``.  Raises ``InvalidMetadata`` naming the
    known units for another one."""
    try:
        return EU_FREQUENCY + FREQUENCY_BY_UNIT[unit]
    except KeyError:
        raise InvalidMetadata(
            f"update_frequency_unit: {unit!r} (SMARTCITY_UPDATE_FREQUENCY_UNIT) is not one of"
            f" {', '.join(FREQUENCY_BY_UNIT)}. Nothing was written."
        ) from None


def for_portal(config: CatalogConfig, portal: Portal) -> CatalogConfig:
    """``config`` with its licence replaced by the id of the portal's own licence it names
    (``portal.choose_licence``); raises ``InvalidMetadata`` listing the portal's ids if none."""
    chosen = choose_licence(config.license_id, portal.licences)
    return config if chosen.id == config.license_id else dataclasses.replace(config, license_id=chosen.id)


_PUBLISHER = "โครงการเมืองอัจฉริยะประเทศไทย (ข้อมูลเปิด) / Thailand Smart City Programme open data"


def catalogue_fields(ds: DatasetSpec, frame: pd.DataFrame, config: CatalogConfig) -> dict:
    """Everything we say about dataset ``ds`` given its main ``frame``; deterministic."""
    coverage = temporal_coverage(frame, ds.date_columns)
    fields: dict = {
        "name": ds.name(config),
        "title": explain.title(ds, config),
        "notes": explain.notes(ds, config, coverage),
        "owner_org": config.organization,
        "license_id": config.license_id,
        "maintainer": config.maintainer,
        "maintainer_email": config.maintainer_email,
        "tags": sorted({*ds.tags, DEMO_TAG} if config.demo else ds.tags),
        # catalogue fields (thai_gdc names and choice values)
        "title_th": ds.title_th,
        "title_en": ds.title_en,
        "notes_th": ds.notes_th,
        "notes_en": ds.notes_en,
        "data_type": ds.data_type,
        "objective": ["นโยบายรัฐบาล/ข้อสั่งการนายกรัฐมนตรี"],
        "update_frequency_unit": config.update_frequency_unit,
        "update_frequency_interval": "1",
        "frequency": frequency_uri(config.update_frequency_unit),  # DCAT's dct:accrualPeriodicity
        "geo_coverage": "ประเทศ",
        "spatial_coverage": "ประเทศไทย / Thailand",
        "data_source": "ข่าวทางการจากเว็บไซต์รัฐบาลไทยและ depa (thaigov.go.th, depa.or.th)",
        "data_format": ["CSV"],
        "data_category": "ข้อมูลสาธารณะ",
        "data_language": ["ไทย", "อังกฤษ"],
        "allow_harvest": "True",
        "schema_version": records.SCHEMA_VERSION,
        "keywords_th": keywords_th(ds),
        "row_count": str(len(frame)),
        # the names ckanext-dcat's DCAT-AP profiles read
        "spatial_text": "ประเทศไทย / Thailand",
        "publisher_name": _PUBLISHER,
        "publisher_url": config.project_url,
        # what a curator of a thai_gdc portal fills in (field names and choice values of
        # ckanext-thai_gdc's ckan_dataset.json; data_classification: the government's open level)
        "url": config.project_url,
        "data_classification": "เปิดเผย",
        "accessible_condition": f"ไม่มีเงื่อนไข ใช้ได้ตามสัญญาอนุญาต {config.license_id} โดยอ้างอิงแหล่งที่มา"
        f" / No condition: reuse under the {config.license_id} licence, with attribution.",
        "data_support": "ไม่มี",
        "high_value_dataset": "False",
        "reference_data": "False",
        "official_statistics": "False",  # figures read from news, not a statistical office's
    }
    if config.demo:
        fields["demo_data"] = "True"
    if coverage:
        fields["temporal_coverage_start"], fields["temporal_coverage_end"] = coverage
        fields["temporal_start"], fields["temporal_end"] = coverage
        fields["reference_period"] = explain.period(coverage)
        fields["first_year_of_data"] = str(buddhist_year(coverage[0]))
        fields["last_year_of_data"] = str(buddhist_year(coverage[1]))
    if ds.unit_of_measure:
        fields["unit_of_measure"] = ds.unit_of_measure
        fields["unit_of_multiplier"] = "หน่วย"
        fields["disaggregate"] = ["ขอบเขตเชิงภูมิศาสตร์หรือเชิงพื้นที่"]  # the region column
        fields["calculation_method"] = explain.calculation_method(ds)
    return {k: v for k, v in fields.items() if v not in ("", None)}


def keywords_th(ds: DatasetSpec) -> str:
    """The Thai keywords of ``ds``, comma-separated: the programme's (``KEYWORDS_TH``), then the
    words of its Thai title and description (``thai.words.search_words``).

    Why: CKAN's Solr schema splits text on whitespace only, so a Thai word inside a title such
    as ``ข่าวและบทความทางการเกี่ยวกับเมืองอัจฉริยะ`` is not found; in this extra (copied into
    the searched ``text`` field) each keyword is a token of its own. Thai cannot go into CKAN
    tags (their validator refuses Thai vowel and tone marks)."""
    fixed = [k.strip() for k in KEYWORDS_TH.split(",")]
    words = [w for w in search_words(f"{ds.title_th} {ds.notes_th}", tuple(fixed)) if w not in fixed]
    return ", ".join(fixed + words)


def _as_text(value: object) -> str:
    return ", ".join(value) if isinstance(value, list) else str(value)


def _check(portal: Portal, key: str, value: object, dataset: str) -> None:
    rule = portal.fields[key]
    values = value if isinstance(value, list) else [value]
    if rule.choices:
        bad = [v for v in values if v not in rule.choices]
        if bad:
            raise InvalidMetadata(
                f"{dataset}: field {key!r} ({rule.label}): {_as_text(bad)!r} is not one of the portal's"
                f" choices: {', '.join(rule.choices)}. Nothing was written."
            )


def package_dict(
    ds: DatasetSpec, frame: pd.DataFrame, config: CatalogConfig | None = None, portal: Portal = PLAIN
) -> dict:
    """The dataset dict for ``package_create``/``package_patch`` on ``portal`` (see the module
    docstring).  Raises ``InvalidMetadata`` when a value is outside the portal's choices or a
    field the portal requires is empty."""
    config = for_portal(config or CatalogConfig.from_env(), portal)
    fields = catalogue_fields(ds, frame, config)
    out: dict = {k: fields[k] for k in CORE if k != "tags" and k in fields}
    extras: dict[str, str] = {}
    if not portal.scheming:
        out["tags"] = [{"name": t} for t in fields["tags"]]
        extras = {k: _as_text(v) for k, v in fields.items() if k not in CORE}
    else:
        name = out["name"]
        tags = ",".join(fields["tags"])
        if "tag_string" in portal.fields:
            out["tag_string"] = tags
        else:
            out["tags"] = [{"name": t} for t in fields["tags"]]
        for key, value in fields.items():
            if key in CORE:
                continue
            if key in portal.fields:
                rule = portal.fields[key]
                out[key] = value if rule.multiple else _as_text(value)
            else:
                extras[key] = _as_text(value)
        for key in list(out):
            if key in portal.fields:
                _check(portal, key, out[key], name)
        missing = [r.name for r in portal.fields.values()
                   if r.required and r.name not in {"name", "owner_org"} and not out.get(r.name)]
        if missing:
            hint = {"maintainer_email": " (set SMARTCITY_MAINTAINER_EMAIL to the contact's address)",
                    "maintainer": " (set SMARTCITY_MAINTAINER)"}
            raise InvalidMetadata(f"{name}: the portal requires {missing}, which we do not provide"
                                  + "".join(hint.get(m, "") for m in missing) + ". Nothing was written.")
    out["extras"] = [{"key": k, "value": v} for k, v in sorted(extras.items())]
    return out


# Dates the portal knows better than the data: when the dataset was first published, and the day
# its data last changed (thai_gdc's created_date and last_updated_date, ISO dates).
DATE_FIELDS = ("created_date", "last_updated_date")


def field_value(package: dict, key: str) -> str | None:
    """The value of catalogue field ``key`` on a CKAN ``package``: top-level or an extra."""
    if package.get(key):
        return str(package[key])
    return next((str(e["value"]) for e in package.get("extras", []) if e.get("key") == key), None)


def with_field(desired: dict, portal: Portal, key: str, value: str) -> dict:
    """``desired`` (a ``package_dict``) with catalogue field ``key`` set to ``value``: top-level
    when the portal's schema declares it, else among the extras (kept sorted)."""
    out = dict(desired)
    if portal.scheming and key in portal.fields:
        out[key] = value
        return out
    extras = {e["key"]: e["value"] for e in out.get("extras", []) if e["key"] != key}
    extras[key] = value
    out["extras"] = [{"key": k, "value": v} for k, v in sorted(extras.items())]
    return out
