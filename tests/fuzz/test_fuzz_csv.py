"""Property tests of the CSV writer (smartcity.publish.files): any cell text, any number.

Properties: no exception but ``SchemaMismatch``; read back by the csv module, every row is one
row and every cell is what was written (text neutralised against formula injection, numbers as
numbers); the bytes do not depend on the order of the rows.
"""

from __future__ import annotations

from hypothesis import given, seed, settings

from tests.fuzz.properties import BOUND_1MB_S, BOUND_10KB_MS, CI_SLACK, adversarial, check_csv, figure_rows
from tests.fuzz.support import FUZZ_SEED, best_seconds


@settings(max_examples=40)  # each example writes two files through pandas: ~40 ms
@seed(FUZZ_SEED)
@given(figure_rows())
def test_csv_cells_read_back_as_written(rows):
    check_csv(rows)


def test_csv_with_10kb_and_1mb_cells():
    # check_csv writes the file twice and reads it back: the bound holds for all of it.
    small = [{"figure_id": "a", "evidence": adversarial(10_000, 1, "mixed"), "value": 1.0}]
    assert best_seconds(lambda: check_csv(small)) * 1000 <= BOUND_10KB_MS * CI_SLACK
    big = [{"figure_id": "a", "evidence": "=" + adversarial(1_000_000, 1, "multipliers"), "value": 1.0}]
    assert best_seconds(lambda: check_csv(big), repeat=1) <= BOUND_1MB_S * CI_SLACK
