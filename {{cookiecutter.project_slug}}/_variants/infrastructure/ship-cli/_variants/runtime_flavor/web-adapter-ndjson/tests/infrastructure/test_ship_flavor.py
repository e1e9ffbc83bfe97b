"""The web-adapter-ndjson flavor deploys one image as a streaming HTTP function and a buffered worker."""

import pytest
from adapter_env import HTTP_FUNCTION, WORKER_FUNCTION, problems
from botocore.exceptions import ClientError
from ship_moto import NAME, deploy_kit, part_functions, shared_deployment, shared_server

from ship.flavor import FUNCTIONS

WORKER = f"{NAME}-worker"


@pytest.fixture(scope="module")
def deployed():
    return shared_deployment()


def test_the_flavor_file_sets_what_the_adapter_reads():
    http, worker = FUNCTIONS
    assert (http.suffix, http.url_invoke_mode) == ("", "RESPONSE_STREAM")
    assert (http.queue, http.schedule) == (False, False)
    assert dict(http.environment) == HTTP_FUNCTION
    assert (worker.suffix, worker.url_invoke_mode) == ("-worker", None)
    assert (worker.queue, worker.schedule) == (True, True)
    assert dict(worker.environment) == WORKER_FUNCTION
    assert problems({**http.environment, **worker.environment}) == []


def test_both_functions_run_the_same_image_with_the_adapter_settings_each_needs(deployed):
    created = {p["FunctionName"]: p for p in deployed.first.recorder.sent("CreateFunction")}
    for name in part_functions():  # the optional parts' functions have tests of their own
        created.pop(name)
    assert set(created) == {NAME, WORKER}
    assert len({p["Code"]["ImageUri"] for p in created.values()}) == 1
    for name, params in created.items():
        env = params["Environment"]["Variables"]
        assert problems(env) == [], name
        assert "ImageConfig" not in params, "the Dockerfile's ENTRYPOINT starts uvicorn for both"
    http = created[NAME]["Environment"]["Variables"]
    worker = created[WORKER]["Environment"]["Variables"]
    assert HTTP_FUNCTION.items() <= http.items()
    assert "AWS_LWA_PASS_THROUGH_PATH" not in http, "the events route must not be reachable through the URL"
    assert WORKER_FUNCTION.items() <= worker.items()
    for key in ("LLM_PROVIDER", "SQS_QUEUE_URL"):
        assert http[key] == worker[key], "both functions run the agent"


def test_only_the_http_function_has_a_url_and_only_the_worker_takes_events(deployed):
    sent, lam = deployed.first.recorder.sent, deployed.client("lambda")
    [url] = sent("CreateFunctionUrlConfig")
    assert (url["FunctionName"], url["InvokeMode"]) == (NAME, "RESPONSE_STREAM")
    with pytest.raises(ClientError, match="ResourceNotFound"):
        lam.get_function_url_config(FunctionName=WORKER)

    [mapping] = sent("CreateEventSourceMapping")
    assert mapping["FunctionName"] == WORKER
    assert mapping["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    [target] = deployed.client("events").list_targets_by_rule(Rule=f"{NAME}-schedule")["Targets"]
    assert target["Arn"] == lam.get_function_configuration(FunctionName=WORKER)["FunctionArn"]
    allowed = [p["FunctionName"] for p in sent("AddPermission") if p["StatementId"] == "ship-schedule"]
    assert allowed == [WORKER]


def test_a_second_deploy_changes_nothing(deployed):
    assert deployed.second.recorder.mutations() == []


def test_no_worker_without_a_queue_or_a_schedule():
    name = f"{NAME[:30]}-solo"
    settings = {"sqs_worker": False, "schedule_expression": "", "function_url_auth": "AWS_IAM"}
    solo = deploy_kit(shared_server(), name, api_key_source="none", **settings)
    created = [p["FunctionName"] for p in solo.first.recorder.sent("CreateFunction")]
    assert created == [name, *part_functions(name)]
    assert solo.first.recorder.sent("CreateEventSourceMapping") == []
    with pytest.raises(ClientError, match="ResourceNotFound"):
        solo.client("lambda").get_function(FunctionName=f"{name}-worker")
    assert solo.second.recorder.mutations() == []
