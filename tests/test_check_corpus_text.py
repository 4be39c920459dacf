"""bench/check_corpus_text.py: shared runs are found across wrapping, punctuation and names, and
only from the threshold up."""

from __future__ import annotations

from bench import check_corpus_text as check

PAGE = (
    "หัวข้อข่าวที่แต่งขึ้นเพื่อการทดสอบ\n"
    "The committee agreed today that the harbour ferry timetable changes next month, "
    "and the town will repaint every bus shelter along the river road before the rainy season."
)


def _runs(files: list[tuple[str, str]], page: str = PAGE, min_run: int = 40) -> list[str]:
    index = check.RepoIndex(files)
    return [index.joined[s:e] for s, e in sorted(check.shared_runs(index, check.normalise(page), min_run))]


def test_a_sentence_wrapped_over_comment_lines_is_found():
    source = (
        "x = 1\n"
        "# the harbour ferry timetable changes next month, and the town\n"
        "# will repaint every bus shelter\n"
    )
    (run,) = _runs([("a.py", source)])
    assert run == "theharbourferrytimetablechangesnextmonthandthetownwillrepainteverybusshelter"
    index = check.RepoIndex([("a.py", source)])
    start, _ = next(iter(check.shared_runs(index, check.normalise(PAGE), 40)))
    assert index.locate(start) == (0, source.index("the harbour"))


def test_a_run_split_into_string_literals_is_found():
    source = 'TEXT = (\n    "the town will repaint "\n    "every bus shelter along the river road"\n)\n'
    assert _runs([("t.py", source)]) == ["thetownwillrepainteverybusshelteralongtheriverroad"]


def test_short_phrases_names_and_addresses_are_not_runs():
    source = (
        "# the harbour ferry timetable\n"  # 24 characters: under the threshold
        "# กระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม สำนักงานส่งเสริมเศรษฐกิจดิจิทัล\n"
        "# https://www.thaigov.go.th/news/contents/details/12345\n"
    )
    page = PAGE + "\nกระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม สำนักงานส่งเสริมเศรษฐกิจดิจิทัล\n"
    page += "https://www.thaigov.go.th/news/contents/details/12345\n"
    assert _runs([("c.py", source)], page) == []


def test_the_threshold_is_exact_whatever_the_offset():
    text = check.normalise(PAGE)
    for start in range(0, 30):
        piece = text[start : start + 40]
        assert _runs([("p.py", piece)]) == [piece]
        assert _runs([("p.py", piece[:39])]) == []


def test_missing_corpus_exits_2(tmp_path):
    assert check.main([str(tmp_path)]) == 2
