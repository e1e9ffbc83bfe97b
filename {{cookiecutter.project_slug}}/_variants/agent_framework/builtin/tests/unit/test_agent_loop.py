import json
import threading
import time

import pytest

from {{ cookiecutter.package_name }}.kit.agent import (
    loop,
    model,
    provider_settings,
    providers,
    tools,
)
from {{ cookiecutter.package_name }}.kit.agent.events import Message, ToolCall
from {{ cookiecutter.package_name }}.kit.settings import Settings


def collect(events):
    return list(events)


def ask(text, **settings):
    return collect(loop.run_agent([Message("user", text)], Settings(echo_delay_ms=0, **settings)))


@pytest.fixture
def registered():
    """Register tools for one test only."""
    added = []

    def register(function):
        added.append(function.__name__)
        return tools.tool(function)

    yield register
    for name in added:
        tools.TOOLS.pop(name)
        tools._SPECS.pop(name, None)


def test_echo_agent_streams_the_last_user_message_word_by_word():
    messages = [Message("user", "earlier"), Message("assistant", "ok"), Message("user", "one two three")]
    events = collect(loop.run_agent(messages, Settings(echo_delay_ms=0)))
    assert [e.type for e in events] == ["status", "delta", "delta", "delta", "result"]
    assert "".join(e.payload["text"] for e in events if e.type == "delta") == "one two three"
    assert events[-1].payload == {"text": "one two three", "finish_reason": "stop"}


def test_echo_agent_paces_its_words():
    settings = Settings(echo_delay_ms=20)
    events = collect(loop.run_agent([Message("user", "a b c")], settings))
    deltas = [e.timestamp for e in events if e.type == "delta"]
    assert deltas[2] - deltas[0] >= 0.035


def test_echo_max_tokens_cuts_the_reply_and_says_length():
    events = collect(loop.run_agent([Message("user", "a b c d e")], Settings(), {"max_tokens": 2}))
    assert [e.payload["text"] for e in events if e.type == "delta"] == ["a", " b"]
    assert events[-1].payload == {"text": "a b", "finish_reason": "length"}


def test_echo_stop_cuts_the_text_at_the_first_stop_string():
    options = {"stop": ["zzz", " c"]}
    events = collect(loop.run_agent([Message("user", "a b c d")], Settings(), options))
    assert events[-1].payload == {"text": "a b", "finish_reason": "stop"}


def test_the_loop_calls_the_tool_streams_its_statuses_and_answers_with_its_output():
    events = ask('/tool slow_process {"message": "hi", "steps": 3, "delay_ms": 0}')
    types = [e.type for e in events]
    assert types[:7] == ["status", "tool_call", "status", "status", "status", "status", "tool_result"]
    assert types[7:] == ["delta"] * (len(types) - 8) + ["result"]
    call = events[1].payload
    assert call == {
        "id": call["id"],
        "name": "slow_process",
        "arguments": {"message": "hi", "steps": 3, "delay_ms": 0},
    }
    statuses = [e.payload for e in events[2:6]]
    assert statuses[0] == {"id": call["id"], "message": "Starting: hi"}
    assert [s["message"] for s in statuses[1:]] == [f"Step {n}/3 complete" for n in (1, 2, 3)]
    output = events[6].payload["output"]
    assert events[6].payload == {"id": call["id"], "name": "slow_process", "output": output}
    assert output["summary"] == "Processed 'hi' in 3 steps"
    answer = events[-1].payload["text"]
    assert answer == "".join(e.payload["text"] for e in events if e.type == "delta")
    assert "Processed 'hi' in 3 steps" in answer


def test_each_status_is_yielded_while_the_tool_is_still_running(registered):
    release = threading.Event()

    @registered
    def waits(*, ctx: tools.ToolContext) -> str:
        ctx.send_status("waiting")
        release.wait(5)
        return "released"

    stream = loop.run_agent([Message("user", "/tool waits {}")], Settings(echo_delay_ms=0))
    assert [next(stream).type, next(stream).type] == ["status", "tool_call"]
    assert next(stream).payload["message"] == "waiting"  # arrives before the tool returns
    release.set()
    rest = collect(stream)
    assert rest[0].payload["output"] == "released"
    assert rest[-1].type == "result"


def test_a_tool_that_raises_becomes_an_error_result_and_the_run_goes_on(registered):
    @registered
    def broken(*, ctx: tools.ToolContext) -> dict:
        ctx.send_status("about to fail")
        raise RuntimeError("tool broke")

    events = ask("/tool broken {}")
    [outcome] = [e.payload for e in events if e.type == "tool_result"]
    assert outcome["error"] == "RuntimeError: tool broke" and "output" not in outcome
    assert events[-1].type == "result"
    assert events[-1].payload["text"] == "broken failed with RuntimeError: tool broke"


@pytest.mark.parametrize(
    ("command", "problem"),
    [
        ("/tool nope {}", "unknown tool 'nope'; tools: echo, "),
        ('/tool slow_process {"steps": 2}', "slow_process: missing a required argument: 'message'"),
        ('/tool slow_process {"message": "x", "steps": "3"}', "argument 'steps' must be an integer"),
        ('/tool slow_process {"message": "x", "colour": 1}', "unexpected argument 'colour'"),
        ("/tool slow_process [1, 2]", "slow_process: the arguments must be a JSON object"),
        ("/tool slow_process {not json", "slow_process: the arguments must be a JSON object"),
    ],
)
def test_calls_that_cannot_run_are_error_results_sent_back_to_the_model(command, problem):
    events = ask(command)
    [outcome] = [e.payload for e in events if e.type == "tool_result"]
    assert problem in outcome["error"]
    assert events[-1].type == "result"
    assert problem in events[-1].payload["text"]  # the model saw the error


def test_the_results_go_back_to_the_model_in_order_and_the_next_request_carries_them(monkeypatch):
    seen = []
    turns = iter(
        [
            [ToolCall("a", "echo", {"message": "first"}), ToolCall("b", "echo", {"message": "second"})],
            ["done"],
        ]
    )

    def stream_turn(messages, specs, settings, options):
        seen.append(list(messages))
        yield from next(turns)

    monkeypatch.setattr(model, "stream_turn", stream_turn)
    events = collect(loop.run_agent([Message("user", "go")], Settings()))
    results = [e.payload for e in events if e.type == "tool_result"]
    assert [(r["id"], r["output"]) for r in results] == [
        ("a", {"message": "first"}),
        ("b", {"message": "second"}),
    ]
    second = seen[1]
    assert second[-3].role == "assistant" and [c.id for c in second[-3].tool_calls] == ["a", "b"]
    assert [(m.role, m.tool_call_id, json.loads(m.content)) for m in second[-2:]] == [
        ("tool", "a", {"message": "first"}),
        ("tool", "b", {"message": "second"}),
    ]
    statuses = [e.payload for e in events if e.type == "status" and "id" in e.payload]
    assert statuses == [{"id": "a", "message": "echoing"}, {"id": "b", "message": "echoing"}]
    assert events[-1].payload["text"] == "done"


def test_the_model_gets_every_tool_schema(monkeypatch):
    seen = []

    def stream_turn(messages, specs, settings, options):
        seen.append(specs)
        yield "ok"

    monkeypatch.setattr(model, "stream_turn", stream_turn)
    collect(loop.run_agent([Message("user", "go")], Settings()))
    assert [spec["name"] for spec in seen[0]] == list(tools.TOOLS)
    by_name = {spec["name"]: spec for spec in seen[0]}
    assert by_name["echo"]["parameters"]["required"] == ["message"]


def test_max_steps_ends_the_run_with_an_error_event(monkeypatch):
    calls = []

    def stream_turn(messages, specs, settings, options):
        calls.append(1)
        yield ToolCall(f"c{len(calls)}", "echo", {"message": "again"})

    monkeypatch.setattr(model, "stream_turn", stream_turn)
    events = collect(loop.run_agent([Message("user", "loop")], Settings(agent_max_steps=3)))
    assert len(calls) == 3
    assert events[-1].type == "error"
    assert events[-1].payload["code"] == "max_steps"
    assert "3 model calls (AGENT_MAX_STEPS)" in events[-1].payload["message"]


def test_max_steps_is_a_setting():
    assert Settings.from_env({}).agent_max_steps == 8
    assert Settings.from_env({"AGENT_MAX_STEPS": "2"}).agent_max_steps == 2


def test_closing_the_run_mid_tool_stops_the_tool_at_its_next_status(registered):
    steps = []
    stopped = threading.Event()

    @registered
    def counting(n: int, *, ctx: tools.ToolContext) -> dict:
        try:
            for step in range(n):
                time.sleep(0.02)
                steps.append(step)
                ctx.send_status(f"step {step}")
        except tools.ToolCancelled:
            stopped.set()
            raise
        return {}

    stream = loop.run_agent([Message("user", '/tool counting {"n": 50}')], Settings(echo_delay_ms=0))
    while next(stream).type != "status" or len(steps) < 1:
        pass
    stream.close()  # the caller went away, or the deadline cut the stream
    assert stopped.wait(2), "the tool's next send_status raised ToolCancelled"
    assert len(steps) <= 3


def test_a_provider_error_mid_run_is_an_error_event(monkeypatch):
    def stream_turn(messages, specs, settings, options):
        yield "partial"
        raise model.ProviderError("the model provider answered 500: boom")

    monkeypatch.setattr(model, "stream_turn", stream_turn)
    events = collect(loop.run_agent([Message("user", "x")], Settings()))
    assert [e.type for e in events] == ["status", "delta", "error"]
    assert events[-1].payload == {
        "message": "the model provider answered 500: boom",
        "code": "provider_error",
    }


def test_reply_text_runs_the_loop_to_the_end():
    text = loop.reply_text([Message("user", '/tool echo {"message": "ping"}')], Settings(echo_delay_ms=0))
    assert text == 'echo returned {"message": "ping"}'


def test_slow_process_reports_each_step_then_its_result():
    events = collect(tools.run_tool("slow_process", {"message": "hi", "steps": 3, "delay_ms": 0}))
    assert [e.payload.get("message") for e in events[:-1]] == [
        "Starting: hi",
        "Step 1/3 complete",
        "Step 2/3 complete",
        "Step 3/3 complete",
    ]
    assert events[-1].type == "result"
    assert events[-1].payload["output"]["steps"] == 3


def test_status_is_yielded_while_the_tool_is_still_running():
    started = time.perf_counter()
    stream = tools.run_tool("slow_process", {"message": "x", "steps": 2, "delay_ms": 200})
    next(stream)
    assert time.perf_counter() - started < 0.1
    stream.close()


def test_a_tool_stops_at_its_next_status_once_the_caller_goes_away(registered):
    steps = []

    @registered
    def counting(n: int, *, ctx: tools.ToolContext) -> dict:
        for step in range(n):
            time.sleep(0.02)
            steps.append(step)
            ctx.send_status(f"step {step}")
        return {}

    stream = tools.run_tool("counting", {"n": 50})
    next(stream)
    stream.close()
    time.sleep(0.2)
    assert len(steps) <= 2


def test_a_tool_run_directly_that_raises_raises_in_the_caller_after_its_statuses(registered):
    @registered
    def broken(*, ctx: tools.ToolContext) -> dict:
        ctx.send_status("about to fail")
        raise RuntimeError("tool broke")

    stream = tools.run_tool("broken", {})
    assert next(stream).payload == {"message": "about to fail"}
    with pytest.raises(RuntimeError, match="tool broke"):
        next(stream)


@pytest.mark.parametrize(
    ("name", "arguments", "problem"),
    [
        ("nope", {}, "unknown tool 'nope'"),
        ("slow_process", {}, "missing a required argument: 'message'"),
        ("slow_process", {"message": "x", "steps": "3"}, "'steps' must be an integer"),
        ("slow_process", {"message": "x", "steps": True}, "'steps' must be an integer"),
        ("slow_process", {"message": "x", "colour": 1}, "unexpected argument 'colour'"),
        ("echo", {"message": "x", "ctx": 1}, "'ctx' is not an argument"),
    ],
)
def test_bad_tool_arguments_are_refused_before_running(name, arguments, problem):
    with pytest.raises(tools.ToolArgumentError, match=problem):
        tools.check_arguments(name, arguments)


def test_a_provider_missing_from_the_kit_is_an_error_event(monkeypatch):
    monkeypatch.setitem(provider_settings.PROVIDER_MODULES, "echo", "no_such_provider")
    events = collect(loop.run_agent([Message("user", "hi")], Settings()))
    assert [e.type for e in events] == ["status", "error"]
    assert "is not part of this kit" in events[-1].payload["message"]


def test_a_provider_whose_sdk_is_missing_names_the_package(monkeypatch):
    monkeypatch.setitem(provider_settings.PROVIDER_MODULES, "echo", "missing_sdk_provider")
    original = providers.importlib.import_module

    def import_module(name):
        if name.endswith(".missing_sdk_provider"):
            raise ModuleNotFoundError("No module named 'somesdk'", name="somesdk")
        return original(name)

    monkeypatch.setattr(providers.importlib, "import_module", import_module)
    events = collect(loop.run_agent([Message("user", "hi")], Settings()))
    assert "needs 'somesdk', which is not installed" in events[-1].payload["message"]


def test_the_schema_is_built_on_first_use_and_kept():
    tools._SPECS.pop("echo", None)
    first = tools.spec("echo")
    assert tools.spec("echo") is first
    assert first["parameters"]["properties"]["message"] == {
        "type": "string",
        "description": "The text to return.",
    }
