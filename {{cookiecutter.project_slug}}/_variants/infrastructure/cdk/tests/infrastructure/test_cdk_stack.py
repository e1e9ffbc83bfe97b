"""The CDK stack, synthesized offline once per session, checked the way CloudFormation would see it."""

import json

import pytest
from aws_cdk import aws_sqs as sqs
from aws_cdk.assertions import Match
from cfnlint.api import ManualArgs, lint
from known_variables import VARIABLES
from policy_assertions import (
    assert_api_key_access,
    assert_no_wildcard_action,
    assert_only_the_url_function_may_queue,
    assert_tracing,
)
from stack_template import CONTEXT, deployed

from app import create_app
from cdk_synth import synthesized
from infra.config import ConfigError, StackConfig

REGION = CONTEXT["region"]
TIMEOUT_S = CONTEXT["timeout_s"]


@pytest.fixture(scope="session")
def template():
    return synthesized()[0]


@pytest.fixture(scope="session")
def cfn(template):
    return template.to_json()


def of_type(cfn, kind):
    return {name: r["Properties"] for name, r in cfn["Resources"].items() if r["Type"] == kind}


def url_function(cfn):
    """The logical ID of the function behind the Function URL."""
    [url] = of_type(cfn, "AWS::Lambda::Url").values()
    return url["TargetFunctionArn"]["Fn::GetAtt"][0]


def environment_of(cfn, function):
    return cfn["Resources"][function]["Properties"]["Environment"]["Variables"]


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
        assert function["Architectures"] == [CONTEXT["architecture"]]
        assert function["MemorySize"] == CONTEXT["memory_mb"]
        assert function["Timeout"] == TIMEOUT_S


def test_functions_set_only_variables_the_code_reads(cfn):
    for function in of_type(cfn, "AWS::Lambda::Function").values():
        variables = function["Environment"]["Variables"]
        assert variables["SERVICE_NAME"].startswith(CONTEXT["service_name"])
        assert variables["LLM_PROVIDER"] == CONTEXT["llm_provider"]
        unknown = [name for name in variables if name not in VARIABLES and not name.startswith("AWS_")]
        assert unknown == []


def test_the_url_function_checks_the_key_and_may_queue(cfn):
    variables = environment_of(cfn, url_function(cfn))
    assert variables["SERVICE_NAME"] == CONTEXT["service_name"]
    assert variables["API_KEY_SOURCE"] == CONTEXT["api_key_source"]
    assert ("SQS_QUEUE_URL" in variables) is CONTEXT["sqs_worker"]


def test_function_url_auth_type(cfn):
    [url] = of_type(cfn, "AWS::Lambda::Url").values()
    assert url["AuthType"] == CONTEXT["function_url_auth"]
    assert "Cors" not in url, "no CORS unless the author opts in"


def test_allowed_origins_set_the_function_url_cors(tmp_path):
    import aws_cdk as cdk

    from infra.stack import AgentStack

    context = {**CONTEXT, "allowed_origins": "https://app.example.com"}
    config = StackConfig.from_context(context.get)
    app = cdk.App(context=context, outdir=str(tmp_path))
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


def test_no_allow_statement_has_a_wildcard_action():
    assert_no_wildcard_action(deployed())


def test_only_the_url_function_may_queue():
    assert_only_the_url_function_may_queue(deployed())


def test_only_the_url_function_may_read_the_api_key():
    assert_api_key_access(deployed(), CONTEXT["api_key_source"], CONTEXT["api_key_parameter"])


def test_tracing_is_off_by_default():
    assert CONTEXT["tracing"] == "disabled"
    assert_tracing(deployed(), active=False)


def test_the_tracing_context_traces_every_function_in_x_ray():
    # Synthesized with cdk-nag, which would stop at a finding nobody acknowledged.
    assert_tracing(deployed(tracing="active"), active=True)


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
    # The image holds one provider's module; another provider would fail only once deployed.
    bad += [("llm_provider", "gemini")]
    bad += [("tracing", "on")]
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


def test_queue_batches_reach_the_worker_with_a_dlq(cfn, template):
    queues = of_type(cfn, "AWS::SQS::Queue")
    mappings = list(of_type(cfn, "AWS::Lambda::EventSourceMapping").values())
    if not CONTEXT["sqs_worker"]:
        assert (queues, mappings) == ({}, [])
        return
    [mapping] = mappings
    assert mapping["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    [queue] = [q for q in queues.values() if "RedrivePolicy" in q]
    assert queue["VisibilityTimeout"] >= 6 * TIMEOUT_S
    assert queue["RedrivePolicy"]["maxReceiveCount"] == 5
    [dead_letters] = [name for name, q in queues.items() if "RedrivePolicy" not in q]
    assert queue["RedrivePolicy"]["deadLetterTargetArn"] == {"Fn::GetAtt": [dead_letters, "Arn"]}
    assert all(q["SqsManagedSseEnabled"] for q in queues.values())
    template.has_output("QueueUrl", {"Value": {"Ref": Match.any_value()}})


def test_schedule_rule_targets_a_function(cfn):
    rules = list(of_type(cfn, "AWS::Events::Rule").values())
    if not CONTEXT["schedule_expression"]:
        assert rules == []
        return
    [rule] = rules
    assert rule["ScheduleExpression"] == CONTEXT["schedule_expression"]
    [target] = rule["Targets"]
    assert target["Arn"]["Fn::GetAtt"][0] in of_type(cfn, "AWS::Lambda::Function")


def test_a_public_url_gets_both_permission_statements(cfn):
    public = [p for p in of_type(cfn, "AWS::Lambda::Permission").values() if p["Principal"] == "*"]
    if CONTEXT["function_url_auth"] == "NONE":
        assert {"lambda:InvokeFunctionUrl", "lambda:InvokeFunction"} <= {p["Action"] for p in public}
    else:
        assert public == []
