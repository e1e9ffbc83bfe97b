"""Your tools, as Strands tools: the model sees each one's name, docstring and typed parameters.

An ``async`` generator tool streams: each ``yield`` of a text line is a progress line, sent to the
caller at once with the call's id, and the last ``yield`` is the tool's result (a dict, or any value
that is not text: a text line is always progress). Raise ``ValueError`` for arguments the schema
lets through but the tool refuses: the model reads the error.
"""

from __future__ import annotations

import asyncio

from strands import tool


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
    yield f"Starting: {message}"
    for step in range(1, steps + 1):
        await asyncio.sleep(delay_ms / 1000)
        yield f"Step {step}/{steps} complete"
    yield {"message": message, "steps": steps, "summary": f"Processed {message!r} in {steps} steps"}


@tool
async def echo(message: str):
    """Return the message unchanged.

    Args:
        message: The text to return.
    """
    yield "echoing"
    yield {"message": message}
