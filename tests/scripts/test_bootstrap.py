"""Tests of the set-up itself, run as a new user would: scripts/bootstrap_venv.sh in a temporary
copy of the checkout, with an empty HOME and the system PATH only.

The copy installs a one-package requirements file (``SMARTCITY_REQUIREMENTS``) instead of the
full pins, and uv and pip use the caller's caches (``UV_CACHE_DIR`` / ``PIP_CACHE_DIR``, else
``~/.cache``), warm after ``make venv``, so each run takes seconds. They need PyPI only when
those caches are cold.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SYSTEM_PATH = "/usr/sbin:/usr/bin:/sbin:/bin"
BOOTSTRAP_TIMEOUT_S = 300


def _pinned(name: str, lock: str = "requirements.txt") -> str:
    """The ``name==version`` line of a lock (so the warm cache has it)."""
    for line in (ROOT / lock).read_text(encoding="utf-8").splitlines():
        if line.startswith(f"{name}=="):
            return line.split()[0]
    raise LookupError(f"{name} is not pinned in {lock}")


def _locked(name: str, lock: str) -> str:
    """The entry of ``name`` in a lock as written there: the pin and its ``--hash`` lines."""
    text = (ROOT / lock).read_text(encoding="utf-8")
    start = text.index(f"\n{name}==") + 1
    entry = []
    for line in text[start:].splitlines():
        if entry and not line.startswith("    --hash"):
            break
        entry.append(line)
    return "\n".join(entry) + "\n"


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """A copy of what bootstrap_venv.sh reads, plus a one-package requirements file."""
    copy = tmp_path / "checkout"
    (copy / "scripts").mkdir(parents=True)
    shutil.copy2(ROOT / "scripts" / "bootstrap_venv.sh", copy / "scripts")
    shutil.copy2(ROOT / "pyproject.toml", copy)
    shutil.copytree(ROOT / "expectations", copy / "expectations")  # shipped in the package
    shutil.copytree(ROOT / "include", copy / "include",
                    ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    (copy / "tiny-requirements.txt").write_text(_pinned("idna") + "\n", encoding="utf-8")
    return copy


def _new_user_env(home: Path, **extra: str) -> dict[str, str]:
    """An empty HOME and the system PATH; only the caches point at the caller's warm ones."""
    caller_cache = Path.home() / ".cache"
    home.mkdir(exist_ok=True)
    return {
        "HOME": str(home),
        "PATH": SYSTEM_PATH,
        "LANG": "C.UTF-8",
        "UV_CACHE_DIR": os.environ.get("UV_CACHE_DIR", str(caller_cache / "uv")),
        "PIP_CACHE_DIR": os.environ.get("PIP_CACHE_DIR", str(caller_cache / "pip")),
        "SMARTCITY_REQUIREMENTS": "tiny-requirements.txt",
        **extra,
    }


def _bootstrap(checkout: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(checkout / "scripts" / "bootstrap_venv.sh")], cwd=checkout, env=env,
                          capture_output=True, text=True, timeout=BOOTSTRAP_TIMEOUT_S, check=False)


def _run(*args: str | Path) -> str:
    proc = subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_bootstrap_from_nothing_makes_a_venv_with_uv_inside(checkout: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    proc = _bootstrap(checkout, _new_user_env(home))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert ".venv ready (Python 3.11" in proc.stdout

    venv = checkout / ".venv"
    assert _run(venv / "bin" / "uv", "--version").startswith("uv ")
    out = _run(venv / "bin" / "python", "-c",
               "import sys, idna, smartcity; print(sys.prefix, '%d.%d' % sys.version_info[:2])")
    assert out.split() == [str(venv), "3.11"]
    # nothing outside the checkout: no `pip install --user`, no uv in ~/.local/bin
    assert not (home / ".local" / "bin").exists()

    again = _bootstrap(checkout, _new_user_env(home))
    assert again.returncode == 0, again.stderr
    assert "installing uv" not in again.stderr


def test_bootstrap_adds_pip_and_uv_to_a_venv_without_them(checkout: Path, tmp_path: Path) -> None:
    # e.g. a .venv made by an older bootstrap with `uv venv`, which has no pip
    subprocess.run(["/usr/bin/python3", "-m", "venv", "--without-pip", str(checkout / ".venv")], check=True)
    (checkout / ".venv" / "keep-me").write_text("x", encoding="utf-8")
    proc = _bootstrap(checkout, _new_user_env(tmp_path / "home"))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert _run(checkout / ".venv" / "bin" / "uv", "--version").startswith("uv ")
    assert (checkout / ".venv" / "keep-me").exists()


def test_bootstrap_refuses_another_python_and_says_how_to_fix_it(checkout: Path, tmp_path: Path) -> None:
    fake = tmp_path / "python3.13"
    fake.write_text("#!/bin/sh\necho 3.13\n", encoding="utf-8")
    fake.chmod(0o755)
    proc = _bootstrap(checkout, _new_user_env(tmp_path / "home", PYTHON=str(fake)))
    assert proc.returncode != 0
    assert "Python 3.11 is required" in proc.stderr
    assert f"{fake} is 3.13" in proc.stderr
    assert "sudo apt-get install -y python3.11 python3.11-venv" in proc.stderr
    assert "SMARTCITY_FETCH_PYTHON=1" in proc.stderr
    assert not (checkout / ".venv").exists()


def test_bootstrap_installs_every_lock_it_is_given_checking_hashes(checkout: Path, tmp_path: Path) -> None:
    # a runtime and a development lock, as `make venv` installs them; with hashes, as written there
    (checkout / "runtime.txt").write_text(_locked("idna", "requirements.txt"), encoding="utf-8")
    (checkout / "dev.txt").write_text(_locked("iniconfig", "requirements-dev.txt"), encoding="utf-8")
    env = _new_user_env(tmp_path / "home", SMARTCITY_REQUIREMENTS="runtime.txt dev.txt")
    proc = _bootstrap(checkout, env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    _run(checkout / ".venv" / "bin" / "python", "-c", "import idna, iniconfig, smartcity")

    # a lock whose hash does not match what PyPI serves is refused
    bad = re.sub(r"sha256:[0-9a-f]{64}", "sha256:" + "0" * 64, _locked("idna", "requirements.txt"))
    (checkout / "bad.txt").write_text(bad, encoding="utf-8")
    subprocess.run([str(checkout / ".venv" / "bin" / "uv"), "pip", "uninstall", "--quiet", "--python",
                    str(checkout / ".venv" / "bin" / "python"), "idna"], check=True, capture_output=True)
    refused = _bootstrap(checkout, _new_user_env(tmp_path / "home", SMARTCITY_REQUIREMENTS="bad.txt"))
    assert refused.returncode != 0 and "hash" in refused.stderr.lower(), refused.stderr


def test_make_venv_installs_the_runtime_and_development_locks() -> None:
    script = (ROOT / "scripts" / "bootstrap_venv.sh").read_text(encoding="utf-8")
    assert 'SMARTCITY_REQUIREMENTS:-requirements.txt requirements-dev.txt' in script
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    target = re.search(r"^\$\(VENV\)/\.installed:(.*)$", makefile, re.M)
    assert target and {"requirements.txt", "requirements-dev.txt"} <= set(target.group(1).split())


SET_UP_SCRIPTS = sorted([*(ROOT / "scripts").glob("*.sh"), *(ROOT / "scripts" / "ckan").glob("*.sh")])


@pytest.mark.parametrize("script", SET_UP_SCRIPTS, ids=lambda p: p.name)
def test_scripts_take_uv_and_pip_from_the_venv_not_from_path(script: Path) -> None:
    code = [line for line in script.read_text(encoding="utf-8").splitlines()
            if not line.lstrip().startswith("#")]
    for line in code:
        # `uv` in command position: at the start, or after ; & | ( then do
        assert not re.search(r"(^|[;&|(]|\bthen|\bdo)\s*uv\s", line), f"uv from PATH: {line.strip()}"
        assert not re.search(r"python3(\.\d+)? -m pip\b", line), f"the system pip: {line.strip()}"
        assert "--user" not in line, line.strip()
