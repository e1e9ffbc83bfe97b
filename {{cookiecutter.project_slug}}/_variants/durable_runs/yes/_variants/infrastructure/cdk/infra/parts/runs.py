"""The runs function: the same image as a Lambda durable function, one agent run per execution.

It is its own function from the start (adding a durable config to an existing function
replaces it), invoked through the ``live`` alias (a durable function is only invoked by a
qualified ARN). Its role may checkpoint and read its own executions and nothing else; the
HTTP function may start runs through the alias, read them and answer their approvals.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from aws_cdk import ArnFormat, CfnOutput, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_

from ..checks import acknowledge
from ..config import ConfigError
from ..functions import FunctionFactory, Functions
from ..runs_image import COMMAND, ENVIRONMENT

YEAR_S = 31_622_400
# Context key, default, lowest, highest.
LIMITS = {
    "runs_execution_timeout_s": (86_400, 1, YEAR_S),
    "runs_retention_days": (14, 1, 90),
    "runs_approval_timeout_s": (86_400, 1, YEAR_S),
}


def runs_limits(context: Callable[[str], object]) -> dict[str, int]:
    """The runs' limits from the CDK context, checked; a bad one stops the synth with one line."""
    limits = {}
    for key, (default, low, high) in LIMITS.items():
        raw = context(key)
        value = default if raw in (None, "") else str(raw).strip()
        if not str(value).isdigit() or not low <= int(value) <= high:
            raise ConfigError(f"{key} must be a whole number from {low} to {high}; got {raw!r}")
        limits[key] = int(value)
    return limits


def send_message_to_runs(context: Callable[[str], object]) -> bool:
    """Whether ``/api/v1/send_message`` starts runs (context ``send_message_to_runs``)."""
    raw = context("send_message_to_runs")
    value = str(raw).strip().lower() if raw not in (None, "") else "false"
    if value not in ("true", "false"):
        raise ConfigError(f"send_message_to_runs must be true or false; got {raw!r}")
    return value == "true"


def add(factory: FunctionFactory, functions: Functions, model_access: list[iam.PolicyStatement]) -> None:
    http = functions.http
    stack = Stack.of(factory.scope)
    limits = runs_limits(stack.node.try_get_context)
    name = f"{stack.stack_name}-runs"
    environment = {
        "SERVICE_NAME": f"{factory.config.service_name}-runs",
        "RUNS_APPROVAL_TIMEOUT_S": str(limits["runs_approval_timeout_s"]),
        **ENVIRONMENT,
    }
    runs = factory.function(
        "RunsFunction",
        description="Agent runs: a durable function, every model and tool call a checkpointed step",
        environment=environment,
        cmd=COMMAND,
    )
    function = cast(lambda_.CfnFunction, runs.node.default_child)
    # Named, so its role can name its executions without a reference cycle.
    function.function_name = name
    function.durable_config = lambda_.CfnFunction.DurableConfigProperty(
        execution_timeout=limits["runs_execution_timeout_s"],
        retention_period_in_days=limits["runs_retention_days"],
    )
    alias = lambda_.Alias(stack, "RunsAlias", alias_name="live", version=runs.current_version)
    # Executions live under the function's versions: function:<name>:<version>/durable-execution/...
    executions = stack.format_arn(
        service="lambda",
        resource="function",
        resource_name=f"{name}:*",
        arn_format=ArnFormat.COLON_RESOURCE_NAME,
    )
    runs.add_to_role_policy(
        iam.PolicyStatement(
            actions=["lambda:CheckpointDurableExecution", "lambda:GetDurableExecutionState"],
            resources=[executions],
        )
    )
    for statement in model_access:
        runs.add_to_role_policy(statement)
    http.add_environment("RUNS_FUNCTION_ARN", alias.function_arn)
    to_runs = send_message_to_runs(stack.node.try_get_context)
    http.add_environment("SEND_MESSAGE_TO_RUNS", "true" if to_runs else "false")
    invoke = iam.PolicyStatement(actions=["lambda:InvokeFunction"], resources=[alias.function_arn])
    http.add_to_role_policy(invoke)
    http.add_to_role_policy(
        iam.PolicyStatement(
            actions=[
                "lambda:GetDurableExecution",
                "lambda:GetDurableExecutionHistory",
                "lambda:SendDurableExecutionCallbackSuccess",
                "lambda:SendDurableExecutionCallbackFailure",
            ],
            resources=[executions],
        )
    )
    reason = (
        f"Runs are executions of {name}'s versions, function:{name}:*; the wildcard is the version, "
        "which changes with every deploy, and reaches no other function."
    )
    # cdk-nag names the finding by the resource as it reads it (partition and account as tokens).
    resource = f"arn:<AWS::Partition>:lambda:{stack.region}:<AWS::AccountId>:function:{name}:*"
    finding = f"AwsSolutions-IAM5[Resource::{resource}]"
    for role in (runs.role, http.role):
        acknowledge(role, finding, reason)
    CfnOutput(stack, "RunsFunctionAlias", value=alias.function_arn, description="The runs function's alias.")
