#!/usr/bin/env python3
"""A small Solr-compatible stand-in for CKAN 2.11 -- TEST INFRASTRUCTURE ONLY.

No Solr distribution can be installed on the machines this project is developed and
tested on (no Docker, no Java package in Debian/PyPI/npm), yet CKAN refuses to create or
update datasets without a search index (``SearchIndexError``). This module serves exactly
the part of the Solr HTTP API that CKAN 2.11 calls through pysolr, from memory, so the
project's own scripts can start a real CKAN. ``docker-compose.yaml`` uses the real Solr
image; do not use this stand-in in production.

What CKAN calls (read from ``ckan/lib/search/`` and ``pysolr.py`` of CKAN 2.11.6):

* ``GET <base>/select/?q=..&fq=..&fq=..&rows=..&start=..&sort=..&fl=..&facet=..``
  ``&facet.field=..&facet.limit=..&facet.mincount=..&wt=json&q.op=AND&df=text``
  ``&defType=dismax&qf=..&mm=..&tie=..`` -- pysolr switches to a form-encoded
  ``POST <base>/select/`` when the encoded parameters reach 1024 characters.
* ``POST <base>/update/?commit=true`` with a JSON list of documents (uniqueKey
  ``index_id``), or XML ``<delete><query>..</query></delete>``, ``<delete><id>..</id>
  </delete>``, ``<commit />``.
* ``GET <base>/schema?wt=schema.xml`` (then ``<base>/admin/file/?file=schema.xml``):
  CKAN reads the root element's ``name="ckan-X.Y"`` attribute and accepts 2.8 - 2.11.
* ``GET <base>/admin/ping/``.

Query language: the Lucene syntax CKAN and its users send -- ``field:value``,
``field:"phrase"``, ``*:*``, ``field:*``, ``+``/``-``/``!``, ``AND``/``OR``/``NOT``/``&&``/
``||``, parentheses (also ``field:(a OR b)``), ranges ``[a TO b]``/``{a TO b}`` with ``*``
and ``NOW-1DAY`` date maths, wildcards ``*``/``?``; ``defType=dismax|edismax`` free text
over ``qf`` with ``mm``. Field types follow CKAN's ``schema.xml`` (string fields match
exactly, text fields case-insensitively by token, Thai text by substring since Thai is
written without spaces). Scores are a simple sum of the boosts of matching clauses.

Documents live in memory and are written to a JSON file on every commit, so a restart
keeps the index. Loopback only. Stdlib only: it runs under any Python 3.11+.

Usage::

    python3 solr_standin.py --port 8983 --data .local/ckan/solr/index.json \
        [--request-log .local/ckan/solr/requests.jsonl]

The optional request log (also ``SOLR_STANDIN_REQUEST_LOG``) appends one JSON line per
request (method, path, parameters, body head) -- used to capture the exact requests CKAN
sends for the unit tests.
"""

from __future__ import annotations

import argparse
import datetime as dt
import fnmatch
import ipaddress
import json
import logging
import math
import os
import re
import tempfile
import threading
import time
import xml.etree.ElementTree as ET
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

log = logging.getLogger("solr_standin")

SCHEMA_NAME = "ckan-2.11"
UNIQUE_KEY = "index_id"

# Field types from CKAN 2.11's ckan/config/solr/schema.xml.
TEXT_FIELDS = frozenset(
    {
        "title", "notes", "author", "author_email", "maintainer", "maintainer_email",
        "res_name", "res_description", "text", "urls", "depends_on", "dependency_of",
        "derives_from", "has_derivation", "links_to", "linked_from", "child_of", "parent_of",
    }
)
NGRAM_FIELDS = frozenset({"title_ngram", "name_ngram"})
INT_FIELDS = frozenset(
    {"views_total", "views_recent", "resources_accessed_total", "resources_accessed_recent"}
)
DATE_FIELDS = frozenset({"metadata_created", "metadata_modified", "indexed_ts"})
STORED_FIELDS = frozenset(
    {
        "index_id", "id", "site_id", "title", "title_ngram", "entity_type", "dataset_type", "state",
        "name", "name_ngram", "revision_id", "version", "url", "ckan_url", "download_url", "notes",
        "author", "author_email", "maintainer", "maintainer_email", "license", "license_id", "tags",
        "groups", "organization", "capacity", "res_name", "res_description", "res_format", "res_url",
        "res_type", "metadata_created", "metadata_modified", "indexed_ts", "data_dict",
        "validated_data_dict", "_version_",
    }
)
STORED_PREFIXES = ("extras_", "res_extras_", "vocab_")
# copyField rules of the schema: sources copied into the catch-all ``text`` field.
TEXT_SOURCES = (
    "urls", "name", "title", "text", "license", "notes", "tags", "groups", "organization",
    "res_name", "res_description", "maintainer", "author",
)
URL_SOURCES = ("url", "ckan_url", "download_url", "res_url")

# Letters of the Thai block count as word characters (Python's \w splits Thai at
# combining vowel and tone marks).
_TOKEN_RE = re.compile(r"[\w\u0E00-\u0E7F]+")
_NON_ASCII_RE = re.compile(r"[^\x00-\x7f]")


class SolrError(Exception):
    """A request Solr would refuse; ``code`` is the HTTP status to answer with."""

    def __init__(self, msg: str, code: int = 400) -> None:
        super().__init__(msg)
        self.msg = msg
        self.code = code


# --------------------------------------------------------------------------- field types


def field_type(name: str) -> str:
    """Return the schema type of a field: ``text``, ``ngram``, ``int``, ``date`` or ``string``."""
    if name in TEXT_FIELDS or name.startswith(("extras_", "res_extras_")):
        return "text"
    if name in NGRAM_FIELDS:
        return "ngram"
    if name in INT_FIELDS:
        return "int"
    if name in DATE_FIELDS or name.endswith("_date"):
        return "date"
    return "string"


def is_stored(name: str) -> bool:
    """True when the schema stores the field, i.e. Solr can return it in ``fl``."""
    return name in STORED_FIELDS or name.startswith(STORED_PREFIXES) or name.endswith("_date")


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, list):
        return value
    return [value]


def _to_str(value: Any) -> str:
    # Solr indexes JSON booleans of dynamic string fields as "true"/"false".
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens of ``text`` (Thai runs stay whole)."""
    return _TOKEN_RE.findall(text.lower())


def derive_fields(doc: dict[str, Any]) -> dict[str, list[str]]:
    """Compute the copyField targets of ``doc`` (``text``, ``urls``, ``*_ngram``)."""
    urls: list[str] = []
    for src in URL_SOURCES:
        urls.extend(_to_str(v) for v in _as_list(doc.get(src)))
    urls.extend(_to_str(v) for v in _as_list(doc.get("urls")))
    text: list[str] = list(urls)
    for src in TEXT_SOURCES:
        if src == "urls":
            continue
        text.extend(_to_str(v) for v in _as_list(doc.get(src)))
    for key, value in doc.items():
        if key.startswith(STORED_PREFIXES):
            text.extend(_to_str(v) for v in _as_list(value))
    return {
        "text": text,
        "urls": urls,
        "title_ngram": [_to_str(v) for v in _as_list(doc.get("title"))],
        "name_ngram": [_to_str(v) for v in _as_list(doc.get("name"))],
    }


# --------------------------------------------------------------------------- dates

_DATE_MATH_RE = re.compile(r"([+-]\d+|/)([A-Z]+)")
_UNITS = {
    "YEAR": "years", "YEARS": "years", "MONTH": "months", "MONTHS": "months",
    "DAY": "days", "DAYS": "days", "DATE": "days", "HOUR": "hours", "HOURS": "hours",
    "MINUTE": "minutes", "MINUTES": "minutes", "SECOND": "seconds", "SECONDS": "seconds",
}


def resolve_date(value: str, now: dt.datetime | None = None) -> str:
    """Turn a Solr date (``2024-01-01T00:00:00Z``, ``NOW``, ``NOW/DAY-7DAYS``) into ISO-8601 UTC.

    Returns a string comparable with the stored ``...Z`` values; raises SolrError on junk.
    """
    if not value.startswith("NOW"):
        return value
    moment = now or dt.datetime.now(dt.UTC).replace(tzinfo=None)
    rest = value[3:]
    for op, unit in _DATE_MATH_RE.findall(rest):
        if unit not in _UNITS:
            raise SolrError(f"Invalid Date Math String: '{value}'")
        name = _UNITS[unit]
        if op == "/":
            if name == "years":
                moment = moment.replace(month=1, day=1, hour=0, minute=0, second=0, microsecond=0)
            elif name == "months":
                moment = moment.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
            elif name == "days":
                moment = moment.replace(hour=0, minute=0, second=0, microsecond=0)
            elif name == "hours":
                moment = moment.replace(minute=0, second=0, microsecond=0)
            elif name == "minutes":
                moment = moment.replace(second=0, microsecond=0)
            else:
                moment = moment.replace(microsecond=0)
            continue
        amount = int(op)
        if name == "years":
            moment = moment.replace(year=moment.year + amount)
        elif name == "months":
            months = moment.month - 1 + amount
            moment = moment.replace(year=moment.year + months // 12, month=months % 12 + 1)
        else:
            moment = moment + dt.timedelta(**{name: amount})
    return moment.strftime("%Y-%m-%dT%H:%M:%S") + "Z"


# --------------------------------------------------------------------------- query parser

# Node shapes (plain tuples keep the evaluator small):
#   ("all",)                                   *:*
#   ("exists", field)                          field:*
#   ("term", field|None, text)                 field:value, free word
#   ("phrase", field|None, text)               field:"a phrase"
#   ("wild", field|None, pattern)              field:ab*c?
#   ("range", field, lo|None, hi|None, incl_lo, incl_hi)
#   ("bool", [(occur, node), ...], min_should) occur in MUST / SHOULD / NOT

MUST, SHOULD, MUST_NOT = "MUST", "SHOULD", "NOT"
_STOP_CHARS = set(' \t\r\n()[]{}":^~')


def _lex(query: str) -> list[tuple[str, Any]]:
    """Split a Lucene query into tokens: (kind, value)."""
    out: list[tuple[str, Any]] = []
    i, n = 0, len(query)
    while i < n:
        ch = query[i]
        if ch.isspace():
            i += 1
        elif ch in "()":
            out.append(("LP" if ch == "(" else "RP", ch))
            i += 1
        elif ch == "+":
            out.append(("PLUS", ch))
            i += 1
        elif ch == "-" or ch == "!":
            out.append(("MINUS", ch))
            i += 1
        elif query.startswith("&&", i):
            out.append(("AND", "&&"))
            i += 2
        elif query.startswith("||", i):
            out.append(("OR", "||"))
            i += 2
        elif ch == "^" or ch == "~":
            # boosts and fuzziness/proximity: parsed and ignored
            j = i + 1
            while j < n and (query[j].isdigit() or query[j] == "."):
                j += 1
            i = j
        elif ch == '"':
            j = i + 1
            buf = []
            while j < n and query[j] != '"':
                if query[j] == "\\" and j + 1 < n:
                    j += 1
                buf.append(query[j])
                j += 1
            if j >= n:
                raise SolrError(f"org.apache.solr.search.SyntaxError: unterminated phrase in '{query}'")
            out.append(("PHRASE", "".join(buf)))
            i = j + 1
        elif ch in "[{":
            j = i + 1
            depth_chars = []
            while j < n and query[j] not in "]}":
                if query[j] == "\\" and j + 1 < n:
                    j += 1
                depth_chars.append(query[j])
                j += 1
            if j >= n:
                raise SolrError(f"org.apache.solr.search.SyntaxError: unterminated range in '{query}'")
            body = "".join(depth_chars).strip()
            parts = re.split(r"\s+TO\s+", body)
            if len(parts) != 2:
                raise SolrError(f"org.apache.solr.search.SyntaxError: bad range '{body}'")
            lo, hi = (p.strip().strip('"') for p in parts)
            out.append(("RANGE", (None if lo == "*" else lo, None if hi == "*" else hi,
                                  ch == "[", query[j] == "]")))
            i = j + 1
        else:
            j = i
            buf = []
            wildcard = False
            while j < n and query[j] not in _STOP_CHARS:
                c = query[j]
                if c == "\\" and j + 1 < n:
                    buf.append(query[j + 1])
                    j += 2
                    continue
                if c == ":":
                    break
                if c in "*?":
                    wildcard = True
                buf.append(c)
                j += 1
            word = "".join(buf)
            if j < n and query[j] == ":" and word:
                out.append(("FIELD", word))
                j += 1
            elif j < n and query[j] == ":":
                raise SolrError(f"org.apache.solr.search.SyntaxError: empty field name in '{query}'")
            elif word in ("AND", "OR", "NOT"):
                out.append((word, word))
            else:
                out.append(("WILD" if wildcard else "TERM", word))
            i = j
    return out


class _Parser:
    """Recursive-descent parser for the Lucene query syntax (classic QueryParser rules)."""

    def __init__(self, query: str, default_and: bool) -> None:
        self.toks = _lex(query)
        self.pos = 0
        self.default_and = default_and
        self.query = query

    def _peek(self) -> tuple[str, Any] | None:
        return self.toks[self.pos] if self.pos < len(self.toks) else None

    def _next(self) -> tuple[str, Any]:
        tok = self.toks[self.pos]
        self.pos += 1
        return tok

    def parse(self) -> tuple:
        node = self._query(None, top=True)
        if self.pos < len(self.toks):
            raise SolrError(f"org.apache.solr.search.SyntaxError: Cannot parse '{self.query}'")
        return node

    def _query(self, field: str | None, top: bool = False) -> tuple:
        clauses: list[list[Any]] = []  # [occur, node, explicit_mod]
        while True:
            tok = self._peek()
            if tok is None or tok[0] == "RP":
                break
            conj = None
            if tok[0] in ("AND", "OR"):
                conj = tok[0]
                self._next()
                tok = self._peek()
                if tok is None:
                    raise SolrError(f"org.apache.solr.search.SyntaxError: Cannot parse '{self.query}'")
            mod = None
            if tok[0] in ("PLUS", "MINUS", "NOT"):
                mod = "REQ" if tok[0] == "PLUS" else "NOT"
                self._next()
            node = self._clause(field)
            # Lucene's classic addClause(): a conjunction changes the previous clause too.
            if clauses and conj == "AND" and clauses[-1][0] != MUST_NOT:
                clauses[-1][0] = MUST
            if clauses and conj == "OR" and self.default_and and clauses[-1][0] != MUST_NOT \
                    and not clauses[-1][2]:
                clauses[-1][0] = SHOULD
            if mod == "NOT":
                occur = MUST_NOT
            elif not self.default_and:
                occur = MUST if (mod == "REQ" or conj == "AND") else SHOULD
            else:
                occur = MUST if (mod == "REQ" or conj != "OR") else SHOULD
            clauses.append([occur, node, mod == "REQ"])
        if not clauses:
            if top:
                return ("bool", [], 0)
            raise SolrError(f"org.apache.solr.search.SyntaxError: empty clause in '{self.query}'")
        if len(clauses) == 1 and clauses[0][0] != MUST_NOT:
            return clauses[0][1]
        return ("bool", [(c[0], c[1]) for c in clauses], 1)

    def _clause(self, field: str | None) -> tuple:
        tok = self._next() if self._peek() else None
        if tok is None:
            raise SolrError(f"org.apache.solr.search.SyntaxError: Cannot parse '{self.query}'")
        kind, value = tok
        if kind == "FIELD":
            nxt = self._peek()
            if nxt is None:
                raise SolrError(f"org.apache.solr.search.SyntaxError: no value for field '{value}'")
            if value == "*" and nxt == ("WILD", "*"):
                self._next()
                return ("all",)
            return self._clause(value)
        if kind == "LP":
            node = self._query(field)
            if self._peek() is None or self._peek()[0] != "RP":
                raise SolrError(f"org.apache.solr.search.SyntaxError: missing ')' in '{self.query}'")
            self._next()
            return node
        if kind == "TERM":
            return ("term", field, value)
        if kind == "PHRASE":
            return ("phrase", field, value)
        if kind == "WILD":
            if value == "*":
                return ("exists", field) if field else ("all",)
            return ("wild", field, value)
        if kind == "RANGE":
            if field is None:
                raise SolrError("org.apache.solr.search.SyntaxError: a range needs a field")
            lo, hi, incl_lo, incl_hi = value
            return ("range", field, lo, hi, incl_lo, incl_hi)
        raise SolrError(f"org.apache.solr.search.SyntaxError: unexpected '{value}' in '{self.query}'")


_LOCAL_PARAMS_RE = re.compile(r"^\s*\{![^}]*\}")


def parse_query(query: str, default_and: bool = False) -> tuple:
    """Parse a Lucene-syntax query string into a node tree (see the node shapes above).

    ``default_and`` is ``q.op=AND``. Local parameters (``{!tag=x}``) are dropped.
    Raises SolrError (400) on syntax errors.
    """
    query = _LOCAL_PARAMS_RE.sub("", query)
    return _Parser(query, default_and).parse()


def min_should_match(spec: str | None, optional: int) -> int:
    """How many of ``optional`` SHOULD clauses must match under the dismax ``mm`` spec.

    Supports ``3``, ``-1``, ``75%``, ``-25%`` and conditional ``2<-1 5<80%``; an empty spec
    means all (the dismax default of 100%).
    """
    if optional <= 0:
        return 0
    spec = (spec or "100%").strip()

    def one(part: str) -> int:
        if part.endswith("%"):
            pct = int(part[:-1])
            if pct < 0:
                return optional - math.floor(optional * -pct / 100)
            return math.floor(optional * pct / 100)
        val = int(part)
        return optional + val if val < 0 else val

    try:
        if "<" in spec:
            required = optional
            for cond in sorted(spec.split(), key=lambda c: int(c.split("<")[0])):
                bound, value = cond.split("<", 1)
                if optional > int(bound):
                    required = one(value)
        else:
            required = one(spec)
    except ValueError as exc:
        raise SolrError(f"Invalid 'mm' value: '{spec}'") from exc
    return max(0, min(optional, required))


# --------------------------------------------------------------------------- matching


class Index:
    """The in-memory document store and query evaluator.

    ``path`` (optional) is the JSON file the index persists to on commit.
    """

    def __init__(self, path: str | None = None) -> None:
        self.path = path
        self.docs: dict[str, dict[str, Any]] = {}
        self.derived: dict[str, dict[str, list[str]]] = {}
        self.lock = threading.RLock()
        if path and os.path.exists(path):
            with open(path, encoding="utf-8") as fh:
                for doc in json.load(fh).get("docs", []):
                    self._put(doc)
            log.info("loaded %d documents from %s", len(self.docs), path)

    # ---- writes

    def _put(self, doc: dict[str, Any]) -> None:
        key = doc.get(UNIQUE_KEY)
        if key is None:
            raise SolrError(f"Document is missing mandatory uniqueKey field: {UNIQUE_KEY}")
        key = _to_str(key)
        self.docs[key] = doc
        self.derived[key] = derive_fields(doc)

    def add(self, docs: list[dict[str, Any]]) -> None:
        """Add or replace documents (keyed by ``index_id``)."""
        with self.lock:
            for doc in docs:
                if not isinstance(doc, dict):
                    raise SolrError("Expected a JSON object for a document")
                clean = {k: v for k, v in doc.items() if v is not None and v != ""}
                clean.setdefault("indexed_ts", resolve_date("NOW"))
                clean["_version_"] = str(time.time_ns())
                self._put(clean)

    def delete_ids(self, ids: list[str]) -> int:
        """Delete documents by uniqueKey; returns how many existed."""
        with self.lock:
            gone = 0
            for key in ids:
                if self.docs.pop(key, None) is not None:
                    gone += 1
                self.derived.pop(key, None)
            return gone

    def delete_query(self, query: str) -> int:
        """Delete every document matching a Lucene query; returns the count."""
        node = parse_query(query, default_and=False)
        with self.lock:
            keys = [k for k in self.docs if self._match(node, k, [("text", 1.0)])[0]]
            return self.delete_ids(keys)

    def commit(self) -> None:
        """Persist the index atomically (write a temp file, then rename)."""
        if not self.path:
            return
        with self.lock:
            payload = {"schema": SCHEMA_NAME, "docs": list(self.docs.values())}
            folder = os.path.dirname(os.path.abspath(self.path))
            os.makedirs(folder, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=folder, prefix=".index-", suffix=".json")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(payload, fh, ensure_ascii=False)
            os.replace(tmp, self.path)

    # ---- reads

    def values(self, key: str, field: str) -> list[str]:
        derived = self.derived[key]
        if field in derived:
            return derived[field]
        return [_to_str(v) for v in _as_list(self.docs[key].get(field))]

    def _match_leaf(self, node: tuple, key: str, field: str) -> bool:
        kind = node[0]
        vals = self.values(key, field)
        if kind == "exists":
            return bool(vals)
        ftype = field_type(field)
        if kind == "range":
            _, _, lo, hi, incl_lo, incl_hi = node
            return any(_in_range(v, lo, hi, incl_lo, incl_hi, ftype) for v in vals)
        text = node[2]
        if ftype == "string" or ftype == "int" or ftype == "date":
            if kind == "wild":
                return any(fnmatch.fnmatchcase(v, text) for v in vals)
            if ftype == "date":
                text = resolve_date(text)
            return text in vals
        if ftype == "ngram":
            needle = text.lower()
            if kind == "wild":
                return any(fnmatch.fnmatchcase(v.lower(), needle) for v in vals)
            return any(needle in v.lower() for v in vals)
        # text field: case-insensitive tokens; Thai (no spaces between words) by substring
        if kind == "wild":
            pattern = text.lower()
            return any(fnmatch.fnmatchcase(tok, pattern) for v in vals for tok in tokens(v))
        wanted = tokens(text)
        if not wanted:
            return False
        thai = bool(_NON_ASCII_RE.search(text))
        for v in vals:
            low = v.lower()
            have = tokens(low)
            if thai and " ".join(wanted) in " ".join(have):
                return True
            if len(wanted) == 1 and kind == "term":
                if _stem(wanted[0]) in {_stem(t) for t in have}:
                    return True
            elif f" {' '.join(wanted)} " in f" {' '.join(have)} ":
                return True
        return False

    def _match(self, node: tuple, key: str, defaults: list[tuple[str, float]]) -> tuple[bool, float]:
        """Evaluate ``node`` against document ``key``; returns (matched, score)."""
        kind = node[0]
        if kind == "all":
            return True, 1.0
        if kind == "bool":
            clauses, min_should = node[1], node[2]
            score = 0.0
            should_hits = 0
            has_should = False
            positive = False
            for occur, sub in clauses:
                ok, sub_score = self._match(sub, key, defaults)
                if occur == MUST:
                    positive = True
                    if not ok:
                        return False, 0.0
                    score += sub_score
                elif occur == MUST_NOT:
                    if ok:
                        return False, 0.0
                else:
                    positive = True
                    has_should = True
                    if ok:
                        should_hits += 1
                        score += sub_score
            if not positive:
                # a purely negative query matches everything else (Solr adds *:*)
                return True, 1.0
            needed = min_should if has_should else 0
            if not any(o == MUST for o, _ in clauses):
                needed = max(needed, 1)
            if should_hits < needed:
                return False, 0.0
            return True, score
        field = node[1]
        if field is not None:
            ok = self._match_leaf(node, key, field)
            return ok, (1.0 if ok else 0.0)
        best = 0.0
        for fname, boost in defaults:
            if self._match_leaf(node, key, fname):
                best = max(best, boost)
        return best > 0, best

    def search(self, params: dict[str, list[str]]) -> dict[str, Any]:
        """Run a ``/select`` request given its multi-valued parameters; returns the JSON body."""
        started = time.monotonic()
        first = {k: v[-1] for k, v in params.items() if v}
        default_and = first.get("q.op", "OR").upper() == "AND"
        deftype = first.get("defType", "lucene")
        q = first.get("q", "").strip() or "*:*"
        df = first.get("df", "text")
        if deftype in ("dismax", "edismax"):
            defaults = _parse_qf(first.get("qf") or df)
            if deftype == "dismax":
                # dismax has no field syntax: every word is free text
                q = _LOCAL_PARAMS_RE.sub("", q)
                q_node = _parse_dismax(q) if q != "*:*" else ("all",)
            else:
                q_node = parse_query(q, default_and=False)
            q_node = _apply_mm(q_node, first.get("mm"))
        else:
            defaults = [(df, 1.0)]
            q_node = parse_query(q, default_and=default_and)
        fq_nodes = [parse_query(fq, default_and=default_and) for fq in params.get("fq", []) if fq.strip()]
        try:
            rows = int(first.get("rows", "10"))
            start = int(first.get("start", "0"))
        except ValueError as exc:
            raise SolrError(f"Invalid rows/start: {exc}") from exc
        sort_spec = _parse_sort(first.get("sort", "score desc"))
        with self.lock:
            hits: list[tuple[str, float]] = []
            for key in self.docs:
                if not all(self._match(fq, key, [(df, 1.0)])[0] for fq in fq_nodes):
                    continue
                ok, score = self._match(q_node, key, defaults)
                if ok:
                    hits.append((key, score))
            hits = self._sort(hits, sort_spec)
            page = hits[start:start + max(rows, 0)]
            fields = _parse_fl(first.get("fl", "*"))
            docs = [self._project(key, score, fields) for key, score in page]
            body: dict[str, Any] = {
                "responseHeader": {
                    "status": 0,
                    "QTime": int((time.monotonic() - started) * 1000),
                    "params": {k: (v if len(v) > 1 else v[0]) for k, v in params.items()},
                },
                "response": {"numFound": len(hits), "start": start, "docs": docs},
            }
            if first.get("facet", "false").lower() == "true":
                body["facet_counts"] = {
                    "facet_queries": {},
                    "facet_fields": self._facets(hits, params, first),
                    "facet_ranges": {},
                    "facet_intervals": {},
                    "facet_heatmaps": {},
                }
        return body

    def _sort(self, hits: list[tuple[str, float]], spec: list[tuple[str, bool]]) -> list[tuple[str, float]]:
        # Stable sorts from the last key to the first give a multi-key order; missing
        # values go last in either direction, like Solr's sortMissingLast.
        hits = list(hits)
        for field, desc in reversed(spec):
            if field == "score":
                hits.sort(key=lambda h: h[1], reverse=desc)
                continue
            numeric = field_type(field) == "int"

            def sort_key(hit: tuple[str, float], field: str = field, numeric: bool = numeric) -> Any:
                vals = self.values(hit[0], field)
                if not vals:
                    return (0, 0.0 if numeric else "")
                val: Any = vals[0]
                if numeric:
                    try:
                        val = float(val)
                    except ValueError:
                        val = 0.0
                return (1, val)

            present = [h for h in hits if self.values(h[0], field)]
            missing = [h for h in hits if not self.values(h[0], field)]
            present.sort(key=sort_key, reverse=desc)
            hits = present + missing
        return hits

    def _project(self, key: str, score: float, fields: list[str]) -> dict[str, Any]:
        doc = self.docs[key]
        out: dict[str, Any] = {}
        want_all = "*" in fields
        for name, value in doc.items():
            if not is_stored(name):
                continue
            if want_all or name in fields:
                out[name] = value
        for name in ("title_ngram", "name_ngram"):
            if (want_all or name in fields) and self.derived[key][name]:
                out[name] = self.derived[key][name][0]
        if "score" in fields:
            out["score"] = score
        return out

    def _facets(self, hits: list[tuple[str, float]], params: dict[str, list[str]],
                first: dict[str, str]) -> dict[str, list[Any]]:
        result: dict[str, list[Any]] = {}
        for field in params.get("facet.field", []):
            field = _LOCAL_PARAMS_RE.sub("", field)
            limit = int(first.get(f"f.{field}.facet.limit", first.get("facet.limit", "100")))
            mincount = int(first.get(f"f.{field}.facet.mincount", first.get("facet.mincount", "0")))
            counts: dict[str, int] = {}
            for key, _ in hits:
                for value in set(self.values(key, field)):
                    counts[value] = counts.get(value, 0) + 1
            ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
            ordered = [kv for kv in ordered if kv[1] >= mincount]
            if limit >= 0:
                ordered = ordered[:limit]
            flat: list[Any] = []
            for value, count in ordered:
                flat.extend([value, count])
            result[field] = flat
        return result


def _stem(word: str) -> str:
    # A crude English plural folding, standing in for Solr's Porter stemmer on text fields.
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss") and word.isascii():
        return word[:-1]
    return word


def _in_range(value: str, lo: str | None, hi: str | None, incl_lo: bool, incl_hi: bool, ftype: str) -> bool:
    cast: Any
    if ftype == "int":
        def cast(x: str) -> float:
            return float(x)
    elif ftype == "date":
        def cast(x: str) -> str:
            return resolve_date(x)
    else:
        def cast(x: str) -> str:
            return x
    try:
        val = cast(value)
        if lo is not None:
            low = cast(lo)
            if val < low or (val == low and not incl_lo):
                return False
        if hi is not None:
            high = cast(hi)
            if val > high or (val == high and not incl_hi):
                return False
    except ValueError:
        return False
    return True


def _parse_dismax(q: str) -> tuple:
    """Parse dismax user input: words, "phrases", +/- and AND/OR, but no field syntax.

    Like Solr's dismax, input that does not parse (an unbalanced bracket or quote) is not
    an error: it falls back to its bare words.
    """
    try:
        return parse_query(q.replace(":", "\\:"), default_and=False)
    except SolrError:
        words = tokens(q)
        if not words:
            return ("bool", [], 0)
        return ("bool", [(SHOULD, ("term", None, w)) for w in words], 1)


def _apply_mm(node: tuple, mm: str | None) -> tuple:
    """Set the dismax minimum-should-match on the top-level boolean query."""
    if node[0] != "bool":
        return node
    optional = sum(1 for occur, _ in node[1] if occur == SHOULD)
    return ("bool", node[1], min_should_match(mm, optional))


def _parse_qf(qf: str) -> list[tuple[str, float]]:
    fields = []
    for part in qf.split():
        name, _, boost = part.partition("^")
        try:
            fields.append((name, float(boost) if boost else 1.0))
        except ValueError as exc:
            raise SolrError(f"Invalid qf boost in '{part}'") from exc
    return fields


def _parse_sort(spec: str) -> list[tuple[str, bool]]:
    out = []
    for part in spec.split(","):
        part = part.strip()
        if not part:
            continue
        bits = part.split()
        if len(bits) != 2 or bits[1].lower() not in ("asc", "desc"):
            raise SolrError(f"Can't determine a Sort Order (asc or desc) in sort spec '{part}'")
        out.append((bits[0], bits[1].lower() == "desc"))
    return out


def _parse_fl(fl: str) -> list[str]:
    fields = [f for f in re.split(r"[\s,]+", fl) if f]
    return fields or ["*"]


# --------------------------------------------------------------------------- update messages


def apply_update(index: Index, body: bytes, content_type: str) -> bool:
    """Apply an ``/update`` message (JSON docs/commands or XML); returns True if it asked to commit."""
    text = body.decode("utf-8").strip()
    if not text:
        return False
    if text[0] in "[{" or "json" in content_type:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise SolrError(f"Cannot parse JSON update: {exc}") from exc
        if isinstance(data, list):
            index.add(data)
            return False
        commit = False
        for cmd, arg in data.items():
            if cmd == "add":
                index.add([arg.get("doc", arg)] if isinstance(arg, dict) else list(arg))
            elif cmd == "delete":
                for item in _as_list(arg):
                    if isinstance(item, dict) and "query" in item:
                        index.delete_query(item["query"])
                    elif isinstance(item, dict) and "id" in item:
                        index.delete_ids([_to_str(item["id"])])
                    else:
                        index.delete_ids([_to_str(item)])
            elif cmd in ("commit", "optimize"):
                commit = True
            else:
                raise SolrError(f"Unknown update command '{cmd}'")
        return commit
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        raise SolrError(f"Cannot parse XML update: {exc}") from exc
    if root.tag in ("commit", "optimize"):
        return True
    if root.tag == "delete":
        for child in root:
            if child.tag == "query":
                index.delete_query(child.text or "")
            elif child.tag == "id":
                index.delete_ids([child.text or ""])
        return False
    if root.tag == "add":
        docs = []
        for doc_el in root.findall("doc"):
            doc: dict[str, Any] = {}
            for field in doc_el.findall("field"):
                name = field.get("name", "")
                value = field.text or ""
                if name in doc:
                    doc[name] = [*_as_list(doc[name]), value]
                else:
                    doc[name] = value
            docs.append(doc)
        index.add(docs)
        return False
    raise SolrError(f"Unknown update message <{root.tag}>")


def schema_xml() -> str:
    """The schema document CKAN reads its supported version from (root ``name="ckan-2.11"``)."""
    fields = "\n".join(
        f'  <field name="{name}" type="{"text" if field_type(name) == "text" else field_type(name)}" '
        f'indexed="true" stored="{"true" if is_stored(name) else "false"}"/>'
        for name in sorted(STORED_FIELDS | TEXT_FIELDS | INT_FIELDS)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<schema name="{SCHEMA_NAME}" version="1.6">\n'
        f"  <!-- served by the project's Solr stand-in (test infrastructure) -->\n{fields}\n"
        f"  <uniqueKey>{UNIQUE_KEY}</uniqueKey>\n</schema>\n"
    )


# --------------------------------------------------------------------------- HTTP


class Handler(BaseHTTPRequestHandler):
    """Routes Solr URLs by their last path segments, whatever the core prefix (/solr/ckan)."""

    server_version = "SolrStandIn/1.0"
    index: Index
    request_log: str | None = None

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s " + format, self.address_string(), *args)

    def _send(self, status: int, body: str, ctype: str = "application/json; charset=utf-8") -> None:
        data = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _json(self, status: int, payload: Any) -> None:
        self._send(status, json.dumps(payload, ensure_ascii=False))

    def _error(self, code: int, msg: str) -> None:
        self._json(code, {"responseHeader": {"status": code, "QTime": 0},
                          "error": {"msg": msg, "code": code}})

    def _log_request(self, params: list[tuple[str, str]], body: bytes) -> None:
        if not self.request_log:
            return
        entry = {
            "method": self.command,
            "path": urlsplit(self.path).path,
            "params": params,
            "body": body[:4000].decode("utf-8", "replace"),
        }
        with open(self.request_log, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(entry, ensure_ascii=False) + "\n")

    def do_GET(self) -> None:
        self._handle(b"")

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self._handle(self.rfile.read(length) if length else b"")

    def _handle(self, body: bytes) -> None:
        parts = urlsplit(self.path)
        pairs = parse_qsl(parts.query, keep_blank_values=True)
        ctype = self.headers.get("Content-Type", "")
        if body and "application/x-www-form-urlencoded" in ctype:
            pairs += parse_qsl(body.decode("utf-8"), keep_blank_values=True)
            body = b""
        self._log_request(pairs, body)
        params: dict[str, list[str]] = {}
        for key, value in pairs:
            params.setdefault(key, []).append(value)
        path = parts.path.rstrip("/")
        try:
            if path.endswith("/select") or path == "select":
                self._json(200, self.index.search(params))
            elif path.endswith("/update") or path.endswith("/update/json"):
                commit = apply_update(self.index, body, ctype)
                if commit or params.get("commit", ["false"])[-1] == "true" or \
                        params.get("softCommit", ["false"])[-1] == "true":
                    self.index.commit()
                self._json(200, {"responseHeader": {"status": 0, "QTime": 0}})
            elif path.endswith("/schema") or path.endswith("/admin/file"):
                if path.endswith("/admin/file") and params.get("file", [""])[-1] != "schema.xml":
                    raise SolrError("Can not find: " + params.get("file", [""])[-1], 404)
                if params.get("wt", ["xml"])[-1] in ("schema.xml", "xml") or path.endswith("/admin/file"):
                    self._send(200, schema_xml(), "application/xml; charset=utf-8")
                else:
                    self._json(200, {"responseHeader": {"status": 0}, "schema": {"name": SCHEMA_NAME,
                                                                                 "version": 1.6,
                                                                                 "uniqueKey": UNIQUE_KEY}})
            elif path.endswith("/admin/ping"):
                self._json(200, {"responseHeader": {"status": 0, "QTime": 0}, "status": "OK"})
            else:
                raise SolrError(f"Not Found: {parts.path}", 404)
        except SolrError as exc:
            log.info("error %s on %s: %s", exc.code, parts.path, exc.msg)
            self._error(exc.code, exc.msg)


def make_server(host: str, port: int, index: Index, request_log: str | None = None) -> ThreadingHTTPServer:
    """Build (not start) the HTTP server; refuses any address that is not loopback."""
    if not ipaddress.ip_address(host).is_loopback:
        raise ValueError(f"the Solr stand-in serves loopback only, not {host}")
    handler = type("BoundHandler", (Handler,), {"index": index, "request_log": request_log})
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    return server


def main(argv: list[str] | None = None) -> int:
    """Command line entry point: serve until interrupted, then persist the index."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8983)
    parser.add_argument("--data", default=None, help="JSON file the index persists to")
    parser.add_argument("--request-log", default=os.environ.get("SOLR_STANDIN_REQUEST_LOG") or None,
                        help="append one JSON line per request to this file")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    index = Index(args.data)
    server = make_server(args.host, args.port, index, args.request_log)
    log.info("Solr stand-in (test infrastructure) on http://%s:%d, %d docs", args.host, args.port,
             len(index.docs))
    import signal

    def stop(signum: int, frame: Any) -> None:
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        index.commit()
        server.server_close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
