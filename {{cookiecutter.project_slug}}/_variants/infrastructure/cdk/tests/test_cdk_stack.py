"""The CDK stack, synthesized offline once per session, checked the way CloudFormation would see it."""

import json
from pathlib import Path

import pytest
from aws_cdk import aws_sqs as sqs
from aws_cdk.assertions import Match
from cfnlint.api import ManualArgs, lint

from app import create_app
from infra.config import ConfigError, StackConfig
from {{ cookiecutter.package_name }}.settings import VARIABLES

from cdk_synth import synthesized

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


def actions_of(statement):
    actions = statement.get("Action", [])
    return actions if isinstance(actions, list) else [actions]


def test_template_passes_cfn_lint(cfn):
    matches = lint(json.dumps(cfn), config=ManualArgs(regions=[REGION]))
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
        assert variables["API_KEY_SOURCE"] == "{{ cookiecutter.api_key_source }}"
        assert variables["SERVICE_NAME"] == "{{ cookiecutter.project_slug }}"
        unknown = [name for name in variables if name not in VARIABLES and not name.startswith("AWS_")]
        assert unknown == []


def test_function_url_auth_type(cfn):
    [url] = of_type(cfn, "AWS::Lambda::Url").values()
    assert url["AuthType"] == "{{ cookiecutter.function_url_auth }}"
    assert "Cors" not in url, "no CORS unless the author opts in"


def test_no_allow_statement_has_a_wildcard_action(cfn):
    found = list(statements(cfn))
    assert found
    for statement in found:
        if statement["Effect"] == "Allow":
            assert not [action for action in actions_of(statement) if "*" in action], statement


def test_each_function_logs_to_its_own_group_with_retention(cfn):
    groups = of_type(cfn, "AWS::Logs::LogGroup")
    assert {group["RetentionInDays"] for group in groups.values()} == {CONTEXT["log_retention_days"]}
    used = [f["LoggingConfig"]["LogGroup"]["Ref"] for f in of_type(cfn, "AWS::Lambda::Function").values()]
    assert sorted(used) == sorted(groups)
    roles = of_type(cfn, "AWS::IAM::Role")
    assert not [role for role in roles.values() if role.get("ManagedPolicyArns")], "no managed policies"


def test_outputs_name_the_url(template):
    template.has_output("FunctionUrl", {"Value": {"Fn::GetAtt": [Match.any_value(), "FunctionUrl"]}})


def test_bad_context_values_stop_the_synth_with_one_line():
    bad = [("memory_mb", "lots"), ("timeout_s", "901"), ("sqs_worker", "yes"), ("region", "mars")]
    for key, value in bad:
        with pytest.raises(ConfigError, match=f"context {key}") as error:
            StackConfig.from_context({**CONTEXT, key: value}.get)
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


def test_the_generated_secret_is_the_only_one_readable(cfn):
    [(name, secret)] = of_type(cfn, "AWS::SecretsManager::Secret").items()
    assert secret["GenerateSecretString"]["PasswordLength"] == 40
    reads = [s for s in statements(cfn) if any(a.startswith("secretsmanager:") for a in actions_of(s))]
    assert [actions_of(s) for s in reads] == [["secretsmanager:GetSecretValue"]]
    assert [s["Resource"] for s in reads] == [{"Ref": name}]
{% elif cookiecutter.api_key_source == "ssm" %}


def test_only_the_key_parameter_is_readable(cfn):
    reads = [s for s in statements(cfn) if any(a.startswith("ssm:") for a in actions_of(s))]
    assert [actions_of(s) for s in reads] == [["ssm:GetParameter"]]
    [read] = reads
    assert "parameter/{{ cookiecutter.project_slug }}/api-key" in json.dumps(read["Resource"])
    for function in of_type(cfn, "AWS::Lambda::Function").values():
        assert function["Environment"]["Variables"]["API_KEY_PARAMETER"] == "/{{ cookiecutter.project_slug }}/api-key"
{% endif %}
{% if cookiecutter.function_url_auth == "NONE" %}


def test_public_url_gets_both_permission_statements(cfn):
    actions = {p["Action"] for p in of_type(cfn, "AWS::Lambda::Permission").values()}
    assert {"lambda:InvokeFunctionUrl", "lambda:InvokeFunction"} <= actions
{% endif %}
