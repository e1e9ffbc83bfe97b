"""Every route through the real entry point, in process: same status codes as every flavor."""

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
    tool_threads,
)

from {{ cookiecutter.package_name }} import service
from {{ cookiecutter.package_name }}.deadline import DeadlineExceeded
from {{ cookiecutter.package_name }}.handler import handler
from {{ cookiecutter.package_name }}.runtime.http import HttpHead

from conftest import http_event, load_event
from lambda_context import LambdaContext

HELLO = [{"role": "user", "content": "hello"}]


def collect(stream):
    head, parts = None, []
    for item in stream:
        if isinstance(item, HttpHead):
            head = item
        else:
            parts.append(item)
    return head, b"".join(parts)


def call(event):
    """``(status, headers, body bytes)`` of a Function URL request."""
    head, body = collect(handler(event, LambdaContext()))
    return head.status_code, head.headers, body


def cut_reply(event, context):
    """``(status, body bytes)`` of a stream that must end with DeadlineExceeded (for the trailers)."""
    head, parts = None, []
    with pytest.raises(DeadlineExceeded):
        for item in handler(event, context):
            if isinstance(item, HttpHead):
                head = item
            else:
                parts.append(item)
    return head.status_code, b"".join(parts)


def handler_reply(event):
    """The reply as a proxy response, whether the handler streamed it or not."""
    reply = handler(event, LambdaContext())
    if isinstance(reply, dict):
        return reply
    head, body = collect(reply)
    return {"statusCode": head.status_code, "headers": head.headers, "body": body.decode()}


def test_health():
    status, headers, body = call(http_event("/health", method="GET"))
    assert (status, headers["content-type"], json.loads(body)) == (200, "application/json", {"status": "ok"})


def test_chat_completion_through_the_function_url_sample():
    status, _, body = call(load_event("function_url.json"))
    assert status == 200
    assert json.loads(body)["choices"][0]["message"]["content"] == "Hello from a Function URL"


def test_api_gateway_events_get_a_buffered_proxy_reply():
    reply = handler(load_event("apigw_v1.json"), LambdaContext())
    assert reply["statusCode"] == 200
    assert reply["headers"]["content-type"] == "application/x-ndjson"
    assert json.loads(reply["body"].splitlines()[-1])["type"] == "result"
    reply = handler(load_event("apigw_v2.json"), LambdaContext())
    assert (reply["statusCode"], json.loads(reply["body"])) == (200, {"status": "ok"})


def test_send_message_runs_the_agent_when_no_queue_is_set():
    sample = load_event("send_message.json")
    status, _, body = call(http_event("/api/v1/send_message", sample))
    expected = {"status": "ok", "response_uuid": sample["response_uuid"], "reply": sample["message"]}
    assert (status, json.loads(body)) == (200, expected)


def test_send_message_queues_when_a_queue_is_set(aws, environment):
    sqs = boto3.client("sqs")
    queue_url = sqs.create_queue(QueueName="agent-queue")["QueueUrl"]
    environment.setenv("SQS_QUEUE_URL", queue_url)
    status, _, body = call(http_event("/api/v1/send_message", load_event("send_message.json")))
    answer = json.loads(body)
    assert status == 200 and answer["status"] == "queued"
    [message] = sqs.receive_message(QueueUrl=queue_url)["Messages"]
    assert message["MessageId"] == answer["message_id"]


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
    got, headers, body = call(http_event(path, payload))
    error = json.loads(body)["error"]
    assert (got, headers["content-type"], error["code"]) == (status, "application/json", status)
    assert problem in error["message"]


def test_wrong_method_is_405_json_with_allow():
    status, headers, body = call(http_event("/health", {}, method="DELETE"))
    assert (status, headers["allow"], json.loads(body)["error"]["code"]) == (405, "GET", 405)


def test_oversized_body_is_413(environment):
    environment.setenv("MAX_REQUEST_BYTES", "100")
    status, _, _ = call(http_event("/invoke", {"tool": "echo", "arguments": {"message": "x" * 200}}))
    assert status == 413


def test_base64_body_is_decoded():
    event = http_event("/invoke")
    event["body"], event["isBase64Encoded"] = (
        "eyJ0b29sIjogImVjaG8iLCAiYXJndW1lbnRzIjogeyJtZXNzYWdlIjogImIifX0=",
        True,
    )
    status, _, body = call(event)
    assert status == 200 and json.loads(body.splitlines()[-1])["output"] == {"message": "b"}


def test_internal_error_is_500_without_traceback(monkeypatch):
    def explode(*_):
        raise RuntimeError("database password is hunter2")

    monkeypatch.setattr(service, "complete_chat", explode)
    status, _, body = call(load_event("function_url.json"))
    assert status == 500 and b"hunter2" not in body and b"Traceback" not in body


def test_api_key_is_required_when_configured(environment):
    environment.setenv("API_KEY_SOURCE", "env")
    environment.setenv("API_KEY", "k-123")
    chat = {"messages": HELLO}
    assert call(http_event("/v1/chat/completions", chat))[0] == 401
    assert call(http_event("/v1/chat/completions", chat, headers={"x-api-key": "nope"}))[0] == 401
    assert call(http_event("/v1/chat/completions", chat, headers={"authorization": "Bearer k-123"}))[0] == 200
    assert call(http_event("/health", method="GET"))[0] == 200, "health stays open for probes"


def test_callers_outside_allowed_cidrs_get_403(environment):
    environment.setenv("ALLOWED_CIDRS", "10.0.0.0/8")
    chat = {"messages": HELLO}
    assert call(http_event("/v1/chat/completions", chat, source_ip="203.0.113.10"))[0] == 403
    assert call(http_event("/v1/chat/completions", chat, source_ip="10.2.3.4"))[0] == 200


def test_sqs_and_schedule_are_answered_buffered():
    assert handler(load_event("sqs_batch.json"), LambdaContext()) == {"batchItemFailures": []}
    assert handler(load_event("schedule.json"), LambdaContext())["job"] == "self-check"


def test_a_tool_that_cannot_finish_is_cut_off_before_the_deadline_and_stops():
    before = tool_threads()
    started = time.monotonic()
    status, body = cut_reply(http_event("/invoke", SLOW_TOOL), LambdaContext(timeout_s=REMAINING_S))
    assert time.monotonic() - started < CUT_BY_S
    assert status == 200
    assert_ndjson_cut_off(body)
    assert_tools_stopped(tool_threads() - before)


def test_a_chat_stream_that_cannot_finish_ends_with_the_openai_error(environment):
    environment.setenv("ECHO_DELAY_MS", SLOW_ECHO_DELAY_MS)
    chat = {"stream": True, "messages": SLOW_CHAT_MESSAGES}
    started = time.monotonic()
    _, body = cut_reply(http_event("/v1/chat/completions", chat), LambdaContext(timeout_s=REMAINING_S))
    assert time.monotonic() - started < CUT_BY_S
    assert_sse_cut_off(body)


@pytest.mark.parametrize("path", ["/v1/chat/completions", "/api/v1/send_message"])
def test_a_whole_reply_that_cannot_finish_is_a_504_before_the_deadline(environment, path):
    environment.setenv("ECHO_DELAY_MS", SLOW_ECHO_DELAY_MS)
    message = load_event("send_message.json") | {"message": SLOW_CHAT_MESSAGES[0]["content"]}
    payload = {"messages": SLOW_CHAT_MESSAGES} if path.startswith("/v1") else message
    started = time.monotonic()
    head, body = collect(handler(http_event(path, payload), LambdaContext(timeout_s=REMAINING_S)))
    assert time.monotonic() - started < CUT_BY_S
    assert (head.status_code, head.headers["content-type"]) == (504, "application/json")
    assert json.loads(body)["error"]["code"] == 504


def test_api_gateway_replies_are_cut_off_too():
    event = load_event("apigw_v1.json")
    event["body"] = json.dumps(SLOW_TOOL)
    started = time.monotonic()
    reply = handler(event, LambdaContext(timeout_s=REMAINING_S))
    assert time.monotonic() - started < CUT_BY_S
    assert_ndjson_cut_off(reply["body"].encode())


def test_a_rest_api_caller_the_gateway_checked_needs_no_function_key(environment):
    environment.setenv("API_KEY_SOURCE", "env")
    environment.setenv("API_KEY", "s3cret")
    event = load_event("apigw_v1.json")
    assert handler_reply(event)["statusCode"] == 401, "no key, and the gateway vouched for none"
    event["requestContext"]["identity"]["apiKeyId"] = "k1a2b3c4"  # set by API Gateway once it checked the key
    reply = handler_reply(event)
    assert reply["statusCode"] == 200
    assert json.loads(reply["body"].splitlines()[-1])["type"] == "result"
    function_url_call = http_event("/invoke", {"tool": "echo", "arguments": {"message": "hi"}})
    assert handler_reply(function_url_call)["statusCode"] == 401
