"""Runs under the durable SDK's own test runner: checkpointed steps, replay, approvals.

The model is scripted (each test says what it answers, turn by turn) and counts its calls,
so a replay that paid for a model call twice would show. Approvals go through the same
``runs.api`` functions the HTTP routes call, against the in-process runner.
"""

from __future__ import annotations

import json

import pytest
from aws_durable_execution_sdk_python_testing import DurableFunctionTestRunner
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from runs_flow import wait_for_run

from {{ cookiecutter.package_name }}.kit.agent import model, remote_tools, tools
from {{ cookiecutter.package_name }}.kit.agent.events import ToolCall
from {{ cookiecutter.package_name }}.kit.runs import api, approval, local
from {{ cookiecutter.package_name }}.kit.runs.config import VARIABLES, get_run_settings
from {{ cookiecutter.package_name }}.kit.runs.handler import handler
from {{ cookiecutter.package_name }}.kit.settings import get_settings
from {{ cookiecutter.package_name }}.kit.telemetry import tracing

from weather_mcp import weather_server

BODY = {"messages": [{"role": "user", "content": "do the work"}]}


class ScriptedModel:
    """Answers turn by turn from ``turns``: a list of tool calls, or the final text (a
    function of the conversation, so a test can check what the model was shown)."""

    def __init__(self, *turns):
        self.turns = turns
        self.conversations = []
        self.offered = []  # the tools' names each call was offered

    def __call__(self, messages, specs, settings, options):
        self.conversations.append(list(messages))
        self.offered.append([spec["name"] for spec in specs])
        turn = self.turns[len(self.conversations) - 1]
        if isinstance(turn, list):
            yield from turn
        else:
            yield turn(messages)

    def tool_messages(self, turn: int) -> list:
        return [m for m in self.conversations[turn - 1] if m.role == "tool"]


def tool_results(messages) -> str:
    return " | ".join(
        f"{m.tool_call_id}={'error:' if m.is_error else ''}{m.content}" for m in messages if m.role == "tool"
    )


@pytest.fixture
def counted(monkeypatch):
    """A tool and an approval tool that count their calls."""
    calls = {"count": 0, "publish": 0}

    def count(n: int, *, ctx: tools.ToolContext) -> dict:
        """Count to n."""
        calls["count"] += 1
        ctx.send_status(f"counting to {n}")
        return {"counted": n}

    def fails(*, ctx: tools.ToolContext) -> dict:
        """Always fails."""
        raise RuntimeError("the disk is full")

    def publish_it(text: str, *, ctx: tools.ToolContext) -> dict:
        """Publish text."""
        calls["publish"] += 1
        return {"published": text}

    monkeypatch.setitem(tools.TOOLS, "count", count)
    monkeypatch.setitem(tools.TOOLS, "fails", fails)
    monkeypatch.setitem(approval.TOOLS, "publish_it", publish_it)
    return calls


@pytest.fixture
def runs(environment):
    """``runs.api`` against a fresh in-process runner."""
    for name in VARIABLES:
        environment.delenv(name, raising=False)
    get_run_settings.cache_clear()
    local._runs = None
    yield get_run_settings
    if local._runs is not None:
        local._runs.runner.close()
    local._runs = None
    get_run_settings.cache_clear()


@pytest.fixture
def exported(environment):
    """Spans kept in memory, tracing on."""
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    environment.setitem(tracing._state, "provider", provider)
    environment.setenv("OTEL_TRACES_EXPORTER", "otlp")
    get_settings.cache_clear()
    return exporter


def run_to_end(script, monkeypatch) -> dict:
    monkeypatch.setattr(model, "stream_turn", script)
    with DurableFunctionTestRunner(handler=handler) as runner:
        outcome = runner.run(input=json.dumps(BODY), execution_timeout=30)
    assert outcome.status.name == "SUCCEEDED", outcome.error
    return {"result": json.loads(outcome.result), "operations": [op.name for op in outcome.operations]}


def test_a_run_with_two_tool_calls_completes_with_the_answer(counted, monkeypatch):
    script = ScriptedModel(
        [ToolCall("call_1", "count", {"n": 3}), ToolCall("call_2", "echo", {"message": "hi"})],
        lambda messages: f"Done: {tool_results(messages)}",
    )
    outcome = run_to_end(script, monkeypatch)

    assert outcome["result"] == {
        "type": "result",
        "text": 'Done: call_1={"counted": 3} | call_2={"message": "hi"}',
        "finish_reason": "stop",
    }
    assert outcome["operations"] == ["model 1", "tool count#call_1", "tool echo#call_2", "model 2"]
    assert counted["count"] == 1


def test_a_failing_tool_goes_back_to_the_model_and_the_run_goes_on(counted, monkeypatch):
    script = ScriptedModel(
        [ToolCall("call_1", "fails", {})], lambda messages: f"Sorry: {tool_results(messages)}"
    )
    outcome = run_to_end(script, monkeypatch)

    assert outcome["result"]["text"] == "Sorry: call_1=error:RuntimeError: the disk is full"
    (failed,) = script.tool_messages(2)
    assert failed.is_error


def test_an_unknown_tool_and_bad_arguments_go_back_to_the_model(counted, monkeypatch):
    script = ScriptedModel(
        [ToolCall("call_1", "nope", {}), ToolCall("call_2", "count", {"n": "three"})],
        lambda messages: tool_results(messages),
    )
    text = run_to_end(script, monkeypatch)["result"]["text"]

    assert "call_1=error:unknown tool 'nope'" in text
    assert "call_2=error:count:" in text
    assert counted["count"] == 0


def test_a_provider_failure_ends_the_run_with_an_error_result(monkeypatch):
    def broken(messages, specs, settings, options):
        raise model.ProviderError("the provider is down")
        yield

    monkeypatch.setattr(model, "stream_turn", broken)
    with DurableFunctionTestRunner(handler=handler) as runner:
        outcome = runner.run(input=json.dumps(BODY), execution_timeout=30)
    assert json.loads(outcome.result) == {
        "type": "error",
        "message": "the provider is down",
        "code": "provider_error",
    }


def test_a_run_stops_at_agent_max_steps(counted, monkeypatch):
    monkeypatch.setenv("AGENT_MAX_STEPS", "2")
    get_settings.cache_clear()
    script = ScriptedModel([ToolCall("call_1", "count", {"n": 1})], [ToolCall("call_2", "count", {"n": 2})])
    result = run_to_end(script, monkeypatch)["result"]

    assert result["type"] == "error"
    assert result["code"] == "max_steps"


def test_a_bad_body_ends_the_run_with_an_error_result(monkeypatch):
    with DurableFunctionTestRunner(handler=handler) as runner:
        outcome = runner.run(input=json.dumps({"messages": "hello"}), execution_timeout=30)
    assert json.loads(outcome.result)["code"] == "bad_request"


def test_approval_through_the_api_then_replay_runs_no_finished_step_again(
    counted, runs, exported, monkeypatch
):
    script = ScriptedModel(
        [ToolCall("call_1", "count", {"n": 2})],
        [ToolCall("call_2", "publish_it", {"text": "launch"})],
        lambda messages: f"Published: {tool_results(messages)}",
    )
    monkeypatch.setattr(model, "stream_turn", script)
    started = api.start(BODY, {}, get_settings(), get_run_settings())

    waiting = wait_for_run(started["id"], lambda state: state["pending_approval"])
    assert waiting["status"] == "RUNNING"
    assert waiting["pending_approval"]["tool"] == "publish_it"
    assert waiting["pending_approval"]["call_id"] == "call_2"
    assert counted["publish"] == 0  # not before a person says so

    decided = api.decide(started["id"], {"approved": True}, get_run_settings())
    assert decided == {"id": started["id"], "tool": "publish_it", "call_id": "call_2", "approved": True}
    done = wait_for_run(started["id"], lambda state: state["status"] != "RUNNING")

    assert done["status"] == "SUCCEEDED"
    assert done["pending_approval"] is None
    assert done["result"]["text"] == 'Published: call_1={"counted": 2} | call_2={"published": "launch"}'
    # The handler ran again after the wait (a replay), yet every step ran exactly once.
    assert len(script.conversations) == 3
    assert counted == {"count": 1, "publish": 1}
    # One trace for the run; each call's span once, in the invocation that made it.
    spans = exported.get_finished_spans()
    assert len({span.context.trace_id for span in spans}) == 1
    names = sorted(span.name for span in spans if not span.name.startswith("invoke_agent"))
    assert names == ["chat echo"] * 3 + ["execute_tool count", "execute_tool publish_it"]
    # One invoke_agent span an invocation: the wait suspends the first (unless the SDK's local
    # runner saw the approval before it suspended), which says so.
    agents = [span for span in spans if span.name.startswith("invoke_agent")]
    assert agents and all(span.attributes.get("agent.run.suspended") for span in agents[:-1])
    assert not agents[-1].attributes.get("agent.run.suspended")


def test_a_denial_reaches_the_model_as_the_tools_error(counted, runs, monkeypatch):
    script = ScriptedModel(
        [ToolCall("call_1", "publish_it", {"text": "launch"})],
        lambda messages: f"Understood: {tool_results(messages)}",
    )
    monkeypatch.setattr(model, "stream_turn", script)
    started = api.start(BODY, {}, get_settings(), get_run_settings())
    wait_for_run(started["id"], lambda state: state["pending_approval"])

    api.decide(started["id"], {"approved": False, "reason": "not on a Friday"}, get_run_settings())
    done = wait_for_run(started["id"], lambda state: state["status"] != "RUNNING")

    assert done["result"]["text"] == "Understood: call_1=error:a person denied this call: not on a Friday"
    assert counted["publish"] == 0
    with pytest.raises(api.Conflict, match="not waiting for an approval"):
        api.decide(started["id"], {"approved": True}, get_run_settings())


def test_an_approval_timeout_ends_the_wait_with_an_error_result(counted, runs, monkeypatch):
    monkeypatch.setenv("RUNS_APPROVAL_TIMEOUT_S", "1")
    script = ScriptedModel(
        [ToolCall("call_1", "publish_it", {"text": "launch"})],
        lambda messages: tool_results(messages),
    )
    monkeypatch.setattr(model, "stream_turn", script)
    started = api.start(BODY, {}, get_settings(), get_run_settings())
    done = wait_for_run(started["id"], lambda state: state["status"] != "RUNNING")

    assert done["result"]["text"] == (
        "call_1=error:not approved within 1 seconds (RUNS_APPROVAL_TIMEOUT_S); the tool did not run"
    )
    assert counted["publish"] == 0


def test_a_run_calls_remote_tools_from_one_checkpointed_listing(counted, runs, environment, capsys):
    """The listing is the step ``remote tools``: a replay (here, after the approval) reads it back
    instead of asking the server again; a remote call is a ``tool`` step whose progress the run
    reports as it reports the kit's tools' progress (its log, and its listener)."""
    listed = []
    listing = tools.remote_tools_for_run
    environment.setattr(tools, "remote_tools_for_run", lambda settings: listed.append(1) or listing(settings))
    remote_tools._listings.clear()
    script = ScriptedModel(
        [ToolCall("call_1", "weather__forecast", {"city": "Oslo"})],
        [ToolCall("call_2", "publish_it", {"text": "launch"})],
        lambda messages: tool_results(messages),
    )
    environment.setattr(model, "stream_turn", script)
    with weather_server() as url:
        environment.setenv("MCP_SERVERS", json.dumps({"weather": {"url": url}}))
        get_settings.cache_clear()
        started = api.start(BODY, {}, get_settings(), get_run_settings())
        wait_for_run(started["id"], lambda state: state["pending_approval"])
        api.decide(started["id"], {"approved": True}, get_run_settings())
        done = wait_for_run(started["id"], lambda state: state["status"] != "RUNNING")
    remote_tools._listings.clear()

    assert done["result"]["text"] == 'call_1=Oslo: sunny | call_2={"published": "launch"}'
    _, events = api.backend(get_run_settings()).describe(api.decode_id(started["id"]))
    steps = [event["Name"] for event in events if event["EventType"] == "StepSucceeded"]
    assert steps[:3] == ["remote tools", "model 1", "tool weather__forecast#call_1"]
    assert listed == [1]  # the handler ran again after the wait, yet the server was asked once
    assert len(script.offered) == 3 and all(names == script.offered[0] for names in script.offered)
    assert {"weather__forecast", "count", "publish_it"} <= set(script.offered[0])
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith("{")]
    progress = [(line["id"], line["status"]) for line in lines if line.get("message") == "tool status"]
    assert progress == [("call_1", "Looking up Oslo"), ("call_1", "Reading the forecast")]
