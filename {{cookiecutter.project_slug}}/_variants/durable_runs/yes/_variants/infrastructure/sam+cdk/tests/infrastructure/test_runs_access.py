"""What runs need in IAM, and nothing more: the agent may start runs through the alias, read
them and answer their approvals; the runs function may checkpoint its own executions."""

from policy_assertions import acts_on, assert_granted, placeholder, reference
from stack_template import STACK_NAME, deployed

READS = (
    "lambda:GetDurableExecution",
    "lambda:GetDurableExecutionHistory",
    "lambda:SendDurableExecutionCallbackSuccess",
    "lambda:SendDurableExecutionCallbackFailure",
)
CHECKPOINTS = ("lambda:CheckpointDurableExecution", "lambda:GetDurableExecutionState")


def test_only_the_agent_and_the_runs_function_hold_grants_about_runs():
    cfn = deployed()
    [(alias, properties)] = cfn.of_type("AWS::Lambda::Alias").items()
    runs = reference(properties["FunctionName"])
    # Executions live under the function's versions: function:<name>:<version>/durable-execution/...
    executions = cfn.arn("lambda", f"function:{STACK_NAME}-runs:*")
    expected = {
        cfn.url_function(): [(("lambda:InvokeFunction",), placeholder(alias)), (READS, executions)],
        runs: [(CHECKPOINTS, executions)],
    }
    assert_granted(cfn, acts_on("lambda:"), expected)


def test_its_own_executions_are_the_runs_functions_only_wildcard():
    cfn = deployed()
    [properties] = cfn.of_type("AWS::Lambda::Alias").values()
    runs = reference(properties["FunctionName"])
    executions = cfn.arn("lambda", f"function:{STACK_NAME}-runs:*")
    assert [grant for grant in cfn.allowed(runs) if "*" in grant[1]] == [(CHECKPOINTS, executions)]
