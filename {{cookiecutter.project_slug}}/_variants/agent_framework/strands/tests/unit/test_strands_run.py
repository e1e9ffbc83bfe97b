"""The author's Strands agent as the kit runs it: the loop's event sequence, tool progress as it
happens, errors that go back to the model, the step limit, history, cancellation, schemas, the
record of each model call, and no span of Strands' own."""

from __future__ import annotations

import asyncio
import json
import logging
import subprocess
import sys
import time
from pathlib import Path
from typing import ClassVar

import pytest
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from strands import tool
from strands.telemetry.tracer import get_tracer

from {{ cookiecutter.package_name }}.kit import author
from {{ cookiecutter.package_name }}.kit.agent import loop, model, provider_settings, runner, schema
from {{ cookiecutter.package_name }}.kit.agent.echo import EchoModel
from {{ cookiecutter.package_name }}.kit.agent.errors import ProviderError
from {{ cookiecutter.package_name }}.kit.agent.events import Message, ToolCall
from {{ cookiecutter.package_name }}.kit.settings import Settings

from fake_provider import TOOL_TURN_TOKENS, serving

SLOW = '/tool slow_process {"message": "x", "steps": 2, "delay_ms": 50}'
OUTPUT = {"message": "x", "steps": 2, "summary": "Processed 'x' in 2 steps"}


def run(text_or_messages, options: dict | None = None, **settings) -> list:
    """Every event of one run, for a user message (or a whole conversation)."""
    if isinstance(text_or_messages, str):
        text_or_messages = [Message("user", text_or_messages)]
    return list(loop.run_agent(text_or_messages, Settings(echo_delay_ms=0, **settings), options))


def payloads(events: list) -> list[tuple[str, dict]]:
    return [(event.type, event.payload) for event in events]


def error_of(events) -> str:
    (outcome,) = [e.payload for e in events if e.type == "tool_result"]
    return outcome["error"]


def test_a_tool_run_yields_the_loop_sequence():
    events = run(SLOW)
    answer = 'slow_process returned {"message": "x", "steps": 2, "summary": "Processed \'x\' in 2 steps"}'
    call = {
        "id": "call_echo_1",
        "name": "slow_process",
        "arguments": {"message": "x", "steps": 2, "delay_ms": 50},
    }
    assert payloads(events) == [
        ("status", {"message": "thinking"}),
        ("tool_call", call),
        ("status", {"id": "call_echo_1", "message": "Starting: x"}),
        ("status", {"id": "call_echo_1", "message": "Step 1/2 complete"}),
        ("status", {"id": "call_echo_1", "message": "Step 2/2 complete"}),
        ("tool_result", {"id": "call_echo_1", "name": "slow_process", "output": OUTPUT}),
        *[("delta", {"text": word if i == 0 else f" {word}"}) for i, word in enumerate(answer.split(" "))],
        ("result", {"text": answer, "finish_reason": "stop"}),
    ]


def test_statuses_arrive_while_the_tool_runs():
    events = run(SLOW)
    stamps = {(e.type, e.payload.get("message")): e.timestamp for e in events}
    started = stamps[("status", "Starting: x")]
    step_1 = stamps[("status", "Step 1/2 complete")]
    step_2 = stamps[("status", "Step 2/2 complete")]
    done = next(e.timestamp for e in events if e.type == "tool_result")
    assert step_1 - started >= 0.045 and step_2 - step_1 >= 0.045
    assert done >= step_2


def test_every_payload_is_json():
    for event in run(SLOW):
        json.dumps(event.payload)


def model_calls(events: list) -> list[dict]:
    """The ``model_call`` payloads, each checked for its timing against the event's stamp."""
    calls = [event for event in events if event.type == "model_call"]
    for call in calls:
        first_token = call.payload["first_token"]
        assert call.payload["started"] <= (first_token or call.payload["started"]) <= call.timestamp
    return [call.payload for call in calls]


def test_each_model_call_is_recorded_when_it_ends_with_its_finish_and_tokens(environment):
    with serving() as provider:
        extra_env, message = provider.tool_turn
        for name, value in {**provider.env, **extra_env}.items():
            environment.setenv(name, value)
        settings = Settings.from_env()
        events = list(runner.run_agent([Message("user", message)], settings))
    calls = model_calls(events)
    assert [(c["finish_reason"], c["input_tokens"], c["output_tokens"]) for c in calls] == [
        (finish, *tokens) for finish, tokens in zip(["tool_calls", "stop"], TOOL_TURN_TOKENS, strict=True)
    ]
    assert {(c["model"], c["provider"], c["error"]) for c in calls} == {
        (settings.agent_model, settings.llm_provider, None)
    }
    assert all(c["first_token"] is not None for c in calls)
    kinds = [e.type for e in events]
    assert kinds.index("model_call") < kinds.index("tool_call")  # the call's record, then its tools
    assert kinds[-2:] == ["model_call", "result"]
    json.dumps(calls)


class BreaksMidway(EchoModel):
    """Streams a word, then the provider fails."""

    async def stream(self, messages, tool_specs=None, system_prompt=None, **kwargs):
        yield {"messageStart": {"role": "assistant"}}
        yield {"contentBlockDelta": {"contentBlockIndex": 0, "delta": {"text": "half"}}}
        raise ProviderError("the model provider failed: overloaded")


def test_a_failed_model_call_is_recorded_before_the_error(monkeypatch):
    monkeypatch.setattr(model, "build_model", lambda settings, options=None: BreaksMidway())
    events = list(runner.run_agent([Message("user", "hi")], Settings()))
    assert [e.type for e in events] == ["status", "delta", "model_call", "error"]
    (call,) = model_calls(events)
    assert (call["error"], call["finish_reason"], call["input_tokens"]) == ("provider_error", None, None)
    assert call["first_token"] is not None
    assert events[-1].payload["code"] == "provider_error"
    observed = loop.run_agent([Message("user", "hi")], Settings())
    assert [e.type for e in observed] == ["status", "delta", "error"]  # no model_call for callers


def test_strands_makes_no_span_of_its_own_whatever_the_tracer_provider():
    """The kit makes the run's spans from its events; Strands' would be duplicates."""
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    strands_tracer = get_tracer()
    strands_tracer.tracer = provider.get_tracer("strands.telemetry.tracer")  # as a global provider would
    assert run('/tool echo {"message": "x"}')[-1].type == "result"
    provider.force_flush()
    assert exporter.get_finished_spans() == ()
    with provider.get_tracer("test").start_as_current_span("the provider works"):
        pass
    assert [span.name for span in exporter.get_finished_spans()] == ["the provider works"]


def test_plain_text_streams_word_by_word_and_max_tokens_finishes_with_length():
    assert payloads(run("hello there")) == [
        ("status", {"message": "thinking"}),
        ("delta", {"text": "hello"}),
        ("delta", {"text": " there"}),
        ("result", {"text": "hello there", "finish_reason": "stop"}),
    ]
    assert run("one two three four", {"max_tokens": 2})[-1].payload == {
        "text": "one two",
        "finish_reason": "length",
    }
    assert run("a b c d", {"stop": ["zzz", " c"]})[-1].payload == {"text": "a b", "finish_reason": "stop"}


def test_an_unknown_tool_goes_back_to_the_model_as_an_error():
    events = run("/tool nope {}")
    error = "unknown tool 'nope'; tools: echo, fails_midway, slow_process"
    assert payloads(events)[1:3] == [
        ("tool_call", {"id": "call_echo_1", "name": "nope", "arguments": {}}),
        ("tool_result", {"id": "call_echo_1", "name": "nope", "error": error}),
    ]
    assert events[-1].payload == {"text": f"nope failed with {error}", "finish_reason": "stop"}


def test_arguments_that_do_not_fit_go_back_as_errors():
    wrong_type = error_of(run('/tool slow_process {"message": "x", "steps": "many"}'))
    assert wrong_type.startswith("Error: Validation failed for input parameters") and "steps" in wrong_type
    assert (
        error_of(run('/tool slow_process {"message": "x", "steps": 0}'))
        == "Error: steps must be from 1 to 100"
    )
    extra = run('/tool echo {"message": "x", "extra": 1}')
    assert error_of(extra) == "echo: unexpected argument 'extra'; it takes message"
    not_json = run("/tool echo not json")
    assert not_json[1].payload["arguments"] == "not json"  # the raw text, as the model sent it
    assert error_of(not_json) == "echo: the arguments must be a JSON object"
    assert not_json[-1].type == "result"


def test_a_tool_that_fails_midway_reports_then_fails():
    events = run('/tool fails_midway {"message": "x"}')
    assert [e.type for e in events[:4]] == ["status", "tool_call", "status", "tool_result"]
    assert error_of(events) == "Error: RuntimeError - the tool broke mid-way"


class LoopingModel(EchoModel):
    """Asks for the echo tool on every call, never answering."""

    async def stream(self, messages, tool_specs=None, system_prompt=None, **kwargs):
        turn = 1 + sum(1 for m in messages if any("toolUse" in b for b in m["content"]))
        yield {"messageStart": {"role": "assistant"}}
        for event in self.tool_request(messages, "/tool echo " + json.dumps({"message": str(turn)})):
            yield event


def test_max_steps_ends_with_an_error_after_that_many_model_calls(monkeypatch):
    monkeypatch.setattr(model, "build_model", lambda settings, options=None: LoopingModel())
    events = run("loop", agent_max_steps=2)
    assert [e.type for e in events] == ["status", *["tool_call", "status", "tool_result"] * 2, "error"]
    assert events[-1].payload == {
        "message": "the agent made 2 model calls (AGENT_MAX_STEPS) without a final answer",
        "code": "max_steps",
    }


class TwoCalls(EchoModel):
    """Asks for two tools in one turn, then answers."""

    async def stream(self, messages, tool_specs=None, system_prompt=None, **kwargs):
        if any("toolResult" in block for block in messages[-1]["content"]):
            async for event in super().stream(messages, tool_specs, system_prompt, **kwargs):
                yield event
            return
        yield {"messageStart": {"role": "assistant"}}
        calls = [("a", "slow_process", '{"message": "one", "steps": 2, "delay_ms": 20}'), ("b", "echo", "{}")]
        for index, (call_id, name, raw) in enumerate(calls):
            start = {"toolUse": {"toolUseId": call_id, "name": name}}
            yield {"contentBlockStart": {"contentBlockIndex": index, "start": start}}
            yield {"contentBlockDelta": {"contentBlockIndex": index, "delta": {"toolUse": {"input": raw}}}}
            yield {"contentBlockStop": {"contentBlockIndex": index}}
        yield {"messageStop": {"stopReason": "tool_use"}}


def test_a_turns_tools_run_one_at_a_time_each_call_with_its_events_together(monkeypatch):
    monkeypatch.setattr(model, "build_model", lambda settings, options=None: TwoCalls())
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
        ("tool_result", "b"),  # echo without its message: Strands' own validation error
    ]
    assert events[-1].type == "result"


class RecordingModel(EchoModel):
    """The echo model, keeping what each call was given."""

    calls: ClassVar[list] = []

    async def stream(self, messages, tool_specs=None, system_prompt=None, **kwargs):
        RecordingModel.calls.append({"messages": messages, "tools": tool_specs, "system": kwargs})
        async for event in super().stream(messages, tool_specs, system_prompt, **kwargs):
            yield event


def test_history_and_system_messages_reach_the_model(monkeypatch):
    RecordingModel.calls = []
    monkeypatch.setattr(model, "build_model", lambda settings, options=None: RecordingModel())
    conversation = [
        Message("system", "Be terse."),
        Message("user", '/tool echo {"message": "hi"}'),
        Message("assistant", "", (ToolCall("call_echo_1", "echo", {"message": "hi"}),)),
        Message("tool", '{"message": "hi"}', tool_call_id="call_echo_1"),
        Message("user", "and now?"),
    ]
    assert run(conversation)[-1].payload == {"text": "and now?", "finish_reason": "stop"}
    (call,) = RecordingModel.calls
    assert [m["role"] for m in call["messages"]] == ["user", "assistant", "user"]
    assert call["messages"][1]["content"] == [
        {"toolUse": {"toolUseId": "call_echo_1", "name": "echo", "input": {"message": "hi"}}}
    ]
    system = call["system"]["system_prompt_content"]
    assert [block["text"] for block in system] == [author.system_prompt(), "Be terse."]


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
    RecordingModel.calls = []
    monkeypatch.setattr(model, "build_model", lambda settings, options=None: RecordingModel())
    run("hello")
    seen = {spec["name"]: spec for spec in RecordingModel.calls[0]["tools"]}
    specs = {spec["name"]: spec for spec in runner.tool_specs()}
    for reference in (slow_process, echo):
        expected = schema.tool_spec(reference)
        assert specs[expected["name"]] == expected
        assert seen[expected["name"]]["inputSchema"]["json"] == expected["parameters"]


STEPS: list[int] = []


@tool
async def counter(steps: int = 50):
    """Count slowly.

    Args:
        steps: How many steps.
    """
    for step in range(steps):
        STEPS.append(step)
        yield f"step {step}"
        await asyncio.sleep(0.02)
    yield {"steps": steps}


def test_closing_the_events_cancels_the_running_tool_quietly(monkeypatch, caplog):
    monkeypatch.setitem(author.OVERRIDES, "counter", counter)
    STEPS.clear()
    caplog.set_level(logging.WARNING)
    events = loop.run_agent([Message("user", "/tool counter {}")], Settings(echo_delay_ms=0))
    seen = []
    for event in events:
        seen.append(event.type)
        if event.type == "status" and "id" in event.payload:
            break
    events.close()
    time.sleep(0.1)
    stopped_at = len(STEPS)
    time.sleep(0.2)
    assert seen == ["status", "tool_call", "status"]
    assert len(STEPS) == stopped_at <= 3  # no step after the close
    # the OpenTelemetry context was detached where it was attached: nothing logged
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING], caplog.text


PROBE = """
import sys
sys.path.insert(0, "src")
from {{ cookiecutter.package_name }}.kit.agent import loop
from {{ cookiecutter.package_name }}.kit.settings import Settings
loop.preload(Settings(llm_provider=sys.argv[1]))
print(" ".join(sorted(name for name in ("openai", "strands.models.openai") if name in sys.modules)))
"""


@pytest.mark.parametrize("provider", list(provider_settings.PROVIDER_MODULES))
def test_only_the_configured_provider_is_imported(provider):
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run(
        [sys.executable, "-c", PROBE, provider], cwd=root, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == (["openai", "strands.models.openai"] if provider == "openai" else [])
