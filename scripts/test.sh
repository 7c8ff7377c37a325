#!/usr/bin/env bash
# Install campaign-bot with its development tools, then run the project's checks: ruff, mypy, the
# import contracts of pyproject.toml (lint-imports), pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system_packages.sh  # Tesseract + Vietnamese when root with apt-get; else says what to install
bash scripts/install.sh dev
# shellcheck disable=SC1091
. .venv/bin/activate
ruff check bot tests scripts
ruff format --check bot tests scripts
mypy
lint-imports
pytest -q "$@"
