import json

import pytest

from {{ cookiecutter.package_name }} import service
from {{ cookiecutter.package_name }}.agent.events import delta, error, result, status
from {{ cookiecutter.package_name }}.protocols import ndjson, openai


def collect(chunks):
    return list(chunks)


def test_ndjson_line_has_type_payload_and_timestamp():
    line = ndjson.encode(status("working"))
    assert line.endswith(b"\n") and line.count(b"\n") == 1
    decoded = json.loads(line)
    assert decoded["type"] == "status"
    assert decoded["payload"] == {"message": "working"}
    assert isinstance(decoded["timestamp"], float)


def test_completion_has_the_openai_shape():
    body = openai.completion("hello", "echo")
    assert body["object"] == "chat.completion"
    assert body["id"].startswith("chatcmpl-")
    assert body["choices"][0]["message"] == {"role": "assistant", "content": "hello"}
    assert body["choices"][0]["finish_reason"] == "stop"


def sse_data(chunks):
    return [c[len(b"data: ") :].strip() for c in chunks if c.startswith(b"data: ")]


def test_sse_stream_is_chunks_then_done():
    events = [status("thinking"), delta("hel"), delta("lo"), result(text="hello", finish_reason="stop")]
    chunks = collect(openai.sse_stream(iter(events), "echo"))
    data = sse_data(chunks)
    assert data[-1] == b"[DONE]"
    bodies = [json.loads(d) for d in data[:-1]]
    assert {b["object"] for b in bodies} == {"chat.completion.chunk"}
    assert len({b["id"] for b in bodies}) == 1
    assert bodies[0]["choices"][0]["delta"] == {"role": "assistant", "content": ""}
    assert "".join(b["choices"][0]["delta"].get("content", "") for b in bodies) == "hello"
    assert bodies[-1]["choices"][0]["finish_reason"] == "stop"
    assert b": thinking\n\n" in chunks


def test_sse_error_event_ends_the_stream_without_done():
    chunks = collect(openai.sse_stream(iter([delta("par"), error("boom"), delta("never")]), "echo"))
    data = sse_data(chunks)
    assert json.loads(data[-1]) == {
        "error": {"message": "boom", "type": "server_error", "code": "agent_error"}
    }
    assert b"[DONE]" not in data
    assert b"never" not in b"".join(chunks)


def test_sse_failure_after_the_error_event_reaches_the_transport():
    """The transport must see the failure, to mark the invocation failed (error trailers)."""
    chunks = []
    with pytest.raises(service.StreamFailed):
        for chunk in openai.sse_stream(service.guarded(iter([delta("par"), error("boom")])), "echo"):
            chunks.append(chunk)
    assert json.loads(sse_data(chunks)[-1])["error"]["message"] == "boom"
    assert b"[DONE]" not in b"".join(chunks)
