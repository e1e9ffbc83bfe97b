# al2023-streaming: the real bootstrap against the local Runtime API stand-in, so
# `curl -N localhost:$(PORT)/invoke ...` shows each chunk the moment the agent yields it.
SITE_PACKAGES = $(shell $(BIN)/python -c "import sysconfig; print(sysconfig.get_path('purelib'))")
RUNTIME_ENV = PYTHON=$(abspath $(BIN)/python) TASK_PATH=$(CURDIR)/src:$(SITE_PACKAGES)

.PHONY: bench
{% if cookiecutter.api_gateway == "rest" %}
.PHONY: dev-rest
{% endif %}

dev: $(BIN)/python
	$(RUNTIME_ENV) $(BIN)/python scripts/lambda_standin.py --port $(PORT) --timeout {{ cookiecutter.timeout_s }} -- ./bootstrap
{% if cookiecutter.api_gateway == "rest" %}

# The same, with REST API events: what the streaming API integration sends the function.
dev-rest: $(BIN)/python
	$(RUNTIME_ENV) $(BIN)/python scripts/rest_api_standin.py --port $(PORT) --timeout {{ cookiecutter.timeout_s }} -- ./bootstrap
{% endif %}

bench: $(BIN)/python
	$(RUNTIME_ENV) $(BIN)/python scripts/benchmark.py
