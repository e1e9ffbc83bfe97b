"""How the stack makes a function, and what infra/flavor.py hands back.

``infra/flavor.py`` calls ``FunctionFactory.function`` for each function the image runs as
and returns ``Functions``; every function gets the kit's image, the chosen size and
timeout, the shared environment, a role of its own, a log group with the chosen retention and,
when the ``tracing`` context is active, X-Ray active tracing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import cast

from aws_cdk import Duration, RemovalPolicy, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk.aws_ecr_assets import Platform
from constructs import Construct

from .checks import acknowledge
from .config import StackConfig

# The image is built from the kit's own Dockerfile; .dockerignore keeps the build context
# (and the staged copy in cdk.out) down to what the Dockerfile copies.
KIT_ROOT = Path(__file__).resolve().parents[1]
ARCHITECTURES = {"arm64": lambda_.Architecture.ARM_64, "x86_64": lambda_.Architecture.X86_64}
PLATFORMS = {"arm64": Platform.LINUX_ARM64, "x86_64": Platform.LINUX_AMD64}


@dataclass(frozen=True)
class Functions:
    """The functions infra/flavor.py builds.

    ``http`` gets the Function URL, the API key and the right to queue messages; ``worker``
    gets the SQS event source and the schedule. They may be the same function. Both run the
    agent, so both get the model provider's settings and grants.
    """

    http: lambda_.Function
    worker: lambda_.Function
    invoke_mode: lambda_.InvokeMode


class FunctionFactory:
    """Makes the stack's image functions, each with its own role and log group."""

    def __init__(self, scope: Construct, config: StackConfig, environment: dict[str, str]) -> None:
        self.scope = scope
        self.config = config
        self.environment = environment

    def function(
        self,
        construct_id: str,
        *,
        description: str,
        environment: dict[str, str] | None = None,
        cmd: list[str] | None = None,
    ) -> lambda_.DockerImageFunction:
        """An image function; ``environment`` adds to (or overrides) the shared variables."""
        config = self.config
        log_group = logs.LogGroup(self.scope, f"{construct_id}Logs", removal_policy=RemovalPolicy.DESTROY)
        cast(logs.CfnLogGroup, log_group.node.default_child).retention_in_days = config.log_retention_days
        # A role of its own instead of the managed AWSLambdaBasicExecutionRole, which may
        # write to any log group in the account.
        role = iam.Role(
            self.scope,
            f"{construct_id}Role",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description=f"Runs {construct_id} of {Stack.of(self.scope).stack_name}",
        )
        role.add_to_policy(
            iam.PolicyStatement(
                actions=["logs:CreateLogStream", "logs:PutLogEvents"],
                resources=[log_group.log_group_arn],
            )
        )
        if config.tracing:
            acknowledge(
                role,
                "AwsSolutions-IAM5[Resource::*]",
                "xray:PutTraceSegments and xray:PutTelemetryRecords name no resource; * is their only form.",
            )
        return lambda_.DockerImageFunction(
            self.scope,
            construct_id,
            description=description,
            code=lambda_.DockerImageCode.from_image_asset(
                str(KIT_ROOT), file="Dockerfile", platform=PLATFORMS[config.architecture], cmd=cmd
            ),
            architecture=ARCHITECTURES[config.architecture],
            memory_size=config.memory_mb,
            timeout=Duration.seconds(config.timeout_s),
            environment={**self.environment, **(environment or {}), **tracing_environment(config)},
            role=role,
            log_group=log_group,
            # Active also lets the role send traces: xray:PutTraceSegments and PutTelemetryRecords.
            tracing=lambda_.Tracing.ACTIVE if config.tracing else lambda_.Tracing.DISABLED,
        )


def tracing_environment(config: StackConfig) -> dict[str, str]:
    """With tracing active, the agent sends its spans to X-Ray (OTLP to the Lambda X-Ray daemon)."""
    return {"OTEL_TRACES_EXPORTER": "xray"} if config.tracing else {}
