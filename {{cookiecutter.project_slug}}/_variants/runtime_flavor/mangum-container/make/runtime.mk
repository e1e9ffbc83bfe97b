# mangum-container: FastAPI under uvicorn locally; Mangum in the Lambda image.

dev: $(BIN)/python
	$(BIN)/uvicorn {{ cookiecutter.package_name }}.app:app --app-dir src --host 127.0.0.1 --port $(PORT) --reload
