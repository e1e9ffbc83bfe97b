"""The CDK stack, synthesized offline once per session, checked the way CloudFormation would see it."""

import json
from pathlib import Path

import pytest
from aws_cdk import aws_sqs as sqs
from aws_cdk.assertions import Match
from cfnlint.api import ManualArgs, lint

{% if cookiecutter.durable_runs == "yes" %}
from {{ cookiecutter.package_name }}.runs.config import VARIABLES as RUN_VARIABLES
{% endif %}
from {{ cookiecutter.package_name }}.settings import VARIABLES

from app import create_app
from cdk_synth import synthesized
from infra.config import ConfigError, StackConfig
{% if cookiecutter.durable_runs == "yes" %}

VARIABLES = [*VARIABLES, *RUN_VARIABLES]  # the runs read their own settings (runs/config.py)
{% endif %}

REGION = "{{ cookiecutter.aws_region }}"
TIMEOUT_S = {{ cookiecutter.timeout_s }}
ROOT = Path(__file__).resolve().parents[1]
CONTEXT = json.loads((ROOT / "cdk.json").read_text())["context"]


@pytest.fixture(scope="session")
def template():
    return synthesized()[0]


@pytest.fixture(scope="session")
def cfn(template):
    return template.to_json()


def of_type(cfn, kind):
    return {name: r["Properties"] for name, r in cfn["Resources"].items() if r["Type"] == kind}


def statements(cfn):
    """Every statement of every policy document in the template."""
    for resource in cfn["Resources"].values():
        properties = resource.get("Properties", {})
        documents = [properties.get("PolicyDocument")]
        documents += [policy["PolicyDocument"] for policy in properties.get("Policies", [])]
        for document in filter(None, documents):
            yield from document["Statement"]


def url_function(cfn):
    """The logical ID of the function behind the Function URL."""
    [url] = of_type(cfn, "AWS::Lambda::Url").values()
    return url["TargetFunctionArn"]["Fn::GetAtt"][0]


def environment_of(cfn, function):
    return cfn["Resources"][function]["Properties"]["Environment"]["Variables"]


def statements_by_function(cfn):
    """Each function's logical ID and the Allow statements of its role's policies."""
    found = {}
    for name, function in of_type(cfn, "AWS::Lambda::Function").items():
        role = function["Role"]["Fn::GetAtt"][0]
        found[name] = [
            statement
            for policy in of_type(cfn, "AWS::IAM::Policy").values()
            if {"Ref": role} in policy["Roles"]
            for statement in policy["PolicyDocument"]["Statement"]
            if statement["Effect"] == "Allow"
        ]
    return found


def resolved(value):
    """An ARN built with Fn::Join, with the partition left as <partition>."""
    if isinstance(value, dict) and "Fn::Join" in value:
        separator, parts = value["Fn::Join"]
        return separator.join(resolved(part) for part in parts)
    if value == {"Ref": "AWS::Partition"}:
        return "<partition>"
    return value


def actions_of(statement):
    actions = statement.get("Action", [])
    return actions if isinstance(actions, list) else [actions]


def test_template_passes_cfn_lint(cfn):
    # Unicode as is: cfn-lint's parser rejects the surrogate-pair escapes json.dumps writes for emoji.
    matches = lint(json.dumps(cfn, ensure_ascii=False), config=ManualArgs(regions=[REGION]))
    assert [str(m) for m in matches if m.rule.id.startswith("E")] == []


def test_an_unacknowledged_cdk_nag_finding_stops_the_synth(tmp_path):
    """The app's synth passed cdk-nag; the same app with one more finding does not."""
    app, stack = create_app(outdir=str(tmp_path))
    sqs.Queue(stack, "QueueWithoutDeadLettersOrTls")
    with pytest.raises(RuntimeError, match="ValidationFailed"):
        app.synth()


def test_functions_are_images_with_the_chosen_size(cfn):
    functions = of_type(cfn, "AWS::Lambda::Function")
    assert functions
    for function in functions.values():
        assert function["PackageType"] == "Image"
        assert function["Architectures"] == ["{{ cookiecutter.architecture }}"]
        assert function["MemorySize"] == {{ cookiecutter.memory_mb }}
        assert function["Timeout"] == TIMEOUT_S


def test_functions_set_only_variables_the_code_reads(cfn):
    for function in of_type(cfn, "AWS::Lambda::Function").values():
        variables = function["Environment"]["Variables"]
        assert variables["SERVICE_NAME"].startswith("{{ cookiecutter.project_slug }}")
        assert variables["LLM_PROVIDER"] == "{{ cookiecutter.llm_provider }}"
        unknown = [name for name in variables if name not in VARIABLES and not name.startswith("AWS_")]
        assert unknown == []


def test_the_url_function_checks_the_key_and_may_queue(cfn):
    variables = environment_of(cfn, url_function(cfn))
    assert variables["SERVICE_NAME"] == "{{ cookiecutter.project_slug }}"
    assert variables["API_KEY_SOURCE"] == "{{ cookiecutter.api_key_source }}"
    assert ("SQS_QUEUE_URL" in variables) is {{ "True" if cookiecutter.sqs_worker else "False" }}


def test_function_url_auth_type(cfn):
    [url] = of_type(cfn, "AWS::Lambda::Url").values()
    assert url["AuthType"] == "{{ cookiecutter.function_url_auth }}"
    assert "Cors" not in url, "no CORS unless the author opts in"


def test_allowed_origins_set_the_function_url_cors(tmp_path):
    import aws_cdk as cdk

    from infra.stack import AgentStack

    config = StackConfig.from_context({**CONTEXT, "allowed_origins": "https://app.example.com"}.get)
    app = cdk.App(outdir=str(tmp_path))
    stack = AgentStack(app, "CorsCheck", config=config, env=cdk.Environment(region=config.region))
    cfn = app.synth().get_stack_artifact(stack.artifact_id).template
    [url] = of_type(cfn, "AWS::Lambda::Url").values()
    assert url["Cors"]["AllowOrigins"] == ["https://app.example.com"]
    assert set(url["Cors"]["AllowMethods"]) == {"GET", "POST"}
    assert {"content-type", "authorization", "x-api-key"} <= set(url["Cors"]["AllowHeaders"])
    # The same value reaches the function, which answers CORS only where no Function URL does.
    assert environment_of(cfn, url_function(cfn))["ALLOWED_ORIGINS"] == "https://app.example.com"


def test_an_allowed_origin_must_be_an_origin():
    with pytest.raises(ConfigError, match="context allowed_origins"):
        StackConfig.from_context({**CONTEXT, "allowed_origins": "app.example.com/"}.get)


def test_no_allow_statement_has_a_wildcard_action(cfn):
    found = list(statements(cfn))
    assert found
    for statement in found:
        if statement["Effect"] == "Allow":
            assert not [action for action in actions_of(statement) if "*" in action], statement


def test_each_function_logs_to_its_own_group_with_retention(cfn):
    groups = of_type(cfn, "AWS::Logs::LogGroup")
    function_groups = {n: g for n, g in groups.items() if not n.startswith("ApiAccessLogs")}
    assert {group["RetentionInDays"] for group in groups.values()} == {CONTEXT["log_retention_days"]}
    used = [f["LoggingConfig"]["LogGroup"]["Ref"] for f in of_type(cfn, "AWS::Lambda::Function").values()]
    assert sorted(used) == sorted(function_groups)
    roles = of_type(cfn, "AWS::IAM::Role")
    assert not [role for role in roles.values() if role.get("ManagedPolicyArns")], "no managed policies"


def test_outputs_name_the_url(template):
    template.has_output("FunctionUrl", {"Value": {"Fn::GetAtt": [Match.any_value(), "FunctionUrl"]}})


def test_bad_context_values_stop_the_synth_with_one_line():
    bad = [("memory_mb", "lots"), ("timeout_s", "901"), ("sqs_worker", "yes"), ("region", "mars")]
    bad += [("llm_provider", "gemini"), ("lexia_integration", "maybe")]
    for key, value in bad:
        with pytest.raises(ConfigError, match=f"context {key}") as error:
            StackConfig.from_context({**CONTEXT, key: value}.get)
        assert "\n" not in str(error.value)


def test_bad_model_settings_stop_the_synth_with_one_line():
    bad = [
        ({"llm_provider": "bedrock", "agent_model": ""}, "agent_model"),
        ({"llm_provider": "bedrock", "agent_model": "model/*"}, "agent_model"),
        (
            {"llm_provider": "openai", "agent_model": "gpt-4o", "openai_base_url": "api.example"},
            "openai_base_url",
        ),
        ({"lexia_integration": True, "stream_url": "centrifugo:8000"}, "stream_url"),
    ]
    for override, key in bad:
        with pytest.raises(ConfigError, match=f"context {key}") as error:
            StackConfig.from_context({**CONTEXT, **override}.get)
        assert "\n" not in str(error.value)


def test_a_public_url_without_a_key_is_refused():
    context = {**CONTEXT, "function_url_auth": "NONE", "api_key_source": "none"}
    with pytest.raises(ConfigError, match="anyone can call"):
        StackConfig.from_context(context.get)


def test_the_staged_image_holds_only_what_the_dockerfile_copies():
    _, outdir = synthesized()
    [staged] = [p for p in outdir.iterdir() if p.name.startswith("asset.") and p.is_dir()]
    names = {p.name for p in staged.iterdir()}
    assert {"Dockerfile", "requirements-lambda.txt", "src"} <= names
    assert not names & {"tests", ".venv", "cdk.out", ".env"}
{% if cookiecutter.sqs_worker %}


def test_queue_mapping_reports_partial_batch_failures(cfn):
    [mapping] = of_type(cfn, "AWS::Lambda::EventSourceMapping").values()
    assert mapping["FunctionResponseTypes"] == ["ReportBatchItemFailures"]


def test_queue_redrives_to_a_dlq_and_outlasts_six_timeouts(cfn):
    queues = of_type(cfn, "AWS::SQS::Queue")
    [queue] = [q for q in queues.values() if "RedrivePolicy" in q]
    assert queue["VisibilityTimeout"] >= 6 * TIMEOUT_S
    assert queue["RedrivePolicy"]["maxReceiveCount"] == 5
    [dead_letters] = [name for name, q in queues.items() if "RedrivePolicy" not in q]
    assert queue["RedrivePolicy"]["deadLetterTargetArn"] == {"Fn::GetAtt": [dead_letters, "Arn"]}
    assert all(q["SqsManagedSseEnabled"] for q in queues.values())


def test_only_sqs_send_message_is_granted_for_queueing(cfn):
    sends = [s for s in statements(cfn) if "sqs:SendMessage" in actions_of(s)]
    assert [actions_of(s) for s in sends] == [["sqs:SendMessage"]]


def test_outputs_name_the_queue(template):
    template.has_output("QueueUrl", {"Value": {"Ref": Match.any_value()}})
{% else %}


def test_no_queue_without_the_worker(cfn):
    assert of_type(cfn, "AWS::SQS::Queue") == {}
    assert of_type(cfn, "AWS::Lambda::EventSourceMapping") == {}
{% endif %}
{% if cookiecutter.schedule_expression %}


def test_schedule_rule_targets_a_function(cfn):
    [rule] = of_type(cfn, "AWS::Events::Rule").values()
    assert rule["ScheduleExpression"] == {{ cookiecutter.schedule_expression | tojson }}
    [target] = rule["Targets"]
    assert target["Arn"]["Fn::GetAtt"][0] in of_type(cfn, "AWS::Lambda::Function")
{% endif %}
{% if cookiecutter.api_key_source == "secretsmanager" %}


def test_the_generated_secret_is_readable_by_the_url_function_only(cfn):
    secrets = of_type(cfn, "AWS::SecretsManager::Secret")
    [name] = [name for name, secret in secrets.items() if "GenerateSecretString" in secret]
    assert secrets[name]["GenerateSecretString"]["PasswordLength"] == 40
    for function, allowed in statements_by_function(cfn).items():
        reads = [actions_of(s) for s in allowed if s["Resource"] == {"Ref": name}]
        expected = [["secretsmanager:GetSecretValue"]] if function == url_function(cfn) else []
        assert reads == expected, function
    assert environment_of(cfn, url_function(cfn))["API_KEY_SECRET_ID"] == {"Ref": name}
{% elif cookiecutter.api_key_source == "ssm" %}


def test_only_the_key_parameter_is_readable(cfn):
    reads = [s for s in statements(cfn) if any(a.startswith("ssm:") for a in actions_of(s))]
    assert [actions_of(s) for s in reads] == [["ssm:GetParameter"]]
    [read] = reads
    assert "parameter/{{ cookiecutter.project_slug }}/api-key" in json.dumps(read["Resource"])
    assert environment_of(cfn, url_function(cfn))["API_KEY_PARAMETER"] == "/{{ cookiecutter.project_slug }}/api-key"
{% endif %}
{% if cookiecutter.function_url_auth == "NONE" %}


def test_public_url_gets_both_permission_statements(cfn):
    actions = {p["Action"] for p in of_type(cfn, "AWS::Lambda::Permission").values()}
    assert {"lambda:InvokeFunctionUrl", "lambda:InvokeFunction"} <= actions
{% endif %}
{% if cookiecutter.llm_provider == "echo" %}


def test_echo_needs_no_model_settings_or_grants(cfn):
    for function in of_type(cfn, "AWS::Lambda::Function").values():
        variables = function["Environment"]["Variables"]
        assert not {"AGENT_MODEL", "OPENAI_API_KEY_SECRET_ID", "OPENAI_BASE_URL"} & set(variables)
    assert not [s for s in statements(cfn) if any(a.startswith("bedrock:") for a in actions_of(s))]
{% elif cookiecutter.llm_provider == "bedrock" %}


def test_every_function_may_invoke_the_chosen_bedrock_model_only(cfn):
    model = CONTEXT["agent_model"]
    assert model == "anthropic.claude-3-haiku-20240307-v1:0", "the SAM template's AgentModel default"
    for function, allowed in statements_by_function(cfn).items():
        assert environment_of(cfn, function)["AGENT_MODEL"] == model
        invokes = [s for s in allowed if any(a.startswith("bedrock:") for a in actions_of(s))]
        assert [actions_of(s) for s in invokes] == [["bedrock:InvokeModelWithResponseStream"]], function
        arn = f"arn:<partition>:bedrock:{REGION}::foundation-model/{model}"
        assert resolved(invokes[0]["Resource"]) == arn
    bedrock = [s for s in statements(cfn) if any(a.startswith("bedrock:") for a in actions_of(s))]
    assert len(bedrock) == len(of_type(cfn, "AWS::Lambda::Function"))
{% elif cookiecutter.llm_provider == "openai" %}


def test_every_function_reads_the_provider_key_secret_only(cfn):
    secrets = of_type(cfn, "AWS::SecretsManager::Secret")
    [name] = [name for name, secret in secrets.items() if "GenerateSecretString" not in secret]
    assert secrets[name]["SecretString"] == "replace-me", "the provider refuses this placeholder"
    assert CONTEXT["agent_model"] == "gpt-4o-mini", "the SAM template's AgentModel default"
    for function, allowed in statements_by_function(cfn).items():
        variables = environment_of(cfn, function)
        assert variables["AGENT_MODEL"] == CONTEXT["agent_model"]
        assert variables["OPENAI_BASE_URL"] == CONTEXT["openai_base_url"]
        assert variables["OPENAI_API_KEY_SECRET_ID"] == {"Ref": name}
        reads = [actions_of(s) for s in allowed if s["Resource"] == {"Ref": name}]
        assert reads == [["secretsmanager:GetSecretValue"]], function
    grants = [s for s in statements(cfn) if s["Resource"] == {"Ref": name}]
    assert len(grants) == len(of_type(cfn, "AWS::Lambda::Function")), "no other statement names the secret"


def test_outputs_name_the_provider_key_secret(template):
    secret = Match.string_like_regexp("^ProviderKeySecret")
    template.has_output("ProviderKeySecretArn", {"Value": {"Ref": secret}})
{% endif %}
{% if cookiecutter.lexia_integration %}


def test_every_function_knows_the_lexia_stream_url(cfn):
    for function in of_type(cfn, "AWS::Lambda::Function").values():
        assert function["Environment"]["Variables"]["STREAM_URL"] == CONTEXT["stream_url"]
{% endif %}
