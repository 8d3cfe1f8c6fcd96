# Staff console (Django 5.2 admin). Included from the root Makefile.
# Same database as Rasa: DATABASE_URL (SQLAlchemy style), default sqlite:///var/rasa.db.

CONSOLE_PYTHON ?= .venv/bin/python
CONSOLE_MANAGE := $(CONSOLE_PYTHON) console/manage.py
CONSOLE_PORT ?= 8000

# The process command for the Procfile (`make run`): gunicorn, bound to localhost only.
# The access log has the path only (%(U)s): query strings carry search words from messages.
CONSOLE_RUN = .venv/bin/gunicorn --chdir console --bind 127.0.0.1:$${CONSOLE_PORT:-8000} --workers 2 --timeout 120 --access-logfile - --access-logformat '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms' staffconsole.wsgi:application

.PHONY: setup-console test-console staff run-console console-speed console-retention console-sync

PART_TESTS += test-console
RUN_PREREQUISITES += setup-console
PORTS_TO_CHECK += console
RUN_URLS += echo "Staff console:    http://localhost:$${CONSOLE_PORT:-8000}/  (first account: make staff)";

setup-console: setup  ## create or update the console's own tables (Django migrations)
	$(CONSOLE_MANAGE) migrate --noinput

# Runs the suite on SQLite, then on PostgreSQL (127.0.0.1:5432, throwaway test database).
# With CI set, an unreachable PostgreSQL fails the run instead of skipping.
test-console: setup-console train widget-chromium  ## console tests on SQLite, then on PostgreSQL
	CONSOLE_TEST_DB=sqlite .venv/bin/pytest tests/console -p no:cacheprovider -q
	CONSOLE_TEST_DB=postgres .venv/bin/pytest tests/console -p no:cacheprovider -q

# Creates a superuser interactively: there are no default credentials.
staff: setup-console  ## create the first staff account (no default credentials)
	$(CONSOLE_MANAGE) createsuperuser

run-console: setup-console
	$(CONSOLE_RUN)

# 100,000 synthetic conversations in a separate SQLite file, timings of the dashboard and
# the lists in reports/console_speed.md (not committed; figures in console/README.md).
console-speed:
	rm -f var/console_speed.db
	DATABASE_URL=sqlite:///var/console_speed.db $(CONSOLE_MANAGE) migrate --noinput -v0
	DATABASE_URL=sqlite:///var/console_speed.db $(CONSOLE_MANAGE) seed_conversations --count 100000 --speed-check

console-retention:
	$(CONSOLE_MANAGE) purge_old_conversations

# One pass of the summary fold; the console-sync process of deploy/Procfile
# (`sync_conversations --every`) keeps folding while `make run` runs.
console-sync:
	$(CONSOLE_MANAGE) sync_conversations
