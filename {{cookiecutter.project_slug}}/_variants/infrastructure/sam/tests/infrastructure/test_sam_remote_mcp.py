"""Remote MCP servers (McpServers): every function that runs the agent gets MCP_SERVERS, and
reads the servers' keys named in McpKeyArns, only those, only when some are named."""

import json

from stack_template import deployed

SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:search-mcp-key-AbCdEf"
PARAMETER = "arn:aws:ssm:us-east-1:123456789012:parameter/docs-mcp/key"
SERVERS = json.dumps(
    {
        "search": {"url": "https://search.example.com/mcp", "secret_id": SECRET},
        "docs": {"url": "https://docs.example.com/mcp", "parameter": PARAMETER},
    }
)


def key_policies(cfn) -> list[dict]:
    return [p for p in cfn.of_type("AWS::IAM::Policy").values() if p["PolicyName"] == "remote-mcp-keys"]


def test_without_remote_servers_no_function_may_read_their_keys():
    cfn = deployed()
    [policy] = [
        r
        for r in cfn.template["Resources"].values()
        if r["Type"] == "AWS::IAM::Policy" and r["Properties"]["PolicyName"] == "remote-mcp-keys"
    ]
    assert policy["Condition"] == "HasMcpKeys"
    no_keys = {"Fn::Equals": [{"Ref": "McpKeyArns"}, ""]}
    assert cfn.template["Conditions"]["HasMcpKeys"] == {"Fn::Not": [no_keys]}
    assert all(cfn.environment(name)["MCP_SERVERS"] == "" for name in cfn.functions)


def test_the_named_keys_and_only_they_are_readable_by_the_agent_functions():
    cfn = deployed(McpServers=SERVERS, McpKeyArns=f"{SECRET},{PARAMETER}")
    [policy] = key_policies(cfn)
    [statement] = policy["PolicyDocument"]["Statement"]
    assert statement["Action"] == ["secretsmanager:GetSecretValue", "ssm:GetParameter"]
    assert statement["Resource"] == {"Fn::Split": [",", {"Ref": "McpKeyArns"}]}
    roles = {role["Ref"] for role in policy["Roles"]}
    for name, function in cfn.functions.items():
        if function["Role"].get("Fn::GetAtt", [""])[0] in roles:
            assert cfn.environment(name)["MCP_SERVERS"] == SERVERS
    assert "AgentFunctionRole" in roles
    if "RunsRole" in cfn.template["Resources"]:  # its functions run the agent too
        assert "RunsRole" in roles
