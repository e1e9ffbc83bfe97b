"""Remote MCP servers whose tools the agent may call: ship.toml's ``mcp_servers``.

One TOML table per server, the same fields as the function's ``MCP_SERVERS`` (which ship sets
from it, as compact JSON, on every function that runs the agent)::

    [mcp_servers.search]
    url = "https://mcp.example.com/mcp"
    secret_id = "search-mcp-key"

A server's key is named by ``secret_id`` (Secrets Manager) or ``parameter`` (SSM), by name or
by ARN; the roles of those functions may read exactly the keys named, and nothing when none
is. Emptying the setting takes the variable and the statements away again. A value the
function would refuse at cold start is refused here, before any AWS call.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from {{ cookiecutter.package_name }}.kit.deployment import parse_servers

from ..errors import ShipError
from . import Table

VARIABLE = "MCP_SERVERS"
# Names and ARNs as IAM may match them: no wildcard, so a policy names exactly these keys.
SECRET_NAME = re.compile(r"[A-Za-z0-9/_+=.@-]{1,512}")
PARAMETER_NAME = re.compile(r"/?[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*")
SECRET_ARN = re.compile(r"arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+")
PARAMETER_ARN = re.compile(r"arn:aws[a-z-]*:ssm:[a-z0-9-]+:\d{12}:parameter/[A-Za-z0-9_./-]+")


def check(value: object) -> None:
    """ValueError, in one line, for a value the function would refuse or IAM could not name."""
    if not isinstance(value, Mapping):
        raise ValueError("expected a table of server name -> {url, ...}, e.g. [mcp_servers.search]")
    for server in parse_servers(as_json(value)):
        if server.secret_id and not (SECRET_ARN.fullmatch(server.secret_id) or _plain(server.secret_id)):
            raise ValueError(f"{server.name}: secret_id must be a secret's name or ARN (no wildcards)")
        if server.parameter and not (
            PARAMETER_ARN.fullmatch(server.parameter) or PARAMETER_NAME.fullmatch(server.parameter)
        ):
            raise ValueError(f"{server.name}: parameter must be an SSM parameter's name or ARN")


SETTINGS = {"mcp_servers": Table(check)}


def as_json(value: Mapping) -> str:
    """The setting as ``MCP_SERVERS`` holds it: compact JSON, in ship.toml's order."""
    return json.dumps(dict(value), separators=(",", ":"), default=str)


def _plain(name: str) -> bool:
    return not name.startswith("arn:") and bool(SECRET_NAME.fullmatch(name))


def function_names(plan: Any) -> list[str]:
    return []


def environment(plan: Any, identity: Any) -> dict[str, str]:
    servers = plan.config.extra["mcp_servers"]
    return {VARIABLE: as_json(servers)} if servers else {}


def check_user_environment(plan: Any, user: Mapping[str, str]) -> tuple[str, ...]:
    """MCP_SERVERS comes from ship.toml only: that is where ship learns which keys to allow."""
    if user.get(VARIABLE):
        raise ShipError(
            f"{VARIABLE} is set from mcp_servers in ship.toml, which also lets the functions read "
            "the servers' keys; move it there"
        )
    return (VARIABLE,)


def role_statements(plan: Any, partition: str, account: str) -> list[dict]:
    """Read the keys the servers name, each action on its own service's ARNs; none without keys."""
    servers = parse_servers(as_json(plan.config.extra["mcp_servers"]))
    where = (partition, plan.config.region, account)
    secrets = [secret_arn(s.secret_id, *where) for s in servers if s.secret_id]
    parameters = [parameter_arn(s.parameter, *where) for s in servers if s.parameter]
    statements = []
    if secrets:
        statements.append(_allow("ReadMcpServerSecrets", "secretsmanager:GetSecretValue", secrets))
    if parameters:
        statements.append(_allow("ReadMcpServerParameters", "ssm:GetParameter", parameters))
    return statements


def secret_arn(secret: str, partition: str, region: str, account: str) -> str:
    """A secret's ARN; by name, with any of the six characters Secrets Manager appends to it."""
    if secret.startswith("arn:"):
        return secret
    return f"arn:{partition}:secretsmanager:{region}:{account}:secret:{secret}-??????"


def parameter_arn(parameter: str, partition: str, region: str, account: str) -> str:
    if parameter.startswith("arn:"):
        return parameter
    return f"arn:{partition}:ssm:{region}:{account}:parameter/{parameter.lstrip('/')}"


def _allow(sid: str, action: str, resources: list[str]) -> dict:
    return {"Sid": sid, "Effect": "Allow", "Action": [action], "Resource": sorted(set(resources))}


def deploy(steps: Any, image: str | None, user_env: Mapping[str, str], managed: Mapping[str, str]) -> None:
    """Nothing to make: the variable travels with the functions, the statements with their roles."""


def destroy(gone: Any) -> None:
    """Nothing to remove."""
