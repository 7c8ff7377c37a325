#!/usr/bin/env bash
# Create .venv (Python 3.11) and install campaign-bot into it. Idempotent: a second run is quick.
# Usage: bash scripts/install.sh [dev]   ("dev" adds pytest, ruff, mypy)
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-}"
if [ -z "$PYTHON" ]; then
  for candidate in python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
      PYTHON="$candidate"; break
    fi
  done
fi
[ -n "$PYTHON" ] || { echo "campaign-bot needs Python 3.11 (set PYTHON=/path/to/python3.11)" >&2; exit 1; }

[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
# shellcheck disable=SC1091
. .venv/bin/activate
python -m pip install --quiet --upgrade pip
# The CPU build of torch first: a bare "torch" requirement would pull a CUDA build of several GB.
python -m pip install --quiet "torch==2.13.0"
extra=""
[ "${1:-}" = "dev" ] && extra="[dev]"
python -m pip install --quiet -e ".${extra}"
