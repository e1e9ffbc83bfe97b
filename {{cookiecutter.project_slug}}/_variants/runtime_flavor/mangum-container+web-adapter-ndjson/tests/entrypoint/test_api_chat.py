"""POST /api/chat (the AI SDK's chat route), CORS, and the local playground's place, through
a real uvicorn on loopback."""

import contextlib
import http.client
import json
import socket
import threading
import time
from collections import namedtuple

import pytest
import uvicorn
from deadline_helpers import CUT_BY_S, REMAINING_S, SLOW_TOOL, assert_tools_stopped, tool_runs
from lambda_front import app_on_lambda, lambda_headers

from {{ cookiecutter.package_name }}.kit.app import create_app

ORIGIN = "https://app.example.com"
CHAT = {
    "id": "chat-1",
    "messages": [{"id": "u1", "role": "user", "parts": [{"type": "text", "text": "Hello there"}]}],
    "trigger": "submit-message",
}
PREFLIGHT = {"origin": ORIGIN, "access-control-request-method": "POST"}


Response = namedtuple("Response", ["status_code", "headers", "text"])


class Client:
    """Requests to an app served by uvicorn on a free loopback port."""

    def __init__(self, port: int) -> None:
        self.port = port

    def request(self, method, path, json_body=None, headers=None) -> Response:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        body = None if json_body is None else json.dumps(json_body)
        sent = {"content-type": "application/json", **(headers or {})}
        try:
            connection.request(method, path, body, sent)
            answer = connection.getresponse()
            return Response(answer.status, answer.headers, answer.read().decode())
        finally:
            connection.close()

    def post(self, path, json=None, headers=None) -> Response:
        return self.request("POST", path, json, headers)

    def get(self, path) -> Response:
        return self.request("GET", path)

    def options(self, path, headers=None) -> Response:
        return self.request("OPTIONS", path, headers=headers)


@contextlib.contextmanager
def served(app):
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        assert thread.is_alive(), "uvicorn did not start"
        time.sleep(0.01)
    try:
        yield Client(sock.getsockname()[1])
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


@pytest.fixture
def client():
    with served(create_app()) as running:
        yield running


@pytest.fixture
def on_lambda():
    """The app as it runs on Lambda, where what Lambda says about a request is believed."""
    with served(app_on_lambda()) as running:
        yield running


def test_chat_streams_ui_message_chunks(client):
    response = client.post("/api/chat", json=CHAT)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    assert response.headers["x-vercel-ai-ui-message-stream"] == "v1"
    assert response.headers["x-accel-buffering"] == "no"
    events = response.text.split("\n\n")
    assert events[-2:] == ["data: [DONE]", ""]
    chunks = [json.loads(event[len("data: ") :]) for event in events[:-2]]
    assert chunks[0]["type"] == "start" and chunks[-1] == {"type": "finish", "finishReason": "stop"}
    assert "".join(c["delta"] for c in chunks if c["type"] == "text-delta") == "Hello there"


def test_a_chat_that_cannot_finish_ends_with_an_error_chunk_before_the_deadline(on_lambda):
    text = f"/tool slow_process {json.dumps(SLOW_TOOL['arguments'])}"
    chat = {**CHAT, "messages": [{"id": "u1", "role": "user", "parts": [{"type": "text", "text": text}]}]}
    headers = lambda_headers(deadline_ms=int((time.time() + REMAINING_S) * 1000))
    before = tool_runs()
    started = time.monotonic()
    response = on_lambda.post("/api/chat", json=chat, headers=headers)
    assert time.monotonic() - started < CUT_BY_S
    frames = response.text.split("\n\n")
    chunks = [json.loads(frame[len("data: ") :]) for frame in frames if frame.startswith("data: {")]
    assert chunks[-2]["type"] == "error" and "time out" in chunks[-2]["errorText"]
    assert chunks[-1] == {"type": "finish", "finishReason": "error"}
    assert "data: [DONE]" not in frames
    assert_tools_stopped(tool_runs() - before)


def test_a_bad_chat_body_is_a_json_400(client):
    response = client.post("/api/chat", json={"messages": "hi"})
    assert response.status_code == 400
    problem = json.loads(response.text)["error"]["message"]
    assert problem == "'messages' must be a non-empty list of UI messages"


def test_the_app_has_no_route_for_the_playground(client):
    assert client.get("/").status_code == 404


def test_make_dev_serves_the_playground():
    from dev_server import app  # scripts/: what `make dev` runs, never in the image

    with served(app) as running:
        page = running.get("/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "/api/chat" in page.text


@pytest.fixture
def allowed_origins(environment):
    environment.setenv("ALLOWED_ORIGINS", f"{ORIGIN},http://localhost:3000")


def test_no_cors_unless_origins_are_allowed(client):
    response = client.options("/api/chat", headers=PREFLIGHT)
    assert "access-control-allow-origin" not in response.headers


def test_preflight_from_an_allowed_origin_passes(client, allowed_origins):
    response = client.options("/api/chat", headers=PREFLIGHT)
    assert response.status_code == 204
    assert response.headers["access-control-allow-origin"] == ORIGIN
    assert "POST" in response.headers["access-control-allow-methods"]
    assert "x-api-key" in response.headers["access-control-allow-headers"]


def test_preflight_from_another_origin_gets_no_allow_header(client, allowed_origins):
    response = client.options("/api/chat", headers={**PREFLIGHT, "origin": "https://evil.example"})
    assert not [name for name in response.headers if name.startswith("access-control-")]


def test_answers_to_an_allowed_origin_carry_the_header_once(client, allowed_origins):
    response = client.post("/api/chat", json=CHAT, headers={"origin": ORIGIN})
    assert response.headers.get_all("access-control-allow-origin") == [ORIGIN]


def test_behind_a_function_url_the_url_answers_cors_not_the_app(allowed_origins, on_lambda, client):
    context = {"domainName": "abc.lambda-url.us-east-1.on.aws", "http": {"sourceIp": "203.0.113.1"}}
    headers = {"origin": ORIGIN, **lambda_headers(request_context=context)}
    response = on_lambda.post("/api/chat", json=CHAT, headers=headers)
    assert response.status_code == 200
    assert "access-control-allow-origin" not in response.headers, "the Function URL's Cors block adds it"
    # Off Lambda nobody vouches for that header: the app answers CORS itself.
    response = client.post("/api/chat", json=CHAT, headers=headers)
    assert response.headers["access-control-allow-origin"] == ORIGIN
