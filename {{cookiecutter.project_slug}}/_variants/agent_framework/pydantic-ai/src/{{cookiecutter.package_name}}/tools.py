"""Your tools: functions the model may call, registered on one ``FunctionToolset``.

The model sees each tool's name, its docstring and its typed parameters as a JSON Schema (the
``ctx`` parameter is Pydantic AI's and never shows). ``await ctx.emit(Progress(...))`` streams a
progress line to the caller at once, with the call's id; ``ModelRetry`` tells the model what was
wrong with its arguments so it can try again.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from pydantic_ai import CustomEvent, FunctionToolset, ModelRetry, RunContext

toolset = FunctionToolset()


@dataclass(kw_only=True)
class Progress(CustomEvent):
    """A progress line a tool sends while it works."""

    message: str


@toolset.tool
async def slow_process(ctx: RunContext[None], message: str, steps: int = 3, delay_ms: int = 500) -> dict:
    """Work through a task in steps, reporting each one.

    Args:
        message: What to process.
        steps: How many steps, from 1 to 100.
        delay_ms: How long each step takes, in milliseconds (0 to 60000).
    """
    if not 1 <= steps <= 100:
        raise ModelRetry("steps must be from 1 to 100")
    if not 0 <= delay_ms <= 60_000:
        raise ModelRetry("delay_ms must be from 0 to 60000")
    await ctx.emit(Progress(message=f"Starting: {message}"))
    for step in range(1, steps + 1):
        await asyncio.sleep(delay_ms / 1000)
        await ctx.emit(Progress(message=f"Step {step}/{steps} complete"))
    return {"message": message, "steps": steps, "summary": f"Processed {message!r} in {steps} steps"}


@toolset.tool
async def echo(ctx: RunContext[None], message: str) -> dict:
    """Return the message unchanged.

    Args:
        message: The text to return.
    """
    await ctx.emit(Progress(message="echoing"))
    return {"message": message}
