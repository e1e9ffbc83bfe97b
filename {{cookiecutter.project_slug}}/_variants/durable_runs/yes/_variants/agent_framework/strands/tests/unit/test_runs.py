"""Runs of the Strands agent under the durable SDK's own test runner: checkpointed steps, replay,
approvals.

The model is scripted turn by turn and counts its calls, and the tools count theirs, so a replay
that paid for a model call twice or ran a finished tool again would show. Approvals go through
the same ``runs.api`` functions the HTTP routes call.
"""

from __future__ import annotations

import json

import pytest
from aws_durable_execution_sdk_python_testing import DurableFunctionTestRunner
from runs_flow import fresh_runs, wait_for_run
from strands import tool
from strands.models import Model

from {{ cookiecutter.package_name }}.kit.agent import model
from {{ cookiecutter.package_name }}.kit.agent.errors import ProviderError
from {{ cookiecutter.package_name }}.kit.runs import api, approval
from {{ cookiecutter.package_name }}.kit.runs.config import get_run_settings
from {{ cookiecutter.package_name }}.kit.runs.handler import handler
from {{ cookiecutter.package_name }}.kit.settings import get_settings

import kit_tools

__all__ = ["fresh_runs"]

BODY = {"messages": [{"role": "user", "content": "do the work"}]}


class Script(Model):
    """A model answering turn by turn from ``turns``: a list of ``(id, tool, arguments)`` calls, or
    the final text (a function of the tool results it was shown)."""

    def __init__(self, *turns) -> None:
        self.turns = turns
        self.calls = 0

    def update_config(self, **model_config):
        pass

    def get_config(self):
        return {}

    def structured_output(self, *args, **kwargs):
        raise NotImplementedError

    async def stream(self, messages, tool_specs=None, system_prompt=None, **kwargs):
        turn = self.turns[self.calls]
        self.calls += 1
        yield {"messageStart": {"role": "assistant"}}
        if isinstance(turn, list):
            for index, (call_id, name, arguments) in enumerate(turn):
                start = {"toolUse": {"toolUseId": call_id, "name": name}}
                delta = {"toolUse": {"input": json.dumps(arguments)}}
                yield {"contentBlockStart": {"contentBlockIndex": index, "start": start}}
                yield {"contentBlockDelta": {"contentBlockIndex": index, "delta": delta}}
                yield {"contentBlockStop": {"contentBlockIndex": index}}
            yield {"messageStop": {"stopReason": "tool_use"}}
            return
        yield {"contentBlockDelta": {"contentBlockIndex": 0, "delta": {"text": turn(tool_results(messages))}}}
        yield {"contentBlockStop": {"contentBlockIndex": 0}}
        yield {"messageStop": {"stopReason": "end_turn"}}


def tool_results(messages: list[dict]) -> str:
    results = [
        block["toolResult"]
        for message in messages
        for block in message.get("content", ())
        if "toolResult" in block
    ]
    return " | ".join(
        f"{result['toolUseId']}={'error:' if result['status'] == 'error' else ''}"
        + "".join(part.get("text", "") for part in result["content"])
        for result in results
    )


@pytest.fixture
def published(monkeypatch):
    """An approval tool that counts its calls, in place of the author's."""
    calls = []

    @tool
    async def publish_it(text: str):
        """Publish text.

        Args:
            text: What to publish.
        """
        calls.append(text)
        yield f"publishing {text}"
        yield {"published": text}

    monkeypatch.setattr(approval, "tools", lambda: [publish_it])
    return calls


def scripted(monkeypatch, *turns) -> Script:
    script = Script(*turns)
    monkeypatch.setattr(model, "build_model", lambda settings, options=None: script)
    return script


def run_to_end(body: dict = BODY) -> dict:
    with DurableFunctionTestRunner(handler=handler) as test_runner:
        outcome = test_runner.run(input=json.dumps(body), execution_timeout=30)
    assert outcome.status.name == "SUCCEEDED", outcome.error
    return {"result": json.loads(outcome.result), "operations": [op.name for op in outcome.operations]}


def test_each_model_call_and_tool_call_is_a_step(monkeypatch):
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
    assert outcome["result"]["text"].startswith('Done: call_1={"message": "a", "steps": 2')
    assert 'call_2={"message": "hi"}' in outcome["result"]["text"]
    assert script.calls == 2
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
            ("call_3", "slow_process", {"message": "x", "speed": 3}),
        ],
        lambda results: results,
    )
    failed, unknown, refused = run_to_end()["result"]["text"].split(" | ")

    assert failed.startswith("call_1=error:") and "the tool broke mid-way" in failed
    assert unknown.startswith("call_2=error:unknown tool 'nope'")
    assert refused == (
        "call_3=error:slow_process: unexpected argument 'speed'; it takes message, steps, delay_ms"
    )


def test_a_provider_failure_ends_the_run_with_an_error_result(monkeypatch):
    class Broken(Script):
        async def stream(self, messages, tool_specs=None, system_prompt=None, **kwargs):
            raise ProviderError("the provider is down")
            yield

    monkeypatch.setattr(model, "build_model", lambda settings, options=None: Broken())
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
    expected = 'Published: call_1={"message": "first"} | call_2={"published": "launch"}'
    assert done["result"]["text"] == expected
    # The handler ran again after the wait (a replay), yet every call happened once.
    assert script.calls == 3
    assert published == ["launch"]


def test_a_denial_reaches_the_model_as_the_tools_error(fresh_runs, published, monkeypatch):
    scripted(
        monkeypatch, [("call_1", "publish_it", {"text": "launch"})], lambda results: f"Understood: {results}"
    )
    started = api.start(BODY, {}, get_settings(), get_run_settings())
    wait_for_run(started["id"], lambda state: state["pending_approval"])

    api.decide(started["id"], {"approved": False, "reason": "not on a Friday"}, get_run_settings())
    done = wait_for_run(started["id"], lambda state: state["status"] != "RUNNING")

    assert done["result"]["text"] == "Understood: call_1=error:a person denied this call: not on a Friday"
    assert published == []
