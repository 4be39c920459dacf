"""Importing smartcity.quality must not pay for great_expectations (DAG files import it)."""

from __future__ import annotations

import subprocess
import sys


def test_quality_import_does_not_import_great_expectations():
    code = "import sys, smartcity.quality, smartcity.quality.cli; print('great_expectations' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
