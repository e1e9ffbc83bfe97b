# cdk: `make synth` writes cdk.out/ offline (Node.js runs the CDK library; no Docker, no AWS);
# `make deploy` builds the image and deploys through the AWS CDK CLI.
# The CLI is pinned to 2.x: npm's `latest` aws-cdk is 3.x, which rejects this library's cloud assembly.
CDK_CLI ?= aws-cdk@2.1148.1
CDK_ARGS ?=
CDK := npx --yes $(CDK_CLI)
# jsii warns on every run under Node 20; the kit's checks do not need the banner.
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION ?= 20

.PHONY: synth diff bootstrap

synth: $(BIN)/python
	@command -v node >/dev/null || { echo "error: make synth needs Node.js 20+ (the CDK library runs on it); see README.md#deploy"; exit 1; }
	$(BIN)/python app.py

define require_cdk_cli
	@command -v npx >/dev/null || { echo "error: make $@ needs Node.js 20+ with npx for the AWS CDK CLI; see README.md#deploy"; exit 1; }
	@$(BIN)/python -c "import boto3, sys; sys.exit(boto3.Session().get_credentials() is None)" 2>/dev/null || { echo "error: no AWS credentials found (set AWS_PROFILE or run aws configure / aws sso login); see README.md#deploy"; exit 1; }
endef

bootstrap: $(BIN)/python
	$(require_cdk_cli)
	$(CDK) bootstrap --app "$(BIN)/python app.py" $(CDK_ARGS)

diff: $(BIN)/python
	$(require_cdk_cli)
	$(CDK) diff --app "$(BIN)/python app.py" $(CDK_ARGS)

deploy: $(BIN)/python
	$(require_cdk_cli)
	$(CDK) deploy --app "$(BIN)/python app.py" --require-approval never $(CDK_ARGS)
