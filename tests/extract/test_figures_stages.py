"""The stages of extract_figures, each on its own: candidates, segmentation, scope, topic,
qualifier, links and the per-candidate classifier with its carried context."""

from __future__ import annotations

from smartcity.extract.figures import candidates, classify, links, qualifier, scope, segment, topic
from smartcity.extract.figures.candidates import find_candidates, prepare
from smartcity.extract.figures.classify import Context, Doc
from smartcity.records import Figure


def _cands(text: str) -> list[tuple[float, str | None]]:
    return [(c.num.value, c.kind) for c in find_candidates(text, prepare(text))]


# --- candidates -------------------------------------------------------------------------------------


def test_prepare_keeps_offsets_with_thai_digits_and_case():
    text = "มีเมือง ๓๖ เมือง, 36 Smart Cities"
    low = prepare(text)
    assert len(low) == len(text)
    assert low[8:10] == "36" and low[text.index("Smart") :] == "smart cities"


def test_candidates_only_numbers_with_a_noun_currency_or_multiplier():
    text = "เมื่อ 12 มีนาคม 2567 มี 36 เมือง งบ 500 ล้านบาท ใน 25 จังหวัด ราว 2,500 ล้าน และ 15%"
    assert _cands(text) == [(36, "city"), (5e8, "money"), (25, "province"), (2.5e9, "bare_millions")]


def test_candidates_english_noun_phrase_and_words():
    found = find_candidates("thirty-six new smart cities", prepare("thirty-six new smart cities"))
    assert [(c.num.value, c.kind, c.phrase) for c in found] == [(36, "city", "new smart cities")]


def test_candidates_single_letter_multiplier_needs_a_currency():
    assert _cands("a 300m tower for 300 people") == [(300, "person")]
    assert _cands("Bt300m budget") == [(3e8, "money")]
    assert _cands("US$5 million") == [(5e6, "foreign_money")]


def test_candidates_in_noise_are_dropped():
    assert _cands("โทร. 02 123 4567 คน") == []
    assert _cands("Visitors: 93,395 people") == []


def test_candidates_total_to_and_region_after():
    text = "15 new smart cities, bringing the total to 51, of which 12 are in the Northeast"
    kinds = [k for _, k in _cands(text)]
    assert kinds == ["city", "same", "region_item"]


# --- segmentation -----------------------------------------------------------------------------------


def test_sentence_ends_and_clause_start():
    text = "Depa said so. The 36 cities\nภาคเหนือ 9 เมือง"
    ends = segment.sentence_ends(text)
    assert ends == [13, 28]
    assert segment.sentence_ends("more than\n300 cities") == []  # a soft wrap inside a sentence
    assert segment.clause_start(ends, text.index("36"), 0) == 13
    assert segment.clause_start(ends, text.index("9"), 0) == 28
    assert segment.clause_start(ends, text.index("36"), 16) == 16  # after the previous counted number


def test_evidence_start_is_the_start_of_the_word_run():
    text = "ประเทศไทยมีเมืองอัจฉริยะ 36 เมือง"
    assert segment.evidence_start(text, 0, text.index("เมืองอัจฉริยะ")) == 0


# --- scope, qualifier, topic -------------------------------------------------------------------------


def test_scope_before_nearest_cue_wins():
    assert scope.scope_before("ปัจจุบันมีเมืองอัจฉริยะทั้งสิ้น ")[0] == "total"
    assert scope.scope_before("คาดว่าจะประกาศเพิ่ม ")[0] == "new"
    assert scope.scope_before("ตั้งเป้าเพิ่มอีก ")[0] == "target"  # a goal of new ones
    assert scope.scope_before("ต่ออายุตราสัญลักษณ์ ")[0] is None  # a renewal has no scope
    assert scope.scope_before("no cue here ") == (None, len("no cue here "))


def test_scope_before_weak_total_yields_to_a_stronger_cue_of_its_phrase():
    assert scope.scope_before("มอบใบประกาศให้แก่เมืองใหม่รวม ")[0] == "new"
    assert scope.scope_before("มีเมืองรวม ")[0] == "total"


def test_scope_after_the_noun():
    hit = find_candidates("10 เมือง", prepare("10 เมือง"))[0]
    assert scope.scope_after(None, hit, "อัจฉริยะใหม่") == "new"
    assert scope.scope_after("new", hit, "ภายในปี 2570") == "target"
    assert scope.scope_after(None, hit, "ทั่วประเทศแล้ว") == "total"


def test_qualifier_and_where_it_starts():
    text = "ผู้เข้าร่วมกว่า 5,000 คน"
    low = prepare(text)
    n = find_candidates(text, low)[0].num
    assert qualifier.find_qualifier(text, low, n, 0) == ("more_than", 0)
    text = "about 30 cities"
    n = find_candidates(text, prepare(text))[0].num
    assert qualifier.find_qualifier(text, prepare(text), n, 0) == ("approx", 0)


def test_topic_zone_beats_city_on_a_tie_and_phrase_beats_clause():
    assert topic.find_topic("เขตส่งเสริมเมืองอัจฉริยะ ", "")[0] == "zone"
    assert topic.find_topic("เมืองอัจฉริยะ ", "") == ("city", 0)
    assert topic.find_topic("smart city ", "promotion zones")[0] == "zone"
    assert topic.find_topic("ทั่วไป ", "") == (None, len("ทั่วไป "))
    assert topic.topic_after("เมืองได้รับตราสัญลักษณ์เมืองอัจฉริยะ", 5) == "city"


def test_region_before_a_number():
    text = "ภาคเหนือ 27 เมือง"
    assert topic.region_before(text, text.index("27"), 0) == ("ภาคเหนือ", 0)
    assert topic.region_before("มี 27", 3, 0) == (None, 3)


# --- links and the classifier ------------------------------------------------------------------------


def test_linked_count_province_of_a_city_count():
    text = "36 เมืองจาก 25 จังหวัด"
    low = prepare(text)
    city, prov = find_candidates(text, low)
    city.figure = Figure(metric="smart_city_count", value=36, unit="count", scope=None, qualifier="exact",
                         region=None, evidence="36 เมือง", start=0, end=8)
    assert links.linked_count(low, prov, city) is city.figure
    assert links.linked_count(low, prov, None) is None


def test_classify_uses_the_carried_context_for_a_breakdown_item():
    text = "เมืองอัจฉริยะทั้งสิ้น 36 เมือง ภาคเหนือ 10 เมือง"
    low = prepare(text)
    total, item = find_candidates(text, low)
    ctx = Context(Doc(low))
    ends = segment.sentence_ends(text)
    lo = segment.clause_start(ends, total.num.start, ctx.clause_floor())
    fig = classify.classify_candidate(text, low, total, lo, ctx)
    assert (fig.metric, fig.value, fig.scope) == ("smart_city_count", 36, "total")
    ctx.advance(text, total, fig, lo)
    assert ctx.parent is fig and ctx.prev is total and total.figure is fig
    lo = segment.clause_start(ends, item.num.start, ctx.clause_floor())
    part = classify.classify_candidate(text, low, item, lo, ctx)
    assert (part.metric, part.value, part.scope, part.region) == ("smart_city_count", 10, "total", "ภาคเหนือ")
    # Without the carried parent, the same item is no figure.
    assert classify.classify_candidate(text, low, item, lo, Context(Doc(low))) is None


def test_every_candidate_kind_has_a_rule_but_foreign_money():
    kinds = {"money", "bare_millions", "city", "zone", "area", "place", "province", "region_item", "same",
             "booth", "person", "org"}
    assert set(classify.RULES) == kinds
    assert candidates.Candidate  # the stage's record type is public


def test_candidates_read_numbers_as_thai_numbers_does():
    # One reader (smartcity.thai.numbers.number_from_match) for the tokeniser and the candidates.
    from smartcity.thai.numbers import find_numbers

    def reading(n):
        return (n.value, n.multiplier, n.currency, n.start, n.num_start, n.num_end, n.kind)

    texts = ("Bt300m", "1.2 พันล้านบาท", "4,750 ล้านบาท", "สามสิบหก คน", "thirty-six cities", "THB2.4 trillion")
    for text in texts:
        assert reading(find_candidates(text, prepare(text))[0].num) == reading(find_numbers(text)[0])
