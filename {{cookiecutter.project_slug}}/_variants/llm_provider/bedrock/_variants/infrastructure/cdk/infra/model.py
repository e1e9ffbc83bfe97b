"""The model the agent calls: one Bedrock foundation model, which every function may invoke
and no other."""

from __future__ import annotations

import re
from collections.abc import Mapping

from aws_cdk import ArnFormat, Stack
from aws_cdk import aws_iam as iam

from .context import ConfigError, Context

PROVIDER = "bedrock"
# The ID ends the ARN the functions may invoke, so it may not hold a wildcard.
MODEL = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:/-]{0,199}")


def read(context: Context) -> dict[str, str]:
    model = context.text("agent_model")
    if not MODEL.fullmatch(model):
        raise ConfigError(
            f"context agent_model {model!r} is not a model ID such as anthropic.claude-3-haiku-20240307-v1:0"
        )
    return {"agent_model": model}


def access(
    stack: Stack, settings: Mapping[str, str], environment: dict[str, str]
) -> list[iam.PolicyStatement]:
    """Set the model's variables; return the statement that lets a function call it."""
    environment["AGENT_MODEL"] = settings["agent_model"]
    model_arn = stack.format_arn(
        service="bedrock",
        account="",
        resource="foundation-model",
        resource_name=settings["agent_model"],
        arn_format=ArnFormat.SLASH_RESOURCE_NAME,
    )
    # ConverseStream is authorized as InvokeModelWithResponseStream, on this model only.
    return [iam.PolicyStatement(actions=["bedrock:InvokeModelWithResponseStream"], resources=[model_arn])]
