"""ship deploys the bedrock provider: the model on every function, and the right to invoke that model only."""

from dataclasses import replace

import pytest
from ship_moto import KIT, NAME, REGION, ROOT, part_functions, shared_deployment

from ship import provider
from ship.config import load
from ship.flavor import FUNCTIONS
from ship.plan import Plan, role_policy


@pytest.fixture(scope="module")
def deployed():
    return shared_deployment()


def test_every_function_gets_the_model(deployed):
    created = deployed.first.recorder.sent("CreateFunction")
    # The optional parts' functions run the agent too.
    assert len(created) == len(FUNCTIONS) + len(part_functions())
    for params in created:
        env = params["Environment"]["Variables"]
        assert env["LLM_PROVIDER"] == "bedrock"
        assert env["AGENT_MODEL"] == KIT["agent_model"] == "anthropic.claude-3-haiku-20240307-v1:0"
        # No key secret but the API key's reaches the functions: Bedrock signs with the role.
        assert not [name for name in env if name.endswith("_SECRET_ID") and name != "API_KEY_SECRET_ID"]
    assert provider.environment(Plan(load(ROOT / "ship.toml"), FUNCTIONS), "arn:secret") == {}


def test_the_functions_may_stream_from_the_one_model_only(deployed):
    iam = deployed.client("iam")
    policy = iam.get_role_policy(RoleName=f"{NAME}-lambda", PolicyName="ship-least-privilege")
    statements = policy["PolicyDocument"]["Statement"]
    [statement] = [s for s in statements if any(a.startswith("bedrock:") for a in s["Action"])]
    assert statement == {
        "Sid": "InvokeOwnModel",
        "Effect": "Allow",
        "Action": ["bedrock:InvokeModelWithResponseStream"],
        "Resource": f"arn:aws:bedrock:{REGION}::foundation-model/{KIT['agent_model']}",
    }
    assert not [a for s in statements for a in s["Action"] if "*" in a]


def test_another_model_moves_the_permission_with_it():
    config = replace(load(ROOT / "ship.toml"), agent_model="amazon.nova-lite-v1:0")
    statements = role_policy(Plan(config, FUNCTIONS), "aws-cn", "1")["Statement"]
    [statement] = [s for s in statements if s["Sid"] == "InvokeOwnModel"]
    assert statement["Resource"] == f"arn:aws-cn:bedrock:{REGION}::foundation-model/amazon.nova-lite-v1:0"
