#!/usr/bin/env bash
# Starts the action server. It binds to 127.0.0.1 unless ACTIONS_HOST says
# otherwise: only the Rasa server calls it, and it has no authentication.
set -euo pipefail
cd "$(dirname "$0")/.."
export SANIC_HOST="${ACTIONS_HOST:-127.0.0.1}"   # rasa-sdk reads its interface from SANIC_HOST
# No telemetry and no crash reports to Rasa's Sentry, however the script is started
# (the Makefile sets this too; a crash report can carry what a visitor wrote).
export RASA_TELEMETRY_ENABLED=false
# Known third-party deprecation warnings off, nothing else (scripts/quiet_warnings.sh).
. scripts/quiet_warnings.sh
exec .venv/bin/rasa run actions --actions actions --port "${ACTIONS_PORT:-5055}"
