#!/usr/bin/env bash
# Make sure LibreOffice Calc runs headless (Debian package `libreoffice-calc-nogui`), for the
# spreadsheet round-trip test (tests/publish/test_spreadsheet_roundtrip.py): every published CSV
# is converted to XLSX by a real spreadsheet engine and read back.
# Already installed: nothing to do. Missing and root: apt-get installs it. Missing and not root:
# prints exactly what to run and exits non-zero (never silently skips).
set -euo pipefail

have() { command -v soffice >/dev/null 2>&1; }

if have; then
    exit 0
fi
PKGS="libreoffice-calc-nogui fonts-thai-tlwg"
if [ "$(id -u)" -ne 0 ]; then
    echo "ensure_libreoffice: LibreOffice is missing. Run: sudo apt-get update && sudo apt-get install -y --no-install-recommends $PKGS" >&2
    exit 1
fi
echo "ensure_libreoffice: installing $PKGS (apt)" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends $PKGS >/dev/null
have || { echo "ensure_libreoffice: install finished but soffice is missing" >&2; exit 1; }
echo "ensure_libreoffice: $(soffice --version 2>/dev/null | head -1)" >&2
