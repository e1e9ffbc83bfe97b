import json

import pytest

from {{ cookiecutter.package_name }}.kit import service
from {{ cookiecutter.package_name }}.kit.agent.events import (
    ToolCall,
    delta,
    error,
    result,
    status,
    tool_call,
    tool_result,
)
from {{ cookiecutter.package_name }}.kit.protocols import ndjson, openai


def collect(chunks):
    return list(chunks)


def test_ndjson_line_has_type_its_fields_and_timestamp():
    line = ndjson.encode(status("working"))
    assert line.endswith(b"\n") and line.count(b"\n") == 1
    decoded = json.loads(line)
    assert decoded == {"type": "status", "message": "working", "timestamp": decoded["timestamp"]}
    assert isinstance(decoded["timestamp"], float)


def test_ndjson_tool_lines_carry_the_call_id_at_top_level():
    call = ToolCall("call_1", "lookup", {"q": "x"})
    lines = [
        json.loads(ndjson.encode(event))
        for event in (
            tool_call(call),
            status("half way", "call_1"),
            tool_result(call, output={"a": 1}),
            tool_result(call, error="ValueError: no"),
        )
    ]
    for line in lines:
        del line["timestamp"]
    assert lines == [
        {"type": "tool_call", "id": "call_1", "name": "lookup", "arguments": {"q": "x"}},
        {"type": "status", "id": "call_1", "message": "half way"},
        {"type": "tool_result", "id": "call_1", "name": "lookup", "output": {"a": 1}},
        {"type": "tool_result", "id": "call_1", "name": "lookup", "error": "ValueError: no"},
    ]


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


def test_sse_tool_steps_are_comment_lines():
    call = ToolCall("call_1", "lookup", {"q": "x"})
    events = [
        tool_call(call),
        status("line one\nline two", "call_1"),
        tool_result(call, output={}),
        delta("ok"),
        result(text="ok", finish_reason="stop"),
    ]
    chunks = collect(openai.sse_stream(iter(events), "echo"))
    comments = [c for c in chunks if c.startswith(b":")]
    assert comments == [
        b": tool lookup called (call_1)\n\n",
        b": line one line two\n\n",
        b": tool lookup done (call_1)\n\n",
    ]
    assert sse_data(chunks)[-1] == b"[DONE]"


def test_sse_error_event_ends_the_stream_without_done():
    chunks = collect(openai.sse_stream(iter([delta("par"), error("boom"), delta("never")]), "echo"))
    data = sse_data(chunks)
    assert json.loads(data[-1]) == {
        "error": {"message": "boom", "type": "server_error", "code": "agent_error"}
    }
    assert b"[DONE]" not in data
    assert b"never" not in b"".join(chunks)


def test_sse_reads_on_after_an_error_so_the_failure_behind_it_reaches_the_caller():
    def events():
        yield delta("par")
        yield error("boom")
        raise RuntimeError("the stream failed")

    chunks = []
    with pytest.raises(RuntimeError, match="the stream failed"):
        for chunk in openai.sse_stream(events(), "echo"):
            chunks.append(chunk)
    assert json.loads(sse_data(chunks)[-1])["error"]["message"] == "boom"
    assert b"[DONE]" not in b"".join(chunks)


def test_sse_failure_after_the_error_event_reaches_the_transport():
    """The transport must see the failure, to mark the invocation failed (error trailers)."""
    chunks = []
    with pytest.raises(service.StreamFailed):
        for chunk in openai.sse_stream(service.guarded(iter([delta("par"), error("boom")])), "echo"):
            chunks.append(chunk)
    assert json.loads(sse_data(chunks)[-1])["error"]["message"] == "boom"
    assert b"[DONE]" not in b"".join(chunks)
