#!/usr/bin/env bash
# Starts the Rasa server on the trained model with the configured channels.
# The HTTP API stays off unless RASA_API_TOKEN is set, and then requires it
# (an open API allowed remote code execution through model loading: CVE-2024-49375).
set -euo pipefail
cd "$(dirname "$0")/.."
: "${RASA_PORT:=5005}" "${RASA_HOST:=127.0.0.1}" "${RASA_MODEL:=models/current.tar.gz}"
: "${RASA_CREDENTIALS:=var/credentials.yml}" "${RASA_ENDPOINTS:=endpoints.yml}"
: "${RASA_CORS_ORIGINS:=http://localhost:8080 http://127.0.0.1:8080}"
export SANIC_FALLBACK_ERROR_FORMAT=json   # Sanic's own errors (404, 405) as JSON too
# No telemetry and no crash reports to Rasa's Sentry, however the script is started
# (the Makefile sets this too; a crash report can carry what a visitor wrote).
export RASA_TELEMETRY_ENABLED=false
# Known third-party deprecation warnings off, nothing else (scripts/quiet_warnings.sh).
. scripts/quiet_warnings.sh

mkdir -p var
.venv/bin/python -m connectors.credentials --out "$RASA_CREDENTIALS"

args=(run --model "$RASA_MODEL" --port "$RASA_PORT" --interface "$RASA_HOST"
      --credentials "$RASA_CREDENTIALS" --endpoints "$RASA_ENDPOINTS")
for origin in $RASA_CORS_ORIGINS; do args+=(--cors "$origin"); done
if [ -n "${RASA_API_TOKEN:-}" ]; then
  args+=(--enable-api --auth-token "$RASA_API_TOKEN")
  echo "Rasa HTTP API enabled (token required)"
fi
# python -m runtime: Rasa's command line with runtime/ installed (runtime/__init__.py).
exec .venv/bin/python -m runtime "${args[@]}"
