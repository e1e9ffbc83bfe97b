"""The runs function in the translated SAM template: a durable function from the same image,
invoked through its alias, with exactly the permissions runs need."""

import pytest
from test_sam_template import cfn, lint_errors, of_type, sam_template, translate

__all__ = ["cfn"]

FUNCTIONS = "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function"
RUNS_ARNS = {"Fn::Sub": FUNCTIONS + ":${AWS::StackName}-runs:*"}


def statements(role: dict) -> list[dict]:
    return [s for policy in role["Policies"] for s in policy["PolicyDocument"]["Statement"]]


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
    assert runs["Environment"]["Variables"]["RUNS_APPROVAL_TIMEOUT_S"] == {"Ref": "RunsApprovalTimeout"}


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


def test_the_agent_may_start_read_and_answer_runs_and_nothing_more(cfn):
    role = of_type(cfn, "AWS::IAM::Role")["AgentFunctionRole"]
    about_runs = [s for s in statements(role) if str(s["Action"]).count("lambda:")]
    assert about_runs == [
        {"Effect": "Allow", "Action": "lambda:InvokeFunction", "Resource": {"Ref": "RunsFunctionAliaslive"}},
        {
            "Effect": "Allow",
            "Action": [
                "lambda:GetDurableExecution",
                "lambda:GetDurableExecutionHistory",
                "lambda:SendDurableExecutionCallbackSuccess",
                "lambda:SendDurableExecutionCallbackFailure",
            ],
            "Resource": RUNS_ARNS,
        },
    ]


def test_the_runs_function_checkpoints_only_its_own_executions(cfn):
    role = of_type(cfn, "AWS::IAM::Role")["RunsRole"]
    runs = of_type(cfn, "AWS::Lambda::Function")["RunsFunction"]
    assert runs["Role"] == {"Fn::GetAtt": ["RunsRole", "Arn"]}
    assert role["ManagedPolicyArns"] == [
        {"Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"}
    ]
    durable = [s for s in statements(role) if "lambda:CheckpointDurableExecution" in s["Action"]]
    assert durable == [
        {
            "Effect": "Allow",
            "Action": ["lambda:CheckpointDurableExecution", "lambda:GetDurableExecutionState"],
            "Resource": RUNS_ARNS,
        }
    ]
    assert all("*" not in str(s["Resource"]).replace("-runs:*", "") for s in statements(role))


@pytest.mark.parametrize(("field", "value"), [("RetentionPeriodInDays", 91), ("ExecutionTimeout", 31622401)])
def test_lint_catches_a_durable_config_out_of_range(field, value):
    template = sam_template()
    template["Resources"]["RunsFunction"]["Properties"]["DurableConfig"][field] = value
    assert any(str(value) in error for error in lint_errors(translate(template)))
