"""`make invoke` for this flavor: sample events through a local stand-in for the adapter."""

import json
import time
from pathlib import Path

import httpx
import pytest
from deadline_helpers import REMAINING_S, SLOW_TOOL, assert_ndjson_cut_off
from invoke import main
from live_server import serve
from local_adapter import InvocationFailed, http_request, invoke

from {{ cookiecutter.package_name }}.server import create_server

from conftest import http_event, load_event, sqs_event
from lambda_context import LambdaContext

ROOT = Path(__file__).resolve().parents[1]


def test_function_url_sample_answers_a_completion():
    reply = invoke(load_event("function_url.json"))
    assert reply["statusCode"] == 200
    assert json.loads(reply["body"])["choices"][0]["message"]["content"] == "Hello from a Function URL"


def test_rest_api_sample_answers_ndjson():
    reply = invoke(load_event("apigw_v1.json"))
    assert reply["headers"]["content-type"] == "application/x-ndjson"
    assert json.loads(reply["body"].splitlines()[-1])["type"] == "result"


def test_source_ip_reaches_the_app_through_the_request_context_header(environment):
    environment.setenv("ALLOWED_CIDRS", "10.0.0.0/8")
    chat = {"messages": [{"role": "user", "content": "hi"}]}
    assert invoke(http_event("/v1/chat/completions", chat, source_ip="10.1.2.3"))["statusCode"] == 200
    assert invoke(http_event("/v1/chat/completions", chat, source_ip="203.0.113.9"))["statusCode"] == 403


def test_queue_and_schedule_go_to_the_pass_through_path():
    assert invoke(load_event("sqs_batch.json")) == {"batchItemFailures": []}
    assert invoke(load_event("schedule.json"))["job"] == "self-check"


def test_a_batch_that_fails_whole_fails_the_invocation():
    with pytest.raises(InvocationFailed, match="HTTP 500"):
        invoke(sqs_event("{", "}"))


def test_invoke_script_uses_the_stand_in(capsys):
    assert main([str(ROOT / "events" / "schedule.json"), "--handler", "local_adapter.invoke"]) == 0
    assert json.loads(capsys.readouterr().out)["status"] == "ok"


def test_the_invocation_deadline_reaches_the_app_as_the_adapter_sends_it():
    reply = invoke(http_event("/invoke", SLOW_TOOL), LambdaContext(timeout_s=REMAINING_S))
    assert_ndjson_cut_off(reply["body"].encode())


def test_a_rest_api_caller_the_gateway_checked_needs_no_function_key(environment):
    environment.setenv("API_KEY_SOURCE", "env")
    environment.setenv("API_KEY", "s3cret")
    event = load_event("apigw_v1.json")
    assert invoke(event)["statusCode"] == 401, "no key, and the gateway vouched for none"
    event["requestContext"]["identity"]["apiKeyId"] = "k1a2b3c4"  # set by API Gateway once it checked the key
    reply = invoke(event)
    assert reply["statusCode"] == 200
    assert json.loads(reply["body"].splitlines()[-1])["type"] == "result"
    function_url_call = http_event("/invoke", {"tool": "echo", "arguments": {"message": "hi"}})
    assert invoke(function_url_call)["statusCode"] == 401


def test_a_rest_api_event_streams_through_the_adapters_request(environment):
    """The request the adapter makes of a REST API event streams back as the app writes it."""
    environment.setenv("API_KEY_SOURCE", "env")
    environment.setenv("API_KEY", "s3cret")
    event = load_event("apigw_v1.json")
    event["requestContext"]["identity"]["apiKeyId"] = "k1a2b3c4"
    arguments = {"message": "hi", "steps": 3, "delay_ms": 150}
    event["body"] = json.dumps({"tool": "slow_process", "arguments": arguments})
    request = http_request(event)
    assert json.loads(request["headers"]["x-amzn-request-context"])["resourcePath"] == "/invoke"
    with (
        serve(create_server({}, behind_adapter=True)) as base_url,
        httpx.Client(timeout=30) as client,
        client.stream(
            request["method"],
            base_url + request["url"],
            headers=request["headers"],
            content=request["content"],
        ) as response,
    ):
        arrivals = [(time.monotonic(), json.loads(line)) for line in response.iter_lines() if line]
    assert (response.status_code, response.headers["content-type"]) == (200, "application/x-ndjson")
    assert [line["type"] for _, line in arrivals] == ["status"] * 4 + ["result"]
    assert arrivals[-1][0] - arrivals[0][0] >= 0.3, "the lines arrived together: the reply was buffered"
