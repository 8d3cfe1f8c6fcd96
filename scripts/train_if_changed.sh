#!/usr/bin/env bash
# Trains models/current.tar.gz only when its inputs changed (by content, not
# by timestamp, so a fresh clone or a touched file does not retrain).
set -euo pipefail
cd "$(dirname "$0")/.."
inputs=(config.yml domain.yml channels/crisis_guard.py channels/sentence_features.py channels/intent_ensemble.py scripts/build_spacy_pipeline.py requirements.lock)
mapfile -t data_files < <(find data -name '*.yml' | LC_ALL=C sort)
fingerprint=$(cat "${inputs[@]}" "${data_files[@]}" | sha256sum | cut -d' ' -f1)
if [ -f models/current.tar.gz ] && [ "$(cat models/.fingerprint 2>/dev/null)" = "$fingerprint" ]; then
  echo "Model is up to date (models/current.tar.gz); nothing to train."
  exit 0
fi
echo "Training models/current.tar.gz ..."
start=$(date +%s)
.venv/bin/rasa train --fixed-model-name current --out models --quiet
echo "$fingerprint" > models/.fingerprint
echo "Trained in $(( $(date +%s) - start )) s."
