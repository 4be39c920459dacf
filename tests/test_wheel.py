"""The smartcity package as users install it: a wheel built from the sources, installed in a clean
venv (not the editable install of ``.venv``), runs its commands with the data files it ships.

The slow test builds the sdist and the wheel from a copy of what pyproject.toml reads, makes a venv
with ``.venv/bin/uv`` on ``.venv``'s Python, installs the wheel held to the versions of the
runtime lock (``-c requirements.txt``: from uv's cache when warm, else PyPI), then runs
``smartcity extract``, ``smartcity pipeline --help`` and the pipeline's stages over a corpus of
three pages written here, validation included (the expectation suites come from the wheel).
"""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "include" / "smartcity"
UV = ROOT / ".venv" / "bin" / "uv"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
# import name -> distribution, where they differ
DISTRIBUTION_OF = {"yaml": "pyyaml", "great_expectations": "great-expectations",
                   "lxml_html_clean": "lxml-html-clean", "charset_normalizer": "charset-normalizer",
                   "psycopg2": "psycopg2-binary"}
# the data files the code loads, by their path in the wheel
DATA_FILES = ("smartcity/extract/lexicon.yaml", "smartcity/geo/provinces.csv",
              "smartcity/sources/demo_site/robots.txt",
              "smartcity/sources/demo_site/thaigov/news/contents/details/48480.html",
              "smartcity/sources/demo_site/depa/th/rss.xml",
              *(f"smartcity/expectations/{p.name}" for p in sorted((ROOT / "expectations").glob("*.json"))))


def _name(requirement: str) -> str:
    for sep in "<>=!~[; ":
        requirement = requirement.split(sep, 1)[0]
    return requirement.strip().lower().replace("_", "-")


def test_every_package_under_include_is_listed_in_pyproject():
    listed = set(PYPROJECT["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(PACKAGE.parent).parts) for p in PACKAGE.rglob("__init__.py")}
    assert found <= listed, f"add to [tool.setuptools] packages: {sorted(found - listed)}"
    assert listed - found == {"smartcity.expectations"}, "a listed package has no __init__.py"


def test_every_third_party_import_is_a_declared_dependency():
    declared = {_name(r) for r in PYPROJECT["project"]["dependencies"]}
    declared |= {_name(r) for extra in PYPROJECT["project"]["optional-dependencies"].values() for r in extra}
    imported: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                imported.add(node.module.split(".")[0])
    third_party = {m for m in imported if m not in sys.stdlib_module_names and m != "smartcity"}
    missing = {m for m in third_party if DISTRIBUTION_OF.get(m, m).replace("_", "-") not in declared}
    assert not missing, f"imported but not in pyproject.toml's dependencies: {sorted(missing)}"
    assert "airflow" not in third_party, "the package must run without Airflow (dags/ and plugins/ use it)"


def test_dependencies_are_ranges_not_pins():
    for requirement in PYPROJECT["project"]["dependencies"]:
        assert "==" not in requirement, f"{requirement}: pins belong in requirements.txt"


def _page(title: str, date_line: str, body: str, url: str) -> str:
    return f"รัฐบาลไทย-ข่าวทำเนียบรัฐบาล-{title}\n\n{date_line}\nพิมพ์\n{title}\n{body}\nที่มา : {url}\n"


def _corpus(root: Path) -> Path:
    """Three pages in the layout of PyThaiNLP's thaigov corpus (text written for this test)."""
    pages = {
        "data/2023/03/10/ด้านเศรษฐกิจ_1_0a1b2c3d-0000-4000-8000-000000000001.txt": _page(
            "ทดสอบวีล: รัฐบาลประกาศเมืองอัจฉริยะเพิ่ม", "วันศุกร์ที่ 10 มีนาคม 2566",
            "คณะกรรมการขับเคลื่อนเมืองอัจฉริยะประกาศรับรองเมืองอัจฉริยะเพิ่มอีก 6 เมือง "
            "รวมเป็น 36 เมือง ใน 25 จังหวัด",
            "https://www.thaigov.go.th/news/contents/details/99501"),
        "data/2023/03/11/ด้านสังคม_2.txt": _page(
            "ทดสอบวีล: นายกรัฐมนตรีเยี่ยมชมโรงเรียน", "วันเสาร์ที่ 11 มีนาคม 2566",
            "นายกรัฐมนตรีเยี่ยมชมโรงเรียนและพบปะนักเรียน",
            "https://www.thaigov.go.th/news/contents/details/99502"),
        "data/2023/03/12/_3.txt": "รัฐบาลไทย-\n\n",  # the site's soft 404: no article
    }
    for rel, text in pages.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return root


def _run(*args: str | Path, env: dict[str, str], cwd: Path, timeout: int = 300,
         stdin: str | None = None) -> str:
    proc = subprocess.run([str(a) for a in args], input=stdin, capture_output=True, text=True, env=env,
                          cwd=cwd, timeout=timeout, check=False)
    assert proc.returncode == 0, f"{args}: {proc.stdout[-2000:]}\n{proc.stderr[-4000:]}"
    return proc.stdout


@pytest.mark.slow
def test_wheel_installs_in_a_clean_venv_and_runs(tmp_path: Path) -> None:
    if not UV.exists():
        pytest.skip("no .venv/bin/uv: run `make venv`")
    # only what the build reads: a build in the checkout would leave build/ behind
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy2(ROOT / "pyproject.toml", src)
    shutil.copytree(ROOT / "expectations", src / "expectations")
    shutil.copytree(PACKAGE, src / "include" / "smartcity", ignore=shutil.ignore_patterns("__pycache__"))
    env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "HOME": os.environ.get("HOME", str(tmp_path)),
           "LANG": "C.UTF-8", "UV_SYSTEM_CERTS": "1"}
    env |= {k: v for k, v in os.environ.items() if k.startswith(("UV_", "SSL_", "REQUESTS_CA")) or
            k.lower().endswith("_proxy")}

    _run(UV, "build", "--quiet", "--out-dir", tmp_path / "dist", src, env=env, cwd=tmp_path)
    (wheel,) = (tmp_path / "dist").glob("smartcity-*.whl")
    assert list((tmp_path / "dist").glob("smartcity-*.tar.gz")), "no sdist"
    names = set(zipfile.ZipFile(wheel).namelist())
    missing = [f for f in DATA_FILES if f not in names]
    assert not missing, f"not in the wheel: {missing}"

    venv = tmp_path / "venv"
    python = os.path.realpath(ROOT / ".venv" / "bin" / "python")
    _run(UV, "venv", "--quiet", "--python", python, venv, env=env, cwd=tmp_path)
    _run(UV, "pip", "install", "--quiet", "--python", venv / "bin" / "python", wheel,
         "-c", ROOT / "requirements.txt", env=env, cwd=tmp_path)
    installed = _run(UV, "pip", "list", "--python", venv / "bin" / "python", "--format", "json",
                     env=env, cwd=tmp_path)
    names = {d["name"].lower() for d in json.loads(installed)}
    assert "apache-airflow" not in names and "pytest" not in names and "smartcity" in names

    run_env = env | {"SMARTCITY_DATA_DIR": str(tmp_path / "data"), "SMARTCITY_STAGE_CACHE": "0"}
    smartcity = venv / "bin" / "smartcity"
    # the extractor loads lexicon.yaml at import
    figures = _run(smartcity, "extract", "-", env=run_env, cwd=tmp_path,
                   stdin="ประกาศรับรองเมืองอัจฉริยะเพิ่มอีก 6 เมือง รวมเป็น 36 เมือง ใน 25 จังหวัด\n")
    assert "36" in figures, figures

    assert "--sources" in _run(smartcity, "pipeline", "--help", env=run_env, cwd=tmp_path)

    # the corpus source through the pipeline's stages (the functions `smartcity pipeline` calls),
    # then validation of the datasets those pages fill, with the suites the wheel ships
    corpus = _corpus(tmp_path / "thaigov-v2")
    config = tmp_path / "sources.yaml"
    config.write_text(f"sources:\n  - site: thaigov_corpus\n    path: {corpus}\n", encoding="utf-8")
    script = (
        "import json, sys\n"
        "from smartcity.pipeline import crawl, extract, parse, reconcile, run_dir, validate\n"
        "d = run_dir('wheel')\n"
        "s = {'run_dir': str(d), 'crawl': crawl(d, sources_file=sys.argv[1]), 'parse': parse(d),\n"
        "     'extract': extract(d), 'reconcile': reconcile(d)}\n"
        "s |= {f'validate_{n}': validate(d, n) for n in ('articles', 'figures', 'totals')}\n"
        "print(json.dumps(s, default=str))\n"
    )
    out = _run(venv / "bin" / "python", "-c", script, config, env=run_env, cwd=tmp_path, timeout=600)
    summary = json.loads(out.strip().splitlines()[-1])
    assert summary["run_dir"].startswith(str(tmp_path / "data"))
    assert summary["crawl"]["fetched"] == 2 and summary["crawl"]["soft_404"] == 1
    assert summary["parse"]["pages"] == 2 and summary["extract"]["articles"] == 1  # the school visit is not
    assert summary["extract"]["figures"] >= 1
    for dataset in ("articles", "figures", "totals"):
        assert summary[f"validate_{dataset}"]["success"] is True, summary[f"validate_{dataset}"]
    suites = _run(venv / "bin" / "python", "-c",
                  "from smartcity.quality.suites import suites_dir; print(suites_dir())",
                  env=run_env, cwd=tmp_path).strip()
    assert suites.startswith(str(venv)) and suites.endswith("smartcity/expectations"), suites
