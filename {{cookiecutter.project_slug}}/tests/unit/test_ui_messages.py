"""The AI SDK UI message stream encoder, fed synthetic agent event sequences."""

import json

import pytest

from {{ cookiecutter.package_name }}.kit.agent.events import AgentEvent, delta, error, result, status
from {{ cookiecutter.package_name }}.kit.protocols import ui_messages


def tool_call(id_, name, arguments):
    return AgentEvent("tool_call", {"id": id_, "name": name, "arguments": arguments})


def tool_output(id_, name, output):
    return AgentEvent("tool_result", {"id": id_, "name": name, "output": output})


def tool_error(id_, name, message):
    return AgentEvent("tool_result", {"id": id_, "name": name, "error": message})


def decode(events, message_id="msg-1"):
    """The chunks as dicts; asserts the SSE framing, and [DONE] at the end unless it failed."""
    frames = b"".join(ui_messages.encode_stream(iter(events), message_id)).split(b"\n\n")
    assert frames.pop() == b"", "every event ends with a blank line"
    assert all(frame.startswith(b"data: ") for frame in frames)
    done = frames[-1] == b"data: [DONE]"
    chunks = [json.loads(frame[len(b"data: ") :]) for frame in frames[: -1 if done else None]]
    check_order(chunks)
    assert done is (chunks[-1]["finishReason"] != "error"), "[DONE] ends a stream that did not fail"
    return chunks


def check_order(chunks):
    """The rules the client's parser enforces, so a broken sequence fails here first."""
    open_texts, known_calls, in_step = set(), set(), False
    assert chunks[0]["type"] == "start"
    assert chunks[-1]["type"] == "finish"
    assert chunks[-1]["finishReason"] in ui_messages.FINISH_REASONS
    for c in chunks[1:-1]:
        kind = c["type"]
        if kind == "start-step":
            assert not in_step, "a step started inside a step"
            in_step = True
        elif kind == "finish-step":
            assert in_step and not open_texts, "a step finished with text still open"
            in_step = False
        elif kind == "text-start":
            assert in_step and c["id"] not in open_texts
            open_texts.add(c["id"])
        elif kind == "text-delta":
            assert c["id"] in open_texts and c["delta"]
        elif kind == "text-end":
            open_texts.remove(c["id"])
        elif kind == "tool-input-available":
            assert in_step and {"toolCallId", "toolName", "input"} <= set(c)
            known_calls.add(c["toolCallId"])
        elif kind in ("tool-output-available", "tool-output-error"):
            assert c["toolCallId"] in known_calls
        elif kind == "data-status":
            assert "data" in c
        else:
            assert kind == "error" and c["errorText"]
    assert not in_step and not open_texts


def types(chunks):
    return [c["type"] for c in chunks]


def test_text_answer_is_one_step_with_one_text_part():
    chunks = decode(
        [status("thinking"), delta("Hel"), delta("lo"), result(text="Hello", finish_reason="stop")]
    )
    assert types(chunks) == [
        "start",
        "data-status",
        "start-step",
        "text-start",
        "text-delta",
        "text-delta",
        "text-end",
        "finish-step",
        "finish",
    ]
    assert chunks[0] == {"type": "start", "messageId": "msg-1"}
    assert chunks[1] == {"type": "data-status", "data": {"message": "thinking"}, "transient": True}
    assert {c["id"] for c in chunks if c["type"].startswith("text-")} == {"text-1"}
    assert "".join(c["delta"] for c in chunks if c["type"] == "text-delta") == "Hello"
    assert chunks[-1] == {"type": "finish", "finishReason": "stop"}


def test_tool_call_then_answer_is_two_steps():
    events = [
        delta("Let me check."),
        tool_call("call_1", "slow_process", {"message": "hi", "steps": 2}),
        AgentEvent("status", {"id": "call_1", "message": "Starting"}),
        AgentEvent("status", {"id": "call_1", "message": "Step 1/2 complete"}),
        tool_output("call_1", "slow_process", {"summary": "done"}),
        delta("It is "),
        delta("done."),
        result(text="Let me check.It is done.", finish_reason="stop"),
    ]
    chunks = decode(events)
    assert types(chunks) == [
        "start",
        "start-step",
        "text-start",
        "text-delta",
        "text-end",
        "tool-input-available",
        "data-status",
        "data-status",
        "tool-output-available",
        "finish-step",
        "start-step",
        "text-start",
        "text-delta",
        "text-delta",
        "text-end",
        "finish-step",
        "finish",
    ]
    call = chunks[5]
    assert call == {
        "type": "tool-input-available",
        "toolCallId": "call_1",
        "toolName": "slow_process",
        "input": {"message": "hi", "steps": 2},
    }
    statuses = [c for c in chunks if c["type"] == "data-status"]
    assert {c["id"] for c in statuses} == {"status-call_1"}, "one part per call, updated in place"
    assert statuses[-1]["data"] == {"toolCallId": "call_1", "message": "Step 1/2 complete"}
    assert chunks[8] == {
        "type": "tool-output-available",
        "toolCallId": "call_1",
        "output": {"summary": "done"},
    }
    first, second = (c["id"] for c in chunks if c["type"] == "text-start")
    assert first != second


def test_a_failed_tool_is_an_output_error_and_the_run_goes_on():
    events = [
        tool_call("b", "slow_process", {"steps": 0}),
        tool_error("b", "slow_process", "steps must be from 1 to 100"),
        delta("It failed."),
        result(text="It failed.", finish_reason="stop"),
    ]
    chunks = decode(events)
    assert types(chunks)[:5] == [
        "start",
        "start-step",
        "tool-input-available",
        "tool-output-error",
        "finish-step",
    ]
    assert chunks[3] == {
        "type": "tool-output-error",
        "toolCallId": "b",
        "errorText": "steps must be from 1 to 100",
    }
    assert chunks[-1]["finishReason"] == "stop"


def test_a_call_after_results_starts_a_new_step():
    events = [
        tool_call("a", "echo", {"message": "1"}),
        tool_output("a", "echo", "1"),
        tool_call("b", "echo", {"message": "2"}),
        tool_output("b", "echo", "2"),
        delta("done"),
        result(text="done", finish_reason="stop"),
    ]
    # The events carry no model-call boundary: results followed by a call mean the model was
    # asked again (parallel calls of one turn show as consecutive steps; the parts are the same).
    assert types(decode(events)).count("start-step") == 3


@pytest.mark.parametrize(
    ("given", "sent"),
    [
        ("stop", "stop"),
        ("length", "length"),
        ("tool_calls", "tool-calls"),
        ("content_filter", "content-filter"),
        ("end_turn", "other"),
        (None, "stop"),
    ],
)
def test_finish_reason_is_one_every_client_major_accepts(given, sent):
    chunks = decode([delta("x"), result(text="x", finish_reason=given)])
    assert chunks[-1] == {"type": "finish", "finishReason": sent}


def test_error_closes_the_open_text_and_step_then_finishes_with_error():
    chunks = decode([delta("par"), error("the model is unreachable", code="provider_error"), delta("never")])
    assert types(chunks) == [
        "start",
        "start-step",
        "text-start",
        "text-delta",
        "text-end",
        "finish-step",
        "error",
        "finish",
    ]
    assert chunks[-2] == {"type": "error", "errorText": "the model is unreachable"}
    assert chunks[-1] == {"type": "finish", "finishReason": "error"}


def test_an_agent_that_stops_without_a_result_still_ends_the_message():
    chunks = decode([delta("half")])
    assert types(chunks)[-3:] == ["text-end", "finish-step", "finish"]
    assert chunks[-1]["finishReason"] == "other"


def test_empty_deltas_open_nothing():
    assert types(decode([delta(""), result(text="", finish_reason="stop")])) == ["start", "finish"]


def test_each_stream_gets_its_own_message_id():
    first = json.loads(next(ui_messages.encode_stream(iter([])))[6:])
    second = json.loads(next(ui_messages.encode_stream(iter([])))[6:])
    assert first["messageId"] != second["messageId"]


def test_error_chunks_end_a_stream_cut_off_from_outside():
    text = ui_messages.error_chunks("timed out").decode()
    frames = text.split("\n\n")
    assert json.loads(frames[0][6:]) == {"type": "error", "errorText": "timed out"}
    assert json.loads(frames[1][6:]) == {"type": "finish", "finishReason": "error"}
    assert frames[2:] == [""], "no [DONE] after a failure"
