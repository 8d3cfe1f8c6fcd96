# The crisis suite (tests/crisis/README.md): every message through the trained
# model and the production runtime; fails on any missed crisis or a false-alarm
# rate over 1%. Reports in reports/crisis.json and reports/crisis.md.
.PHONY: test-crisis crisis-detector

test-crisis: train  ## crisis suite on the trained model: recall and false alarms per kind and language (reports/crisis.md)
	TQDM_DISABLE=1 $(PY) tests/crisis/run_suite.py --model $(MODEL) --out reports
	$(VENV)/bin/pytest -q tests/crisis

crisis-detector: setup  ## the crisis detector alone on the suite, no trained model (quick; reports/crisis_detector_only.md)
	TQDM_DISABLE=1 $(PY) tests/crisis/run_suite.py --detector-only --out reports

PART_TESTS += test-crisis
