#!/usr/bin/env bash
# Make sure a headless Chromium and its WebDriver are installed (Debian packages `chromium`
# and `chromium-driver`), for the browser tests under tests/browser/.
# Already installed: nothing to do. Missing and root: apt-get installs them. Missing and not
# root: prints exactly what to run and exits non-zero (never silently skips).
set -euo pipefail

have() { [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; }

if have; then
    exit 0
fi
PKGS="chromium chromium-driver fonts-thai-tlwg"
if [ "$(id -u)" -ne 0 ]; then
    echo "ensure_browser: Chromium is missing. Run: sudo apt-get update && sudo apt-get install -y $PKGS" >&2
    exit 1
fi
echo "ensure_browser: installing $PKGS (apt)" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# fonts-thai-tlwg: Thai glyphs for the screenshots (and the matplotlib chart if present)
apt-get install -y -qq --no-install-recommends $PKGS >/dev/null
have || { echo "ensure_browser: install finished but /usr/bin/chromium or chromedriver is missing" >&2; exit 1; }
echo "ensure_browser: $(/usr/bin/chromium --version 2>/dev/null | head -1)" >&2
