#!/usr/bin/env bash
# Starts the action server. It binds to 127.0.0.1 unless ACTIONS_HOST says
# otherwise: only the Rasa server calls it, and it has no authentication.
set -euo pipefail
cd "$(dirname "$0")/.."
export SANIC_HOST="${ACTIONS_HOST:-127.0.0.1}"   # rasa-sdk reads its interface from SANIC_HOST
exec .venv/bin/rasa run actions --actions actions --port "${ACTIONS_PORT:-5055}"
