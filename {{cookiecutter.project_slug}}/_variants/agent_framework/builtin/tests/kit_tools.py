"""The tools the kit's own tests run the agent with.

Copies of the sample tools, registered under the same names over whatever ``tools.py``
holds: the kit's tests of the loop, the protocols and the entry points stay true whatever
the author does to their tools (their tests are in ``tests/agent/``). Importing this module
registers them; the image tests import it inside the simulated image too.
"""

from __future__ import annotations

import threading
import time

from {{ cookiecutter.package_name }}.kit import author  # noqa: F401 - the author's tools first, so these win
from {{ cookiecutter.package_name }}.kit.agent.tools import ToolArgumentError, ToolContext, tool


@tool
def slow_process(message: str, steps: int = 3, delay_ms: int = 500, *, ctx: ToolContext) -> dict:
    """Work through a task in steps, reporting each one.

    Args:
        message: What to process.
        steps: How many steps, from 1 to 100.
        delay_ms: How long each step takes, in milliseconds (0 to 60000).
    """
    if not 1 <= steps <= 100:
        raise ToolArgumentError("steps must be from 1 to 100")
    if not 0 <= delay_ms <= 60_000:
        raise ToolArgumentError("delay_ms must be from 0 to 60000")
    ctx.send_status(f"Starting: {message}")
    for step in range(1, steps + 1):
        time.sleep(delay_ms / 1000)
        ctx.send_status(f"Step {step}/{steps} complete")
    return {"message": message, "steps": steps, "summary": f"Processed {message!r} in {steps} steps"}


@tool
def echo(message: str, *, ctx: ToolContext) -> dict:
    """Return the message unchanged.

    Args:
        message: The text to return.
    """
    ctx.send_status("echoing")
    return {"message": message}


@tool
def fails_midway(message: str, *, ctx: ToolContext) -> dict:
    """Report once, then fail: a stream has started when it does.

    Args:
        message: What to work on.
    """
    ctx.send_status(f"working on {message}")
    raise RuntimeError("the tool broke mid-way")


KIT_TOOLS = ("slow_process", "echo", "fails_midway")


def calls_of(name: str) -> set[threading.Thread]:
    """The calls of the tool ``name`` running now: each runs in a thread of its own."""
    return {thread for thread in threading.enumerate() if thread.name == f"tool-{name}"}


def ended(call: threading.Thread, timeout: float) -> bool:
    """Whether the call has ended, waiting up to ``timeout`` seconds for it."""
    call.join(timeout)
    return not call.is_alive()


def scheduled_job(event: dict) -> dict:
    """Stands in for the author's scheduled job: what it returns tells the test it ran."""
    return {"status": "ok", "job": "kit-test", "rule": event.get("resources", [])}
