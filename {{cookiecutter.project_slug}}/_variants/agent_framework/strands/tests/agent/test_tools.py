"""Tests of your tools: yours to change with them (the kit's tests bring their own copies)."""

import asyncio

import pytest

from {{ cookiecutter.package_name }}.tools import echo, slow_process


def run(tool, **arguments) -> list:
    """Everything the tool yields, in order: its progress lines, then its result."""

    async def collect():
        return [item async for item in tool(**arguments)]

    return asyncio.run(collect())


def test_slow_process_reports_each_step_then_returns_a_summary():
    *statuses, output = run(slow_process, message="hi", steps=3, delay_ms=0)
    assert statuses == ["Starting: hi", "Step 1/3 complete", "Step 2/3 complete", "Step 3/3 complete"]
    assert output == {"message": "hi", "steps": 3, "summary": "Processed 'hi' in 3 steps"}


@pytest.mark.parametrize(("steps", "delay_ms"), [(0, 0), (101, 0), (1, -1), (1, 60_001)])
def test_slow_process_refuses_out_of_range_arguments(steps, delay_ms):
    with pytest.raises(ValueError):
        run(slow_process, message="x", steps=steps, delay_ms=delay_ms)


def test_echo_returns_the_message():
    assert run(echo, message="ping") == ["echoing", {"message": "ping"}]


def test_the_model_sees_each_parameter_described():
    schema = slow_process.tool_spec["inputSchema"]["json"]
    assert schema["required"] == ["message"]
    assert schema["properties"]["steps"] == {
        "type": "integer",
        "default": 3,
        "description": "How many steps, from 1 to 100.",
    }
