"""The al2023-streaming flavor deploys one streaming function that also takes the queue and the schedule."""

from pathlib import Path

import pytest
from ship_moto import NAME, part_functions, shared_deployment

from ship.flavor import FUNCTIONS

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def deployed():
    return shared_deployment()


def test_one_function_streams_and_takes_the_queue_and_the_schedule():
    [function] = FUNCTIONS
    assert function.suffix == ""
    assert function.url_invoke_mode == "RESPONSE_STREAM"
    assert (function.queue, function.schedule) == (True, True)
    assert dict(function.environment) == {}
    assert function.command == (), "the Dockerfile's ENTRYPOINT and CMD start the runtime"


def test_the_image_starts_bootstrap_with_the_handler():
    lines = (ROOT / "Dockerfile").read_text().splitlines()
    assert 'ENTRYPOINT ["/var/task/bootstrap"]' in lines
    assert 'CMD ["{{ cookiecutter.package_name }}.kit.handler.handler"]' in lines


def test_the_deployed_function_streams_and_takes_every_trigger(deployed):
    sent, lam = deployed.first.recorder.sent, deployed.client("lambda")
    assert [p["FunctionName"] for p in sent("CreateFunction")] == [NAME, *part_functions()]
    # The optional parts' functions have tests of their own; this is the flavor's.
    [created] = [p for p in sent("CreateFunction") if p["FunctionName"] == NAME]
    assert created["FunctionName"] == NAME
    assert "ImageConfig" not in created, "no command override: bootstrap gets the Dockerfile's CMD"
    image_config = lam.get_function_configuration(FunctionName=NAME).get("ImageConfigResponse", {})
    assert not any(image_config.get("ImageConfig", {}).values())
    env = created["Environment"]["Variables"]
    # The bootstrap reads no adapter settings: nothing in the AWS_ namespace is set.
    assert not [name for name in env if name.startswith("AWS_")]

    [url] = sent("CreateFunctionUrlConfig")
    assert (url["FunctionName"], url["InvokeMode"]) == (NAME, "RESPONSE_STREAM")
    assert lam.get_function_url_config(FunctionName=NAME)["InvokeMode"] == "RESPONSE_STREAM"

    [mapping] = sent("CreateEventSourceMapping")
    assert mapping["FunctionName"] == NAME
    assert mapping["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    [target] = deployed.client("events").list_targets_by_rule(Rule=f"{NAME}-schedule")["Targets"]
    assert target["Arn"] == lam.get_function_configuration(FunctionName=NAME)["FunctionArn"]


def test_a_second_deploy_changes_nothing(deployed):
    assert deployed.second.recorder.mutations() == []
