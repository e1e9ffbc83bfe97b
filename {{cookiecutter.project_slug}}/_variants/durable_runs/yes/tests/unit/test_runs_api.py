"""The runs API and the runs settings, whatever runs the agent: bad input, names, idempotency."""

from __future__ import annotations

import pytest
from runs_flow import fresh_runs, wait_for_run

from {{ cookiecutter.package_name }}.kit.runs import api
from {{ cookiecutter.package_name }}.kit.runs.config import RunSettings, get_run_settings
from {{ cookiecutter.package_name }}.kit.settings import ConfigError, get_settings

__all__ = ["fresh_runs"]

BODY = {"messages": [{"role": "user", "content": "do the work"}]}


def test_a_reused_idempotency_key_returns_the_same_run(fresh_runs):
    # Both runs answer at once, in either order: the echo model's answer is the last message.
    first = api.start(BODY, {"idempotency-key": "order-42"}, get_settings(), get_run_settings())
    again = api.start(BODY, {"idempotency-key": "order-42"}, get_settings(), get_run_settings())
    other = api.start(BODY, {"idempotency-key": "order-43"}, get_settings(), get_run_settings())

    assert again["id"] == first["id"]
    assert other["id"] != first["id"]
    done = wait_for_run(first["id"], lambda state: state["status"] == "SUCCEEDED")
    assert done["result"]["text"] == "do the work"


def test_the_api_refuses_bad_input_with_one_line(fresh_runs):
    settings, run_settings = get_settings(), get_run_settings()
    with pytest.raises(api.BadRequest, match="'messages' must be a non-empty list"):
        api.start({"messages": []}, {}, settings, run_settings)
    with pytest.raises(api.BadRequest, match="Idempotency-Key"):
        api.start(BODY, {"idempotency-key": "bad key with spaces"}, settings, run_settings)
    with pytest.raises(api.NotFound):
        api.status("not-a-run", run_settings)
    with pytest.raises(api.BadRequest, match="'approved' must be true or false"):
        api.decide("x", {"approved": "yes"}, run_settings)


def test_execution_names_are_valid_and_stable():
    name = api.execution_name("any key at all: ünïcode / slashes")
    assert name == api.execution_name("any key at all: ünïcode / slashes")
    assert len(name) <= 64
    assert name.replace("-", "").isalnum()


def test_run_settings_refuse_an_unqualified_function_arn():
    with pytest.raises(ValueError, match="RUNS_FUNCTION_ARN"):
        RunSettings.from_env({"RUNS_FUNCTION_ARN": "arn:aws:lambda:us-east-1:123456789012:function:runs"})
    arn = "arn:aws:lambda:us-east-1:123456789012:function:runs:live"
    assert RunSettings.from_env({"RUNS_FUNCTION_ARN": arn}).function_arn == arn


@pytest.mark.parametrize(
    ("value", "expected"), [("", False), ("false", False), ("TRUE", True), (" true ", True)]
)
def test_send_message_to_runs_is_a_flag(value, expected):
    assert RunSettings.from_env({"SEND_MESSAGE_TO_RUNS": value}).send_message_to_runs is expected


def test_send_message_to_runs_refuses_anything_but_true_or_false_with_one_line():
    with pytest.raises(ConfigError) as raised:
        RunSettings.from_env({"SEND_MESSAGE_TO_RUNS": "runs"})
    assert str(raised.value) == "SEND_MESSAGE_TO_RUNS must be true or false; got 'runs'"
