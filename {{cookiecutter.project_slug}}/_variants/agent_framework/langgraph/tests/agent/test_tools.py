"""Tests of your tools: yours to change with them (the kit's tests bring their own copies).

Each test runs the tool as LangGraph runs it, inside a tiny graph streamed with the ``custom``
mode, and collects what the tool wrote to its stream writer and what it returned.
"""

import asyncio

import pytest
from langchain_core.tools import ToolException
from langchain_core.utils.function_calling import convert_to_openai_tool
from langgraph.func import entrypoint

from {{ cookiecutter.package_name }}.tools import echo, slow_process


def run(tool, **arguments) -> tuple[list, object]:
    """The progress lines the tool wrote, in order, and what it returned."""

    @entrypoint()
    async def call(arguments: dict) -> object:
        return await tool.ainvoke(arguments)

    async def collect():
        progress, output = [], None
        async for mode, part in call.astream(arguments, stream_mode=["custom", "values"]):
            if mode == "custom":
                progress.append(part)
            else:
                output = part
        return progress, output

    return asyncio.run(collect())


def test_slow_process_reports_each_step_then_returns_a_summary():
    progress, output = run(slow_process, message="hi", steps=3, delay_ms=0)
    assert progress == ["Starting: hi", "Step 1/3 complete", "Step 2/3 complete", "Step 3/3 complete"]
    assert output == {"message": "hi", "steps": 3, "summary": "Processed 'hi' in 3 steps"}


@pytest.mark.parametrize(("steps", "delay_ms"), [(0, 0), (101, 0), (1, -1), (1, 60_001)])
def test_slow_process_refuses_out_of_range_arguments(steps, delay_ms):
    with pytest.raises(ToolException):
        run(slow_process, message="x", steps=steps, delay_ms=delay_ms)


def test_echo_returns_the_message():
    assert run(echo, message="ping") == (["echoing"], {"message": "ping"})


def test_the_model_sees_each_parameter_described():
    parameters = convert_to_openai_tool(slow_process)["function"]["parameters"]
    assert parameters["required"] == ["message"]
    assert parameters["properties"]["steps"] == {
        "type": "integer",
        "default": 3,
        "description": "How many steps, from 1 to 100.",
    }
