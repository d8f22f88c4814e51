# Practice Tracker — `make run` serves the app, `make test` runs the whole suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app manage
HOST ?= 127.0.0.1
PORT ?= 5000
PYTEST_ARGS ?= -n 2
# Chart.js and its matrix plugin, copied from node_modules by tools/vendor_static.sh.
VENDORED := tracker/static/vendor/chart.js/chart.umd.min.js

.PHONY: run test lint install install-test static-files migrate bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python setup.cfg pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

$(VENDORED): package.json package-lock.json tools/vendor_static.sh
	sh tools/vendor_static.sh

# The static files as WhiteNoise serves them: build/static/ holds a copy of every file under a
# content-hashed name with its brotli and gzip variants, and manifest.json. A rebuild only
# writes what changed (the first one compresses Flask-Admin's files: a minute or so). No
# database is opened: the placeholder URL only keeps create_app from starting one.
static-files: $(VENV)/.installed $(VENDORED)
	DATABASE_URL="$${DATABASE_URL:-postgresql://build@127.0.0.1:1/unused}" $(FLASK) build-static

install: $(VENV)/.installed $(VENDORED) static-files

install-test: $(VENV)/.installed-test $(VENDORED) static-files

migrate: install
	$(FLASK) db upgrade

run: migrate
	$(FLASK) dev-server --host $(HOST) --port $(PORT)

test: install-test
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Seeds tracker_bench (once; BENCH_RESEED=1 rebuilds it) and writes bench/RESULTS.md.
# wrk drives the throughput runs: installed here when missing and running as root,
# otherwise bench/run.py falls back to a Python load loop.
bench: install
	@command -v wrk >/dev/null 2>&1 || { [ "$$(id -u)" -eq 0 ] && \
		{ apt-get install -y -qq wrk || { apt-get update -qq && apt-get install -y -qq wrk; }; } \
		>/dev/null 2>&1; } || echo "wrk unavailable: using the Python load loop"
	$(BIN)/python bench/seed.py && BENCH_COMMAND="make bench" $(BIN)/python bench/run.py

lint: install-test
	$(BIN)/ruff check tracker tests manage.py bench

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache node_modules tracker/static/vendor
