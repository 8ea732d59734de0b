#!/usr/bin/env bash
# Set up focuson and run every check: lint, format, types, then the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --engines
echo "== ruff (lint)";   .venv/bin/ruff check src tests benchmarks
echo "== ruff (format)"; .venv/bin/ruff format --check src tests benchmarks
echo "== mypy";          .venv/bin/mypy
echo "== pytest";        .venv/bin/pytest -n "${FOCUSON_TEST_WORKERS:-auto}" "$@"
