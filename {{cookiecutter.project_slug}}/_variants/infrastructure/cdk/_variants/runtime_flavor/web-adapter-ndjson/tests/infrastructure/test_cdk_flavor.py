"""web-adapter-ndjson on CDK: one image as a streaming HTTP function and a buffered worker."""

import json

import pytest
from adapter_env import HTTP_FUNCTION, WORKER_FUNCTION, problems

from cdk_parts import PART_CONSTRUCTS
from cdk_synth import synthesized

HAS_WORKER = {{ "True" if cookiecutter.sqs_worker or cookiecutter.schedule_expression else "False" }}


@pytest.fixture(scope="session")
def cfn():
    return synthesized()[0].to_json()


def of_type(cfn, kind):
    # The stack's optional parts have checks of their own; these are the flavor's.
    return {
        name: r["Properties"]
        for name, r in cfn["Resources"].items()
        if r["Type"] == kind and not name.startswith(PART_CONSTRUCTS)
    }


def function_named(cfn, construct_id):
    [name] = [name for name in of_type(cfn, "AWS::Lambda::Function") if name.startswith(construct_id)]
    return name


def always_a_list(actions):
    return [actions] if isinstance(actions, str) else actions


def environment(cfn, name) -> dict:
    return cfn["Resources"][name]["Properties"]["Environment"]["Variables"]


def test_every_adapter_variable_is_one_the_adapter_reads(cfn):
    for name in of_type(cfn, "AWS::Lambda::Function"):
        assert problems(environment(cfn, name)) == [], name


def test_http_function_streams_through_the_url(cfn):
    agent = function_named(cfn, "AgentFunction")
    [url] = of_type(cfn, "AWS::Lambda::Url").values()
    assert url["InvokeMode"] == "RESPONSE_STREAM"
    assert url["TargetFunctionArn"] == {"Fn::GetAtt": [agent, "Arn"]}
    assert HTTP_FUNCTION.items() <= environment(cfn, agent).items()
    assert "AWS_LWA_PASS_THROUGH_PATH" not in environment(cfn, agent), (
        "the events route must not be reachable through the Function URL"
    )


def test_functions_come_from_the_same_image(cfn):
    functions = of_type(cfn, "AWS::Lambda::Function").values()
    assert len({json.dumps(f["Code"], sort_keys=True) for f in functions}) == 1
    assert not [f for f in functions if "ImageConfig" in f], "the Dockerfile's ENTRYPOINT starts uvicorn"


if HAS_WORKER:

    def test_worker_is_buffered_and_takes_events_at_the_pass_through_path(cfn):
        worker = function_named(cfn, "WorkerFunction")
        assert WORKER_FUNCTION.items() <= environment(cfn, worker).items()
        assert environment(cfn, worker)["SERVICE_NAME"] == "{{ cookiecutter.project_slug }}-worker"
        [url] = of_type(cfn, "AWS::Lambda::Url").values()
        assert url["TargetFunctionArn"]["Fn::GetAtt"][0] != worker, "the worker has no URL"

    def test_queue_and_schedule_reach_the_worker_only(cfn):
        worker = function_named(cfn, "WorkerFunction")
        triggers = list(of_type(cfn, "AWS::Lambda::EventSourceMapping").values())
        triggers += list(of_type(cfn, "AWS::Events::Rule").values())
        assert triggers
        for mapping in of_type(cfn, "AWS::Lambda::EventSourceMapping").values():
            assert mapping["FunctionName"] == {"Ref": worker}
            assert mapping["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
        for rule in of_type(cfn, "AWS::Events::Rule").values():
            assert [t["Arn"] for t in rule["Targets"]] == [{"Fn::GetAtt": [worker, "Arn"]}]

    def test_worker_neither_reads_the_api_key_nor_queues(cfn):
        worker = function_named(cfn, "WorkerFunction")
        assert not {"API_KEY_SECRET_ID", "API_KEY_PARAMETER", "SQS_QUEUE_URL"} & set(environment(cfn, worker))
        role = cfn["Resources"][worker]["Properties"]["Role"]["Fn::GetAtt"][0]
        actions = [
            action
            for policy in of_type(cfn, "AWS::IAM::Policy").values()
            if {"Ref": role} in policy["Roles"]
            for statement in policy["PolicyDocument"]["Statement"]
            for action in always_a_list(statement["Action"])
        ]
        assert "sqs:SendMessage" not in actions
        assert "ssm:GetParameter" not in actions

else:

    def test_no_worker_without_a_queue_or_a_schedule(cfn):
        assert [name[: len("AgentFunction")] for name in of_type(cfn, "AWS::Lambda::Function")] == [
            "AgentFunction"
        ]
