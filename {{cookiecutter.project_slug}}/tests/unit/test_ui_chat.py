"""The body DefaultChatTransport sends to /api/chat, as the agent's conversation, and the
model's tool calls as the UI message stream's tool parts."""

import json

import pytest

from {{ cookiecutter.package_name }}.kit.agent.events import Message, ToolCall
from {{ cookiecutter.package_name }}.kit.errors import BadRequest
from {{ cookiecutter.package_name }}.kit.settings import Settings
from {{ cookiecutter.package_name }}.kit.ui_chat import parse, stream

from fake_provider import serving


def user(text, id_="u1"):
    return {"id": id_, "role": "user", "parts": [{"type": "text", "text": text}]}


def body(*messages, **extra):
    return {"id": "chat-1", "messages": list(messages), "trigger": "submit-message", **extra}


def test_text_parts_become_messages():
    request = parse(
        body(
            user("Hello "),
            {
                "id": "u2",
                "role": "user",
                "parts": [
                    {"type": "text", "text": "a"},
                    {"type": "step-start"},
                    {"type": "text", "text": "b"},
                ],
            },
        )
    )
    assert request.chat_id == "chat-1"
    assert request.trigger == "submit-message"
    assert request.messages == (Message("user", "Hello "), Message("user", "ab"))


def test_extra_body_fields_and_message_id_are_accepted():
    request = parse(body(user("hi"), messageId="m1", temperature=0.3))
    assert request.messages == (Message("user", "hi"),)


def test_an_earlier_tool_using_turn_becomes_calls_and_tool_messages():
    assistant = {
        "id": "a1",
        "role": "assistant",
        "parts": [
            {"type": "step-start"},
            {"type": "text", "text": "Checking."},
            {"type": "data-status", "id": "status-c1", "data": {"toolCallId": "c1", "message": "Step 1"}},
            {
                "type": "tool-slow_process",
                "toolCallId": "c1",
                "state": "output-available",
                "input": {"message": "hi"},
                "output": {"summary": "ok"},
            },
            {
                "type": "tool-echo",
                "toolCallId": "c2",
                "state": "output-error",
                "input": {"message": "x"},
                "errorText": "boom",
            },
            {"type": "step-start"},
            {"type": "text", "text": "Done."},
        ],
    }
    request = parse(body(user("go"), assistant, user("again", "u2")))
    assert request.messages == (
        Message("user", "go"),
        Message(
            "assistant",
            "Checking.",
            (ToolCall("c1", "slow_process", {"message": "hi"}), ToolCall("c2", "echo", {"message": "x"})),
        ),
        Message("tool", '{"summary": "ok"}', tool_call_id="c1"),
        Message("tool", "boom", tool_call_id="c2", is_error=True),
        Message("assistant", "Done."),
        Message("user", "again"),
    )


def test_a_tool_call_that_never_ran_is_left_out():
    assistant = {
        "id": "a1",
        "role": "assistant",
        "parts": [
            {
                "type": "dynamic-tool",
                "toolName": "echo",
                "toolCallId": "c1",
                "state": "input-available",
                "input": {"message": "x"},
            },
            {"type": "text", "text": "Stopped."},
        ],
    }
    assert parse(body(user("go"), assistant)).messages == (
        Message("user", "go"),
        Message("assistant", "Stopped."),
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "'messages' must be a non-empty list of UI messages"),
        ({"messages": []}, "'messages' must be a non-empty list of UI messages"),
        (body(user("x"), trigger="resume"), "'trigger' must be one of submit-message, regenerate-message"),
        ({"id": 3, "messages": [user("x")]}, "'id' must be a string"),
        (body("hi"), "messages[0] must be an object with 'role' and 'parts'"),
        (body({"role": "tool", "parts": []}), "messages[0].role must be one of system, user, assistant"),
        (body({"role": "user", "content": "hi"}), "messages[0].parts must be a list"),
        (
            body({"role": "user", "parts": [{"type": "text", "text": 3}]}),
            "messages[0].parts[0].text must be a string",
        ),
        (body({"role": "user", "parts": ["hi"]}), "messages[0].parts[0] must be an object with a 'type'"),
        (
            body({"role": "user", "parts": [{"type": "file", "url": "data:,x", "mediaType": "text/plain"}]}),
            "messages[0].parts[0]: parts of type 'file' are not supported; send text parts",
        ),
        (body({"role": "user", "parts": [{"type": "step-start"}]}), "'messages' hold no text for the agent"),
        (
            body(
                user("x"),
                {"role": "assistant", "parts": [{"type": "tool-echo", "state": "output-available"}]},
            ),
            "messages[1].parts[0].toolCallId must be a non-empty string",
        ),
        (
            body(
                user("x"),
                {
                    "role": "assistant",
                    "parts": [
                        {
                            "type": "tool-echo",
                            "toolCallId": "c",
                            "state": "output-available",
                            "input": "x",
                            "output": 1,
                        }
                    ],
                },
            ),
            "messages[1].parts[0].input must be an object",
        ),
    ],
)
def test_bad_bodies_get_one_clear_line(data, message):
    with pytest.raises(BadRequest) as caught:
        parse(data)
    assert caught.value.message == message


def test_the_models_tool_calls_become_tool_parts(environment):
    with serving() as provider:
        extra_env, message = provider.tool_turn
        for name, value in {**provider.env, **extra_env}.items():
            environment.setenv(name, value)
        raw = list(stream(parse({"id": "c", "messages": [user(message)]}), Settings.from_env()))
    assert raw[-1] == b"data: [DONE]\n\n"
    chunks = [json.loads(chunk[len(b"data: ") :]) for chunk in raw[:-1]]
    expected_calls, text_start = provider.tool_reply
    inputs = [c for c in chunks if c["type"] == "tool-input-available"]
    assert [(c["toolCallId"], c["toolName"], c["input"]) for c in inputs] == expected_calls
    outputs = {c["toolCallId"]: c["output"] for c in chunks if c["type"] == "tool-output-available"}
    [(echo_id, _, echo_arguments)] = [call for call in expected_calls if call[1] == "echo"]
    assert outputs[echo_id] == echo_arguments
    assert "".join(c["delta"] for c in chunks if c["type"] == "text-delta").startswith(text_start)
    assert chunks[-1] == {"type": "finish", "finishReason": "stop"}
