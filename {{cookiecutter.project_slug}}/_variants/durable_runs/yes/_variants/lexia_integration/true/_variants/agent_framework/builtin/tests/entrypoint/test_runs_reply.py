"""A run that answers a Lexia ChatMessage reports through Lexia as the direct and SQS paths do:
each tool's progress as a trace, then the completion; each once, replays included."""

import json
import time

import pytest
from aws_durable_execution_sdk_python_testing import DurableFunctionTestRunner
from runs_flow import fresh_runs
from runs_tools import reporting_tools, script

from {{ cookiecutter.package_name }}.kit import messages
from {{ cookiecutter.package_name }}.kit.agent import model
from {{ cookiecutter.package_name }}.kit.agent.events import ToolCall
from {{ cookiecutter.package_name }}.kit.errors import BadRequest
from {{ cookiecutter.package_name }}.kit.runs import api
from {{ cookiecutter.package_name }}.kit.runs.config import get_run_settings
from {{ cookiecutter.package_name }}.kit.runs.handler import handler
from {{ cookiecutter.package_name }}.kit.settings import get_settings

from conftest import load_event
from lexia_receiver import LexiaReceiver

__all__ = ["fresh_runs", "reporting_tools"]


@pytest.fixture
def receiver():
    with LexiaReceiver() as running:
        yield running


def chat_message(receiver, **changes) -> dict:
    message = load_event("send_message.json")
    message.update({"stream_url": receiver.url, "url": f"{receiver.url}/api/messages", **changes})
    return message


def traces(receiver) -> list[str]:
    """The trace text of every published progress line, in order."""
    deltas = [p["delta"] for p in receiver.published() if not p.get("finished") and "delta" in p]
    return [d.split("content: ", 1)[1].split("\n[lexia.tracing.end]")[0] for d in deltas]


def completion(receiver) -> tuple[dict, list[dict]]:
    """What was published as the finished response, and what reached the platform's API."""
    finished = [p for p in receiver.published() if p.get("finished")]
    return finished, [p["body"] for p in receiver.requests if p["path"] == "/api/messages"]


def wait_for(run_id: str, condition, timeout: float = 20) -> dict:
    deadline = time.monotonic() + timeout
    while not condition(state := api.status(run_id, get_run_settings())):
        assert time.monotonic() < deadline, f"the run never got there: {state}"
        time.sleep(0.05)
    return state


def test_progress_is_traced_and_the_answer_completes_the_response(receiver, reporting_tools, monkeypatch):
    script(monkeypatch, [ToolCall("call_1", "count", {"n": 2})], "all counted")
    message = chat_message(receiver)
    body = {"messages": [{"role": "user", "content": message["message"]}], "lexia": message}
    with DurableFunctionTestRunner(handler=handler) as runner:
        outcome = runner.run(input=json.dumps(body), execution_timeout=30)

    assert outcome.status.name == "SUCCEEDED", outcome.error
    assert [op.name for op in outcome.operations] == ["model 1", "tool count#call_1", "model 2", "reply"]
    assert traces(receiver) == ["count: counted 1 of 2", "count: counted 2 of 2"]
    finished, completed = completion(receiver)
    assert [p["full_response"] for p in finished] == ["all counted"]
    assert [(c["uuid"], c["conversation_id"]) for c in completed] == [
        (message["response_uuid"], message["conversation_id"])
    ]
    for post in receiver.requests:
        if post["path"] == "/api/publish":
            assert post["headers"]["x-api-key"] == message["stream_token"]


def test_a_message_sent_to_a_run_replays_without_reporting_twice(
    receiver, reporting_tools, fresh_runs, monkeypatch
):
    asked = script(
        monkeypatch,
        [ToolCall("call_1", "count", {"n": 1})],
        [ToolCall("call_2", "publish_it", {"text": "launch"})],
        "published",
    )
    message = chat_message(receiver)
    started = api.start_message(messages.parse(message), get_run_settings())
    wait_for(started["id"], lambda state: state["pending_approval"])
    assert traces(receiver) == ["count: counted 1 of 1"]

    api.decide(started["id"], {"approved": True}, get_run_settings())
    done = wait_for(started["id"], lambda state: state["status"] != "RUNNING")

    assert done["result"]["text"] == "published"
    assert len(asked) == 3  # the handler was replayed after the wait...
    assert reporting_tools == {"count": 1, "publish_it": 1}  # ...and no step ran again
    assert traces(receiver) == ["count: counted 1 of 1", "publish_it: publishing launch"]
    finished, completed = completion(receiver)
    assert [p["full_response"] for p in finished] == ["published"]
    assert len(completed) == 1


def test_a_failed_run_is_reported_as_its_error(receiver, monkeypatch):
    def broken(messages, specs, settings, options):
        raise model.ProviderError("the provider is down")
        yield

    monkeypatch.setattr(model, "stream_turn", broken)
    message = chat_message(receiver)
    body = {"messages": [{"role": "user", "content": "hi"}], "lexia": message}
    with DurableFunctionTestRunner(handler=handler) as runner:
        runner.run(input=json.dumps(body), execution_timeout=30)
    failure = receiver.published()[-1]
    assert failure["error"] is True and failure["content"] == "the provider is down"


def test_a_run_whose_lexia_is_not_a_chat_message_is_refused_before_it_starts(fresh_runs):
    body = {"messages": [{"role": "user", "content": "hi"}], "lexia": {"message": "no thread"}}
    with pytest.raises(BadRequest, match="not a Lexia ChatMessage"):
        api.start(body, {}, get_settings(), get_run_settings())
