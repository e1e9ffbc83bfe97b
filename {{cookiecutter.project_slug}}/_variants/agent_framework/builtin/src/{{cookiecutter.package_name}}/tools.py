"""Your tools: functions the model may call, and ``POST /invoke`` may run directly.

Decorate a function with ``@tool``: the model sees its name, its docstring and its typed
parameters as a JSON Schema. Each tool runs in a worker thread, so blocking calls are fine;
``ctx.send_status(...)`` streams a progress line to the caller at once, with the call's id.
Raise ``ToolArgumentError`` for arguments the schema lets through but the tool refuses.
"""

from __future__ import annotations

import time

from .kit.agent.tools import ToolArgumentError, ToolContext, tool


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
