"""A regional REST API in front of the HTTP function.

Every path (the root and ``{proxy+}``) goes to the function the Function URL serves. Where
the Function URL streams, the integration streams too (``ResponseTransferMode.STREAM``, the
``response-streaming-invocations`` URI) and may run as long as the function; a buffered
integration stops at 29 seconds. Callers authenticate as for the Function URL: with
SigV4 (service ``execute-api``) when the URL uses AWS_IAM, else with an API key in
``x-api-key``, throttled and counted by a usage plan.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from aws_cdk import CfnOutput, Duration, RemovalPolicy, Stack
from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs

from ..checks import acknowledge
from ..context import Context
from ..functions import FunctionFactory, Functions

STAGE = "api"
# A buffered REST integration stops at 29 s (a quota); a streaming one runs up to 15 minutes.
BUFFERED_LIMIT_MS = 29_000
# Context key, lowest, highest; CloudFormation takes them as whole numbers.
LIMITS = {
    "api_rate_limit": (1, 10_000),
    "api_burst_limit": (1, 5_000),
    "api_daily_quota": (1, 10**9),
}


def api_limits(get: Callable[[str], object]) -> dict[str, int]:
    """The API's throttle and quota from the CDK context; a bad one stops the synth with one line."""
    context = Context(get)
    return {key: context.number(key, low, high) for key, (low, high) in LIMITS.items()}


def add(factory: FunctionFactory, functions: Functions, model_access: list[iam.PolicyStatement]) -> None:
    scope, config = factory.scope, factory.config
    limits = api_limits(Stack.of(scope).node.try_get_context)
    streams = functions.invoke_mode != lambda_.InvokeMode.BUFFERED
    timeout_ms = config.timeout_s * 1000 if streams else min(config.timeout_s * 1000, BUFFERED_LIMIT_MS)
    signed = config.function_url_auth == "AWS_IAM"

    access_logs = logs.LogGroup(scope, "ApiAccessLogs", removal_policy=RemovalPolicy.DESTROY)
    cast(logs.CfnLogGroup, access_logs.node.default_child).retention_in_days = config.log_retention_days
    integration = apigw.LambdaIntegration(
        functions.http,
        response_transfer_mode=apigw.ResponseTransferMode.STREAM
        if streams
        else apigw.ResponseTransferMode.BUFFERED,
        timeout=Duration.millis(timeout_ms),
        # No extra permission for the console's test button.
        allow_test_invoke=False,
    )
    api = apigw.RestApi(
        scope,
        "AgentApi",
        description=f"REST API in front of {config.service_name}",
        # Edge-optimized endpoints cut a silent stream after 30 s; regional ones after 5 minutes.
        endpoint_types=[apigw.EndpointType.REGIONAL],
        # Logging to CloudWatch needs the account's API Gateway role, which is set once per
        # account and region (DEPLOY_CHECKLIST.md), not by each stack.
        cloud_watch_role=False,
        deploy_options=apigw.StageOptions(
            stage_name=STAGE,
            access_log_destination=apigw.LogGroupLogDestination(access_logs),
            access_log_format=apigw.AccessLogFormat.json_with_standard_fields(
                caller=True,
                http_method=True,
                ip=True,
                protocol=True,
                request_time=True,
                resource_path=True,
                response_length=True,
                status=True,
                user=True,
            ),
            throttling_rate_limit=limits["api_rate_limit"],
            throttling_burst_limit=limits["api_burst_limit"],
        ),
        default_integration=integration,
        default_method_options=apigw.MethodOptions(
            authorization_type=apigw.AuthorizationType.IAM if signed else apigw.AuthorizationType.NONE,
            api_key_required=not signed,
        ),
    )
    api.root.add_method("ANY")
    api.root.add_proxy(any_method=True)

    acknowledge(
        api, "AwsSolutions-APIG2", "Every path is proxied to the function, which validates each body."
    )
    acknowledge(
        api, "AwsSolutions-APIG3", "No WAF by default: add a web ACL for a public API (see the README)."
    )
    acknowledge(
        api.deployment_stage,
        "AwsSolutions-APIG6",
        "Access logs are on; execution logs would log request and reply bodies (the prompts).",
    )
    acknowledge(
        api, "AwsSolutions-COG4", "Callers authenticate with SigV4 or an API key, not a Cognito pool."
    )
    if not signed:
        acknowledge(
            api,
            "AwsSolutions-APIG4",
            "Callers present an API key, checked by the gateway and throttled by its usage plan.",
        )
        key = api.add_api_key(
            "AgentApiKey", description=f"Callers of {config.service_name} send it in x-api-key"
        )
        plan = api.add_usage_plan(
            "AgentUsagePlan",
            description=f"Throttle and daily quota of {config.service_name}'s API key",
            throttle=apigw.ThrottleSettings(
                rate_limit=limits["api_rate_limit"], burst_limit=limits["api_burst_limit"]
            ),
            quota=apigw.QuotaSettings(limit=limits["api_daily_quota"], period=apigw.Period.DAY),
            api_stages=[apigw.UsagePlanPerApiStage(api=api, stage=api.deployment_stage)],
        )
        plan.add_api_key(key)
        CfnOutput(
            scope,
            "ApiKeyId",
            value=key.key_id,
            description="Read the key with: aws apigateway get-api-key --include-value --api-key <this>",
        )
    CfnOutput(scope, "ApiUrl", value=api.url, description="Invoke URL of the REST API (append a route).")
