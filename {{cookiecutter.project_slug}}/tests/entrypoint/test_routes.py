"""Every route through the flavor's entry point (``entry_point.invoke``), with the sample events."""

import json
import time

import boto3
import pytest
from deadline_helpers import (
    CUT_BY_S,
    REMAINING_S,
    SLOW_CHAT_MESSAGES,
    SLOW_ECHO_DELAY_MS,
    SLOW_TOOL,
    assert_ndjson_cut_off,
    assert_sse_cut_off,
    assert_tools_stopped,
    tool_runs,
)
from entry_point import invoke

from {{ cookiecutter.package_name }}.kit import service
from {{ cookiecutter.package_name }}.kit.settings import get_settings

from conftest import http_event, load_event
from lambda_context import LambdaContext

HELLO = [{"role": "user", "content": "hello"}]


def body(reply):
    return json.loads(reply["body"])


def lines(reply):
    return [json.loads(line) for line in reply["body"].splitlines()]


def test_health():
    reply = invoke(http_event("/health", method="GET"))
    assert (reply["statusCode"], reply["headers"]["content-type"]) == (200, "application/json")
    assert body(reply) == {"status": "ok"}
    reply = invoke(load_event("apigw_v2.json"))
    assert (reply["statusCode"], body(reply)) == (200, {"status": "ok"})


def test_chat_completion_through_the_function_url_sample():
    reply = invoke(load_event("function_url.json"))
    assert reply["statusCode"] == 200
    completion = body(reply)
    assert completion["object"] == "chat.completion"
    assert completion["choices"][0]["message"]["content"] == "Hello from a Function URL"


def test_invoke_through_the_rest_api_sample_answers_ndjson():
    reply = invoke(load_event("apigw_v1.json"))
    assert (reply["statusCode"], reply["headers"]["content-type"]) == (200, "application/x-ndjson")
    assert [line["type"] for line in lines(reply)] == ["status"] * 4 + ["result"]
    assert lines(reply)[-1]["output"]["steps"] == 3


def test_send_message_runs_the_agent_when_no_queue_is_set():
    sample = load_event("send_message.json")
    reply = invoke(http_event("/api/v1/send_message", sample))
    expected = {"status": "ok", "response_uuid": sample["response_uuid"], "reply": sample["message"]}
    assert (reply["statusCode"], body(reply)) == (200, expected)


def test_send_message_queues_when_a_queue_is_set(aws, environment):
    sqs = boto3.client("sqs")
    queue_url = sqs.create_queue(QueueName="agent-queue")["QueueUrl"]
    environment.setenv("SQS_QUEUE_URL", queue_url)
    sample = load_event("send_message.json")
    reply = invoke(http_event("/api/v1/send_message", sample))
    assert reply["statusCode"] == 200
    answer = body(reply)
    assert answer["status"] == "queued" and answer["response_uuid"] == sample["response_uuid"]
    [message] = sqs.receive_message(QueueUrl=queue_url, MessageAttributeNames=["All"])["Messages"]
    assert message["MessageId"] == answer["message_id"]
    assert json.loads(message["Body"])["message"] == sample["message"]


@pytest.mark.parametrize(
    ("path", "payload", "status", "problem"),
    [
        ("/v1/chat/completions", "{not json", 400, "not valid JSON"),
        ("/v1/chat/completions", "", 400, "body is empty"),
        ("/v1/chat/completions", {"messages": []}, 400, "'messages' must be a non-empty list"),
        ("/v1/chat/completions", {"messages": [{"role": "robot", "content": "x"}]}, 400, "role must be"),
        ("/v1/chat/completions", {"messages": HELLO, "stream": 1}, 400, "'stream'"),
        ("/invoke", {"tool": "slow_process", "arguments": {"steps": 2}}, 400, "'message'"),
        ("/invoke", {"tool": "rm -rf"}, 400, "unknown tool"),
        ("/api/v1/send_message", "[1, 2]", 400, "must be a JSON object"),
        ("/nowhere", {}, 404, "Not Found"),
    ],
)
def test_bad_requests_get_a_json_error(path, payload, status, problem):
    reply = invoke(http_event(path, payload))
    assert (reply["statusCode"], reply["headers"]["content-type"]) == (status, "application/json")
    error = body(reply)["error"]
    assert error["code"] == status
    assert problem in error["message"]


def test_wrong_method_is_405_json_with_allow():
    reply = invoke(http_event("/health", {}, method="DELETE"))
    assert (reply["statusCode"], reply["headers"]["allow"]) == (405, "GET")
    assert body(reply)["error"]["code"] == 405


def test_oversized_body_is_413(environment):
    environment.setenv("MAX_REQUEST_BYTES", "100")
    reply = invoke(http_event("/invoke", {"tool": "echo", "arguments": {"message": "x" * 200}}))
    assert reply["statusCode"] == 413


def test_base64_body_is_decoded():
    event = http_event("/invoke")
    event["body"], event["isBase64Encoded"] = (
        "eyJ0b29sIjogImVjaG8iLCAiYXJndW1lbnRzIjogeyJtZXNzYWdlIjogImIifX0=",
        True,
    )
    reply = invoke(event)
    assert reply["statusCode"] == 200 and lines(reply)[-1]["output"] == {"message": "b"}


def test_internal_error_is_500_without_traceback(monkeypatch):
    def explode(*_):
        raise RuntimeError("database password is hunter2")

    monkeypatch.setattr(service, "complete_chat", explode)
    reply = invoke(load_event("function_url.json"))
    assert reply["statusCode"] == 500
    assert "hunter2" not in reply["body"] and "Traceback" not in reply["body"]
    assert body(reply)["error"]["type"] == "server_error"


def test_a_failing_model_provider_is_502_with_its_message(monkeypatch):
    from {{ cookiecutter.package_name }}.kit.agent import provider_settings

    monkeypatch.setitem(provider_settings.PROVIDER_MODULES, "echo", "no_such_provider")
    reply = invoke(load_event("function_url.json"))
    assert reply["statusCode"] == 502
    assert "is not part of this kit" in body(reply)["error"]["message"]


def test_api_key_is_required_when_configured(environment):
    environment.setenv("API_KEY_SOURCE", "env")
    environment.setenv("API_KEY", "k-123")
    chat = {"messages": HELLO}
    assert invoke(http_event("/v1/chat/completions", chat))["statusCode"] == 401
    wrong = http_event("/v1/chat/completions", chat, headers={"x-api-key": "nope"})
    assert invoke(wrong)["statusCode"] == 401
    right = http_event("/v1/chat/completions", chat, headers={"authorization": "Bearer k-123"})
    assert invoke(right)["statusCode"] == 200
    assert invoke(http_event("/health", method="GET"))["statusCode"] == 200, "health stays open for probes"
    assert invoke(load_event("apigw_v2.json"))["statusCode"] == 200, "health stays open for probes"


def test_callers_outside_allowed_cidrs_get_403(environment):
    environment.setenv("ALLOWED_CIDRS", "10.0.0.0/8")
    chat = {"messages": HELLO}
    assert invoke(http_event("/v1/chat/completions", chat, source_ip="203.0.113.10"))["statusCode"] == 403
    assert invoke(http_event("/v1/chat/completions", chat, source_ip="10.2.3.4"))["statusCode"] == 200


def test_cidr_check_uses_the_rest_api_identity(environment):
    environment.setenv("ALLOWED_CIDRS", "192.0.2.0/24")
    assert invoke(load_event("apigw_v1.json"))["statusCode"] == 200
    environment.setenv("ALLOWED_CIDRS", "10.0.0.0/8")
    get_settings.cache_clear()
    assert invoke(load_event("apigw_v1.json"))["statusCode"] == 403


def test_a_rest_api_caller_the_gateway_checked_needs_no_function_key(environment):
    environment.setenv("API_KEY_SOURCE", "env")
    environment.setenv("API_KEY", "s3cret")
    event = load_event("apigw_v1.json")
    assert invoke(event)["statusCode"] == 401, "no key, and the gateway vouched for none"
    event["requestContext"]["identity"]["apiKeyId"] = "k1a2b3c4"  # set by API Gateway once it checked the key
    reply = invoke(event)
    assert reply["statusCode"] == 200
    assert lines(reply)[-1]["type"] == "result"
    function_url_call = http_event("/invoke", {"tool": "echo", "arguments": {"message": "hi"}})
    assert invoke(function_url_call)["statusCode"] == 401


def test_sqs_and_schedule_are_answered():
    assert invoke(load_event("sqs_batch.json")) == {"batchItemFailures": []}
    assert invoke(load_event("schedule.json"))["job"] == "kit-test"


def test_a_tool_that_cannot_finish_is_cut_off_before_the_deadline_and_stops():
    before = tool_runs()
    started = time.monotonic()
    reply = invoke(http_event("/invoke", SLOW_TOOL), LambdaContext(timeout_s=REMAINING_S))
    assert time.monotonic() - started < CUT_BY_S
    assert reply["statusCode"] == 200
    assert_ndjson_cut_off(reply["body"].encode())
    assert_tools_stopped(tool_runs() - before)


def test_a_chat_stream_that_cannot_finish_ends_with_the_openai_error(environment):
    environment.setenv("ECHO_DELAY_MS", SLOW_ECHO_DELAY_MS)
    chat = {"stream": True, "messages": SLOW_CHAT_MESSAGES}
    started = time.monotonic()
    reply = invoke(http_event("/v1/chat/completions", chat), LambdaContext(timeout_s=REMAINING_S))
    assert time.monotonic() - started < CUT_BY_S
    assert_sse_cut_off(reply["body"].encode())


@pytest.mark.parametrize("path", ["/v1/chat/completions", "/api/v1/send_message"])
def test_a_whole_reply_that_cannot_finish_is_a_504_before_the_deadline(environment, path):
    environment.setenv("ECHO_DELAY_MS", SLOW_ECHO_DELAY_MS)
    message = load_event("send_message.json") | {"message": SLOW_CHAT_MESSAGES[0]["content"]}
    payload = {"messages": SLOW_CHAT_MESSAGES} if path.startswith("/v1") else message
    started = time.monotonic()
    reply = invoke(http_event(path, payload), LambdaContext(timeout_s=REMAINING_S))
    assert time.monotonic() - started < CUT_BY_S
    assert (reply["statusCode"], reply["headers"]["content-type"]) == (504, "application/json")
    assert body(reply)["error"]["code"] == 504


def test_rest_api_replies_are_cut_off_too():
    event = load_event("apigw_v1.json")
    event["body"] = json.dumps(SLOW_TOOL)
    started = time.monotonic()
    reply = invoke(event, LambdaContext(timeout_s=REMAINING_S))
    assert time.monotonic() - started < CUT_BY_S
    assert_ndjson_cut_off(reply["body"].encode())
