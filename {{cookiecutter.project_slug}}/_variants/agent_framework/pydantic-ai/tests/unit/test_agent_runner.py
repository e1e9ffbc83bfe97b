"""The Pydantic AI runner: the agent's run as the kit's events, in the kit's order, with the echo model
and with scripted ``FunctionModel``s; the record of each model request; no instrumentation."""

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pydantic_ai import Agent
from pydantic_ai.exceptions import ModelHTTPError
from pydantic_ai.models.function import AgentInfo, DeltaToolCall, FunctionModel

from {{ cookiecutter.package_name }}.kit import author
from {{ cookiecutter.package_name }}.kit.agent import loop, provider_settings, runner, schema
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
from fake_provider import TOOL_TURN_TOKENS, serving

ROOT = Path(__file__).resolve().parents[2]
SLOW = {"message": "x", "steps": 2, "delay_ms": 50}


def ask(text, **settings):
    return list(loop.run_agent([Message("user", text)], Settings(echo_delay_ms=0, **settings)))


def scripted(monkeypatch, stream_function):
    """Runs answered by a ``FunctionModel`` streaming what ``stream_function`` yields."""
    monkeypatch.setattr(runner, "model_for", lambda settings: FunctionModel(stream_function=stream_function))


def test_text_streams_word_by_word():
    assert ask("hello there world") == [
        status("thinking"),
        delta("hello"),
        delta(" there"),
        delta(" world"),
        result(text="hello there world", finish_reason="stop"),
    ]


def test_a_tool_call_is_the_kits_exact_sequence():
    events = ask(f"/tool slow_process {json.dumps(SLOW)}")
    call = ToolCall("call_echo_1", "slow_process", SLOW)
    output = {"message": "x", "steps": 2, "summary": "Processed 'x' in 2 steps"}
    answer = f"slow_process returned {json.dumps(output)}"
    assert events == [
        status("thinking"),
        tool_call(call),
        status("Starting: x", id="call_echo_1"),
        status("Step 1/2 complete", id="call_echo_1"),
        status("Step 2/2 complete", id="call_echo_1"),
        tool_result(call, output=output),
        *[delta(word if i == 0 else f" {word}") for i, word in enumerate(answer.split(" "))],
        result(text=answer, finish_reason="stop"),
    ]
    for event in events:
        json.dumps(event.payload)


def model_calls(events: list) -> list[dict]:
    """The ``model_call`` payloads, each checked for its timing against the event's stamp."""
    calls = [event for event in events if event.type == "model_call"]
    for call in calls:
        first_token = call.payload["first_token"]
        assert call.payload["started"] <= (first_token or call.payload["started"]) <= call.timestamp
    return [call.payload for call in calls]


def test_each_model_request_is_recorded_when_it_ends_with_its_finish_and_tokens(environment):
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
    assert kinds.index("model_call") < kinds.index("tool_call")  # the request's record, then its tools
    assert kinds[-2:] == ["model_call", "result"]
    json.dumps(calls)


def test_a_failed_model_request_is_recorded_before_the_error(monkeypatch):
    async def breaks_midway(messages, info: AgentInfo):
        yield "half"
        raise ModelHTTPError(503, "m", {"message": "overloaded"})

    scripted(monkeypatch, breaks_midway)
    events = list(runner.run_agent([Message("user", "hi")], Settings()))
    assert [e.type for e in events] == ["status", "delta", "model_call", "error"]
    (call,) = model_calls(events)
    assert (call["error"], call["finish_reason"], call["input_tokens"]) == ("provider_error", None, None)
    assert call["first_token"] is not None
    assert events[-1] == error("the model provider answered 503: overloaded", code="provider_error")
    observed = loop.run_agent([Message("user", "hi")], Settings())
    assert [e.type for e in observed] == ["status", "delta", "error"]  # no model_call for callers


def test_the_kit_never_instruments_pydantic_ai():
    """Pydantic AI's spans would duplicate the ones the kit makes from the run's events."""
    assert author.pydantic_agent().instrument is None
    assert Agent._instrument_default is False


def test_each_status_is_yielded_while_the_tool_is_still_running():
    stream = loop.run_agent([Message("user", f"/tool slow_process {json.dumps(SLOW)}")], Settings())
    assert [next(stream).type, next(stream).type] == ["status", "tool_call"]
    first = next(stream)
    assert first.payload["message"] == "Starting: x"
    rest = list(stream)
    done = next(e for e in rest if e.type == "tool_result")
    assert done.timestamp - first.timestamp >= 0.09  # two 50 ms steps were still to come


def test_max_tokens_and_stop_as_the_echo_model():
    events = list(loop.run_agent([Message("user", "a b c d e")], Settings(), {"max_tokens": 2}))
    assert events[-1] == result(text="a b", finish_reason="length")
    events = list(loop.run_agent([Message("user", "a b c d")], Settings(), {"stop": ["zzz", " c"]}))
    assert events[-1] == result(text="a b", finish_reason="stop")


@pytest.mark.parametrize(
    ("command", "problem"),
    [
        ('/tool nope {"a": 1}', "Unknown tool name: 'nope'"),
        ('/tool slow_process {"message": "x", "steps": "many"}', "argument 'steps': Input should be"),
        ('/tool slow_process {"message": "x", "steps": 0}', "steps must be from 1 to 100"),
        ('/tool slow_process {"steps": 2}', "argument 'message': Field required"),
        ("/tool echo not json", "Invalid JSON"),
    ],
)
def test_calls_that_cannot_run_are_error_results_sent_back_to_the_model(command, problem):
    events = ask(command)
    assert [e.type for e in events[:3]] == ["status", "tool_call", "tool_result"]
    assert problem in events[2].payload["error"] and "output" not in events[2].payload
    assert events[-1].type == "result"
    assert events[-1].payload["text"].startswith(f"{events[1].payload['name']} failed with")


def test_a_tool_that_raises_fails_its_call_and_the_run_goes_on():
    events = ask('/tool fails_midway {"message": "m"}')
    call = ToolCall("call_echo_1", "fails_midway", {"message": "m"})
    assert events[:4] == [
        status("thinking"),
        tool_call(call),
        status("working on m", id="call_echo_1"),
        tool_result(call, error="RuntimeError: the tool broke mid-way"),
    ]
    assert events[-1].payload["text"] == "fails_midway failed with RuntimeError: the tool broke mid-way"


def test_max_steps_ends_the_run_with_an_error_event(monkeypatch):
    async def always_a_tool(messages, info: AgentInfo):
        yield {0: DeltaToolCall("echo", '{"message": "again"}', tool_call_id=f"c{len(messages)}")}

    scripted(monkeypatch, always_a_tool)
    events = ask("loop", agent_max_steps=2)
    first, second = (ToolCall(f"c{n}", "echo", {"message": "again"}) for n in (1, 3))
    assert events == [
        status("thinking"),
        tool_call(first),
        status("echoing", id="c1"),
        tool_result(first, output={"message": "again"}),
        tool_call(second),
        status("echoing", id="c3"),
        tool_result(second, output={"message": "again"}),
        error("the agent made 2 model calls (AGENT_MAX_STEPS) without a final answer", code="max_steps"),
    ]


def test_bad_calls_go_back_until_max_steps_not_after_one_retry(monkeypatch):
    async def always_unknown(messages, info: AgentInfo):
        yield {0: DeltaToolCall("nope", "{}", tool_call_id=f"c{len(messages)}")}

    scripted(monkeypatch, always_unknown)
    events = ask("loop", agent_max_steps=3)
    assert [e.type for e in events] == ["status"] + ["tool_call", "tool_result"] * 3 + ["error"]
    assert events[-1].payload["code"] == "max_steps"


def test_two_calls_of_one_turn_run_in_order_and_their_results_go_back(monkeypatch):
    seen = []

    async def two_then_done(messages, info: AgentInfo):
        seen.append(messages)
        if len(messages) == 1:
            yield {0: DeltaToolCall("echo", '{"message": "first"}', tool_call_id="a")}
            yield {1: DeltaToolCall("echo", '{"message": "second"}', tool_call_id="b")}
        else:
            yield "done"

    scripted(monkeypatch, two_then_done)
    events = ask("go")
    assert [(e.type, e.payload.get("id")) for e in events[1:7]] == [
        ("tool_call", "a"),
        ("status", "a"),
        ("tool_result", "a"),
        ("tool_call", "b"),
        ("status", "b"),
        ("tool_result", "b"),
    ]
    returned = [(p.tool_call_id, p.content) for p in seen[1][-1].parts]
    assert returned == [("a", {"message": "first"}), ("b", {"message": "second"})]
    assert events[-1] == result(text="done", finish_reason="stop")


def test_history_and_system_messages_reach_the_model(monkeypatch):
    seen = {}

    async def record(messages, info: AgentInfo):
        seen["messages"], seen["instructions"] = messages, info.instructions
        yield "ok"

    scripted(monkeypatch, record)
    call = ToolCall("c1", "echo", {"message": "hi"})
    conversation = [
        Message("system", "Speak French."),
        Message("user", "first"),
        Message("assistant", "calling", (call,)),
        Message("tool", '{"message": "hi"}', tool_call_id="c1"),
        Message("assistant", "done"),
        Message("user", "second"),
    ]
    events = list(loop.run_agent(conversation, Settings()))
    assert events[-1].payload == {"text": "ok", "finish_reason": "stop"}
    assert "You are a helpful assistant." in seen["instructions"] and "Speak French." in seen["instructions"]
    parts = [[type(p).__name__ for p in m.parts] for m in seen["messages"]]
    assert parts == [
        ["UserPromptPart"],
        ["TextPart", "ToolCallPart"],
        ["ToolReturnPart"],
        ["TextPart"],
        ["UserPromptPart"],
    ]
    assert seen["messages"][2].parts[0].tool_name == "echo"


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


def test_a_provider_missing_from_the_kit_is_an_error_event(monkeypatch):
    monkeypatch.setitem(provider_settings.PROVIDER_MODULES, "echo", "no_such_provider")
    events = ask("hi")
    assert [e.type for e in events] == ["status", "error"]
    assert "is not part of this kit" in events[-1].payload["message"]
    assert events[-1].payload["code"] == "provider_error"


def test_the_model_sees_the_schemas_the_kits_tools_describe():
    specs = {spec["name"]: spec for spec in runner.tool_specs()}
    assert set(specs) == set(kit_tools.KIT_TOOLS)
    for function in (kit_tools.slow_process, kit_tools.echo):
        # The same JSON Schema the kit builds from a plain function's signature and docstring.
        assert specs[function.__name__] == schema.tool_spec(function)


def test_only_the_configured_providers_sdk_is_imported():
    code = (
        "import sys\n"
        "from {{ cookiecutter.package_name }}.kit.agent import loop\n"
        "from {{ cookiecutter.package_name }}.kit.agent.events import Message\n"
        "from {{ cookiecutter.package_name }}.kit.settings import Settings\n"
        "list(loop.run_agent([Message('user', 'hi')], Settings(echo_delay_ms=0)))\n"
        "print(sorted({'openai', 'boto3'} & set(sys.modules)))\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT / "src", check=True
    )
    assert run.stdout.splitlines()[-1] == "[]"
