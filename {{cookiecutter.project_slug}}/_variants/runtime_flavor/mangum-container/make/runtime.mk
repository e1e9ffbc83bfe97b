# mangum-container: FastAPI under uvicorn locally; Mangum in the Lambda image.

# --no-proxy-headers: the caller's address is the socket's, so ALLOWED_CIDRS cannot be
# talked round with a forged X-Forwarded-For.
dev: $(BIN)/python
	$(BIN)/uvicorn {{ cookiecutter.package_name }}.app:app --app-dir src --host 127.0.0.1 --port $(PORT) --no-proxy-headers --reload
