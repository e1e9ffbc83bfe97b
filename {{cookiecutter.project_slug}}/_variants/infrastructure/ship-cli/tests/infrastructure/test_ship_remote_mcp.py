"""ship.toml's ``mcp_servers``: every function that runs the agent gets ``MCP_SERVERS``, and its
role may read exactly the keys the servers name (by name or ARN), only while some are named.
Deployed on the session's moto server (``ship_moto``): set, re-run, update, remove."""

import json
from dataclasses import replace

import pytest
from ship_moto import NAME, REGION, ROOT, Recorder, deploy_kit, part_functions, shared_server, write_config

from ship.cli import main
from ship.config import load
from ship.errors import ShipError
from ship.flavor import FUNCTIONS
from ship.plan import Plan, function_environment

ACCOUNT = "123456789012"  # moto's
WIKI_KEY = f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:wiki-mcp-key-AbCdEf"
SERVERS = {
    "search": {"url": "https://search.example.com/mcp", "secret_id": "search-mcp-key"},
    "docs": {"url": "https://docs.example.com/mcp", "parameter": "/docs-mcp/key", "timeout_s": 60},
    "wiki": {"url": "https://wiki.example.com/mcp", "secret_id": WIKI_KEY},
}
KEY_STATEMENTS = [
    {
        "Sid": "ReadMcpServerSecrets",
        "Effect": "Allow",
        "Action": ["secretsmanager:GetSecretValue"],
        "Resource": [f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:search-mcp-key-??????", WIKI_KEY],
    },
    {
        "Sid": "ReadMcpServerParameters",
        "Effect": "Allow",
        "Action": ["ssm:GetParameter"],
        "Resource": [f"arn:aws:ssm:{REGION}:{ACCOUNT}:parameter/docs-mcp/key"],
    },
]
SIMPLE = {"function_url_auth": "AWS_IAM", "api_key_source": "none", "sqs_worker": True}


def reach(kit) -> dict[str, tuple[str | None, list[dict]]]:
    """Per function of the kit: its MCP_SERVERS, and what its role may read of the servers' keys."""
    lam, iam, found = kit.client("lambda"), kit.client("iam"), {}
    for name in [kit.name + spec.suffix for spec in FUNCTIONS] + part_functions(kit.name):
        config = lam.get_function_configuration(FunctionName=name)
        role = config["Role"].rsplit("/", 1)[-1]
        documents = [
            iam.get_role_policy(RoleName=role, PolicyName=policy)["PolicyDocument"]
            for policy in iam.list_role_policies(RoleName=role)["PolicyNames"]
        ]
        keys = [s for d in documents for s in d["Statement"] if s.get("Sid", "").startswith("ReadMcp")]
        found[name] = (config["Environment"]["Variables"].get("MCP_SERVERS"), keys)
    return found


def test_set_then_update_then_remove_the_servers():
    name = f"{NAME[:30]}-mcp"
    kit = deploy_kit(shared_server(), name, **SIMPLE, mcp_servers=SERVERS)
    compact = json.dumps(SERVERS, separators=(",", ":"))  # in ship.toml's order
    functions = reach(kit)
    assert functions and all(found == (compact, KEY_STATEMENTS) for found in functions.values())
    assert kit.second.recorder.mutations() == []  # a re-run changes nothing
    assert "https://search.example.com" not in kit.first.out  # printed masked, like any secret

    # Headers only: the variable changes, and no role may read any key any more.
    headers_only = {"docs": {"url": "https://docs.example.com/mcp", "headers": {"x-team": "agents"}}}
    write_config(kit.folder, name=name, **SIMPLE, mcp_servers=headers_only)
    updated = kit.run("deploy")
    assert updated.code == 0, updated.err
    variable = '{"docs":{"url":"https://docs.example.com/mcp","headers":{"x-team":"agents"}}}'
    assert all(found == (variable, []) for found in reach(kit).values())
    assert updated.recorder.sent("PutRolePolicy")

    # Emptied: the variable goes too.
    write_config(kit.folder, name=name, **SIMPLE)
    removed = kit.run("deploy")
    assert removed.code == 0, removed.err
    assert all(found == (None, []) for found in reach(kit).values())
    again = kit.run("deploy")
    assert again.code == 0 and again.recorder.mutations() == []


@pytest.mark.parametrize(
    ("servers", "problem"),
    [
        ('{"search": {}}', "mcp_servers: expected a table of server name -> {url, ...}"),
        ({"search": {"url": "http://search.example.com/mcp"}}, "search: url must be https://"),
        ({"search": {"url": "https://s.example.com", "token": "t"}}, "search: unknown field 'token'"),
        ({"search": {"url": "https://s.example.com", "secret_id": "key-*"}}, "secret_id must be a secret's"),
        ({"search": {"url": "https://s.example.com", "parameter": WIKI_KEY}}, "parameter must be an SSM"),
    ],
)
def test_a_bad_value_is_one_line_before_any_aws_call(servers, problem, tmp_path, capsys):
    write_config(tmp_path, mcp_servers=servers)
    recorder = Recorder()
    assert main(["--config", str(tmp_path / "ship.toml"), "deploy"], session=recorder.session) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and problem in err, err
    assert recorder.calls == []


def test_mcp_servers_in_the_user_s_variables_is_refused_with_where_it_belongs():
    config = load(ROOT / "ship.toml")
    plan = Plan(replace(config, extra={**config.extra, "mcp_servers": SERVERS}), FUNCTIONS)
    with pytest.raises(ShipError, match=r"MCP_SERVERS is set from mcp_servers in ship\.toml") as refused:
        function_environment(plan, FUNCTIONS[0], {"MCP_SERVERS": '{"x": {"url": "https://x"}}'}, {})
    assert "https://x" not in str(refused.value)
    assert "MCP_SERVERS" not in function_environment(plan, FUNCTIONS[0], {"MCP_SERVERS": ""}, {})
