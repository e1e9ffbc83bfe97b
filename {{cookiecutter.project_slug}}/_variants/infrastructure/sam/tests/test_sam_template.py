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
{% if cookiecutter.api_gateway == "rest" %}
{% if cookiecutter.runtime_flavor == "mangum-container" %}
# Mangum answers in one piece, so the REST API integration is buffered (29 s at most).
API_STREAMS = False
INTEGRATION_MS = min(TIMEOUT_S * 1000, 29_000)
{% else %}
# The REST API streams too, and may wait as long as the function runs.
API_STREAMS = True
INTEGRATION_MS = TIMEOUT_S * 1000
{% endif %}
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
    # Unicode as is: cfn-lint's parser rejects the surrogate-pair escapes json.dumps writes for emoji.
    matches = lint(json.dumps(cloudformation, ensure_ascii=False), config=ManualArgs(regions=[REGION]))
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
    assert url["Cors"]["Fn::If"][2] == {"Ref": "AWS::NoValue"}, "no CORS unless the author opts in"


def test_allowed_origins_set_the_function_url_cors(cfn):
    [url] = of_type(cfn, "AWS::Lambda::Url").values()
    condition, cors, _ = url["Cors"]["Fn::If"]
    assert cfn["Conditions"][condition] == {"Fn::Not": [{"Fn::Equals": [{"Ref": "AllowedOrigins"}, ""]}]}
    assert cors["AllowOrigins"] == {"Fn::Split": [",", {"Ref": "AllowedOrigins"}]}
    assert set(cors["AllowMethods"]) == {"GET", "POST"}
    assert {"content-type", "authorization", "x-api-key"} <= set(cors["AllowHeaders"])
    # The same value reaches the function, which answers CORS only where no Function URL does.
    function = of_type(cfn, "AWS::Lambda::Function")["AgentFunction"]
    assert function["Environment"]["Variables"]["ALLOWED_ORIGINS"] == {"Ref": "AllowedOrigins"}


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


def test_every_function_reads_the_provider_key_secret(cfn):
    for function in of_type(cfn, "AWS::Lambda::Function").values():
        variables = function["Environment"]["Variables"]
        assert variables["LLM_PROVIDER"] == "openai"
        assert variables["OPENAI_API_KEY_SECRET_ID"] == {"Ref": "ProviderKeySecret"}
{% endif %}
{% if cookiecutter.api_gateway == "rest" %}


def api_integrations(cfn):
    """Each REST API path's Lambda integration, from the OpenAPI body SAM wrote."""
    paths = cfn["Resources"]["AgentApi"]["Properties"]["Body"]["paths"]
    return {
        path: item["x-amazon-apigateway-any-method"]["x-amazon-apigateway-integration"]
        for path, item in paths.items()
    }


def test_api_routes_the_root_and_every_path_to_the_http_function(cfn):
    integrations = api_integrations(cfn)
    assert set(integrations) == {"/", "/{proxy+}"}
    for integration in integrations.values():
        assert integration["type"] == "aws_proxy"
        assert "${AgentFunction.Arn}" in integration["uri"]["Fn::Sub"]
        assert integration["timeoutInMillis"] == INTEGRATION_MS


def test_api_integration_streams_only_where_the_flavor_streams(cfn):
    for integration in api_integrations(cfn).values():
        uri = integration["uri"]["Fn::Sub"]
        if API_STREAMS:
            assert integration["responseTransferMode"] == "STREAM"
            assert uri.endswith("/2021-11-15/functions/${AgentFunction.Arn}/response-streaming-invocations")
        else:
            assert "responseTransferMode" not in integration
            assert uri.endswith("/2015-03-31/functions/${AgentFunction.Arn}/invocations")


def test_stream_spelled_the_cloudformation_way_would_buffer():
    """SAM's word is RESPONSE_STREAM; STREAM passes cfn-lint yet yields a buffered API."""
    template = sam_template()
    for event in template["Resources"]["AgentFunction"]["Properties"]["Events"].values():
        if event["Type"] == "Api":
            event["Properties"]["ResponseTransferMode"] = "STREAM"
    cfn = translate(template)
    assert lint_errors(cfn) == []
    assert all("responseTransferMode" not in i for i in api_integrations(cfn).values())


def test_api_gateway_may_invoke_the_http_function_only(cfn):
    permissions = [
        p
        for p in of_type(cfn, "AWS::Lambda::Permission").values()
        if p["Principal"] == "apigateway.amazonaws.com"
    ]
    assert permissions
    for permission in permissions:
        assert permission["Action"] == "lambda:InvokeFunction"
        assert permission["FunctionName"] == {"Ref": "AgentFunction"}
        assert permission["SourceArn"]["Fn::Sub"][1]["__ApiId__"] == {"Ref": "AgentApi"}


def test_api_is_regional_throttled_and_logged(cfn):
    api = cfn["Resources"]["AgentApi"]["Properties"]
    assert api["EndpointConfiguration"] == {"Types": ["REGIONAL"]}
    [stage] = of_type(cfn, "AWS::ApiGateway::Stage").values()
    assert stage["AccessLogSetting"]["DestinationArn"] == {"Fn::GetAtt": ["AgentApiAccessLogs", "Arn"]}
    [setting] = stage["MethodSettings"]
    assert setting["ThrottlingRateLimit"] == {"Ref": "ApiRateLimit"}
    assert setting["ThrottlingBurstLimit"] == {"Ref": "ApiBurstLimit"}


def test_api_url_is_an_output(cfn):
    assert "${AgentApi}.execute-api" in cfn["Outputs"]["ApiUrl"]["Value"]["Fn::Sub"]
{% if cookiecutter.function_url_auth == "NONE" %}


def test_api_requires_a_key_with_a_usage_plan(cfn):
    for path in cfn["Resources"]["AgentApi"]["Properties"]["Body"]["paths"].values():
        assert path["x-amazon-apigateway-any-method"]["security"] == [{"api_key": []}]
    # The transform writes the parameters' values into the plan (here: their defaults).
    defaults = {name: p.get("Default") for name, p in sam_template()["Parameters"].items()}
    [plan] = of_type(cfn, "AWS::ApiGateway::UsagePlan").values()
    assert plan["Throttle"] == {
        "RateLimit": defaults["ApiRateLimit"],
        "BurstLimit": defaults["ApiBurstLimit"],
    }
    assert plan["Quota"] == {"Limit": defaults["ApiDailyQuota"], "Period": "DAY"}
    [key] = of_type(cfn, "AWS::ApiGateway::ApiKey").values()
    assert key["Enabled"] is True
    [link] = of_type(cfn, "AWS::ApiGateway::UsagePlanKey").values()
    assert link["KeyId"] == {"Ref": "AgentApiApiKey"} and link["KeyType"] == "API_KEY"
    assert cfn["Outputs"]["ApiKeyId"]["Value"] == {"Ref": "AgentApiApiKey"}
{% else %}


def test_api_requires_sigv4_and_invokes_with_its_own_permission(cfn):
    for path in cfn["Resources"]["AgentApi"]["Properties"]["Body"]["paths"].values():
        method = path["x-amazon-apigateway-any-method"]
        assert method["security"] == [{"AWS_IAM": []}]
        assert "credentials" not in method["x-amazon-apigateway-integration"], "not the caller's credentials"
    assert of_type(cfn, "AWS::ApiGateway::ApiKey") == {}
{% endif %}
{% if cookiecutter.runtime_flavor == "al2023-streaming" %}


def test_function_is_told_that_rest_api_requests_stream(cfn):
    variables = cfn["Resources"]["AgentFunction"]["Properties"]["Environment"]["Variables"]
    assert variables["REST_API_STREAMING"] == "true"
{% endif %}
{% endif %}
