# One entry point for people and CI. `make run` and `make test` are the README's two commands.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
HOST ?= 127.0.0.1:8000
# The server answers for the address it listens on (and localhost); set ALLOWED_HOSTS for others.
export ALLOWED_HOSTS ?= 127.0.0.1,localhost,$(firstword $(subst :, ,$(HOST)))
DEMO_BENEFICIARIES ?= 3000

.PHONY: install run demo serve test test-fast bench bench-review lint fmt check clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

## Start ansinh with a demo province on http://$(HOST) (embedded PostgreSQL unless DATABASE_URL is set).
run: install
	$(BIN)/ansinh migrate --no-input
	$(BIN)/ansinh areas_load
	$(BIN)/ansinh plans_load
	$(BIN)/ansinh demo --beneficiaries $(DEMO_BENEFICIARIES) --if-empty
	$(BIN)/ansinh aggregates_refresh --last 12
	@# A background worker runs the long jobs (province payroll, imports, reports) beside the server.
	$(BIN)/ansinh worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/ansinh runserver $(HOST) --noreload --insecure

## The whole test suite, browser tests included.
test: install
	$(BIN)/pytest -p no:cacheprovider --create-db

bench: install
	$(BIN)/pip install -q -e '.[dev,bench]'
	$(BIN)/python -m bench.run

## The monthly review over a demo country (issue 3): builds BENCH_REVIEW_DB with 3.5M beneficiaries unless BENCH_REVIEW_BUILD=0.
BENCH_REVIEW_DB ?= ansinh_bench_review
BENCH_REVIEW_BUILD ?= 3500000
bench-review: install
	$(BIN)/python -m bench.review --db $(BENCH_REVIEW_DB) --build $(BENCH_REVIEW_BUILD)

lint: install
	$(BIN)/ruff check ansinh config bench tests
	$(BIN)/ruff format --check ansinh config bench tests

fmt: install
	$(BIN)/ruff format ansinh config bench tests
	$(BIN)/ruff check --fix ansinh config bench tests

check: lint test

clean:
	rm -rf $(VENV) var build *.egg-info
