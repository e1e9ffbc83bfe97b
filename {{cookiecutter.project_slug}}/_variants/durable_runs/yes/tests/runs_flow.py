"""The /v1/runs story every flavor's routes must tell, over whatever client a test has.

``call(method, path, body, headers)`` returns ``(status, JSON body)``.
"""

from __future__ import annotations

import json
import time

import pytest

from {{ cookiecutter.package_name }}.kit.runs import api, local
from {{ cookiecutter.package_name }}.kit.runs.config import VARIABLES, get_run_settings

from conftest import load_event

PUBLISH = {"messages": [{"role": "user", "content": '/tool publish {"message": "hello"}'}]}


@pytest.fixture
def fresh_runs(environment):
    """A new in-process runner, no RUNS_* variables from the shell."""
    for name in VARIABLES:
        environment.delenv(name, raising=False)
    get_run_settings.cache_clear()
    local._runs = None
    yield
    if local._runs is not None:
        local._runs.runner.close()
    local._runs = None
    get_run_settings.cache_clear()


def send_message_to_runs(environment, value: str = "true") -> None:
    environment.setenv("SEND_MESSAGE_TO_RUNS", value)
    get_run_settings.cache_clear()


BAD_SETTING = "SEND_MESSAGE_TO_RUNS must be true or false; got 'maybe'"


def wait_for(call, run_id: str, condition, timeout: float = 20) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        status, state = call("GET", f"/v1/runs/{run_id}", None, None)
        assert status == 200, state
        if condition(state):
            return state
        assert time.monotonic() < deadline, f"the run never got there: {state}"
        time.sleep(0.05)


def start_approve_and_read(call) -> None:
    """A run asks for an approval tool, a person approves it over HTTP, the answer comes."""
    status, started = call("POST", "/v1/runs", PUBLISH, {"Idempotency-Key": "launch-1"})
    assert status == 202, started
    assert started["status"] == "RUNNING"
    assert call("POST", "/v1/runs", PUBLISH, {"Idempotency-Key": "launch-1"}) == (202, started)

    waiting = wait_for(call, started["id"], lambda state: state["pending_approval"])
    assert waiting["pending_approval"]["tool"] == "publish"
    status, decided = call("POST", f"/v1/runs/{started['id']}/approval", {"approved": True}, None)
    assert (status, decided["approved"]) == (200, True)

    done = wait_for(call, started["id"], lambda state: state["status"] != "RUNNING")
    assert done["status"] == "SUCCEEDED"
    published = json.dumps({"published": "hello", "channel": "announcements"})
    expected = {"type": "result", "text": f"publish returned {published}", "finish_reason": "stop"}
    assert done["result"] == expected


def bad_requests_get_one_line_errors(call) -> None:
    status, reply = call("POST", "/v1/runs", {"messages": []}, None)
    assert (status, reply["error"]["message"]) == (400, "'messages' must be a non-empty list")
    status, reply = call("GET", "/v1/runs/bm9wZQ", None, None)
    assert (status, reply["error"]["message"]) == (404, "no run has this id")
    status, reply = call("POST", "/v1/runs/bm9wZQ/approval", {"approved": "yes"}, None)
    assert (status, reply["error"]["message"]) == (400, "'approved' must be true or false")


def send_message_starts_one_run_per_response_uuid(call) -> None:
    """A message starts a run (the caller set SEND_MESSAGE_TO_RUNS=true); a retried send, the
    same run."""
    message = load_event("send_message.json") | {"message": "hello from a run"}

    status, started = call("POST", "/api/v1/send_message", message, None)
    assert status == 202, started
    assert (started["status"], started["response_uuid"]) == ("started", message["response_uuid"])
    assert started["url"] == f"/v1/runs/{started['id']}"
    assert call("POST", "/api/v1/send_message", message, None) == (202, started)
    other = message | {"response_uuid": "resp-other-2"}
    status, second = call("POST", "/api/v1/send_message", other, None)
    assert status == 202 and second["id"] != started["id"]
    assert len(local._runs.names) == 2  # one execution per response_uuid, however often it is sent

    done = wait_for(call, started["id"], lambda state: state["status"] != "RUNNING")
    assert done["status"] == "SUCCEEDED", done
    assert done["result"]["type"] == "result"
    assert "hello from a run" in done["result"]["text"]


def wait_for_run(run_id: str, condition, timeout: float = 20) -> dict:
    """The run's state once ``condition(state)`` holds, read through ``runs.api`` as the routes do."""
    deadline = time.monotonic() + timeout
    while True:
        state = api.status(run_id, get_run_settings())
        if condition(state):
            return state
        assert time.monotonic() < deadline, f"the run never got there: {state}"
        time.sleep(0.05)
