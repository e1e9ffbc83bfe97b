"""The runs function runs the agent too: with the mcp_servers context it gets MCP_SERVERS and may
read the keys the servers name, as the URL function does."""

import json

from stack_template import deployed
from test_cdk_remote_mcp import SERVERS, key_grants


def test_the_runs_function_gets_the_servers_and_their_keys():
    cfn = deployed(mcp_servers=json.dumps(SERVERS))
    [runs] = [name for name in cfn.functions if name.startswith("RunsFunction")]
    assert json.loads(cfn.environment(runs)["MCP_SERVERS"]) == SERVERS
    secret = cfn.arn("secretsmanager", "secret:search-mcp-key-??????")
    parameter = cfn.arn("ssm", "parameter/docs-mcp/key")
    keys = {(("secretsmanager:GetSecretValue",), secret), (("ssm:GetParameter",), parameter)}
    assert keys <= set(key_grants(cfn, runs))
    assert keys <= set(key_grants(cfn, cfn.url_function()))
