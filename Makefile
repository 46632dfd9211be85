# Two commands: `make run` and `make test`. Both set up everything they need.
# `make serve` tries the production setup (DEBUG off, gunicorn) locally.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
STAMP  := $(VENV)/.installed-stamp
# The Nu HTML Checker (vnu.jar) that the test suite runs with Java.
NODE_STAMP := node_modules/.installed-stamp

.PHONY: run serve test lint setup demo clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $(NODE_STAMP)

setup: $(STAMP)

## run: set up, migrate, load the demo, start the task worker and serve on http://127.0.0.1:$(PORT)/
run: setup
	DEBUG=$${DEBUG:-true} $(BIN)/python manage.py migrate --noinput
	DEBUG=$${DEBUG:-true} $(BIN)/python manage.py load_demo
	@# The task worker (imports) runs beside the server and stops with it.
	DEBUG=$${DEBUG:-true} $(BIN)/python manage.py db_worker --no-reload & \
	worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	DEBUG=$${DEBUG:-true} $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

## serve: like production on http://127.0.0.1:$(PORT)/: DEBUG off, collectstatic, migrate,
## the task worker (started again when it exits, as systemd would) and gunicorn
## (deploy/gunicorn.conf.py). For local trials: without a SECRET_KEY it makes up one for
## this run, and it speaks plain HTTP (no HTTPS redirect).
serve: setup
	@test -n "$$SECRET_KEY" || echo "SECRET_KEY is not set: using a random key for this run only."
	@export DEBUG=false PORT=$(PORT) \
	    SECRET_KEY="$${SECRET_KEY:-$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))')}" \
	    ALLOWED_HOSTS="$${ALLOWED_HOSTS:-127.0.0.1,localhost}" \
	    FEEDBACK_EMAIL="$${FEEDBACK_EMAIL:-tillganglighet@example.se}" \
	    SITE_URL="$${SITE_URL:-http://127.0.0.1:$(PORT)}" \
	    SECURE_SSL_REDIRECT="$${SECURE_SSL_REDIRECT:-false}"; \
	set -e; \
	$(BIN)/python manage.py collectstatic --noinput -v0; \
	$(BIN)/python manage.py migrate --noinput; \
	( trap 'kill $$task 2>/dev/null; exit' INT TERM; while :; do \
	    $(BIN)/python manage.py db_worker --no-reload & task=$$!; wait $$task; \
	    echo "The task worker stopped (the database gone?); starting it again in 5 s."; sleep 5 & wait $$!; \
	done ) & \
	worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/gunicorn -c deploy/gunicorn.conf.py

## test: set up and run the whole suite, browser tests included
test: setup $(NODE_STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## lint: ruff (lint and format) and a check for missing migrations
lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DEBUG=true $(BIN)/python manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) node_modules staticfiles .pytest_cache .ruff_cache
