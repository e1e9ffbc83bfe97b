# Two commands set everything up on a fresh machine:
#   make demo   render the default kit and stream a reply from its local server
#   make test   the whole suite (what CI runs)
#   make bench  measure every flavor and write docs/BENCHMARKS.md
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test bench lint format clean where

$(STAMP): requirements-dev.txt
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/python scripts/demo.py

test: $(STAMP)
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python scripts/bench.py

# Which template file renders a kit path: make where FILE=src/my_agent/handler.py ANSWERS="runtime_flavor=al2023-streaming"
where: $(STAMP)
	$(BIN)/python scripts/where.py $(if $(FILE),$(FILE),--all) $(ANSWERS)

lint: $(STAMP)
	$(BIN)/ruff check hooks tests scripts
	$(BIN)/ruff format --check hooks tests scripts

format: $(STAMP)
	$(BIN)/ruff check --fix hooks tests scripts
	$(BIN)/ruff format hooks tests scripts

clean:
	rm -rf $(VENV) build .pytest_cache
