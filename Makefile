# The two commands: `make run` and `make test`. Everything else is a helper of theirs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app app
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test setup install install-test lint bench clean translations compile-translations

# Translations: the catalogues (.po) are in git; the compiled .mo files are built here, by both
# `make run` and `make test`, with the venv's pybabel (they are not committed).
CATALOGUE_DIR := app/translations
POT := $(CATALOGUE_DIR)/messages.pot
PO_FILES := $(wildcard $(CATALOGUE_DIR)/*/LC_MESSAGES/messages.po)
MO_FILES := $(PO_FILES:.po=.mo)

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed tests/browser/package-lock.json
	$(BIN)/pip install --quiet -e '.[test]'
	@# axe-core for the accessibility test: test tooling only, never served by the app.
	@if command -v npm >/dev/null 2>&1; then npm ci --prefix tests/browser --no-audit --no-fund --silent; \
	else echo "npm not found: the accessibility test will be skipped (CI installs it)"; fi
	touch $@

%.mo: %.po $(VENV)/.installed
	$(BIN)/pybabel -q compile -i $< -o $@

install: $(VENV)/.installed $(MO_FILES)
install-test: $(VENV)/.installed-test $(MO_FILES)

## compile-translations: the .mo files from the .po catalogues (run by install)
compile-translations: $(MO_FILES)

## translations: extract every message from app/ and templates/ into the .pot, update each
## catalogue (new messages appear untranslated, changed ones fuzzy), then compile
translations: $(VENV)/.installed
	$(BIN)/python scripts/translations.py extract update compile check

## setup: migrate, load reference data, first admin and demo data (all idempotent)
setup: install
	mkdir -p -m 700 instance
	$(FLASK) db upgrade
	$(FLASK) seed
	$(FLASK) users bootstrap
	$(FLASK) demo --if-empty

## run: set everything up and serve on http://127.0.0.1:5000
run: setup
	$(FLASK) run --host $(HOST) --port $(PORT)

## test: the whole suite (SQLite by default; PostgreSQL when TEST_DATABASE_URL is set)
test: install-test
	$(BIN)/python -m pytest

## lint: ruff (rules and line length) over the code and tests, mypy over app/ (config in pyproject.toml)
lint: install-test
	$(BIN)/ruff check app tests config.py
	$(BIN)/mypy

## bench: three desks (demo, 20,000 and 200,000 entries) side by side: in-process timings, SQL
## statements and sizes; pages under gunicorn next to a static string (wrk if installed: apt-get
## install wrk; else a Python client); the brief against WeasyPrint ([bench] extra); the forecast.
## -> docs/benchmarks.md. BENCH_SIZES=demo,20000 to choose sizes. Never part of `make test`.
bench: install-test
	$(BIN)/pip install --quiet -e '.[bench]'
	@command -v wrk >/dev/null || echo "== wrk not found (apt-get install wrk): using the Python load client"
	$(BIN)/python scripts/bench.py
	$(BIN)/python scripts/bench_forecast.py

clean:
	rm -rf $(VENV) .pytest_cache

## soak: 50 SIGKILL-under-gunicorn cycles on SQLite, then on a throwaway PostgreSQL database
## when TEST_DATABASE_URL is set (scripts/crash_check.py; every acknowledged write must survive)
SOAK_CYCLES ?= 50
.PHONY: soak load
soak: install
	$(BIN)/python scripts/crash_check.py --cycles $(SOAK_CYCLES)
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		echo "== soak on PostgreSQL"; \
		$(BIN)/python scripts/crash_check.py --cycles $(SOAK_CYCLES) --postgres-server "$$TEST_DATABASE_URL"; \
	fi

## load: locust, 50 users for 2 minutes, against gunicorn (4 workers, 127.0.0.1) on a fresh SQLite
## database (or LOAD_DATABASE_URL, which must be empty) with seed, demo data and load accounts.
## Fifty simulated people share 127.0.0.1, so the per-address sign-in limit is raised for the run.
LOAD_DIR ?= /tmp/suara-load
LOAD_PORT ?= 8765
LOAD_USERS ?= 50
LOAD_TIME ?= 2m
load: install
	$(BIN)/pip install --quiet -e '.[load]'
	rm -rf $(LOAD_DIR) && mkdir -p $(LOAD_DIR)
	@set -e; \
	export SUARA_ENV=production SUARA_INSTANCE_DIR=$(LOAD_DIR) no_proxy=127.0.0.1 \
		LOAD_STAFF_ACCOUNTS=8 LOAD_LEADERSHIP_ACCOUNTS=4 SUARA_LOGIN_RATE_LIMIT="600 per minute" \
		DATABASE_URL="$${LOAD_DATABASE_URL:-sqlite:///$(LOAD_DIR)/load.db}" \
		SECRET_KEY=$$($(BIN)/python -c 'import secrets; print(secrets.token_hex(32))') \
		SUARA_TOTP_KEY=$$($(BIN)/python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())') \
		LOAD_PASSWORD=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(18))'); \
	$(FLASK) db upgrade; $(FLASK) seed; $(FLASK) demo >/dev/null; \
	for i in $$(seq 1 $$LOAD_STAFF_ACCOUNTS); do $(FLASK) users create --email load-staff-$$i@suara.local \
		--name "Load staff $$i" --role staff --password "$$LOAD_PASSWORD" >/dev/null; done; \
	for i in $$(seq 1 $$LOAD_LEADERSHIP_ACCOUNTS); do $(FLASK) users create --email load-leadership-$$i@suara.local \
		--name "Load leadership $$i" --role leadership --password "$$LOAD_PASSWORD" >/dev/null; done; \
	$(BIN)/gunicorn -c gunicorn.conf.py -w 4 -b 127.0.0.1:$(LOAD_PORT) 'app:create_app()' >$(LOAD_DIR)/gunicorn.log 2>&1 & \
	server=$$!; trap 'kill $$server 2>/dev/null; wait $$server 2>/dev/null || true' EXIT; \
	for i in $$(seq 1 120); do \
		$(BIN)/python -c 'import urllib.request as u; u.urlopen("http://127.0.0.1:$(LOAD_PORT)/login", timeout=2)' \
			2>/dev/null && break; sleep 0.25; done; \
	status=0; $(BIN)/locust -f scripts/load/locustfile.py --headless --host http://127.0.0.1:$(LOAD_PORT) \
		--users $(LOAD_USERS) --spawn-rate 10 --run-time $(LOAD_TIME) --csv $(LOAD_DIR)/load \
		--only-summary --loglevel WARNING || status=$$?; \
	kill $$server; wait $$server 2>/dev/null || true; trap - EXIT; \
	echo "== load summary ($(LOAD_USERS) users, $(LOAD_TIME); CSVs and gunicorn.log in $(LOAD_DIR))"; \
	cat $(LOAD_DIR)/load_summary.txt; \
	exit $$status
