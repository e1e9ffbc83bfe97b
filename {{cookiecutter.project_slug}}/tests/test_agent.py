import time

import pytest

from {{ cookiecutter.package_name }}.agent import agent, model, tools
from {{ cookiecutter.package_name }}.agent.events import Message
from {{ cookiecutter.package_name }}.settings import Settings


def collect(events):
    return list(events)


def test_echo_agent_streams_the_last_user_message_word_by_word():
    messages = [Message("user", "earlier"), Message("assistant", "ok"), Message("user", "one two three")]
    events = collect(agent.run_agent(messages, Settings(echo_delay_ms=0)))
    assert [e.type for e in events] == ["status", "delta", "delta", "delta", "result"]
    assert "".join(e.payload["text"] for e in events if e.type == "delta") == "one two three"
    assert events[-1].payload == {"text": "one two three", "finish_reason": "stop"}


def test_echo_agent_paces_its_words():
    settings = Settings(echo_delay_ms=20)
    events = collect(agent.run_agent([Message("user", "a b c")], settings))
    deltas = [e.timestamp for e in events if e.type == "delta"]
    assert deltas[2] - deltas[0] >= 0.035


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


def test_a_tool_stops_at_its_next_status_once_the_caller_goes_away():
    steps = []

    @tools.tool
    def counting(n: int, *, ctx: tools.ToolContext) -> dict:
        for step in range(n):
            time.sleep(0.02)
            steps.append(step)
            ctx.send_status(f"step {step}")
        return {}

    try:
        stream = tools.run_tool("counting", {"n": 50})
        next(stream)
        stream.close()
        time.sleep(0.2)
        assert len(steps) <= 2
    finally:
        tools.TOOLS.pop("counting")


def test_a_tool_that_raises_raises_in_the_caller_after_its_statuses():
    @tools.tool
    def broken(*, ctx: tools.ToolContext) -> dict:
        ctx.send_status("about to fail")
        raise RuntimeError("tool broke")

    try:
        stream = tools.run_tool("broken", {})
        assert next(stream).payload == {"message": "about to fail"}
        with pytest.raises(RuntimeError, match="tool broke"):
            next(stream)
    finally:
        tools.TOOLS.pop("broken")


@pytest.mark.parametrize(
    ("name", "arguments", "problem"),
    [
        ("nope", {}, "unknown tool 'nope'"),
        ("slow_process", {}, "missing a required argument: 'message'"),
        ("slow_process", {"message": "x", "steps": "3"}, "'steps' must be of type int"),
        ("slow_process", {"message": "x", "steps": True}, "'steps' must be of type int"),
        ("slow_process", {"message": "x", "colour": 1}, "unexpected keyword argument 'colour'"),
        ("echo", {"message": "x", "ctx": 1}, "'ctx' is not an argument"),
    ],
)
def test_bad_tool_arguments_are_refused_before_running(name, arguments, problem):
    with pytest.raises(tools.ToolArgumentError, match=problem):
        tools.check_arguments(name, arguments)


def test_a_provider_missing_from_the_kit_is_an_error_event(monkeypatch):
    monkeypatch.setitem(model.PROVIDER_MODULES, "echo", "no_such_provider")
    events = collect(agent.run_agent([Message("user", "hi")], Settings()))
    assert [e.type for e in events] == ["status", "error"]
    assert "is not part of this kit" in events[-1].payload["message"]


def test_a_provider_whose_sdk_is_missing_names_the_package(monkeypatch):
    monkeypatch.setitem(model.PROVIDER_MODULES, "echo", "missing_sdk_provider")
    original = model.importlib.import_module

    def import_module(name):
        if name.endswith(".missing_sdk_provider"):
            raise ModuleNotFoundError("No module named 'somesdk'", name="somesdk")
        return original(name)

    monkeypatch.setattr(model.importlib, "import_module", import_module)
    events = collect(agent.run_agent([Message("user", "hi")], Settings()))
    assert "needs 'somesdk', which is not installed" in events[-1].payload["message"]
