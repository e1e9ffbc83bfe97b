"""The SAM template runs the one image as two functions with the adapter settings each needs."""

import pytest
from adapter_env import HTTP_FUNCTION, WORKER_FUNCTION, problems
from test_sam_template import of_type, sam_template, translate

HAS_WORKER = {{ "True" if cookiecutter.sqs_worker or cookiecutter.schedule_expression else "False" }}


@pytest.fixture(scope="module")
def functions():
    return of_type(translate(sam_template()), "AWS::Lambda::Function")


def environment(function) -> dict:
    return function["Environment"]["Variables"]


def test_every_adapter_variable_is_one_the_adapter_reads(functions):
    for name, function in functions.items():
        assert problems(environment(function)) == [], name


def test_http_function_streams(functions):
    assert HTTP_FUNCTION.items() <= environment(functions["AgentFunction"]).items()
    assert "AWS_LWA_PASS_THROUGH_PATH" not in environment(functions["AgentFunction"]), (
        "the events route must not be reachable through the Function URL"
    )


def test_queue_and_schedule_go_to_the_worker():
    resources = sam_template()["Resources"]
    events = resources["AgentFunction"]["Properties"].get("Events", {})
    assert {event["Type"] for event in events.values()} <= {"Api"}, "the HTTP function takes HTTP only"


def test_both_functions_come_from_the_same_image():
    resources = sam_template()["Resources"]
    functions = [r for r in resources.values() if r["Type"] == "AWS::Serverless::Function"]
    assert len({tuple(sorted(r["Metadata"].items())) for r in functions}) == 1


if HAS_WORKER:

    def test_worker_is_buffered_and_takes_events_at_the_pass_through_path(functions):
        worker = environment(functions["WorkerFunction"])
        assert WORKER_FUNCTION.items() <= worker.items()
        assert "FunctionUrlConfig" not in sam_template()["Resources"]["WorkerFunction"]["Properties"]

else:

    def test_no_worker_without_a_queue_or_a_schedule(functions):
        assert set(functions) == {"AgentFunction"}
