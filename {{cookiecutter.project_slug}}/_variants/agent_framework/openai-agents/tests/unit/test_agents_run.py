"""The OpenAI Agents runner: the agent's run as the kit's events, in the kit's order, with the echo model
and with scripted ``Model``s."""

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from agents import Model

from {{ cookiecutter.package_name }}.kit import author
from {{ cookiecutter.package_name }}.kit.agent import (
    loop,
    model_turn,
    provider_settings,
    runner,
    schema,
)
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

ROOT = Path(__file__).resolve().parents[2]
SLOW = {"message": "x", "steps": 2, "delay_ms": 50}


def ask(text, options=None, **settings):
    return list(loop.run_agent([Message("user", text)], Settings(echo_delay_ms=0, **settings), options))


class Scripted(Model):
    """Answers each model call with the next turn of its script (the last one again once it runs
    out): a text, or a list of tool calls. Keeps what each call was given."""

    def __init__(self, *turns) -> None:
        self.turns = list(turns)
        self.calls: list[dict] = []

    async def get_response(self, *args, **kwargs):
        raise AssertionError("the kit always streams")

    async def stream_response(self, system_instructions, input, model_settings, tools, *args, **kwargs):
        self.calls.append({"instructions": system_instructions, "input": list(input), "tools": tools})
        turn = self.turns.pop(0) if len(self.turns) > 1 else self.turns[0]
        if isinstance(turn, str):
            yield model_turn.text_delta(turn, 0)
            yield model_turn.completed(turn)
        else:
            yield model_turn.completed("", turn)


def scripted(monkeypatch, *turns) -> Scripted:
    model = Scripted(*turns)
    monkeypatch.setattr(runner, "model_for", lambda settings: model)
    return model


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


def test_each_status_is_yielded_while_the_tool_is_still_running():
    stream = loop.run_agent([Message("user", f"/tool slow_process {json.dumps(SLOW)}")], Settings())
    assert [next(stream).type, next(stream).type] == ["status", "tool_call"]
    first = next(stream)
    assert first.payload["message"] == "Starting: x"
    rest = list(stream)
    done = next(e for e in rest if e.type == "tool_result")
    assert done.timestamp - first.timestamp >= 0.09  # two 50 ms steps were still to come


def test_max_tokens_and_stop_as_the_echo_model():
    assert ask("a b c d e", {"max_tokens": 2})[-1] == result(text="a b", finish_reason="length")
    assert ask("a b", {"max_tokens": 2})[-1] == result(text="a b", finish_reason="stop")
    assert ask("a b c d", {"stop": ["zzz", " c"]})[-1] == result(text="a b", finish_reason="stop")


@pytest.mark.parametrize(
    ("command", "problem"),
    [
        ('/tool nope {"a": 1}', "unknown tool 'nope'; tools: echo, fails_midway, slow_process"),
        ('/tool slow_process {"message": "x", "steps": "many"}', "slow_process: argument 'steps'"),
        ('/tool slow_process {"message": "x", "steps": 0}', "ValueError: steps must be from 1 to 100"),
        ('/tool slow_process {"steps": 2}', "slow_process: missing a required argument: 'message'"),
        ('/tool echo {"message": "x", "extra": 1}', "echo: unexpected argument 'extra'; it takes message"),
        ("/tool echo not json", "echo: the arguments must be a JSON object"),
    ],
)
def test_calls_that_cannot_run_are_error_results_sent_back_to_the_model(command, problem):
    events = ask(command)
    assert [e.type for e in events[:3]] == ["status", "tool_call", "tool_result"]
    assert events[2].payload["error"].startswith(problem) and "output" not in events[2].payload
    assert events[-1].type == "result"
    assert events[-1].payload["text"].startswith(f"{events[1].payload['name']} failed with {problem}")


def test_the_raw_arguments_show_when_they_are_not_a_json_object():
    assert ask("/tool echo not json")[1].payload["arguments"] == "not json"


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
    scripted(
        monkeypatch,
        [ToolCall("c1", "echo", {"message": "again"})],
        [ToolCall("c2", "echo", {"message": "again"})],
    )
    events = ask("loop", agent_max_steps=2)
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


def test_bad_calls_go_back_to_the_model_until_max_steps(monkeypatch):
    scripted(monkeypatch, *[[ToolCall(f"c{n}", "nope", {})] for n in range(3)])
    events = ask("loop", agent_max_steps=3)
    assert [e.type for e in events] == ["status"] + ["tool_call", "tool_result"] * 3 + ["error"]
    assert events[-1].payload["code"] == "max_steps"


def test_two_calls_of_one_turn_run_one_after_the_other_and_their_results_go_back(monkeypatch):
    slow = {"message": "first", "steps": 2, "delay_ms": 20}
    model = scripted(
        monkeypatch,
        [ToolCall("a", "slow_process", slow), ToolCall("b", "echo", {"message": "second"})],
        "done",
    )
    events = ask("go")
    assert [(e.type, e.payload.get("id")) for e in events[1:9]] == [
        ("tool_call", "a"),
        *[("status", "a")] * 3,
        ("tool_result", "a"),
        ("tool_call", "b"),
        ("status", "b"),
        ("tool_result", "b"),
    ]
    returned = [
        (item["call_id"], json.loads(item["output"]))
        for item in model.calls[1]["input"]
        if item.get("type") == "function_call_output"
    ]
    assert returned == [
        ("a", {"message": "first", "steps": 2, "summary": "Processed 'first' in 2 steps"}),
        ("b", {"message": "second"}),
    ]
    assert events[-1] == result(text="done", finish_reason="stop")


def text(words: str) -> dict:
    return {"type": "output_text", "text": words, "annotations": []}


def test_history_and_system_messages_reach_the_model(monkeypatch):
    model = scripted(monkeypatch, "ok")
    call = ToolCall("c1", "echo", {"message": "hi"})
    conversation = [
        Message("system", "Speak French."),
        Message("user", "first"),
        Message("assistant", "calling", (call,)),
        Message("tool", '{"message": "hi"}', tool_call_id="c1"),
        Message("tool", "boom", tool_call_id="c2", is_error=True),
        Message("assistant", "done"),
        Message("user", "second"),
    ]
    events = list(loop.run_agent(conversation, Settings()))
    assert events[-1].payload == {"text": "ok", "finish_reason": "stop"}
    [seen] = model.calls
    assert seen["instructions"] == author.system_prompt()
    assert seen["input"] == [
        {"role": "system", "content": "Speak French."},
        {"role": "user", "content": "first"},
        {
            "type": "message",
            "role": "assistant",
            "id": "msg_2",
            "status": "completed",
            "content": [text("calling")],
        },
        {"type": "function_call", "call_id": "c1", "name": "echo", "arguments": '{"message": "hi"}'},
        {"type": "function_call_output", "call_id": "c1", "output": '{"message": "hi"}'},
        {"type": "function_call_output", "call_id": "c2", "output": "Error: boom"},
        {
            "type": "message",
            "role": "assistant",
            "id": "msg_6",
            "status": "completed",
            "content": [text("done")],
        },
        {"role": "user", "content": "second"},
    ]


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


def test_a_tool_that_runs_in_a_thread_reports_progress_too(monkeypatch):
    from agents import Agent, function_tool
    from agents.tool_context import ToolContext

    from {{ cookiecutter.package_name }}.kit.agent.progress import report_progress

    @function_tool(strict_mode=False)
    def blocking(ctx: ToolContext, message: str) -> str:
        """Work without awaiting.

        Args:
            message: What to say.
        """
        report_progress(ctx, f"said {message}")
        time.sleep(0.05)
        return message

    monkeypatch.setattr(author, "agents_agent", lambda: Agent(name="agent", tools=[blocking]))
    events = ask('/tool blocking {"message": "hi"}')
    assert [(e.type, e.payload.get("message")) for e in events[1:4]] == [
        ("tool_call", None),
        ("status", "said hi"),
        ("tool_result", None),
    ]
    assert events[3].payload["output"] == "hi"


class Failing(Model):
    """Streams a word, then its provider fails."""

    async def get_response(self, *args, **kwargs):
        raise AssertionError("the kit always streams")

    async def stream_response(self, *args, **kwargs):
        yield model_turn.text_delta("partial", 0)
        raise ProviderError("the model provider failed: boom")


def test_a_failing_model_call_is_recorded_before_the_error_event(monkeypatch):
    monkeypatch.setattr(runner, "model_for", lambda settings: Failing())
    settings = Settings(echo_delay_ms=0)
    events = list(runner.run_agent([Message("user", "x")], settings))
    assert [e.type for e in events] == ["status", "delta", "model_call", "error"]
    made = events[2].payload
    assert (made["error"], made["finish_reason"], made["input_tokens"]) == ("provider_error", None, None)
    assert made["started"] <= made["first_token"] <= events[2].timestamp <= events[3].timestamp
    assert events[3] == error("the model provider failed: boom", code="provider_error")


def test_a_provider_missing_from_the_kit_is_an_error_event(monkeypatch):
    monkeypatch.setitem(provider_settings.PROVIDER_MODULES, "echo", "no_such_provider")
    events = ask("hi")
    assert [e.type for e in events] == ["status", "error"]
    assert "is not part of this kit" in events[-1].payload["message"]
    assert events[-1].payload["code"] == "provider_error"


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


def test_the_model_sees_the_schemas_of_the_kits_own_tool_signatures(monkeypatch):
    model = scripted(monkeypatch, "ok")
    ask("hello")
    seen = {tool.name: tool.params_json_schema for tool in model.calls[0]["tools"]}
    specs = {spec["name"]: spec for spec in runner.tool_specs()}
    assert set(specs) == set(kit_tools.KIT_TOOLS)
    for reference in (slow_process, echo):
        expected = schema.tool_spec(reference)
        assert specs[expected["name"]] == expected
        assert seen[expected["name"]] == expected["parameters"]


def test_tracing_stays_off_unless_the_author_turns_it_on():
    from agents import trace
    from agents.tracing.traces import NoOpTrace

    assert isinstance(trace("probe"), NoOpTrace)  # agent.py's set_tracing_disabled(True)


PROBE = """
import json, sys
sys.path.insert(0, "src")
from {{ cookiecutter.package_name }}.kit.agent import loop, provider_settings
from {{ cookiecutter.package_name }}.kit.settings import Settings
loop.preload(Settings(llm_provider=sys.argv[1]))
package = "{{ cookiecutter.package_name }}.kit.agent."
modules = [name for name in provider_settings.PROVIDER_MODULES.values() if package + name in sys.modules]
print(json.dumps({"providers": modules, "boto3": "boto3" in sys.modules}))
"""


@pytest.mark.parametrize("provider", list(provider_settings.PROVIDER_MODULES))
def test_only_the_configured_provider_and_its_sdk_are_imported(provider):
    out = subprocess.run(
        [sys.executable, "-c", PROBE, provider], cwd=ROOT, capture_output=True, text=True, check=True
    )
    loaded = json.loads(out.stdout.splitlines()[-1])
    module = provider_settings.PROVIDER_MODULES[provider]
    assert loaded["providers"] == [module]
    agent_modules = ROOT / "src" / "{{ cookiecutter.package_name }}" / "kit" / "agent"
    source = (agent_modules / f"{module}.py").read_text()
    assert loaded["boto3"] == ("import boto3" in source)
