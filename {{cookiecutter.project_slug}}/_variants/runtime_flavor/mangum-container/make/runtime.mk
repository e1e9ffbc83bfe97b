# mangum-container: FastAPI under uvicorn locally; Mangum in the Lambda image.
# `make dev` adds the playground page at / (scripts/dev_server.py; not in the image).

# --no-proxy-headers: the caller's address is the socket's, so ALLOWED_CIDRS cannot be
# talked round with a forged X-Forwarded-For.
dev: $(BIN)/python
	PYTHONPATH=src $(BIN)/uvicorn dev_server:app --app-dir scripts --host 127.0.0.1 --port $(PORT) \
		--no-proxy-headers --reload --reload-dir src --reload-dir scripts
