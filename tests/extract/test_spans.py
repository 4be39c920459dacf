"""smartcity.extract.spans: a position inside merged spans."""

from smartcity.extract.spans import span_test


def test_positions_inside_and_outside_overlapping_and_touching_spans():
    inside = span_test([(10, 20), (15, 25), (30, 31), (0, 2)])
    assert [p for p in range(35) if inside(p)] == [0, 1, *range(10, 25), 30]


def test_no_spans_contain_nothing():
    assert not span_test([])(0)
