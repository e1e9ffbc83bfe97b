"""What only Mangum's entry point does; every route is in tests/entrypoint/test_routes.py.

Mangum buffers: a stream becomes one body. Events it has no handler for fail clearly, and
headers a client could forge never name the caller.
"""

import json

import pytest

from {{ cookiecutter.package_name }}.kit.errors import UnsupportedEvent
from {{ cookiecutter.package_name }}.kit.handler import handler

from conftest import http_event
from lambda_context import LambdaContext

HELLO = [{"role": "user", "content": "hello"}]


def call(event):
    reply = handler(event, LambdaContext())
    assert reply["isBase64Encoded"] is False
    return reply


def body(reply):
    return json.loads(reply["body"])


def test_streamed_chat_is_sse_buffered_into_one_body():
    chat = {"stream": True, "messages": [{"role": "user", "content": "a b"}]}
    reply = call(http_event("/v1/chat/completions", chat))
    assert reply["statusCode"] == 200
    assert reply["headers"]["content-type"].startswith("text/event-stream")
    data = [line[6:] for line in reply["body"].splitlines() if line.startswith("data: ")]
    assert data[-1] == "[DONE]"
    text = "".join(json.loads(d)["choices"][0]["delta"].get("content", "") for d in data[:-1])
    assert text == "a b"


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


@pytest.mark.parametrize("event", [{}, {"Records": [{"eventSource": "aws:s3"}]}, {"detail-type": "x"}])
def test_unknown_events_fail_with_a_clear_error(event):
    with pytest.raises(UnsupportedEvent, match="no handler for an event with keys"):
        handler(event, LambdaContext())


def test_forged_adapter_headers_are_ignored_under_mangum(environment):
    """Mangum's event is the only source of the caller's address."""
    environment.setenv("ALLOWED_CIDRS", "10.0.0.0/8")
    forged = {
        "x-amzn-request-context": json.dumps({"http": {"sourceIp": "10.1.2.3"}}),
        "x-forwarded-for": "10.1.2.3",
    }
    chat = {"messages": HELLO}
    assert (
        call(http_event("/v1/chat/completions", chat, headers=forged, source_ip="203.0.113.9"))["statusCode"]
        == 403
    )
