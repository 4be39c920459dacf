#!/usr/bin/env bash
# Create or update .venv from the pinned requirements.txt with uv, and install the smartcity
# package (include/) editable.  Needs Python 3.11 and access to PyPI.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PYTHON="${PYTHON:-python3.11}"
command -v "$PYTHON" >/dev/null 2>&1 || PYTHON=python3
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
  echo "error: Python 3.11 is required (found $("$PYTHON" --version 2>&1)); install python3.11 and re-run" >&2
  exit 1
fi
if ! command -v uv >/dev/null 2>&1; then
  echo "installing uv (the fast, pinned installer) with pip ..."
  "$PYTHON" -m pip install --quiet --user uv || "$PYTHON" -m pip install --quiet uv
  export PATH="$HOME/.local/bin:$PATH"
fi
[ -x .venv/bin/python ] || uv venv --quiet --python "$PYTHON" .venv
uv pip install --quiet --python .venv/bin/python -r requirements.txt
uv pip install --quiet --python .venv/bin/python --no-deps -e .
echo ".venv ready ($(.venv/bin/python --version), $(.venv/bin/airflow version 2>/dev/null | tail -1) airflow)"
