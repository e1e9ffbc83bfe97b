"""ship's REST API against a moto server: what boto3 sent, what a re-run changes, what destroy removes.

moto does not validate responseTransferMode (and drops it: see moto_fix_rest_api.py), so the
streaming integration is asserted on the parameters boto3 sent, recorded by ``Recorder``.
"""

from __future__ import annotations

import urllib.request

import boto3
import pytest
from ship_moto import FULL, NAME, REGION, Recorder, push_image, ship, start_server, write_config

from ship.flavor import FUNCTIONS

[URL_SPEC] = [spec for spec in FUNCTIONS if spec.url_invoke_mode]
HTTP_FUNCTION = NAME + URL_SPEC.suffix
STREAMS = URL_SPEC.url_invoke_mode != "BUFFERED"
KEYED = {**FULL, "api_gateway": "rest", "api_rate_limit": 7, "api_burst_limit": 9, "api_daily_quota": 500}
SIGNED = {**KEYED, "function_url_auth": "AWS_IAM", "api_key_source": "none"}


@pytest.fixture(scope="module")
def moto_endpoint():
    server, endpoint = start_server()
    yield endpoint
    server.stop()


@pytest.fixture
def aws(moto_endpoint, environment, tmp_path):
    urllib.request.urlopen(urllib.request.Request(f"{moto_endpoint}/moto-api/reset", method="POST"))
    environment.setenv("AWS_ENDPOINT_URL", moto_endpoint)
    environment.chdir(tmp_path)
    push_image(lambda service: boto3.client(service, region_name=REGION))
    return lambda service: boto3.client(service, region_name=REGION)


def deploy(tmp_path, settings) -> Recorder:
    write_config(tmp_path, **settings)
    recorder = Recorder()
    assert ship(recorder, "deploy") == 0
    return recorder


def test_integrations_stream_where_the_flavor_streams_and_reach_the_http_function(aws, tmp_path, capsys):
    recorder = deploy(tmp_path, KEYED)
    [api] = recorder.sent("CreateRestApi")
    assert api["endpointConfiguration"] == {"types": ["REGIONAL"]}
    assert api["tags"] == {"ship:app": NAME}
    [proxy] = recorder.sent("CreateResource")
    assert proxy["pathPart"] == "{proxy+}"
    integrations = recorder.sent("PutIntegration")
    assert len(integrations) == 2, "the root and {proxy+}"
    arn = aws("lambda").get_function(FunctionName=HTTP_FUNCTION)["Configuration"]["FunctionArn"]
    for integration in integrations:
        assert (integration["httpMethod"], integration["type"]) == ("ANY", "AWS_PROXY")
        assert integration["integrationHttpMethod"] == "POST"
        if STREAMS:
            assert integration["responseTransferMode"] == "STREAM"
            assert integration["uri"] == (
                f"arn:aws:apigateway:{REGION}:lambda:path/2021-11-15/functions/{arn}/response-streaming-invocations"
            )
            assert integration["timeoutInMillis"] == KEYED["timeout_s"] * 1000
        else:
            assert integration["responseTransferMode"] == "BUFFERED"
            assert (
                integration["uri"]
                == f"arn:aws:apigateway:{REGION}:lambda:path/2015-03-31/functions/{arn}/invocations"
            )
            assert integration["timeoutInMillis"] == min(KEYED["timeout_s"] * 1000, 29_000)
    out = capsys.readouterr().out
    api_id = aws("apigateway").get_rest_apis()["items"][0]["id"]
    assert f"rest api url: https://{api_id}.execute-api.{REGION}.amazonaws.com/api/" in out


def test_api_gateway_may_invoke_the_http_function_from_this_api_only(aws, tmp_path):
    recorder = deploy(tmp_path, KEYED)
    [permission] = [p for p in recorder.sent("AddPermission") if p["StatementId"] == "ship-rest-api"]
    api_id = aws("apigateway").get_rest_apis()["items"][0]["id"]
    assert permission["FunctionName"] == HTTP_FUNCTION
    assert (permission["Action"], permission["Principal"]) == (
        "lambda:InvokeFunction",
        "apigateway.amazonaws.com",
    )
    assert permission["SourceArn"] == f"arn:aws:execute-api:{REGION}:123456789012:{api_id}/*"


def test_keyed_api_has_a_usage_plan_with_throttle_quota_and_one_key(aws, tmp_path, capsys):
    recorder = deploy(tmp_path, KEYED)
    for method in recorder.sent("PutMethod"):
        assert (method["authorizationType"], method["apiKeyRequired"]) == ("NONE", True)
    [plan] = recorder.sent("CreateUsagePlan")
    assert plan["throttle"] == {"rateLimit": 7.0, "burstLimit": 9}
    assert plan["quota"] == {"limit": 500, "period": "DAY"}
    assert plan["apiStages"][0]["stage"] == "api"
    [key] = recorder.sent("CreateApiKey")
    assert key["enabled"] is True and key["tags"] == {"ship:app": NAME}
    [link] = recorder.sent("CreateUsagePlanKey")
    assert link["keyType"] == "API_KEY"
    [stage] = recorder.sent("UpdateStage")
    operations = {op["path"]: op["value"] for op in stage["patchOperations"]}
    assert operations["/*/*/throttling/rateLimit"] == "7"
    assert operations["/*/*/throttling/burstLimit"] == "9"
    assert operations["/accessLogSettings/destinationArn"].endswith(
        f":log-group:/aws/apigateway/{NAME}-access"
    )
    key_id = aws("apigateway").get_api_keys()["items"][0]["id"]
    assert f"api key id: {key_id}" in capsys.readouterr().out


def test_a_rerun_changes_nothing_and_a_new_limit_updates_in_place(aws, tmp_path):
    deploy(tmp_path, KEYED)
    again = deploy(tmp_path, KEYED)
    assert again.mutations() == []
    changed = deploy(tmp_path, {**KEYED, "api_rate_limit": 8})
    assert [op["path"] for op in changed.sent("UpdateStage")[0]["patchOperations"]] == [
        "/*/*/throttling/rateLimit"
    ]
    assert [op["path"] for op in changed.sent("UpdateUsagePlan")[0]["patchOperations"]] == [
        "/throttle/rateLimit"
    ]
    assert "CreateRestApi" not in changed.mutations() and "PutIntegration" not in changed.mutations()


def test_signed_api_uses_iam_and_drops_a_keyed_deploys_plan_and_key(aws, tmp_path):
    deploy(tmp_path, KEYED)
    recorder = deploy(tmp_path, SIGNED)
    for method in recorder.sent("PutMethod"):
        assert (method["authorizationType"], method["apiKeyRequired"]) == ("AWS_IAM", False)
    assert len(recorder.sent("DeleteUsagePlan")) == 1 and len(recorder.sent("DeleteApiKey")) == 1
    assert "CreateDeployment" in recorder.mutations(), "the new auth reaches the stage"
    gateway = aws("apigateway")
    assert gateway.get_usage_plans()["items"] == [] and gateway.get_api_keys()["items"] == []


def test_destroy_removes_the_api_and_leaves_a_same_named_one_alone(aws, tmp_path, capsys):
    deploy(tmp_path, KEYED)
    gateway = aws("apigateway")
    assert ship(Recorder(), "destroy", "--yes") == 0
    out = capsys.readouterr().out
    for kind in ("usage plan", "api key", "rest api"):
        assert any(
            line.split()[:2] == kind.split() and line.rstrip().endswith("deleted")
            for line in out.splitlines()
        ), kind
    assert gateway.get_rest_apis()["items"] == [] and gateway.get_usage_plans()["items"] == []
    gateway.create_rest_api(name=NAME)
    push_image(aws)
    write_config(tmp_path, **KEYED)
    assert ship(Recorder(), "deploy") == 1
    assert f"rest api {NAME} exists but was not created by ship" in capsys.readouterr().err
    assert ship(Recorder(), "destroy", "--yes") == 0
    assert len(gateway.get_rest_apis()["items"]) == 1, "not ship's: kept"


def test_status_shows_the_api(aws, tmp_path, capsys):
    write_config(tmp_path, **KEYED)
    assert ship(Recorder(), "status") == 0
    api_lines = [line for line in capsys.readouterr().out.splitlines() if "rest api" in line]
    assert [line.split()[-1] for line in api_lines] == ["missing"]
    deploy(tmp_path, KEYED)
    capsys.readouterr()
    assert ship(Recorder(), "status") == 0
    api_id = aws("apigateway").get_rest_apis()["items"][0]["id"]
    assert f"https://{api_id}.execute-api.{REGION}.amazonaws.com/api/" in capsys.readouterr().out


def test_bad_api_settings_are_one_line_before_any_aws_call(aws, tmp_path, capsys):
    for key, value in (("api_gateway", "http"), ("api_rate_limit", 0), ("api_daily_quota", "lots")):
        write_config(tmp_path, **{**KEYED, key: value})
        recorder = Recorder()
        assert ship(recorder, "deploy") == 1
        assert recorder.calls == []
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and key in err
