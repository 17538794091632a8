# Every target sets up what it needs: `make mock` and `make test` work on a fresh clone.
.DEFAULT_GOAL := help
SHELL := /bin/bash

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8080
API ?=
ARGS ?=
STORE ?=
REPORTS ?= reports
BASE ?=
SPECS := $(wildcard openapi/*.yaml)
CLIENT_PACKAGES := $(wildcard generated_client/*_client/*_client)
API_ARGS := $(foreach a,$(API),--api $(a))

.PHONY: help install browser mock test lint fmt client changelog spec-diff contract-live drift drift-replay bench clean

help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-14s %s\n", $$1, $$2}'

install: $(VENV)/.installed node_modules/.installed ## Create .venv and node_modules (idempotent)

# The interpreter's own pip installs into the venv (`pip --python`, pip 22.3+, as Python 3.11 ships), so the venv
# needs no pip of its own and is made in a fraction of a second. The checkout itself is never installed: every
# command runs from the repository root, where `mock_server` is importable as it is.
PIP = $(PYTHON) -m pip --python $(BIN)/python --quiet --disable-pip-version-check

$(BIN)/python:
	$(PYTHON) -m venv --without-pip $(VENV)

# Serving needs only the runtime dependencies: `make mock` on a fresh clone installs nothing else.
$(VENV)/.runtime-installed: requirements/mock.txt | $(BIN)/python
	$(PIP) install -r requirements/mock.txt
	touch $@

$(VENV)/.installed: requirements/dev.txt $(VENV)/.runtime-installed
	$(PIP) install -r requirements/dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

mock: $(VENV)/.runtime-installed ## Serve every API on http://127.0.0.1:8080 (PORT=, HOST=, API=cor, STORE=redis://..., ARGS=...)
	$(BIN)/python -m mock_server --host $(HOST) --port $(PORT) $(API_ARGS) $(if $(STORE),--store '$(STORE)') $(ARGS)

browser: ## Debian's chromium for the console's browser tests (apt-get as root; else they are skipped)
	@command -v chromium >/dev/null || { if [ "$$(id -u)" = 0 ]; then apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
		else echo "make: chromium is missing, so the console's browser tests will be skipped;" \
		"install it with: sudo apt-get install chromium" >&2; fi; }

test: install browser ## Run every test: spec checks, spec lint, mock behaviour, console, contract tests, clients
	node_modules/.bin/spectral lint --fail-severity=warn $(SPECS)
	$(BIN)/python -m pytest --junitxml=$(REPORTS)/tests.xml

lint: install ## ruff, mypy and Spectral
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy mock_server contract_tests bench generated_client/regenerate.py
	$(BIN)/mypy --strict --config-file= $(CLIENT_PACKAGES)  # generated: strict, without the project's config
	node_modules/.bin/spectral lint --fail-severity=warn $(SPECS)

fmt: install ## Format the code with ruff
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

client: install ## Regenerate generated_client/ from the specs (config: openapi/clients/)
	$(BIN)/python generated_client/regenerate.py

changelog: install ## Write openapi/changelog/<api>.md from each spec's git history (then run make client)
	$(BIN)/python -m contract_tests.changelog

spec-diff: install ## Breaking changes in openapi/ since BASE (default HEAD~1); fails without a major version bump
	$(BIN)/python -m contract_tests.spec_diff $(if $(BASE),--base '$(BASE)')

contract-live: install ## Contract tests against the live APIs (API=cor to pick; README lists the variables; RECORD=f.har)
	CONTRACT_API="$(API)" CONTRACT_REPORTS="$(REPORTS)" CONTRACT_RECORD="$(RECORD)" $(BIN)/python -m pytest \
		-p no:cacheprovider --live-required \
		contract_tests/test_contract_live.py --junitxml="$(REPORTS)/contract-live-$(or $(subst $() ,-,$(API)),all).xml"

drift: install ## Mock vs live API, request by request (API=cor; settings as contract-live; RECORD=f.har)
	@test -n "$(API)" || { echo "make drift: name the API, e.g. make drift API=cor" >&2; exit 2; }
	$(BIN)/python -m contract_tests.drift run --api "$(API)" --reports "$(REPORTS)" $(if $(RECORD),--record "$(RECORD)")

drift-replay: install ## Mock vs a recorded cassette, no network (API=cor CASSETTE=f.har; START=defaults)
	@test -n "$(API)" -a -n "$(CASSETTE)" || \
		{ echo "make drift-replay: name the API and the cassette, e.g. API=cor CASSETTE=cor.har" >&2; exit 2; }
	$(BIN)/python -m contract_tests.drift replay --api "$(API)" --cassette "$(CASSETTE)" --reports "$(REPORTS)" \
		--start "$(or $(START),empty)"

bench: install bench/node_modules/.installed ## Load benchmark of the mock against Prism 5 (ROUNDS=3)
	@command -v wrk >/dev/null || { if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq wrk; \
		else echo "make bench: wrk is missing; install it with: sudo apt-get install wrk" >&2; exit 2; fi; }
	$(BIN)/python -m bench.run --rounds $(or $(ROUNDS),3)

bench/node_modules/.installed: bench/package.json bench/package-lock.json
	cd bench && npm ci --no-audit --no-fund --loglevel=error
	touch $@

clean: ## Remove the virtualenv, node_modules and caches
	rm -rf $(VENV) node_modules reports .pytest_cache .mypy_cache .ruff_cache .hypothesis
