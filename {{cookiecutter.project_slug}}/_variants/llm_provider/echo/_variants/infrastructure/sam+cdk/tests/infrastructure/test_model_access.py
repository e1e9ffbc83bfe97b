"""The echo agent calls no model: no model settings, no grant beyond the stack's own needs."""

from stack_template import deployed

# What a function may touch without a model: its logs, the queue, the message store, the API key,
# other functions.
OWN_SERVICES = ("logs:", "sqs:", "dynamodb:", "ssm:", "secretsmanager:", "lambda:")


def test_echo_needs_no_model_settings_or_grants():
    cfn = deployed()
    for function in cfn.functions:
        variables = cfn.environment(function)
        assert variables["LLM_PROVIDER"] == "echo"
        assert "AGENT_MODEL" not in variables
        for actions, _ in cfn.allowed(function):
            assert all(action.startswith(OWN_SERVICES) for action in actions), actions
    secrets = cfn.of_type("AWS::SecretsManager::Secret").values()
    assert all("GenerateSecretString" in secret for secret in secrets), "only the API key is a secret"
