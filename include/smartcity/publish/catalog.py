"""What we publish: one CKAN dataset per record type, with its metadata and data dictionary.

Everything here is pure: it turns the record contract (``smartcity.records``) and a frame of
records into the dicts CKAN expects.  Nothing talks to CKAN.

Metadata conventions
--------------------
* Dataset names are ``f"{DATASET_PREFIX}-{key}"`` (``SMARTCITY_DATASET_PREFIX``), all in one
  organization (``SMARTCITY_CKAN_ORG``).
* Licence: ``SMARTCITY_LICENSE_ID``, default ``cc-by`` (Creative Commons Attribution 4.0).
  data.go.th publishes most datasets under its "Open Data Common" licence, which CKAN core does
  not know (it would show as an unknown licence); ``cc-by`` is the CKAN-core licence with the same
  terms (reuse with attribution).  It is sent as the id of the portal's own ``license_list``
  entry it names (``portal.choose_licence``: an id, a title or a URL; a Creative Commons licence
  by its terms), e.g. "Creative Commons Attributions" on a ckanext-thai_gdc portal.
* The Thai government catalogue fields (ckanext-thai_gdc's dataset schema, the scheming file
  ``ckan_dataset.json`` of that extension: ``data_type``, ``objective``,
  ``update_frequency_unit``/``_interval``, ``geo_coverage``, ``data_source``, ``data_format``,
  ``data_category``, ``first_year_of_data``/``last_year_of_data`` in Buddhist era,
  ``unit_of_measure``) carry the Thai choice values that schema uses.  How they are sent
  (extras on a plain CKAN, top-level fields checked against the choice lists on a scheming
  portal) is decided in one place, ``smartcity.publish.metadata``.  ``schema_version`` is
  ``records.SCHEMA_VERSION``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import typing
from dataclasses import dataclass

import pandas as pd

from smartcity import records, settings

BUDDHIST_ERA_OFFSET = 543  # BE year = CE year + 543


def _env(name: str, default: str) -> str:
    return os.environ.get(name, default)


@dataclass(frozen=True, slots=True)
class CatalogConfig:
    """Portal-wide settings, each overridable by an environment variable (read at call time)."""

    prefix: str
    organization: str
    organization_title: str
    license_id: str
    maintainer: str
    maintainer_email: str
    max_upload_bytes: int
    datastore_batch: int
    update_frequency_unit: str = "วัน"  # a thai_gdc choice: daily, as the DAG runs
    xloader_timeout_s: float = 600.0  # how long to wait for a portal's xloader to load a CSV
    project_url: str = settings.PROJECT_URL  # where the method and the code are
    report_url: str = settings.REPORT_URL  # where a reader reports an error ("": the contact e-mail)
    demo: bool = False  # the run read the bundled demo snapshot: every name and title says so

    @property
    def report_to(self) -> str:
        """Where a reader reports an error: ``SMARTCITY_REPORT_URL``, else the contact e-mail
        (``mailto:``), else, on a portal that has neither (only a local one may), its contact."""
        if self.report_url.strip():
            return self.report_url.strip()
        if self.maintainer_email.strip():
            return f"mailto:{self.maintainer_email.strip()}"
        return "ผู้ดูแลข้อมูลของหน่วยงานบนพอร์ทัลนี้ / the contact of this organization on this portal"

    def for_demo(self, demo: bool = True) -> CatalogConfig:
        """This config for a run on the demo snapshot (``demo=True``) or on real sources."""
        return dataclasses.replace(self, demo=demo)

    @classmethod
    def from_env(cls) -> CatalogConfig:
        """Build the config from ``SMARTCITY_*`` variables, falling back to ``settings``."""
        return cls(
            prefix=_env("SMARTCITY_DATASET_PREFIX", settings.DATASET_PREFIX),
            organization=_env("SMARTCITY_CKAN_ORG", settings.CKAN_ORGANIZATION),
            organization_title=_env(
                "SMARTCITY_CKAN_ORG_TITLE",
                "โครงการเมืองอัจฉริยะประเทศไทย (ข้อมูลเปิด) / Thailand Smart City Programme open data",
            ),
            license_id=_env("SMARTCITY_LICENSE_ID", "cc-by"),
            # no invented contact: a portal that requires an e-mail refuses to publish until it is set
            maintainer=_env("SMARTCITY_MAINTAINER", "Thailand smart-city open-data pipeline"),
            maintainer_email=_env("SMARTCITY_MAINTAINER_EMAIL", ""),
            # CKAN's own default ckan.max_resource_size is 10 MB.
            max_upload_bytes=int(float(_env("SMARTCITY_CKAN_MAX_UPLOAD_MB", "10")) * 1024 * 1024),
            datastore_batch=int(_env("SMARTCITY_DATASTORE_BATCH", "5000")),
            update_frequency_unit=_env("SMARTCITY_UPDATE_FREQUENCY_UNIT", "วัน"),
            xloader_timeout_s=float(_env("SMARTCITY_XLOADER_TIMEOUT_S", "600")),
            project_url=_env("SMARTCITY_PROJECT_URL", settings.PROJECT_URL),
            report_url=_env("SMARTCITY_REPORT_URL", settings.REPORT_URL),
        )


# --------------------------------------------------------------------------------------------
# Data dictionary
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One column: ``name``, DataStore ``type`` (text|numeric|int|date|timestamp), whether the
    Python value is a list (serialised as JSON text in CSV/DataStore, a list in Parquet), the
    list's item type, a Thai label and an English description."""

    name: str
    type: str
    label_th: str
    description_en: str
    is_list: bool = False
    item_type: str = "text"


# Column name -> (Thai label, English description).  Entries keyed "Record.column" override the
# generic entry for one record type where the same name means something different.
_DOCS: dict[str, tuple[str, str]] = {
    "article_id": ("รหัสบทความ", "Canonical article id, source:local-id, e.g. thaigov:48474."),
    "source": ("แหล่งที่มา", "Short name of the publishing source, e.g. thaigov, depa."),
    "url": ("ที่อยู่เว็บ", "Canonical URL of the page."),
    "title": ("หัวข้อ", "Headline of the article as published."),
    "published": ("วันที่เผยแพร่", "Publication date, ISO 8601 (Gregorian calendar)."),
    "published_text": ("วันที่ตามต้นฉบับ", "The publication date exactly as written on the page."),
    "category": ("หมวดหมู่", "Category or section given by the source, if any."),
    "body": ("เนื้อหา", "Plain-text body of the article."),
    "passages": (
        "ข้อความส่วนที่เกี่ยวกับโครงการ",
        f"The passages of the page about the programme, one blank line apart: each at most"
        f" {records.PASSAGE_CHARS:,} characters (cut with …), the first {records.MAX_PASSAGES}."
        " The whole page is at the url.",
    ),
    "passage_count": ("จำนวนข้อความที่เกี่ยวข้อง", "How many passages of the page are about the programme."),
    "language": ("ภาษา", "Language of the text: th or en."),
    "fetched_at": ("เวลาที่ดึงข้อมูล", "When the page was fetched, ISO 8601 UTC."),
    "content_hash": ("ค่าแฮชเนื้อหา", "SHA-256 of the raw page bytes."),
    "relevance": (
        "เหตุที่เกี่ยวข้อง",
        "Why the page is about the smart-city programme: the rule (title, item, paragraph,"
        " body-on-programme-page) and the programme term it matched.",
    ),
    "relevance_evidence": (
        "ข้อความที่เกี่ยวข้อง",
        "The start of the passage that made the page relevant (at most 300 characters), to audit the filter.",
    ),
    "event_id": ("รหัสกิจกรรม", "Stable id of the event."),
    "name": ("ชื่อ", "Name of the event, city or zone."),
    "start_date": ("วันเริ่ม", "First day of the event, ISO 8601."),
    "end_date": ("วันสิ้นสุด", "Last day of the event, ISO 8601."),
    "venue": ("สถานที่", "Venue of the event."),
    "province": ("จังหวัด", "Province name in Thai."),
    "province_code": ("รหัสจังหวัด", "ISO 3166-2:TH code of the province, e.g. TH-10."),
    "organiser": ("ผู้จัด", "Organiser of the event."),
    "source_url": ("ที่อยู่เว็บต้นทาง", "URL of the article the record was taken from."),
    "metric": ("ตัวชี้วัด", "What is counted, e.g. smart_city_count, zone_count, amount_thb."),
    "value": ("ค่า", "The number stated (figures) or reconciled (totals)."),
    "unit": ("หน่วย", "Unit of value: count or THB."),
    "scope": ("ขอบเขต", "total, new or target; empty when the text does not say."),
    "qualifier": ("คำขยาย", "exact, more_than, at_least, approx or up_to (e.g. กว่า, ประมาณ)."),
    "region": ("ภูมิภาค/พื้นที่", "Region or area the figure refers to; empty for the whole country."),
    "evidence": ("ข้อความอ้างอิง", "The exact words in the article that state the record."),
    "start": ("ตำแหน่งเริ่ม", "Character offset where the evidence starts in the article body."),
    "end": ("ตำแหน่งสิ้นสุด", "Character offset where the evidence ends in the article body."),
    "figure_id": (
        "รหัสตัวเลข",
        "Stable id of the figure (primary key): one per fact (metric, value, region) of an article,"
        " the same in every run.",
    ),
    "article_title": ("หัวข้อบทความ", "Headline of the article that states the figure."),
    "confidence": (
        "ความเชื่อมั่น",
        "high: the statement itself names the programme or refers back to its event, so the figure"
        " is published as a fact; low: a review candidate (published only when a curator accepts it).",
    ),
    "rule": ("กฎที่ใช้", "The test that set the confidence, for audit."),
    "mentions": (
        "ข้อความที่กล่าวถึง",
        "JSON list of every statement of this fact in the article (start, end, evidence);"
        " the row's evidence is the most specific of them.",
    ),
    "mention_count": ("จำนวนครั้งที่กล่าวถึง", "How many statements of the article state this fact."),
    "review": (
        "ผลการทบทวน",
        "accepted or corrected when a curator decided on the figure; empty otherwise.",
    ),
    "kind": ("ประเภท", "city (smart city) or zone (promotion zone)."),
    "entry_id": ("รหัสรายการ", "Stable id of the registry entry (primary key)."),
    "as_of": ("ณ วันที่", "Date the total was stated, ISO 8601."),
    "status": ("สถานะ", "Reconciliation status: confirmed, single_source or conflict."),
    "sources": ("แหล่งที่มาทั้งหมด", "JSON list of the source URLs that state this value."),
    "values_seen": ("ค่าที่พบ", "JSON list of every value the sources gave."),
    "superseded_by": ("แทนที่โดย", "total_id of a later total that replaces this one, if any."),
    "total_id": ("รหัสยอดรวม", "Stable id of the reconciled total (primary key)."),
    "detail": ("รายละเอียด", "What the check found."),
    "check_id": ("รหัสการตรวจสอบ", "Stable id of the check (primary key)."),
    "Check.name": ("ชื่อการตรวจสอบ", "Name of the reconciliation check."),
    "Check.status": ("ผลการตรวจสอบ", "pass or fail."),
    "Check.sources": ("แหล่งที่มา", "JSON list of the sources involved in the check."),
    "Quarantined.stage": ("ขั้นตอน", "Stage that failed: fetch or parse."),
    "reason": ("เหตุผล", "Why the page could not be used."),
    "archive_key": ("คีย์คลังเก็บ", "Key of the raw page in the archive, if it was fetched."),
    "at": ("เวลา", "When it happened, ISO 8601 UTC."),
}

_DATE_COLUMNS = {"published", "start_date", "end_date", "as_of"}
_TIMESTAMP_COLUMNS = {"fetched_at", "at"}


class UndocumentedColumn(KeyError):
    """A record column has no entry in the data dictionary."""


def _field_type(name: str, annotation: str) -> tuple[str, bool, str]:
    """Map a dataclass annotation (a string, because of ``from __future__ import annotations``)
    to (DataStore type, is_list, item type)."""
    ann = annotation.replace(" ", "")
    if ann.startswith("list["):
        item = ann[5:-1]
        return "text", True, "numeric" if item in {"float", "int"} else "text"
    if name in _DATE_COLUMNS:
        return "date", False, "text"
    if name in _TIMESTAMP_COLUMNS:
        return "timestamp", False, "text"
    base = ann.split("|")[0]
    return {"float": "numeric", "int": "int"}.get(base, "text"), False, "text"


def data_dictionary(record_type: type) -> list[FieldSpec]:
    """The data dictionary of ``record_type``: one ``FieldSpec`` per column, in column order.

    Raises ``UndocumentedColumn`` if a column has no Thai label / English description, so a new
    column cannot be published undocumented.
    """
    hints = {f.name: str(f.type) for f in dataclasses.fields(record_type)}
    out: list[FieldSpec] = []
    for name in records.columns(record_type):
        doc = _DOCS.get(f"{record_type.__name__}.{name}") or _DOCS.get(name)
        if doc is None:
            raise UndocumentedColumn(f"{record_type.__name__}.{name} has no data-dictionary entry")
        ds_type, is_list, item = _field_type(name, hints[name])
        out.append(FieldSpec(name, ds_type, doc[0], doc[1], is_list, item))
    return out


# --------------------------------------------------------------------------------------------
# Dataset specs
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TableSpec:
    """One table of a dataset: its record type, primary key and whether it goes to the DataStore."""

    name: str
    record_type: type
    primary_key: str | None
    datastore: bool = False
    title_en: str = ""


@dataclass(frozen=True, slots=True)
class DatasetSpec:
    """One CKAN dataset: its tables (the first is the main one) and its descriptive metadata."""

    key: str
    tables: tuple[TableSpec, ...]
    title_th: str
    title_en: str
    notes_th: str
    notes_en: str
    tags: tuple[str, ...]
    data_type: str  # ckanext-thai_gdc choice: ข้อมูลระเบียน | ข้อมูลสถิติ | ...
    date_columns: tuple[str, ...]  # columns giving the temporal coverage
    unit_of_measure: str | None = None  # statistical data only

    def name(self, config: CatalogConfig | None = None) -> str:
        """The deterministic CKAN name of the dataset: ``<prefix>-<key>``, behind ``demo-`` for demo
        data (once, whatever the prefix)."""
        config = config or CatalogConfig.from_env()
        name = f"{config.prefix}-{self.key}"
        if config.demo and not name.startswith(DEMO_NAME_PREFIX):
            name = DEMO_NAME_PREFIX + name
        return name

    @property
    def main(self) -> TableSpec:
        return self.tables[0]


# CKAN core validates tags against [\w \-.]: Thai vowel and tone marks are not \w, so a Thai tag
# such as "เมืองอัจฉริยะ" is refused.  Tags are English; Thai keywords go to the keywords_th extra.
_COMMON_TAGS = ("smart-city", "thailand", "depa", "open-data")
DEMO_NAME_PREFIX = "demo-"
DEMO_TAG = "demo"
KEYWORDS_TH = "เมืองอัจฉริยะ, ข้อมูลเปิด, ประเทศไทย"

DATASETS: dict[str, DatasetSpec] = {
    "articles": DatasetSpec(
        key="articles",
        tables=(TableSpec("articles", records.PublishedArticle, "article_id", False, "Articles"),),
        title_th="ข่าวและบทความทางการเกี่ยวกับเมืองอัจฉริยะ",
        title_en="Official news articles on Thailand's smart-city programme",
        notes_th="ข่าวและบทความจากแหล่งข่าวทางการที่กล่าวถึงโครงการเมืองอัจฉริยะ พร้อมวันที่เผยแพร่"
        " และข้อความส่วนที่เกี่ยวกับโครงการ",
        notes_en="Official news articles and event pages about the national smart-city programme,"
        " with their publication dates and the passages about the programme.",
        tags=(*_COMMON_TAGS, "news"),
        data_type="ข้อมูลระเบียน",
        date_columns=("published",),
    ),
    "events": DatasetSpec(
        key="events",
        tables=(TableSpec("events", records.Event, "event_id", False, "Events"),),
        title_th="กิจกรรมที่เกี่ยวกับเมืองอัจฉริยะ",
        title_en="Smart-city events in Thailand",
        notes_th="กิจกรรม งานสัมมนา และการประชุมที่เกี่ยวข้องกับเมืองอัจฉริยะ ตามที่ระบุในข่าวทางการ",
        notes_en="Events, forums and meetings of the smart-city programme, with dates, venue and"
        " province, as stated in official news.",
        tags=(*_COMMON_TAGS, "events"),
        data_type="ข้อมูลระเบียน",
        date_columns=("start_date", "end_date"),
    ),
    "figures": DatasetSpec(
        key="figures",
        tables=(TableSpec("figures", records.Figure, "figure_id", True, "Figures"),),
        title_th="ตัวเลขที่ระบุในข่าวเกี่ยวกับเมืองอัจฉริยะ",
        title_en="Figures stated in smart-city news",
        notes_th="ตัวเลขแต่ละรายการที่ข่าวทางการระบุ เช่น จำนวนเมืองอัจฉริยะ จำนวนเขตส่งเสริม"
        " และงบประมาณ พร้อมข้อความอ้างอิง",
        notes_en="Every figure stated in official news (number of smart cities, promotion zones,"
        " budgets, participants), each with the exact evidence text and its source.",
        tags=(*_COMMON_TAGS, "statistics"),
        data_type="ข้อมูลสถิติ",
        date_columns=("published",),
        unit_of_measure="count / THB (see the unit column)",
    ),
    "registry": DatasetSpec(
        key="registry",
        tables=(TableSpec("registry", records.RegistryEntry, "entry_id", False, "Registry"),),
        title_th="ทะเบียนเมืองอัจฉริยะและเขตส่งเสริมเมืองอัจฉริยะ",
        title_en="Registry of named smart cities and promotion zones",
        notes_th="รายชื่อเมืองอัจฉริยะและเขตส่งเสริมเมืองอัจฉริยะที่ได้รับการประกาศ พร้อมจังหวัด",
        notes_en="Smart cities and smart-city promotion zones named in official news, with their"
        " province and ISO 3166-2:TH code.",
        tags=(*_COMMON_TAGS, "registry"),
        data_type="ข้อมูลระเบียน",
        date_columns=("published",),
    ),
    "totals": DatasetSpec(
        key="totals",
        tables=(
            TableSpec("totals", records.Total, "total_id", True, "Reconciled totals"),
            TableSpec("checks", records.Check, "check_id", False, "Reconciliation checks and conflicts"),
        ),
        title_th="ยอดรวมเมืองอัจฉริยะที่กระทบยอดแล้ว",
        title_en="Reconciled smart-city totals over time",
        notes_th="ยอดรวมสะสม (เช่น จำนวนเมืองอัจฉริยะทั้งหมด) ที่กระทบยอดจากหลายแหล่ง"
        " พร้อมสถานะยืนยันหรือขัดแย้ง และผลการตรวจสอบ",
        notes_en="Cumulative totals (e.g. the number of declared smart cities) reconciled across"
        " sources and over time, with their status (confirmed, single source, conflict) and the"
        " reconciliation checks.",
        tags=(*_COMMON_TAGS, "statistics", "reconciled"),
        data_type="ข้อมูลสถิติ",
        date_columns=("as_of",),
        unit_of_measure="count / THB (see the metric column)",
    ),
}


def spec(key: str) -> DatasetSpec:
    """The spec of dataset ``key``; ``KeyError`` naming the known keys otherwise."""
    try:
        return DATASETS[key]
    except KeyError:
        raise KeyError(f"unknown dataset {key!r}; known: {sorted(DATASETS)}") from None


# --------------------------------------------------------------------------------------------
# Metadata computed from the data
# --------------------------------------------------------------------------------------------


def _as_date(value: object) -> dt.date | None:
    # an unreadable date is ignored for coverage: validating it is the quality stage's job
    return records.to_date(value)


def temporal_coverage(frame: pd.DataFrame, date_columns: typing.Iterable[str]) -> tuple[str, str] | None:
    """The (first, last) ISO date found in ``date_columns`` of ``frame``, or None if none."""
    dates = [
        d for col in date_columns if col in frame.columns for d in map(_as_date, frame[col].tolist()) if d
    ]
    if not dates:
        return None
    return min(dates).isoformat(), max(dates).isoformat()


def buddhist_year(iso_date: str) -> int:
    """The Buddhist-era year of an ISO date: ``buddhist_year("2024-07-01") == 2567``."""
    return dt.date.fromisoformat(iso_date[:10]).year + BUDDHIST_ERA_OFFSET


def package_dict(ds: DatasetSpec, frame: pd.DataFrame, config: CatalogConfig | None = None) -> dict:
    """The dataset dict for a plain CKAN (catalogue fields as extras); the mapping for every
    portal shape is ``smartcity.publish.metadata.package_dict``."""
    from smartcity.publish.metadata import package_dict as shaped

    return shaped(ds, frame, config)


def datastore_fields(table: TableSpec) -> list[dict]:
    """The ``fields`` argument of ``datastore_create`` for ``table``: id, type and the data
    dictionary in ``info`` (label = Thai label, notes = English description)."""
    return [
        {"id": f.name, "type": f.type, "info": {"label": f.label_th, "notes": f.description_en}}
        for f in data_dictionary(table.record_type)
    ]
