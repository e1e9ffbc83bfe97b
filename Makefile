# Two commands set everything up on a fresh machine:
#   make demo   render the default kit and stream a reply from its local server
#   make test   the whole suite (what CI runs)
#   make bench  measure every flavor and write docs/BENCHMARKS.md
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
AI_SDK := tests/ai_sdk/node_modules/.package-lock.json

.PHONY: demo test bench lint format clean where browser

$(STAMP): requirements-dev.txt
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/python scripts/demo.py

# What pip cannot install: the AI SDK client the protocol test runs (npm, from its lock file)
# and the browser the playground test drives (Debian's chromium; apt-get needs root).
$(AI_SDK): tests/ai_sdk/package-lock.json
	npm ci --prefix tests/ai_sdk --no-audit --no-fund --loglevel=error
	touch $(AI_SDK)

browser:
	@command -v chromium >/dev/null || command -v chromium-browser >/dev/null || { \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

test: $(STAMP) $(AI_SDK) browser
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python scripts/bench.py

# Which template file renders a kit path: make where FILE=src/my_agent/kit/handler.py ANSWERS="runtime_flavor=al2023-streaming"
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
