"""ship deploys the openai provider: its settings on every function, and a key secret that ship
creates once with a placeholder, never overwrites, and lets the functions read (that one only)."""

import pytest
from ship_moto import FULL_ARGS, KIT, NAME, ROOT, part_functions, shared_deployment

from ship.config import load
from ship.errors import ShipError
from ship.flavor import FUNCTIONS
from ship.plan import Plan, function_environment, managed_environment, masked

SECRET = f"{NAME}/openai-api-key"


@pytest.fixture(scope="module")
def deployed():
    return shared_deployment()


@pytest.fixture(scope="module")
def secret_arn(deployed):
    return deployed.client("secretsmanager").describe_secret(SecretId=SECRET)["ARN"]


def test_every_function_gets_the_provider_settings(deployed, secret_arn):
    created = deployed.first.recorder.sent("CreateFunction")
    # The optional parts' functions run the agent too.
    assert len(created) == len(FUNCTIONS) + len(part_functions())
    for params in created:
        env = params["Environment"]["Variables"]
        assert env["LLM_PROVIDER"] == "openai"
        assert env["AGENT_MODEL"] == KIT["agent_model"] == "gpt-4o-mini"
        assert env["OPENAI_BASE_URL"] == KIT["openai_base_url"]
        assert env["OPENAI_API_KEY_SECRET_ID"] == secret_arn
        assert "OPENAI_API_KEY" not in env
    assert f"provider key secret: {secret_arn}" in deployed.first.out


def test_the_functions_may_read_the_provider_secret_and_nothing_more(deployed, secret_arn):
    iam = deployed.client("iam")
    policy = iam.get_role_policy(RoleName=f"{NAME}-lambda", PolicyName="ship-least-privilege")
    statements = policy["PolicyDocument"]["Statement"]
    [statement] = [s for s in statements if s["Sid"] == "ReadProviderKey"]
    assert statement == {
        "Sid": "ReadProviderKey",
        "Effect": "Allow",
        "Action": ["secretsmanager:GetSecretValue"],
        "Resource": secret_arn,
    }
    api_key = deployed.client("secretsmanager").describe_secret(SecretId=f"{NAME}/api-key")["ARN"]
    readable = {s["Resource"] for s in statements if "secretsmanager:GetSecretValue" in s["Action"]}
    assert readable == {api_key, secret_arn}
    assert not [a for s in statements for a in s["Action"] if "*" in a]


def test_the_secret_is_created_once_with_a_placeholder_and_never_overwritten(deployed):
    sm = deployed.client("secretsmanager")
    [created] = [p for p in deployed.first.recorder.sent("CreateSecret") if p["Name"] == SECRET]
    assert created["SecretString"] == "replace-me"
    assert {"Key": "ship:app", "Value": NAME} in created["Tags"]
    assert sm.get_secret_value(SecretId=SECRET)["SecretString"] == "replace-me"

    sm.put_secret_value(SecretId=SECRET, SecretString="sk-the-real-key")
    again = deployed.run(*FULL_ARGS)
    assert again.code == 0, again.err
    assert again.recorder.mutations() == []
    assert sm.get_secret_value(SecretId=SECRET)["SecretString"] == "sk-the-real-key"
    assert "sk-the-real-key" not in again.out


def test_a_plain_provider_key_in_the_variables_is_refused():
    plan = Plan(load(ROOT / "ship.toml"), FUNCTIONS)
    managed = managed_environment(plan, "", "", "arn:aws:secretsmanager:us-east-1:1:secret:k")
    with pytest.raises(ShipError, match="OPENAI_API_KEY would store the key in plain function configuration"):
        function_environment(plan, FUNCTIONS[0], {"OPENAI_API_KEY": "sk-0123456789abcdef"}, managed)


def test_the_plain_key_is_masked_when_printed():
    shown = masked({"OPENAI_API_KEY": "sk-1234567890abcdef", "API_KEY_SOURCE": "ssm", "MODEL": "gpt"})
    assert shown == {"API_KEY_SOURCE": "ssm", "MODEL": "gpt", "OPENAI_API_KEY": "sk****ef"}


def test_a_base_url_that_is_not_a_url_is_one_line(tmp_path):
    path = tmp_path / "ship.toml"
    path.write_text(
        'name = "x"\nregion = "us-east-1"\nllm_provider = "openai"\nopenai_base_url = "localhost"\n'
    )
    with pytest.raises(ShipError, match="openai_base_url must be"):
        load(path)
