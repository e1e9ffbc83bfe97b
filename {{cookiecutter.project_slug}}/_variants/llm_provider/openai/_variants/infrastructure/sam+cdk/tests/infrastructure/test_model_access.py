"""Every function runs the agent, so every one reads the provider's key secret, and only it."""

from policy_assertions import assert_every_function_alone_holds, names, placeholder
from stack_template import deployed


def provider_secret(cfn) -> str:
    secrets = cfn.of_type("AWS::SecretsManager::Secret")
    [name] = [name for name, secret in secrets.items() if "GenerateSecretString" not in secret]
    assert secrets[name]["SecretString"] == "replace-me", "the provider refuses this placeholder"
    return name


def test_every_function_reads_the_provider_key_secret_only():
    cfn = deployed()
    secret = placeholder(provider_secret(cfn))
    for function in cfn.functions:
        variables = cfn.environment(function)
        assert variables["LLM_PROVIDER"] == "openai"
        assert variables["AGENT_MODEL"] == "gpt-4o-mini"
        assert variables["OPENAI_BASE_URL"] == ""
        assert variables["OPENAI_API_KEY_SECRET_ID"] == secret
    assert_every_function_alone_holds(cfn, (("secretsmanager:GetSecretValue",), secret), names(secret))


def test_outputs_name_the_provider_key_secret():
    cfn = deployed()
    assert cfn.template["Outputs"]["ProviderKeySecretArn"]["Value"] == {"Ref": provider_secret(cfn)}
