#!/usr/bin/env bash
# Set up focuson and run the demo: indicator statistics on the real North West London reference data.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec .venv/bin/focuson demo "$@"
