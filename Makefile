# The two commands: `make run` and `make test`. Everything else is a helper of theirs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app app
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test setup install install-test lint bench clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

## setup: migrate, load reference data, first admin and demo data (all idempotent)
setup: install
	mkdir -p instance
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

lint: install-test
	$(BIN)/ruff check app tests config.py

clean:
	rm -rf $(VENV) .pytest_cache
