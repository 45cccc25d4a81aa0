# The neighbourhood portal's one command surface. `make help` lists the targets.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
INSTALLED := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.DEFAULT_GOAL := help
.PHONY: help install browser run test test-fast lint check format messages compilemessages benchmark check-deploy scale-check clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(INSTALLED): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

install: $(INSTALLED) ## Create the virtual environment and install the portal with its test extras

browser: ## Install Debian's chromium (browser tests), Java (the Nu HTML Checker) and Noto fonts (PDFs in Arabic, Urdu, Bengali), where this machine allows it
	@missing=""; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	command -v java >/dev/null || missing="$$missing default-jre-headless"; \
	dpkg-query -W -f='$${Status}' fonts-noto-core 2>/dev/null | grep -q "install ok installed" || missing="$$missing fonts-noto-core"; \
	if [ -z "$$missing" ]; then echo "chromium: $$(/usr/bin/chromium --version 2>/dev/null); java: present; fonts-noto-core: present"; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	else echo "Install Debian's$$missing (sudo apt-get install$$missing) to run the browser and HTML tests and the PDF script tests."; fi

run: install ## Set up the demo portal on SQLite and serve it (with a task worker) on http://127.0.0.1:8000
	$(MANAGE) migrate --noinput
	$(MANAGE) load_demo_data --users
	$(MANAGE) load_demo_theme_translations
	$(MANAGE) load_demo_category_translations
	$(MANAGE) load_demo_assets --users
	$(MANAGE) load_demo_forums
	$(MANAGE) load_demo_surveys
	$(MANAGE) load_demo_priorities
	$(MANAGE) load_demo_plans
	$(MANAGE) load_demo_insight
	$(MANAGE) load_demo_translations
	$(MANAGE) collectstatic --noinput --verbosity 0
	@# A task worker renders plan PDFs and sends every email (printed here by the console
	@# email backend) in the background; it stops with the server.
	$(MANAGE) db_worker --no-reload --verbosity 0 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(MANAGE) runserver $(HOST):$(PORT)

# One pytest worker per core, each with its own test database and live server. "--dist load"
# hands tests out in collection order, in batches of consecutive tests, so each worker still
# runs transactional tests last and the tests that share the full demo run on one worker.
PYTEST_WORKERS ?= auto
PYTEST := $(BIN)/pytest -n $(PYTEST_WORKERS) --dist load

test: install browser ## Run the whole suite, browser tests included
	$(PYTEST)

test-fast: install ## Run the suite without the browser tests
	$(PYTEST) -m "not browser"

lint: install ## Check style (ruff) and the layers between the apps (import-linter)
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-logo

check: install ## Django's system checks, and migrations in step with the models
	$(MANAGE) check --fail-level WARNING
	$(MANAGE) makemigrations --check --dry-run

format: install ## Fix import order and simple style issues
	$(BIN)/ruff check --fix .

messages: install ## Update the interface catalogues (Welsh and the community languages) after changing text
	$(MANAGE) makemessages --locale cy --ignore ".venv/*" --ignore "staticfiles/*" --ignore "tests/*" --ignore "test-artifacts/*" --ignore "benchmarks/*"
	@# Community languages compile their fuzzy drafts, so new strings are never guessed (docs/languages.md).
	$(MANAGE) makemessages_community --locale pl --locale ar --locale ur --locale bn --ignore ".venv/*" --ignore "staticfiles/*" --ignore "tests/*" --ignore "test-artifacts/*" --ignore "benchmarks/*"

compilemessages: install ## Compile the catalogues (needs GNU gettext); fuzzy drafts are used (docs/languages.md)
	$(MANAGE) compilemessages --use-fuzzy --ignore ".venv/*"

benchmark: install ## Measure the point-to-neighbourhood look-up against a naive loop
	$(BIN)/python benchmarks/point_lookup.py

check-deploy: install ## Run Django's deployment checks with production settings
	@# Production never creates a missing SQLite file, so the check gets a throwaway one.
	database=$$(mktemp --suffix=.sqlite3); trap 'rm -f "$$database"' EXIT; \
	DJANGO_SETTINGS_MODULE=portal.settings.production DJANGO_SECRET_KEY=check-only-$$(date +%s)-secret-value-long-enough-for-django \
		DJANGO_ALLOWED_HOSTS=portal.example.org PORTAL_BASE_URL=https://portal.example.org \
		DATABASE_URL=sqlite:///$$database PORTAL_TRUSTED_PROXY_COUNT=1 \
		$(MANAGE) check --deploy --fail-level WARNING

scale-check: install ## Two app servers behind nginx on PostgreSQL and Redis: cross-server checks and a short load test
	@# Its own ports (PostgreSQL 55432, Redis 56379, gunicorn 58001/58002, nginx 58080), so
	@# `make run` on 8000 is unaffected; installs Debian's nginx, redis-server and postgresql
	@# when root and missing; stops everything it started on exit (deploy/scale_check/).
	deploy/scale_check.sh

clean: ## Remove the virtual environment, database and collected static files
	rm -rf $(VENV) db.sqlite3 db.sqlite3-* staticfiles test-artifacts
