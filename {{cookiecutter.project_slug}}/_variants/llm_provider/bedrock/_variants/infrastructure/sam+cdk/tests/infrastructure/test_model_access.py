"""Every function runs the agent, so every one may call the chosen Bedrock model, and only it."""

from policy_assertions import acts_on, assert_every_function_alone_holds
from stack_template import deployed

MODEL = "anthropic.claude-3-haiku-20240307-v1:0"


def test_every_function_may_invoke_the_chosen_model_only():
    cfn = deployed()
    for function in cfn.functions:
        assert cfn.environment(function)["AGENT_MODEL"] == MODEL
    # ConverseStream is authorized as InvokeModelWithResponseStream, on this model only.
    grant = (
        ("bedrock:InvokeModelWithResponseStream",),
        cfn.arn("bedrock", f"foundation-model/{MODEL}", account=""),
    )
    assert_every_function_alone_holds(cfn, grant, acts_on("bedrock:"))
