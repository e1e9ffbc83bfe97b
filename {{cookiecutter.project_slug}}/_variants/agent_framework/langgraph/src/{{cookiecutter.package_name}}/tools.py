"""Your tools, as LangChain tools: the model sees each one's name, docstring and typed parameters.

``@tool(parse_docstring=True)`` reads each parameter's description from the ``Args:`` section.
``get_stream_writer()`` gives a tool LangGraph's writer: each line written to it is a progress
line, sent to the caller at once with the call's id. Raise ``ToolException`` for arguments the
schema lets through but the tool refuses: the model reads the message and may try again.
"""

from __future__ import annotations

import asyncio

from langchain_core.tools import ToolException, tool
from langgraph.config import get_stream_writer


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
    progress = get_stream_writer()
    progress(f"Starting: {message}")
    for step in range(1, steps + 1):
        await asyncio.sleep(delay_ms / 1000)
        progress(f"Step {step}/{steps} complete")
    return {"message": message, "steps": steps, "summary": f"Processed {message!r} in {steps} steps"}


@tool(parse_docstring=True)
async def echo(message: str) -> dict:
    """Return the message unchanged.

    Args:
        message: The text to return.
    """
    get_stream_writer()("echoing")
    return {"message": message}
