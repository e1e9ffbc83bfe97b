"""The runs function in the synthesized CDK stack: a durable function from the same image,
started through its alias, with exactly the permissions runs need (cdk-nag passes at synth)."""

import pytest
from stack_template import CONTEXT

from cdk_synth import synthesized
from infra.config import ConfigError
from infra.parts.runs import runs_limits, send_message_to_runs
from infra.runs_image import COMMAND, ENVIRONMENT

RUNS = f"{CONTEXT['stack_name']}-runs"


@pytest.fixture(scope="session")
def cfn():
    return synthesized()[0].to_json()


def one(cfn, kind, prefix):
    [(name, resource)] = [
        (name, r["Properties"])
        for name, r in cfn["Resources"].items()
        if r["Type"] == kind and name.startswith(prefix)
    ]
    return name, resource


def test_the_runs_function_is_durable_with_the_contexts_limits(cfn):
    _, runs = one(cfn, "AWS::Lambda::Function", "RunsFunction")
    assert runs["FunctionName"] == RUNS
    assert runs["DurableConfig"] == {
        "ExecutionTimeout": CONTEXT["runs_execution_timeout_s"],
        "RetentionPeriodInDays": CONTEXT["runs_retention_days"],
    }
    variables = runs["Environment"]["Variables"]
    assert variables["RUNS_APPROVAL_TIMEOUT_S"] == str(CONTEXT["runs_approval_timeout_s"])
    assert ENVIRONMENT.items() <= variables.items()
    assert runs.get("ImageConfig", {}).get("Command") == COMMAND
    _, agent = one(cfn, "AWS::Lambda::Function", "AgentFunction")
    assert runs["Code"] == agent["Code"], "one image for every function"


def test_the_agent_starts_runs_through_the_alias(cfn):
    runs, _ = one(cfn, "AWS::Lambda::Function", "RunsFunction")
    alias_name, alias = one(cfn, "AWS::Lambda::Alias", "RunsAlias")
    version_name, version = one(cfn, "AWS::Lambda::Version", "RunsFunction")
    assert alias["FunctionName"] == version["FunctionName"] == {"Ref": runs}
    assert alias["FunctionVersion"] == {"Fn::GetAtt": [version_name, "Version"]}
    _, agent = one(cfn, "AWS::Lambda::Function", "AgentFunction")
    assert agent["Environment"]["Variables"]["RUNS_FUNCTION_ARN"] == {"Ref": alias_name}
    assert agent["Environment"]["Variables"]["SEND_MESSAGE_TO_RUNS"] == "false"


def test_the_runs_role_has_no_managed_policy(cfn):
    runs, _ = one(cfn, "AWS::Lambda::Function", "RunsFunction")
    role = cfn["Resources"][runs]["Properties"]["Role"]["Fn::GetAtt"][0]
    assert "ManagedPolicyArns" not in cfn["Resources"][role]["Properties"]


@pytest.mark.parametrize(
    ("key", "value"),
    [("runs_retention_days", "91"), ("runs_execution_timeout_s", "0"), ("runs_approval_timeout_s", "soon")],
)
def test_a_bad_limit_stops_the_synth_with_one_line(key, value):
    with pytest.raises(ConfigError, match=key):
        runs_limits({**CONTEXT, key: value}.get)


@pytest.mark.parametrize(("value", "expected"), [(None, False), (False, False), (True, True), ("true", True)])
def test_send_message_to_runs_comes_from_the_context(value, expected):
    assert send_message_to_runs({"send_message_to_runs": value}.get) is expected


def test_a_bad_send_message_to_runs_stops_the_synth_with_one_line():
    with pytest.raises(ConfigError) as raised:
        send_message_to_runs({"send_message_to_runs": "runs"}.get)
    assert str(raised.value) == "send_message_to_runs must be true or false; got 'runs'"
