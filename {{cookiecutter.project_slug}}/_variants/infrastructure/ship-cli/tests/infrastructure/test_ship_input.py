"""ship's input checks: env files, --env flags, ship.toml, the flavor file. No AWS needed."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from {{ cookiecutter.package_name }}.kit.settings import DEFAULT_MODELS

from ship import config as ship_config
from ship import provider
from ship.envfile import (
    parse_env_flags,
    parse_env_text,
    read_env_file,
)
from ship.errors import ShipError
from ship.flavor import FUNCTIONS
from ship.plan import (
    FunctionSpec,
    Plan,
    check_flavor,
    check_provider,
    function_environment,
    managed_environment,
    masked,
    role_policy,
)

ROOT = Path(__file__).resolve().parents[2]


def kit_config(**changes) -> ship_config.Config:
    return replace(ship_config.load(ROOT / "ship.toml"), **changes)


def test_env_file_reads_comments_export_quotes_and_equals_in_values():
    text = "# model settings\n\nexport MODEL=gpt\nURL=https://x.example/?a=b\nQUOTED='two words'\nEMPTY=\n"
    assert parse_env_text(text, ".env.lambda") == {
        "MODEL": "gpt",
        "URL": "https://x.example/?a=b",
        "QUOTED": "two words",
        "EMPTY": "",
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("GOOD=1\nMODEL_TOKEN sk-secret-value\n", ".env.lambda line 2: expected KEY=VALUE"),
        ("=value\n", ".env.lambda line 1: expected KEY=VALUE"),
        ("A=1\n\n9LIVES=1\n", ".env.lambda line 3: '9LIVES' is not a valid variable name"),
        ("AWS_REGION=eu-west-1\n", ".env.lambda line 1: AWS_REGION is reserved by Lambda"),
        ("A=1\nB=2\nA=3\n", ".env.lambda line 3: A is already set on line 1"),
    ],
)
def test_env_file_errors_name_the_line_and_never_echo_the_value(text, expected):
    with pytest.raises(ShipError) as raised:
        parse_env_text(text, ".env.lambda")
    assert str(raised.value).startswith(expected)
    assert "sk-secret-value" not in str(raised.value)
    assert "\n" not in str(raised.value)


def test_missing_env_file_is_one_line(tmp_path):
    with pytest.raises(ShipError, match=r"env file .* not found"):
        read_env_file(tmp_path / ".env.lambda")


def test_env_flags_later_wins_and_bad_flag_is_named():
    assert parse_env_flags(["A=1", "B=x=y", "A=2"]) == {"A": "2", "B": "x=y"}
    with pytest.raises(ShipError, match="--env 'NOVALUE': expected KEY=VALUE"):
        parse_env_flags(["NOVALUE"])


def test_ship_toml_of_the_kit_is_valid_and_errors_name_the_setting(tmp_path):
    assert ship_config.load(ROOT / "ship.toml").name == "{{ cookiecutter.project_slug }}"
    cases = {
        'name = "x"\nregion = "us-east-1"\nmemory_mb = 64\n': "memory_mb must be a whole number from 128",
        'name = "x"\nregion = "us-east-1"\ncolour = "red"\n': "unknown setting 'colour'",
        'name = "x"\nregion = "nowhere"\n': "region 'nowhere' is not an AWS region",
        'name = "x"\nregion = "us-east-1"\nfunction_url_auth = "NONE"\n': "needs an api_key_source",
        'name = "x"\nregion = "us-east-1"\ncors_allow_origins = ["example.com"]\n': "must look like https://",
        'name = "x"\nregion = "us-east-1"\nsqs_worker = "yes"\n': "sqs_worker must be true or false",
        'name = "x"\n': "region is required",
        'name = "x"\nregion = "us-east-1"\nllm_provider = "gemini"\n': "llm_provider must be one of",
        'name = "x"\nregion = "us-east-1"\nagent_model = "model.*"\n': "agent_model 'model.*'",
        "name = \n": "not valid TOML",
    }
    for text, expected in cases.items():
        path = tmp_path / "ship.toml"
        path.write_text(text)
        with pytest.raises(ShipError, match=expected):
            ship_config.load(path)
    with pytest.raises(ShipError, match="not found"):
        ship_config.load(tmp_path / "missing.toml")


def test_command_line_overrides_are_checked():
    assert kit_config().with_overrides(memory_mb=2048, timeout_s=300).memory_mb == 2048
    with pytest.raises(ShipError, match="timeout_s must be a whole number from 1 to 900"):
        kit_config().with_overrides(timeout_s=901)


def test_the_flavor_file_describes_a_deployable_set_of_functions():
    check_flavor(FUNCTIONS)
    with pytest.raises(ShipError, match="exactly one function must take the queue"):
        check_flavor((FunctionSpec(url_invoke_mode="BUFFERED", schedule=True),))
    with pytest.raises(ShipError, match="url_invoke_mode"):
        check_flavor((FunctionSpec(url_invoke_mode="STREAM", queue=True, schedule=True),))


def test_environment_layers_and_refusals():
    plan = Plan(kit_config(api_key_source="ssm", api_key_parameter="/p/key"), FUNCTIONS)
    spec = FUNCTIONS[0]
    managed = managed_environment(plan, "https://sqs.example/queue", "")
    env = function_environment(plan, spec, {"LOG_LEVEL": "DEBUG", "SQS_QUEUE_URL": ""}, managed)
    assert env["LOG_LEVEL"] == "DEBUG"
    assert env["SERVICE_NAME"] == plan.name
    assert env["SQS_QUEUE_URL"] == "https://sqs.example/queue"
    assert env["API_KEY_PARAMETER"] == "/p/key"
    with pytest.raises(ShipError, match="SQS_QUEUE_URL is set by ship deploy"):
        function_environment(plan, spec, {"SQS_QUEUE_URL": "https://elsewhere"}, managed)
    with pytest.raises(ShipError, match="API_KEY would store the key in plain function configuration"):
        function_environment(plan, spec, {"API_KEY": "k" * 40}, managed)
    with pytest.raises(ShipError, match="Lambda allows 4096"):
        function_environment(plan, spec, {"BIG": "x" * 5000}, managed)


def test_printed_environment_masks_secrets():
    shown = masked({"MODEL_TOKEN": "sk-1234567890abcdef", "API_KEY_SOURCE": "ssm", "MODEL": "gpt"})
    assert shown == {"API_KEY_SOURCE": "ssm", "MODEL": "gpt", "MODEL_TOKEN": "sk****ef"}


@pytest.mark.parametrize("source", ["none", "secretsmanager", "ssm"])
def test_role_policy_names_every_action(source):
    plan = Plan(kit_config(api_key_source=source, function_url_auth="AWS_IAM"), FUNCTIONS)
    queue = "arn:aws:sqs:us-east-1:123456789012:q"
    secret = "arn:aws:secretsmanager:us-east-1:123456789012:secret:s"
    document = role_policy(plan, "aws", "123456789012", queue, secret, secret + "-provider")
    for statement in document["Statement"]:
        actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        assert all("*" not in action for action in actions), statement
        resources = (
            statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
        )
        assert all(resource.startswith("arn:aws:") and resource != "*" for resource in resources)


def test_the_model_settings_of_the_kit_match_the_function_defaults():
    config = kit_config()
    assert config.llm_provider == "{{ cookiecutter.llm_provider }}"
    if config.llm_provider != "echo":
        assert config.agent_model == DEFAULT_MODELS[config.llm_provider]
    check_provider(config)


def test_a_provider_the_kit_does_not_hold_is_refused():
    with pytest.raises(ShipError, match="llm_provider 'elsewhere': this kit's agent has modules for"):
        check_provider(kit_config(llm_provider="elsewhere"))


def test_model_variables_come_from_ship_toml_only():
    plan = Plan(kit_config(), FUNCTIONS)
    managed = managed_environment(plan, "", "", "arn:provider-secret")
    env = function_environment(plan, FUNCTIONS[0], {}, managed)
    assert env["LLM_PROVIDER"] == plan.config.llm_provider
    with pytest.raises(ShipError, match=r"LLM_PROVIDER is set by ship deploy .*; set llm_provider in ship"):
        function_environment(plan, FUNCTIONS[0], {"LLM_PROVIDER": "nothing-else"}, managed)


def test_ship_sets_only_the_variables_of_the_kit_s_settings():
    plan = Plan(kit_config(), FUNCTIONS)
    env = managed_environment(plan, "", "", "")
    wanted = {"API_KEY_SOURCE", "LLM_PROVIDER", *provider.environment(plan, "")}
    if plan.config.llm_provider != "echo":
        wanted.add("AGENT_MODEL")
    if plan.config.api_key_source == "secretsmanager":
        wanted.add("API_KEY_SECRET_ID")
    elif plan.config.api_key_source == "ssm":
        wanted.add("API_KEY_PARAMETER")
    assert set(env) == wanted
