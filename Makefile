# Two commands: `make run` and `make test`. Both set up everything they need.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
STAMP  := $(VENV)/.installed-stamp
# The Nu HTML Checker (vnu.jar) that the test suite runs with Java.
NODE_STAMP := node_modules/.installed-stamp

.PHONY: run test lint setup demo clean

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
