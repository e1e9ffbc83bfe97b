"""The server under a real uvicorn on loopback: responses stream as they are produced.

Behind the Lambda Web Adapter with AWS_LWA_INVOKE_MODE=response_stream, the adapter
forwards bytes as uvicorn writes them, so what arrives here in pieces arrives in pieces
through the Function URL.
"""

import json
import time

import httpx
import openai
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
from live_server import serve

from {{ cookiecutter.package_name }}.kit.agent import loop
from {{ cookiecutter.package_name }}.kit.agent.events import delta
from {{ cookiecutter.package_name }}.kit.server import create_server

from conftest import load_event


@pytest.fixture(scope="module")
def base_url():
    with serve(create_server({})) as url:
        yield url


@pytest.fixture(scope="module")
def adapter_url():
    """The server as it runs on Lambda, where only the adapter can reach it: its headers count."""
    with serve(create_server({}, behind_adapter=True)) as url:
        yield url


def lambda_context(seconds_left):
    """The adapter's x-amzn-lambda-context header: the deadline in epoch milliseconds."""
    deadline = int((time.time() + seconds_left) * 1000)
    return {"x-amzn-lambda-context": json.dumps({"request_id": "r-1", "deadline": deadline})}


def stream_lines(base_url, path, payload, headers=None):
    """POST and return (status, headers, [(arrival_time, line), ...], ttfb_s)."""
    arrivals = []
    started = time.time()
    with (
        httpx.Client(timeout=30) as client,
        client.stream("POST", f"{base_url}{path}", json=payload, headers=headers) as response,
    ):
        for line in response.iter_lines():
            if line:
                arrivals.append((time.time(), line))
    ttfb_s = arrivals[0][0] - started if arrivals else float("nan")
    return response.status_code, response.headers, arrivals, ttfb_s


def test_health(base_url):
    assert httpx.get(f"{base_url}/health").json() == {"status": "ok"}


def test_ndjson_status_lines_arrive_as_the_tool_sends_them(base_url):
    request = {"tool": "slow_process", "arguments": {"message": "hello", "steps": 4, "delay_ms": 150}}
    status, headers, arrivals, ttfb_s = stream_lines(base_url, "/invoke", request)
    assert status == 200
    assert headers["content-type"] == "application/x-ndjson"
    lines = [json.loads(line) for _, line in arrivals]
    assert [line["type"] for line in lines] == ["status"] * 5 + ["result"]
    assert lines[0]["message"] == "Starting: hello"
    assert lines[-1]["output"]["steps"] == 4

    produced = [line["timestamp"] for line in lines]
    arrived = [when for when, _ in arrivals]
    production_spread = produced[-1] - produced[0]
    arrival_spread = arrived[-1] - arrived[0]
    print(f"\ntime to first byte {ttfb_s * 1000:.1f} ms")
    print(f"produced over {production_spread * 1000:.0f} ms, arrived over {arrival_spread * 1000:.0f} ms")
    assert production_spread >= 0.55, "the tool paused 4 x 150 ms between its first and last line"
    # Buffered, every line would arrive together at the end: arrival spread ~0, and the first
    # line ~0.6 s late. The margins leave room for a busy machine, not for buffering.
    assert abs(arrival_spread - production_spread) < 0.25
    assert max(a - p for a, p in zip(arrived, produced, strict=True)) < 0.3, "a line was held back"


def test_the_agent_loop_streams_each_tool_step_as_it_happens(base_url):
    command = '/tool slow_process {"message": "hi", "steps": 3, "delay_ms": 150}'
    request = {"messages": [{"role": "user", "content": command}]}
    status, _, arrivals, _ = stream_lines(base_url, "/invoke", request)
    assert status == 200
    lines = [json.loads(line) for _, line in arrivals]
    types = [line["type"] for line in lines]
    assert types[:7] == ["status", "tool_call", "status", "status", "status", "status", "tool_result"]
    assert set(types[7:-1]) == {"delta"} and types[-1] == "result"
    assert lines[1]["name"] == "slow_process" and lines[1]["arguments"]["steps"] == 3
    assert {line["id"] for line in lines[2:7]} == {lines[1]["id"]}
    assert "Processed 'hi' in 3 steps" in lines[-1]["text"]
    arrived = [when for when, _ in arrivals]
    for index in (3, 4, 5):  # each status left as the tool sent it, before the next step
        assert arrived[index] - arrived[index - 1] >= 0.1
        assert arrived[index] - lines[index]["timestamp"] < 0.1, "a status line was held back"


def test_openai_sdk_runs_the_loop_server_side_with_tool_history(base_url):
    arguments = '{"message": "x"}'
    earlier = {"id": "call_0", "type": "function", "function": {"name": "echo", "arguments": arguments}}
    history = [
        {"role": "user", "content": "say hi"},
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [earlier],
        },
        {"role": "tool", "tool_call_id": "call_0", "content": '{"message": "x"}'},
        {"role": "user", "content": '/tool echo {"message": "again"}'},
    ]
    chat = {"messages": history, "stream": True}
    response = httpx.post(f"{base_url}/v1/chat/completions", json=chat, timeout=30)
    chunks = [line for line in response.text.splitlines() if line]
    assert any(line.startswith(": tool echo called") for line in chunks)
    assert any(line.startswith(": tool echo done") for line in chunks)
    stream = openai_client(base_url).chat.completions.create(model="echo", messages=history, stream=True)
    text = "".join(chunk.choices[0].delta.content or "" for chunk in stream)
    assert text == 'echo returned {"message": "again"}'


def test_request_level_tools_are_refused(base_url):
    with pytest.raises(openai.BadRequestError, match="'tools' is not supported"):
        openai_client(base_url).chat.completions.create(
            model="echo",
            messages=[{"role": "user", "content": "hi"}],
            tools=[{"type": "function", "function": {"name": "f", "parameters": {"type": "object"}}}],
        )


def test_openai_sdk_max_tokens_and_stop_are_honoured(base_url):
    client = openai_client(base_url)
    messages = [{"role": "user", "content": "one two three four"}]
    short = client.chat.completions.create(model="echo", messages=messages, max_tokens=2)
    assert (short.choices[0].message.content, short.choices[0].finish_reason) == ("one two", "length")
    stopped = client.chat.completions.create(model="echo", messages=messages, stop=[" three"])
    assert stopped.choices[0].message.content == "one two"
    with pytest.raises(openai.BadRequestError, match="'max_tokens' must be a whole number"):
        client.chat.completions.create(model="echo", messages=messages, max_tokens=-1)


def test_a_blocking_model_never_stalls_the_event_loop(base_url, monkeypatch):
    """The agent is plain blocking code; the server reads it in a worker thread."""

    def stuck(messages, settings, options=None):
        time.sleep(1.5)  # a model SDK blocked on the network
        yield delta("late")

    monkeypatch.setattr(loop, "run_agent", stuck)
    chat = {"messages": [{"role": "user", "content": "hi"}], "stream": True}
    url = f"{base_url}/v1/chat/completions"
    with httpx.Client(timeout=30) as client, client.stream("POST", url, json=chat):
        started = time.perf_counter()
        assert httpx.get(f"{base_url}/health").status_code == 200
        assert time.perf_counter() - started < 0.5, "/health waited for the blocked stream"


def test_a_tool_failing_mid_way_ends_the_stream_with_an_error_line(base_url, monkeypatch):
    request = {"tool": "fails_midway", "arguments": {"message": "x"}}
    status, _, arrivals, _ = stream_lines(base_url, "/invoke", request)
    assert status == 200, "the status line was already sent"
    lines = [json.loads(line) for _, line in arrivals]
    assert [line["type"] for line in lines] == ["status", "error"]
    assert lines[-1]["message"] == "agent failed", "no internal detail leaks"


@pytest.mark.parametrize(
    ("payload", "problem"),
    [
        ({"tool": "slow_process", "arguments": {"steps": 2}}, "'message'"),
        ({"tool": "nope"}, "unknown tool"),
    ],
)
def test_bad_tool_calls_are_400_before_any_stream(base_url, payload, problem):
    response = httpx.post(f"{base_url}/invoke", json=payload)
    assert response.status_code == 400
    assert problem in response.json()["error"]["message"]


def openai_client(base_url, api_key="unused"):
    return openai.OpenAI(base_url=f"{base_url}/v1", api_key=api_key, max_retries=0, timeout=30)


def test_openai_sdk_gets_a_completion(base_url):
    completion = openai_client(base_url).chat.completions.create(
        model="echo", messages=[{"role": "user", "content": "hello there"}]
    )
    assert completion.object == "chat.completion"
    assert completion.choices[0].message.role == "assistant"
    assert completion.choices[0].message.content == "hello there"
    assert completion.choices[0].finish_reason == "stop"


def test_openai_sdk_streams_chunks_as_they_are_produced(base_url, environment):
    environment.setenv("ECHO_DELAY_MS", "150")
    arrivals, texts, finish = [], [], None
    stream = openai_client(base_url).chat.completions.create(
        model="echo", messages=[{"role": "user", "content": "one two three four"}], stream=True
    )
    for chunk in stream:
        choice = chunk.choices[0]
        if choice.delta.content:
            arrivals.append(time.time())
            texts.append(choice.delta.content)
        finish = choice.finish_reason or finish
    assert "".join(texts) == "one two three four"
    assert finish == "stop"
    assert len(texts) == 4
    # Three 150 ms pauses between the words: buffered, they would arrive together. The
    # margin leaves room for a busy machine, not for buffering.
    assert arrivals[-1] - arrivals[0] >= 0.25


def test_openai_sdk_raises_on_a_failure_mid_stream(base_url, monkeypatch):
    def broken(messages, settings, options=None):
        yield delta("partial")
        raise RuntimeError("provider hung up")

    monkeypatch.setattr(loop, "run_agent", broken)
    stream = openai_client(base_url).chat.completions.create(
        model="echo", messages=[{"role": "user", "content": "hi"}], stream=True
    )
    with pytest.raises(openai.APIError, match="agent failed"):
        for _ in stream:
            pass


def test_openai_sdk_sends_its_key_as_a_bearer_token(base_url, environment):
    environment.setenv("API_KEY_SOURCE", "env")
    environment.setenv("API_KEY", "k-123")
    messages = [{"role": "user", "content": "hi"}]
    assert openai_client(base_url, "k-123").chat.completions.create(model="echo", messages=messages)
    with pytest.raises(openai.AuthenticationError):
        openai_client(base_url, "wrong").chat.completions.create(model="echo", messages=messages)


def test_the_events_route_is_absent_without_a_pass_through_path(base_url):
    response = httpx.post(f"{base_url}/events", json={"Records": []})
    assert response.status_code == 404
    assert response.json()["error"]["code"] == 404


def test_a_tool_that_cannot_finish_is_cut_off_before_the_deadline_and_stops(adapter_url):
    before = tool_runs()
    started = time.monotonic()
    response = httpx.post(
        f"{adapter_url}/invoke", json=SLOW_TOOL, headers=lambda_context(REMAINING_S), timeout=30
    )
    assert time.monotonic() - started < CUT_BY_S
    assert response.status_code == 200
    assert_ndjson_cut_off(response.content)
    assert_tools_stopped(tool_runs() - before)


def test_a_chat_stream_that_cannot_finish_ends_with_the_openai_error(adapter_url, environment):
    environment.setenv("ECHO_DELAY_MS", SLOW_ECHO_DELAY_MS)
    chat = {"stream": True, "messages": SLOW_CHAT_MESSAGES}
    started = time.monotonic()
    response = httpx.post(
        f"{adapter_url}/v1/chat/completions", json=chat, headers=lambda_context(REMAINING_S), timeout=30
    )
    assert time.monotonic() - started < CUT_BY_S
    assert_sse_cut_off(response.content)
    stream = openai_client(adapter_url).chat.completions.create(
        model="echo", messages=SLOW_CHAT_MESSAGES, stream=True, extra_headers=lambda_context(REMAINING_S)
    )
    with pytest.raises(openai.APIError, match="time out"):
        for _ in stream:
            pass


@pytest.mark.parametrize("path", ["/v1/chat/completions", "/api/v1/send_message"])
def test_a_whole_reply_that_cannot_finish_is_a_504_before_the_deadline(adapter_url, environment, path):
    environment.setenv("ECHO_DELAY_MS", SLOW_ECHO_DELAY_MS)
    message = load_event("send_message.json") | {"message": SLOW_CHAT_MESSAGES[0]["content"]}
    payload = {"messages": SLOW_CHAT_MESSAGES} if path.startswith("/v1") else message
    started = time.monotonic()
    response = httpx.post(
        f"{adapter_url}{path}", json=payload, headers=lambda_context(REMAINING_S), timeout=30
    )
    assert time.monotonic() - started < CUT_BY_S
    assert response.status_code == 504
    assert response.json()["error"]["code"] == 504


@pytest.mark.parametrize(
    "headers", [{}, {"x-amzn-lambda-context": "{not json"}], ids=["absent", "unreadable"]
)
def test_without_a_readable_deadline_nothing_is_cut(adapter_url, headers):
    tool = {"tool": "slow_process", "arguments": {"message": "m", "steps": 2, "delay_ms": 100}}
    response = httpx.post(f"{adapter_url}/invoke", json=tool, headers=headers, timeout=30)
    assert json.loads(response.text.splitlines()[-1])["type"] == "result"


def test_a_deadline_header_counts_only_behind_the_adapter(base_url):
    """Locally anyone could send one: a deadline already past is ignored."""
    tool = {"tool": "echo", "arguments": {"message": "m"}}
    response = httpx.post(f"{base_url}/invoke", json=tool, headers=lambda_context(-5))
    assert json.loads(response.text.splitlines()[-1])["type"] == "result"


def test_a_request_context_header_counts_only_behind_the_adapter(base_url, environment):
    """Locally anyone could send one: the caller's address is the socket's, 127.0.0.1."""
    environment.setenv("ALLOWED_CIDRS", "10.0.0.0/8")
    forged = {"x-amzn-request-context": json.dumps({"http": {"sourceIp": "10.1.2.3"}})}
    tool = {"tool": "echo", "arguments": {"message": "m"}}
    assert httpx.post(f"{base_url}/invoke", json=tool, headers=forged).status_code == 403
