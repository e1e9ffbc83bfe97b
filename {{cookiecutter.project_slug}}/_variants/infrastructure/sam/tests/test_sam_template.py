"""The SAM template, translated to CloudFormation offline and linted.

cfn-lint on the SAM template alone passes properties such as InvokeMode and
FunctionResponseTypes through unchecked; on the translated template it checks them.
"""

import copy
import json
import os
from pathlib import Path
from unittest import mock

import pytest
from cfnlint.api import ManualArgs, lint
from samtranslator.translator.transform import transform
from samtranslator.yaml_helper import yaml_parse

ROOT = Path(__file__).resolve().parents[1]
REGION = "{{ cookiecutter.aws_region }}"
TIMEOUT_S = {{ cookiecutter.timeout_s }}
IMAGE = f"123456789012.dkr.ecr.{REGION}.amazonaws.com/{{ cookiecutter.project_slug }}:test"
{% if cookiecutter.runtime_flavor == "web-adapter-ndjson" %}
# The HTTP function streams; a buffered worker from the same image takes queue and schedule.
INVOKE_MODE = "RESPONSE_STREAM"
EVENT_FUNCTION = "WorkerFunction"
{% elif cookiecutter.runtime_flavor == "al2023-streaming" %}
# The custom runtime streams HTTP replies; queue batches and schedules reach the same function.
INVOKE_MODE = "RESPONSE_STREAM"
EVENT_FUNCTION = "AgentFunction"
{% else %}
# One function takes HTTP, the queue and the schedule; Mangum buffers every response.
INVOKE_MODE = "BUFFERED"
EVENT_FUNCTION = "AgentFunction"
{% endif %}


class ManagedPolicies:
    """Offline stand-in for the IAM lookup of AWS managed policy ARNs."""

    def load(self):
        names = ["AWSLambdaBasicExecutionRole", "AWSLambdaSQSQueueExecutionRole", "AWSXrayWriteOnlyAccess"]
        return {name: f"arn:aws:iam::aws:policy/service-role/{name}" for name in names}


def sam_template():
    return yaml_parse((ROOT / "template.yaml").read_text())


def translate(template):
    template = copy.deepcopy(template)
    for resource in template["Resources"].values():
        if resource["Type"] == "AWS::Serverless::Function":
            resource["Properties"]["ImageUri"] = IMAGE
    parameters = {"AWS::Region": REGION, "AWS::Partition": "aws", "AWS::AccountId": "123456789012"}
    with mock.patch.dict(os.environ, {"AWS_DEFAULT_REGION": REGION}):
        return transform(template, parameters, ManagedPolicies())


def lint_errors(cloudformation):
    matches = lint(json.dumps(cloudformation), config=ManualArgs(regions=[REGION]))
    return [str(m) for m in matches if m.rule.severity == "error" or m.rule.id.startswith("E")]


@pytest.fixture(scope="module")
def cfn():
    return translate(sam_template())


def of_type(cfn, kind):
    return {name: r["Properties"] for name, r in cfn["Resources"].items() if r["Type"] == kind}


def test_translated_template_passes_cfn_lint(cfn):
    assert lint_errors(cfn) == []


def test_lint_catches_a_bad_invoke_mode():
    template = sam_template()
    template["Resources"]["AgentFunction"]["Properties"]["FunctionUrlConfig"]["InvokeMode"] = "STREAM"
    assert any("STREAM" in error for error in lint_errors(translate(template)))


def test_functions_are_images_with_the_chosen_size(cfn):
    functions = of_type(cfn, "AWS::Lambda::Function")
    assert "AgentFunction" in functions
    for function in functions.values():
        assert function["PackageType"] == "Image"
        assert function["Architectures"] == ["{{ cookiecutter.architecture }}"]
        assert function["MemorySize"] == {{ cookiecutter.memory_mb }}
        assert function["Timeout"] == TIMEOUT_S


def test_function_url_auth_and_invoke_mode(cfn):
    [url] = of_type(cfn, "AWS::Lambda::Url").values()
    assert url["TargetFunctionArn"] == {"Ref": "AgentFunction"}
    assert url["AuthType"] == "{{ cookiecutter.function_url_auth }}"
    assert url["InvokeMode"] == INVOKE_MODE
    assert "Cors" not in url, "no CORS unless the author opts in"


def test_no_iam_statement_has_a_wildcard_action(cfn):
    for role in of_type(cfn, "AWS::IAM::Role").values():
        for policy in role.get("Policies", []):
            for statement in policy["PolicyDocument"]["Statement"]:
                actions = statement["Action"]
                for action in actions if isinstance(actions, list) else [actions]:
                    assert "*" not in action, statement
{% if cookiecutter.sqs_worker %}


def test_queue_mapping_reports_partial_batch_failures(cfn):
    [mapping] = of_type(cfn, "AWS::Lambda::EventSourceMapping").values()
    assert mapping["FunctionName"] == {"Ref": EVENT_FUNCTION}
    assert mapping["FunctionResponseTypes"] == ["ReportBatchItemFailures"]


def test_queue_redrives_to_a_dlq_and_outlasts_six_timeouts(cfn):
    queue = cfn["Resources"]["AgentQueue"]["Properties"]
    assert queue["VisibilityTimeout"] >= 6 * TIMEOUT_S
    assert queue["RedrivePolicy"]["maxReceiveCount"] == 5
    assert queue["RedrivePolicy"]["deadLetterTargetArn"] == {"Fn::GetAtt": ["AgentDeadLetterQueue", "Arn"]}
{% endif %}
{% if cookiecutter.schedule_expression %}


def test_schedule_rule_targets_the_function(cfn):
    [rule] = of_type(cfn, "AWS::Events::Rule").values()
    assert rule["ScheduleExpression"] == {{ cookiecutter.schedule_expression | tojson }}
    [target] = rule["Targets"]
    assert target["Arn"] == {"Fn::GetAtt": [EVENT_FUNCTION, "Arn"]}
{% endif %}
{% if cookiecutter.function_url_auth == "NONE" %}


def test_public_url_gets_both_permission_statements(cfn):
    actions = {p["Action"] for p in of_type(cfn, "AWS::Lambda::Permission").values()}
    assert {"lambda:InvokeFunctionUrl", "lambda:InvokeFunction"} <= actions
{% endif %}
{% if cookiecutter.llm_provider == "bedrock" %}


def test_bedrock_may_invoke_the_chosen_model_only(cfn):
    statements = [
        statement
        for role in of_type(cfn, "AWS::IAM::Role").values()
        for policy in role.get("Policies", [])
        for statement in policy["PolicyDocument"]["Statement"]
        if "bedrock" in str(statement["Action"])
    ]
    assert statements, "the function may invoke the model"
    for statement in statements:
        assert statement["Action"] == "bedrock:InvokeModelWithResponseStream"
        assert statement["Resource"]["Fn::Sub"].endswith(":foundation-model/${AgentModel}")
{% endif %}
{% if cookiecutter.llm_provider == "openai" %}


def test_function_reads_the_provider_key_secret(cfn):
{% if cookiecutter.durable_runs == "yes" %}
    # The runs function runs the agent too.
    for function in of_type(cfn, "AWS::Lambda::Function").values():
        variables = function["Environment"]["Variables"]
        assert variables["LLM_PROVIDER"] == "openai"
        assert variables["OPENAI_API_KEY_SECRET_ID"] == {"Ref": "ProviderKeySecret"}
{% else %}
    [function] = of_type(cfn, "AWS::Lambda::Function").values()
    variables = function["Environment"]["Variables"]
    assert variables["LLM_PROVIDER"] == "openai"
    assert variables["OPENAI_API_KEY_SECRET_ID"] == {"Ref": "ProviderKeySecret"}
{% endif %}
{% endif %}
