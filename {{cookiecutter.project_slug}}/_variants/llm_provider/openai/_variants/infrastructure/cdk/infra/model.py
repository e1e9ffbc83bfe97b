"""The model the agent calls: an OpenAI-compatible endpoint, with its key in a secret every
function may read and nothing else may."""

from __future__ import annotations

import re
from collections.abc import Mapping

from aws_cdk import CfnOutput, SecretValue, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_secretsmanager as secretsmanager

from .checks import acknowledge
from .context import ConfigError, Context

PROVIDER = "openai"
MODEL = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:/-]{0,199}")


def read(context: Context) -> dict[str, str]:
    model = context.text("agent_model")
    if not MODEL.fullmatch(model):
        raise ConfigError(f"context agent_model {model!r} is not a model ID such as gpt-4o-mini")
    return {"agent_model": model, "openai_base_url": context.url("openai_base_url")}


def access(
    stack: Stack, settings: Mapping[str, str], environment: dict[str, str]
) -> list[iam.PolicyStatement]:
    """Set the model's variables; return the statement that lets a function read its key."""
    # The stack creates the secret with a placeholder, which the provider refuses with a
    # clear error until the real key is stored; later deploys leave the stored value.
    secret = secretsmanager.Secret(
        stack,
        "ProviderKeySecret",
        description=f"OpenAI-compatible API key for {stack.stack_name}; set it with put-secret-value.",
        secret_string_value=SecretValue.unsafe_plain_text("replace-me"),
    )
    acknowledge(
        secret,
        "AwsSolutions-SMG4",
        "The provider's key is issued by the provider and stored by hand (put-secret-value); "
        "Secrets Manager cannot rotate it.",
    )
    environment["AGENT_MODEL"] = settings["agent_model"]
    environment["OPENAI_BASE_URL"] = settings["openai_base_url"]
    environment["OPENAI_API_KEY_SECRET_ID"] = secret.secret_arn
    CfnOutput(
        stack,
        "ProviderKeySecretArn",
        value=secret.secret_arn,
        description="Store the provider key: aws secretsmanager put-secret-value --secret-id <this> "
        "--secret-string sk-...",
    )
    # Written out: secret.grant_read would also allow DescribeSecret.
    return [iam.PolicyStatement(actions=["secretsmanager:GetSecretValue"], resources=[secret.secret_arn])]
