"""Your tools: functions the model may call, each a ``@function_tool``.

The model sees each tool's name, its docstring and its typed parameters as a JSON Schema (the SDK
passes ``ctx: ToolContext`` itself, so it never shows; ``strict_mode=False`` keeps the parameters
that have defaults optional). ``report_progress(ctx, "...")`` streams a progress line to the
caller at once, with the call's id. An exception fails the call: the model reads its message and
may try again.
"""

from __future__ import annotations

import asyncio

from agents import function_tool
from agents.tool_context import ToolContext

from .kit.agent.progress import report_progress


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
    report_progress(ctx, f"Starting: {message}")
    for step in range(1, steps + 1):
        await asyncio.sleep(delay_ms / 1000)
        report_progress(ctx, f"Step {step}/{steps} complete")
    return {"message": message, "steps": steps, "summary": f"Processed {message!r} in {steps} steps"}


@function_tool(strict_mode=False)
async def echo(ctx: ToolContext, message: str) -> dict:
    """Return the message unchanged.

    Args:
        message: The text to return.
    """
    report_progress(ctx, "echoing")
    return {"message": message}
