"""Tests of your tools: yours to change with them (the kit's tests bring their own copies)."""

import pytest

from {{ cookiecutter.package_name }}.kit.agent.schema import tool_spec
from {{ cookiecutter.package_name }}.kit.agent.tools import ToolArgumentError, ToolContext
from {{ cookiecutter.package_name }}.tools import echo, slow_process


def statuses(ctx: ToolContext) -> list[str]:
    """What the tool sent with ``ctx.send_status``, in order."""
    sent = []
    while True:
        try:
            sent.append(ctx.events.get(timeout=0).payload["message"])
        except Exception:
            return sent


def test_slow_process_reports_each_step_then_returns_a_summary():
    ctx = ToolContext()
    output = slow_process("hi", steps=3, delay_ms=0, ctx=ctx)
    assert statuses(ctx) == ["Starting: hi", "Step 1/3 complete", "Step 2/3 complete", "Step 3/3 complete"]
    assert output == {"message": "hi", "steps": 3, "summary": "Processed 'hi' in 3 steps"}


@pytest.mark.parametrize(("steps", "delay_ms"), [(0, 0), (101, 0), (1, -1), (1, 60_001)])
def test_slow_process_refuses_out_of_range_arguments(steps, delay_ms):
    with pytest.raises(ToolArgumentError):
        slow_process("x", steps=steps, delay_ms=delay_ms, ctx=ToolContext())


def test_echo_returns_the_message():
    ctx = ToolContext()
    assert echo("ping", ctx=ctx) == {"message": "ping"}
    assert statuses(ctx) == ["echoing"]


def test_the_model_sees_each_parameter_described():
    parameters = tool_spec(slow_process)["parameters"]
    assert parameters["required"] == ["message"]
    assert parameters["properties"]["steps"] == {
        "type": "integer",
        "default": 3,
        "description": "How many steps, from 1 to 100.",
    }
    assert "ctx" not in parameters["properties"]
