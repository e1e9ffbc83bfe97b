"""Remote MCP servers whose tools the agent may call: the ``mcp_servers`` context.

The context is the function's ``MCP_SERVERS`` (a JSON object, or its text with ``-c``): each
server's ``url`` and its key's ``secret_id`` (Secrets Manager) or ``parameter`` (SSM), by name
or ARN. Every function that runs the agent gets the variable and may read exactly those
secrets and parameters, nothing else. The function checks the rest of the value at cold start.
"""

from __future__ import annotations

import json

from aws_cdk import ArnFormat, Stack
from aws_cdk import aws_iam as iam

from ..context import ConfigError
from ..functions import FunctionFactory, Functions


def add(factory: FunctionFactory, functions: Functions, model_access: list[iam.PolicyStatement]) -> None:
    stack = Stack.of(factory.scope)
    servers = read(stack.node.try_get_context("mcp_servers"))
    if not servers:
        return
    secrets = [secret_arn(stack, s["secret_id"]) for s in servers.values() if s.get("secret_id")]
    parameters = [parameter_arn(stack, s["parameter"]) for s in servers.values() if s.get("parameter")]
    statements = []
    if secrets:
        statements.append(iam.PolicyStatement(actions=["secretsmanager:GetSecretValue"], resources=secrets))
    if parameters:
        statements.append(iam.PolicyStatement(actions=["ssm:GetParameter"], resources=parameters))
    value = json.dumps(servers, separators=(",", ":"))
    for function in dict.fromkeys((functions.http, functions.worker)):
        function.add_environment("MCP_SERVERS", value)
        for statement in statements:
            function.add_to_role_policy(statement)
    # Functions the later parts make may run the agent too: they get the variable with the
    # shared environment, and the statements with the model's.
    factory.environment["MCP_SERVERS"] = value
    model_access.extend(statements)


def read(value: object) -> dict:
    """The servers the context names ({} for none); a value that is not a JSON object stops the synth."""
    if value in (None, ""):
        return {}
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            raise ConfigError("context mcp_servers must be a JSON object of name -> {url, ...}") from None
    if not isinstance(value, dict) or not all(isinstance(s, dict) and "url" in s for s in value.values()):
        raise ConfigError("context mcp_servers must be an object of name -> {url, ...}")
    return value


def secret_arn(stack: Stack, secret: str) -> str:
    """A secret's ARN; by name, any of the six characters Secrets Manager appends."""
    if secret.startswith("arn:"):
        return secret
    return stack.format_arn(
        service="secretsmanager",
        resource="secret",
        resource_name=f"{secret}-??????",
        arn_format=ArnFormat.COLON_RESOURCE_NAME,
    )


def parameter_arn(stack: Stack, parameter: str) -> str:
    if parameter.startswith("arn:"):
        return parameter
    return stack.format_arn(service="ssm", resource="parameter", resource_name=parameter.lstrip("/"))
