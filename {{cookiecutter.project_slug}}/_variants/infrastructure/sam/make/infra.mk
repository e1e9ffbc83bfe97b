# sam: build the image and deploy the stack described in template.yaml and samconfig.toml.

deploy:
	@command -v sam >/dev/null || { echo "error: the AWS SAM CLI is not installed; see README.md#deploy"; exit 1; }
	sam build
	sam deploy
