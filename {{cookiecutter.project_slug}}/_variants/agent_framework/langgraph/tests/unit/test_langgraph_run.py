"""The author's LangGraph agent as the kit runs it: the loop's event sequence, tool progress as it
happens, errors that go back to the model, the step limit, history, cancellation, schemas."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import ClassVar

import pytest
from langchain_core.messages import AIMessage, AIMessageChunk, ToolMessage

from {{ cookiecutter.package_name }}.kit import author
from {{ cookiecutter.package_name }}.kit.agent import loop, model, provider_settings, runner, schema
from {{ cookiecutter.package_name }}.kit.agent.echo import EchoModel
from {{ cookiecutter.package_name }}.kit.agent.errors import ProviderError
from {{ cookiecutter.package_name }}.kit.agent.events import (
    Message,
    ToolCall,
    delta,
    error,
    result,
    status,
    tool_call,
    tool_result,
)
from {{ cookiecutter.package_name }}.kit.settings import Settings

import kit_tools

SLOW = {"message": "x", "steps": 2, "delay_ms": 50}
OUTPUT = {"message": "x", "steps": 2, "summary": "Processed 'x' in 2 steps"}


def run(text_or_messages, options: dict | None = None, **settings) -> list:
    """Every event of one run, for a user message (or a whole conversation)."""
    if isinstance(text_or_messages, str):
        text_or_messages = [Message("user", text_or_messages)]
    return list(loop.run_agent(text_or_messages, Settings(echo_delay_ms=0, **settings), options))


def answered_by(monkeypatch, scripted: EchoModel) -> None:
    monkeypatch.setattr(model, "build_model", lambda settings, options=None: scripted)


def error_of(events) -> str:
    (outcome,) = [e.payload for e in events if e.type == "tool_result"]
    return outcome["error"]


def test_a_tool_run_yields_the_loop_sequence():
    events = run(f"/tool slow_process {json.dumps(SLOW)}")
    call = ToolCall("call_echo_1", "slow_process", SLOW)
    answer = f"slow_process returned {json.dumps(OUTPUT)}"
    assert events == [
        status("thinking"),
        tool_call(call),
        status("Starting: x", id="call_echo_1"),
        status("Step 1/2 complete", id="call_echo_1"),
        status("Step 2/2 complete", id="call_echo_1"),
        tool_result(call, output=OUTPUT),
        *[delta(word if i == 0 else f" {word}") for i, word in enumerate(answer.split(" "))],
        result(text=answer, finish_reason="stop"),
    ]
    for event in events:
        json.dumps(event.payload)


def test_each_status_is_yielded_while_the_tool_is_still_running():
    stream = loop.run_agent([Message("user", f"/tool slow_process {json.dumps(SLOW)}")], Settings())
    assert [next(stream).type, next(stream).type] == ["status", "tool_call"]
    first = next(stream)
    assert first.payload["message"] == "Starting: x"
    rest = list(stream)
    done = next(e for e in rest if e.type == "tool_result")
    assert done.timestamp - first.timestamp >= 0.09  # two 50 ms steps were still to come


def test_plain_text_streams_word_by_word_and_max_tokens_and_stop_as_the_echo_model():
    assert run("hello there") == [
        status("thinking"),
        delta("hello"),
        delta(" there"),
        result(text="hello there", finish_reason="stop"),
    ]
    assert run("a b c d e", {"max_tokens": 2})[-1] == result(text="a b", finish_reason="length")
    assert run("a b c d", {"stop": ["zzz", " c"]})[-1] == result(text="a b", finish_reason="stop")


@pytest.mark.parametrize(
    ("command", "problem"),
    [
        ('/tool nope {"a": 1}', "unknown tool 'nope'; tools: echo, fails_midway, slow_process"),
        (
            '/tool slow_process {"message": "x", "steps": "many"}',
            "slow_process: argument 'steps' must be an integer",
        ),
        ('/tool slow_process {"message": "x", "steps": 0}', "steps must be from 1 to 100"),
        ('/tool slow_process {"steps": 2}', "slow_process: missing a required argument: 'message'"),
        ('/tool echo {"message": "x", "extra": 1}', "echo: unexpected argument 'extra'; it takes message"),
        ("/tool echo not json", "echo: the arguments must be a JSON object"),
        ("/tool echo [1, 2]", "echo: the arguments must be a JSON object"),
    ],
)
def test_calls_that_cannot_run_are_error_results_sent_back_to_the_model(command, problem):
    events = run(command)
    assert [e.type for e in events[:3]] == ["status", "tool_call", "tool_result"]
    assert error_of(events) == problem
    assert events[-1].type == "result"
    assert events[-1].payload["text"] == f"{events[1].payload['name']} failed with {problem}"


def test_arguments_that_are_not_json_show_as_the_model_sent_them():
    events = run("/tool echo not json")
    assert events[1] == tool_call(ToolCall("call_echo_1", "echo", "not json"))


def test_a_tool_that_raises_fails_its_call_and_the_run_goes_on():
    events = run('/tool fails_midway {"message": "m"}')
    call = ToolCall("call_echo_1", "fails_midway", {"message": "m"})
    assert events[:4] == [
        status("thinking"),
        tool_call(call),
        status("working on m", id="call_echo_1"),
        tool_result(call, error="RuntimeError: the tool broke mid-way"),
    ]
    assert events[-1].payload["text"] == "fails_midway failed with RuntimeError: the tool broke mid-way"


class LoopingModel(EchoModel):
    """Asks for the echo tool on every call, never answering."""

    def _chunks(self, messages, stop):
        turn = 1 + sum(1 for m in messages if isinstance(m, AIMessage) and m.tool_calls)
        piece = {"name": "echo", "args": '{"message": "again"}', "id": f"c{turn}", "index": 0}
        yield AIMessageChunk(content="", tool_call_chunks=[piece], chunk_position="last")


def test_max_steps_ends_the_run_with_an_error_event(monkeypatch):
    answered_by(monkeypatch, LoopingModel())
    events = run("loop", agent_max_steps=2)
    first, second = (ToolCall(f"c{n}", "echo", {"message": "again"}) for n in (1, 2))
    assert events == [
        status("thinking"),
        tool_call(first),
        status("echoing", id="c1"),
        tool_result(first, output={"message": "again"}),
        tool_call(second),
        status("echoing", id="c2"),
        tool_result(second, output={"message": "again"}),
        error("the agent made 2 model calls (AGENT_MAX_STEPS) without a final answer", code="max_steps"),
    ]


class UnknownToolModel(EchoModel):
    """Asks for a tool that does not exist on every call."""

    def _chunks(self, messages, stop):
        turn = 1 + sum(1 for m in messages if isinstance(m, AIMessage) and m.tool_calls)
        piece = {"name": "nope", "args": "{}", "id": f"c{turn}", "index": 0}
        yield AIMessageChunk(content="", tool_call_chunks=[piece], chunk_position="last")


def test_bad_calls_go_back_until_max_steps(monkeypatch):
    answered_by(monkeypatch, UnknownToolModel())
    events = run("loop", agent_max_steps=3)
    assert [e.type for e in events] == ["status"] + ["tool_call", "tool_result"] * 3 + ["error"]
    assert events[-1].payload["code"] == "max_steps"


class TwoCalls(EchoModel):
    """Asks for two tools in one turn (the first with text), then answers; keeps what it was sent."""

    seen: ClassVar[list] = []

    def _chunks(self, messages, stop):
        TwoCalls.seen.append(list(messages))
        if isinstance(messages[-1], ToolMessage):
            yield AIMessageChunk(content="done")
            return
        slow = '{"message": "one", "steps": 2, "delay_ms": 20}'
        yield AIMessageChunk(content="Checking.")
        yield AIMessageChunk(
            content="", tool_call_chunks=[{"name": "slow_process", "args": slow, "id": "a", "index": 0}]
        )
        yield AIMessageChunk(
            content="",
            tool_call_chunks=[{"name": "echo", "args": '{"message": "two"}', "id": "b", "index": 1}],
        )


def test_a_turns_tools_run_one_at_a_time_each_call_with_its_events_together(monkeypatch):
    TwoCalls.seen = []
    answered_by(monkeypatch, TwoCalls())
    events = run("both")
    steps = [
        (e.type, e.payload.get("id")) for e in events if e.type in ("tool_call", "status", "tool_result")
    ]
    assert steps == [
        ("status", None),
        ("tool_call", "a"),
        *[("status", "a")] * 3,
        ("tool_result", "a"),
        ("tool_call", "b"),
        ("status", "b"),
        ("tool_result", "b"),
    ]
    returned = [(m.tool_call_id, json.loads(m.content)) for m in TwoCalls.seen[1][-2:]]
    one = {"message": "one", "steps": 2, "summary": "Processed 'one' in 2 steps"}
    assert returned == [("a", one), ("b", {"message": "two"})]
    assert events[-1] == result(text="Checking.done", finish_reason="stop")


class RecordingModel(EchoModel):
    """The echo model, keeping the messages and tools each call was given."""

    calls: ClassVar[list] = []

    def _chunks(self, messages, stop):
        RecordingModel.calls.append(list(messages))
        yield from super()._chunks(messages, stop)

    def bind_tools(self, tools, **kwargs):
        RecordingModel.tools = tools
        return super().bind_tools(tools, **kwargs)


def test_history_and_system_messages_reach_the_model(monkeypatch):
    RecordingModel.calls = []
    answered_by(monkeypatch, RecordingModel())
    conversation = [
        Message("system", "Be terse."),
        Message("user", '/tool echo {"message": "hi"}'),
        Message("assistant", "calling", (ToolCall("call_echo_1", "echo", {"message": "hi"}),)),
        Message("tool", '{"message": "hi"}', tool_call_id="call_echo_1"),
        Message("user", "and now?"),
    ]
    assert run(conversation)[-1] == result(text="and now?", finish_reason="stop")
    (sent,) = RecordingModel.calls
    assert [type(m).__name__ for m in sent] == [
        "SystemMessage",
        "SystemMessage",
        "HumanMessage",
        "AIMessage",
        "ToolMessage",
        "HumanMessage",
    ]
    assert [sent[0].content, sent[1].content] == [author.system_prompt(), "Be terse."]
    assert sent[3].tool_calls[0]["args"] == {"message": "hi"} and sent[4].name == "echo"


def slow_process(message: str, steps: int = 3, delay_ms: int = 500, *, ctx=None) -> dict:
    """Work through a task in steps, reporting each one.

    Args:
        message: What to process.
        steps: How many steps, from 1 to 100.
        delay_ms: How long each step takes, in milliseconds (0 to 60000).
    """


def echo(message: str, *, ctx=None) -> dict:
    """Return the message unchanged.

    Args:
        message: The text to return.
    """


def test_the_model_sees_the_schemas_of_the_kit_s_own_tool_signatures(monkeypatch):
    answered_by(monkeypatch, RecordingModel())
    run("hello")
    seen = {tool["function"]["name"]: tool["function"] for tool in RecordingModel.tools}
    specs = {spec["name"]: spec for spec in runner.tool_specs()}
    assert set(specs) == set(kit_tools.KIT_TOOLS)
    for reference in (slow_process, echo):
        expected = schema.tool_spec(reference)  # the JSON Schema the kit makes of a plain function
        assert specs[expected["name"]] == expected
        assert seen[expected["name"]] == expected


def test_closing_the_run_cancels_the_running_tool():
    before = kit_tools.calls_of("slow_process")
    arguments = {"message": "x", "steps": 50, "delay_ms": 100}
    stream = loop.run_agent([Message("user", f"/tool slow_process {json.dumps(arguments)}")], Settings())
    while next(stream).type != "status" or not kit_tools.calls_of("slow_process") - before:
        pass
    started = time.monotonic()
    stream.close()  # the caller went away, or the deadline cut the stream
    [call] = kit_tools.calls_of("slow_process") - before
    assert kit_tools.ended(call, 1)
    assert time.monotonic() - started < 0.5, "cancelled where it awaited, not after its 5 s"


class FailingModel(EchoModel):
    """Streams a word, then its provider fails."""

    def _chunks(self, messages, stop):
        yield AIMessageChunk(content="partial")
        raise ProviderError("boom")


def test_a_provider_failure_mid_run_is_recorded_then_an_error_event(monkeypatch):
    answered_by(monkeypatch, FailingModel())
    monkeypatch.setattr(
        model, "failure_message", lambda problem, settings: f"the model provider failed: {problem}"
    )
    assert run("x") == [
        status("thinking"),
        delta("partial"),
        error("the model provider failed: boom", code="provider_error"),
    ]
    events = list(runner.run_agent([Message("user", "x")], Settings(echo_delay_ms=0)))
    assert [e.type for e in events] == ["status", "delta", "model_call", "error"]
    made = events[2].payload
    assert (made["error"], made["finish_reason"], made["input_tokens"]) == ("provider_error", None, None)
    assert made["started"] <= made["first_token"] <= events[2].timestamp <= events[3].timestamp


def test_a_provider_missing_from_the_kit_is_an_error_event(monkeypatch):
    monkeypatch.setitem(provider_settings.PROVIDER_MODULES, "echo", "no_such_provider")
    events = run("hi")
    assert [e.type for e in events] == ["status", "error"]
    assert "is not part of this kit" in events[-1].payload["message"]
    assert events[-1].payload["code"] == "provider_error"


PROBE = """
import sys
sys.path.insert(0, "src")
from {{ cookiecutter.package_name }}.kit.agent import loop
from {{ cookiecutter.package_name }}.kit.settings import Settings
loop.preload(Settings.from_env({"LLM_PROVIDER": sys.argv[1]}))  # imports the provider's module
loaded = {name.partition(".")[0] for name in sys.modules}
# LangChain's provider integrations (langchain_core and its protocol types are the framework's own)
print(" ".join(sorted(name for name in loaded if name.startswith("langchain_") and name not in FRAMEWORK)))
print(" ".join(sorted(loaded & {"openai", "boto3", "numpy"})))
""".replace("FRAMEWORK", repr({"langchain_core", "langchain_protocol"}))


@pytest.mark.parametrize("provider", list(provider_settings.PROVIDER_MODULES))
def test_only_the_configured_providers_integration_is_imported(provider):
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run(
        [sys.executable, "-c", PROBE, provider], cwd=root, capture_output=True, text=True, check=True
    )
    integrations, sdks = (line.split() for line in out.stdout.splitlines())
    if provider == "echo":
        assert (integrations, sdks) == ([], [])
    else:
        assert len(integrations) == 1, integrations  # its chat model's package, and no other
        assert len(sdks) == 1 and "numpy" not in sdks, sdks
