"""What the portal says about the data, in words a reader follows: the organization's description,
each dataset's notes and the method document attached to every dataset (``method.md``).

Pure functions of the catalogue (``catalog``), the configuration and a dataset's temporal coverage
(computed once by the caller); nothing here talks to CKAN.  The rules described are those of
:mod:`smartcity.extract` (relevance, figures, confidence), :mod:`smartcity.review` and
:mod:`smartcity.reconcile`: when one of them changes, this text changes with it.
"""

from __future__ import annotations

from smartcity import records
from smartcity.publish.catalog import CatalogConfig, DatasetSpec

METHOD_RESOURCE = "method.md"

DEMO_TITLE = "[DEMO, invented data]"
DEMO_NOTE_TH = (
    "**ชุดข้อมูลสาธิต (DEMO)**: สร้างจากหน้าข่าวสมมติที่มากับโปรแกรมเพื่อการสาธิตเท่านั้น"
    " ข้อมูลทุกแถวถูกแต่งขึ้น ไม่ใช่ข้อมูลของโครงการเมืองอัจฉริยะ ห้ามนำไปอ้างอิง"
)
DEMO_NOTE_EN = (
    "**DEMO dataset**: made from the invented news pages bundled with the pipeline, for"
    " demonstration only. Every row is invented; none of it is the programme's data. Do not cite it."
)

ORGANIZATION_DESCRIPTION = (
    "ข้อมูลเปิดเกี่ยวกับโครงการเมืองอัจฉริยะของประเทศไทย ได้แก่ ข่าวทางการ กิจกรรม ตัวเลขที่ระบุในข่าว"
    " รายชื่อเมืองอัจฉริยะและเขตส่งเสริมเมืองอัจฉริยะ และยอดรวมที่กระทบยอดจากหลายแหล่ง"
    " จัดทำโดยอัตโนมัติจากข่าวที่เผยแพร่บนเว็บไซต์ทางการ ตรวจสอบคุณภาพก่อนเผยแพร่ทุกครั้ง และปรับปรุงทุกวัน"
    " ตัวเลขทุกรายการมีข้อความต้นฉบับที่ระบุตัวเลขนั้นกำกับไว้ ข้อมูลนี้ไม่ใช่สถิติทางการ\n\n"
    "Open data on Thailand's smart-city programme: official news, events, the figures the news"
    " states, the registry of smart cities and promotion zones, and totals reconciled across sources."
    " Made automatically from news published on official websites, checked before every release and"
    " updated daily. Every figure carries the sentence of its source that states it; these are not"
    " official statistics."
)

# How each dataset is made, in one paragraph per language.
_MADE: dict[str, tuple[str, str]] = {
    "articles": (
        "หน้าข่าวจากเว็บไซต์ทางการถูกอ่านทุกวัน และเก็บไว้เฉพาะหน้าที่มีข้อความเกี่ยวกับโครงการเมืองอัจฉริยะ"
        " (กฎในคอลัมน์ relevance) แต่ละแถวมีหัวข้อ วันที่ ที่อยู่เว็บ แหล่งที่มา และข้อความส่วนที่เกี่ยวกับโครงการ"
        " (คอลัมน์ passages) ไม่มีเนื้อหาข่าวทั้งหมด อ่านฉบับเต็มได้จากที่อยู่เว็บ",
        "News pages of official websites are read every day; a page is kept only when some passage of"
        " it is about the smart-city programme (the rule is in the relevance column). Each row has the"
        " title, date, URL, source and the passages about the programme (passages column, each at most"
        f" {records.PASSAGE_CHARS:,} characters, the first {records.MAX_PASSAGES}), not the whole page:"
        " the URL leads to the full text.",
    ),
    "events": (
        "กิจกรรมที่ระบุในหน้าข่าวที่เกี่ยวกับโครงการ พร้อมวันที่ สถานที่ และจังหวัด อ่านจากข้อความข่าวโดยอัตโนมัติ",
        "Events named on the pages about the programme, with their dates, venue and province, read"
        " automatically from the page text.",
    ),
    "figures": (
        "ตัวเลขแต่ละรายการอ่านจากประโยคในข่าวที่เกี่ยวกับโครงการโดยอัตโนมัติ พร้อมประโยคต้นฉบับ (evidence)"
        " หัวข้อและวันที่ของข่าว ข้อเท็จจริงหนึ่งรายการต่อหนึ่งแถว ทุกประโยคที่กล่าวถึงอยู่ในคอลัมน์ mentions",
        "Each figure is read automatically from a sentence of a page about the programme and comes with"
        " that sentence (evidence), the article's title and date. One row per fact of an article; every"
        " sentence that states it is in the mentions column.",
    ),
    "registry": (
        "รายชื่อเมืองอัจฉริยะและเขตส่งเสริมที่ข่าวระบุชื่อ พร้อมจังหวัด รหัส ISO 3166-2:TH และข้อความต้นฉบับ",
        "Smart cities and promotion zones the news names, with the province, its ISO 3166-2:TH code"
        " and the words of the source.",
    ),
    "totals": (
        "ยอดรวมสะสมจากตัวเลขที่มีขอบเขต total ในชุดข้อมูลตัวเลข กระทบยอดระหว่างแหล่งและตามเวลา"
        " สถานะ confirmed คือมีแหล่งอิสระอย่างน้อยสองแหล่งระบุค่าเดียวกัน single_source คือมีแหล่งเดียว"
        " conflict คือแหล่งระบุค่าไม่ตรงกัน (ดู values_seen) ผลการตรวจสอบอยู่ในตาราง checks",
        "Cumulative totals built from the figures of scope total, reconciled across sources and over"
        " time. Status confirmed: two or more independent sources state the value; single_source: one"
        " source; conflict: the sources disagree (values_seen lists what each said). The checks table"
        " holds the consistency checks.",
    ),
}

_SCOPES_EN = (
    "**Scope** (what the number counts): `total` the cumulative number so far (ทั้งสิ้น, รวม,"
    " ปัจจุบันมี); `new` the number added by the event reported; `target` a goal, not an"
    " achievement; empty when the sentence does not say.\n\n"
    "**Qualifier** (how the text bounds it): `exact`; `more_than` (กว่า, มากกว่า); `at_least`"
    " (ไม่น้อยกว่า); `approx` (ประมาณ); `up_to` (ไม่เกิน, สูงสุด)."
)
_SCOPES_TH = (
    "ขอบเขต (scope): total ยอดสะสมทั้งหมด, new จำนวนที่เพิ่มในครั้งนั้น, target เป้าหมาย, ว่าง เมื่อข้อความไม่ระบุ"
    " คำขยาย (qualifier): exact ตรงตามนั้น, more_than กว่า, at_least ไม่น้อยกว่า, approx ประมาณ, up_to ไม่เกิน"
)

_CONFIDENCE_EN = (
    "**How sure**: a figure is published only when it is high confidence (the sentence that states"
    " it names the programme or refers back to its event, so the number is the programme's) or when a"
    " curator accepted or corrected it (the review column says so). Low-confidence figures are review"
    " candidates: a curator reviews them and they are not published until accepted. The extraction is"
    " scored on hand-labelled pages no rule was tuned on; still, check a figure against its evidence"
    " before relying on it."
)
_CONFIDENCE_TH = (
    "ความเชื่อมั่น: เผยแพร่เฉพาะตัวเลขที่มีความเชื่อมั่นสูง (ประโยคระบุโครงการหรือกิจกรรมของโครงการเอง)"
    " หรือที่ผู้ตรวจสอบ (curator) ยอมรับหรือแก้ไขแล้ว (คอลัมน์ review) ตัวเลขที่ความเชื่อมั่นต่ำรอการตรวจสอบและยังไม่เผยแพร่"
)

_WITH_FIGURES = {"figures", "totals"}


def title(ds: DatasetSpec, config: CatalogConfig) -> str:
    """The dataset's title: Thai / English, behind ``DEMO_TITLE`` for demo data."""
    text = f"{ds.title_th} / {ds.title_en}"
    return f"{DEMO_TITLE} {text}" if config.demo else text


def period(coverage: tuple[str, str] | None) -> str:
    """``"2022-01-15 to 2024-07-01"``, or a sentence saying no row is dated."""
    if not coverage:
        return "no dated rows yet / ยังไม่มีแถวที่ระบุวันที่"
    return f"{coverage[0]} to {coverage[1]}"


def link(target: str) -> str:
    """``target`` as Markdown a portal renders as a link (``<https://...>``, ``<mailto:...>``);
    plain text stays as it is.  (A bare ``<...>`` that is not a URL is dropped as a tag.)"""
    return f"<{target}>" if target.startswith(("http://", "https://", "mailto:")) else target


def citation(ds: DatasetSpec, config: CatalogConfig, coverage: tuple[str, str] | None) -> str:
    """How to cite dataset ``ds``: publisher, title, name, schema version, licence, retrieval date."""
    year = coverage[1][:4] if coverage else "n.d."
    return (
        f"{config.organization_title} ({year}). *{ds.title_en}* [data set `{ds.name(config)}`],"
        f" schema version {records.SCHEMA_VERSION}. Licence `{config.license_id}`. Retrieved"
        " [the date you downloaded it] from this portal."
    )


def notes(ds: DatasetSpec, config: CatalogConfig, coverage: tuple[str, str] | None) -> str:
    """The dataset's notes (Markdown, Thai and English): what it is, how it is made, what scope,
    qualifier and confidence mean (datasets with figures), the period covered, how to report an
    error and how to cite it; a demo note first for demo data."""
    made_th, made_en = _MADE[ds.key]
    parts = [DEMO_NOTE_TH, DEMO_NOTE_EN] if config.demo else []
    parts += [f"{ds.notes_th} {made_th}", f"{ds.notes_en} {made_en}"]
    if ds.key in _WITH_FIGURES:
        parts += [_SCOPES_TH, _SCOPES_EN, _CONFIDENCE_TH, _CONFIDENCE_EN]
    parts += [
        f"**Period covered / ช่วงเวลาของข้อมูล**: {period(coverage)}. Updated daily / ปรับปรุงทุกวัน.",
        f"**Report an error / แจ้งข้อผิดพลาด**: {link(config.report_to)} (give the dataset name, the row's"
        f" {ds.main.primary_key or 'values'} and what is wrong).",
        f"**Cite as / การอ้างอิง**: {citation(ds, config, coverage)}",
        f"Method: the `{METHOD_RESOURCE}` resource. Column meanings: the data-dictionary resource."
        f" Schema version {records.SCHEMA_VERSION}.",
    ]
    return "\n\n".join(parts)


def calculation_method(ds: DatasetSpec) -> str:
    """thai_gdc's calculation method of a statistical dataset: how its numbers come about."""
    return _MADE[ds.key][1] + " " + _CONFIDENCE_EN.replace("**How sure**: a figure", "A figure")


def method_markdown(config: CatalogConfig) -> str:
    """The method document attached to every dataset (the same text for all: one method)."""
    demo = f"> {DEMO_NOTE_EN}\n>\n> {DEMO_NOTE_TH}\n\n" if config.demo else ""
    made = "\n".join(f"* **{key}**: {en}" for key, (_, en) in _MADE.items())
    return f"""# How these datasets are made / วิธีจัดทำชุดข้อมูล

{demo}{config.organization_title}

{ORGANIZATION_DESCRIPTION}

## Sources and schedule

Every day the pipeline reads the news pages of the configured official websites (a polite crawler
that says who it is in its user agent and obeys robots.txt), keeps each page's raw bytes, and
parses its title, date and text. Nothing is typed in by hand; a curator's decisions on figures
(below) are the only manual input, and each is recorded.

## What each dataset holds

{made}

## Which pages are about the programme

A page is kept only when a passage of it is about the smart-city programme: its title, a numbered
item (such as one cabinet agenda item) or a paragraph where a programme term (เมืองอัจฉริยะ,
smart city, the smart-city committee, depa ...) is supported by the programme's business
(certification, promotion zones, a count). The rule and term are in the articles' relevance column.

## Figures: scope, qualifier, confidence, review

{_SCOPES_EN}

{_CONFIDENCE_EN}

{_SCOPES_TH}

{_CONFIDENCE_TH}

## Totals

Only figures of scope `total` become totals, one series per metric and region, read in date order.
Statements that agree join one observation; a later different total supersedes the earlier one
(superseded_by). Status `confirmed` needs two independent publishers stating the value;
`conflict` means the sources disagree (values_seen lists the values) and the value published is
the one most sources state.

## Quality checks

Before every release each dataset is validated against its expectation suite (columns, keys,
dates, value sets); a critical failure stops the release and the previous version stays online.
The validation report (data_docs.zip) is attached to each dataset.

## Limits

* Figures are what the news says, not official statistics; a number can be restated, rounded or
  wrong at its source. The evidence column lets you check each one.
* Passages are cut at {records.PASSAGE_CHARS:,} characters and at most {records.MAX_PASSAGES} are
  published per page (passage_count says how many there are); the URL leads to the full text.

## Report an error / แจ้งข้อผิดพลาด

{link(config.report_to)}: give the dataset name, the row's id and what is wrong. A curator checks it;
a wrong figure is rejected or corrected and the next daily release carries the fix.

## Cite / การอ้างอิง

{config.organization_title} (year of the data). *Title of the dataset* [data set name],
schema version {records.SCHEMA_VERSION}. Licence `{config.license_id}`. Retrieved [date] from this
portal. Each dataset's notes give its own citation.
"""
