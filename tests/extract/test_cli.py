"""``smartcity extract``: JSON Lines out, clear errors for bad input."""

from __future__ import annotations

import io
import json
import subprocess
import sys

from smartcity.extract import cli

TEXT = "ปัจจุบันประเทศไทยมีเมืองอัจฉริยะทั้งสิ้น 36 เมืองจาก 25 จังหวัด"
LIST = "เมืองอัจฉริยะชุดใหม่ ได้แก่ 1. เมืองอัจฉริยะริมบึง จังหวัดขอนแก่น 2. ภูเก็ตเมืองน่าอยู่ จังหวัดภูเก็ต"


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
