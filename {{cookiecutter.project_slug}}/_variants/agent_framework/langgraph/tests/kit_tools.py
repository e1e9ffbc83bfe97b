"""The tools the kit's own tests run the agent with.

Copies of the sample tools, in a graph of their own told what the author's agent is told:
importing this module puts that graph in the place of the author's (``author.build_agent``), so
the kit's tests of the runner, the protocols and the entry points stay true whatever the author
does to their tools (their tests are in ``tests/agent/``). The image tests import it inside the
simulated image too.
"""

from __future__ import annotations

import asyncio
import threading

from langchain.agents import create_agent
from langchain_core.tools import ToolException, tool
from langgraph.config import get_stream_writer

from {{ cookiecutter.package_name }}.kit import author

# Every call of slow_process so far: an event set once the call has ended (returned, failed or
# was cancelled), for the tests that check a cut-off run stops its tool.
_SLOW_CALLS: list[threading.Event] = []


@tool(parse_docstring=True)
async def slow_process(message: str, steps: int = 3, delay_ms: int = 500) -> dict:
    """Work through a task in steps, reporting each one.

    Args:
        message: What to process.
        steps: How many steps, from 1 to 100.
        delay_ms: How long each step takes, in milliseconds (0 to 60000).
    """
    if not 1 <= steps <= 100:
        raise ToolException("steps must be from 1 to 100")
    if not 0 <= delay_ms <= 60_000:
        raise ToolException("delay_ms must be from 0 to 60000")
    ended = threading.Event()
    _SLOW_CALLS.append(ended)
    progress = get_stream_writer()
    try:
        progress(f"Starting: {message}")
        for step in range(1, steps + 1):
            await asyncio.sleep(delay_ms / 1000)
            progress(f"Step {step}/{steps} complete")
    finally:
        ended.set()
    return {"message": message, "steps": steps, "summary": f"Processed {message!r} in {steps} steps"}


@tool(parse_docstring=True)
async def echo(message: str) -> dict:
    """Return the message unchanged.

    Args:
        message: The text to return.
    """
    get_stream_writer()("echoing")
    return {"message": message}


@tool(parse_docstring=True)
async def fails_midway(message: str) -> dict:
    """Report once, then fail: a stream has started when it does.

    Args:
        message: What to work on.
    """
    get_stream_writer()(f"working on {message}")
    raise RuntimeError("the tool broke mid-way")


KIT_TOOLS = ("slow_process", "echo", "fails_midway")


def build_kit_agent(model, middleware):
    return create_agent(
        model,
        tools=[slow_process, echo, fails_midway],
        system_prompt=author.system_prompt(),
        middleware=middleware,
    )


author.build_agent = build_kit_agent


def calls_of(name: str) -> set[threading.Event]:
    """The calls of the tool ``name`` made so far (only slow_process is followed)."""
    return set(_SLOW_CALLS) if name == "slow_process" else set()


def ended(call: threading.Event, timeout: float) -> bool:
    """Whether the call has ended, waiting up to ``timeout`` seconds for it."""
    return call.wait(timeout)


def scheduled_job(event: dict) -> dict:
    """Stands in for the author's scheduled job: what it returns tells the test it ran."""
    return {"status": "ok", "job": "kit-test", "rule": event.get("resources", [])}
