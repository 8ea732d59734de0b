#!/usr/bin/env bash
# Set up focuson and run every check: lint, format, types, then the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --engines
echo "== ruff (lint)";   .venv/bin/ruff check src tests benchmarks
echo "== ruff (format)"; .venv/bin/ruff format --check src tests benchmarks
echo "== mypy";          .venv/bin/mypy
echo "== pytest";        .venv/bin/pytest -n "${FOCUSON_TEST_WORKERS:-auto}" "$@"

# The web app's tests again on PostgreSQL (they ran on SQLite above), against a throwaway server
# this script starts and always stops. Skipped when pytest was given arguments (a narrower run).
if [ $# -eq 0 ]; then
    echo "== pytest tests/web on PostgreSQL"
    PG_DIR="$(mktemp -d /tmp/focuson-web-pg-XXXXXX)"
    trap 'scripts/postgres.sh stop "$PG_DIR" || true; rm -rf "$PG_DIR"' EXIT
    PG_URL="$(scripts/postgres.sh start "$PG_DIR")"
    DATABASE_URL="$PG_URL" .venv/bin/pytest -n "${FOCUSON_TEST_WORKERS:-auto}" -p no:cacheprovider \
        tests/web
fi
