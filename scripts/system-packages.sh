#!/usr/bin/env bash
# Debian packages the other engines and the tests need, installed only when missing: a Java
# runtime for PySpark (local mode), a PostgreSQL server the tests start themselves
# (scripts/postgres.sh), Chromium for the reports' browser tests (tests/browser) and Node.js with
# npm for axe-core, the accessibility checker those tests inject.
set -euo pipefail

#
#   scripts/system-packages.sh          everything the tests need
#   scripts/system-packages.sh --web    only npm, for the web app's NHS.UK frontend and htmx

missing=()
if [ "${1:-}" != "--web" ]; then
    command -v java >/dev/null 2>&1 || missing+=(openjdk-17-jre-headless)
    ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || missing+=(postgresql)
    [ -x /usr/bin/chromium ] || missing+=(chromium)
    # Liberation Sans has Arial's metrics: chart labels sized for Arial fit where Chromium
    # draws them.
    [ -d /usr/share/fonts/truetype/liberation ] || missing+=(fonts-liberation)
    # Noto for the scripts residents write in (Bengali, Arabic, Tamil, Gurmukhi, Gujarati,
    # Devanagari...): without it Chromium draws Open's transcripts as empty boxes.
    [ -f /usr/share/fonts/truetype/noto/NotoSansBengali-Regular.ttf ] || missing+=(fonts-noto-core)
fi
command -v npm >/dev/null 2>&1 || missing+=(npm)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = 0 ]; then
    SUDO=()
elif command -v sudo >/dev/null 2>&1; then
    SUDO=(sudo)
else
    echo "focuson's engine and browser tests need the Debian packages: ${missing[*]}." >&2
    echo "Install them as root (apt-get install -y ${missing[*]}) and run this again." >&2
    exit 1
fi
echo "Installing Debian packages: ${missing[*]} ..."
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
