"""The SAM template, translated to CloudFormation offline and linted."""

import pytest
from policy_assertions import (
    assert_api_key_access,
    assert_no_wildcard_action,
    assert_only_the_url_function_may_queue,
    assert_tracing,
)
from sam_flavor import EVENT_FUNCTION, INVOKE_MODE
from stack_template import ANSWERS, deployed, lint_errors, sam_template, translate

TIMEOUT_S = {{ cookiecutter.timeout_s }}


@pytest.fixture(scope="module")
def cfn():
    return deployed().template


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
    assert url["AuthType"] == ANSWERS["function_url_auth"]
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


def test_no_iam_statement_has_a_wildcard_action():
    assert_no_wildcard_action(deployed())


def test_only_the_url_function_may_queue():
    assert_only_the_url_function_may_queue(deployed())


def test_only_the_url_function_may_read_the_api_key():
    cfn = deployed()
    assert_api_key_access(cfn, ANSWERS["api_key_source"], cfn.values.get("ApiKeyParameterName", ""))


def test_queue_batches_reach_the_event_function_with_a_dlq(cfn):
    mappings = list(of_type(cfn, "AWS::Lambda::EventSourceMapping").values())
    if not ANSWERS["sqs_worker"]:
        assert (mappings, of_type(cfn, "AWS::SQS::Queue")) == ([], {})
        return
    [mapping] = mappings
    assert mapping["FunctionName"] == {"Ref": EVENT_FUNCTION}
    assert mapping["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    queue = cfn["Resources"]["AgentQueue"]["Properties"]
    assert queue["VisibilityTimeout"] >= 6 * TIMEOUT_S
    assert queue["RedrivePolicy"]["maxReceiveCount"] == 5
    assert queue["RedrivePolicy"]["deadLetterTargetArn"] == {"Fn::GetAtt": ["AgentDeadLetterQueue", "Arn"]}


def test_the_schedule_targets_the_event_function(cfn):
    rules = list(of_type(cfn, "AWS::Events::Rule").values())
    if not ANSWERS["schedule_expression"]:
        assert rules == []
        return
    [rule] = rules
    assert rule["ScheduleExpression"] == ANSWERS["schedule_expression"]
    [target] = rule["Targets"]
    assert target["Arn"] == {"Fn::GetAtt": [EVENT_FUNCTION, "Arn"]}


def test_a_public_url_gets_both_permission_statements(cfn):
    public = [p for p in of_type(cfn, "AWS::Lambda::Permission").values() if p["Principal"] == "*"]
    if ANSWERS["function_url_auth"] == "NONE":
        assert {"lambda:InvokeFunctionUrl", "lambda:InvokeFunction"} <= {p["Action"] for p in public}
    else:
        assert public == []


def test_tracing_is_off_by_default():
    assert deployed().values["Tracing"] == "Disabled"
    assert_tracing(deployed(), active=False)


def test_the_tracing_parameter_traces_every_function_in_x_ray():
    traced = deployed(Tracing="Active")
    assert_tracing(traced, active=True)
    assert_no_wildcard_action(traced)
    assert lint_errors(traced.template) == []
