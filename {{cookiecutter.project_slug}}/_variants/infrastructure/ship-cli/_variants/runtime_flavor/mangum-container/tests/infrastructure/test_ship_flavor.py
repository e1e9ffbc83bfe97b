"""The mangum-container flavor deploys one buffered function that also takes the queue and the schedule."""

import pytest
from ship_moto import NAME, part_functions, shared_deployment

from ship.flavor import FUNCTIONS


@pytest.fixture(scope="module")
def deployed():
    return shared_deployment()


def test_one_function_does_everything_behind_a_buffered_url():
    [function] = FUNCTIONS
    assert function.suffix == ""
    assert function.url_invoke_mode == "BUFFERED"
    assert (function.queue, function.schedule) == (True, True)
    assert dict(function.environment) == {}
    assert function.command == ()


def test_the_deployed_function_takes_every_trigger(deployed):
    sent, lam = deployed.first.recorder.sent, deployed.client("lambda")
    assert [p["FunctionName"] for p in sent("CreateFunction")] == [NAME, *part_functions()]
    [url] = sent("CreateFunctionUrlConfig")
    assert (url["FunctionName"], url["InvokeMode"]) == (NAME, "BUFFERED")
    [mapping] = sent("CreateEventSourceMapping")
    assert mapping["FunctionName"] == NAME
    [target] = deployed.client("events").list_targets_by_rule(Rule=f"{NAME}-schedule")["Targets"]
    assert target["Arn"] == lam.get_function_configuration(FunctionName=NAME)["FunctionArn"]
    assert deployed.second.recorder.mutations() == []
