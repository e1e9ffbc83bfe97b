"""The tools the kit's own tests run the agent with.

Copies of the sample tools, on an ``Agent`` of their own told what the author's agent is told:
importing this module puts that agent in the place of the author's (``author.agents_agent``), so
the kit's tests of the runner, the protocols and the entry points stay true whatever the author
does to their tools (their tests are in ``tests/agent/``). The image tests import it inside the
simulated image too.
"""

from __future__ import annotations

import asyncio
import threading

from agents import Agent, function_tool
from agents.tool_context import ToolContext

from {{ cookiecutter.package_name }}.kit import author
from {{ cookiecutter.package_name }}.kit.agent.progress import report_progress

# Every call of slow_process so far: an event set once the call has ended (returned, failed or
# was cancelled), for the tests that check a cut-off run stops its tool.
_SLOW_CALLS: list[threading.Event] = []


@function_tool(strict_mode=False)
async def slow_process(ctx: ToolContext, message: str, steps: int = 3, delay_ms: int = 500) -> dict:
    """Work through a task in steps, reporting each one.

    Args:
        message: What to process.
        steps: How many steps, from 1 to 100.
        delay_ms: How long each step takes, in milliseconds (0 to 60000).
    """
    if not 1 <= steps <= 100:
        raise ValueError("steps must be from 1 to 100")
    if not 0 <= delay_ms <= 60_000:
        raise ValueError("delay_ms must be from 0 to 60000")
    ended = threading.Event()
    _SLOW_CALLS.append(ended)
    try:
        report_progress(ctx, f"Starting: {message}")
        for step in range(1, steps + 1):
            await asyncio.sleep(delay_ms / 1000)
            report_progress(ctx, f"Step {step}/{steps} complete")
    finally:
        ended.set()
    return {"message": message, "steps": steps, "summary": f"Processed {message!r} in {steps} steps"}


@function_tool(strict_mode=False)
async def echo(ctx: ToolContext, message: str) -> dict:
    """Return the message unchanged.

    Args:
        message: The text to return.
    """
    report_progress(ctx, "echoing")
    return {"message": message}


@function_tool(strict_mode=False)
async def fails_midway(ctx: ToolContext, message: str) -> dict:
    """Report once, then fail: a stream has started when it does.

    Args:
        message: What to work on.
    """
    report_progress(ctx, f"working on {message}")
    raise RuntimeError("the tool broke mid-way")


KIT_TOOLS = ("slow_process", "echo", "fails_midway")
KIT_AGENT = Agent(name="agent", instructions=author.system_prompt(), tools=[slow_process, echo, fails_midway])
author.agents_agent = lambda: KIT_AGENT


def calls_of(name: str) -> set[threading.Event]:
    """The calls of the tool ``name`` made so far (only slow_process is followed)."""
    return set(_SLOW_CALLS) if name == "slow_process" else set()


def ended(call: threading.Event, timeout: float) -> bool:
    """Whether the call has ended, waiting up to ``timeout`` seconds for it."""
    return call.wait(timeout)


def scheduled_job(event: dict) -> dict:
    """Stands in for the author's scheduled job: what it returns tells the test it ran."""
    return {"status": "ok", "job": "kit-test", "rule": event.get("resources", [])}
