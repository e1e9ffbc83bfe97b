"""A run's tool progress and its result go to the log and to the run's ``stream_url``: each
once, replays included, whatever the listener does."""

import json
import time

import pytest
from aws_durable_execution_sdk_python_testing import DurableFunctionTestRunner
from http_stub import HttpStub
from runs_flow import fresh_runs
from runs_tools import reporting_tools, script

from {{ cookiecutter.package_name }}.kit import logs, messages
from {{ cookiecutter.package_name }}.kit.agent import model
from {{ cookiecutter.package_name }}.kit.agent.events import ToolCall
from {{ cookiecutter.package_name }}.kit.errors import BadRequest
from {{ cookiecutter.package_name }}.kit.runs import api
from {{ cookiecutter.package_name }}.kit.runs.config import get_run_settings
from {{ cookiecutter.package_name }}.kit.runs.handler import handler
from {{ cookiecutter.package_name }}.kit.settings import get_settings

__all__ = ["fresh_runs", "reporting_tools"]

ASK = [{"role": "user", "content": "do the work"}]


class Receiver(HttpStub):
    """A stand-in for whatever listens at a run's ``stream_url``: it records every POST."""

    def __init__(self) -> None:
        super().__init__(lambda request, reply: reply.send(204, b"", "text/plain"))

    @property
    def url(self) -> str:
        return f"{super().url}/progress"

    def reports(self) -> list[tuple]:
        """Each POST as (type, what it says), in order."""
        bodies = [post["body"] for post in self.requests]
        return [(b["type"], b.get("message") or b.get("text")) for b in bodies]


@pytest.fixture
def receiver():
    with Receiver() as server:
        yield server


@pytest.fixture
def logged(monkeypatch, capfd):
    """Reads the JSON log entries written so far (at INFO and above)."""
    monkeypatch.setitem(logs._config, "level", logs.LEVELS["INFO"])
    monkeypatch.setitem(logs._config, "stream", "stderr")
    return lambda: [json.loads(line) for line in capfd.readouterr().err.splitlines() if line.startswith("{")]


def wait_for(run_id: str, condition, timeout: float = 20) -> dict:
    deadline = time.monotonic() + timeout
    while not condition(state := api.status(run_id, get_run_settings())):
        assert time.monotonic() < deadline, f"the run never got there: {state}"
        time.sleep(0.05)
    return state


def test_progress_and_the_result_reach_the_stream_url_and_the_log(
    receiver, reporting_tools, monkeypatch, logged
):
    script(monkeypatch, [ToolCall("call_1", "count", {"n": 2})], "all counted")
    body = {"messages": ASK, "stream_url": receiver.url, "stream_token": "listener-token"}
    with DurableFunctionTestRunner(handler=handler) as runner:
        outcome = runner.run(input=json.dumps(body), execution_timeout=30)

    assert outcome.status.name == "SUCCEEDED", outcome.error
    assert [op.name for op in outcome.operations] == ["model 1", "tool count#call_1", "model 2", "reply"]
    assert receiver.reports() == [
        ("status", "counted 1 of 2"),
        ("status", "counted 2 of 2"),
        ("result", "all counted"),
    ]
    assert receiver.requests[0]["body"]["id"] == "call_1"
    assert {post["headers"]["authorization"] for post in receiver.requests} == {"Bearer listener-token"}
    entries = logged()
    statuses = [entry["status"] for entry in entries if entry["message"] == "tool status"]
    assert statuses == ["counted 1 of 2", "counted 2 of 2"]
    assert any(entry["message"] == "run finished" and entry["type"] == "result" for entry in entries)


def test_a_replay_after_an_approval_sends_no_progress_twice(
    receiver, reporting_tools, fresh_runs, monkeypatch
):
    asked = script(
        monkeypatch,
        [ToolCall("call_1", "count", {"n": 1})],
        [ToolCall("call_2", "publish_it", {"text": "launch"})],
        "published",
    )
    body = {"messages": ASK, "stream_url": receiver.url}
    started = api.start(body, {}, get_settings(), get_run_settings())
    wait_for(started["id"], lambda state: state["pending_approval"])
    assert receiver.reports() == [("status", "counted 1 of 1")]

    api.decide(started["id"], {"approved": True}, get_run_settings())
    done = wait_for(started["id"], lambda state: state["status"] != "RUNNING")

    assert done["result"]["text"] == "published"
    assert len(asked) == 3  # the handler was replayed after the wait...
    assert reporting_tools == {"count": 1, "publish_it": 1}  # ...and no step ran again
    assert receiver.reports() == [
        ("status", "counted 1 of 1"),
        ("status", "publishing launch"),
        ("result", "published"),
    ]
    assert "authorization" not in {name.lower() for name in receiver.requests[0]["headers"]}


def test_a_message_sent_to_a_run_reports_to_its_stream_url(receiver, fresh_runs, monkeypatch):
    script(monkeypatch, "hello back")
    message = messages.parse({"message": "hello", "response_uuid": "resp-7", "stream_url": receiver.url})
    started = api.start_message(message, get_run_settings())
    wait_for(started["id"], lambda state: state["status"] != "RUNNING")
    assert receiver.reports() == [("result", "hello back")]


def test_an_error_result_is_reported_too(receiver, monkeypatch):
    def broken(messages, specs, settings, options):
        raise model.ProviderError("the provider is down")
        yield

    monkeypatch.setattr(model, "stream_turn", broken)
    body = {"messages": ASK, "stream_url": receiver.url}
    with DurableFunctionTestRunner(handler=handler) as runner:
        runner.run(input=json.dumps(body), execution_timeout=30)
    assert receiver.reports() == [("error", "the provider is down")]


def test_a_listener_that_is_down_costs_a_log_line_not_the_run(reporting_tools, monkeypatch, logged):
    script(monkeypatch, [ToolCall("call_1", "count", {"n": 1})], "done anyway")
    body = {"messages": ASK, "stream_url": "http://127.0.0.1:9/progress"}
    with DurableFunctionTestRunner(handler=handler) as runner:
        outcome = runner.run(input=json.dumps(body), execution_timeout=30)
    assert json.loads(outcome.result)["text"] == "done anyway"
    warnings = [entry for entry in logged() if entry["level"] == "WARNING"]
    assert [entry["message"] for entry in warnings] == ["stream_url did not take a report"] * 2


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"stream_url": "file:///etc/passwd"}, "'stream_url' must be an http(s) URL"),
        ({"stream_url": 5}, "'stream_url' must be an http(s) URL"),
        ({"stream_url": "https://example.com", "stream_token": 5}, "'stream_token' must be a string"),
    ],
)
def test_a_run_with_an_unusable_stream_url_is_refused_before_it_starts(fresh_runs, change, problem):
    with pytest.raises(BadRequest) as refused:
        api.start({"messages": ASK, **change}, {}, get_settings(), get_run_settings())
    assert refused.value.message == problem
