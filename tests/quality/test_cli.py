"""``smartcity validate`` on files, with the real Great Expectations."""

from __future__ import annotations

import pytest

from smartcity.quality.cli import main
from tests.quality.conftest import FRAMES


@pytest.mark.parametrize("suffix", [".jsonl", ".csv", ".parquet"])
def test_validate_good_file_exits_0(tmp_path, capsys, suffix):
    frame = FRAMES["figures"]()
    path = tmp_path / f"figures{suffix}"
    if suffix == ".jsonl":
        frame.to_json(path, orient="records", lines=True, force_ascii=False)
    elif suffix == ".csv":
        frame.to_csv(path, index=False)
    else:
        frame.to_parquet(path)
    assert main(["figures", str(path), "--docs-dir", str(tmp_path / "docs")]) == 0
    out = capsys.readouterr().out
    assert "figures: PASSED" in out and str(tmp_path / "docs" / "index.html") in out


def test_validate_bad_file_exits_1_and_names_rows(tmp_path, capsys):
    frame = FRAMES["figures"]()
    frame.loc[4, "metric"] = "city_count"
    path = tmp_path / "figures.jsonl"
    frame.to_json(path, orient="records", lines=True, force_ascii=False)
    assert main(["figures", str(path)]) == 1
    out = capsys.readouterr().out
    assert "FAILED" in out and "CRITICAL expect_column_values_to_be_in_set [metric]" in out
    assert frame.loc[4, "figure_id"] in out


def test_validate_unreadable_file_exits_2(tmp_path):
    path = tmp_path / "figures.txt"
    path.write_text("x", encoding="utf-8")
    assert main(["figures", str(path)]) == 2
