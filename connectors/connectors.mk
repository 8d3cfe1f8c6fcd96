# Messaging channels (issue 6): Telegram, Slack, Twilio SMS/WhatsApp, Messenger.
# Included from the root Makefile; see connectors/README.md. `make run` renders the
# effective credentials itself (scripts/serve_rasa.sh -> python -m connectors.credentials).
CHANNELS_PYTHON ?= $(or $(PY),.venv/bin/python)

.PHONY: test-channels channels-credentials

PART_TESTS += test-channels

channels-credentials:  ## render var/credentials.yml and show which messaging channels are on
	$(CHANNELS_PYTHON) -m connectors.credentials --out var/credentials.yml

# Unit tests, webhooks against a scripted server, and the same webhooks against
# the running Rasa server on models/current.tar.gz.
test-channels: train  ## pytest: signed/forged/re-delivered webhooks on every messaging channel
	$(CHANNELS_PYTHON) -m pytest tests/connectors -q -p no:cacheprovider
