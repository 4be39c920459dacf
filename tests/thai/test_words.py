"""search_words: the Thai words of a phrase written without spaces (sentences our own)."""

from smartcity.thai.words import search_words


def test_a_run_of_thai_words_is_cut_into_words_without_function_words():
    assert search_words("ข่าวและบทความทางการเกี่ยวกับเมืองอัจฉริยะ") == [
        "ข่าว", "บทความ", "ทางการ", "เมือง", "อัจฉริยะ"]


def test_words_are_distinct_in_order_of_first_appearance():
    assert search_words("ทะเบียนเมืองอัจฉริยะและเขตส่งเสริมเมืองอัจฉริยะ") == [
        "ทะเบียน", "เมือง", "อัจฉริยะ", "เขต", "ส่งเสริม"]


def test_spaces_latin_words_digits_and_punctuation_are_left_to_the_schema():
    assert search_words("กิจกรรม งานสัมมนา (Smart City 2567) ๒๕๖๗") == ["กิจกรรม", "งาน", "สัมมนา"]


def test_text_without_thai_gives_no_words():
    assert search_words("Figures stated in smart-city news") == []
    assert search_words("") == []


def test_extra_words_stay_whole():
    text = "ข่าวที่กล่าวถึงโครงการเมืองอัจฉริยะ"
    assert "การเมือง" in search_words(text)  # newmm alone reads "politics" here
    assert search_words(text, ("เมืองอัจฉริยะ",)) == ["ข่าว", "กล่าวถึง", "โครงการ", "เมืองอัจฉริยะ"]
