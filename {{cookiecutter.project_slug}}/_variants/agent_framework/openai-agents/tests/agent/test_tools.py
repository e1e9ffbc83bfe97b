"""Tests of your tools: yours to change with them (the kit's tests bring their own copies).

Each test runs the agent with the Agents SDK's ``ScriptedModel`` calling the tool once, as a model
would, with a ``RunProgress`` as the run's context to collect what the tool reports.
"""

import asyncio
import json

import pytest
from agents import RunConfig, Runner
from agents.testing import ScriptedModel, assistant_message, function_call

from {{ cookiecutter.package_name }}.agent import agent
from {{ cookiecutter.package_name }}.kit.agent.progress import RunProgress
from {{ cookiecutter.package_name }}.tools import slow_process


def call(tool: str, **arguments) -> tuple[list[str], object]:
    """Have the model call ``tool`` once: the progress lines it reported, and what it returned."""
    model = ScriptedModel(
        [[function_call(tool, json.dumps(arguments), call_id="t1")], [assistant_message("done")]]
    )

    async def run() -> tuple[list[str], object]:
        progress: list[str] = []
        context = RunProgress(lambda call_id, message: progress.append(message))
        result = await Runner.run(agent, "go", context=context, run_config=RunConfig(model=model))
        [output] = [item.output for item in result.new_items if item.type == "tool_call_output_item"]
        return progress, output

    return asyncio.run(run())


def test_slow_process_reports_each_step_then_returns_a_summary():
    progress, output = call("slow_process", message="hi", steps=3, delay_ms=0)
    assert progress == ["Starting: hi", "Step 1/3 complete", "Step 2/3 complete", "Step 3/3 complete"]
    assert output == {"message": "hi", "steps": 3, "summary": "Processed 'hi' in 3 steps"}


@pytest.mark.parametrize(("steps", "delay_ms"), [(0, 0), (101, 0), (1, -1), (1, 60_001)])
def test_slow_process_refuses_out_of_range_arguments(steps, delay_ms):
    progress, output = call("slow_process", message="x", steps=steps, delay_ms=delay_ms)
    assert progress == []
    assert output.startswith("An error occurred")  # the model is told the call failed, and may try again


def test_echo_returns_the_message():
    progress, output = call("echo", message="ping")
    assert output == {"message": "ping"}
    assert progress == ["echoing"]


def test_the_model_sees_each_parameter_described():
    parameters = slow_process.params_json_schema
    assert parameters["required"] == ["message"]
    assert parameters["properties"]["steps"]["default"] == 3
    assert parameters["properties"]["steps"]["description"] == "How many steps, from 1 to 100."
    assert "ctx" not in parameters["properties"]
