#!/usr/bin/env bash
# Trains models/current.tar.gz only when its inputs changed (by content, not
# by timestamp, so a fresh clone or a touched file does not retrain).
set -euo pipefail
cd "$(dirname "$0")/.."
inputs=(config.yml domain.yml scripts/build_spacy_pipeline.py requirements.lock)
# Whole folders, so a new NLU component, policy or data file can't be missed.
mapfile -t folder_files < <(find data components policies -type f \( -name '*.yml' -o -name '*.py' \) | LC_ALL=C sort)
fingerprint=$( { printf '%s\n' "${folder_files[@]}"; cat "${inputs[@]}" "${folder_files[@]}"; } | sha256sum | cut -d' ' -f1)
if [ "${1:-}" = "--fingerprint" ]; then echo "$fingerprint"; exit 0; fi
if [ -f models/current.tar.gz ] && [ "$(cat models/.fingerprint 2>/dev/null)" = "$fingerprint" ]; then
  echo "Model is up to date (models/current.tar.gz); nothing to train."
  exit 0
fi
echo "Training models/current.tar.gz ..."
start=$(date +%s)
.venv/bin/rasa train --fixed-model-name current --out models --quiet
echo "$fingerprint" > models/.fingerprint
echo "Trained in $(( $(date +%s) - start )) s."
