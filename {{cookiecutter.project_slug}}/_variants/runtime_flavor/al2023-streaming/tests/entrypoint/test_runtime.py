"""The real runtime: ``bootstrap`` as a subprocess against the local Runtime API stand-in."""

import contextlib
import http.client
import json
import os
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

import agent_modules
import message_modules
import pytest
from deadline_helpers import CUT_BY_S, REMAINING_S, SLOW_CHAT_MESSAGES, SLOW_ECHO_DELAY_MS, assert_sse_cut_off
from http_stub import serving
from lambda_standin import HTTP_INTEGRATION, FunctionUrlServer, RuntimeApiServer

from conftest import http_event, load_event, sqs_event

ROOT = Path(__file__).resolve().parents[2]
TASK_PATH = os.pathsep.join([str(ROOT / "src"), str(ROOT / "tests"), sysconfig.get_path("purelib")])
TRAILER = "Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body"
GOOD = json.dumps(load_event("send_message.json"))


def runtime_env(**extra):
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHON": sys.executable,
        "TASK_PATH": TASK_PATH,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "{{ cookiecutter.aws_region }}",
        "ECHO_DELAY_MS": "0",
    }
    return {**env, **extra}


@contextlib.contextmanager
def runtime(handler="runtime_handlers.handler", **env):
    api = RuntimeApiServer().start()
    process = subprocess.Popen(
        [str(ROOT / "bootstrap"), handler],
        env=runtime_env(AWS_LAMBDA_RUNTIME_API=api.address, **env),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        # As on Lambda, an invocation's time starts once init is done and the runtime asks for it.
        waited = time.monotonic()
        while not api.next_calls and process.poll() is None and time.monotonic() - waited < 30:
            time.sleep(0.01)
        yield api, process
    finally:
        process.kill()
        process.communicate()
        api.shutdown()
        api.server_close()


@pytest.fixture(scope="module")
def api():
    with runtime() as (server, _):
        yield server


def invoke(api, event, timeout_ms=60_000):
    return api.invoke(event, timeout_ms).wait()


def ndjson_lines(payload):
    return [json.loads(line) for line in payload.splitlines()]


def test_bootstrap_is_executable():
    assert os.access(ROOT / "bootstrap", os.X_OK)


def test_streamed_reply_uses_the_exact_runtime_api_headers(api):
    reply = invoke(api, http_event("/invoke", {"tool": "echo", "arguments": {"message": "hi"}}))
    assert reply.kind == "streamed"
    assert reply.headers["lambda-runtime-function-response-mode"] == "streaming"
    assert reply.headers["transfer-encoding"] == "chunked"
    assert reply.headers["content-type"] == HTTP_INTEGRATION
    assert reply.headers["trailer"] == TRAILER
    assert reply.trailers == {}, "no error trailers on success"


def test_prelude_gives_status_and_content_type(api):
    prelude, payload = invoke(
        api, http_event("/invoke", {"tool": "echo", "arguments": {"message": "hi"}})
    ).http()
    assert prelude["statusCode"] == 200
    assert prelude["headers"]["content-type"] == "application/x-ndjson"
    assert [line["type"] for line in ndjson_lines(payload)] == ["status", "result"]


def test_chunks_arrive_as_the_agent_produces_them(api):
    arguments = {"message": "hi", "steps": 4, "delay_ms": 150}
    reply = invoke(api, http_event("/invoke", {"tool": "slow_process", "arguments": arguments}))
    produced, arrived = [], []
    for at, data in reply.chunks:
        for line in data.split(b"\0" * 8)[-1].splitlines():
            produced.append(json.loads(line)["timestamp"])
            arrived.append(at)
    assert len(produced) == 6
    assert arrived[-1] - arrived[0] >= 0.5, "the chunks arrived together: the reply was buffered"
    for made, came in zip(produced, arrived, strict=True):
        assert abs((came - arrived[0]) - (made - produced[0])) < 0.05


def test_the_agent_loop_streams_each_tool_step_as_it_happens(api):
    command = '/tool slow_process {"message": "hi", "steps": 3, "delay_ms": 150}'
    reply = invoke(api, http_event("/invoke", {"messages": [{"role": "user", "content": command}]}))
    lines, arrived = [], []
    for at, data in reply.chunks:
        for line in data.split(b"\0" * 8)[-1].splitlines():
            lines.append(json.loads(line))
            arrived.append(at)
    types = [line["type"] for line in lines]
    assert types[:7] == ["status", "tool_call", "status", "status", "status", "status", "tool_result"]
    assert set(types[7:-1]) == {"delta"} and types[-1] == "result"
    call_id = lines[1]["id"]
    assert [line["message"] for line in lines[3:6] if line["id"] == call_id] == [
        f"Step {n}/3 complete" for n in (1, 2, 3)
    ]
    assert "Processed 'hi' in 3 steps" in lines[-1]["text"]
    for index in (3, 4, 5):  # each status left as the tool sent it, not with the rest
        assert arrived[index] - arrived[index - 1] >= 0.1
        assert abs((arrived[index] - arrived[0]) - (lines[index]["timestamp"] - lines[0]["timestamp"])) < 0.05


def test_streamed_chat_completion_is_sse(api):
    chat = {"stream": True, "messages": [{"role": "user", "content": "a b c"}]}
    prelude, payload = invoke(api, http_event("/v1/chat/completions", chat)).http()
    assert prelude["statusCode"] == 200
    assert prelude["headers"]["content-type"] == "text/event-stream"
    data = [line[6:] for line in payload.decode().splitlines() if line.startswith("data: ")]
    assert data[-1] == "[DONE]"
    assert "".join(json.loads(d)["choices"][0]["delta"].get("content", "") for d in data[:-1]) == "a b c"


@pytest.mark.parametrize(
    ("path", "body", "status", "problem"),
    [
        ("/v1/chat/completions", "{not json", 400, "not valid JSON"),
        ("/invoke", {"tool": "rm -rf"}, 400, "unknown tool"),
        ("/api/v1/send_message", "[1, 2]", 400, "must be a JSON object"),
        ("/nowhere", {}, 404, "Not Found"),
    ],
)
def test_bad_requests_get_a_json_error(api, path, body, status, problem):
    reply = invoke(api, http_event(path, body))
    assert reply.kind == "streamed" and not reply.trailers
    prelude, payload = reply.http()
    assert prelude["statusCode"] == status
    assert prelude["headers"]["content-type"] == "application/json"
    assert problem in json.loads(payload)["error"]["message"]


def test_mid_stream_failure_ends_with_an_error_event_and_trailers(api):
    body = {"tool": "fails_midway", "arguments": {"message": "x"}}
    reply = invoke(api, http_event("/invoke", body))
    _, payload = reply.http()
    lines = ndjson_lines(payload)
    assert [line["type"] for line in lines] == ["status", "error"]
    assert reply.error_type == "Runtime.HandlerError"
    assert reply.error["errorType"] == "StreamFailed"


def test_sse_failure_mid_stream_ends_with_an_error_object_and_trailers():
    chat = {"stream": True, "messages": [{"role": "user", "content": "hi"}]}
    with runtime("runtime_handlers.broken_model") as (api, _):
        reply = invoke(api, http_event("/v1/chat/completions", chat))
    _, payload = reply.http()
    data = [line[6:] for line in payload.decode().splitlines() if line.startswith("data: ")]
    assert json.loads(data[1])["choices"][0]["delta"] == {"content": "partial"}
    assert json.loads(data[-1])["error"]["message"] == "agent failed"
    assert "[DONE]" not in data
    assert reply.error_type == "Runtime.HandlerError"
    assert reply.error["errorType"] == "StreamFailed"


def test_the_same_process_serves_after_a_failure(api):
    invoke(api, http_event("/invoke", {"tool": "fails_midway", "arguments": {"message": "x"}}))
    prelude, _ = invoke(api, load_event("function_url.json")).http()
    assert prelude["statusCode"] == 200


def test_deadline_cuts_the_stream_off_with_an_error_event(api):
    arguments = {"message": "long", "steps": 50, "delay_ms": 100}
    started = time.monotonic()
    reply = invoke(
        api, http_event("/invoke", {"tool": "slow_process", "arguments": arguments}), timeout_ms=1500
    )
    assert time.monotonic() - started < 1.5, "cut off before the deadline"
    lines = ndjson_lines(reply.http()[1])
    assert lines[-1]["type"] == "error"
    assert lines[-1]["code"] == "deadline_exceeded"
    assert reply.error["errorType"] == "DeadlineExceeded"


def test_deadline_cuts_an_sse_stream_off_with_the_openai_error_and_trailers():
    chat = {"stream": True, "messages": SLOW_CHAT_MESSAGES}
    with runtime(ECHO_DELAY_MS=SLOW_ECHO_DELAY_MS) as (api, _):
        invoke(api, {"probe": "costly"})  # the clock starts once init is over, as the deadline's does
        started = time.monotonic()
        reply = invoke(api, http_event("/v1/chat/completions", chat), timeout_ms=int(REMAINING_S * 1000))
        assert time.monotonic() - started < CUT_BY_S
    assert_sse_cut_off(reply.http()[1])
    assert reply.error_type == "Runtime.HandlerError"
    assert reply.error["errorType"] == "DeadlineExceeded"


def test_a_whole_reply_that_cannot_finish_is_a_504_before_the_deadline():
    chat = {"messages": SLOW_CHAT_MESSAGES}
    with runtime(ECHO_DELAY_MS=SLOW_ECHO_DELAY_MS) as (api, _):
        invoke(api, {"probe": "costly"})  # the clock starts once init is over, as the deadline's does
        started = time.monotonic()
        reply = invoke(api, http_event("/v1/chat/completions", chat), timeout_ms=int(REMAINING_S * 1000))
        assert time.monotonic() - started < CUT_BY_S
    prelude, payload = reply.http()
    assert prelude["statusCode"] == 504
    assert json.loads(payload)["error"]["code"] == 504
    assert not reply.trailers, "a 504 is an answer, not a failed invocation"


def test_sqs_poison_record_is_the_only_batch_failure(api):
    reply = invoke(api, sqs_event(GOOD, "not json", GOOD))
    assert reply.kind == "buffered"
    assert json.loads(reply.body) == {"batchItemFailures": [{"itemIdentifier": "msg-1"}]}


def test_schedule_is_answered_buffered(api):
    reply = invoke(api, load_event("schedule.json"))
    assert reply.kind == "buffered"
    json.loads(reply.body)  # whatever the author's job returns, as JSON


def test_unknown_event_is_an_invocation_error(api):
    reply = invoke(api, {"detail-type": "x"})
    assert reply.kind == "error"
    assert reply.headers["lambda-runtime-function-error-type"] == "Runtime.HandlerError"
    assert reply.error["errorType"] == "UnsupportedEvent"


def test_http_loads_only_the_standard_library_and_the_agents_modules_and_skips_costly_ones():
    with runtime() as (api, _):
        invoke(api, load_event("function_url.json"))
        invoke(api, http_event("/invoke", {"tool": "echo", "arguments": {"message": "hi"}}))
        assert agent_modules.unexpected(json.loads(invoke(api, {"probe": "modules"}).body)) == []
        assert set(json.loads(invoke(api, {"probe": "costly"}).body)) <= agent_modules.COSTLY
        invoke(api, load_event("sqs_batch.json"))
        invoke(api, load_event("schedule.json"))
        loaded = json.loads(invoke(api, {"probe": "modules"}).body)
        assert message_modules.as_expected(agent_modules.unexpected(loaded))


def test_failure_before_the_first_byte_posts_error():
    with runtime("runtime_handlers.fails_before_first_byte") as (api, _):
        reply = invoke(api, {})
    assert reply.kind == "error"
    assert reply.headers["lambda-runtime-function-error-type"] == "Runtime.HandlerError"
    assert reply.error["errorType"] == "ValueError"
    assert reply.error["errorMessage"] == "bad input: nothing was sent"


def test_raw_generator_failing_mid_stream_gets_trailers():
    with runtime("runtime_handlers.fails_mid_stream") as (api, _):
        reply = invoke(api, {})
    assert reply.kind == "streamed"
    assert reply.headers["content-type"] == "application/octet-stream"
    assert reply.body == b"one\n"
    assert reply.error_type == "Runtime.HandlerError"
    assert reply.error == {
        "errorMessage": "broke after the first chunk",
        "errorType": "RuntimeError",
        "stackTrace": reply.error["stackTrace"],
    }


def test_async_generator_handler_streams_str_chunks():
    with runtime("runtime_handlers.async_chunks") as (api, _):
        reply = invoke(api, {})
    assert [data for _, data in reply.chunks] == [b"chunk 0\n", b"chunk 1\n", b"chunk 2\n"]


@pytest.mark.parametrize(
    ("handler", "error_type"),
    [
        ("no_such_module.handler", "Runtime.ImportModuleError"),
        ("runtime_handlers.absent", "Runtime.HandlerNotFound"),
        ("handler", "Runtime.MalformedHandlerName"),
    ],
)
def test_bad_handler_reports_init_error_and_exits(handler, error_type):
    with runtime(handler) as (api, process):
        assert process.wait(timeout=30) != 0
        [(headers, body)] = api.init_errors
    assert headers["lambda-runtime-function-error-type"] == error_type
    assert json.loads(body)["errorMessage"]


def test_bad_setting_fails_the_cold_start_with_init_error():
    with runtime(LOG_LEVEL="LOUD") as (api, process):
        assert process.wait(timeout=30) != 0
        [(_, body)] = api.init_errors
    assert "LOG_LEVEL" in json.loads(body)["errorMessage"]


def assert_relays_chunks_as_they_come(front):
    """POST a slow tool to a local front: the first line arrives before the tool has finished."""
    connection = http.client.HTTPConnection("127.0.0.1", front.server_address[1], timeout=30)
    body = json.dumps({"tool": "slow_process", "arguments": {"message": "hi", "steps": 2, "delay_ms": 200}})
    connection.request("POST", "/invoke", body, {"content-type": "application/json"})
    response = connection.getresponse()
    assert response.status == 200
    assert response.getheader("content-type") == "application/x-ndjson"
    started = time.monotonic()
    first = response.readline()
    first_after = time.monotonic() - started
    rest = response.read()
    assert json.loads(first)["type"] == "status"
    assert first_after < 0.15, "the first line came before the tool finished"
    assert json.loads(rest.splitlines()[-1])["type"] == "result"
    return connection


def test_local_function_url_relays_status_headers_and_chunks(api):
    with serving(FunctionUrlServer(0, api, 60_000)) as front:
        connection = assert_relays_chunks_as_they_come(front)
        connection.request("POST", "/invoke", "{oops", {"content-type": "application/json"})
        response = connection.getresponse()
        assert response.status == 400
        assert json.loads(response.read())["error"]["code"] == 400
