"""POST /api/chat (the AI SDK's chat route), CORS, and the local playground's place."""

import copy
import http.client
import json
import time

import pytest
from deadline_helpers import CUT_BY_S, REMAINING_S, SLOW_TOOL, assert_tools_stopped, tool_runs
from http_stub import serving
from lambda_standin import FunctionUrlServer, RuntimeApiServer

from {{ cookiecutter.package_name }}.kit.deadline import DeadlineExceeded
from {{ cookiecutter.package_name }}.kit.handler import handler
from {{ cookiecutter.package_name }}.kit.runtime.http import HttpHead

from conftest import http_event, load_event
from lambda_context import LambdaContext

ORIGIN = "https://app.example.com"
CHAT = {
    "id": "chat-1",
    "messages": [{"id": "u1", "role": "user", "parts": [{"type": "text", "text": "Hello there"}]}],
    "trigger": "submit-message",
}


def call(event):
    head, parts = None, []
    for item in handler(event, LambdaContext()):
        if isinstance(item, HttpHead):
            head = item
        else:
            parts.append(item)
    return head.status_code, head.headers, parts


def test_chat_streams_ui_message_chunks():
    status, headers, parts = call(http_event("/api/chat", CHAT))
    assert status == 200
    assert headers["content-type"] == "text/event-stream"
    assert headers["x-vercel-ai-ui-message-stream"] == "v1"
    assert headers["x-accel-buffering"] == "no"
    assert parts[-1] == b"data: [DONE]\n\n"
    chunks = [json.loads(part[len(b"data: ") :]) for part in parts[:-1]]
    assert chunks[0]["type"] == "start" and chunks[-1] == {"type": "finish", "finishReason": "stop"}
    assert "".join(c["delta"] for c in chunks if c["type"] == "text-delta") == "Hello there"


def test_a_chat_that_cannot_finish_ends_with_an_error_chunk_before_the_deadline():
    text = f"/tool slow_process {json.dumps(SLOW_TOOL['arguments'])}"
    chat = {**CHAT, "messages": [{"id": "u1", "role": "user", "parts": [{"type": "text", "text": text}]}]}
    before = tool_runs()
    started = time.monotonic()
    parts = []
    with pytest.raises(DeadlineExceeded):  # raised on, so Lambda also marks the invocation failed
        for item in handler(http_event("/api/chat", chat), LambdaContext(timeout_s=REMAINING_S)):
            parts.append(item)
    assert time.monotonic() - started < CUT_BY_S
    frames = b"".join(parts[1:]).decode().split("\n\n")
    chunks = [json.loads(frame[len("data: ") :]) for frame in frames if frame.startswith("data: {")]
    assert chunks[-2]["type"] == "error" and "time out" in chunks[-2]["errorText"]
    assert chunks[-1] == {"type": "finish", "finishReason": "error"}
    assert "data: [DONE]" not in frames
    assert_tools_stopped(tool_runs() - before)


def test_a_bad_chat_body_is_a_json_400():
    status, headers, parts = call(http_event("/api/chat", {"messages": "hi"}))
    assert (status, headers["content-type"]) == (400, "application/json")
    problem = json.loads(b"".join(parts))["error"]["message"]
    assert problem == "'messages' must be a non-empty list of UI messages"


def test_the_function_has_no_route_for_the_playground():
    status, _, _ = call(http_event("/", method="GET"))
    assert status == 404


def gateway_event(method, origin, **headers):
    """An HTTP API event: no Function URL in front, so the function answers CORS itself."""
    event = copy.deepcopy(load_event("apigw_v2.json"))
    event["rawPath"] = event["requestContext"]["http"]["path"] = "/api/chat"
    event["requestContext"]["http"]["method"] = method
    event["headers"].update({"origin": origin, **headers})
    if method == "POST":
        event["body"] = json.dumps(CHAT)
    return event


@pytest.fixture
def allowed_origins(environment):
    environment.setenv("ALLOWED_ORIGINS", f"{ORIGIN},http://localhost:3000")


def test_preflight_from_an_allowed_origin_passes(allowed_origins):
    reply = handler(gateway_event("OPTIONS", ORIGIN, **{"access-control-request-method": "POST"}), None)
    assert reply["statusCode"] == 204
    assert reply["headers"]["access-control-allow-origin"] == ORIGIN
    assert "POST" in reply["headers"]["access-control-allow-methods"]
    assert "x-api-key" in reply["headers"]["access-control-allow-headers"]


def test_preflight_from_another_origin_gets_no_allow_header(allowed_origins):
    event = gateway_event("OPTIONS", "https://evil.example", **{"access-control-request-method": "POST"})
    reply = handler(event, None)
    assert not [name for name in reply["headers"] if name.startswith("access-control-")]


def test_answers_to_an_allowed_origin_carry_the_header(allowed_origins):
    reply = handler(gateway_event("POST", ORIGIN), None)
    assert reply["statusCode"] == 200
    assert reply["headers"]["access-control-allow-origin"] == ORIGIN


def test_behind_a_function_url_the_url_answers_cors_not_the_function(allowed_origins):
    _, headers, _ = call(http_event("/api/chat", CHAT, headers={"origin": ORIGIN}))
    assert "access-control-allow-origin" not in headers, "the Function URL's Cors block adds it"


@pytest.fixture
def front():
    """The local stand-in's front alone: preflights and the playground never reach a runtime."""
    with serving(FunctionUrlServer(0, RuntimeApiServer(), 1000)) as server:
        yield http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=5)


def test_the_local_front_plays_the_function_url_cors_block(front, allowed_origins):
    front.request("OPTIONS", "/api/chat", headers={"origin": ORIGIN, "access-control-request-method": "POST"})
    answer = front.getresponse()
    answer.read()
    assert answer.status == 204
    assert answer.getheader("access-control-allow-origin") == ORIGIN
    assert "content-type" in answer.getheader("access-control-allow-headers")


def test_the_local_front_serves_the_playground(front):
    front.request("GET", "/")
    answer = front.getresponse()
    page = answer.read().decode()
    assert answer.status == 200
    assert answer.getheader("content-type").startswith("text/html")
    assert "/api/chat" in page
