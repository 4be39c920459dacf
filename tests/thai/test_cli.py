import json
import subprocess
import sys

from smartcity.thai.cli import main


def test_prints_range_as_json(capsys):
    assert main(["ระหว่างวันที่ 16-22 ตุลาคม 2566"]) == 0
    assert json.loads(capsys.readouterr().out) == {"start": "2023-10-16", "end": "2023-10-22"}


def test_year_option_fills_missing_year(capsys):
    assert main(["16-22 ตุลาคม", "--year", "2563"]) == 0
    assert json.loads(capsys.readouterr().out) == {"start": "2020-10-16", "end": "2020-10-22"}


def test_missing_year_without_option_fails_with_hint(capsys):
    assert main(["16-22 ตุลาคม"]) == 1
    err = capsys.readouterr().err
    assert "no valid date" in err and "--year" in err


def test_impossible_date_exits_1(capsys):
    assert main(["31 มิถุนายน 2566"]) == 1
    assert capsys.readouterr().out == ""


def test_through_the_smartcity_command():
    proc = subprocess.run(
        [sys.executable, "-m", "smartcity.cli", "thai-date", "วันศุกร์ที่ ๑๙ พ.ย. ๖๔"],
        capture_output=True, text=True, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == {"start": "2021-11-19", "end": "2021-11-19"}


def test_the_error_says_whether_the_year_is_missing_or_the_date_impossible(capsys):
    assert main(["16-22 ตุลาคม"]) == 1
    assert "pass --year" in capsys.readouterr().err
    assert main(["31 มิถุนายน 2566"]) == 1
    assert "impossible" in capsys.readouterr().err
