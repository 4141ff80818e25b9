# LEHC: `make run` serves the app with demo data; `make test` runs the whole suite.
# Both start from a fresh clone: they create .venv, install pinned packages, fetch GOV.UK Frontend
# from the npm registry, and (for tests) install Debian packages that are missing.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app lehc
GOVUK_FRONTEND_VERSION := 5.14.0
AUTOCOMPLETE_VERSION := 3.0.1
ASSETS := lehc/static/govuk
ASSETS_STAMP := $(ASSETS)/.version-$(GOVUK_FRONTEND_VERSION)-$(AUTOCOMPLETE_VERSION)
PORT ?= 5000

.PHONY: help install install-dev assets system-deps db demo-data run test test-sqlite test-postgresql lint format clean bench load

help:
	@echo "make run    - install, migrate, load demo data and serve on http://127.0.0.1:$(PORT)"
	@echo "make test   - install everything the tests need and run lint + the whole test suite"
	@echo "make lint   - ruff check and format check, bandit, import-linter layers"
	@echo "make bench  - seed production-size data and measure pages, SQL statements and throughput, then load"
	@echo "make load   - 50 users for 60 s and a server killed mid-write (bench/load.py)"

$(VENV)/.installed: requirements.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

$(ASSETS_STAMP):
	rm -rf $(ASSETS) build/npm && mkdir -p build/npm $(ASSETS)
	cd build/npm && npm pack --silent govuk-frontend@$(GOVUK_FRONTEND_VERSION) >/dev/null \
		&& tar xzf govuk-frontend-$(GOVUK_FRONTEND_VERSION).tgz
	cp -r build/npm/package/dist/govuk/govuk-frontend.min.css build/npm/package/dist/govuk/govuk-frontend.min.js \
		build/npm/package/dist/govuk/assets $(ASSETS)/
	# GOV.UK's type-ahead for the person pickers (progressive enhancement of a <select>)
	rm -rf build/npm/package && cd build/npm && npm pack --silent accessible-autocomplete@$(AUTOCOMPLETE_VERSION) >/dev/null \
		&& tar xzf accessible-autocomplete-$(AUTOCOMPLETE_VERSION).tgz
	cp build/npm/package/dist/accessible-autocomplete.min.js build/npm/package/dist/accessible-autocomplete.min.css $(ASSETS)/
	touch $@

assets: $(ASSETS_STAMP)

# Debian packages the tests drive for real: Chromium (Playwright), LibreOffice + poppler (Word files),
# PostgreSQL (migrations and integration tests), Dovecot (calendar replies over IMAP), Redis (rate limits shared
# by several servers), and the fonts our Word files name, metric-compatible, so that
# LibreOffice lays pages out as Word does (Liberation for Arial, Carlito for Calibri; a bare machine has only
# the wider DejaVu). Installed only when missing; needs root, as on CI.
system-deps:
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v soffice >/dev/null || missing="$$missing libreoffice-writer-nogui"; \
	command -v pdftotext >/dev/null || missing="$$missing poppler-utils"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	command -v dovecot >/dev/null || missing="$$missing dovecot-imapd"; \
	command -v redis-server >/dev/null || missing="$$missing redis-server"; \
	command -v fc-list >/dev/null && fc-list : family | grep -qx "Liberation Sans" || missing="$$missing fonts-liberation2"; \
	command -v fc-list >/dev/null && fc-list : family | grep -qx "Carlito" || missing="$$missing fonts-crosextra-carlito"; \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages:$$missing"; \
		apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing \
			&& fc-cache -f; \
	fi

db: install assets
	mkdir -p instance
	LEHC_ENV=development $(FLASK) db upgrade

demo-data: db
	LEHC_ENV=development $(FLASK) demo-data

run: demo-data
	LEHC_ENV=development $(FLASK) run --host 127.0.0.1 --port $(PORT)

TYPED = $(wildcard lehc/*/services.py lehc/*/services lehc/*/views.py lehc/*/views)

lint: install-dev
	$(VENV)/bin/ruff check lehc tests migrations bench wsgi.py
	$(VENV)/bin/ruff format --check lehc tests migrations bench wsgi.py
	$(VENV)/bin/bandit -r lehc -q
	$(VENV)/bin/lint-imports
	# the public functions of the rules, services and views say what they take and return
	$(VENV)/bin/ruff check --select ANN001,ANN201 lehc/access.py lehc/policy $(TYPED)

format: install-dev
	$(VENV)/bin/ruff format lehc tests migrations bench wsgi.py
	$(VENV)/bin/ruff check --fix lehc tests migrations bench wsgi.py

test-sqlite: install-dev assets system-deps
	$(PY) -m pytest tests

test-postgresql: install-dev system-deps
	LEHC_TEST_DB=postgresql $(PY) -m pytest tests/integration

# The two suites run side by side, one per core; each one's output is printed whole when it ends.
test: lint
	$(MAKE) --no-print-directory -j2 --output-sync=target test-sqlite test-postgresql

clean:
	rm -rf $(VENV) $(ASSETS) build test-artifacts .pytest_cache .ruff_cache

# Seeds scale 0.1 and 1 on SQLite (and PostgreSQL, which the harness starts itself) and measures; writes
# bench/results/latest.json and latest.md. `make bench BENCH_ARGS="--scale 0.1"` for a quick run.
# Then the resilience run (bench/load.py): 50 users for 60 s, and a SIGKILL mid-write, on both databases.
bench: install-dev assets system-deps
	$(PY) -m bench.run $(BENCH_ARGS)
	$(PY) -m bench.load

load: install-dev assets system-deps
	$(PY) -m bench.load $(LOAD_ARGS)
