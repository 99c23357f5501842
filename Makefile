# The two commands: `make run` and `make test`. Everything they need is installed here.
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin
FLASK = $(BIN)/flask --app community
HOST ?= $(or $(FORUM_HOST),127.0.0.1)
PORT ?= $(or $(FORUM_PORT),5000)
WEB_WORKERS ?= 2
CI_DATABASE_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
# Test processes (pytest-xdist); on PostgreSQL each gets its own database.
TEST_WORKERS ?= auto
PYTEST = $(BIN)/pytest -n $(TEST_WORKERS)
PO_FILES = $(wildcard community/translations/*/LC_MESSAGES/messages.po)
MO_FILES = $(PO_FILES:.po=.mo)

.PHONY: run test test-rt install translations extract-messages test-sqlite test-postgres bench clean

$(BIN)/.installed: setup.cfg pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

install: $(BIN)/.installed translations

%.mo: %.po $(BIN)/.installed
	$(BIN)/pybabel compile --use-fuzzy -i $< -o $@ --statistics

translations: $(MO_FILES)

extract-messages: $(BIN)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o community/translations/messages.pot --no-location --sort-output .
	$(BIN)/pybabel update -i community/translations/messages.pot -d community/translations --no-fuzzy-matching

run: install
	$(FLASK) db upgrade
	$(FLASK) demo seed --if-empty
	@echo "Serving on http://$(HOST):$(PORT) (web: gunicorn, worker: flask worker). Ctrl-C stops both."
# Ctrl-C stops gunicorn; the traps stop the worker (in the background it ignores SIGINT)
# and end quietly. Not "kill 0": it signals this shell too, whose trap runs again (dash segfaults).
	@trap 'trap - INT TERM EXIT; kill $$worker 2>/dev/null; exit 0' INT TERM; \
	trap 'kill $$worker 2>/dev/null' EXIT; \
	$(FLASK) worker & worker=$$!; \
	$(BIN)/gunicorn -c deploy/gunicorn.conf.py --workers $(WEB_WORKERS) --bind $(HOST):$(PORT)

# The whole suite on SQLite; with CI=true also on PostgreSQL and in real Chromium.
test: install
ifeq ($(CI),true)
	env -u FORUM_TEST_DATABASE_URL $(PYTEST)
	FORUM_TEST_DATABASE_URL=$(or $(FORUM_TEST_DATABASE_URL),$(CI_DATABASE_URL)) $(PYTEST) -m "not e2e"
else
	env -u FORUM_TEST_DATABASE_URL $(PYTEST)
	@if [ -n "$$FORUM_TEST_DATABASE_URL" ]; then $(PYTEST) -m "not e2e"; fi
endif

# The Request Tracker connector tests against a real RT 5: start-rt.sh installs Debian's
# request-tracker5 (root, about a minute the first time) and starts it; idempotent.
# CI=true: a test that cannot reach RT fails instead of skipping.
RT_STATE_DIR ?= $(or $(TMPDIR),/tmp)/request-tracker
test-rt: install
	RT_STATE_DIR=$(RT_STATE_DIR) bash .ci/request-tracker/start-rt.sh >/dev/null
	RT_STATE_DIR=$(RT_STATE_DIR) CI=true $(BIN)/pytest -p no:xdist tests/agent_bridge/connectors/test_request_tracker.py

clean:
	rm -rf $(VENV) instance *.egg-info
