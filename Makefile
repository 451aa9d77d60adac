# Two commands on a fresh machine: `make demo` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: demo test lint lock bench clean

$(BIN)/portalhub: requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.lock
	$(BIN)/python -m pip install -q --no-deps -e .
	touch $@

demo: $(BIN)/portalhub   ## harvest the bundled sample portals into ./var/ and serve the hub
	$(BIN)/portalhub demo

test: $(BIN)/portalhub   ## ruff, then the whole test suite (PostgreSQL too when PORTALHUB_TEST_DATABASE_URL is set)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest --cov --cov-report=term

lock:                    ## re-pin every dependency (needs uv in the venv)
	$(BIN)/python -m pip install -q uv
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 --generate-hashes -o requirements.lock

bench: $(BIN)/portalhub
	$(BIN)/python bench/ingest.py

clean:
	rm -rf $(VENV) var .pytest_cache .coverage
