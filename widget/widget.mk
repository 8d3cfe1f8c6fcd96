# Chat widget (widget/): bundle, demo site and browser tests.
# Included from the root Makefile; paths are relative to the repository root.
WIDGET_DIR := $(patsubst %/,%,$(dir $(lastword $(MAKEFILE_LIST))))
WIDGET_PYTHON ?= $(or $(VENV),.venv)/bin/python
WIDGET_PYTEST ?= $(or $(VENV),.venv)/bin/pytest
WIDGET_SOURCES := $(wildcard $(WIDGET_DIR)/src/*.js) $(WIDGET_DIR)/build.mjs
WIDGET_BUNDLE := $(WIDGET_DIR)/dist/center-chat.js
WIDGET_NPM_STAMP := $(WIDGET_DIR)/node_modules/.npm-ci-stamp

.PHONY: setup-widget test-widget run-widget widget-chromium

PART_TESTS += test-widget
RUN_PREREQUISITES += setup-widget
PORTS_TO_CHECK += widget
RUN_URLS += echo "Demo site + widget: http://localhost:$${WIDGET_PORT:-8080}/";

# Browser tests drive Debian's chromium; Playwright never downloads a browser.
widget-chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

$(WIDGET_NPM_STAMP): $(WIDGET_DIR)/package.json $(WIDGET_DIR)/package-lock.json
	cd $(WIDGET_DIR) && npm ci --no-audit --no-fund
	@touch $@

# Rebuilt only when a source, the build script or the installed packages change.
$(WIDGET_BUNDLE): $(WIDGET_NPM_STAMP) $(WIDGET_SOURCES)
	cd $(WIDGET_DIR) && node build.mjs

setup-widget: widget-chromium $(WIDGET_BUNDLE)  ## chromium (apt, if missing), npm ci, build widget/dist/center-chat.js

test-widget: setup-widget setup-bench train  ## browser tests of the chat widget against the real Rasa stack (and through the cluster's nginx)
	$(WIDGET_PYTEST) tests/widget

# Demo page of the center with the widget, pointing at the local Rasa server.
# Env: WIDGET_PORT (8080), WIDGET_HOST (127.0.0.1), WIDGET_RASA_URL (http://localhost:5005).
run-widget: $(WIDGET_BUNDLE)  ## serve only the demo page with the widget (http://localhost:8080/)
	$(WIDGET_PYTHON) $(WIDGET_DIR)/serve.py
