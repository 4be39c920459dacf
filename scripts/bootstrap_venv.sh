#!/usr/bin/env bash
# Create or update .venv: `python3 -m venv`, uv installed *inside* it with the venv's own pip,
# then the hashed locks -- requirements.txt (runtime: Airflow, GX, ...) and requirements-dev.txt
# (pytest, hypothesis, selenium, ruff) -- and the smartcity package (include/, editable) with
# that uv.
# Every other script calls uv by its path, .venv/bin/uv: nothing is taken from PATH but python3,
# nothing is installed outside the checkout (no `pip install --user`).
#
# Needs Python 3.11 with its venv module, and PyPI.
#   - venv/ensurepip missing (Debian's python3-venv): installed with apt-get when root, else the
#     command to run is printed.
#   - python3 is not 3.11: stops with the commands that fix it. With SMARTCITY_FETCH_PYTHON=1, uv
#     instead downloads a standalone CPython 3.11 (into uv's python directory under ~/.local/share)
#     and .venv is built on that; off by default, because it fetches a binary from outside PyPI.
#
# Env: PYTHON (python3.11 if on PATH, else python3), SMARTCITY_FETCH_PYTHON (unset),
#      SMARTCITY_REQUIREMENTS (the lock files to install, space-separated; default
#      "requirements.txt requirements-dev.txt"; the set-up test installs a tiny file instead),
#      UV_CACHE_DIR / PIP_CACHE_DIR (uv's and pip's defaults under ~/.cache).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

UV_SPEC="uv==0.13.9"
VENV=.venv
UV="$VENV/bin/uv"
read -r -a REQUIREMENTS <<< "${SMARTCITY_REQUIREMENTS:-requirements.txt requirements-dev.txt}"
[ "${#REQUIREMENTS[@]}" -gt 0 ] || { echo "bootstrap: error: SMARTCITY_REQUIREMENTS names no file" >&2; exit 1; }
WANT=3.11
# uv trusts the operating system's certificate store, as pip and curl do here (its own bundled
# roots know no CA that a site adds to /etc/ssl/certs, e.g. a proxy's)
export UV_SYSTEM_CERTS="${UV_SYSTEM_CERTS:-1}"

say() { echo "bootstrap: $*" >&2; }
die() { say "error: $*"; exit 1; }

if [ -z "${PYTHON:-}" ]; then
    PYTHON=python3
    command -v python3.11 >/dev/null 2>&1 && PYTHON=python3.11
fi
command -v "$PYTHON" >/dev/null 2>&1 ||
    die "no $PYTHON on PATH. Install Python $WANT: sudo apt-get install -y python3 python3-venv"
PYTHON="$(command -v "$PYTHON")"
version_of() { "$1" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null || echo none; }
have="$(version_of "$PYTHON")"

# python3 -m venv needs ensurepip, which Debian and Ubuntu ship apart in python3-venv.
ensure_venv_module() {
    "$PYTHON" -c 'import ensurepip, venv' 2>/dev/null && return 0
    local pkg=python3-venv
    [ "$(readlink -f "$PYTHON")" = "$(readlink -f "$(command -v python3 || true)")" ] || pkg="python$have-venv"
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
        say "$PYTHON has no venv/ensurepip module; installing $pkg with apt-get"
        DEBIAN_FRONTEND=noninteractive apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$pkg" >/dev/null
        "$PYTHON" -c 'import ensurepip, venv' || die "$pkg is installed but $PYTHON still has no ensurepip"
    else
        die "$PYTHON has no venv/ensurepip module. Run: sudo apt-get install -y $pkg"
    fi
}

if [ "$have" != "$WANT" ]; then
    if [ "${SMARTCITY_FETCH_PYTHON:-}" != 1 ]; then
        die "Python $WANT is required (the pins in requirements.txt are for $WANT); $PYTHON is $have.
  Fix one of:
    sudo apt-get install -y python3.11 python3.11-venv   # where your distribution has it, then re-run
    PYTHON=/path/to/python3.11 make ...                  # a Python 3.11 you already have
    SMARTCITY_FETCH_PYTHON=1 make ...                    # let uv download a standalone CPython 3.11"
    fi
    # A throw-away seed venv on the Python we have hosts the uv that fetches 3.11.
    if [ "$(version_of "$VENV/bin/python")" != "$WANT" ]; then
        ensure_venv_module
        seed=.local/uv-seed
        rm -rf "$seed"
        mkdir -p .local
        "$PYTHON" -m venv "$seed"
        "$seed/bin/python" -m pip install --quiet --disable-pip-version-check "$UV_SPEC"
        say "downloading a standalone CPython $WANT with uv (SMARTCITY_FETCH_PYTHON=1)"
        "$seed/bin/uv" venv --quiet --clear --seed --managed-python --python "$WANT" "$VENV"
        rm -rf "$seed"
    fi
else
    ensure_venv_module
    if [ "$(version_of "$VENV/bin/python")" != "$WANT" ]; then
        [ -e "$VENV" ] && say "$VENV is not a Python $WANT venv; re-creating it"
        "$PYTHON" -m venv --clear "$VENV"
    elif ! "$VENV/bin/python" -m pip --version >/dev/null 2>&1 && [ ! -x "$UV" ]; then
        # e.g. a venv made by `uv venv` (no pip): add pip in place, keeping what is installed
        "$PYTHON" -m venv "$VENV"
    fi
fi

if [ "$("$UV" --version 2>/dev/null | cut -d' ' -f2)" != "${UV_SPEC#uv==}" ]; then
    say "installing $UV_SPEC into $VENV (with the venv's pip)"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "$UV_SPEC"
fi
[ -x "$UV" ] || die "$UV is missing after pip install $UV_SPEC"

# one resolution over every lock (they pin the same versions: requirements-dev.in is compiled
# with -c requirements.txt); with hashes in a lock, uv checks every download against them
req_args=()
for req in "${REQUIREMENTS[@]}"; do req_args+=(-r "$req"); done
"$UV" pip install --quiet --python "$VENV/bin/python" "${req_args[@]}"
"$UV" pip install --quiet --python "$VENV/bin/python" --no-deps -e .
airflow=""
[ -x "$VENV/bin/airflow" ] && airflow=", airflow $("$VENV/bin/airflow" version 2>/dev/null | tail -1)"
echo ".venv ready ($("$VENV/bin/python" --version)$airflow, $("$UV" --version))"
