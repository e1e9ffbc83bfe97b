# ship-cli: `ship` (ship/, beside src/) builds, pushes and deploys with boto3.
SHIP := PYTHONPATH=src $(BIN)/python -m ship

.PHONY: build-push status logs destroy

deploy: $(BIN)/python
	@command -v docker >/dev/null || { echo "error: docker is not installed: make deploy builds the image (or run: $(SHIP) deploy --image <ECR image URI>)"; exit 1; }
	@$(SHIP) build-push
	@$(SHIP) deploy

build-push: $(BIN)/python
	@$(SHIP) build-push

status: $(BIN)/python
	@$(SHIP) status

logs: $(BIN)/python
	@$(SHIP) logs --tail

destroy: $(BIN)/python
	@$(SHIP) destroy
