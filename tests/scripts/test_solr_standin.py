"""Unit tests of the Solr stand-in (scripts/ckan/solr_standin.py).

The request shapes are those CKAN 2.11.6 sends, captured with the stand-in's request log
while CKAN's API and web UI ran (``SOLR_STANDIN_REQUEST_LOG``); documents are shaped like
the ones ``ckan/lib/search/index.py`` builds. The HTTP tests talk to a server on an
ephemeral loopback port.
"""

from __future__ import annotations

import importlib.util
import json
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
_SPEC = importlib.util.spec_from_file_location("solr_standin", ROOT / "scripts" / "ckan" / "solr_standin.py")
assert _SPEC and _SPEC.loader
solr = importlib.util.module_from_spec(_SPEC)
sys.modules["solr_standin"] = solr
_SPEC.loader.exec_module(solr)

SITE = "smartcity_local"


def make_doc(name: str, title: str, **extra: object) -> dict:
    """A document shaped like CKAN's PackageSearchIndex.index_package output."""
    doc = {
        "id": f"id-{name}",
        "name": name,
        "title": title,
        "title_string": title,
        "notes": extra.pop("notes", ""),
        "state": extra.pop("state", "active"),
        "private": extra.pop("private", False),
        "capacity": extra.pop("capacity", "public"),
        "owner_org": extra.pop("owner_org", "org-1"),
        "organization": extra.pop("organization", "depa"),
        "tags": extra.pop("tags", []),
        "groups": extra.pop("groups", []),
        "res_format": extra.pop("res_format", []),
        "res_name": extra.pop("res_name", []),
        "res_url": extra.pop("res_url", []),
        "entity_type": "package",
        "dataset_type": "dataset",
        "type": "dataset",
        "site_id": SITE,
        "permission_labels": extra.pop("permission_labels", ["public"]),
        "metadata_created": extra.pop("metadata_created", "2026-01-01T00:00:00Z"),
        "metadata_modified": extra.pop("metadata_modified", "2026-01-02T00:00:00Z"),
        "validated_data_dict": json.dumps({"name": name, "title": title}),
        "data_dict": json.dumps({"name": name}),
        "index_id": f"idx-{name}",
        "num_resources": extra.pop("num_resources", 1),
    }
    doc.update(extra)
    return doc


@pytest.fixture
def index() -> solr.Index:
    idx = solr.Index()
    idx.add(
        [
            make_doc("smart-city-figures", "ตัวเลขเมืองอัจฉริยะ ประจำปี", tags=["smartcity", "figures"],
                     notes="Budget figures of smart cities", res_format=["CSV"],
                     metadata_modified="2026-03-01T00:00:00Z"),
            make_doc("smart-city-events", "กิจกรรมเมืองอัจฉริยะ", tags=["smartcity", "events"],
                     res_format=["CSV", "JSON"], metadata_modified="2026-02-01T00:00:00Z"),
            make_doc("phuket-articles", "ข่าวภูเก็ต", tags=["news"], organization="phuket",
                     owner_org="org-2", notes="Articles about Phuket city data platform",
                     metadata_modified="2026-01-15T00:00:00Z"),
            make_doc("private-draft", "Private dataset", private=True, capacity="private",
                     permission_labels=["member-org-1"], state="draft"),
        ]
    )
    return idx


def params(*pairs: tuple[str, str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for key, value in pairs:
        out.setdefault(key, []).append(value)
    return out


def names(body: dict) -> list[str]:
    return [d["name"] for d in body["response"]["docs"]]


# --------------------------------------------------------------------------- query parsing


def test_parse_required_terms_with_q_op_and() -> None:
    node = solr.parse_query("+capacity:public  +state:(active)", default_and=True)
    assert node == (
        "bool", [("MUST", ("term", "capacity", "public")), ("MUST", ("term", "state", "active"))], 1)


def test_parse_or_inside_field_group_is_optional() -> None:
    node = solr.parse_query('+permission_labels:("public" OR "member-org-1")', default_and=True)
    assert node[0] == "bool"
    assert [occur for occur, _ in node[1]] == ["SHOULD", "SHOULD"]
    assert node[1][1][1] == ("phrase", "permission_labels", "member-org-1")


def test_parse_match_all_and_exists_and_range() -> None:
    assert solr.parse_query("*:*") == ("all",)
    assert solr.parse_query("res_format:*") == ("exists", "res_format")
    assert solr.parse_query("metadata_modified:[NOW-1DAY TO *]") == (
        "range", "metadata_modified", "NOW-1DAY", None, True, True)
    assert solr.parse_query("num_resources:{0 TO 5]")[4:] == (False, True)


def test_parse_negation_and_escapes() -> None:
    node = solr.parse_query(r"-state:deleted name:a\-b", default_and=True)
    assert node[1][0] == ("NOT", ("term", "state", "deleted"))
    assert node[1][1] == ("MUST", ("term", "name", "a-b"))


def test_parse_drops_local_params() -> None:
    assert solr.parse_query("{!tag=org}organization:depa") == ("term", "organization", "depa")


@pytest.mark.parametrize("bad", ['title:"open', "name:[a TO", "(a OR b", "name:"])
def test_parse_errors_are_typed(bad: str) -> None:
    with pytest.raises(solr.SolrError) as err:
        solr.parse_query(bad)
    assert err.value.code == 400


@pytest.mark.parametrize(
    ("optional", "required"), [(1, 1), (2, 2), (3, 2), (5, 4), (6, 4), (10, 8)]
)
def test_min_should_match_ckan_default_spec(optional: int, required: int) -> None:
    # CKAN's default mm for free text is "2<-1 5<80%"
    assert solr.min_should_match("2<-1 5<80%", optional) == required


def test_min_should_match_simple_specs() -> None:
    assert solr.min_should_match("1", 4) == 1
    assert solr.min_should_match("-1", 4) == 3
    assert solr.min_should_match("50%", 5) == 2
    assert solr.min_should_match(None, 3) == 3


def test_resolve_date_maths() -> None:
    import datetime as dt

    now = dt.datetime(2026, 11, 21, 15, 30, 5)
    assert solr.resolve_date("NOW", now) == "2026-11-21T15:30:05Z"
    assert solr.resolve_date("NOW/DAY-7DAYS", now) == "2026-11-14T00:00:00Z"
    assert solr.resolve_date("NOW-1MONTH", now) == "2026-10-21T15:30:05Z"
    assert solr.resolve_date("2026-01-01T00:00:00Z", now) == "2026-01-01T00:00:00Z"


# --------------------------------------------------------------------------- searching


def test_default_package_search(index: solr.Index) -> None:
    # package_search with no q, as the API sends it
    body = index.search(params(
        ("q", "*:*"), ("fq", "+capacity:public  +state:(active)"), ("fq", f'+site_id:"{SITE}"'),
        ("rows", "11"), ("df", "text"), ("sort", "score desc, metadata_modified desc"),
        ("fl", "id validated_data_dict"), ("facet", "true"), ("facet.limit", "50"),
        ("facet.mincount", "1"), ("q.op", "AND"), ("wt", "json"),
    ))
    assert body["response"]["numFound"] == 3
    docs = body["response"]["docs"]
    assert [json.loads(d["validated_data_dict"])["name"] for d in docs] == [
        "smart-city-figures", "smart-city-events", "phuket-articles"]
    assert set(docs[0]) == {"id", "validated_data_dict"}
    assert body["facet_counts"]["facet_fields"] == {}


def test_free_thai_text_uses_dismax_over_qf(index: solr.Index) -> None:
    body = index.search(params(
        ("q", "เมืองอัจฉริยะ"), ("defType", "dismax"), ("tie", "0.1"), ("mm", "2<-1 5<80%"),
        ("qf", "name^4 title^4 tags^2 groups^2 text"), ("df", "text"), ("q.op", "AND"),
        ("fq", "+capacity:public  +state:(active)"), ("fq", f'+site_id:"{SITE}"'), ("fl", "name"),
    ))
    assert sorted(names(body)) == ["smart-city-events", "smart-city-figures"]


def test_free_english_text_matches_case_insensitively_and_plural(index: solr.Index) -> None:
    body = index.search(params(("q", "PHUKET platforms"), ("defType", "dismax"), ("mm", "2<-1 5<80%"),
                               ("qf", "name^4 title^4 text"), ("fl", "name")))
    assert names(body) == ["phuket-articles"]
    # both words are needed (mm says all of 2): one miss means no hit
    body = index.search(params(("q", "phuket budget"), ("defType", "dismax"), ("mm", "2<-1 5<80%"),
                               ("qf", "name^4 title^4 text"), ("fl", "name")))
    assert names(body) == []


def test_dismax_score_prefers_boosted_field(index: solr.Index) -> None:
    body = index.search(params(("q", "figures"), ("defType", "dismax"), ("qf", "name^4 title^4 tags^2 text"),
                               ("fl", "name score"), ("sort", "score desc, metadata_modified desc")))
    assert names(body)[0] == "smart-city-figures"
    assert body["response"]["docs"][0]["score"] >= 2.0


def test_fielded_q_is_lucene_with_q_op_and(index: solr.Index) -> None:
    body = index.search(params(("q", "tags:smartcity res_format:JSON"), ("q.op", "AND"), ("fl", "name")))
    assert names(body) == ["smart-city-events"]
    body = index.search(params(("q", "tags:smartcity OR tags:news"), ("q.op", "AND"), ("fl", "name")))
    assert len(names(body)) == 4 - 1


def test_organization_page_filters(index: solr.Index) -> None:
    # organization_show / the organization page count datasets by owner_org (rows=0)
    body = index.search(params(
        ("q", "*:*"), ("facet", "false"), ("fq", '+owner_org:"org-2" +state:(active)'),
        ("fq", f'+site_id:"{SITE}"'), ("rows", "0"), ("q.op", "AND"),
    ))
    assert body["response"]["numFound"] == 1
    assert body["response"]["docs"] == []
    body = index.search(params(("q", "*:*"), ("fq", " organization:depa +state:(active)"), ("q.op", "AND")))
    assert body["response"]["numFound"] == 2


def test_permission_labels_and_drafts(index: solr.Index) -> None:
    base = [("q", "*:*"), ("q.op", "AND"), ("fl", "name")]
    body = index.search(params(*base, ("fq", "+state:(active OR draft)"),
                               ("fq", '+permission_labels:("public")')))
    assert "private-draft" not in names(body)
    body = index.search(params(*base, ("fq", "+state:(active OR draft)"),
                               ("fq", '+permission_labels:("public" OR "member-org-1")')))
    assert "private-draft" in names(body)


def test_get_index_query(index: solr.Index) -> None:
    # PackageSearchQuery.get_index: name or id, one row, all stored fields
    body = index.search(params(("rows", "1"), ("q", 'name:"phuket-articles" OR id:"phuket-articles"'),
                               ("wt", "json"), ("fq", f'+site_id:"{SITE}" +entity_type:package')))
    doc = body["response"]["docs"][0]
    assert doc["name"] == "phuket-articles"
    # unstored schema fields are not returned
    assert "permission_labels" not in doc and "owner_org" not in doc and "title_string" not in doc


def test_facets_count_values_and_respect_mincount_and_limit(index: solr.Index) -> None:
    body = index.search(params(
        ("q", "*:*"), ("fq", "+state:(active)"), ("facet", "true"), ("facet.field", "tags"),
        ("facet.field", "res_format"), ("facet.field", "organization"), ("facet.limit", "2"),
        ("facet.mincount", "1"), ("rows", "0"),
    ))
    fields = body["facet_counts"]["facet_fields"]
    assert fields["tags"] == ["smartcity", 2, "events", 1]
    assert fields["res_format"] == ["CSV", 2, "JSON", 1]
    assert fields["organization"] == ["depa", 2, "phuket", 1]
    body = index.search(params(("q", "*:*"), ("facet", "true"), ("facet.field", "groups"),
                               ("facet.field", "owner_org"), ("facet.limit", "-1"), ("facet.mincount", "1")))
    assert body["facet_counts"]["facet_fields"]["groups"] == []
    assert body["facet_counts"]["facet_fields"]["owner_org"] == ["org-1", 3, "org-2", 1]


def test_sort_title_string_and_paging(index: solr.Index) -> None:
    common = [("q", "*:*"), ("fq", "+state:active"), ("sort", "title_string asc"), ("fl", "name")]
    # Thai collates by code point here: ก (events) < ข (phuket) < ต (figures)
    assert names(index.search(params(*common, ("rows", "2"), ("start", "0")))) == [
        "smart-city-events", "phuket-articles"]
    body = index.search(params(*common, ("rows", "2"), ("start", "2")))
    assert names(body) == ["smart-city-figures"]
    assert body["response"]["start"] == 2


def test_bad_sort_is_the_error_ckan_recognises(index: solr.Index) -> None:
    with pytest.raises(solr.SolrError) as err:
        index.search(params(("q", "*:*"), ("sort", "view_recent")))
    assert "Can't determine a Sort Order" in err.value.msg


def test_sort_on_missing_field_keeps_all_hits(index: solr.Index) -> None:
    body = index.search(params(("q", "*:*"), ("fq", "+state:active"), ("sort", "views_recent desc")))
    assert body["response"]["numFound"] == 3


def test_wildcards_and_ranges(index: solr.Index) -> None:
    assert sorted(names(index.search(params(("q", "name:smart-city-*"), ("fl", "name"))))) == [
        "smart-city-events", "smart-city-figures"]
    body = index.search(params(("q", "metadata_modified:[2026-01-20T00:00:00Z TO NOW]"), ("fl", "name")))
    assert sorted(names(body)) == ["smart-city-events", "smart-city-figures"]
    body = index.search(params(("q", "title:ข่าว*"), ("fl", "name")))
    assert names(body) == ["phuket-articles"]


def test_ngram_autocomplete_query(index: solr.Index) -> None:
    # package_autocomplete sends this (q has a colon, so no dismax)
    body = index.search(params(
        ("q", 'name_ngram:"phuk" OR title_ngram:"phuk" OR name:"phuk" OR title:"phuk"'),
        ("fl", "name,title"), ("rows", "11"), ("fq", f'+site_id:"{SITE}"'), ("fq", "+state:active"),
        ("q.op", "AND"),
    ))
    assert body["response"]["docs"] == [{"name": "phuket-articles", "title": "ข่าวภูเก็ต"}]


def test_pure_negative_query_matches_the_rest(index: solr.Index) -> None:
    body = index.search(params(("q", "-tags:smartcity"), ("fl", "name")))
    assert sorted(names(body)) == ["phuket-articles", "private-draft"]


# --------------------------------------------------------------------------- updates


def test_update_replaces_by_index_id_and_deletes_by_ckan_query(index: solr.Index) -> None:
    doc = make_doc("phuket-articles", "ข่าวภูเก็ต (ปรับปรุง)", organization="phuket", owner_org="org-2")
    solr.apply_update(index, json.dumps([doc]).encode(), "application/json; charset=utf-8")
    assert len(index.docs) == 4
    assert index.docs["idx-phuket-articles"]["title"] == "ข่าวภูเก็ต (ปรับปรุง)"
    # PackageSearchIndex.delete_package
    query = (f'+entity_type:package AND +(id:"id-phuket-articles" OR name:"id-phuket-articles") '
             f'AND +site_id:"{SITE}"')
    xml = f"<delete><query>{query}</query></delete>".encode()
    assert solr.apply_update(index, xml, "text/xml; charset=utf-8") is False
    assert "idx-phuket-articles" not in index.docs
    assert solr.apply_update(index, b"<commit />", "text/xml") is True
    solr.apply_update(index, b"<delete><id>idx-private-draft</id></delete>", "text/xml")
    assert sorted(index.docs) == ["idx-smart-city-events", "idx-smart-city-figures"]


def test_update_drops_null_values_and_stamps_indexed_ts() -> None:
    idx = solr.Index()
    idx.add([{"index_id": "a", "name": "x", "notes": None, "url": ""}])
    stored = idx.docs["a"]
    assert "notes" not in stored and "url" not in stored
    assert stored["indexed_ts"].endswith("Z")


def test_update_without_unique_key_is_an_error() -> None:
    with pytest.raises(solr.SolrError):
        solr.apply_update(solr.Index(), b'[{"name": "x"}]', "application/json")


def test_index_persists_across_restart(tmp_path: Path) -> None:
    path = tmp_path / "solr" / "index.json"
    first = solr.Index(str(path))
    first.add([make_doc("kept", "เก็บไว้")])
    first.commit()
    second = solr.Index(str(path))
    body = second.search(params(("q", "เก็บไว้"), ("defType", "dismax"), ("qf", "title text")))
    assert body["response"]["numFound"] == 1


def test_schema_declares_the_version_ckan_checks() -> None:
    import xml.dom.minidom

    root = xml.dom.minidom.parseString(solr.schema_xml()).documentElement
    # ckan.lib.search.check_solr_schema_version reads name="ckan-X.Y"
    assert root.getAttribute("name") == "ckan-2.11"


# --------------------------------------------------------------------------- HTTP


@pytest.fixture
def server(index: solr.Index):
    srv = solr.make_server("127.0.0.1", 0, index)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{srv.server_address[1]}/solr/ckan"
    srv.shutdown()
    srv.server_close()


def http(method: str, url: str, body: bytes | None = None, ctype: str | None = None) -> tuple[int, bytes]:
    req = urllib.request.Request(url, data=body, method=method)
    if ctype:
        req.add_header("Content-Type", ctype)
    try:
        with urllib.request.urlopen(req, timeout=5) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def test_http_select_get_with_trailing_slash_like_pysolr(server: str) -> None:
    query = urllib.parse.urlencode([("q", "*:*"), ("fq", "+state:active"), ("fq", "tags:smartcity"),
                                    ("rows", "1"), ("wt", "json")])
    status, body = http("GET", f"{server}/select/?{query}")
    data = json.loads(body)
    assert status == 200
    assert data["response"]["numFound"] == 2 and len(data["response"]["docs"]) == 1
    assert data["responseHeader"]["status"] == 0


def test_http_select_form_post_for_long_queries(server: str) -> None:
    # pysolr switches to a form POST once the encoded parameters reach 1024 characters
    labels = " OR ".join(f'"member-{i:04d}"' for i in range(120)) + ' OR "public"'
    form = urllib.parse.urlencode([("q", "*:*"), ("fq", f"+permission_labels:({labels})"),
                                   ("fq", "+state:active"), ("wt", "json")]).encode()
    assert len(form) > 1024
    status, body = http("POST", f"{server}/select/", form, "application/x-www-form-urlencoded; charset=utf-8")
    assert status == 200
    assert json.loads(body)["response"]["numFound"] == 3


def test_http_update_then_select(server: str) -> None:
    doc = make_doc("via-http", "ผ่าน HTTP")
    status, _ = http("POST", f"{server}/update/?commit=true", json.dumps([doc]).encode(),
                     "application/json; charset=utf-8")
    assert status == 200
    status, body = http("GET", f"{server}/select/?q=name:via-http&wt=json")
    assert json.loads(body)["response"]["numFound"] == 1


def test_http_schema_ping_and_errors(server: str) -> None:
    status, body = http("GET", f"{server}/schema?wt=schema.xml")
    assert status == 200 and b'name="ckan-2.11"' in body
    status, body = http("GET", f"{server}/admin/file/?file=schema.xml")
    assert status == 200 and b'name="ckan-2.11"' in body
    status, body = http("GET", f"{server}/admin/ping/?wt=json")
    assert status == 200 and json.loads(body)["status"] == "OK"
    status, body = http("GET", f"{server}/select/?q=title:%22open&wt=json")
    assert status == 400 and "SyntaxError" in json.loads(body)["error"]["msg"]
    status, body = http("GET", f"{server}/nothing-here")
    assert status == 404 and json.loads(body)["error"]["code"] == 404


def test_server_refuses_non_loopback(index: solr.Index) -> None:
    with pytest.raises(ValueError):
        solr.make_server("0.0.0.0", 0, index)


def test_request_log_records_requests(index: solr.Index, tmp_path: Path) -> None:
    log_path = tmp_path / "requests.jsonl"
    srv = solr.make_server("127.0.0.1", 0, index, str(log_path))
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    try:
        http("GET", f"http://127.0.0.1:{srv.server_address[1]}/solr/ckan/select/?q=*:*&fq=a:b&fq=c:d")
    finally:
        srv.shutdown()
        srv.server_close()
    entry = json.loads(log_path.read_text(encoding="utf-8").splitlines()[0])
    assert entry["path"] == "/solr/ckan/select/"
    assert entry["params"] == [["q", "*:*"], ["fq", "a:b"], ["fq", "c:d"]]


def test_dismax_tolerates_unbalanced_user_input(index: solr.Index) -> None:
    # the web UI passes whatever the user typed; dismax must not fail on it
    body = index.search(params(("q", "phuket (platform"), ("defType", "dismax"), ("mm", "2<-1 5<80%"),
                               ("qf", "name^4 title^4 text"), ("fl", "name")))
    assert names(body) == ["phuket-articles"]
