#!/usr/bin/env bash
# Set up and run campaign-bot on the bundled plans: install, build the index if missing, serve the API.
# Environment: CAMPAIGN_BOT_HOST / CAMPAIGN_BOT_PORT (default 127.0.0.1:8000), see README "Configuration".
# With TELEGRAM_BOT_TOKEN set, the Telegram bot runs beside the API (README "Telegram").
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
exec .venv/bin/campaign-bot serve "$@"
