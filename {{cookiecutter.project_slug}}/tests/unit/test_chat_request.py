"""Chat request bodies: conversation history with tool calls, and the generation settings."""

import pytest

from {{ cookiecutter.package_name }}.kit.agent.events import Message, ToolCall
from {{ cookiecutter.package_name }}.kit.errors import BadRequest
from {{ cookiecutter.package_name }}.kit.payloads import parse_chat

CALL = {"id": "call_1", "type": "function", "function": {"name": "echo", "arguments": '{"message": "hi"}'}}


def test_history_with_tool_calls_and_results_is_read():
    chat = parse_chat(
        {
            "messages": [
                {"role": "user", "content": "say hi"},
                {"role": "assistant", "content": None, "tool_calls": [CALL]},
                {"role": "tool", "tool_call_id": "call_1", "content": '{"message": "hi"}'},
            ]
        },
        "echo",
    )
    assert chat.messages == (
        Message("user", "say hi"),
        Message("assistant", "", (ToolCall("call_1", "echo", {"message": "hi"}),)),
        Message("tool", '{"message": "hi"}', tool_call_id="call_1"),
    )
    assert chat.options == {}


@pytest.mark.parametrize(
    ("messages", "problem"),
    [
        ([{"role": "tool", "tool_call_id": "call_9", "content": "x"}], "messages[0].tool_call_id must name"),
        ([{"role": "assistant", "tool_calls": []}], "messages[0].tool_calls must be a non-empty list"),
        ([{"role": "assistant", "tool_calls": ["x"]}], "messages[0].tool_calls[0] must be a function call"),
        (
            [{"role": "assistant", "tool_calls": [{**CALL, "id": ""}]}],
            "messages[0].tool_calls[0].id must be a non-empty string",
        ),
        (
            [
                {
                    "role": "assistant",
                    "tool_calls": [{**CALL, "function": {"name": "echo", "arguments": "{oops"}}],
                }
            ],
            "messages[0].tool_calls[0].function.arguments must be a JSON object in a string",
        ),
        (
            [{"role": "assistant", "tool_calls": [{**CALL, "function": {"arguments": "{}"}}]}],
            "messages[0].tool_calls[0].function.name must be a non-empty string",
        ),
        ([{"role": "assistant", "content": None}], "messages[0].content must be a string"),
    ],
)
def test_bad_history_is_refused_with_one_line(messages, problem):
    with pytest.raises(BadRequest, match=problem.replace("[", r"\[").replace("]", r"\]")):
        parse_chat({"messages": messages}, "echo")


def test_generation_settings_are_kept_as_sent():
    body = {
        "messages": [{"role": "user", "content": "x"}],
        "max_tokens": 5,
        "temperature": 0.5,
        "stop": ["a"],
    }
    assert parse_chat(body, "echo").options == {"max_tokens": 5, "temperature": 0.5, "stop": ["a"]}
    body = {"messages": [{"role": "user", "content": "x"}], "max_completion_tokens": 7, "stop": "END"}
    assert parse_chat(body, "echo").options == {"max_completion_tokens": 7, "stop": "END"}


@pytest.mark.parametrize(
    ("field", "value", "problem"),
    [
        ("max_tokens", -1, "'max_tokens' must be a whole number from 1 to 1000000"),
        ("max_tokens", 0, "'max_tokens' must be a whole number"),
        ("max_tokens", float("inf"), "'max_tokens' must be a whole number"),
        ("max_tokens", 10**7, "'max_tokens' must be a whole number"),
        ("max_tokens", True, "'max_tokens' must be a whole number"),
        ("max_tokens", "10", "'max_tokens' must be a whole number"),
        ("max_completion_tokens", 2.5, "'max_completion_tokens' must be a whole number"),
        ("temperature", 2.5, "'temperature' must be a number from 0 to 2"),
        ("temperature", -0.1, "'temperature' must be a number from 0 to 2"),
        ("temperature", "hot", "'temperature' must be a number from 0 to 2"),
        ("temperature", float("nan"), "'temperature' must be a number from 0 to 2"),
        ("stop", ["a", "b", "c", "d", "e"], "'stop' must be a non-empty string or a list of 1 to 4"),
        ("stop", [], "'stop' must be"),
        ("stop", [1], "'stop' must be"),
        ("stop", "", "'stop' must be"),
        ("tools", [{"type": "function"}], "'tools' is not supported: the agent runs its own tools"),
        ("functions", [{"name": "f"}], "'functions' is not supported"),
    ],
)
def test_bad_generation_settings_are_refused_naming_the_field(field, value, problem):
    with pytest.raises(BadRequest, match=problem):
        parse_chat({"messages": [{"role": "user", "content": "x"}], field: value}, "echo")


def test_an_infinite_max_tokens_is_refused_naming_the_field():
    with pytest.raises(BadRequest, match="'max_tokens' must be a whole number"):
        parse_chat({"messages": [{"role": "user", "content": "x"}], "max_tokens": float("inf")}, "echo")


def test_invoke_runs_the_agent_for_messages_and_one_tool_for_tool():
    import json

    from {{ cookiecutter.package_name }}.kit import service
    from {{ cookiecutter.package_name }}.kit.settings import Settings

    settings = Settings(echo_delay_ms=0)
    lines = [
        json.loads(line)
        for line in service.stream_invoke({"messages": [{"role": "user", "content": "hi"}]}, settings)
    ]
    assert [line["type"] for line in lines] == ["status", "delta", "result"]
    direct = [
        json.loads(line)
        for line in service.stream_invoke({"tool": "echo", "arguments": {"message": "x"}}, settings)
    ]
    assert direct[-1]["output"] == {"message": "x"}
    with pytest.raises(BadRequest, match="send either 'messages'"):
        service.stream_invoke({"messages": [], "tool": "echo"}, settings)
    with pytest.raises(BadRequest, match="'messages' must be a non-empty list"):
        service.stream_invoke({"messages": []}, settings)
