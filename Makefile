# mitplanen: `make run` starts the demo with nothing but Python; `make test` runs every check.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

# `make run`: the embedded demo (SQLite, in-memory channel layer), or PostgreSQL and Redis
# when DATABASE_URL and REDIS_URL are set. No worker runs beside it, so Celery tasks run
# inline; `make run-stack` starts a worker and beat instead.
# Links in mails (invitations, sign-in codes) point to the address served, unless SITE_URL
# says otherwise.
# The demo shows the site as visitors see it: Django's debug pages are off unless
# DJANGO_DEBUG=1 is given.
DJANGO_DEBUG ?= 0
RUN_ENV := env DJANGO_SETTINGS_MODULE=config.settings.local CELERY_TASK_ALWAYS_EAGER=1 \
	DJANGO_DEBUG=$(DJANGO_DEBUG) SITE_URL="$${SITE_URL:-http://$(HOST):$(PORT)}"

.PHONY: install run run-stack test lint format

install: $(VENV)/.installed

# Re-installs only when pyproject.toml is newer than the stamp.
$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

run: install
	@$(RUN_ENV) $(BIN)/python manage.py migrate --noinput -v0
	@$(RUN_ENV) $(BIN)/python manage.py seed_demo
	@$(RUN_ENV) $(BIN)/python manage.py ensure_demo_coordinator --force
	@$(RUN_ENV) $(BIN)/python manage.py ensure_demo_member --force
	@echo "Open http://$(HOST):$(PORT)/ and sign in with the demo coordinator or the demo member above."
	@$(RUN_ENV) $(BIN)/python manage.py serve --host $(HOST) --port $(PORT)

run-stack: install
	HOST=$(HOST) PORT=$(PORT) VENV_BIN=$(BIN) scripts/run-stack.sh

test: install
	VENV_BIN=$(BIN) scripts/test.sh $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
