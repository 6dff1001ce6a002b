# mitplanen: `make run` starts the demo with nothing but Python; `make test` runs every check.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

# `make run` is the embedded demo: SQLite, in-memory channel layer, Celery inline.
EMBEDDED := env -u DATABASE_URL -u REDIS_URL DJANGO_SETTINGS_MODULE=config.settings.local

.PHONY: install run run-stack test lint format

install: $(VENV)/.installed

# Re-installs only when pyproject.toml is newer than the stamp.
$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

run: install
	@$(EMBEDDED) $(BIN)/python manage.py migrate --noinput -v0
	@$(EMBEDDED) $(BIN)/python manage.py seed_demo
	@$(EMBEDDED) $(BIN)/python manage.py ensure_demo_coordinator
	@echo "Open http://$(HOST):$(PORT)/ and sign in with the demo coordinator above."
	@$(EMBEDDED) $(BIN)/python manage.py serve --host $(HOST) --port $(PORT)

run-stack: install
	HOST=$(HOST) PORT=$(PORT) VENV_BIN=$(BIN) scripts/run-stack.sh

test: install
	VENV_BIN=$(BIN) scripts/test.sh $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
