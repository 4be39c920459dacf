"""``smartcity extract``: JSON Lines out, clear errors for bad input."""

from __future__ import annotations

import io
import json
import subprocess
import sys

from smartcity.extract import cli

TEXT = "ขณะนี้เมืองอัจฉริยะของไทยมีรวม 36 เมือง ใน 25 จังหวัด"
LIST = "เมืองที่ได้รับตราสัญลักษณ์เมืองอัจฉริยะชุดใหม่ ได้แก่ 1. เมืองอัจฉริยะริมบึง จังหวัดขอนแก่น 2. ภูเก็ตเมืองน่าอยู่ จังหวัดภูเก็ต"


def test_file_to_json_lines(tmp_path, capsys):
    path = tmp_path / "a.txt"
    path.write_text(TEXT, encoding="utf-8")
    assert cli.main([str(path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    rows = [json.loads(line) for line in lines]
    assert [(r["metric"], r["value"]) for r in rows] == [
        ("smart_city_count", 36),
        ("smart_city_province_count", 25),
    ]
    assert "เมืองอัจฉริยะ" in lines[0]  # ensure_ascii=False: Thai stays readable
    assert TEXT[rows[0]["start"] : rows[0]["end"]] == rows[0]["evidence"]


def test_registry_flag(tmp_path, capsys):
    path = tmp_path / "b.txt"
    path.write_text(LIST, encoding="utf-8")
    assert cli.main([str(path), "--registry"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["name"], r["province_code"]) for r in rows] == [
        ("เมืองอัจฉริยะริมบึง", "TH-40"),
        ("ภูเก็ตเมืองน่าอยู่", "TH-83"),
    ]


def test_stdin_and_empty_text(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"")))
    assert cli.main(["-"]) == 0
    assert capsys.readouterr().out == ""


def test_missing_file(capsys, tmp_path):
    assert cli.main([str(tmp_path / "nope.txt")]) == 1
    assert "cannot read" in capsys.readouterr().err


def test_binary_input_via_the_command(tmp_path):
    path = tmp_path / "bin.dat"
    path.write_bytes(bytes(range(256)) * 4)
    proc = subprocess.run(
        [sys.executable, "-m", "smartcity.cli", "extract", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1
    assert "binary" in proc.stderr
    assert proc.stdout == ""


def test_non_utf8_input(tmp_path, capsys):
    path = tmp_path / "latin1.txt"
    path.write_bytes("café 36 cities".encode("latin-1"))
    assert cli.main([str(path)]) == 1
    assert "not UTF-8" in capsys.readouterr().err


def test_stdin_through_the_command():
    proc = subprocess.run(
        [sys.executable, "-m", "smartcity.cli", "extract", "-"],
        input=TEXT.encode("utf-8"),
        capture_output=True,
        check=False,
    )
    assert proc.returncode == 0
    assert len(proc.stdout.decode("utf-8").splitlines()) == 2


OFF_TOPIC = "กรมชลประทานได้รับงบประมาณ 1,200 ล้านบาท สร้างฝาย 40 แห่ง มีเกษตรกรเข้าร่วม 3,000 ราย"


def test_many_files_and_directories_in_one_process(tmp_path, capsys):
    folder = tmp_path / "corpus" / "2023"
    folder.mkdir(parents=True)
    (folder / "b.txt").write_text(TEXT, encoding="utf-8")
    (folder / "a.txt").write_text(OFF_TOPIC, encoding="utf-8")
    (folder / "notes.md").write_text(TEXT, encoding="utf-8")  # not a .txt: not read from a directory
    single = tmp_path / "single.txt"
    single.write_text(TEXT, encoding="utf-8")
    assert cli.main([str(tmp_path / "corpus"), str(single)]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["file"], r["metric"]) for r in rows] == [
        (str(folder / "b.txt"), "smart_city_count"),
        (str(folder / "b.txt"), "smart_city_province_count"),
        (str(single), "smart_city_count"),
        (str(single), "smart_city_province_count"),
    ]
    assert next(iter(rows[0])) == "file"


def test_off_topic_text_publishes_nothing_and_relevance_says_why(tmp_path, capsys):
    on, off = tmp_path / "on.txt", tmp_path / "off.txt"
    on.write_text(TEXT, encoding="utf-8")
    off.write_text(OFF_TOPIC, encoding="utf-8")
    assert cli.main([str(off)]) == 0
    assert capsys.readouterr().out == ""
    assert cli.main([str(on), str(off), "--relevance"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["file"], r["relevant"]) for r in rows] == [(str(on), True), (str(off), False)]
    assert rows[0]["reason"] == "title: เมืองอัจฉริยะ" and rows[1]["reason"] is None
    start, end, rule, _term = rows[0]["passages"][0]
    assert rule == "title" and 0 <= start < end <= len(TEXT)


def test_a_bad_file_is_reported_and_the_others_still_run(tmp_path, capsys):
    good = tmp_path / "good.txt"
    good.write_text(TEXT, encoding="utf-8")
    assert cli.main([str(tmp_path / "missing.txt"), str(good)]) == 1
    captured = capsys.readouterr()
    assert "cannot read" in captured.err
    assert len(captured.out.splitlines()) == 2


def test_cli_prints_what_the_pipeline_extracts(tmp_path, capsys):
    from smartcity.extract.programme import extract_programme

    path = tmp_path / "page.txt"
    path.write_text(f"{OFF_TOPIC}\n{TEXT}\n", encoding="utf-8")
    assert cli.main([str(path)]) == 0
    rows = map(json.loads, capsys.readouterr().out.splitlines())
    printed = [(r["metric"], r["value"], r["start"]) for r in rows]
    figures = extract_programme(path.read_text(encoding="utf-8")).figures
    expected = [(f.metric, f.value, f.start) for f in figures]
    assert printed == expected and printed
