# The assistant's everyday commands. `make run` and `make test` set everything
# up on a fresh machine; the other targets are the steps they are made of.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV      := .venv
PY        := $(VENV)/bin/python
RASA      := $(VENV)/bin/rasa
# Rasa's command line with the runtime changes installed (runtime/), as the server runs.
RASA_RUNTIME := $(PY) -m runtime
SPACY_DIR := build/spacy/en_center_lookup
MODEL     := models/current.tar.gz
# The cross-validated intent F1 below which `make test` fails: regression
# gates under the run of 2026-12-03 (3 seeded folds: weighted 0.816; English
# 0.815, Spanish 0.817). The issues' goal is 0.90 overall and per language,
# not met: raise these as the data improves. Three folds rather than five keep
# `make test` near 30 minutes on 2 cores (docs/understanding.md).
NLU_CV_FOLDS ?= 3
NLU_F1_MIN ?= 0.80
NLU_F1_MIN_BY_LANGUAGE ?= 0.78
# Regression gates, set a little under what the models measured on
# 2026-12-04 (scripts/check_*.py; the figures in README.md; each retrain moves
# them by a few messages). The issues' goals: held-out questions 0.95
# (measured 0.936), follow-ups 0.95 (23 of 23), everyday out-of-scope 0.97,
# Spanish held-out 0.95 (0.977, gated at the goal). Raise each gate as the
# understanding improves.
NLU_HELDOUT_MIN ?= 0.91
# Follow-ups: 23 English conversations, one is 4.3 points (docs/understanding.md);
# 20 to 23 of 23 across the retrains of 2026-12-04, so the gate allows 3 misses.
FOLLOWUPS_MIN ?= 0.86
OUT_OF_SCOPE_MIN ?= 0.95
NLU_HELDOUT_SPANISH_MIN ?= 0.95

export PYTHONPATH := $(CURDIR)
export DATABASE_URL ?= sqlite:///var/rasa.db
export RASA_PORT ?= 5005
export ACTIONS_PORT ?= 5055
export ACTION_ENDPOINT_URL ?= http://127.0.0.1:$(ACTIONS_PORT)/webhook
export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 2
# Rasa reads this, and Sanic's own error pages are JSON.
export SANIC_FALLBACK_ERROR_FORMAT := json

# Each part adds its targets (and to PART_TESTS, RUN_PREREQUISITES) here.
-include widget/widget.mk console/console.mk connectors/connectors.mk bench/bench.mk tests/crisis/crisis.mk

.PHONY: help setup spacy validate train test test-trained cross-validation-side training-side test-core test-stories nlu-report nlu-heldout nlu-followups nlu-out-of-scope topic-rules nlu-heldout-spanish run shell lock clean

help:  ## list the targets
	@grep -hE '^[a-z][a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t 20

# --- setup -----------------------------------------------------------------
$(VENV)/.installed: requirements.lock
	@test -x $(PY) || $$(scripts/find_python310.sh) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes --no-deps -r requirements.lock
	$(PY) -m pip check
	@touch $@

$(SPACY_DIR)/meta.json: scripts/build_spacy_pipeline.py $(VENV)/.installed
	$(PY) scripts/build_spacy_pipeline.py $(SPACY_DIR)

setup: $(VENV)/.installed $(SPACY_DIR)/meta.json  ## create .venv (Python 3.10), install the lock file, build the spaCy pipeline
	@mkdir -p var reports

spacy: $(SPACY_DIR)/meta.json  ## build the blank English spaCy pipeline with lookup lemmas

lock:  ## re-pin requirements.lock (with hashes) from requirements.in
	$(VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras --no-header \
		--no-emit-index-url --no-emit-find-links \
		-o requirements.lock requirements.in

# --- the assistant -----------------------------------------------------------
validate: setup  ## rasa data validate, failing on any warning (scripts/validate_data.py)
	$(PY) scripts/validate_data.py

train: setup  ## train models/current.tar.gz when data or config changed
	@scripts/train_if_changed.sh

# --- run ----------------------------------------------------------------------
# Known third-party deprecation warnings off, for run and its set-up steps
# (scripts/quiet_warnings.sh; the start scripts source it too).
run: export PYTHONWARNINGS = $(shell scripts/quiet_warnings.sh)
run: export SQLALCHEMY_SILENCE_UBER_WARNING = 1
run: setup train $(RUN_PREREQUISITES)  ## start everything in the foreground (Ctrl-C stops it all)
	@PORTS_TO_CHECK="$(PORTS_TO_CHECK)" scripts/check_ports.sh
	@echo "Assistant REST:   http://localhost:$(RASA_PORT)/webhooks/rest/webhook"
	@echo "Action server:    http://localhost:$(ACTIONS_PORT)/health"
	@$(RUN_URLS)
	@exec $(VENV)/bin/honcho --no-prefix start --no-colour -f deploy/Procfile

shell: train  ## talk to the assistant in the terminal (start the action server first: scripts/serve_actions.sh)
	$(RASA_RUNTIME) shell --model $(MODEL) --endpoints endpoints.yml

# --- tests --------------------------------------------------------------------
test-core: train  ## pytest: configuration, content, actions, channels
	$(VENV)/bin/pytest -q tests/core

test-stories: train  ## end-to-end conversation tests (tests/test_stories.yml)
	$(RASA_RUNTIME) test core --model $(MODEL) --stories tests/test_stories.yml \
		--fail-on-prediction-errors --out reports/stories --quiet

nlu-report: setup  ## NLU cross-validation report (NLU_CV_FOLDS folds) in reports/nlu; fails below NLU_F1_MIN
	TQDM_DISABLE=1 $(PY) scripts/cross_validate.py --nlu data/nlu --config config.yml --cross-validation \
		--folds $(NLU_CV_FOLDS) --successes \
		--out reports/nlu --quiet
	$(PY) scripts/check_nlu_report.py reports/nlu/intent_report.json $(NLU_F1_MIN)
	$(PY) scripts/check_nlu_by_language.py reports/nlu $(NLU_F1_MIN_BY_LANGUAGE)

nlu-heldout: train  ## the model on held-out visitor questions (old set + beyond the page), by kind
	$(PY) scripts/check_heldout.py $(MODEL) $(NLU_HELDOUT_MIN)

nlu-heldout-spanish: train  ## the model on the Spanish held-out messages (tests/nlu/heldout_spanish.yml)
	$(PY) scripts/check_heldout_spanish.py $(MODEL) $(NLU_HELDOUT_SPANISH_MIN)

nlu-followups: train  ## held-out follow-up conversations through the dialogue (tests/nlu/heldout_followups.yml)
	$(PY) scripts/check_followups.py $(MODEL) $(FOLLOWUPS_MIN)

nlu-out-of-scope: train  ## share of everyday requests getting the honest out-of-scope reply, en and es
	$(PY) scripts/check_out_of_scope.py $(MODEL) $(OUT_OF_SCOPE_MIN) --show 60

topic-rules:  ## regenerate the topic rules from actions/topics.yml
	$(PY) scripts/topic_rules.py

# `make test` keeps both cores busy to the end. Cross-validation trains its own
# models, so it starts right after validation, on one core, and the suites in
# AFTER_CROSS_VALIDATION follow it there; the training and the other suites
# that need the trained model run on the other core, one after another. The
# two sides take about as long as each other (about 20 minutes each on 2 cores,
# 2026-12-03). The system packages (chromium, nginx) are installed first, so
# the two sides never run apt at the same time.
AFTER_CROSS_VALIDATION := test-channels test-console
TRAINED_SUITES = nlu-heldout nlu-heldout-spanish nlu-followups nlu-out-of-scope test-core test-stories $(PART_TESTS)

test: validate widget-chromium setup-bench  ## everything CI runs: cross-validation beside training and the test suites
	@$(MAKE) --no-print-directory -j2 --output-sync=line cross-validation-side training-side

cross-validation-side: nlu-report train
	@$(MAKE) --no-print-directory -j1 $(AFTER_CROSS_VALIDATION)

training-side: train
	@$(MAKE) --no-print-directory -j1 $(filter-out $(AFTER_CROSS_VALIDATION),$(TRAINED_SUITES))

test-trained: train  ## held-out questions, pytest suites, conversation tests and every part's tests, in order
	@$(MAKE) --no-print-directory -j1 $(TRAINED_SUITES)

clean:  ## remove build output (keeps .venv and var/)
	rm -rf build models reports results

