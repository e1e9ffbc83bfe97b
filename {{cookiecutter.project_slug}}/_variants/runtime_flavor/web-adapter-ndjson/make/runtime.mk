# web-adapter-ndjson: the same uvicorn server runs locally and behind the Lambda Web Adapter.
# Locally it also serves the worker's events route, so SQS and schedule events can be posted to it.
.PHONY: bench
# No Lambda handler in this image: `make invoke` goes through a local stand-in for the adapter.
INVOKE_HANDLER := local_adapter.invoke

# --no-proxy-headers: the caller's address is the socket's, so ALLOWED_CIDRS cannot be
# talked round with a forged X-Forwarded-For.
dev: $(BIN)/python
	AWS_LWA_PASS_THROUGH_PATH=/events $(BIN)/uvicorn {{ cookiecutter.package_name }}.server:app --app-dir src --host 127.0.0.1 --port $(PORT) --no-proxy-headers --reload

bench: $(BIN)/python
	$(BIN)/python scripts/bench_stream.py
