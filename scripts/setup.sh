#!/usr/bin/env bash
# Set up everything focuson needs, from nothing, idempotently: a pinned uv in .tools/, then the
# locked environment in .venv/. Quick when everything is already there.
#
#   scripts/setup.sh            the embedded default (DuckDB) and the web app's front end (the
#                               NHS.UK frontend, htmx and Dart Sass from npm, package-lock.json;
#                               Debian's npm when missing): enough for the demo
#   scripts/setup.sh --engines  also PySpark and PostgreSQL (Python extras, and Debian's Java
#                               runtime and PostgreSQL server when missing), Debian's Chromium
#                               and axe-core: what the tests need
set -euo pipefail
cd "$(dirname "$0")/.."

UV_VERSION="0.9.30"
ENGINES=0
for arg in "$@"; do
    case "$arg" in
        --engines) ENGINES=1 ;;
        *) echo "setup.sh: unknown option $arg (expected --engines)" >&2; exit 2 ;;
    esac
done
PYTHON="${FOCUSON_PYTHON:-python3.11}"

if ! command -v "$PYTHON" >/dev/null 2>&1; then
    if command -v python3 >/dev/null 2>&1 && python3 -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
        PYTHON=python3
    else
        echo "focuson needs Python 3.11. Install it (Debian: apt-get install python3.11 python3.11-venv) and run this again." >&2
        exit 1
    fi
fi

UV=.tools/bin/uv
if [ ! -x "$UV" ] || [ "$("$UV" --version 2>/dev/null | cut -d' ' -f2)" != "$UV_VERSION" ]; then
    echo "Installing uv $UV_VERSION into .tools/ ..."
    rm -rf .tools
    "$PYTHON" -m venv .tools
    .tools/bin/python -m pip install --quiet "uv==$UV_VERSION"
fi

export UV_PYTHON_DOWNLOADS=never
export UV_PROJECT_ENVIRONMENT=.venv
# --frozen: install exactly what uv.lock says; never re-resolve on a user's machine.
if [ "$ENGINES" = 1 ]; then
    scripts/system-packages.sh
    "$UV" sync --frozen --python "$PYTHON" --quiet --all-extras
else
    scripts/system-packages.sh --web
    # --inexact: keep the engines of an earlier --engines setup rather than uninstall them.
    "$UV" sync --frozen --python "$PYTHON" --quiet --inexact
fi
# The web app's front end and axe-core for tests/browser, exactly as package-lock.json says
# (no browser download: the tests drive Debian's /usr/bin/chromium).
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    npm ci --no-audit --no-fund --loglevel=error
fi
