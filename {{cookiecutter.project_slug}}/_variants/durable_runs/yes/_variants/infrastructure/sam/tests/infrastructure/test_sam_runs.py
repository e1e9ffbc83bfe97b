"""The runs function in the translated SAM template: a durable function from the same image,
invoked through its alias, with exactly the permissions runs need."""

import pytest
from runs_image import COMMAND, ENVIRONMENT
from stack_template import deployed, lint_errors, sam_template, translate


@pytest.fixture(scope="module")
def cfn():
    return deployed().template


def of_type(cfn, kind):
    return {name: r["Properties"] for name, r in cfn["Resources"].items() if r["Type"] == kind}


def test_the_runs_function_is_durable_with_its_limits_as_parameters(cfn):
    runs = of_type(cfn, "AWS::Lambda::Function")["RunsFunction"]
    assert runs["DurableConfig"] == {
        "ExecutionTimeout": {"Ref": "RunsExecutionTimeout"},
        "RetentionPeriodInDays": {"Ref": "RunsRetentionDays"},
    }
    parameters = cfn["Parameters"]
    assert (parameters["RunsExecutionTimeout"]["MaxValue"], parameters["RunsRetentionDays"]["MaxValue"]) == (
        31622400,
        90,
    )
    variables = runs["Environment"]["Variables"]
    assert variables["RUNS_APPROVAL_TIMEOUT_S"] == {"Ref": "RunsApprovalTimeout"}
    assert ENVIRONMENT.items() <= variables.items()
    assert runs.get("ImageConfig") == ({"Command": COMMAND} if COMMAND else None)


def test_the_agent_starts_runs_through_the_alias(cfn):
    alias = of_type(cfn, "AWS::Lambda::Alias")["RunsFunctionAliaslive"]
    assert alias["FunctionName"] == {"Ref": "RunsFunction"}
    assert "RunsFunction" in of_type(cfn, "AWS::Lambda::Version").popitem()[1]["FunctionName"]["Ref"]
    agent = of_type(cfn, "AWS::Lambda::Function")["AgentFunction"]
    assert agent["Environment"]["Variables"]["RUNS_FUNCTION_ARN"] == {"Ref": "RunsFunctionAliaslive"}


def test_send_message_goes_to_runs_only_when_the_parameter_says_so(cfn):
    agent = of_type(cfn, "AWS::Lambda::Function")["AgentFunction"]
    assert agent["Environment"]["Variables"]["SEND_MESSAGE_TO_RUNS"] == {"Ref": "SendMessageToRuns"}
    parameter = cfn["Parameters"]["SendMessageToRuns"]
    assert (parameter["Default"], parameter["AllowedValues"]) == ("false", ["true", "false"])


def test_the_runs_role_adds_only_the_basic_execution_policy(cfn):
    role = of_type(cfn, "AWS::IAM::Role")["RunsRole"]
    runs = of_type(cfn, "AWS::Lambda::Function")["RunsFunction"]
    assert runs["Role"] == {"Fn::GetAtt": ["RunsRole", "Arn"]}
    assert role["ManagedPolicyArns"] == [
        {"Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"}
    ]


@pytest.mark.parametrize(("field", "value"), [("RetentionPeriodInDays", 91), ("ExecutionTimeout", 31622401)])
def test_lint_catches_a_durable_config_out_of_range(field, value):
    template = sam_template()
    template["Resources"]["RunsFunction"]["Properties"]["DurableConfig"][field] = value
    assert any(str(value) in error for error in lint_errors(translate(template)))
