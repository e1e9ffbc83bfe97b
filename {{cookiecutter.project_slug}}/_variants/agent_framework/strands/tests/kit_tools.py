"""The tools the kit's own tests run the agent with.

Copies of the sample tools, put over the author's agent's own under the same names: the kit's
tests of the loop, the protocols and the entry points stay true whatever the author does to their
tools (their tests are in ``tests/agent/``). Importing this module puts them in place; the image
tests import it inside the simulated image too.
"""

from __future__ import annotations

import asyncio
import threading
from collections import defaultdict

from strands import tool

from {{ cookiecutter.package_name }}.kit import author


class Run:
    """One run of a kit tool: ``join(timeout)`` waits for it to end, ``is_alive()`` asks."""

    def __init__(self) -> None:
        self.ended = threading.Event()

    def join(self, timeout: float | None = None) -> None:
        self.ended.wait(timeout)

    def is_alive(self) -> bool:
        return not self.ended.is_set()


RUNS: defaultdict[str, list[Run]] = defaultdict(list)


def calls_of(name: str) -> set[Run]:
    """Every call of the kit tool ``name`` so far, ended or not."""
    return set(RUNS[name])


def ended(call: Run, timeout: float) -> bool:
    """Whether the call has ended, waiting up to ``timeout`` seconds for it."""
    call.join(timeout)
    return not call.is_alive()


@tool
async def slow_process(message: str, steps: int = 3, delay_ms: int = 500):
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
    run = Run()
    RUNS["slow_process"].append(run)
    try:
        yield f"Starting: {message}"
        for step in range(1, steps + 1):
            await asyncio.sleep(delay_ms / 1000)
            yield f"Step {step}/{steps} complete"
        yield {"message": message, "steps": steps, "summary": f"Processed {message!r} in {steps} steps"}
    finally:
        run.ended.set()  # cancelled or done


@tool
async def echo(message: str):
    """Return the message unchanged.

    Args:
        message: The text to return.
    """
    yield "echoing"
    yield {"message": message}


@tool
async def fails_midway(message: str):
    """Report once, then fail: a stream has started when it does.

    Args:
        message: What to work on.
    """
    yield f"working on {message}"
    raise RuntimeError("the tool broke mid-way")


KIT_TOOLS = ("slow_process", "echo", "fails_midway")

author.override_tools(slow_process, echo, fails_midway)


def scheduled_job(event: dict) -> dict:
    """Stands in for the author's scheduled job: what it returns tells the test it ran."""
    return {"status": "ok", "job": "kit-test", "rule": event.get("resources", [])}
