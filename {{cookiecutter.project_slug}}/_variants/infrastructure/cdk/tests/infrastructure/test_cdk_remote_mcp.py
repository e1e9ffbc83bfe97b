"""Remote MCP servers (context mcp_servers): every function that runs the agent gets MCP_SERVERS,
and may read the keys it names (by secret name, or parameter name), nothing more."""

import json

import pytest
from stack_template import deployed

from app import create_app
from infra.config import ConfigError

SERVERS = {
    "search": {"url": "https://search.example.com/mcp", "secret_id": "search-mcp-key"},
    "docs": {"url": "https://docs.example.com/mcp", "parameter": "/docs-mcp/key"},
}


def key_grants(cfn, function):
    return sorted(
        g
        for g in cfn.allowed(function)
        if g[0] in (("secretsmanager:GetSecretValue",), ("ssm:GetParameter",))
    )


def test_the_agent_functions_get_the_servers_and_read_only_their_keys():
    plain = deployed()
    cfn = deployed(mcp_servers=json.dumps(SERVERS))
    secret = cfn.arn("secretsmanager", "secret:search-mcp-key-??????")
    parameter = cfn.arn("ssm", "parameter/docs-mcp/key")
    agent_functions = [name for name in cfn.functions if "MCP_SERVERS" in cfn.environment(name)]
    assert cfn.url_function() in agent_functions
    for function in agent_functions:
        assert json.loads(cfn.environment(function)["MCP_SERVERS"]) == SERVERS
        added = set(key_grants(cfn, function)) - set(key_grants(plain, function))
        assert added == {(("secretsmanager:GetSecretValue",), secret), (("ssm:GetParameter",), parameter)}


def test_a_value_that_is_not_a_json_object_stops_the_synth():
    with pytest.raises(ConfigError, match="context mcp_servers must be a JSON object"):
        create_app(mcp_servers="{not json")
