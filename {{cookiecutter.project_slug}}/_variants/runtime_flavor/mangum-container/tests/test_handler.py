"""Every route through the real Lambda entry point, with the sample events."""

import json

import boto3
import pytest

from {{ cookiecutter.package_name }} import service
from {{ cookiecutter.package_name }}.errors import UnsupportedEvent
from {{ cookiecutter.package_name }}.handler import handler

from conftest import http_event, load_event
from lambda_context import LambdaContext

HELLO = [{"role": "user", "content": "hello"}]


def call(event):
    reply = handler(event, LambdaContext())
    assert reply["isBase64Encoded"] is False
    return reply


def body(reply):
    return json.loads(reply["body"])


def test_health_through_api_gateway_v2():
    reply = call(load_event("apigw_v2.json"))
    assert reply["statusCode"] == 200
    assert body(reply) == {"status": "ok"}


def test_chat_completion_through_the_function_url_sample():
    reply = call(load_event("function_url.json"))
    assert reply["statusCode"] == 200
    completion = body(reply)
    assert completion["object"] == "chat.completion"
    assert completion["choices"][0]["message"]["content"] == "Hello from a Function URL"


def test_streamed_chat_is_sse_buffered_into_one_body():
    chat = {"stream": True, "messages": [{"role": "user", "content": "a b"}]}
    reply = call(http_event("/v1/chat/completions", chat))
    assert reply["statusCode"] == 200
    assert reply["headers"]["content-type"].startswith("text/event-stream")
    data = [line[6:] for line in reply["body"].splitlines() if line.startswith("data: ")]
    assert data[-1] == "[DONE]"
    text = "".join(json.loads(d)["choices"][0]["delta"].get("content", "") for d in data[:-1])
    assert text == "a b"


def test_invoke_through_api_gateway_v1_answers_ndjson():
    reply = call(load_event("apigw_v1.json"))
    assert reply["statusCode"] == 200
    assert reply["headers"]["content-type"] == "application/x-ndjson"
    lines = [json.loads(line) for line in reply["body"].splitlines()]
    assert [line["type"] for line in lines] == ["status"] * 4 + ["result"]
    assert lines[-1]["output"]["steps"] == 3


def test_the_agent_loop_through_invoke_is_buffered_into_one_body():
    command = '/tool slow_process {"message": "hi", "steps": 3, "delay_ms": 0}'
    reply = call(http_event("/invoke", {"messages": [{"role": "user", "content": command}]}))
    assert reply["statusCode"] == 200
    lines = [json.loads(line) for line in reply["body"].splitlines()]
    types = [line["type"] for line in lines]
    assert types[:7] == ["status", "tool_call", "status", "status", "status", "status", "tool_result"]
    assert set(types[7:-1]) == {"delta"} and types[-1] == "result"
    assert [line["message"] for line in lines[3:6]] == [f"Step {n}/3 complete" for n in (1, 2, 3)]
    assert {line["id"] for line in lines[2:7]} == {lines[1]["id"]}
    assert "Processed 'hi' in 3 steps" in lines[-1]["text"]


def test_send_message_runs_the_agent_when_no_queue_is_set():
    sample = load_event("send_message.json")
    reply = call(http_event("/api/v1/send_message", sample))
    assert reply["statusCode"] == 200
    expected = {"status": "ok", "response_uuid": sample["response_uuid"], "reply": sample["message"]}
    assert body(reply) == expected


def test_send_message_queues_when_a_queue_is_set(aws, environment):
    sqs = boto3.client("sqs")
    queue_url = sqs.create_queue(QueueName="agent-queue")["QueueUrl"]
    environment.setenv("SQS_QUEUE_URL", queue_url)
    sample = load_event("send_message.json")
    reply = call(http_event("/api/v1/send_message", sample))
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
    reply = call(http_event(path, payload))
    assert reply["statusCode"] == status
    error = body(reply)["error"]
    assert problem in error["message"]
    assert error["code"] == status


def test_wrong_method_is_405_json():
    reply = call(http_event("/health", {}, method="DELETE"))
    assert reply["statusCode"] == 405
    assert body(reply)["error"]["code"] == 405


def test_oversized_body_is_413(environment):
    environment.setenv("MAX_REQUEST_BYTES", "100")
    reply = call(http_event("/invoke", {"tool": "echo", "arguments": {"message": "x" * 200}}))
    assert reply["statusCode"] == 413


def test_internal_error_is_500_without_traceback(monkeypatch):
    def explode(*_):
        raise RuntimeError("database password is hunter2")

    monkeypatch.setattr(service, "complete_chat", explode)
    reply = call(load_event("function_url.json"))
    assert reply["statusCode"] == 500
    assert "hunter2" not in reply["body"] and "Traceback" not in reply["body"]
    assert body(reply)["error"]["type"] == "server_error"


def test_a_failing_model_provider_is_502_with_its_message(monkeypatch):
    from {{ cookiecutter.package_name }}.agent import model

    monkeypatch.setitem(model.PROVIDER_MODULES, "echo", "no_such_provider")
    reply = call(load_event("function_url.json"))
    assert reply["statusCode"] == 502
    assert "is not part of this kit" in body(reply)["error"]["message"]


def test_api_key_is_required_when_configured(environment):
    environment.setenv("API_KEY_SOURCE", "env")
    environment.setenv("API_KEY", "k-123")
    chat = {"messages": [{"role": "user", "content": "hi"}]}
    assert call(http_event("/v1/chat/completions", chat))["statusCode"] == 401
    wrong = http_event("/v1/chat/completions", chat, headers={"x-api-key": "nope"})
    assert call(wrong)["statusCode"] == 401
    right = http_event("/v1/chat/completions", chat, headers={"authorization": "Bearer k-123"})
    assert call(right)["statusCode"] == 200
    assert call(load_event("apigw_v2.json"))["statusCode"] == 200, "health stays open for probes"


def test_callers_outside_allowed_cidrs_get_403(environment):
    environment.setenv("ALLOWED_CIDRS", "10.0.0.0/8")
    chat = {"messages": [{"role": "user", "content": "hi"}]}
    assert call(http_event("/v1/chat/completions", chat, source_ip="203.0.113.10"))["statusCode"] == 403
    assert call(http_event("/v1/chat/completions", chat, source_ip="10.2.3.4"))["statusCode"] == 200


def test_cidr_check_uses_the_rest_api_identity(environment):
    environment.setenv("ALLOWED_CIDRS", "192.0.2.0/24")
    assert call(load_event("apigw_v1.json"))["statusCode"] == 200
    environment.setenv("ALLOWED_CIDRS", "10.0.0.0/8")
    from {{ cookiecutter.package_name }}.settings import get_settings

    get_settings.cache_clear()
    assert call(load_event("apigw_v1.json"))["statusCode"] == 403


def test_sqs_batch_goes_to_the_worker():
    assert handler(load_event("sqs_batch.json"), LambdaContext()) == {"batchItemFailures": []}


def test_schedule_goes_to_the_scheduled_job():
    assert handler(load_event("schedule.json"), LambdaContext())["job"] == "self-check"


@pytest.mark.parametrize("event", [{}, {"Records": [{"eventSource": "aws:s3"}]}, {"detail-type": "x"}])
def test_unknown_events_fail_with_a_clear_error(event):
    with pytest.raises(UnsupportedEvent, match="no handler for an event with keys"):
        handler(event, LambdaContext())
