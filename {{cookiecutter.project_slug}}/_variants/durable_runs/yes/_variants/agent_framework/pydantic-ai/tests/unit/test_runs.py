"""Runs of the Pydantic AI agent under the durable SDK's own test runner: checkpointed steps, replay,
approvals.

The model is a ``FunctionModel`` scripted turn by turn that counts its requests, and the tools
count their calls, so a replay that paid for a model request twice or ran a finished tool again
would show. Approvals go through the same ``runs.api`` functions the HTTP routes call.
"""

from __future__ import annotations

import json

import pytest
from aws_durable_execution_sdk_python_testing import DurableFunctionTestRunner
from pydantic_ai import FunctionToolset, RunContext
from pydantic_ai.messages import ModelRequest, RetryPromptPart, ToolReturnPart
from pydantic_ai.models.function import AgentInfo, DeltaToolCall, FunctionModel
from runs_flow import fresh_runs, wait_for_run

from {{ cookiecutter.package_name }}.kit.agent import runner
from {{ cookiecutter.package_name }}.kit.agent.errors import ProviderError
from {{ cookiecutter.package_name }}.kit.runs import api, approval
from {{ cookiecutter.package_name }}.kit.runs.config import get_run_settings
from {{ cookiecutter.package_name }}.kit.runs.handler import handler
from {{ cookiecutter.package_name }}.kit.settings import get_settings

import kit_tools

__all__ = ["fresh_runs"]

BODY = {"messages": [{"role": "user", "content": "do the work"}]}


class Script:
    """A model answering turn by turn from ``turns``: a list of ``(id, tool, arguments)`` calls, or
    the final text (a function of the tool results it was shown)."""

    def __init__(self, *turns) -> None:
        self.turns = turns
        self.requests = 0

    async def stream(self, messages: list, info: AgentInfo):
        turn = self.turns[self.requests]
        self.requests += 1
        if isinstance(turn, list):
            for index, (call_id, name, arguments) in enumerate(turn):
                yield {index: DeltaToolCall(name=name, json_args=json.dumps(arguments), tool_call_id=call_id)}
        else:
            yield turn(tool_results(messages))


def tool_results(messages: list) -> str:
    parts = [
        part
        for message in messages
        if isinstance(message, ModelRequest)
        for part in message.parts
        if isinstance(part, ToolReturnPart | RetryPromptPart)
    ]
    return " | ".join(f"{part.tool_call_id}={model_reads(part)}" for part in parts)


def model_reads(part: ToolReturnPart | RetryPromptPart) -> str:
    return part.model_response() if isinstance(part, RetryPromptPart) else part.model_response_str()


@pytest.fixture
def published(monkeypatch):
    """An approval tool that counts its calls, in place of the author's."""
    calls = []
    toolset = FunctionToolset()

    @toolset.tool
    async def publish_it(ctx: RunContext[None], text: str) -> dict:
        """Publish text."""
        calls.append(text)
        return {"published": text}

    monkeypatch.setattr(approval, "toolset", lambda: toolset)
    return calls


def scripted(monkeypatch, *turns) -> Script:
    script = Script(*turns)
    monkeypatch.setattr(runner, "model_for", lambda settings: FunctionModel(stream_function=script.stream))
    return script


def run_to_end(body: dict = BODY) -> dict:
    with DurableFunctionTestRunner(handler=handler) as test_runner:
        outcome = test_runner.run(input=json.dumps(body), execution_timeout=30)
    assert outcome.status.name == "SUCCEEDED", outcome.error
    return {"result": json.loads(outcome.result), "operations": [op.name for op in outcome.operations]}


def test_each_model_request_and_tool_call_is_a_step(monkeypatch):
    slow = {"message": "a", "steps": 2, "delay_ms": 0}
    script = scripted(
        monkeypatch,
        [("call_1", "slow_process", slow), ("call_2", "echo", {"message": "hi"})],
        lambda results: f"Done: {results}",
    )
    before = len(kit_tools.calls_of("slow_process"))
    outcome = run_to_end()

    assert outcome["operations"] == ["model 1", "tool slow_process#call_1", "tool echo#call_2", "model 2"]
    assert outcome["result"]["type"] == "result"
    assert outcome["result"]["text"].startswith('Done: call_1={"message":"a","steps":2')
    assert 'call_2={"message":"hi"}' in outcome["result"]["text"]
    assert script.requests == 2
    assert len(kit_tools.calls_of("slow_process")) == before + 1


def test_the_echo_model_runs_a_tool_through_the_steps():
    body = {"messages": [{"role": "user", "content": '/tool echo {"message": "hi"}'}]}
    outcome = run_to_end(body)

    assert outcome["operations"] == ["model 1", "tool echo#call_echo_1", "model 2"]
    assert outcome["result"] == {
        "type": "result",
        "text": 'echo returned {"message": "hi"}',
        "finish_reason": "stop",
    }


def test_a_failing_tool_an_unknown_tool_and_bad_arguments_go_back_to_the_model(monkeypatch):
    scripted(
        monkeypatch,
        [
            ("call_1", "fails_midway", {"message": "x"}),
            ("call_2", "nope", {}),
            ("call_3", "slow_process", {"message": "x", "steps": "three"}),
        ],
        lambda results: results,
    )
    outcome = run_to_end()
    failed, unknown, refused = outcome["result"]["text"].split(" | ")

    assert failed == 'call_1={"error":"RuntimeError: the tool broke mid-way"}'
    assert unknown.startswith("call_2=") and "Unknown tool name: 'nope'" in unknown
    assert refused.startswith("call_3=") and "valid integer" in refused
    # Only the call that ran is a step: refusing a call decides nothing a replay could change.
    assert outcome["operations"] == ["model 1", "tool fails_midway#call_1", "model 2"]


def test_a_provider_failure_ends_the_run_with_an_error_result(monkeypatch):
    async def broken(messages, info):
        raise ProviderError("the provider is down")
        yield

    monkeypatch.setattr(runner, "model_for", lambda settings: FunctionModel(stream_function=broken))
    outcome = run_to_end()

    assert outcome["result"] == {"type": "error", "message": "the provider is down", "code": "provider_error"}
    assert outcome["operations"] == ["model 1"]


def test_a_run_stops_at_agent_max_steps(monkeypatch):
    monkeypatch.setenv("AGENT_MAX_STEPS", "2")
    get_settings.cache_clear()
    scripted(monkeypatch, [("call_1", "echo", {"message": "1"})], [("call_2", "echo", {"message": "2"})])
    result = run_to_end()["result"]

    assert (result["type"], result["code"]) == ("error", "max_steps")


def test_approval_through_the_api_then_replay_runs_no_finished_step_again(fresh_runs, published, monkeypatch):
    script = scripted(
        monkeypatch,
        [("call_1", "echo", {"message": "first"})],
        [("call_2", "publish_it", {"text": "launch"})],
        lambda results: f"Published: {results}",
    )
    started = api.start(BODY, {}, get_settings(), get_run_settings())

    waiting = wait_for_run(started["id"], lambda state: state["pending_approval"])
    assert waiting["pending_approval"]["tool"] == "publish_it"
    assert waiting["pending_approval"]["call_id"] == "call_2"
    assert published == []  # not before a person says so

    api.decide(started["id"], {"approved": True}, get_run_settings())
    done = wait_for_run(started["id"], lambda state: state["status"] != "RUNNING")

    assert done["status"] == "SUCCEEDED", done
    expected = 'Published: call_1={"message":"first"} | call_2={"published":"launch"}'
    assert done["result"]["text"] == expected
    # The handler ran again after the wait (a replay), yet every request and call happened once.
    assert script.requests == 3
    assert published == ["launch"]


def test_a_denial_reaches_the_model_as_the_tools_error(fresh_runs, published, monkeypatch):
    scripted(
        monkeypatch, [("call_1", "publish_it", {"text": "launch"})], lambda results: f"Understood: {results}"
    )
    started = api.start(BODY, {}, get_settings(), get_run_settings())
    wait_for_run(started["id"], lambda state: state["pending_approval"])

    api.decide(started["id"], {"approved": False, "reason": "not on a Friday"}, get_run_settings())
    done = wait_for_run(started["id"], lambda state: state["status"] != "RUNNING")

    assert "a person denied this call: not on a Friday" in done["result"]["text"]
    assert published == []
