"""A gazetteer of Thailand's 77 provinces (Bangkok + 76) and the region labels news uses.

Data: ``provinces.csv`` in this package (code, Thai name, English name, region, aliases).

Sources of the facts encoded here:

* Codes: ISO 3166-2:TH (``TH-10`` Bangkok ... ``TH-96`` Narathiwat; ``TH-38`` Bueng Kan, created
  2011).  ``TH-S`` (Pattaya special city) is not a province and is left out.
* Thai and English names: the Royal Institute romanisation as used by ISO 3166-2:TH and the
  Department of Provincial Administration.
* ``region``: the six-region *geographic* scheme of the National Geographical Committee (1977):
  north (9), northeast (20), central (22, incl. Bangkok), east (7), west (5), south (14).  Other
  schemes exist (the four-region administrative one puts the west and east into "central"; the
  NESDC uses its own): this module documents which one it follows, it does not mix them.
* Region *labels* as written in depa / DE ministry announcements (``ภาคเหนือตอนบน``,
  ``ภาคอีสานตอนกลาง``, ``ภาคใต้ตอนล่าง`` ...) are sub-divisions used by those agencies for
  reporting; :func:`find_region_labels` recognises them as written, :func:`region_of_label`
  maps them onto the six-region scheme where that is unambiguous.

Matching rules that encode facts about Thai text (why they exist):

* Some province names are ordinary Thai words (``เลย`` "at all", ``ตาก`` "to dry", ``แพร่``
  inside ``เผยแพร่`` "publish", ``น่าน``, ``ตรัง``): they match only after ``จังหวัด`` / ``จ.``.
* ``อยุธยา`` after ``ณ`` is part of a family name (``ณ อยุธยา``), not the province.
* Short English names that are also words or abbreviations (``Nan``, ``Tak``, ``Trang``) match
  case-sensitively.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

__all__ = [
    "REGIONS",
    "Province",
    "ProvinceMatch",
    "RegionMatch",
    "find_provinces",
    "find_region_labels",
    "lookup_province",
    "provinces",
    "region_of_label",
]

# The six geographic regions (National Geographical Committee, 1977): key -> (Thai, English).
REGIONS: dict[str, tuple[str, str]] = {
    "north": ("ภาคเหนือ", "Northern region"),
    "northeast": ("ภาคตะวันออกเฉียงเหนือ", "Northeastern region"),
    "central": ("ภาคกลาง", "Central region"),
    "east": ("ภาคตะวันออก", "Eastern region"),
    "west": ("ภาคตะวันตก", "Western region"),
    "south": ("ภาคใต้", "Southern region"),
}

# Thai names that are also common words: only matched right after "จังหวัด" / "จ.".
_AMBIGUOUS_TH = frozenset({"เลย", "ตาก", "แพร่", "น่าน", "ตรัง"})
# English names that are also ordinary tokens: matched case-sensitively.
_CASE_SENSITIVE_EN = frozenset({"Nan", "Tak", "Trang"})
_PROVINCE_PREFIX = re.compile(r"(?:จังหวัด|จ\.)\s*$")


@dataclass(frozen=True, slots=True)
class Province:
    """One province: Thai and English name, ISO 3166-2:TH code, six-region key."""

    name_th: str
    name_en: str
    code: str
    region: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ProvinceMatch:
    """A province named in a text: ``text[start:end]`` is the name as written."""

    province: Province
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class RegionMatch:
    """A region label named in a text (``label`` as written; ``region`` a six-region key or None)."""

    label: str
    region: str | None
    start: int
    end: int


@lru_cache(maxsize=1)
def provinces() -> tuple[Province, ...]:
    """All 77 provinces in ISO code order, read once from the packaged ``provinces.csv``."""
    text = resources.files(__package__).joinpath("provinces.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(text.splitlines())
    out = [
        Province(
            name_th=row["name_th"],
            name_en=row["name_en"],
            code=row["code"],
            region=row["region"],
            aliases=tuple(a for a in (row["aliases"] or "").split("|") if a),
        )
        for row in rows
    ]
    return tuple(out)


def _is_latin(name: str) -> bool:
    return name.isascii()


def _latin_key(name: str) -> str:
    # "Chiang Mai", "Chiangmai", "chiang-mai" all become "chiangmai".
    return re.sub(r"[\s\-.]", "", name).casefold()


@lru_cache(maxsize=1)
def _index() -> tuple[dict[str, Province], dict[str, Province], dict[str, Province]]:
    """(Thai name -> province, latin key -> province, code -> province)."""
    thai: dict[str, Province] = {}
    latin: dict[str, Province] = {}
    codes: dict[str, Province] = {}
    for p in provinces():
        codes[p.code] = p
        for name in (p.name_th, p.name_en, *p.aliases):
            if _is_latin(name):
                latin[_latin_key(name)] = p
            else:
                thai[name] = p
    return thai, latin, codes


def lookup_province(name: str) -> Province | None:
    """The province called ``name`` (Thai, English, alias or ISO code; ``จังหวัด`` prefix allowed).

    Returns None when nothing matches; never raises for odd input.
    """
    if not name:
        return None
    key = name.strip()
    key = re.sub(r"^(?:จังหวัด|จ\.)\s*", "", key)
    key = re.sub(r"(?i)\s*province$", "", key)
    key = re.sub(r"(?i)^province of\s+", "", key).strip()
    thai, latin, codes = _index()
    if key.upper() in codes:
        return codes[key.upper()]
    if key in thai:
        return thai[key]
    return latin.get(_latin_key(key))


def _trie_regex(names: list[str]) -> str:
    """A regex matching any of ``names``, longest first, with shared prefixes factored out.

    A flat alternation of ~200 names is slow in Python's ``re`` (every branch is tried at every
    position); a trie turns it into one branch per distinct next character.
    """
    trie: dict = {}
    for name in names:
        node = trie
        for ch in name:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        branches = []
        optional = False
        for ch in sorted(node, key=lambda c: (c == "", c)):
            if ch == "":
                optional = True
                continue
            branches.append(re.escape(ch) + build(node[ch]))
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 and not optional else "(?:" + "|".join(branches) + ")"
        return body + "?" if optional else body

    return build(trie)


@lru_cache(maxsize=1)
def _province_pattern() -> re.Pattern[str]:
    thai, _, _ = _index()
    latin_ci: set[str] = set()
    latin_cs: set[str] = set()
    for p in provinces():
        for name in (p.name_en, *p.aliases):
            if _is_latin(name):
                target = latin_cs if name in _CASE_SENSITIVE_EN else latin_ci
                target.add(name)
                if " " in name:
                    target.add(name.replace(" ", ""))  # "Chiang Mai" also as "ChiangMai"
                    target.add(name.replace(" ", "-"))
    # Latin names are matched lower-cased by the (?i) group; the trie keeps greedy longest match.
    thai_re = _trie_regex(sorted(thai))
    ci_re = _trie_regex(sorted({n.casefold() for n in latin_ci}))
    cs_re = _trie_regex(sorted(latin_cs))
    return re.compile(rf"{thai_re}|\b(?i:{ci_re})\b|\b{cs_re}\b")


def find_provinces(text: str) -> list[ProvinceMatch]:
    """Every province named in ``text``, left to right, longest name first, no overlaps.

    Takes any text (Thai, English, mixed); returns ``ProvinceMatch`` with offsets into ``text``.
    """
    out: list[ProvinceMatch] = []
    thai, latin, _ = _index()
    for m in _province_pattern().finditer(text):
        written = m.group(0)
        if _is_latin(written):
            prov = latin.get(_latin_key(written))
        else:
            prov = thai.get(written)
            before = text[max(0, m.start() - 12) : m.start()]
            if written in _AMBIGUOUS_TH and not _PROVINCE_PREFIX.search(before):
                continue
            if written == "อยุธยา" and re.search(r"ณ\s*$", before):
                continue  # the family name "ณ อยุธยา"
        if prov is not None:
            out.append(ProvinceMatch(prov, m.start(), m.end()))
    return out


# Region labels as written in Thai announcements: a region, optionally a part of it.
_REGION_TH = re.compile(
    r"ภาค(?P<base>ตะวันออกเฉียงเหนือ|ตะวันออก|ตะวันตก|เหนือ|อีสาน|กลาง|ใต้)"
    r"(?P<part>ตอนบน|ตอนกลาง|ตอนล่าง|ฝั่งอ่าวไทย|ฝั่งอันดามัน|ชายแดนใต้|ชายแดน)?"
    r"|กรุงเทพฯ?(?:มหานคร)?\s*และปริมณฑล|ปริมณฑล"
)
_REGION_EN = re.compile(
    r"\b(?:(?:Upper|Lower|Central)\s+)?(?:North[\s\-]?east(?:ern)?|North(?:ern)?|South(?:ern)?|"
    r"East(?:ern)?|West(?:ern)?|Central)\s+(?:region|Thailand)\b"
    r"|\b(?:Greater\s+Bangkok|Bangkok\s+and\s+(?:its\s+)?(?:vicinity|surrounding\s+provinces))\b",
    re.IGNORECASE,
)
_BASE_TO_REGION = {
    "ตะวันออกเฉียงเหนือ": "northeast",
    "อีสาน": "northeast",
    "ตะวันออก": "east",
    "ตะวันตก": "west",
    "เหนือ": "north",
    "กลาง": "central",
    "ใต้": "south",
}


def region_of_label(label: str) -> str | None:
    """The six-region key of a region label as written (``ภาคเหนือตอนล่าง`` -> ``north``), or None.

    "Lower north" as used by depa includes provinces the geographic scheme counts as central
    (Phitsanulok, Sukhothai ...), so the mapping names the label's *base* region only.
    """
    m = _REGION_TH.fullmatch(label.strip())
    if m:
        base = m.group("base")
        return _BASE_TO_REGION.get(base) if base else "central"
    low = label.casefold()
    for key, word in (("northeast", "north-east"), ("northeast", "northeast"), ("north", "north"),
                      ("south", "south"), ("east", "east"), ("west", "west"), ("central", "central"),
                      ("central", "bangkok")):
        if word in low:
            return key
    return None


def find_region_labels(text: str) -> list[RegionMatch]:
    """Every region label (Thai or English) in ``text``, left to right."""
    out = [RegionMatch(m.group(0), region_of_label(m.group(0)), m.start(), m.end())
           for m in _REGION_TH.finditer(text)]
    out += [RegionMatch(m.group(0), region_of_label(m.group(0)), m.start(), m.end())
            for m in _REGION_EN.finditer(text)]
    out.sort(key=lambda r: r.start)
    return out
