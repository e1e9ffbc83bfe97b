"""Your tools that wait for a person's approval before each call, offered to the model in runs only.

Write one like any tool in ``tools.py``, on ``approval_toolset`` instead of ``toolset``: a run
stops at each call until someone approves or denies it (``POST /v1/runs/{id}/approval``).
"""

from __future__ import annotations

from pydantic_ai import FunctionToolset, RunContext

from .tools import Progress

approval_toolset = FunctionToolset()


@approval_toolset.tool
async def publish(ctx: RunContext[None], message: str, channel: str = "announcements") -> dict:
    """Publish a message for everyone to read (a person approves each one first).

    Args:
        message: The text to publish.
        channel: Where to publish it.
    """
    await ctx.emit(Progress(message=f"publishing to {channel}"))
    return {"published": message, "channel": channel}
