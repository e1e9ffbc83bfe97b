"""Tests of your tools: yours to change with them (the kit's tests bring their own copies).

Each test runs the agent with Pydantic AI's ``FunctionModel`` scripted to call the tool once, as a
model would, and collects what the tool emits from the run's event stream.
"""

import asyncio
import json

import pytest
from pydantic_ai import CustomEvent
from pydantic_ai.messages import FunctionToolResultEvent
from pydantic_ai.models.function import AgentInfo, DeltaToolCall, FunctionModel

from {{ cookiecutter.package_name }}.agent import agent
from {{ cookiecutter.package_name }}.tools import toolset


def call(tool: str, **arguments) -> tuple[list[str], object]:
    """Have the model call ``tool`` once: the progress lines it emitted, and its result part."""

    async def model(messages, info: AgentInfo):
        if len(messages) == 1:
            yield {0: DeltaToolCall(tool, json.dumps(arguments), tool_call_id="t1")}
        else:
            yield "done"

    async def run() -> tuple[list[str], object]:
        progress, outcome = [], None
        async with agent.run_stream_events("go", model=FunctionModel(stream_function=model)) as stream:
            async for event in stream:
                if isinstance(event, CustomEvent):
                    progress.append(event.message)
                elif isinstance(event, FunctionToolResultEvent):
                    outcome = event.part
        return progress, outcome

    return asyncio.run(run())


def test_slow_process_reports_each_step_then_returns_a_summary():
    progress, outcome = call("slow_process", message="hi", steps=3, delay_ms=0)
    assert progress == ["Starting: hi", "Step 1/3 complete", "Step 2/3 complete", "Step 3/3 complete"]
    assert outcome.content == {"message": "hi", "steps": 3, "summary": "Processed 'hi' in 3 steps"}


@pytest.mark.parametrize(("steps", "delay_ms"), [(0, 0), (101, 0), (1, -1), (1, 60_001)])
def test_slow_process_refuses_out_of_range_arguments(steps, delay_ms):
    progress, outcome = call("slow_process", message="x", steps=steps, delay_ms=delay_ms)
    assert progress == []
    assert outcome.outcome == "retried"  # the model is told what was wrong, and may try again


def test_echo_returns_the_message():
    progress, outcome = call("echo", message="ping")
    assert outcome.content == {"message": "ping"}
    assert progress == ["echoing"]


def test_the_model_sees_each_parameter_described():
    parameters = toolset.tools["slow_process"].tool_def.parameters_json_schema
    assert parameters["required"] == ["message"]
    assert parameters["properties"]["steps"] == {
        "type": "integer",
        "default": 3,
        "description": "How many steps, from 1 to 100.",
    }
    assert "ctx" not in parameters["properties"]
